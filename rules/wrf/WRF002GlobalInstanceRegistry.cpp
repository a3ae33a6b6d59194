//===- WRF002GlobalInstanceRegistry.cpp --------------------------------------===//
#include "rules/wrf/WrfRules.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::wrf {

static const RuleInfo Info{
    "WRF002",
    "global-instance-registry",
    "WRF",
    "Instances add themselves to a module- or class-level container that never shrinks",
    R"md(## What it does
Flags a method that adds `self` to a module-level container (`_INSTANCES.append(self)`,
`REGISTRY[self.key] = self`) or a class-level one (`Connection.open_connections.add(self)`),
when the container is a builtin one (a list, dict, set, deque, ... display or call) and nothing
in the module ever removes entries from it.

## Why is this bad?
Module and class attributes live as long as the program. Every instance that registers itself
stays alive forever, with everything it references: the registry grows without bound.

## Example
```python
_connections = []

class Connection:
    def __init__(self, host):
        self.host = host
        _connections.append(self)
```

Use instead:
```python
import weakref

_connections = weakref.WeakSet()

class Connection:
    def __init__(self, host):
        self.host = host
        _connections.add(self)
```
(`weakref.WeakValueDictionary` for a mapping, or remove the instance in `close()`.)

## Not flagged
Containers that are weak (`WeakSet`, `WeakValueDictionary`, ...), or that the module shrinks
somewhere (`remove`, `discard`, `pop`, `clear`, `del`); registry objects of other classes (their
own `add` may prune or hold weakly); and enum-like singletons.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

bool isWeakFactory(llvm::StringRef TypeName) {
  llvm::StringRef Last = TypeName.rsplit('.').second.empty() ? TypeName : TypeName.rsplit('.').second;
  return Last.startswith("Weak");
}

class GlobalInstanceRegistry : public Rule {
public:
  GlobalInstanceRegistry() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    for (const ModuleSummary &M : Ctx.index().modules()) {
      for (const ClassSummary &C : M.Classes) {
        const ClassRef *Ref = Ctx.index().classRef(&C);
        if (!Ref || Ctx.index().derivesFrom(*Ref, "Enum"))
          continue;
        for (const MethodSummary &Method : C.Methods)
          for (const StoreFact &S : Method.Stores)
            check(Ctx, M, C, S);
      }
    }
  }

private:
  void check(ProjectContext &Ctx, const ModuleSummary &M, const ClassSummary &C,
             const StoreFact &S) const {
    if (S.Kind == StoreKind::Attribute || S.Value.Kind != ValueKind::Self)
      return;
    // `self.instances.append(self)` where `instances = []` is a class attribute is the same
    // registry as `Cls.instances.append(self)`.
    if (S.Target.Kind == ValueKind::Self && C.isClassLevel(S.Attr)) {
      StoreFact AsClass = S;
      AsClass.Target.Kind = ValueKind::Global;
      AsClass.Target.Name = C.Name;
      if (!shrinksThroughSelf(C, S.Attr))
        check(Ctx, M, C, AsClass);
      return;
    }
    if (S.Target.Kind != ValueKind::Global)
      return;
    std::string Container = S.Attr.empty() ? S.Target.Name : S.Target.Name + "." + S.Attr;
    // Only builtin containers: a registry object's own add() may well prune or hold weakly.
    if (!isBuiltinContainer(M, S.Target.Name, S.Attr))
      return;
    if (isWeak(M, S.Target.Name, S.Attr) || shrinks(M, Container))
      return;
    Ctx.report(Info, M, S.Where,
               "every `" + C.Name + "` adds itself to `" + Container +
                   "`, which nothing in this module ever removes entries from: instances stay "
                   "alive as long as the program, with everything they reference. Use a "
                   "weakref.WeakSet / WeakValueDictionary, or remove them when they are done");
  }

  static bool isBuiltinContainer(const ModuleSummary &M, llvm::StringRef Name, llvm::StringRef Attr) {
    if (Attr.empty())
      return llvm::is_contained(M.GlobalContainers, Name);
    const ClassSummary *Owner = M.findClass(Name);
    return Owner && llvm::is_contained(Owner->ContainerAttributes, Attr);
  }

  static bool isWeak(const ModuleSummary &M, llvm::StringRef Name, llvm::StringRef Attr) {
    if (Attr.empty()) {
      for (const GlobalInstanceFact &G : M.GlobalInstances)
        if (G.Name == Name)
          return isWeakFactory(G.TypeName);
      return false;
    }
    if (const ClassSummary *Owner = M.findClass(Name))
      for (const GlobalInstanceFact &A : Owner->ClassAttributes)
        if (A.Name == Attr)
          return isWeakFactory(A.TypeName);
    return false;
  }

  static bool shrinksThroughSelf(const ClassSummary &C, llvm::StringRef Attr) {
    return llvm::any_of(C.Methods, [&](const MethodSummary &F) { return llvm::is_contained(F.Removes, Attr); });
  }

  static bool shrinks(const ModuleSummary &M, llvm::StringRef Container) {
    auto In = [&](const MethodSummary &F) { return llvm::is_contained(F.GlobalRemoves, Container); };
    if (llvm::any_of(M.Functions, In))
      return true;
    for (const ClassSummary &C : M.Classes)
      if (llvm::any_of(C.Methods, In))
        return true;
    return false;
  }
};

} // namespace

std::unique_ptr<Rule> createGlobalInstanceRegistry() {
  return std::make_unique<GlobalInstanceRegistry>();
}

} // namespace memlint::wrf
