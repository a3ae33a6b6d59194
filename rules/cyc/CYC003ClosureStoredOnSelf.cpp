//===- CYC003ClosureStoredOnSelf.cpp -----------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC003",
    "closure-stored-on-self",
    "CYC",
    "A lambda or nested function that uses `self` is stored on `self`",
    R"md(## What it does
Flags a lambda, a nested function or `functools.partial(f, self)` that refers to `self` and is
stored on `self` (an attribute, or inside a container attribute).

## Why is this bad?
The closure keeps `self` alive through its cell, and `self` keeps the closure: a reference
cycle that only the cyclic garbage collector frees, later and never under `gc.disable()`.
This is how pandas' `Index._engine` (built with `lambda: self`) kept indexes alive.

## Example
```python
class Index:
    def __init__(self, values):
        self.values = values
        self._engine_factory = lambda: Engine(self.values)
```

Use instead:
```python
import weakref

class Index:
    def __init__(self, values):
        self.values = values
        ref = weakref.ref(self)
        self._engine_factory = lambda: Engine(ref().values)
```
or make it a method.

## Not flagged
Closures that do not use `self`, closures stored in weak containers or cleared on teardown.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class ClosureStoredOnSelf : public Rule {
public:
  ClosureStoredOnSelf() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    forEachSelfLoop(Ctx.graph(), [&](const SelfLoop &L) {
      if (L.Kind != SelfLoopKind::Closure)
        return;
      Ctx.report(Info, *L.Class->Module, L.Store->Where,
                 describeStoreTarget(*L.Store) + " holds a closure that refers to `self`, so each `" +
                     L.Class->Class->Name + "` and the closure keep each other alive; " + CycleCost +
                     ". Capture weakref.ref(self) instead, or make it a method");
    });
  }
};

} // namespace

std::unique_ptr<Rule> createClosureStoredOnSelf() { return std::make_unique<ClosureStoredOnSelf>(); }

} // namespace memlint::cyc
