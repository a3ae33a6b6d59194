//===- TypeParamTest.cpp - PEP 695 type parameters and type aliases --------===//
//
// Expected scoping follows CPython 3.12+ (checked with `symtable`): type parameters live in an
// annotation scope that the function body, the class body and its methods, the annotations and
// the bases all see.
//
//===----------------------------------------------------------------------===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(TypeParams, GenericFunction) {
  auto M = lower("def f[T: int, *Ts, **P](x, *args: *Ts):\n"
                 "    y: T = x\n"
                 "    return T\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_TRUE(F);
  ASSERT_EQ(F->TypeParams.size(), 3u);
  EXPECT_EQ(F->TypeParams[0].Name, "T");
  ASSERT_TRUE(F->TypeParams[0].Bound);
  EXPECT_EQ(M->text(F->TypeParams[0].Bound), "int");
  EXPECT_EQ(M->text(F->TypeParams[0].Range), "T: int");
  EXPECT_EQ(F->TypeParams[1].Name, "Ts");
  EXPECT_FALSE(F->TypeParams[1].Bound);
  EXPECT_EQ(F->TypeParams[2].Name, "P");
  EXPECT_FALSE(F->TypeParams[2].Bound);
  ASSERT_EQ(F->Params.size(), 2u);
  // The type parameters are not module names.
  EXPECT_FALSE(M->moduleScope().lookupLocal("T"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("Ts"));
  // The body sees T.
  const auto *Ret = llvm::cast<ReturnStmt>(F->Inner[1]);
  const auto *T = llvm::cast<NameExpr>(Ret->Value);
  ASSERT_TRUE(T->Sym);
  EXPECT_EQ(T->Sym->Name, "T");
  EXPECT_FALSE(M->isBuiltin(T));
  const auto *Ann = llvm::cast<AnnAssignStmt>(F->Inner[0]);
  EXPECT_EQ(llvm::cast<NameExpr>(Ann->Annotation)->Sym, T->Sym);
}

TEST(TypeParams, ConstrainedTypeParameter) {
  auto M = lower("def f[S: (str, bytes)](s: S) -> S:\n    return s\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_EQ(F->TypeParams.size(), 1u);
  EXPECT_EQ(F->TypeParams[0].Name, "S");
  ASSERT_TRUE(F->TypeParams[0].Bound);
  EXPECT_EQ(F->TypeParams[0].Bound->Kind, ExprKind::Tuple);
}

TEST(TypeParams, FunctionAnnotationsSeeTheTypeParameters) {
  auto M = lower("def first[T](items: list[T]) -> T:\n    return items[0]\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "first");
  const auto *Returns = llvm::dyn_cast<NameExpr>(F->Returns);
  ASSERT_TRUE(Returns);
  ASSERT_TRUE(Returns->Sym);
  EXPECT_EQ(Returns->Sym->Name, "T");
  EXPECT_FALSE(M->isBuiltin(Returns));
  const NameExpr *InParam = findName(*M, "T", 0);
  ASSERT_TRUE(InParam);
  EXPECT_EQ(InParam->Sym, Returns->Sym);
}

TEST(TypeParams, GenericClass) {
  auto M = lower("class C[T, *Ts]:\n"
                 "    attr: T\n"
                 "    def m(self) -> T:\n"
                 "        return T\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *C = findClass(*M, "C");
  ASSERT_TRUE(C);
  ASSERT_EQ(C->TypeParams.size(), 2u);
  EXPECT_EQ(C->TypeParams[0].Name, "T");
  EXPECT_EQ(C->TypeParams[1].Name, "Ts");
  EXPECT_FALSE(M->moduleScope().lookupLocal("T"));
  EXPECT_EQ(C->Methods.size(), 1u);
  // The class body and the method's annotation see T.
  const NameExpr *InBody = findName(*M, "T", 0);
  ASSERT_TRUE(InBody);
  ASSERT_TRUE(InBody->Sym);
  const NameExpr *InAnnotation = findName(*M, "T", 1);
  ASSERT_TRUE(InAnnotation);
  EXPECT_EQ(InAnnotation->Sym, InBody->Sym);
}

TEST(TypeParams, MethodsSeeTheClassTypeParameters) {
  // Unlike class attributes, PEP 695 parameters are visible inside methods.
  auto M = lower("class C[T]:\n"
                 "    def m(self):\n"
                 "        return T\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const NameExpr *T = findName(*M, "T");
  ASSERT_TRUE(T);
  EXPECT_EQ(T->InScope, findFunction(*M, "m")->OwnScope);
  ASSERT_TRUE(T->Sym);
  EXPECT_EQ(T->Sym->Name, "T");
  EXPECT_FALSE(M->isBuiltin(T));
}

TEST(TypeParams, ClassBasesSeeTheTypeParameters) {
  auto M = lower("class Base[T]: pass\nclass C[T](Base[T]): pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *C = findClass(*M, "C");
  ASSERT_EQ(C->Bases.size(), 1u);
  const auto *Sub = llvm::dyn_cast<SubscriptExpr>(C->Bases[0].Value);
  ASSERT_TRUE(Sub);
  const auto *Base = llvm::cast<NameExpr>(Sub->Value);
  EXPECT_EQ(Base->Sym, M->moduleScope().lookupLocal("Base"));
  const auto *T = llvm::cast<NameExpr>(Sub->Index);
  ASSERT_TRUE(T->Sym);
  EXPECT_EQ(T->Sym->Name, "T");
  EXPECT_FALSE(M->isBuiltin(T));
}

TEST(TypeParams, TypeAlias) {
  auto M = lower("type X[T] = list[T]\ntype Y = int | None\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *X = topStmt<TypeAliasStmt>(*M, 0);
  ASSERT_TRUE(X);
  ASSERT_TRUE(X->Name);
  EXPECT_EQ(X->Name->Id, "X");
  EXPECT_EQ(X->Name->Ctx, ExprContext::Store);
  ASSERT_EQ(X->TypeParams.size(), 1u);
  EXPECT_EQ(X->TypeParams[0].Name, "T");
  ASSERT_TRUE(X->Value);
  EXPECT_EQ(M->text(X->Value), "list[T]");
  // `T` in the value resolves to the alias's parameter; `list` to nothing (a builtin).
  const NameExpr *T = findName(*M, "T");
  ASSERT_TRUE(T);
  ASSERT_TRUE(T->Sym);
  EXPECT_NE(T->Sym->Owner, &M->moduleScope());
  EXPECT_TRUE(M->isBuiltin(findName(*M, "list")));
  const Symbol *XSym = M->moduleScope().lookupLocal("X");
  ASSERT_TRUE(XSym);
  EXPECT_TRUE(XSym->has(SymBound));
  EXPECT_FALSE(M->moduleScope().lookupLocal("T"));

  const auto *Y = topStmt<TypeAliasStmt>(*M, 1);
  ASSERT_TRUE(Y);
  EXPECT_EQ(Y->Name->Id, "Y");
  EXPECT_TRUE(Y->TypeParams.empty());
  ASSERT_TRUE(Y->Value);
  EXPECT_EQ(M->text(Y->Value), "int | None");
  EXPECT_TRUE(M->moduleScope().lookupLocal("Y"));
}

TEST(TypeParams, TypeIsStillAnOrdinaryName) {
  auto M = lower("type = 1\nprint(type(x))\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_FALSE(firstStmt<TypeAliasStmt>(*M));
  EXPECT_TRUE(M->moduleScope().lookupLocal("type"));
}

} // namespace
