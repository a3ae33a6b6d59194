//===- LowerTestHelpers.h - Shared helpers for the frontend unit tests -----===//
//
// Parse a snippet, lower it, and find the nodes, scopes, symbols and events a test asserts on.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "frontend/IR.h"
#include "frontend/Lower.h"
#include "frontend/Parser.h"
#include "frontend/Source.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"

#include <memory>
#include <string>
#include <vector>

namespace memlint::test {

using namespace memlint::ir;

/// One parser for the whole test binary (GoogleTest runs tests on one thread).
inline Parser &sharedParser() {
  static Parser P;
  return P;
}

inline std::shared_ptr<const SourceFile> makeSource(llvm::StringRef Code,
                                                    llvm::StringRef Path = "test.py") {
  return std::make_shared<const SourceFile>(Path.str(), Code.str());
}

/// Parses and lowers Code. The module keeps the source alive.
inline std::unique_ptr<Module> lower(llvm::StringRef Code, const LowerOptions &Options = {}) {
  return parseAndLower(sharedParser(), makeSource(Code), Options);
}

/// The error message, or "" when the module has no syntax error (for readable failures).
inline std::string errorMessage(const Module &M) {
  return M.syntaxError() ? M.syntaxError()->Message : std::string();
}

/// Every statement and expression of the module in pre-order, nested bodies included.
struct Collector : Walker {
  std::vector<const Stmt *> Stmts;
  std::vector<const Expr *> Exprs;
  bool visitStmt(const Stmt *S) override {
    Stmts.push_back(S);
    return true;
  }
  bool visitExpr(const Expr *E) override {
    Exprs.push_back(E);
    return true;
  }
};

inline Collector collectAll(const Module &M) {
  Collector C;
  C.walk(M.body());
  return C;
}

/// All statements of type T in pre-order (nested bodies included).
template <typename T> std::vector<const T *> allStmts(const Module &M) {
  std::vector<const T *> Out;
  for (const Stmt *S : collectAll(M).Stmts)
    if (const auto *X = llvm::dyn_cast<T>(S))
      Out.push_back(X);
  return Out;
}

/// All expressions of type T in pre-order, starting from statements or one expression.
template <typename T> std::vector<const T *> allExprs(const Module &M) {
  std::vector<const T *> Out;
  for (const Expr *E : collectAll(M).Exprs)
    if (const auto *X = llvm::dyn_cast<T>(E))
      Out.push_back(X);
  return Out;
}

template <typename T> std::vector<const T *> allExprsIn(const Expr *Root) {
  Collector C;
  C.walk(Root);
  std::vector<const T *> Out;
  for (const Expr *E : C.Exprs)
    if (const auto *X = llvm::dyn_cast<T>(E))
      Out.push_back(X);
  return Out;
}

template <typename T> const T *firstStmt(const Module &M) {
  std::vector<const T *> All = allStmts<T>(M);
  return All.empty() ? nullptr : All.front();
}

template <typename T> const T *firstExpr(const Module &M) {
  std::vector<const T *> All = allExprs<T>(M);
  return All.empty() ? nullptr : All.front();
}

/// The top-level statement at Index, cast to T (null if out of range or of another kind).
template <typename T> const T *topStmt(const Module &M, size_t Index = 0) {
  if (Index >= M.body().size())
    return nullptr;
  return llvm::dyn_cast<T>(M.body()[Index]);
}

/// The value of the top-level expression statement at Index, cast to T.
template <typename T> const T *topExpr(const Module &M, size_t Index = 0) {
  const auto *S = topStmt<ExprStmt>(M, Index);
  return S ? llvm::dyn_cast<T>(S->Value) : nullptr;
}

/// The Nth name node (in pre-order) spelled Id.
inline const NameExpr *findName(const Module &M, llvm::StringRef Id, unsigned Nth = 0) {
  for (const NameExpr *N : allExprs<NameExpr>(M))
    if (N->Id == Id && Nth-- == 0)
      return N;
  return nullptr;
}

/// The name node that starts at byte Offset, or null.
inline const NameExpr *nameAt(const Module &M, uint32_t Offset) {
  for (const NameExpr *N : allExprs<NameExpr>(M))
    if (N->Range.Begin == Offset)
      return N;
  return nullptr;
}

inline const ClassDef *findClass(const Module &M, llvm::StringRef Name) {
  for (const ClassDef *C : M.classes())
    if (C->Name == Name)
      return C;
  return nullptr;
}

inline const FunctionDef *findFunction(const Module &M, llvm::StringRef Name) {
  for (const FunctionDef *F : M.functions())
    if (F->Name == Name)
      return F;
  return nullptr;
}

/// The first scope of Kind named Name (lambdas are "<lambda>", comprehensions "<comprehension>").
inline const Scope *findScope(const Module &M, ScopeKind Kind, llvm::StringRef Name = {}) {
  for (const Scope *S : M.scopes())
    if (S->Kind == Kind && (Name.empty() || S->Name == Name))
      return S;
  return nullptr;
}

inline std::vector<const Event *> eventsOf(const Scope &S, EventKind Kind) {
  std::vector<const Event *> Out;
  for (const Event &E : S.Events)
    if (E.Kind == Kind)
      Out.push_back(&E);
  return Out;
}

/// The first AttributeStore event of S storing to attribute Attr.
inline const Event *attributeStore(const Scope &S, llvm::StringRef Attr) {
  for (const Event &E : S.Events)
    if (E.Kind == EventKind::AttributeStore && E.Method == Attr)
      return &E;
  return nullptr;
}

/// Byte offset of the Nth occurrence of Needle in the module's text (npos-safe: asserts found).
inline uint32_t offsetOf(llvm::StringRef Text, llvm::StringRef Needle, unsigned Nth = 0) {
  size_t At = Text.find(Needle);
  while (At != llvm::StringRef::npos && Nth--)
    At = Text.find(Needle, At + 1);
  return At == llvm::StringRef::npos ? UINT32_MAX : static_cast<uint32_t>(At);
}

inline std::vector<std::string> names(llvm::ArrayRef<llvm::StringRef> Refs) {
  std::vector<std::string> Out;
  for (llvm::StringRef R : Refs)
    Out.push_back(R.str());
  return Out;
}

} // namespace memlint::test
