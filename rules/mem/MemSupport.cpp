//===- MemSupport.cpp - shared facts for the MEM (memory hotspot) family ----===//
#include "rules/mem/MemSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::mem {

using namespace ir;

//===----------------------------------------------------------------------===//
// UseMap
//===----------------------------------------------------------------------===//

class UseCollector : public Walker {
public:
  UseCollector(const Module &M, UseMap &Map) : M(M), Map(Map) {}

  bool visitStmt(const Stmt *S) override {
    if (const auto *F = dyn_cast<FunctionDef>(S)) {
      for (const Decorator &D : F->Decorators)
        walk(D.Value);
      for (const Parameter &P : F->Params) {
        walk(P.Default);
        walk(P.Annotation);
      }
      walk(F->Returns);
      const FunctionDef *SavedFunction = Function;
      Function = F;
      walk(F->Inner);
      Function = SavedFunction;
      return false;
    }
    Statement = S;
    switch (S->Kind) {
    case StmtKind::Assign:
      for (const Expr *T : cast<AssignStmt>(S)->Targets)
        noteTarget(T, UseKind::Store);
      break;
    case StmtKind::AnnAssign:
      if (cast<AnnAssignStmt>(S)->Value)
        noteTarget(cast<AnnAssignStmt>(S)->Target, UseKind::Store);
      break;
    case StmtKind::AugAssign:
      noteTarget(cast<AugAssignStmt>(S)->Target, UseKind::AugTarget);
      break;
    case StmtKind::Delete:
      for (const Expr *T : cast<DeleteStmt>(S)->Targets)
        noteTarget(T, UseKind::Delete);
      break;
    case StmtKind::For:
      note(cast<ForStmt>(S)->Iter, UseKind::Iterated);
      break;
    case StmtKind::Return:
      note(cast<ReturnStmt>(S)->Value, UseKind::Returned);
      break;
    default:
      break;
    }
    return true;
  }

  bool visitExpr(const Expr *E) override {
    switch (E->Kind) {
    case ExprKind::Call: {
      const auto *C = cast<CallExpr>(E);
      if (const auto *A = dyn_cast<AttributeExpr>(C->Callee)) {
        Use U = make(UseKind::MethodCall);
        U.Method = A->Attr;
        U.Call = C;
        record(A->Object, U);
        record(A, make(UseKind::Other)); // the bound method itself
      }
      bool IsLen = isBuiltinCall(M, C, "len");
      for (const Argument &Arg : C->Args) {
        Use U = make(IsLen ? UseKind::Len : UseKind::Argument);
        U.Call = C;
        record(Arg.Value, U);
      }
      break;
    }
    case ExprKind::Subscript: {
      const auto *S = cast<SubscriptExpr>(E);
      if (S->Ctx == ExprContext::Load) {
        Use U = make(UseKind::SubscriptLoad);
        U.Subscript = S;
        record(S->Value, U);
      }
      break;
    }
    case ExprKind::Attribute: {
      const auto *A = cast<AttributeExpr>(E);
      Use U = make(UseKind::AttributeRead);
      U.Method = A->Attr;
      record(A->Object, U);
      break;
    }
    case ExprKind::Compare: {
      const auto *C = cast<OperatorExpr>(E);
      for (size_t I = 1; I < C->Operands.size() && I - 1 < C->Operators.size(); ++I)
        if (C->Operators[I - 1] == "in" || C->Operators[I - 1] == "not in")
          record(C->Operands[I], make(UseKind::Membership));
      break;
    }
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp:
    case ExprKind::GeneratorExp:
      for (const Comprehension &G : cast<ComprehensionExpr>(E)->Generators)
        record(G.Iter, make(UseKind::Iterated));
      break;
    case ExprKind::Yield:
      record(cast<UnaryValueExpr>(E)->Value, make(UseKind::Returned));
      break;
    default:
      break;
    }
    if (isa<NameExpr>(E) || isa<AttributeExpr>(E)) {
      ExprContext Ctx = isa<NameExpr>(E) ? cast<NameExpr>(E)->Ctx : cast<AttributeExpr>(E)->Ctx;
      record(E, make(Ctx == ExprContext::Store ? UseKind::Store
                     : Ctx == ExprContext::Del ? UseKind::Delete
                                               : UseKind::Load));
    }
    return true;
  }

private:
  const Module &M;
  UseMap &Map;
  const Stmt *Statement = nullptr;
  const FunctionDef *Function = nullptr;

  Use make(UseKind K) const {
    Use U;
    U.Kind = K;
    U.Statement = Statement;
    U.Function = Function;
    return U;
  }

  /// The first classification of a node wins: statements are seen before their expressions
  /// and a call before its callee.
  void record(const Expr *E, const Use &U) {
    if (E && (isa<NameExpr>(E) || isa<AttributeExpr>(E)))
      Map.Uses.try_emplace(E, U);
  }

  void note(const Expr *E, UseKind K) { record(E, make(K)); }

  void noteTarget(const Expr *T, UseKind K) {
    if (const auto *S = dyn_cast<SubscriptExpr>(T)) {
      Use U = make(K == UseKind::Delete ? UseKind::SubscriptDel : UseKind::SubscriptStore);
      U.Subscript = S;
      record(S->Value, U);
      return;
    }
    if (const auto *Seq = dyn_cast<SequenceExpr>(T)) {
      for (const Expr *E : Seq->Elements)
        noteTarget(E, K);
      return;
    }
    if (const auto *Star = dyn_cast<UnaryValueExpr>(T))
      return noteTarget(Star->Value, K);
    note(T, K);
  }
};

UseMap::UseMap(const Module &M) {
  UseCollector C(M, *this);
  C.walk(M.body());
}

const Use &UseMap::of(const Expr *E) const {
  auto It = Uses.find(E);
  return It == Uses.end() ? Unknown : It->second;
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

namespace {

struct BindingCollector : Walker {
  llvm::SmallPtrSetImpl<const Symbol *> &Out;
  explicit BindingCollector(llvm::SmallPtrSetImpl<const Symbol *> &Out) : Out(Out) {}
  bool visitStmt(const Stmt *S) override { return !isa<FunctionDef>(S) && !isa<ClassDef>(S); }
  bool visitExpr(const Expr *E) override {
    if (const auto *N = dyn_cast<NameExpr>(E); N && N->Sym && N->Ctx != ExprContext::Load)
      Out.insert(N->Sym);
    return !isa<LambdaExpr>(E);
  }
};

} // namespace

void collectLoopBindings(const LoopWalker::Loop &L, llvm::SmallPtrSetImpl<const Symbol *> &Out) {
  BindingCollector B(Out);
  if (const auto *F = dyn_cast_or_null<ForStmt>(L.Statement)) {
    B.walk(F->Target);
    B.walk(F->Loop);
  } else if (const auto *W = dyn_cast_or_null<WhileStmt>(L.Statement)) {
    B.walk(W->Test);
    B.walk(W->Then);
  } else if (L.Comprehension) {
    for (const Comprehension &G : L.Comprehension->Generators)
      B.walk(G.Target);
    B.walk(L.Comprehension->Element);
  }
}

bool readsAny(const Expr *E, const llvm::SmallPtrSetImpl<const Symbol *> &Bound) {
  struct Finder : Walker {
    const llvm::SmallPtrSetImpl<const Symbol *> &Bound;
    bool Found = false;
    explicit Finder(const llvm::SmallPtrSetImpl<const Symbol *> &B) : Bound(B) {}
    bool visitExpr(const Expr *E) override {
      if (const auto *N = dyn_cast<NameExpr>(E); N && N->Sym && Bound.count(N->Sym))
        Found = true;
      return !Found;
    }
  } F(Bound);
  F.walk(E);
  return F.Found;
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

bool isBuiltinCall(const Module &M, const CallExpr *Call, llvm::StringRef Name) {
  const auto *N = dyn_cast<NameExpr>(Call->Callee);
  return N && N->Id == Name && M.isBuiltin(N);
}

TextKind textKindOf(const Module &M, const Expr *E) {
  if (!E)
    return TextKind::Unknown;
  switch (E->Kind) {
  case ExprKind::Constant: {
    ConstantKind K = cast<ConstantExpr>(E)->Value;
    return K == ConstantKind::String  ? TextKind::Str
           : K == ConstantKind::Bytes ? TextKind::Bytes
                                      : TextKind::Unknown;
  }
  case ExprKind::FString:
    return TextKind::Str;
  case ExprKind::Call: {
    const auto *C = cast<CallExpr>(E);
    for (llvm::StringRef Name : {"str", "repr", "chr", "format", "ascii"})
      if (isBuiltinCall(M, C, Name))
        return TextKind::Str;
    if (isBuiltinCall(M, C, "bytes"))
      return TextKind::Bytes;
    const auto *A = dyn_cast<AttributeExpr>(C->Callee);
    if (!A)
      return TextKind::Unknown;
    if (A->Attr == "decode")
      return TextKind::Str;
    if (A->Attr == "encode")
      return TextKind::Bytes;
    if (A->Attr == "join" || A->Attr == "format" || A->Attr == "upper" || A->Attr == "lower" ||
        A->Attr == "strip" || A->Attr == "rstrip" || A->Attr == "lstrip" || A->Attr == "replace" ||
        A->Attr == "ljust" || A->Attr == "rjust" || A->Attr == "center")
      return textKindOf(M, A->Object);
    return TextKind::Unknown;
  }
  case ExprKind::BinOp: {
    const auto *B = cast<OperatorExpr>(E);
    if (B->Operators.size() != 1 || B->Operands.size() != 2)
      return TextKind::Unknown;
    if (B->Operators[0] == "%" || B->Operators[0] == "*")
      return textKindOf(M, B->Operands[0]);
    if (B->Operators[0] == "+") {
      TextKind L = textKindOf(M, B->Operands[0]);
      return L != TextKind::Unknown ? L : textKindOf(M, B->Operands[1]);
    }
    return TextKind::Unknown;
  }
  case ExprKind::IfExp: {
    const auto *I = cast<IfExpr>(E);
    TextKind A = textKindOf(M, I->Body), B = textKindOf(M, I->OrElse);
    return A == B ? A : TextKind::Unknown;
  }
  default:
    return TextKind::Unknown;
  }
}

unsigned bindingsOf(const Symbol *S) {
  unsigned N = 0;
  for (const NameExpr *Ref : S->Refs)
    N += Ref->Ctx != ExprContext::Load;
  return N;
}

static bool isOpenCall(const Module &M, const Expr *E) {
  const auto *C = dyn_cast_or_null<CallExpr>(E);
  if (!C)
    return false;
  if (isBuiltinCall(M, C, "open"))
    return true;
  StringRef Name = dottedName(M, C->Callee);
  return Name == "io.open" || Name == "codecs.open";
}

bool isOpenFile(const Module &M, const Expr *E) {
  if (isOpenCall(M, E) || dottedName(M, E) == "sys.stdin")
    return true;
  const auto *N = dyn_cast<NameExpr>(E);
  if (!N || !N->Sym)
    return false;
  struct Binder : Walker {
    const Module &M;
    const Symbol *Sym;
    unsigned Open = 0;
    Binder(const Module &M, const Symbol *S) : M(M), Sym(S) {}
    bool visitStmt(const Stmt *S) override {
      if (const auto *A = dyn_cast<AssignStmt>(S)) {
        for (const Expr *T : A->Targets)
          if (const auto *TN = dyn_cast<NameExpr>(T);
              TN && TN->Sym == Sym && isOpenCall(M, A->Value))
            ++Open;
      } else if (const auto *W = dyn_cast<WithStmt>(S)) {
        for (const WithItem &I : W->Items)
          if (const auto *TN = dyn_cast_or_null<NameExpr>(I.Target);
              TN && TN->Sym == Sym && isOpenCall(M, I.Context))
            ++Open;
      }
      return true;
    }
  } B(M, N->Sym);
  B.walk(M.body());
  unsigned Stores = bindingsOf(N->Sym);
  return Stores > 0 && Stores == B.Open;
}

std::string quoteCode(llvm::StringRef Text, llvm::StringRef Fallback) {
  if (Text.size() > 48 || Text.contains('\n'))
    return Fallback.str();
  return "`" + Text.str() + "`";
}

} // namespace memlint::mem
