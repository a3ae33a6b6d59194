//===- GEN002ForLoopOverListComprehension.cpp --------------------------------===//
#include "rules/gen/GenRules.h"
#include "rules/gen/GenSupport.h"

namespace memlint::gen {

using namespace ir;
using llvm::cast;
using llvm::dyn_cast;

static const RuleInfo Info{
    "GEN002",
    "for-loop-over-list-comprehension",
    "GEN",
    "Loop iterates a list that was built only to be iterated",
    R"md(## What it does
Flags a `for` loop (or a comprehension's `for` clause) whose iterable is a list comprehension,
or `list(...)` around a lazy iterator (`range`, `map`, `filter`, `zip`, `enumerate`,
`reversed`, a generator expression).

## Why is this bad?
The loop reads each item once, yet the list keeps every item alive until the loop ends. A
generator expression, or the lazy iterator itself, produces items on demand, so memory stays
flat however long the input is.

## Example
```python
for user in [u for u in users if u.active]:
    notify(user)
for i in list(range(count)):
    render(i)
```

Use instead:
```python
for user in (u for u in users if u.active):
    notify(user)
for i in range(count):
    render(i)
```

## Fix safety
Safe when the comprehension's element and conditions make no calls; otherwise unsafe, since
they would then run interleaved with the loop body.

## Not flagged
A list built from a collection the loop body may change: the list is then a deliberate
snapshot (`for k in [k for k in cache if stale(k)]: del cache[k]` would raise "dictionary
changed size during iteration" with a generator). memlint treats stores and deletes through
the source, method calls on it or on the object it belongs to, and passing it to a call as
possible changes. Also not flagged: `list(d)` or `list(d.items())` (a snapshot of a
container), and async comprehensions.
)md",
    Severity::Warning,
    true,
    FixAvailability::Always};

namespace {

class ForLoopOverListComprehension : public Rule {
public:
  ForLoopOverListComprehension() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    for (const Scope *S : M.scopes()) {
      for (const Event &E : S->Events) {
        if (E.Kind == EventKind::Loop) {
          if (const auto *For = dyn_cast<ForStmt>(E.Statement); For && For->Iter && !For->IsAsync)
            check(Ctx, For->Iter, For->Loop);
        } else if (E.Kind == EventKind::Comprehension) {
          const auto *Comp = cast<ComprehensionExpr>(E.Value);
          // An inner list feeding a comprehension clause; comprehensions have no statements
          // that could mutate the source, so no snapshot question arises.
          for (const Comprehension &G : Comp->Generators)
            if (!G.IsAsync)
              check(Ctx, G.Iter, {});
        }
      }
    }
  }

private:
  void check(ModuleContext &Ctx, const Expr *Iter, Body LoopBody) const {
    const Module &M = Ctx.module();
    const ComprehensionExpr *Comp = nullptr;
    const CallExpr *ListCall = nullptr;
    if (isConvertibleListComp(Iter)) {
      Comp = cast<ComprehensionExpr>(Iter);
    } else if (lazyArgumentOfListCall(M, Iter)) {
      ListCall = cast<CallExpr>(Iter);
    } else {
      return;
    }
    llvm::SmallVector<ListSource, 8> Sources;
    sourcesOf(M, Iter, Sources);
    if (mayMutateSources(M, Sources, LoopBody))
      return;

    std::string Message;
    Fix F;
    if (Comp) {
      Message = "the loop iterates a list comprehension once; a generator expression would "
                "produce each item on demand instead of holding the whole list";
      F.Title = "Use a generator expression";
      F.Safety = isSideEffectFree(Comp) ? Applicability::Safe : Applicability::Unsafe;
      if (!Iter->Parens)
        addBracketsToParens(Ctx, F, Iter);
    } else {
      const Expr *Lazy = lazyArgumentOfListCall(M, Iter);
      Message = "`list()` copies " + describe(Ctx, Lazy) +
                " into memory only for the loop to read it once; iterate it directly";
      F.Title = "Iterate without `list()`";
      F.Safety = Applicability::Safe;
      if (!Iter->Parens && closesRightAfter(Ctx, ListCall, Lazy))
        addUnwrapListCall(Ctx, F, ListCall);
    }
    Diagnostic &D = Ctx.report(Info, Iter->Range, std::move(Message));
    if (!F.Edits.empty())
      D.FixIt = std::move(F);
  }

  static std::string describe(const ModuleContext &Ctx, const Expr *Lazy) {
    if (Lazy->Kind == ExprKind::GeneratorExp)
      return "a generator";
    const auto *C = cast<CallExpr>(Lazy);
    return "the lazy `" + Ctx.text(C->Callee).str() + "()` iterator";
  }

  /// `list(x)` with nothing but blanks between x and `)`; `list(x,)` would break the unwrap.
  static bool closesRightAfter(const ModuleContext &Ctx, const CallExpr *Call, const Expr *Arg) {
    if (Call->BareGenerator)
      return true;
    return Ctx.text({Arg->Range.End, Call->ArgsRange.End - 1}).trim().empty();
  }
};

} // namespace

std::unique_ptr<Rule> createForLoopOverListComprehension() {
  return std::make_unique<ForLoopOverListComprehension>();
}

} // namespace memlint::gen
