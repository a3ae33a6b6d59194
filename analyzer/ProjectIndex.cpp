#include "analyzer/ProjectIndex.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace memlint {

ProjectIndex::ProjectIndex(llvm::ArrayRef<ModuleSummary> Mods) : Modules(Mods) {
  for (const ModuleSummary &M : Modules) {
    if (!M.ModuleName.empty())
      ByModule.try_emplace(M.ModuleName, &M); // first wins for duplicate names (sorted paths)
    for (const ClassSummary &C : M.Classes) {
      ClassRef R;
      R.Module = &M;
      R.Class = &C;
      R.QualifiedName = M.ModuleName.empty() ? C.QualifiedName : M.ModuleName + "." + C.QualifiedName;
      Classes.push_back(std::move(R));
    }
  }
  for (size_t I = 0; I < Classes.size(); ++I) {
    ByQualified.try_emplace(Classes[I].QualifiedName, I);
    ByClass[Classes[I].Class] = I;
  }
}

const ModuleSummary *ProjectIndex::module(llvm::StringRef Name) const {
  auto It = ByModule.find(Name);
  return It == ByModule.end() ? nullptr : It->second;
}

const ClassRef *ProjectIndex::classRef(const ClassSummary *C) const {
  auto It = ByClass.find(C);
  return It == ByClass.end() ? nullptr : &Classes[It->second];
}

const ClassRef *ProjectIndex::byQualifiedName(llvm::StringRef Name) const {
  auto It = ByQualified.find(Name);
  return It == ByQualified.end() ? nullptr : &Classes[It->second];
}

const ClassRef *ProjectIndex::resolveClass(const ModuleSummary &From, llvm::StringRef Dotted) const {
  if (Dotted.empty())
    return nullptr;
  return resolveIn(From, Dotted, 0);
}

const ClassRef *ProjectIndex::resolveIn(const ModuleSummary &M, llvm::StringRef Dotted,
                                        unsigned Depth) const {
  if (Depth > 8)
    return nullptr;
  // A class of this module, possibly nested: `Outer.Inner`.
  if (const ClassSummary *C = M.findClass(Dotted))
    return classRef(C);
  auto [Head, Rest] = Dotted.split('.');
  for (auto It = M.Imports.rbegin(); It != M.Imports.rend(); ++It) {
    const ImportFact &I = *It;
    if (I.LocalName != Head)
      continue;
    if (I.Name.empty()) {
      // `import a.b as c` -> c.X is a.b.X; `import a.b` -> a.b.X is written in full.
      if (Rest.empty())
        return nullptr;
      return resolveInModule(I.Module, Rest, Depth + 1);
    }
    // `from m import X` -> X[.Rest] inside m, or the submodule m.X.
    std::string Target = I.Name;
    if (!Rest.empty())
      Target += "." + Rest.str();
    if (const ClassRef *R = resolveInModule(I.Module, Target, Depth + 1))
      return R;
    if (!Rest.empty())
      return resolveInModule(I.Module + "." + I.Name, Rest, Depth + 1);
    return nullptr;
  }
  return nullptr;
}

const ClassRef *ProjectIndex::resolveInModule(llvm::StringRef Module, llvm::StringRef Dotted,
                                              unsigned Depth) const {
  if (const ModuleSummary *M = module(Module))
    if (const ClassRef *R = resolveIn(*M, Dotted, Depth))
      return R;
  // `pkg.sub.Class` reached through the package: try the longest module prefix.
  auto [Head, Rest] = Dotted.split('.');
  if (!Rest.empty())
    if (std::string Sub = Module.str() + "." + Head.str(); module(Sub))
      return resolveInModule(Sub, Rest, Depth + 1);
  return nullptr;
}

std::vector<const ClassRef *> ProjectIndex::bases(const ClassRef &C, bool *AllKnown) const {
  std::vector<const ClassRef *> Out;
  bool Known = true;
  for (const std::string &B : C.Class->Bases) {
    if (B == "object")
      continue;
    const ClassRef *R = resolveClass(*C.Module, B);
    if (R && R->Class != C.Class)
      Out.push_back(R);
    else
      Known = false;
  }
  if (AllKnown)
    *AllKnown = Known;
  return Out;
}

const MethodSummary *ProjectIndex::findMethod(const ClassRef &C, llvm::StringRef Name,
                                              const ClassRef **Owner, bool SkipSelf) const {
  llvm::SmallVector<const ClassRef *, 8> Work{&C};
  llvm::SmallPtrSet<const ClassSummary *, 8> Seen;
  while (!Work.empty()) {
    const ClassRef *Cur = Work.front();
    Work.erase(Work.begin());
    if (!Seen.insert(Cur->Class).second)
      continue;
    if (!(SkipSelf && Cur == &C))
      if (const MethodSummary *M = Cur->Class->method(Name)) {
        if (Owner)
          *Owner = Cur;
        return M;
      }
    for (const ClassRef *B : bases(*Cur))
      Work.push_back(B);
  }
  return nullptr;
}

bool ProjectIndex::derivesFrom(const ClassRef &C, llvm::StringRef BaseName) const {
  llvm::SmallVector<const ClassRef *, 8> Work{&C};
  llvm::SmallPtrSet<const ClassSummary *, 8> Seen;
  while (!Work.empty()) {
    const ClassRef *Cur = Work.pop_back_val();
    if (!Seen.insert(Cur->Class).second)
      continue;
    for (const std::string &B : Cur->Class->Bases) {
      llvm::StringRef Last = llvm::StringRef(B).rsplit('.').second;
      if (Last.empty())
        Last = B;
      if (Last == BaseName)
        return true;
      // The enum module's variants are all enums: IntEnum, StrEnum, Flag, IntFlag.
      if (BaseName == "Enum" && (Last.endswith("Enum") || Last == "Flag" || Last == "IntFlag"))
        return true;
    }
    for (const ClassRef *B : bases(*Cur))
      Work.push_back(B);
  }
  return false;
}

const ClassRef *ProjectIndex::parameterType(const ClassRef *Owner, const ModuleSummary &M,
                                            const MethodSummary &Method, unsigned Param) const {
  if (Param >= Method.Params.size() || Method.Params[Param].Annotation.empty())
    return nullptr;
  llvm::StringRef A = Method.Params[Param].Annotation;
  A.consume_front("Optional[");
  A.consume_back("]");
  (void)Owner;
  return resolveClass(M, A);
}

std::vector<const ClassRef *> ProjectIndex::attributeTypes(const ClassRef &C, llvm::StringRef Attr) const {
  std::vector<const ClassRef *> Out;
  auto Add = [&](const ClassRef *R) {
    if (R && !llvm::is_contained(Out, R))
      Out.push_back(R);
  };
  llvm::SmallVector<const ClassRef *, 8> Work{&C};
  llvm::SmallPtrSet<const ClassSummary *, 8> Seen;
  while (!Work.empty()) {
    const ClassRef *Cur = Work.pop_back_val();
    if (!Seen.insert(Cur->Class).second)
      continue;
    for (const MethodSummary &M : Cur->Class->Methods)
      for (const StoreFact &S : M.Stores) {
        if (S.Kind != StoreKind::Attribute || S.Target.Kind != ValueKind::Self || S.Attr != Attr)
          continue;
        if (S.Value.Kind == ValueKind::Instance)
          Add(resolveClass(*Cur->Module, S.Value.Name));
        else if (S.Value.Kind == ValueKind::Param)
          Add(parameterType(Cur, *Cur->Module, M, S.Value.Param));
        else if (S.Value.Kind == ValueKind::Global)
          Add(globalInstanceType(*Cur->Module, S.Value.Name));
      }
    for (const ClassRef *B : bases(*Cur))
      Work.push_back(B);
  }
  return Out;
}

const ClassRef *ProjectIndex::globalInstanceType(const ModuleSummary &M, llvm::StringRef Name) const {
  std::string Resolved;
  const ModuleSummary *Owner = resolveGlobalModule(M, Name, 0, Resolved);
  if (!Owner)
    return nullptr;
  for (const GlobalInstanceFact &G : Owner->GlobalInstances)
    if (G.Name == Resolved)
      return resolveClass(*Owner, G.TypeName);
  return nullptr;
}

const ModuleSummary *ProjectIndex::resolveGlobalModule(const ModuleSummary &M, llvm::StringRef Name,
                                                       unsigned Depth, std::string &Resolved) const {
  if (Depth > 8)
    return nullptr;
  for (const GlobalInstanceFact &G : M.GlobalInstances)
    if (G.Name == Name) {
      Resolved = Name.str();
      return &M;
    }
  for (const ImportFact &I : M.Imports)
    if (I.LocalName == Name && !I.Name.empty())
      if (const ModuleSummary *Next = module(I.Module))
        return resolveGlobalModule(*Next, I.Name, Depth + 1, Resolved);
  return nullptr;
}

} // namespace memlint
