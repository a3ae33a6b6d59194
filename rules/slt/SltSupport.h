//===- SltSupport.h - shared facts for the SLT (__slots__) family -----------===//
//
// Whether `__slots__` helps, is defeated, or breaks something depends on the whole hierarchy
// and on how the project uses instances, so every SLT rule asks the same questions of the same
// project-wide view: which classes derive from which, which bases are slotted, where a class is
// instantiated (and whether that happens many times), and which attributes code outside the
// class sets on its instances. A question that cannot be answered from the project (a base
// from a library, a dynamic `__slots__`) makes the rule stay silent.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/ProjectIndex.h"
#include "rules/Rule.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <optional>
#include <string>
#include <vector>

namespace memlint::slt {

/// Per-instance bytes of a class instance on 64-bit CPython 3.11 whose `__init__` sets
/// `Attributes` attributes, with a `__dict__` (and `__weakref__`) versus with `__slots__`
/// naming exactly those attributes. Measured with tracemalloc; see SltSupport.cpp.
struct InstanceBytes {
  unsigned WithDict = 0;
  unsigned WithSlots = 0;
};
InstanceBytes estimateInstanceBytes(unsigned Attributes);

/// A test module (`tests/…`, `test_*.py`, `*_test.py`, `conftest.py`): loops there run over
/// test cases, not production data, so they are no evidence of many instances.
bool isTestPath(llvm::StringRef Path);

/// `instantiated in a loop (app/load.py:14)` and the like, for messages.
std::string describeEvidence(const RepeatedCallFact &Use, const ModuleSummary &In);

/// "`x`, `y` and `z`".
std::string listNames(llvm::ArrayRef<std::string> Names, size_t Max = 6);

/// `("x", "y")` for a suggested `__slots__` value.
std::string slotsTuple(llvm::ArrayRef<std::string> Names);

/// `__x` inside class `_Point` is stored as `_Point__x`.
std::string mangle(llvm::StringRef Attr, llvm::StringRef ClassName);

/// `Head` (as written in M) names `Module.Name` through M's imports: `t.Generic` after
/// `import typing as t`, `NT` after `from typing import NamedTuple as NT`.
bool importedName(const ModuleSummary &M, llvm::StringRef Head, llvm::StringRef Module,
                  llvm::StringRef Name);

/// The attributes a method assigns on `self` (`self.x = ...`, `self.x: T = ...`).
std::vector<const StoreFact *> selfAttributeStores(const MethodSummary &Method);

/// Everything SLT rules ask of the project, computed once per rule run.
class SlotsView {
public:
  explicit SlotsView(const ProjectIndex &Index);

  const ProjectIndex &index() const { return Index; }

  /// The class's own layout: slotted (`__slots__`, `@dataclass(slots=True)`) or with a dict.
  static bool declaresSlots(const ClassSummary &C);
  /// The names the class itself adds as slots: `__slots__` entries, or the fields of a
  /// `@dataclass(slots=True)` (plus `__weakref__` for `weakref_slot=True`). Mangled.
  static std::vector<std::string> ownSlots(const ClassSummary &C);

  /// A positional base that is not a project class but whose layout is known: `object`, and
  /// the stdlib bases that declare `__slots__ = ()` (abc.ABC, typing.Generic[...]).
  bool isEmptySlottedLibraryBase(const ModuleSummary &M, const BaseShapeFact &B) const;

  /// Every base of C, resolved: project classes in `Project`, false if any base is neither a
  /// project class nor an empty-slotted library base (the layout is then unknown).
  bool resolveBases(const ClassRef &C, std::vector<const ClassRef *> &Project) const;

  /// C and every project ancestor, nearest first; false if some layout in there is unknown.
  bool ancestry(const ClassRef &C, std::vector<const ClassRef *> &Out) const;

  /// Every project class that derives from C, directly or not.
  std::vector<const ClassRef *> subclasses(const ClassRef &C) const;

  /// Where the project (outside its tests) creates many instances of exactly this class, or
  /// null.
  const std::pair<const ModuleSummary *, const RepeatedCallFact *> *
  repeatedUse(const ClassRef &C) const;
  /// Code in the project passes new instances of the class to weakref.ref / proxy / finalize.
  bool isWeaklyReferenced(const ClassRef &C) const { return WeaklyReferenced.count(C.Class) != 0; }
  /// The project calls the class itself somewhere.
  bool isInstantiated(const ClassRef &C) const { return Instantiated.count(C.Class) != 0; }

  /// Attributes that code outside the class assigns on its instances (`p = Point(); p.z = 1`
  /// or through a parameter annotated with the class).
  const llvm::StringSet<> *externalStores(const ClassRef &C) const;

  /// No subclass needs a dict or could not take C's slots alongside its other bases (two
  /// bases with non-empty slots cannot be combined: "multiple bases have instance lay-out
  /// conflict").
  bool subclassesAcceptSlots(const ClassRef &C) const;

private:
  const ProjectIndex &Index;
  llvm::DenseMap<const ClassSummary *, std::vector<const ClassRef *>> DirectSubclasses;
  llvm::DenseMap<const ClassSummary *, std::pair<const ModuleSummary *, const RepeatedCallFact *>>
      Repeated;
  llvm::DenseMap<const ClassSummary *, bool> Instantiated, WeaklyReferenced;
  llvm::DenseMap<const ClassSummary *, llvm::StringSet<>> External;
};

/// A class that only holds a fixed set of attributes and is created many times: what SLT001
/// (plain classes) and SLT002 (dataclasses) report.
struct DataHolder {
  std::vector<std::string> Attributes; // the slots it would declare, in assignment order
  unsigned InheritedSlots = 0;         // slots its bases already declare
  bool NeedsWeakref = false;           // the hierarchy takes weak references to instances
  const ModuleSummary *EvidenceModule = nullptr;
  const RepeatedCallFact *Evidence = nullptr;
};

/// C has no `__slots__` (nor slots=True), is instantiated many times outside tests, only its
/// `__init__` assigns attributes (or only its fields, for a dataclass), nothing in it, its
/// subclasses or the
/// code using it needs an instance `__dict__`, and every base is slotted: adding slots to C alone
/// removes the dict. Otherwise nullopt.
std::optional<DataHolder> manyInstanceDataHolder(const SlotsView &View, const ClassRef &C);

/// Decorators that leave a class's layout alone.
bool isLayoutNeutralDecorator(llvm::StringRef Dotted);

} // namespace memlint::slt
