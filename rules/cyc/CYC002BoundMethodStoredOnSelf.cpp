//===- CYC002BoundMethodStoredOnSelf.cpp -------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC002",
    "bound-method-stored-on-self",
    "CYC",
    "A bound method of an object is stored on the same object",
    R"md(## What it does
Flags `self.callback = self.on_event`, and the same through a container
(`self.handlers.append(self.on_event)`, `self.dispatch = {"a": self.handle_a}`) or
`functools.partial(self.on_event, ...)`, where `on_event` is an instance method of the class
or of a project base class.

## Why is this bad?
A bound method holds a strong reference to its instance (`self.on_event.__self__ is self`).
Storing it on that instance makes a reference cycle: the object is freed only by the cyclic
garbage collector, later and never under `gc.disable()`, together with everything it holds.

## Example
```python
class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.on_data = self.handle_data
```

Use instead:
```python
class Connection:
    def __init__(self, sock):
        self.sock = sock

    def on_data(self, chunk):
        return self.handle_data(chunk)
```
or keep `weakref.WeakMethod(self.handle_data)` and call it through the weak reference.

## Not flagged
Static methods, class methods and properties (they keep no reference to the instance),
attributes the class clears on teardown (`close`, `__exit__`, `__del__`, ...), and weak
containers. Bound methods stored on *another* object that `self` owns are reported by CYC001.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class BoundMethodStoredOnSelf : public Rule {
public:
  BoundMethodStoredOnSelf() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    forEachSelfLoop(Ctx.graph(), [&](const SelfLoop &L) {
      if (L.Kind != SelfLoopKind::BoundMethod)
        return;
      const std::string &Method = L.Store->Value.Name;
      std::string Message = describeStoreTarget(*L.Store) + " holds the bound method `self." +
                            Method + "`, which holds `self`: a reference cycle of one `" +
                            L.Class->Class->Name + "`; " + CycleCost +
                            ". Define a method instead, or store weakref.WeakMethod(self." +
                            Method + ")";
      Diagnostic &D = Ctx.report(Info, *L.Class->Module, L.Store->Where, std::move(Message));
      const ClassRef *Owner = nullptr;
      if (const MethodSummary *Target = Ctx.index().findMethod(*L.Class, Method, &Owner))
        Ctx.addRelated(D, *Owner->Module, Target->Where, "`" + Method + "` is an instance method");
    });
  }
};

} // namespace

std::unique_ptr<Rule> createBoundMethodStoredOnSelf() {
  return std::make_unique<BoundMethodStoredOnSelf>();
}

} // namespace memlint::cyc
