//===- ReferenceGraph.h - who holds whom, and the cycles that follows ------===//
//
// Nodes are project classes; an edge A -> B says an instance of A keeps an instance of B alive
// through an attribute or a container. A class-level edge alone does not make an instance
// cycle (`self.next = Node()` chains nodes, it does not loop), so a cycle is reported only when
// the same instance provably flows back: `self.kids.append(Child(self))` where Child keeps the
// argument, `parent.children.append(self)` after `self.parent = parent`, a bound method of self
// handed to an object self holds. Retention through constructors and methods is summarised per
// (class, method, parameter) and followed interprocedurally to a bounded depth.
//
// Strongly connected components of the class graph (LLVM's scc_iterator) group the classes that
// take part in cycles; each confirmed cycle is reported once, at the edge that closes it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/ProjectIndex.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace memlint {

/// One strong reference in a cycle, located at the statement that creates it.
struct ReferenceEdge {
  const ModuleSummary *Module = nullptr;
  SummaryLocation Where;
  const ClassRef *Holder = nullptr; // null when the holder's class is not known
  std::string HolderName;           // `Parent`, or the argument / local that holds: `parent`
  std::string Attr;                 // `children`
  bool Container = false;
  std::string HeldText;             // "`Child`", "the bound method `self.on_event`"

  /// "`Parent.children`"
  std::string label() const { return "`" + HolderName + "." + Attr + "`"; }
  bool holdsCallable() const {
    return HeldText.find("bound method") != std::string::npos ||
           HeldText.find("closure") != std::string::npos;
  }
};

struct ReferenceCycle {
  std::vector<ReferenceEdge> Edges; // from the class whose code creates it, back to it
  const ClassRef *Creator = nullptr;
  const ModuleSummary *CreatorModule = nullptr;
  SummaryLocation CreatedAt; // where self is handed over
  size_t WeakEdge = 0;       // the edge to make weak: the back-pointer (where it is reported)
};

class ReferenceGraph {
public:
  explicit ReferenceGraph(const ProjectIndex &Index);

  const ProjectIndex &index() const { return Index; }
  const std::vector<ReferenceCycle> &cycles() const { return Cycles; }

  /// Classes grouped by strongly connected component of the class graph; a class in a cycle
  /// of more than one class, or with an edge to itself, is "cyclic".
  bool isCyclicClass(const ClassRef *C) const;
  size_t componentCount() const { return ComponentOf.size(); }

  /// Edges: how an instance of `C`, after running `M`, keeps its parameter `Param` alive.
  /// Empty when it does not (or when that cannot be shown).
  const std::vector<ReferenceEdge> *retention(const ClassRef &C, const MethodSummary &M,
                                              unsigned Param) const;

  /// A value that refers to the method's own instance: self, a bound method of self, a closure
  /// over self.
  bool carriesSelf(const ClassRef &C, ValueKind Kind, llvm::StringRef Name,
                   bool CapturesSelf) const;

  /// Index of the method parameter an argument binds to, or -1.
  static int parameterFor(const MethodSummary &Callee, const ArgumentFact &Arg);

  /// Is `self.<Attr>` of C a weak container or cleared/removed in a teardown method?
  bool isWeakAttribute(const ClassRef &C, llvm::StringRef Attr) const;
  /// `self.<Attr>` is known to hold a builtin container (list, dict, set, deque, ...).
  bool isContainerAttribute(const ClassRef &C, llvm::StringRef Attr) const;
  /// The statement that makes `self.<Attr>` refer to an object (not `= None`), for locations.
  const StoreFact *attributeBinding(const ClassRef &C, llvm::StringRef Attr) const;
  bool isClearedOnTeardown(const ClassRef &C, llvm::StringRef Attr) const;

private:
  const ProjectIndex &Index;
  std::vector<ReferenceCycle> Cycles;
  llvm::DenseMap<const ClassSummary *, unsigned> ComponentOf;
  llvm::DenseMap<const ClassSummary *, bool> Cyclic;
  /// Attribute names some class holds weakly: an object of unknown class (an unannotated
  /// argument) holding `<Attr>` may be one of those, so such a link is not counted as strong.
  llvm::StringMap<bool> WeakEverywhere;
  /// Closing edges already reported (module, offset): each cycle is reported once.
  llvm::DenseSet<std::pair<const ModuleSummary *, uint32_t>> ReportedBackEdges;

  using Key = std::tuple<const ClassSummary *, const MethodSummary *, unsigned>;
  mutable std::map<Key, std::optional<std::vector<ReferenceEdge>>> Memo;
  mutable std::map<Key, bool> InProgress;

  /// `self.x = T(...)` (strongly held) where T is a project class with a known __init__ (defined
  /// on T or, as Owner, on a base).
  struct Construction {
    const ClassRef *Type;
    const ClassRef *Owner;
    const MethodSummary *Init;
  };
  std::optional<Construction> constructedOnSelf(const ClassRef &C, const StoreFact &S) const;

  std::optional<std::vector<ReferenceEdge>> computeRetention(const ClassRef &C,
                                                             const MethodSummary &M,
                                                             unsigned Param, unsigned Depth) const;
  void findCycles();
  void findCyclesIn(const ClassRef &C, const MethodSummary &M);
  void buildComponents();
  void addCycle(ReferenceCycle Cycle, bool HeldFromOutside);
};

} // namespace memlint
