#include "analyzer/ReferenceGraph.h"

#include "llvm/ADT/GraphTraits.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <memory>
#include <set>

namespace memlint {

namespace {

/// The class-level graph handed to scc_iterator. A synthetic root points at every class so one
/// traversal reaches all of them.
struct ClassGraph {
  struct Node {
    const ClassRef *Class = nullptr;
    std::vector<Node *> Successors;
  };
  std::vector<std::unique_ptr<Node>> Nodes;
  Node Root;
  llvm::DenseMap<const ClassSummary *, Node *> ByClass;

  Node *node(const ClassRef *C) {
    Node *&Slot = ByClass[C->Class];
    if (!Slot) {
      Nodes.push_back(std::make_unique<Node>());
      Slot = Nodes.back().get();
      Slot->Class = C;
      Root.Successors.push_back(Slot);
    }
    return Slot;
  }
  void addEdge(const ClassRef *From, const ClassRef *To) {
    Node *F = node(From), *T = node(To);
    if (!llvm::is_contained(F->Successors, T))
      F->Successors.push_back(T);
  }
};

constexpr unsigned MaxRetentionDepth = 4;

std::string quoted(llvm::StringRef S) { return "`" + S.str() + "`"; }

} // namespace
} // namespace memlint

namespace llvm {
template <> struct GraphTraits<memlint::ClassGraph *> {
  using NodeRef = memlint::ClassGraph::Node *;
  using ChildIteratorType = std::vector<NodeRef>::iterator;
  static NodeRef getEntryNode(memlint::ClassGraph *G) { return &G->Root; }
  static ChildIteratorType child_begin(NodeRef N) { return N->Successors.begin(); }
  static ChildIteratorType child_end(NodeRef N) { return N->Successors.end(); }
};
} // namespace llvm

namespace memlint {

ReferenceGraph::ReferenceGraph(const ProjectIndex &Index) : Index(Index) {
  // Precision over recall: if any class holds `<Attr>` weakly, an object of unknown class may be
  // one of those.
  for (const ClassRef &C : Index.classes())
    for (const std::string &A : C.Class->WeakAttributes)
      WeakEverywhere.try_emplace(A, true);
  findCycles();
  buildComponents();
}

int ReferenceGraph::parameterFor(const MethodSummary &Callee, const ArgumentFact &Arg) {
  unsigned First = Callee.Kind == ir::FunctionKind::StaticMethod ? 0 : 1;
  if (!Arg.Keyword.empty()) {
    for (unsigned I = First; I < Callee.Params.size(); ++I)
      if (Callee.Params[I].Name == Arg.Keyword)
        return static_cast<int>(I);
    return -1;
  }
  if (Arg.Position < 0)
    return -1;
  unsigned Index = First + static_cast<unsigned>(Arg.Position);
  return Index < Callee.Params.size() ? static_cast<int>(Index) : -1;
}

bool ReferenceGraph::isWeakAttribute(const ClassRef &C, llvm::StringRef Attr) const {
  if (llvm::is_contained(C.Class->WeakAttributes, Attr))
    return true;
  for (const ClassRef *B : Index.bases(C))
    if (llvm::is_contained(B->Class->WeakAttributes, Attr))
      return true;
  return false;
}

bool ReferenceGraph::isContainerAttribute(const ClassRef &C, llvm::StringRef Attr) const {
  if (llvm::is_contained(C.Class->ContainerAttributes, Attr))
    return true;
  for (const ClassRef *B : Index.bases(C))
    if (llvm::is_contained(B->Class->ContainerAttributes, Attr))
      return true;
  return false;
}

const StoreFact *ReferenceGraph::attributeBinding(const ClassRef &C, llvm::StringRef Attr) const {
  const StoreFact *Any = nullptr;
  for (const MethodSummary &M : C.Class->Methods)
    for (const StoreFact &S : M.Stores) {
      if (S.Target.Kind != ValueKind::Self || S.Attr != Attr || S.Kind != StoreKind::Attribute)
        continue;
      if (S.Value.Kind != ValueKind::Other && S.Value.Kind != ValueKind::Unknown)
        return &S;
      if (!Any)
        Any = &S;
    }
  return Any;
}

bool ReferenceGraph::isClearedOnTeardown(const ClassRef &C, llvm::StringRef Attr) const {
  llvm::SmallVector<const ClassRef *, 4> Classes{&C};
  for (const ClassRef *B : Index.bases(C))
    Classes.push_back(B);
  for (const ClassRef *K : Classes)
    for (const MethodSummary &M : K->Class->Methods) {
      if (!M.isTeardown())
        continue;
      for (const ClearFact &Clear : M.Clears)
        if (Clear.Attr == Attr)
          return true;
      if (llvm::is_contained(M.Removes, Attr))
        return true;
    }
  return false;
}

bool ReferenceGraph::carriesSelf(const ClassRef &C, ValueKind Kind, llvm::StringRef Name,
                                 bool CapturesSelf) const {
  switch (Kind) {
  case ValueKind::Self:
    return true;
  case ValueKind::Closure:
    return CapturesSelf;
  case ValueKind::SelfAttribute: {
    // `self.on_event` is a bound method when the class defines an instance method of that name
    // (not a property, staticmethod or classmethod, which keep no reference to the instance).
    const MethodSummary *M = Index.findMethod(C, Name);
    return M && M->Kind == ir::FunctionKind::Method && !M->IsProperty;
  }
  default:
    return false;
  }
}

std::optional<ReferenceGraph::Construction>
ReferenceGraph::constructedOnSelf(const ClassRef &C, const StoreFact &S) const {
  if (S.Target.Kind != ValueKind::Self || S.Value.Kind != ValueKind::Instance ||
      isWeakAttribute(C, S.Attr))
    return std::nullopt;
  const ClassRef *T = Index.resolveClass(*C.Module, S.Value.Name);
  if (!T)
    return std::nullopt;
  Construction New{T, nullptr, nullptr};
  New.Init = Index.findMethod(*T, "__init__", &New.Owner);
  if (!New.Init)
    return std::nullopt;
  return New;
}

const std::vector<ReferenceEdge> *
ReferenceGraph::retention(const ClassRef &C, const MethodSummary &M, unsigned Param) const {
  Key K{C.Class, &M, Param};
  auto It = Memo.find(K);
  if (It == Memo.end())
    It = Memo.emplace(K, computeRetention(C, M, Param, 0)).first;
  return It->second ? &*It->second : nullptr;
}

std::optional<std::vector<ReferenceEdge>> ReferenceGraph::computeRetention(const ClassRef &C,
                                                                           const MethodSummary &M,
                                                                           unsigned Param,
                                                                           unsigned Depth) const {
  if (Depth > MaxRetentionDepth)
    return std::nullopt;
  Key K{C.Class, &M, Param};
  if (InProgress[K])
    return std::nullopt; // recursion: no new path through here
  InProgress[K] = true;
  auto Done = [&](std::optional<std::vector<ReferenceEdge>> R) {
    InProgress[K] = false;
    return R;
  };
  auto Edge = [&](const StoreFact &S, std::string Held) {
    ReferenceEdge E;
    E.Module = C.Module;
    E.Where = S.Where;
    E.Holder = &C;
    E.HolderName = C.Class->Name;
    E.Attr = S.Attr;
    E.Container = S.Kind != StoreKind::Attribute;
    E.HeldText = std::move(Held);
    return E;
  };
  const std::string ParamName = Param < M.Params.size() ? M.Params[Param].Name : "?";

  // 1. self.x = param / self.xs.append(param) / self.by_key[k] = param
  for (const StoreFact &S : M.Stores) {
    if (S.Target.Kind != ValueKind::Self || S.Value.Kind != ValueKind::Param ||
        S.Value.Param != Param)
      continue;
    if (isWeakAttribute(C, S.Attr) ||
        (S.Kind == StoreKind::Subscript && !isContainerAttribute(C, S.Attr)))
      continue;
    return Done(std::vector<ReferenceEdge>{Edge(S, "the `" + ParamName + "` argument")});
  }
  // 2. self.x = Other(param): the new object keeps it.
  for (const StoreFact &S : M.Stores) {
    std::optional<Construction> New = constructedOnSelf(C, S);
    if (!New)
      continue;
    const ClassRef *T = New->Type, *Owner = New->Owner;
    const MethodSummary *Init = New->Init;
    for (const ArgumentFact &A : S.Value.Arguments) {
      if (A.Kind != ValueKind::Param || A.Param != Param)
        continue;
      int P = parameterFor(*Init, A);
      if (P < 0)
        continue;
      if (auto Rest = computeRetention(*Owner, *Init, static_cast<unsigned>(P), Depth + 1)) {
        std::vector<ReferenceEdge> Path{Edge(S, quoted(T->Class->Name))};
        Path.insert(Path.end(), Rest->begin(), Rest->end());
        return Done(Path);
      }
    }
  }
  // 3. self.helper.keep(param) / self.keep(param) / super().__init__(param)
  for (const CallFact &Call : M.Calls) {
    for (const ArgumentFact &A : Call.Arguments) {
      if (A.Kind != ValueKind::Param || A.Param != Param)
        continue;
      if (Call.Receiver.Kind == ValueKind::Self) {
        const ClassRef *Owner = nullptr;
        const MethodSummary *Callee =
            Index.findMethod(C, Call.Method, &Owner, /*SkipSelf=*/Call.Receiver.Name == "super");
        if (!Callee || Callee == &M)
          continue;
        int P = parameterFor(*Callee, A);
        if (P >= 0)
          if (auto Rest = computeRetention(C, *Callee, static_cast<unsigned>(P), Depth + 1))
            return Done(Rest);
      } else if (Call.Receiver.Kind == ValueKind::SelfAttribute &&
                 !isWeakAttribute(C, Call.Receiver.Name)) {
        for (const ClassRef *T : Index.attributeTypes(C, Call.Receiver.Name)) {
          const ClassRef *Owner = nullptr;
          const MethodSummary *Callee = Index.findMethod(*T, Call.Method, &Owner);
          if (!Callee)
            continue;
          int P = parameterFor(*Callee, A);
          if (P < 0)
            continue;
          if (auto Rest = computeRetention(*T, *Callee, static_cast<unsigned>(P), Depth + 1)) {
            StoreFact Via;
            Via.Attr = Call.Receiver.Name;
            Via.Where = Call.Where;
            std::vector<ReferenceEdge> Path{Edge(Via, quoted(T->Class->Name))};
            Path.insert(Path.end(), Rest->begin(), Rest->end());
            return Done(Path);
          }
        }
      }
    }
  }
  return Done(std::nullopt);
}

void ReferenceGraph::addCycle(ReferenceCycle Cycle, bool HeldFromOutside) {
  // A cycle the code takes apart on teardown, or that runs through a weak container, is fine.
  for (const ReferenceEdge &E : Cycle.Edges) {
    if (E.Holder && (isWeakAttribute(*E.Holder, E.Attr) || isClearedOnTeardown(*E.Holder, E.Attr)))
      return;
    if (!E.Holder) {
      auto It = WeakEverywhere.find(E.Attr);
      if (It != WeakEverywhere.end() && It->second)
        return;
    }
  }
  // The back-pointer to make weak: when self keeps an object it was given (its parent, its
  // owner), the reference self took; when self created or owns the other object, the reference
  // that object took back to self.
  // A given object kept in a plain attribute is a parent or owner (`self.parent = parent`); kept
  // in a container it is a child the other side points back from (`item.layout = self`).
  Cycle.WeakEdge = HeldFromOutside && !Cycle.Edges.front().Container ? 0 : Cycle.Edges.size() - 1;
  // Once per closing edge (the back-pointer), whichever creator found it first.
  const ReferenceEdge &Back = Cycle.Edges[Cycle.WeakEdge];
  if (!ReportedBackEdges.insert({Back.Module, Back.Where.Range.Begin}).second)
    return;
  Cycles.push_back(std::move(Cycle));
}

void ReferenceGraph::findCyclesIn(const ClassRef &C, const MethodSummary &M) {
  auto SelfEdgeText = [&](ValueKind Kind, llvm::StringRef Name) {
    if (Kind == ValueKind::SelfAttribute)
      return "the bound method `self." + Name.str() + "`";
    if (Kind == ValueKind::Closure)
      return std::string("a closure over `self`");
    return quoted(C.Class->Name);
  };
  auto StoreEdge = [&](const StoreFact &S, const ClassRef *Holder, std::string HolderName,
                       std::string Held) {
    ReferenceEdge E;
    E.Module = C.Module;
    E.Where = S.Where;
    E.Holder = Holder;
    E.HolderName = std::move(HolderName);
    E.Attr = S.Attr;
    E.Container = S.Kind != StoreKind::Attribute;
    E.HeldText = std::move(Held);
    return E;
  };
  // A cycle created at `At`: the edges from self to the object that keeps the argument, then
  // that object's retention path back to the argument, which holds self (A).
  auto CloseCycle = [&](const SummaryLocation &At, std::vector<ReferenceEdge> Forward,
                        const std::vector<ReferenceEdge> &Back, const ArgumentFact &A,
                        bool HeldFromOutside) {
    ReferenceCycle Cycle;
    Cycle.Creator = &C;
    Cycle.CreatorModule = C.Module;
    Cycle.CreatedAt = At;
    Cycle.Edges = std::move(Forward);
    Cycle.Edges.insert(Cycle.Edges.end(), Back.begin(), Back.end());
    Cycle.Edges.back().HeldText = SelfEdgeText(A.Kind, A.Name);
    addCycle(std::move(Cycle), HeldFromOutside);
  };
  auto Carries = [&](const ArgumentFact &A) {
    return carriesSelf(C, A.Kind, A.Name, /*CapturesSelf=*/false);
  };

  // (a) self.x = T(..., self, ...) where T keeps that argument.
  for (const StoreFact &S : M.Stores) {
    std::optional<Construction> New = constructedOnSelf(C, S);
    if (!New)
      continue;
    const ClassRef *T = New->Type, *Owner = New->Owner;
    const MethodSummary *Init = New->Init;
    for (const ArgumentFact &A : S.Value.Arguments) {
      if (!Carries(A))
        continue;
      int P = parameterFor(*Init, A);
      if (P < 0)
        continue;
      if (const auto *Back = retention(*Owner, *Init, static_cast<unsigned>(P)))
        CloseCycle(S.Where, {StoreEdge(S, &C, C.Class->Name, quoted(T->Class->Name))}, *Back, A,
                   /*HeldFromOutside=*/false);
    }
  }

  // (b) self.helper.register(self.on_event) / param.add(self) where the callee keeps it, and
  //     self keeps the receiver.
  for (const CallFact &Call : M.Calls) {
    for (size_t I = 0; I < Call.Arguments.size(); ++I) {
      const ArgumentFact &A = Call.Arguments[I];
      bool CapturesSelf = A.Kind == ValueKind::Closure && A.CapturesSelf;
      if (!carriesSelf(C, A.Kind, A.Name, CapturesSelf))
        continue;
      std::vector<ReferenceEdge> Forward;
      std::vector<const ClassRef *> Types;
      if (Call.Receiver.Kind == ValueKind::SelfAttribute) {
        if (isWeakAttribute(C, Call.Receiver.Name))
          continue;
        Types = Index.attributeTypes(C, Call.Receiver.Name);
        StoreFact Via;
        Via.Attr = Call.Receiver.Name;
        Via.Where = Call.Where;
        if (const StoreFact *Binding = attributeBinding(C, Call.Receiver.Name))
          Via.Where = Binding->Where;
        Forward.push_back(StoreEdge(Via, &C, C.Class->Name, "`self." + Call.Receiver.Name + "`"));
      } else if (Call.Receiver.Kind == ValueKind::Param) {
        const auto *Kept = retention(C, M, Call.Receiver.Param);
        if (!Kept)
          continue;
        Forward = *Kept;
        if (const ClassRef *T = Index.parameterType(&C, *C.Module, M, Call.Receiver.Param))
          Types.push_back(T);
      } else {
        continue;
      }
      for (const ClassRef *T : Types) {
        const ClassRef *Owner = nullptr;
        const MethodSummary *Callee = Index.findMethod(*T, Call.Method, &Owner);
        if (!Callee)
          continue;
        int P = parameterFor(*Callee, A);
        if (P < 0)
          continue;
        if (const auto *Back = retention(*T, *Callee, static_cast<unsigned>(P))) {
          CloseCycle(Call.Where, Forward, *Back, A, Call.Receiver.Kind == ValueKind::Param);
          break;
        }
      }
    }
  }

  // (c) X.attr = self / X.items.append(self) where self keeps X.
  for (const StoreFact &S : M.Stores) {
    if (!carriesSelf(C, S.Value.Kind, S.Value.Name, S.Value.CapturesSelf))
      continue;
    // `other[key] = self` on an object of unknown type may be configuration (a Tk widget), not
    // a store; only attribute stores and container methods count here.
    if (S.Kind == StoreKind::Subscript)
      continue;
    std::vector<ReferenceEdge> Forward;
    std::string XText;
    const ClassRef *XType = nullptr;
    switch (S.Target.Kind) {
    case ValueKind::SelfAttribute: {
      if (isWeakAttribute(C, S.Target.Name))
        continue;
      StoreFact Via;
      Via.Attr = S.Target.Name;
      Via.Where = S.Where;
      if (const StoreFact *Binding = attributeBinding(C, S.Target.Name))
        Via.Where = Binding->Where;
      XText = "self." + S.Target.Name;
      auto Types = Index.attributeTypes(C, S.Target.Name);
      XType = Types.size() == 1 ? Types.front() : nullptr;
      Forward.push_back(
          StoreEdge(Via, &C, C.Class->Name, XType ? quoted(XType->Class->Name) : quoted(XText)));
      break;
    }
    case ValueKind::Param: {
      const auto *Kept = retention(C, M, S.Target.Param);
      if (!Kept)
        continue;
      Forward = *Kept;
      XType = Index.parameterType(&C, *C.Module, M, S.Target.Param);
      XText = M.Params[S.Target.Param].Name;
      break;
    }
    case ValueKind::Instance: {
      // c = Child(); c.owner = self; self.children.append(c)
      const StoreFact *Holding = nullptr;
      for (const StoreFact &O : M.Stores)
        if (O.Target.Kind == ValueKind::Self && O.Value.Local == S.Target.Local &&
            !S.Target.Local.empty() && !isWeakAttribute(C, O.Attr))
          Holding = &O;
      if (!Holding)
        continue;
      XType = Index.resolveClass(*C.Module, S.Target.Name);
      XText = S.Target.Local;
      Forward.push_back(
          StoreEdge(*Holding, &C, C.Class->Name, quoted(XType ? XType->Class->Name : XText)));
      break;
    }
    default:
      continue;
    }
    ReferenceCycle Cycle;
    Cycle.Creator = &C;
    Cycle.CreatorModule = C.Module;
    Cycle.CreatedAt = S.Where;
    Cycle.Edges = std::move(Forward);
    Cycle.Edges.push_back(StoreEdge(S, XType, XText, SelfEdgeText(S.Value.Kind, S.Value.Name)));
    addCycle(std::move(Cycle), S.Target.Kind == ValueKind::Param);
  }
}

void ReferenceGraph::findCycles() {
  // Deterministic order: classes sorted by qualified name, methods in source order.
  std::vector<const ClassRef *> Sorted;
  for (const ClassRef &C : Index.classes())
    Sorted.push_back(&C);
  llvm::sort(Sorted, [](const ClassRef *A, const ClassRef *B) {
    return std::tie(A->QualifiedName, A->Module->Path) <
           std::tie(B->QualifiedName, B->Module->Path);
  });
  for (const ClassRef *C : Sorted)
    for (const MethodSummary &M : C->Class->Methods)
      findCyclesIn(*C, M);
}

void ReferenceGraph::buildComponents() {
  ClassGraph G;
  for (const ClassRef &C : Index.classes()) {
    G.node(&C);
    for (const MethodSummary &M : C.Class->Methods)
      for (const StoreFact &S : M.Stores) {
        if (S.Target.Kind != ValueKind::Self || isWeakAttribute(C, S.Attr))
          continue;
        const ClassRef *T = nullptr;
        if (S.Value.Kind == ValueKind::Instance)
          T = Index.resolveClass(*C.Module, S.Value.Name);
        else if (S.Value.Kind == ValueKind::Param)
          T = Index.parameterType(&C, *C.Module, M, S.Value.Param);
        if (T)
          G.addEdge(&C, T);
      }
  }
  // Confirmed cycles contribute their edges, including self-loops through bound methods.
  for (const ReferenceCycle &Cycle : Cycles) {
    const ClassRef *Prev = Cycle.Creator;
    for (const ReferenceEdge &E : Cycle.Edges)
      if (E.Holder) {
        if (Prev && Prev != E.Holder)
          G.addEdge(Prev, E.Holder);
        Prev = E.Holder;
      }
    if (Prev)
      G.addEdge(Prev, Cycle.Creator);
  }
  unsigned Id = 0;
  for (auto It = llvm::scc_begin(&G); !It.isAtEnd(); ++It, ++Id) {
    const std::vector<ClassGraph::Node *> &Members = *It;
    bool Loop = Members.size() > 1 || It.hasCycle();
    for (ClassGraph::Node *N : Members) {
      if (!N->Class)
        continue; // the synthetic root
      ComponentOf[N->Class->Class] = Id;
      Cyclic[N->Class->Class] = Loop;
    }
  }
}

bool ReferenceGraph::isCyclicClass(const ClassRef *C) const {
  auto It = Cyclic.find(C->Class);
  return It != Cyclic.end() && It->second;
}

} // namespace memlint
