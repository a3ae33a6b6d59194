#include "rules/cyc/CycSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::cyc {

const char *const CycleCost =
    "reference counting never frees it: it waits for the cyclic garbage collector (a later "
    "pause, never under gc.disable()) and keeps everything it references alive until then";

void forEachSelfLoop(const ReferenceGraph &Graph, const std::function<void(const SelfLoop &)> &Fn) {
  const ProjectIndex &Index = Graph.index();
  for (const ClassRef &C : Index.classes()) {
    for (const MethodSummary &M : C.Class->Methods) {
      const StoreFact *Previous = nullptr; // one statement storing a display reports once
      for (const StoreFact &S : M.Stores) {
        if (Previous && Previous->Where.Range.Begin == S.Where.Range.Begin && Previous->Attr == S.Attr)
          continue;
        if (S.Target.Kind != ValueKind::Self || S.Attr.empty())
          continue;
        if (Graph.isWeakAttribute(C, S.Attr) || Graph.isClearedOnTeardown(C, S.Attr))
          continue;
        if (S.Kind == StoreKind::Subscript && !Graph.isContainerAttribute(C, S.Attr))
          continue; // `self.widget["command"] = ...` configures a widget; it stores nothing
        if (C.Class->isClassLevel(S.Attr))
          continue; // `self.instances.append(self)` on a class-level list: WRF002's case

        SelfLoopKind Kind;
        if (S.Value.Kind == ValueKind::Self)
          Kind = SelfLoopKind::Self;
        else if (S.Value.Kind == ValueKind::Closure && S.Value.CapturesSelf)
          Kind = SelfLoopKind::Closure;
        else if (S.Value.Kind == ValueKind::SelfAttribute &&
                 Graph.carriesSelf(C, S.Value.Kind, S.Value.Name, false))
          Kind = SelfLoopKind::BoundMethod;
        else
          continue;
        Previous = &S;
        Fn(SelfLoop{&C, &M, &S, Kind});
      }
    }
  }
}

std::string describeStoreTarget(const StoreFact &S) {
  switch (S.Kind) {
  case StoreKind::Attribute:
    return "`self." + S.Attr + "`";
  case StoreKind::ContainerAdd:
    return "the container `self." + S.Attr + "`";
  case StoreKind::Subscript:
    return "the mapping `self." + S.Attr + "`";
  }
  return "`self." + S.Attr + "`";
}

std::string describeCycle(const ReferenceCycle &Cycle) {
  std::string Out = "`" + Cycle.Creator->Class->Name + "`";
  for (const ReferenceEdge &E : Cycle.Edges) {
    Out += " → ." + E.Attr + (E.Container ? "[…]" : "") + " → ";
    Out += E.HeldText;
  }
  return Out;
}

} // namespace memlint::cyc
