//===- GEN001ListComprehensionInCall.cpp ------------------------------------===//
#include "rules/gen/GenRules.h"
#include "rules/gen/GenSupport.h"

#include "llvm/ADT/StringSwitch.h"

namespace memlint::gen {

using namespace ir;

static const RuleInfo Info{
    "GEN001",
    "list-comprehension-in-call",
    "GEN",
    "List comprehension passed to a builtin that consumes any iterable",
    R"md(## What it does
Flags a list comprehension passed to `sum`, `any`, `all`, `min`, `max`, `sorted`, `tuple`,
`set`, `frozenset` or `dict`, all of which accept any iterable.

## Why is this bad?
The comprehension builds the complete list before the call reads its first item, so peak
memory holds every element at once (plus the result, for `sorted`, `tuple`, `set` and `dict`).
A generator expression hands the call one item at a time. For `any()` and `all()` it also
restores short-circuiting: the list comprehension evaluates every element even when the first
one already decides the answer.

## Example
```python
total = sum([line.amount for line in invoice.lines])
if any([p.is_dirty() for p in pages]):
    flush()
```

Use instead:
```python
total = sum(line.amount for line in invoice.lines)
if any(p.is_dirty() for p in pages):
    flush()
```

## Fix safety
The fix drops the brackets (or turns them into parentheses when the call has other
arguments). For `any()` and `all()` it is always unsafe: they may stop before evaluating every
element, so side effects and exceptions of the skipped elements no longer happen. For the other
builtins it is safe when the comprehension's element and conditions make no calls; otherwise it
is unsafe, because a generator evaluates them interleaved with the consumer.

## Not flagged
`str.join` (it builds a list from a generator anyway, and is faster given one), set and dict
comprehensions, star-unpacked arguments, async comprehensions or ones containing `await`, and
calls where the builtin name is shadowed or may come from a star import.
)md",
    Severity::Warning,
    true,
    FixAvailability::Always};

namespace {

bool consumesAnyIterable(llvm::StringRef Builtin) {
  return llvm::StringSwitch<bool>(Builtin)
      .Cases("sum", "any", "all", "min", "max", true)
      .Cases("sorted", "tuple", "set", "frozenset", "dict", true)
      .Default(false);
}

class ListComprehensionInCall : public Rule {
public:
  ListComprehensionInCall() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    for (const Scope *S : M.scopes())
      for (const Event &E : S->Events)
        if (E.Kind == EventKind::Comprehension)
          check(Ctx, llvm::cast<ComprehensionExpr>(E.Value));
  }

private:
  void check(ModuleContext &Ctx, const ComprehensionExpr *Comp) const {
    if (Comp->Consumer != ConsumerKind::CallArgument || !isConvertibleListComp(Comp))
      return;
    const CallExpr *Call = Comp->ConsumerCall;
    llvm::StringRef Builtin = builtinCallee(Ctx.module(), Call);
    if (!consumesAnyIterable(Builtin))
      return;
    bool Positional = false;
    for (const Argument &A : Call->Args)
      if (A.Value == Comp)
        Positional = A.Kind == ArgKind::Positional;
    if (!Positional)
      return;

    std::string Name = callDisplayName(Ctx, Call);
    std::string Message;
    if (Builtin == "any" || Builtin == "all")
      Message = "list comprehension passed to " + Name +
                " evaluates and stores every element before " + Name +
                " can stop early; a generator expression short-circuits and holds one item "
                "at a time";
    else
      Message = "list comprehension passed to " + Name +
                " builds the whole list in memory first; a generator expression feeds " + Name +
                " one item at a time";
    Diagnostic &D = Ctx.report(Info, Comp->Range, std::move(Message));
    if (Comp->Parens)
      return; // keep the fix simple: `sum(([...]))` is rare enough to rewrite by hand
    Fix F;
    F.Title = "Use a generator expression";
    // any()/all() stop early: a generator skips elements the list would have evaluated, along
    // with any exception they raise (a KeyError in `row[name]`), so that fix is never safe.
    bool ShortCircuits = Builtin == "any" || Builtin == "all";
    F.Safety = !ShortCircuits && isSideEffectFree(Comp) ? Applicability::Safe : Applicability::Unsafe;
    if (Call->Args.size() == 1) {
      Ctx.addEdit(F, {Comp->Range.Begin, Comp->Range.Begin + 1}, "");
      Ctx.addEdit(F, {Comp->Range.End - 1, Comp->Range.End}, "");
    } else {
      addBracketsToParens(Ctx, F, Comp);
    }
    D.FixIt = std::move(F);
  }
};

} // namespace

std::unique_ptr<Rule> createListComprehensionInCall() {
  return std::make_unique<ListComprehensionInCall>();
}

} // namespace memlint::gen
