//===- WRF001RegistryKeepsSubscriber.cpp -------------------------------------===//
#include "rules/wrf/WrfRules.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::wrf {

static const RuleInfo Info{
    "WRF001",
    "registry-keeps-subscriber",
    "WRF",
    "An object registers itself (or a bound method) with a registry that never lets go",
    R"md(## What it does
Flags `bus.subscribe(self.on_event)`, `emitter.add_listener(self)` and similar calls where the
receiver is a module-level instance or an argument, the receiver's class (found in the project)
stores the argument in a container, and that class has no way to take it out again (no
`remove`, `discard`, `pop`, `del`, `clear` on that container anywhere in the class).

## Why is this bad?
The registry keeps a strong reference to every subscriber, directly or through the bound
method's `__self__`. A subscriber can never be freed before the registry is, however short its
intended life: widgets, sessions and request handlers accumulate in a long-lived event bus.
This is the classic observer-pattern leak.

## Example
```python
class Panel:
    def __init__(self, bus):
        bus.subscribe(self.refresh)
```

Use instead: store `weakref.WeakMethod(callback)` (or a `weakref.WeakSet` of subscribers) in
the registry, or give it an `unsubscribe` method and call it when the subscriber is done.

## Not flagged
Registries whose class can remove entries (any `remove`/`discard`/`pop`/`del`/`clear` on the
container), weak containers, and receivers that `self` itself holds: those form a cycle,
reported by CYC001.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class RegistryKeepsSubscriber : public Rule {
public:
  RegistryKeepsSubscriber() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    const ProjectIndex &Index = Ctx.index();
    const ReferenceGraph &Graph = Ctx.graph();
    for (const ClassRef &C : Index.classes())
      for (const MethodSummary &M : C.Class->Methods)
        for (const CallFact &Call : M.Calls)
          checkCall(Ctx, Index, Graph, C, M, Call);
  }

private:
  void checkCall(ProjectContext &Ctx, const ProjectIndex &Index, const ReferenceGraph &Graph,
                 const ClassRef &C, const MethodSummary &M, const CallFact &Call) const {
    const ClassRef *Registry = nullptr;
    std::string ReceiverText;
    if (Call.Receiver.Kind == ValueKind::Global) {
      Registry = Index.globalInstanceType(*C.Module, Call.Receiver.Name);
      ReceiverText = "`" + Call.Receiver.Name + "`";
    } else if (Call.Receiver.Kind == ValueKind::Param) {
      if (Graph.retention(C, M, Call.Receiver.Param))
        return; // self keeps the registry: a cycle, CYC001's business
      Registry = Index.parameterType(&C, *C.Module, M, Call.Receiver.Param);
      ReceiverText = "`" + M.Params[Call.Receiver.Param].Name + "`";
    }
    if (!Registry)
      return;
    const ClassRef *Owner = nullptr;
    const MethodSummary *Callee = Index.findMethod(*Registry, Call.Method, &Owner);
    if (!Callee)
      return;
    for (size_t I = 0; I < Call.Arguments.size(); ++I) {
      const ArgumentFact &A = Call.Arguments[I];
      bool CapturesSelf = A.Kind == ValueKind::Closure && A.CapturesSelf;
      if (!Graph.carriesSelf(C, A.Kind, A.Name, CapturesSelf))
        continue;
      int P = ReferenceGraph::parameterFor(*Callee, A);
      if (P < 0)
        continue;
      const auto *Kept = Graph.retention(*Owner, *Callee, static_cast<unsigned>(P));
      if (!Kept || Kept->empty() || !Kept->front().Container)
        continue;
      const ReferenceEdge &Slot = Kept->front();
      if (canRemove(Index, *Owner, Slot.Attr) || Graph.isWeakAttribute(*Owner, Slot.Attr))
        continue;
      std::string What = A.Kind == ValueKind::Self
                             ? std::string("this `") + C.Class->Name + "`"
                             : (A.Kind == ValueKind::SelfAttribute
                                    ? "the bound method `self." + A.Name + "` (and so this `" +
                                          C.Class->Name + "`)"
                                    : "a closure over this `" + C.Class->Name + "`");
      Diagnostic &D = Ctx.report(
          Info, *C.Module, Call.Where,
          ReceiverText + "." + Call.Method + "() keeps " + What + " in `" + Owner->Class->Name +
              "." + Slot.Attr + "`, which nothing ever removes entries from: every `" +
              C.Class->Name + "` registered here lives as long as " + ReceiverText +
              ". Register a weakref.WeakMethod / use a weakref.WeakSet, or add and call an "
              "unsubscribe method");
      Ctx.addRelated(D, *Slot.Module, Slot.Where,
                     "`" + Owner->Class->Name + "." + Slot.Attr + "` keeps its argument");
      return;
    }
  }

  static bool canRemove(const ProjectIndex &Index, const ClassRef &Registry, llvm::StringRef Attr) {
    llvm::SmallVector<const ClassRef *, 4> Classes{&Registry};
    for (const ClassRef *B : Index.bases(Registry))
      Classes.push_back(B);
    for (const ClassRef *K : Classes)
      for (const MethodSummary &M : K->Class->Methods) {
        if (llvm::is_contained(M.Removes, Attr))
          return true;
        for (const ClearFact &Clear : M.Clears)
          if (Clear.Attr == Attr)
            return true;
        // Reassigning the container (`self._subs = [s for s in self._subs if ...]`) removes too.
        for (const StoreFact &S : M.Stores)
          if (S.Kind == StoreKind::Attribute && S.Target.Kind == ValueKind::Self && S.Attr == Attr &&
              M.Name != "__init__")
            return true;
      }
    return false;
  }
};

} // namespace

std::unique_ptr<Rule> createRegistryKeepsSubscriber() {
  return std::make_unique<RegistryKeepsSubscriber>();
}

} // namespace memlint::wrf
