//===- CYC006FinalizerInCycle.cpp --------------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

#include "llvm/ADT/DenseMap.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC006",
    "finalizer-in-cycle",
    "CYC",
    "A class with `__del__` takes part in a reference cycle",
    R"md(## What it does
Flags the `__del__` method of a class whose instances take part in a reference cycle that
memlint reports (CYC001, CYC002, CYC003 or CYC005).

## Why is this bad?
In a cycle, `__del__` does not run when the object goes out of use, but whenever the cyclic
garbage collector happens to find the cycle (never, under `gc.disable()`), and the objects in a
cycle are finalized in no particular order, so `__del__` may see attributes already torn down
(PEP 442). Code that relies on `__del__` to release files, sockets or locks releases them late.

## Example
```python
class Session:
    def __init__(self):
        self.on_close = self.close

    def close(self): ...

    def __del__(self):
        self.close()
```

Use instead: break the cycle (see the related finding) and release resources explicitly with
a context manager or `weakref.finalize(self, release, resource)`.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class FinalizerInCycle : public Rule {
public:
  FinalizerInCycle() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    // Classes in a reported cycle, with one place that shows the cycle.
    llvm::DenseMap<const ClassSummary *, std::pair<const ModuleSummary *, SummaryLocation>> InCycle;
    for (const ReferenceCycle &Cycle : Ctx.graph().cycles()) {
      const ReferenceEdge &Back = Cycle.Edges[Cycle.WeakEdge];
      InCycle.try_emplace(Cycle.Creator->Class, Back.Module, Back.Where);
      for (const ReferenceEdge &E : Cycle.Edges)
        if (E.Holder)
          InCycle.try_emplace(E.Holder->Class, Back.Module, Back.Where);
    }
    forEachSelfLoop(Ctx.graph(), [&](const SelfLoop &L) {
      InCycle.try_emplace(L.Class->Class, L.Class->Module, L.Store->Where);
    });
    for (const ClassRef &C : Ctx.index().classes()) {
      auto It = InCycle.find(C.Class);
      if (It == InCycle.end())
        continue;
      const MethodSummary *Del = C.Class->method("__del__");
      if (!Del)
        continue;
      Diagnostic &D = Ctx.report(
          Info, *C.Module, Del->Where,
          "`" + C.Class->Name +
              ".__del__` runs only when the cyclic garbage collector finds the reference cycle "
              "its instances are part of (never under gc.disable()), in no guaranteed order; "
              "break the cycle or release resources explicitly");
      Ctx.addRelated(D, *It->second.first, It->second.second, "the cycle");
    }
  }
};

} // namespace

std::unique_ptr<Rule> createFinalizerInCycle() { return std::make_unique<FinalizerInCycle>(); }

} // namespace memlint::cyc
