#include "frontend/IR.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace memlint::ir {

const Decorator *FunctionDef::findDecorator(StringRef Dotted) const {
  for (const Decorator &D : Decorators)
    if (D.DottedName == Dotted)
      return &D;
  return nullptr;
}

const Symbol *Scope::lookupLocal(StringRef Name) const {
  auto It = llvm::partition_point(Symbols, [&](const Symbol *S) { return S->Name < Name; });
  return It != Symbols.end() && (*It)->Name == Name ? *It : nullptr;
}

bool Module::isBuiltin(const NameExpr *Name) const {
  if (Name->Sym || ModuleScope->HasStarImport)
    return false;
  return !ModuleScope->lookupLocal(Name->Id);
}

StringRef dottedName(const Module &M, const Expr *E) {
  const Expr *Cur = E;
  while (const auto *A = llvm::dyn_cast<AttributeExpr>(Cur)) {
    if (A->Parens)
      return {};
    Cur = A->Object;
  }
  if (!llvm::isa<NameExpr>(Cur) || Cur->Parens)
    return {};
  StringRef Text = M.text(E);
  if (!llvm::all_of(Text, [](char C) { return C == '.' || C == '_' || llvm::isAlnum(C) || (C & 0x80); }))
    return {}; // spaces, comments or line continuations inside the chain
  return Text;
}

const NameExpr *rootName(const Expr *E) {
  while (E) {
    switch (E->Kind) {
    case ExprKind::Name:
      return llvm::cast<NameExpr>(E);
    case ExprKind::Attribute:
      E = llvm::cast<AttributeExpr>(E)->Object;
      break;
    case ExprKind::Subscript:
      E = llvm::cast<SubscriptExpr>(E)->Value;
      break;
    case ExprKind::Call:
      E = llvm::cast<CallExpr>(E)->Callee;
      break;
    default:
      return nullptr;
    }
  }
  return nullptr;
}

void Walker::walk(Body Statements) {
  for (const Stmt *S : Statements)
    walk(S);
}

void Walker::walk(const Expr *E) {
  if (!E || !visitExpr(E))
    return;
  forEachChild(E, [&](const Expr *Child) { walk(Child); });
}

void Walker::walk(const Stmt *S) {
  if (!visitStmt(S))
    return;
  switch (S->Kind) {
  case StmtKind::Expr:
    return walk(llvm::cast<ExprStmt>(S)->Value);
  case StmtKind::Assign: {
    const auto *A = llvm::cast<AssignStmt>(S);
    walk(A->Value);
    for (const Expr *T : A->Targets)
      walk(T);
    return;
  }
  case StmtKind::AugAssign: {
    const auto *A = llvm::cast<AugAssignStmt>(S);
    walk(A->Value);
    return walk(A->Target);
  }
  case StmtKind::AnnAssign: {
    const auto *A = llvm::cast<AnnAssignStmt>(S);
    walk(A->Annotation);
    walk(A->Value);
    return walk(A->Target);
  }
  case StmtKind::Return:
    return walk(llvm::cast<ReturnStmt>(S)->Value);
  case StmtKind::Delete:
    for (const Expr *T : llvm::cast<DeleteStmt>(S)->Targets)
      walk(T);
    return;
  case StmtKind::Raise: {
    const auto *R = llvm::cast<RaiseStmt>(S);
    walk(R->Exception);
    return walk(R->Cause);
  }
  case StmtKind::Assert: {
    const auto *A = llvm::cast<AssertStmt>(S);
    walk(A->Test);
    return walk(A->Message);
  }
  case StmtKind::Global:
  case StmtKind::Nonlocal:
  case StmtKind::Import:
  case StmtKind::ImportFrom:
  case StmtKind::Pass:
  case StmtKind::Break:
  case StmtKind::Continue:
    return;
  case StmtKind::If:
  case StmtKind::While: {
    const auto *I = llvm::cast<IfStmt>(S);
    walk(I->Test);
    walk(I->Then);
    return walk(I->OrElse);
  }
  case StmtKind::For: {
    const auto *F = llvm::cast<ForStmt>(S);
    walk(F->Iter);
    walk(F->Target);
    walk(F->Loop);
    return walk(F->OrElse);
  }
  case StmtKind::Try: {
    const auto *T = llvm::cast<TryStmt>(S);
    walk(T->Try);
    for (const ExceptHandler &H : T->Handlers) {
      walk(H.Type);
      if (H.NameNode)
        walk(H.NameNode);
      walk(H.Handler);
    }
    walk(T->OrElse);
    return walk(T->Finally);
  }
  case StmtKind::With: {
    const auto *W = llvm::cast<WithStmt>(S);
    for (const WithItem &I : W->Items) {
      walk(I.Context);
      walk(I.Target);
    }
    return walk(W->Inner);
  }
  case StmtKind::Match: {
    const auto *M = llvm::cast<MatchStmt>(S);
    walk(M->Subject);
    for (const MatchCase &C : M->Cases) {
      for (const Expr *R : C.Reads)
        walk(R);
      for (const NameExpr *N : C.Captures)
        walk(N);
      walk(C.Guard);
      walk(C.Then);
    }
    return;
  }
  case StmtKind::FunctionDef: {
    const auto *F = llvm::cast<FunctionDef>(S);
    for (const Decorator &D : F->Decorators)
      walk(D.Value);
    for (const Parameter &P : F->Params) {
      walk(P.Default);
      walk(P.Annotation);
    }
    walk(F->Returns);
    return walk(F->Inner);
  }
  case StmtKind::ClassDef: {
    const auto *C = llvm::cast<ClassDef>(S);
    for (const Decorator &D : C->Decorators)
      walk(D.Value);
    for (const Argument &A : C->Bases)
      walk(A.Value);
    return walk(C->Inner);
  }
  case StmtKind::TypeAlias: {
    const auto *T = llvm::cast<TypeAliasStmt>(S);
    walk(T->Name);
    return walk(T->Value);
  }
  }
}

} // namespace memlint::ir
