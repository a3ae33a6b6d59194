//===- CYC005ObjectStoredInItself.cpp ----------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC005",
    "object-stored-in-itself",
    "CYC",
    "An object stores itself in one of its own attributes or containers",
    R"md(## What it does
Flags `self.items.append(self)`, `self.by_id[self.id] = self`, `self.me = self` and similar
stores of `self` into `self`.

## Why is this bad?
The object then references itself, a cycle of one: its reference count can never reach zero,
so it (and everything it holds) waits for the cyclic garbage collector, later and never under
`gc.disable()`.

## Example
```python
class Group:
    def __init__(self, name):
        self.name = name
        self.members = [self]
```

Use instead:
```python
class Group:
    def __init__(self, name):
        self.name = name
        self.members = []

    def all_members(self):
        return [self, *self.members]
```

## Not flagged
Weak containers (`weakref.WeakSet()`) and attributes cleared on teardown.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class ObjectStoredInItself : public Rule {
public:
  ObjectStoredInItself() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    forEachSelfLoop(Ctx.graph(), [&](const SelfLoop &L) {
      if (L.Kind != SelfLoopKind::Self)
        return;
      Ctx.report(Info, *L.Class->Module, L.Store->Where,
                 "`self` is stored in " + describeStoreTarget(*L.Store) + ", so each `" +
                     L.Class->Class->Name + "` references itself; " + CycleCost +
                     ". Keep it out of its own containers, or use a weakref.WeakSet");
    });
  }
};

} // namespace

std::unique_ptr<Rule> createObjectStoredInItself() { return std::make_unique<ObjectStoredInItself>(); }

} // namespace memlint::cyc
