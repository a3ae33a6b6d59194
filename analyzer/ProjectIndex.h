//===- ProjectIndex.h - classes of the whole project, by qualified name ---===//
//
// Built from module summaries after the per-file phase. Names are resolved the way Python binds
// them: a module's own classes, `import a.b as c`, `from .x import Y as Z`, and re-exports
// through a package's __init__. A name that cannot be resolved stays unknown; it never becomes
// a guess that produces a finding.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Summary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <vector>

namespace memlint {

struct ClassRef {
  const ModuleSummary *Module = nullptr;
  const ClassSummary *Class = nullptr;
  std::string QualifiedName; // module.Class
};

class ProjectIndex {
public:
  explicit ProjectIndex(llvm::ArrayRef<ModuleSummary> Modules);

  llvm::ArrayRef<ModuleSummary> modules() const { return Modules; }
  const std::vector<ClassRef> &classes() const { return Classes; }
  const ModuleSummary *module(llvm::StringRef Name) const;
  const ClassRef *classRef(const ClassSummary *C) const;
  const ClassRef *byQualifiedName(llvm::StringRef Name) const;

  /// The project class a dotted name written in `From` refers to, or null.
  const ClassRef *resolveClass(const ModuleSummary &From, llvm::StringRef Dotted) const;

  /// Resolved project bases, in order; `AllKnown` is false when some base is not a project class
  /// (or could not be resolved), so facts about inherited behaviour are incomplete.
  std::vector<const ClassRef *> bases(const ClassRef &C, bool *AllKnown = nullptr) const;

  /// A method by name on the class or its project bases (depth-first, as Python's MRO does for
  /// single inheritance). `Owner` receives the class that defines it.
  const MethodSummary *findMethod(const ClassRef &C, llvm::StringRef Name,
                                  const ClassRef **Owner = nullptr, bool SkipSelf = false) const;

  /// True if the class or any base is an Enum (instances are singletons) or any base is unknown.
  bool derivesFrom(const ClassRef &C, llvm::StringRef BaseName) const;

  /// The project classes stored in `self.<Attr>` by the class (or its bases): new instances and
  /// parameters annotated with a project class.
  std::vector<const ClassRef *> attributeTypes(const ClassRef &C, llvm::StringRef Attr) const;

  /// The project class of a parameter, from its annotation.
  const ClassRef *parameterType(const ClassRef *Owner, const ModuleSummary &M,
                                const MethodSummary &Method, unsigned Param) const;

  /// The project class of a module-level instance `name = Cls(...)` (following imports).
  const ClassRef *globalInstanceType(const ModuleSummary &M, llvm::StringRef Name) const;

private:
  llvm::ArrayRef<ModuleSummary> Modules;
  std::vector<ClassRef> Classes;
  llvm::StringMap<const ModuleSummary *> ByModule;
  llvm::StringMap<size_t> ByQualified;
  llvm::DenseMap<const ClassSummary *, size_t> ByClass;

  const ClassRef *resolveIn(const ModuleSummary &M, llvm::StringRef Dotted, unsigned Depth) const;
  const ClassRef *resolveInModule(llvm::StringRef Module, llvm::StringRef Dotted,
                                  unsigned Depth) const;
  const ModuleSummary *resolveGlobalModule(const ModuleSummary &M, llvm::StringRef Name,
                                           unsigned Depth, std::string &Resolved) const;
};

} // namespace memlint
