//===- SltSupport.cpp - shared facts for the SLT (__slots__) family ---------===//
#include "rules/slt/SltSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

namespace memlint::slt {

// Bytes per instance of `class C` whose `__init__` sets N attributes (always in the same order),
// measured on CPython 3.11.7 (64-bit Linux) with tracemalloc over 50,000-100,000 instances, less
// the list holding them:
//
//   names = [f"a{i}" for i in range(n)]
//   C = type("C", (), {"__init__": <def __init__(self): self.a0 = None; ...>})   # dict
//   S = type("S", (), {"__slots__": tuple(names), "__init__": <same>})          # slots
//   tracemalloc.start(); objs = [C() for _ in range(COUNT)]; ...
//
// A slotted instance is 32 + 8*N bytes (GC header, object header, one pointer per slot). A
// dict-based one keeps its attribute values inline in a separately allocated values array
// (3.11's key-sharing dictionaries): 72 + 8*N bytes plus a growing prefix, so the saving is
// 40-64 bytes per instance. From 30 attributes on, CPython 3.11 stops sharing the keys and
// every instance gets a dict of its own (1640 bytes up to 85 attributes, 3384 from 86).
static const unsigned DictInstanceBytes[30] = {72,  80,  88,  96,  104, 112, 128, 136, 144, 152,
                                               160, 168, 176, 184, 200, 208, 216, 224, 232, 240,
                                               248, 256, 272, 280, 288, 296, 304, 312, 320, 320};

InstanceBytes estimateInstanceBytes(unsigned Attributes) {
  InstanceBytes B;
  B.WithSlots = 32 + 8 * Attributes;
  if (Attributes < 30)
    B.WithDict = DictInstanceBytes[Attributes];
  else
    B.WithDict = Attributes <= 85 ? 1640 : 3384;
  return B;
}

bool isTestPath(llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Path.split(Parts, '/');
  for (size_t I = 0; I + 1 < Parts.size(); ++I) {
    llvm::StringRef Dir = Parts[I];
    if (Dir == "test" || Dir == "tests" || Dir == "testing" || Dir.endswith("_test") ||
        Dir.endswith("_tests") || Dir.startswith("test_"))
      return true;
  }
  llvm::StringRef File = Parts.empty() ? Path : Parts.back();
  return File.startswith("test_") || File.endswith("_test.py") || File == "conftest.py" ||
         File == "tests.py";
}

std::string describeEvidence(const RepeatedCallFact &Use, const ModuleSummary &In) {
  std::string Where = In.Path + ":" + std::to_string(Use.Where.Start.Line);
  if (Use.Context == "map()")
    return "for every item of a `map()` (" + Where + ")";
  return "in " + Use.Context.str() + " (" + Where + ")";
}

std::string listNames(llvm::ArrayRef<std::string> Names, size_t Max) {
  std::string Out;
  size_t Shown = std::min(Names.size(), Max);
  for (size_t I = 0; I < Shown; ++I) {
    if (I > 0)
      Out += I + 1 == Shown && Shown == Names.size() ? " and " : ", ";
    Out += "`" + Names[I] + "`";
  }
  if (Shown < Names.size())
    Out += " and " + std::to_string(Names.size() - Shown) + " more";
  return Out;
}

std::string slotsTuple(llvm::ArrayRef<std::string> Names) {
  std::string Out = "(";
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I > 0)
      Out += ", ";
    Out += "\"" + Names[I] + "\"";
  }
  if (Names.size() == 1)
    Out += ",";
  return Out + ")";
}

std::string mangle(llvm::StringRef Attr, llvm::StringRef ClassName) {
  llvm::StringRef Stripped = ClassName.ltrim('_');
  if (!Attr.startswith("__") || Attr.endswith("__") || Stripped.empty())
    return Attr.str();
  return ("_" + Stripped + Attr).str();
}

std::vector<const StoreFact *> selfAttributeStores(const MethodSummary &Method) {
  std::vector<const StoreFact *> Out;
  if (Method.Kind != ir::FunctionKind::Method)
    return Out;
  for (const StoreFact &S : Method.Stores)
    if (S.Kind == StoreKind::Attribute && S.Target.Kind == ValueKind::Self &&
        S.Target.Name != "super")
      Out.push_back(&S);
  return Out;
}

bool isLayoutNeutralDecorator(llvm::StringRef Dotted) {
  return Dotted == "total_ordering" || Dotted == "functools.total_ordering" || Dotted == "final" ||
         Dotted == "typing.final" || Dotted == "typing_extensions.final";
}

//===----------------------------------------------------------------------===//
// SlotsView
//===----------------------------------------------------------------------===//

bool importedName(const ModuleSummary &M, llvm::StringRef Head, llvm::StringRef Module,
                  llvm::StringRef Name) {
  auto [First, Rest] = Head.split('.');
  for (const ImportFact &I : M.Imports) {
    if (I.LocalName != First)
      continue;
    if (I.Name.empty()) // import typing [as t]
      return I.Module == Module && Rest == Name;
    return Rest.empty() && I.Module == Module && I.Name == Name;
  }
  return false;
}

SlotsView::SlotsView(const ProjectIndex &Index) : Index(Index) {
  for (const ClassRef &C : Index.classes())
    for (const ClassRef *B : Index.bases(C))
      DirectSubclasses[B->Class].push_back(&C);
  for (const ModuleSummary &M : Index.modules()) {
    if (!isTestPath(M.Path))
      for (const RepeatedCallFact &R : M.RepeatedInstantiations)
        if (const ClassRef *C = Index.resolveClass(M, R.Callee))
          Repeated.try_emplace(C->Class, &M, &R);
    for (const std::string &Name : M.WeakrefTargets)
      if (const ClassRef *C = Index.resolveClass(M, Name))
        WeaklyReferenced[C->Class] = true;
    for (const std::string &Name : M.InstantiatedNames)
      if (const ClassRef *C = Index.resolveClass(M, Name))
        Instantiated[C->Class] = true;
    auto NoteStores = [&](const MethodSummary &F) {
      for (const StoreFact &S : F.Stores) {
        if (S.Kind != StoreKind::Attribute)
          continue;
        const ClassRef *Target = nullptr;
        if (S.Target.Kind == ValueKind::Instance)
          Target = Index.resolveClass(M, S.Target.Name);
        else if (S.Target.Kind == ValueKind::Param)
          Target = Index.parameterType(nullptr, M, F, S.Target.Param);
        if (Target)
          External[Target->Class].insert(S.Attr);
      }
    };
    for (const MethodSummary &F : M.Functions)
      NoteStores(F);
    for (const ClassSummary &C : M.Classes)
      for (const MethodSummary &F : C.Methods)
        NoteStores(F);
  }
}

bool SlotsView::declaresSlots(const ClassSummary &C) {
  return C.Slots != ir::SlotsKind::Absent || (C.Dataclass && C.DataclassSlots);
}

std::vector<std::string> SlotsView::ownSlots(const ClassSummary &C) {
  std::vector<std::string> Out;
  if (C.Slots != ir::SlotsKind::Absent) {
    for (const std::string &S : C.SlotNames)
      Out.push_back(mangle(S, C.Name));
    return Out;
  }
  if (C.Dataclass && C.DataclassSlots) {
    for (const ClassVariableFact &V : C.Shape.Variables)
      if (V.Annotated && !V.ClassVar)
        Out.push_back(V.Name);
    if (C.Shape.DataclassWeakrefSlot)
      Out.push_back("__weakref__");
  }
  return Out;
}

bool SlotsView::isEmptySlottedLibraryBase(const ModuleSummary &M, const BaseShapeFact &B) const {
  if (B.Form == ' ')
    return B.Head == "builtins.object" || importedName(M, B.Head, "abc", "ABC");
  if (B.Form == '[')
    return importedName(M, B.Head, "typing", "Generic") ||
           importedName(M, B.Head, "typing_extensions", "Generic");
  return false;
}

bool SlotsView::resolveBases(const ClassRef &C, std::vector<const ClassRef *> &Project) const {
  const ClassSummary &CS = *C.Class;
  if (CS.Shape.BaseShapes.size() != CS.Bases.size())
    return false;
  for (size_t I = 0; I < CS.Bases.size(); ++I) {
    const BaseShapeFact &B = CS.Shape.BaseShapes[I];
    if (isEmptySlottedLibraryBase(*C.Module, B))
      continue;
    if (B.Form != ' ')
      return false;
    const ClassRef *R = Index.resolveClass(*C.Module, CS.Bases[I]);
    if (!R || R->Class == C.Class)
      return false;
    Project.push_back(R);
  }
  return true;
}

bool SlotsView::ancestry(const ClassRef &C, std::vector<const ClassRef *> &Out) const {
  llvm::SmallPtrSet<const ClassSummary *, 8> Seen;
  Out.push_back(&C);
  Seen.insert(C.Class);
  for (size_t I = 0; I < Out.size(); ++I) {
    std::vector<const ClassRef *> Bases;
    if (!resolveBases(*Out[I], Bases))
      return false;
    for (const ClassRef *B : Bases)
      if (Seen.insert(B->Class).second)
        Out.push_back(B);
    if (Out.size() > 64)
      return false;
  }
  return true;
}

std::vector<const ClassRef *> SlotsView::subclasses(const ClassRef &C) const {
  std::vector<const ClassRef *> Out;
  llvm::SmallPtrSet<const ClassSummary *, 8> Seen{C.Class};
  llvm::SmallVector<const ClassSummary *, 8> Work{C.Class};
  while (!Work.empty()) {
    auto It = DirectSubclasses.find(Work.pop_back_val());
    if (It == DirectSubclasses.end())
      continue;
    for (const ClassRef *S : It->second)
      if (Seen.insert(S->Class).second) {
        Out.push_back(S);
        Work.push_back(S->Class);
      }
  }
  return Out;
}

const std::pair<const ModuleSummary *, const RepeatedCallFact *> *
SlotsView::repeatedUse(const ClassRef &C) const {
  auto It = Repeated.find(C.Class);
  return It == Repeated.end() ? nullptr : &It->second;
}

const llvm::StringSet<> *SlotsView::externalStores(const ClassRef &C) const {
  auto It = External.find(C.Class);
  return It == External.end() ? nullptr : &It->second;
}

bool SlotsView::subclassesAcceptSlots(const ClassRef &C) const {
  for (const ClassRef *S : subclasses(C)) {
    if (!S->Class->Shape.NeedsDict.empty())
      return false;
    if (S->Class->Bases.size() < 2)
      continue;
    std::vector<const ClassRef *> Bases;
    if (!resolveBases(*S, Bases))
      return false; // a library base may have a layout of its own
    for (const ClassRef *B : Bases) {
      std::vector<const ClassRef *> Line;
      if (!ancestry(*B, Line))
        return false;
      if (llvm::any_of(Line, [&](const ClassRef *A) { return A->Class == C.Class; }))
        continue; // the branch C is on
      for (const ClassRef *A : Line)
        if (!ownSlots(*A->Class).empty() || A->Class->Slots == ir::SlotsKind::Dynamic)
          return false;
    }
  }
  return true;
}

} // namespace memlint::slt

namespace memlint::slt {

static bool isDataclassDecorator(llvm::StringRef Dotted) {
  return Dotted == "dataclass" || Dotted == "dataclasses.dataclass";
}

std::optional<DataHolder> manyInstanceDataHolder(const SlotsView &View, const ClassRef &C) {
  const ClassSummary &CS = *C.Class;
  if (CS.Slots != ir::SlotsKind::Absent || (CS.Dataclass && CS.DataclassSlots) ||
      CS.Shape.DataclassSlotsGiven || !CS.Shape.ClassKeywords.empty() ||
      !CS.Shape.NeedsDict.empty())
    return std::nullopt;
  for (const std::string &D : CS.Decorators)
    if (!isLayoutNeutralDecorator(D) && !(CS.Dataclass && isDataclassDecorator(D)))
      return std::nullopt;
  const auto *Use = View.repeatedUse(C);
  if (!Use)
    return std::nullopt;

  // Every base must already be slotted, or C's slots would not remove the dict.
  std::vector<const ClassRef *> Line;
  if (!View.ancestry(C, Line))
    return std::nullopt;
  llvm::StringSet<> Inherited, ClassNames;
  DataHolder Out;
  for (const ClassRef *A : Line) {
    const ClassSummary &AS = *A->Class;
    if (A != Line.front()) {
      if (!SlotsView::declaresSlots(AS) || AS.Slots == ir::SlotsKind::Dynamic ||
          !AS.Shape.NeedsDict.empty())
        return std::nullopt;
      for (const std::string &S : SlotsView::ownSlots(AS))
        Inherited.insert(S);
    }
    for (const ClassVariableFact &V : AS.Shape.Variables)
      if (!(CS.Dataclass && A == Line.front() && V.Annotated))
        ClassNames.insert(V.Name);
    for (const MethodSummary &M : AS.Methods)
      ClassNames.insert(M.Name);
    if (!AS.Shape.WeakrefsToSelf.empty())
      Out.NeedsWeakref = true;
  }
  if (View.isWeaklyReferenced(C))
    Out.NeedsWeakref = true;
  if (Inherited.count("__weakref__"))
    Out.NeedsWeakref = false;

  llvm::StringSet<> Known;
  for (const auto &S : Inherited)
    Out.InheritedSlots += S.getKey() != "__weakref__";
  auto Add = [&](const std::string &Name) {
    if (Inherited.count(Name))
      return;
    if (Known.insert(Name).second)
      Out.Attributes.push_back(Name);
  };
  if (CS.Dataclass) {
    for (const ClassVariableFact &V : CS.Shape.Variables)
      if (V.Annotated && !V.ClassVar)
        Add(V.Name);
  } else {
    const MethodSummary *Init = CS.method("__init__");
    if (!Init)
      return std::nullopt;
    for (const StoreFact *S : selfAttributeStores(*Init))
      Add(mangle(S->Attr, CS.Name));
  }
  if (Out.Attributes.empty())
    return std::nullopt;
  for (const std::string &A : Out.Attributes)
    if (ClassNames.count(A))
      return std::nullopt; // a class variable, property or method of that name
  auto IsKnown = [&](llvm::StringRef Name) {
    return Known.count(Name) != 0 || Inherited.count(Name) != 0;
  };
  // A data holder: only __init__ assigns attributes (a dataclass's methods may assign its
  // fields). A class whose other methods assign attributes is a stateful object (a parser, a
  // reader), where the per-instance dict is rarely what matters.
  for (const MethodSummary &M : CS.Methods)
    for (const StoreFact *S : selfAttributeStores(M))
      if (CS.Dataclass ? !IsKnown(mangle(S->Attr, CS.Name)) : M.Name != "__init__")
        return std::nullopt;
  if (const llvm::StringSet<> *External = View.externalStores(C))
    for (const auto &E : *External)
      if (!IsKnown(E.getKey()))
        return std::nullopt;
  if (!View.subclassesAcceptSlots(C))
    return std::nullopt;
  Out.EvidenceModule = Use->first;
  Out.Evidence = Use->second;
  return Out;
}

} // namespace memlint::slt
