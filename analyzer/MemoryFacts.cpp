//===- MemoryFacts.cpp - per-module facts for the __slots__ and hotspot rules -===//
#include "analyzer/MemoryFacts.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>

namespace memlint {

using namespace ir;

//===----------------------------------------------------------------------===//
// Imports and decorators
//===----------------------------------------------------------------------===//

bool refersTo(const Module &M, StringRef Dotted, StringRef Module, StringRef Attr) {
  if (Dotted.empty())
    return false;
  auto [Head, Rest] = Dotted.split('.');
  for (const ImportStmt *I : M.imports())
    for (const ImportAlias &A : I->Names) {
      if (A.boundName() != Head)
        continue;
      if (A.AsName.empty()) // `import a.b` binds `a`; the chain is written in full
        return Dotted.size() == Module.size() + 1 + Attr.size() && Dotted.startswith(Module) &&
               Dotted[Module.size()] == '.' && Dotted.endswith(Attr);
      if (A.Name == Module && Rest == Attr) // `import functools as ft` -> ft.cache
        return true;
    }
  if (!Rest.empty())
    return false;
  for (const ImportFromStmt *I : M.importFroms())
    if (I->Level == 0 && I->Module == Module)
      for (const ImportAlias &A : I->Names)
        if (A.boundName() == Head && A.Name == Attr)
          return true;
  return false;
}

CacheDecorator classifyCacheDecorator(const Module &M, const Decorator &D) {
  CacheDecorator Out;
  if (refersTo(M, D.DottedName, "functools", "cache")) {
    if (D.Call)
      return Out; // `cache` takes no arguments: something else
    Out.Kind = FunctoolsCache::Cache;
    Out.Unbounded = true;
    return Out;
  }
  if (!refersTo(M, D.DottedName, "functools", "lru_cache"))
    return Out;
  Out.Kind = FunctoolsCache::LruCache;
  if (D.Call) {
    const Expr *MaxSize = D.Call->keyword("maxsize");
    if (!MaxSize && !D.Call->Args.empty() && D.Call->Args[0].Kind == ArgKind::Positional)
      MaxSize = D.Call->Args[0].Value;
    if (const auto *K = dyn_cast_or_null<ConstantExpr>(MaxSize))
      Out.Unbounded = K->Value == ConstantKind::None;
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// LoopWalker
//===----------------------------------------------------------------------===//

const LoopWalker::Loop *LoopWalker::innermostManyIterationLoop() const {
  for (auto It = Loops.rbegin(); It != Loops.rend(); ++It)
    if (!It->FewIterations)
      return &*It;
  return nullptr;
}

static std::optional<uint64_t> integerLiteral(const Module &M, const Expr *E) {
  const auto *K = dyn_cast_or_null<ConstantExpr>(E);
  if (!K || K->Value != ConstantKind::Integer)
    return std::nullopt;
  std::string Digits;
  for (char C : M.text(E))
    if (C != '_')
      Digits += C;
  uint64_t Value = 0;
  if (llvm::StringRef(Digits).getAsInteger(10, Value))
    return std::nullopt;
  return Value;
}

/// A module-level name bound once, at the top level, to a display: a table written in the
/// source (`SCHEMES = {...}`), possibly through `.items()` / `.keys()` / `.values()` or `[key]`.
static bool isLiteralTable(const Module &M, const Expr *E) {
  while (true) {
    if (const auto *C = dyn_cast<CallExpr>(E); C && C->Args.empty())
      if (const auto *A = dyn_cast<AttributeExpr>(C->Callee);
          A && (A->Attr == "items" || A->Attr == "keys" || A->Attr == "values")) {
        E = A->Object;
        continue;
      }
    if (const auto *S = dyn_cast<SubscriptExpr>(E)) {
      E = S->Value;
      continue;
    }
    break;
  }
  const auto *N = dyn_cast<NameExpr>(E);
  if (!N || !N->Sym || N->Sym->Owner->Kind != ScopeKind::Module)
    return false;
  unsigned Stores = 0;
  for (const NameExpr *Ref : N->Sym->Refs)
    Stores += Ref->Ctx != ExprContext::Load;
  if (Stores != 1)
    return false;
  // The binding may sit in a module-level `if` / `try`, not in a function or class.
  struct Finder : Walker {
    const Symbol *Sym;
    bool Display = false;
    explicit Finder(const Symbol *S) : Sym(S) {}
    bool visitStmt(const Stmt *S) override {
      if (isa<FunctionDef>(S) || isa<ClassDef>(S))
        return false;
      if (const auto *A = dyn_cast<AssignStmt>(S); A && A->Targets.size() == 1)
        if (const auto *T = dyn_cast<NameExpr>(A->Targets[0]); T && T->Sym == Sym)
          Display = isa<SequenceExpr>(A->Value) || isa<DictExpr>(A->Value);
      return true;
    }
  } F(N->Sym);
  F.walk(M.body());
  return F.Display;
}

bool LoopWalker::fewIterations(const Expr *Iter) const {
  if (!Iter)
    return false;
  if (isLiteralTable(M, Iter))
    return true;
  if (const auto *S = dyn_cast<SequenceExpr>(Iter))
    return llvm::none_of(S->Elements, [](const Expr *E) { return isa<UnaryValueExpr>(E); });
  if (isa<DictExpr>(Iter) || isa<ConstantExpr>(Iter))
    return true;
  // range(K) / range(A, K) with literal bounds: a fixed, small count.
  const auto *C = dyn_cast<CallExpr>(Iter);
  const auto *Callee = C ? dyn_cast<NameExpr>(C->Callee) : nullptr;
  if (!Callee || Callee->Id != "range" || !M.isBuiltin(Callee) || C->Args.empty() ||
      C->Args.size() > 2)
    return false;
  std::optional<uint64_t> Start = C->Args.size() == 2 ? integerLiteral(M, C->Args[0].Value) : 0;
  std::optional<uint64_t> Stop = integerLiteral(M, C->Args.back().Value);
  return Start && Stop && (*Stop <= *Start || *Stop - *Start <= 1000);
}

template <typename Fn> void LoopWalker::inNewFrame(const FunctionDef *F, Fn &&Body) {
  llvm::SmallVector<Loop, 4> SavedLoops;
  std::swap(SavedLoops, Loops);
  const FunctionDef *SavedFunction = Function;
  Function = F;
  Body();
  Function = SavedFunction;
  std::swap(SavedLoops, Loops);
}

bool LoopWalker::visitStmt(const Stmt *S) {
  if (!onStmt(S))
    return false;
  switch (S->Kind) {
  case StmtKind::For: {
    const auto *F = cast<ForStmt>(S);
    walk(F->Iter);
    Loops.push_back({S, nullptr, fewIterations(F->Iter)});
    walk(F->Target);
    walk(F->Loop);
    Loops.pop_back();
    walk(F->OrElse);
    return false;
  }
  case StmtKind::While: {
    const auto *W = cast<WhileStmt>(S);
    Loops.push_back({S, nullptr, false});
    walk(W->Test);
    walk(W->Then);
    Loops.pop_back();
    walk(W->OrElse);
    return false;
  }
  case StmtKind::FunctionDef: {
    const auto *F = cast<FunctionDef>(S);
    for (const Decorator &D : F->Decorators)
      walk(D.Value);
    for (const Parameter &P : F->Params) {
      walk(P.Default);
      walk(P.Annotation);
    }
    walk(F->Returns);
    inNewFrame(F, [&] { walk(F->Inner); });
    return false;
  }
  case StmtKind::ClassDef: {
    const auto *C = cast<ClassDef>(S);
    for (const Decorator &D : C->Decorators)
      walk(D.Value);
    for (const Argument &A : C->Bases)
      walk(A.Value);
    inNewFrame(nullptr, [&] { walk(C->Inner); });
    return false;
  }
  default:
    return true;
  }
}

bool LoopWalker::visitExpr(const Expr *E) {
  if (!onExpr(E))
    return false;
  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    for (const Parameter &P : L->Params)
      walk(P.Default);
    inNewFrame(Function, [&] { walk(L->Body); });
    return false;
  }
  const auto *C = dyn_cast<ComprehensionExpr>(E);
  if (!C || C->Generators.empty())
    return true;
  walk(C->Generators.front().Iter);
  Loops.push_back({nullptr, C, fewIterations(C->Generators.front().Iter)});
  for (size_t I = 0; I < C->Generators.size(); ++I) {
    const Comprehension &G = C->Generators[I];
    if (I > 0) {
      walk(G.Iter);
      Loops.back().FewIterations &= fewIterations(G.Iter);
    }
    walk(G.Target);
    for (const Expr *Cond : G.Conditions)
      walk(Cond);
  }
  walk(C->Element);
  walk(C->Value);
  Loops.pop_back();
  return false;
}

//===----------------------------------------------------------------------===//
// Class shapes
//===----------------------------------------------------------------------===//

namespace {

SummaryLocation locate(const SourceFile &S, TextRange R) {
  return {R, S.position(R.Begin), S.position(R.End)};
}

/// Fix anchors are byte offsets into the decoded text; they are only valid for the file on disk
/// when decoding did not change any byte (UTF-8 source, or a legacy encoding over pure ASCII).
bool offsetsMatchFile(const SourceFile &S) {
  llvm::StringRef Text = S.text();
  if (llvm::all_of(Text, [](char C) { return (C & 0x80) == 0; }))
    return true;
  for (uint32_t Line = 1; Line <= std::min<uint32_t>(2, S.lineCount()); ++Line) {
    llvm::StringRef L = S.lineText(Line).ltrim();
    if (!L.startswith("#"))
      continue;
    size_t At = L.find("coding");
    if (At == llvm::StringRef::npos || At + 6 >= L.size() || (L[At + 6] != ':' && L[At + 6] != '='))
      continue;
    llvm::StringRef Name = L.drop_front(At + 7).ltrim().take_while(
        [](char C) { return llvm::isAlnum(C) || C == '-' || C == '_' || C == '.'; });
    std::string Lower = Name.lower();
    return Lower == "utf-8" || Lower == "utf8" || Lower == "utf_8" || Lower.rfind("utf-8-", 0) == 0;
  }
  return true;
}

bool isDocstring(const Stmt *S) {
  const auto *E = dyn_cast<ExprStmt>(S);
  const auto *K = E ? dyn_cast<ConstantExpr>(E->Value) : nullptr;
  return K && K->Value == ConstantKind::String;
}

/// Leading whitespace of the line holding Offset, if only whitespace precedes Offset there.
std::optional<llvm::StringRef> indentBefore(const SourceFile &S, uint32_t Offset) {
  uint32_t Line = S.lineOf(Offset);
  llvm::StringRef Before = S.text().slice(S.lineStart(Line), Offset);
  if (!llvm::all_of(Before, [](char C) { return C == ' ' || C == '\t'; }))
    return std::nullopt;
  return Before;
}

void slotsLineAnchor(const SourceFile &S, const ClassDef *C, ClassShapeFacts &Out) {
  if (C->Inner.empty())
    return;
  uint32_t HeaderLine = S.lineOf(C->NameRange.Begin);
  const Stmt *First = C->Inner.front();
  std::optional<llvm::StringRef> Indent = indentBefore(S, First->Range.Begin);
  if (!Indent || Indent->empty() || S.lineOf(First->Range.Begin) == HeaderLine)
    return; // `class P(tuple): pass` on one line
  uint32_t At = 0;
  std::string Text = Indent->str() + "__slots__ = ()\n";
  if (isDocstring(First)) {
    // Right after the docstring, on a line of its own.
    uint32_t EndLine = S.lineOf(First->Range.End);
    if (S.lineEnd(EndLine) != First->Range.End || EndLine + 1 > S.lineCount())
      return; // something follows the docstring on its last line, or the file ends there
    At = S.lineStart(EndLine + 1);
  } else {
    // Before the first statement; a blank line separates it from a method.
    At = S.lineStart(S.lineOf(First->Range.Begin));
    if (isa<FunctionDef>(First) || isa<ClassDef>(First))
      Text += "\n";
  }
  Out.SlotsLineAt = locate(S, {At, At});
  Out.SlotsLineText = std::move(Text);
}

void dataclassAnchor(const Module &M, const ClassDef *C, ClassShapeFacts &Out) {
  const Decorator *D = C->Dataclass;
  if (!D)
    return;
  const SourceFile &S = M.source();
  if (!D->Call) {
    Out.DataclassSlotsAt = locate(S, {D->Value->Range.End, D->Value->Range.End});
    Out.DataclassSlotsText = "(slots=True)";
    return;
  }
  for (const Argument &A : D->Call->Args) {
    if (A.Kind == ArgKind::DoubleStar || A.Keyword == "slots")
      Out.DataclassSlotsGiven = true;
    if (A.Keyword == "weakref_slot")
      if (const auto *K = dyn_cast_or_null<ConstantExpr>(A.Value))
        Out.DataclassWeakrefSlot = K->Value == ConstantKind::True;
  }
  TextRange Args = D->Call->ArgsRange;
  if (D->Call->Args.empty()) {
    if (Args.End == 0 || M.text({Args.End - 1, Args.End}) != ")")
      return;
    Out.DataclassSlotsAt = locate(S, {Args.End - 1, Args.End - 1});
    Out.DataclassSlotsText = "slots=True";
    return;
  }
  uint32_t End = D->Call->Args.back().Value->Range.End;
  Out.DataclassSlotsAt = locate(S, {End, End});
  Out.DataclassSlotsText = ", slots=True";
}

/// `ClassVar[int]`, `typing.ClassVar`, `"InitVar[str]"`: annotations that make a name a class
/// variable rather than an instance field. (Subscripted annotations lower to Unknown nodes, so
/// this reads the text.)
bool isClassVarAnnotation(const Module &M, const Expr *A) {
  llvm::StringRef Text = M.text(A).trim().trim("\"'").ltrim();
  llvm::StringRef Head =
      Text.take_while([](char C) { return llvm::isAlnum(C) || C == '_' || C == '.'; });
  return Head == "ClassVar" || Head.endswith(".ClassVar") || Head == "InitVar" ||
         Head.endswith(".InitVar");
}

void collectClassVariables(const Module &M, Body Statements, ClassShapeFacts &Out) {
  auto AddTarget = [&](const Expr *T, auto &Self) -> void {
    if (const auto *N = dyn_cast<NameExpr>(T)) {
      ClassVariableFact V;
      V.Name = N->Id.str();
      V.HasValue = true;
      Out.Variables.push_back(std::move(V));
    } else if (const auto *Seq = dyn_cast<SequenceExpr>(T)) {
      for (const Expr *E : Seq->Elements)
        Self(E, Self);
    } else if (const auto *Star = dyn_cast<UnaryValueExpr>(T); Star && Star->Value) {
      Self(Star->Value, Self);
    }
  };
  for (const Stmt *S : Statements) {
    switch (S->Kind) {
    case StmtKind::Assign:
      for (const Expr *T : cast<AssignStmt>(S)->Targets)
        AddTarget(T, AddTarget);
      break;
    case StmtKind::AugAssign:
      AddTarget(cast<AugAssignStmt>(S)->Target, AddTarget);
      break;
    case StmtKind::AnnAssign: {
      const auto *A = cast<AnnAssignStmt>(S);
      const auto *N = dyn_cast<NameExpr>(A->Target);
      if (!N)
        break;
      ClassVariableFact V;
      V.Name = N->Id.str();
      V.Annotated = true;
      V.HasValue = A->Value != nullptr;
      V.ClassVar = isClassVarAnnotation(M, A->Annotation);
      if (const auto *Call = dyn_cast_or_null<CallExpr>(A->Value))
        V.DefaultCallee = dottedName(M, Call->Callee).str();
      Out.Variables.push_back(std::move(V));
      break;
    }
    case StmtKind::FunctionDef:
      Out.Variables.push_back({cast<FunctionDef>(S)->Name.str(), false, true, false, {}});
      break;
    case StmtKind::ClassDef:
      Out.Variables.push_back({cast<ClassDef>(S)->Name.str(), false, true, false, {}});
      break;
    case StmtKind::Import:
      for (const ImportAlias &A : cast<ImportStmt>(S)->Names)
        Out.Variables.push_back({A.boundName().str(), false, true, false, {}});
      break;
    case StmtKind::ImportFrom:
      for (const ImportAlias &A : cast<ImportFromStmt>(S)->Names)
        Out.Variables.push_back(
            {(A.AsName.empty() ? A.Name : A.AsName).str(), false, true, false, {}});
      break;
    case StmtKind::If:
    case StmtKind::While: {
      const auto *I = cast<IfStmt>(S);
      collectClassVariables(M, I->Then, Out);
      collectClassVariables(M, I->OrElse, Out);
      break;
    }
    case StmtKind::For: {
      const auto *F = cast<ForStmt>(S);
      AddTarget(F->Target, AddTarget);
      collectClassVariables(M, F->Loop, Out);
      collectClassVariables(M, F->OrElse, Out);
      break;
    }
    case StmtKind::Try: {
      const auto *T = cast<TryStmt>(S);
      collectClassVariables(M, T->Try, Out);
      for (const ExceptHandler &H : T->Handlers)
        collectClassVariables(M, H.Handler, Out);
      collectClassVariables(M, T->OrElse, Out);
      collectClassVariables(M, T->Finally, Out);
      break;
    }
    case StmtKind::With:
      collectClassVariables(M, cast<WithStmt>(S)->Inner, Out);
      break;
    default:
      break;
    }
  }
}

/// Dunder methods whose presence means attribute access or pickling goes through the instance
/// dict in ways `__slots__` would break or that make the attribute set open-ended.
bool isDictProtocolMethod(StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("__getattr__", "__setattr__", "__delattr__", "__getattribute__", true)
      .Cases("__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", true)
      .Default(false);
}

bool isReceiverRef(const NameExpr *N, const FunctionDef *F) {
  return F && N->Sym && N->Sym->Owner == F->OwnScope && N->Id == F->receiverName();
}

/// Everything the class body (methods and what they nest included) says about its instances.
class ClassBodyScanner : public Walker {
public:
  ClassBodyScanner(const Module &M, const ClassDef *C, ClassShapeFacts &Out)
      : M(M), C(C), Out(Out) {}

  void run() {
    for (StringRef Slot : C->SlotNames)
      if (Slot == "__dict__")
        note("`__dict__` is listed in `__slots__`");
    for (const FunctionDef *F : C->Methods) {
      if (isDictProtocolMethod(F->Name))
        note(("it defines `" + F->Name + "`").str());
      for (const Decorator &D : F->Decorators)
        if (D.DottedName.endswith("cached_property"))
          note(("`" + F->Name + "` is a `cached_property`, which stores into the instance dict")
                   .str());
      if (F->Kind == FunctionKind::Method)
        for (const Decorator &D : F->Decorators) {
          CacheDecorator Cache = classifyCacheDecorator(M, D);
          if (Cache.Kind == FunctoolsCache::None)
            continue;
          CachedFunctionFact Fact;
          Fact.Function = F->Name.str();
          Fact.Decorator = M.text(D.Value).str();
          Fact.Unbounded = Cache.Unbounded;
          Fact.Kind = F->Kind;
          Fact.Where = locate(M.source(), D.Range);
          Out.CachedMethods.push_back(std::move(Fact));
        }
    }
    walk(C->Inner);
  }

  bool visitStmt(const Stmt *S) override {
    if (const auto *F = dyn_cast<FunctionDef>(S)) {
      const FunctionDef *Saved = Method;
      if (!Method && F->EnclosingClass == C)
        Method = F;
      Walker::walk(F->Inner);
      for (const Decorator &D : F->Decorators)
        walk(D.Value);
      Method = Saved;
      return false;
    }
    if (isa<ClassDef>(S))
      return false; // a nested class has its own shape
    return true;
  }

  bool visitExpr(const Expr *E) override {
    if (const auto *A = dyn_cast<AttributeExpr>(E)) {
      if (A->Attr == "__dict__")
        note(("it uses `" + M.text(E) + "`").str());
      else if (A->Attr == "__class__" && A->Ctx == ExprContext::Store)
        note("it assigns `__class__`");
      else if (A->Ctx == ExprContext::Store && Method &&
               (Method->Name == "__new__" || Method->Kind == FunctionKind::ClassMethod))
        // `self = super().__new__(cls); self.name = name` or `obj = cls(); obj.extra = 1`
        if (const auto *N = dyn_cast<NameExpr>(A->Object);
            N && N->Sym && N->Sym->Owner == Method->OwnScope && !N->Sym->has(SymParameter))
          note(("it sets `" + N->Id + "." + A->Attr + "` in `" + Method->Name + "`").str());
      return true;
    }
    if (const auto *N = dyn_cast<NameExpr>(E)) {
      if (Method && N->Id == "__class__" && N->Ctx == ExprContext::Load)
        Out.ZeroArgSuper = true;
      return true;
    }
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return true;
    const auto *Callee = dyn_cast<NameExpr>(Call->Callee);
    if (!Callee || !M.isBuiltin(Callee))
      return true;
    if (Callee->Id == "super" && Call->Args.empty() && Method)
      Out.ZeroArgSuper = true;
    else if ((Callee->Id == "setattr" || Callee->Id == "delattr") && !Call->Args.empty())
      note(("it calls `" + Callee->Id + "()`").str());
    else if (Callee->Id == "vars" && !Call->Args.empty())
      note(("it calls `vars(" + M.text(Call->Args[0].Value) + ")`").str());
    return true;
  }

private:
  const Module &M;
  const ClassDef *C;
  ClassShapeFacts &Out;
  const FunctionDef *Method = nullptr; // the method being walked (nested functions included)

  void note(std::string Reason) {
    if (Out.NeedsDict.empty())
      Out.NeedsDict = std::move(Reason);
  }
};

/// `weakref.ref(self)`, `weakref.proxy(self)`, `weakref.finalize(self, ...)`,
/// `weakref.WeakMethod(self.m)` inside a method: each needs the instance to be weakly
/// referenceable.
class WeakrefScanner : public Walker {
public:
  WeakrefScanner(const Module &M, const FunctionDef *F, ClassShapeFacts &Out)
      : M(M), F(F), Out(Out) {}

  bool visitExpr(const Expr *E) override {
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call || Call->Args.empty() || Call->Args[0].Kind != ArgKind::Positional)
      return true;
    StringRef Callee = dottedName(M, Call->Callee);
    const Expr *First = Call->Args[0].Value;
    bool TakesObject = refersTo(M, Callee, "weakref", "ref") ||
                       refersTo(M, Callee, "weakref", "proxy") ||
                       refersTo(M, Callee, "weakref", "finalize");
    if (TakesObject) {
      if (const auto *N = dyn_cast<NameExpr>(First); N && isReceiverRef(N, F))
        Out.WeakrefsToSelf.push_back(locate(M.source(), Call->Range));
    } else if (refersTo(M, Callee, "weakref", "WeakMethod")) {
      const auto *A = dyn_cast<AttributeExpr>(First);
      const auto *N = A ? dyn_cast<NameExpr>(A->Object) : nullptr;
      if (N && isReceiverRef(N, F))
        Out.WeakrefsToSelf.push_back(locate(M.source(), Call->Range));
    }
    return true;
  }

private:
  const Module &M;
  const FunctionDef *F;
  ClassShapeFacts &Out;
};

/// `OffsetsMatchFile` is computed once per module: it scans the whole text.
void summarizeShape(const Module &M, const ClassDef *C, bool OffsetsMatchFile,
                    ClassShapeFacts &Out) {
  for (const Argument &A : C->Bases) {
    if (A.Kind == ArgKind::Keyword) {
      Out.ClassKeywords.push_back(A.Keyword.str());
      continue;
    }
    if (A.Kind != ArgKind::Positional) {
      Out.ClassKeywords.push_back(A.Kind == ArgKind::Star ? "*" : "**");
      continue;
    }
    BaseShapeFact B;
    const Expr *Head = A.Value;
    if (const auto *Call = dyn_cast<CallExpr>(Head)) {
      B.Form = '(';
      Head = Call->Callee;
    } else if (const auto *Sub = dyn_cast<SubscriptExpr>(Head)) {
      B.Form = '[';
      Head = Sub->Value;
    }
    B.Head = dottedName(M, Head).str();
    if (B.Head.empty())
      B.Form = '?';
    else if (const auto *N = dyn_cast<NameExpr>(Head); N && M.isBuiltin(N))
      B.Head = "builtins." + B.Head;
    Out.BaseShapes.push_back(std::move(B));
  }
  collectClassVariables(M, C->Inner, Out);
  ClassBodyScanner(M, C, Out).run();
  for (const FunctionDef *F : C->Methods)
    if (F->Kind == FunctionKind::Method)
      WeakrefScanner(M, F, Out).walk(F->Inner);
  if (OffsetsMatchFile) {
    slotsLineAnchor(M.source(), C, Out);
    dataclassAnchor(M, C, Out);
  } else if (C->Dataclass && C->Dataclass->Call) {
    for (const Argument &A : C->Dataclass->Call->Args)
      if (A.Kind == ArgKind::DoubleStar || A.Keyword == "slots")
        Out.DataclassSlotsGiven = true;
  }
}

//===----------------------------------------------------------------------===//
// Where classes are instantiated
//===----------------------------------------------------------------------===//

bool looksLikeClass(StringRef Dotted) {
  StringRef Last = Dotted.rsplit('.').second;
  if (Last.empty())
    Last = Dotted;
  Last = Last.ltrim('_');
  if (Last.empty() || !(Last.front() >= 'A' && Last.front() <= 'Z'))
    return false;
  // ALL_CAPS names are constants or aliases, not classes.
  return llvm::any_of(Last, [](char C) { return C >= 'a' && C <= 'z'; });
}

class InstantiationFinder : public LoopWalker {
public:
  InstantiationFinder(const Module &M, ModuleSummary &Out) : LoopWalker(M), Out(Out) {}

  void run() {
    walk(M.body());
    auto SortUnique = [](std::vector<std::string> &V) {
      llvm::sort(V);
      V.erase(std::unique(V.begin(), V.end()), V.end());
    };
    SortUnique(Names);
    SortUnique(WeakTargets);
    Out.InstantiatedNames = std::move(Names);
    Out.WeakrefTargets = std::move(WeakTargets);
  }

protected:
  bool onStmt(const Stmt *S) override {
    // `obj = Node(...)`: remember which class a local holds, for weakref.ref(obj) below.
    if (const auto *A = dyn_cast<AssignStmt>(S); A && A->Targets.size() == 1)
      if (const auto *N = dyn_cast<NameExpr>(A->Targets[0]); N && N->Sym)
        if (const auto *Call = dyn_cast_or_null<CallExpr>(A->Value))
          if (std::string Callee = classCallee(Call->Callee); !Callee.empty())
            LocalClasses[N->Sym] = Callee;
    return true;
  }

  bool onExpr(const Expr *E) override {
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return true;
    noteWeakref(Call);
    std::string Callee = classCallee(Call->Callee);
    if (!Callee.empty()) {
      Names.push_back(Callee);
      if (inManyIterationLoop())
        addRepeated(Callee, loops().back().Comprehension ? "a comprehension" : "a loop", Call);
    }
    // map(Cls, items): one instance per item.
    if (const auto *N = dyn_cast<NameExpr>(Call->Callee);
        N && N->Id == "map" && M.isBuiltin(N) && Call->Args.size() >= 2)
      if (std::string Mapped = classCallee(Call->Args[0].Value); !Mapped.empty()) {
        Names.push_back(Mapped);
        addRepeated(Mapped, "map()", Call);
      }
    return true;
  }

private:
  ModuleSummary &Out;
  std::vector<std::string> Names, WeakTargets;
  llvm::DenseMap<const Symbol *, std::string> LocalClasses;

  void noteWeakref(const CallExpr *Call) {
    if (Call->Args.empty() || Call->Args[0].Kind != ArgKind::Positional)
      return;
    StringRef Callee = dottedName(M, Call->Callee);
    if (!refersTo(M, Callee, "weakref", "ref") && !refersTo(M, Callee, "weakref", "proxy") &&
        !refersTo(M, Callee, "weakref", "finalize"))
      return;
    const Expr *Arg = Call->Args[0].Value;
    if (const auto *Inner = dyn_cast<CallExpr>(Arg)) {
      if (std::string Class = classCallee(Inner->Callee); !Class.empty())
        WeakTargets.push_back(Class);
    } else if (const auto *N = dyn_cast<NameExpr>(Arg); N && N->Sym) {
      auto It = LocalClasses.find(N->Sym);
      if (It != LocalClasses.end())
        WeakTargets.push_back(It->second);
    }
  }

  /// The class a callee names: a class-like dotted name, a class of this module, or the
  /// enclosing class for `cls(...)`, `type(self)(...)` and `self.__class__(...)`.
  std::string classCallee(const Expr *Callee) const {
    const FunctionDef *F = function();
    const ClassDef *Owner = F ? F->EnclosingClass : nullptr;
    if (Owner) {
      if (const auto *N = dyn_cast<NameExpr>(Callee); N && isReceiverRef(N, F))
        return F->Kind == FunctionKind::ClassMethod ? Owner->QualifiedName.str() : std::string();
      if (const auto *A = dyn_cast<AttributeExpr>(Callee); A && A->Attr == "__class__")
        if (const auto *N = dyn_cast<NameExpr>(A->Object); N && isReceiverRef(N, F))
          return Owner->QualifiedName.str();
      if (const auto *C = dyn_cast<CallExpr>(Callee))
        if (const auto *T = dyn_cast<NameExpr>(C->Callee); T && T->Id == "type" && M.isBuiltin(T))
          if (const auto *N = dyn_cast_or_null<NameExpr>(C->soleArgument());
              N && isReceiverRef(N, F))
            return Owner->QualifiedName.str();
    }
    StringRef Dotted = dottedName(M, Callee);
    if (Dotted.empty())
      return {};
    if (const auto *N = dyn_cast<NameExpr>(Callee); N && N->Sym && N->Sym->has(SymClass))
      return Dotted.str();
    return looksLikeClass(Dotted) ? Dotted.str() : std::string();
  }

  void addRepeated(const std::string &Callee, llvm::StringRef Context, const CallExpr *Call) {
    if (llvm::any_of(Out.RepeatedInstantiations,
                     [&](const RepeatedCallFact &R) { return R.Callee == Callee; }))
      return;
    RepeatedCallFact Fact;
    Fact.Callee = Callee;
    Fact.Context = Context;
    Fact.Where = locate(M.source(), Call->Range);
    Out.RepeatedInstantiations.push_back(std::move(Fact));
  }
};

} // namespace

void summarizeMemoryFacts(const Module &M, ModuleSummary &Out) {
  llvm::ArrayRef<const ClassDef *> Classes = M.classes();
  bool OffsetsMatch = !Classes.empty() && offsetsMatchFile(M.source());
  for (size_t I = 0; I < Classes.size() && I < Out.Classes.size(); ++I)
    summarizeShape(M, Classes[I], OffsetsMatch, Out.Classes[I].Shape);
  InstantiationFinder(M, Out).run();
}

} // namespace memlint
