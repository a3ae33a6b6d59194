//===- MEM006DeepcopyInLoop.cpp ----------------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{"MEM006",
                           "deepcopy-in-loop",
                           "MEM",
                           "`copy.deepcopy()` of the same unchanged object on every loop iteration",
                           R"md(## What it does
Flags `copy.deepcopy(x)` inside a loop (or comprehension) when `x` is the same object on every
pass and the loop does not change it: the loop does not rebind `x`, and uses it only to read
(attributes, items, `in`, `len()`, iteration), never through a method call, a store or by
passing it to another function.

## Why is this bad?
`deepcopy` walks and duplicates the entire object graph, with a memo dict of every object it
visits, on each call. Copying an unchanging template N times allocates N complete copies; if
the copies are kept (appended to a list), memory grows by the template's full size per
iteration, and even if not, each pass churns the allocator and the garbage collector.

This rule is informational: when each iteration really needs its own mutable copy, the cost
is inherent, but usually only a part of the object changes.

## Example
```python
def expand(rows, template):
    out = []
    for row in rows:
        record = copy.deepcopy(template)
        record["id"] = row.id
        out.append(record)
    return out
```

Use instead:
```python
def expand(rows, template):
    return [{**template, "id": row.id} for row in rows]  # share the unchanged values
```
(or deep-copy once before the loop when the loop only reads the copy).

## Not flagged
`deepcopy` of the loop variable or of anything the loop rebinds, of an object the loop
mutates or passes to other code (a snapshot of changing state is the point of the copy), and
loops over a literal or a small literal `range()`.
)md",
                           Severity::Info,
                           true,
                           FixAvailability::None};

namespace {

bool isPureRead(UseKind K) {
  switch (K) {
  case UseKind::AttributeRead:
  case UseKind::SubscriptLoad:
  case UseKind::Membership:
  case UseKind::Len:
  case UseKind::Iterated:
    return true;
  default:
    return false;
  }
}

class Finder : public LoopWalker {
public:
  Finder(ModuleContext &Ctx, const RuleInfo &Meta)
      : LoopWalker(Ctx.module()), Ctx(Ctx), Meta(Meta), Uses(Ctx.analysis<UseMap>()) {}

protected:
  bool onExpr(const Expr *E) override {
    const auto *C = dyn_cast<CallExpr>(E);
    if (!C || !inManyIterationLoop() || !refersTo(M, dottedName(M, C->Callee), "copy", "deepcopy"))
      return true;
    const Expr *Arg = C->soleArgument();
    if (!Arg)
      return true;
    const Expr *Root = Arg;
    while (const auto *A = dyn_cast<AttributeExpr>(Root))
      Root = A->Object;
    const auto *RootName = dyn_cast<NameExpr>(Root);
    if (!RootName || !RootName->Sym)
      return true;
    const LoopWalker::Loop *L = innermostManyIterationLoop();
    llvm::SmallPtrSet<const Symbol *, 8> Bound;
    collectLoopBindings(*L, Bound);
    if (Bound.count(RootName->Sym) || !onlyReadInLoop(*L, RootName->Sym, Arg))
      return true;
    Ctx.report(Meta, C->Range,
               quoteCode(M.text(C), "`copy.deepcopy()`") +
                   " copies the same, unchanged object graph on every iteration: each pass "
                   "allocates a complete copy (and a memo dict); copy once before the loop if "
                   "the loop only reads the copy, otherwise copy only the part it changes");
    return true;
  }

private:
  ModuleContext &Ctx;
  const RuleInfo &Meta;
  const UseMap &Uses;

  /// Inside the loop, every other use of the root (or of any attribute chain from it) reads.
  bool onlyReadInLoop(const LoopWalker::Loop &L, const Symbol *Root, const Expr *Copied) const {
    TextRange Region = L.Statement ? L.Statement->Range : L.Comprehension->Range;
    for (const NameExpr *Ref : Root->Refs) {
      if (!Region.contains(Ref->Range) || Copied->Range.contains(Ref->Range))
        continue;
      // Follow `x.a.b` up to the outermost attribute of the chain.
      const Expr *Top = Ref;
      while (true) {
        const Use &U = Uses.of(Top);
        if (U.Kind != UseKind::AttributeRead)
          break;
        const Expr *Parent = findParentAttribute(Top);
        if (!Parent)
          break;
        Top = Parent;
      }
      if (!isPureRead(Uses.of(Top).Kind))
        return false;
    }
    return true;
  }

  /// The AttributeExpr whose Object is E (the walker saw it as an AttributeRead use).
  const Expr *findParentAttribute(const Expr *E) const {
    auto It = Parents.find(E);
    return It == Parents.end() ? nullptr : It->second;
  }

public:
  void indexParents() {
    struct P : Walker {
      llvm::DenseMap<const Expr *, const Expr *> &Out;
      explicit P(llvm::DenseMap<const Expr *, const Expr *> &O) : Out(O) {}
      bool visitExpr(const Expr *E) override {
        if (const auto *A = dyn_cast<AttributeExpr>(E))
          Out[A->Object] = A;
        return true;
      }
    } Walk(Parents);
    Walk.walk(M.body());
  }

private:
  llvm::DenseMap<const Expr *, const Expr *> Parents;
};

class DeepcopyInLoop : public Rule {
public:
  DeepcopyInLoop() : Rule(Info) {}
  void checkModule(ModuleContext &Ctx) const override {
    Finder F(Ctx, Info);
    F.indexParents();
    F.walk(Ctx.module().body());
  }
};

} // namespace

std::unique_ptr<Rule> createDeepcopyInLoop() { return std::make_unique<DeepcopyInLoop>(); }

} // namespace memlint::mem
