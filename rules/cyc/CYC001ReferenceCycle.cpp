//===- CYC001ReferenceCycle.cpp ----------------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC001",
    "reference-cycle",
    "CYC",
    "Objects that refer to each other form a reference cycle",
    R"md(## What it does
Finds reference cycles between objects of the project's classes: a parent that keeps its
children while each child keeps its parent, an object that hands itself (or a bound method of
itself) to a helper it owns, a chain of constructors that passes `self` along and stores it.
The cycle is followed across modules and through constructors and methods that store their
arguments. It is reported once, at the reference that closes it (usually the back-pointer),
with every link of the path as a related location.

## Why is this bad?
Objects in a cycle never reach a reference count of zero. CPython frees them only when the
cyclic garbage collector runs: later, during a collection pause, and never in programs that
call `gc.disable()`. Until then they keep alive everything they reference (buffers, sockets,
frames, large containers).

## Example
```python
class Node:
    def __init__(self, parent=None):
        self.parent = parent
        self.children = []

    def add_child(self):
        child = Node(self)
        self.children.append(child)
        return child
```

Use instead:
```python
import weakref

class Node:
    def __init__(self, parent=None):
        self._parent = weakref.ref(parent) if parent is not None else None
        self.children = []

    @property
    def parent(self):
        return self._parent() if self._parent is not None else None
```

## Not flagged
Links through `weakref.ref`, `weakref.proxy`, `WeakMethod`, `WeakSet`, `WeakKeyDictionary` and
`WeakValueDictionary`; cycles the class visibly breaks (the attribute is set to `None`, deleted
or cleared in `close`, `__exit__`, `__del__`, `dispose` and similar methods); and class-level
shapes that do not loop back to the same object (`self.next = Node()` builds a chain, not a
cycle).
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

/// What to do about the back-reference. A weak reference to a lambda or closure dies at once,
/// so closures get other advice.
std::string advice(const ReferenceEdge &Back) {
  if (Back.HeldText.find("closure") != std::string::npos)
    return "Break it at " + Back.label() +
           ": have the closure capture weakref.ref(self) instead of self, or use a method";
  if (Back.HeldText.find("bound method") != std::string::npos)
    return "Make " + Back.label() + " hold weakref.WeakMethod(...) instead of the bound method";
  return "Make " + Back.label() + " a weak reference (weakref.ref or weakref.proxy)";
}

class ReferenceCycleRule : public Rule {
public:
  ReferenceCycleRule() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    for (const ReferenceCycle &Cycle : Ctx.graph().cycles()) {
      const ReferenceEdge &Back = Cycle.Edges[Cycle.WeakEdge];
      std::string Message = "reference cycle " + describeCycle(Cycle) + "; " + CycleCost +
                            ". " + advice(Back);
      Diagnostic &D = Ctx.report(Info, *Back.Module, Back.Where, std::move(Message));
      for (const ReferenceEdge &E : Cycle.Edges)
        Ctx.addRelated(D, *E.Module, E.Where,
                       E.label() + (E.Container ? " (a container)" : "") + " holds " + E.HeldText);
      Ctx.addRelated(D, *Cycle.CreatorModule, Cycle.CreatedAt,
                     "`" + Cycle.Creator->Class->Name + "` hands itself over here");
    }
  }
};

} // namespace

std::unique_ptr<Rule> createReferenceCycle() { return std::make_unique<ReferenceCycleRule>(); }

} // namespace memlint::cyc
