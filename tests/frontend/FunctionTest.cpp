//===- FunctionTest.cpp - FunctionDef: kinds, parameters, async, generators ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

const char *MethodKinds = "class C:\n"
                          "    def m(self, x): pass\n"
                          "    @staticmethod\n"
                          "    def s(x): pass\n"
                          "    @classmethod\n"
                          "    def c(cls, y): pass\n"
                          "    def __new__(cls, *args): pass\n"
                          "    def __init_subclass__(cls, **kw): pass\n"
                          "    def __class_getitem__(cls, item): pass\n"
                          "    def nested_host(self):\n"
                          "        def helper(a): pass\n"
                          "def free(a): pass\n";

TEST(Function, KindsOfMethods) {
  auto M = lower(MethodKinds);
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_EQ(findFunction(*M, "m")->Kind, FunctionKind::Method);
  EXPECT_EQ(findFunction(*M, "s")->Kind, FunctionKind::StaticMethod);
  EXPECT_EQ(findFunction(*M, "c")->Kind, FunctionKind::ClassMethod);
  EXPECT_EQ(findFunction(*M, "__new__")->Kind, FunctionKind::StaticMethod);
  EXPECT_EQ(findFunction(*M, "__init_subclass__")->Kind, FunctionKind::ClassMethod);
  EXPECT_EQ(findFunction(*M, "__class_getitem__")->Kind, FunctionKind::ClassMethod);
  EXPECT_EQ(findFunction(*M, "helper")->Kind, FunctionKind::Function);
  EXPECT_EQ(findFunction(*M, "free")->Kind, FunctionKind::Function);
  EXPECT_FALSE(findFunction(*M, "helper")->EnclosingClass);
  EXPECT_FALSE(findFunction(*M, "free")->EnclosingClass);
  EXPECT_EQ(findFunction(*M, "m")->EnclosingClass, findClass(*M, "C"));
}

TEST(Function, ReceiverName) {
  auto M = lower(MethodKinds);
  EXPECT_EQ(findFunction(*M, "m")->receiverName(), "self");
  EXPECT_EQ(findFunction(*M, "c")->receiverName(), "cls");
  EXPECT_EQ(findFunction(*M, "s")->receiverName(), "");
  EXPECT_EQ(findFunction(*M, "__new__")->receiverName(), ""); // static: cls is a plain param
  EXPECT_EQ(findFunction(*M, "__init_subclass__")->receiverName(), "cls");
  EXPECT_EQ(findFunction(*M, "helper")->receiverName(), "");
  EXPECT_EQ(findFunction(*M, "free")->receiverName(), "");
}

TEST(Function, ReceiverNameWithUnusualParameters) {
  auto M = lower("class C:\n"
                 "    def po(this, /, x): pass\n"
                 "    def star(*args): pass\n"
                 "    def kwonly(*, key): pass\n"
                 "    def none(): pass\n");
  EXPECT_EQ(findFunction(*M, "po")->receiverName(), "this");
  EXPECT_EQ(findFunction(*M, "star")->receiverName(), "");
  EXPECT_EQ(findFunction(*M, "kwonly")->receiverName(), "");
  EXPECT_EQ(findFunction(*M, "none")->receiverName(), "");
}

TEST(Function, ParameterKinds) {
  std::string Code = "def f(a, b=1, /, c: int = 2, *args: str, d, e=3, **kw: 'Any') -> R:\n"
                     "    pass\n";
  auto M = lower(Code);
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_EQ(F->Params.size(), 7u);
  struct Expected {
    const char *Name;
    ParamKind Kind;
    bool Annotated, Defaulted;
  } Want[] = {
      {"a", ParamKind::PositionalOnly, false, false}, {"b", ParamKind::PositionalOnly, false, true},
      {"c", ParamKind::Normal, true, true},           {"args", ParamKind::VarArgs, true, false},
      {"d", ParamKind::KeywordOnly, false, false},    {"e", ParamKind::KeywordOnly, false, true},
      {"kw", ParamKind::VarKeywords, true, false},
  };
  for (size_t I = 0; I < F->Params.size(); ++I) {
    const Parameter &P = F->Params[I];
    EXPECT_EQ(P.Name, Want[I].Name) << I;
    EXPECT_EQ(P.Kind, Want[I].Kind) << P.Name.str();
    EXPECT_EQ(P.Annotation != nullptr, Want[I].Annotated) << P.Name.str();
    EXPECT_EQ(P.Default != nullptr, Want[I].Defaulted) << P.Name.str();
  }
  EXPECT_EQ(M->text(F->Params[2].Annotation), "int");
  EXPECT_EQ(M->text(F->Params[2].Default), "2");
  EXPECT_EQ(M->text(F->Params[3].Annotation), "str");
  EXPECT_EQ(M->text(F->Params[2].Range), "c: int = 2");
  ASSERT_TRUE(F->Returns);
  EXPECT_EQ(M->text(F->Returns), "R");
}

TEST(Function, BareStarMakesKeywordOnly) {
  auto M = lower("def g(a, *, b, c=1, **rest): pass\n");
  const FunctionDef *G = findFunction(*M, "g");
  ASSERT_EQ(G->Params.size(), 4u);
  EXPECT_EQ(G->Params[0].Kind, ParamKind::Normal);
  EXPECT_EQ(G->Params[1].Kind, ParamKind::KeywordOnly);
  EXPECT_EQ(G->Params[2].Kind, ParamKind::KeywordOnly);
  EXPECT_EQ(G->Params[3].Kind, ParamKind::VarKeywords);
}

TEST(Function, ParametersAreBoundInTheFunctionScope) {
  auto M = lower("def f(a, *b, c, **d): return a\n");
  const FunctionDef *F = findFunction(*M, "f");
  for (const char *Name : {"a", "b", "c", "d"}) {
    const Symbol *S = F->OwnScope->lookupLocal(Name);
    ASSERT_TRUE(S) << Name;
    EXPECT_TRUE(S->has(SymParameter)) << Name;
    EXPECT_TRUE(S->has(SymBound)) << Name;
  }
  EXPECT_FALSE(M->moduleScope().lookupLocal("a"));
  const NameExpr *Read = findName(*M, "a");
  ASSERT_TRUE(Read);
  EXPECT_EQ(Read->Sym, F->OwnScope->lookupLocal("a"));
}

TEST(Function, DefaultsAnnotationsAndDecoratorsAreReadOutside) {
  // `x` is a parameter, but the default `x` and the annotation `x` are read in the module.
  auto M = lower("x = 1\n"
                 "@deco(x)\n"
                 "def f(x: x = x) -> x:\n"
                 "    return x\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "f");
  const Symbol *ModuleX = M->moduleScope().lookupLocal("x");
  const Symbol *ParamX = F->OwnScope->lookupLocal("x");
  ASSERT_TRUE(ModuleX && ParamX);
  const auto *Default = llvm::cast<NameExpr>(F->Params[0].Default);
  const auto *Annotation = llvm::cast<NameExpr>(F->Params[0].Annotation);
  const auto *Returns = llvm::cast<NameExpr>(F->Returns);
  const auto *DecoArg = llvm::cast<NameExpr>(F->Decorators[0].Call->soleArgument());
  for (const NameExpr *N : {Default, Annotation, Returns, DecoArg}) {
    EXPECT_EQ(N->InScope, &M->moduleScope());
    EXPECT_EQ(N->Sym, ModuleX);
  }
  const auto *Ret = llvm::cast<ReturnStmt>(F->Inner[0]);
  EXPECT_EQ(llvm::cast<NameExpr>(Ret->Value)->Sym, ParamX);
}

TEST(Function, FunctionScopeAndSymbol) {
  auto M = lower("def outer():\n    def inner(): pass\n");
  const FunctionDef *Outer = findFunction(*M, "outer");
  const FunctionDef *Inner = findFunction(*M, "inner");
  EXPECT_EQ(Outer->OwnScope->Kind, ScopeKind::Function);
  EXPECT_EQ(Outer->OwnScope->Name, "outer");
  EXPECT_EQ(Outer->OwnScope->function(), Outer);
  EXPECT_EQ(Inner->OwnScope->Parent, Outer->OwnScope);
  ASSERT_EQ(Outer->OwnScope->Children.size(), 1u);
  EXPECT_EQ(Outer->OwnScope->Children[0], Inner->OwnScope);
  EXPECT_TRUE(M->moduleScope().lookupLocal("outer")->has(SymFunction));
  EXPECT_TRUE(Outer->OwnScope->lookupLocal("inner")->has(SymFunction));
  EXPECT_FALSE(M->moduleScope().lookupLocal("inner"));
  EXPECT_EQ(M->text(Outer->NameRange), "outer");
  EXPECT_EQ(M->functions().size(), 2u);
}

TEST(Function, AsyncDef) {
  auto M = lower("async def fetch(url):\n"
                 "    return await get(url)\n"
                 "def sync(): pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_TRUE(findFunction(*M, "fetch")->IsAsync);
  EXPECT_FALSE(findFunction(*M, "fetch")->IsGenerator);
  EXPECT_FALSE(findFunction(*M, "sync")->IsAsync);
  const auto *Ret = llvm::cast<ReturnStmt>(findFunction(*M, "fetch")->Inner[0]);
  const auto *Await = llvm::dyn_cast<UnaryValueExpr>(Ret->Value);
  ASSERT_TRUE(Await);
  EXPECT_EQ(Await->Kind, ExprKind::Await);
  EXPECT_EQ(M->text(Await->Value), "get(url)");
}

TEST(Function, DecoratedAsyncDef) {
  auto M = lower("@app.route('/')\nasync def index(): pass\n");
  const FunctionDef *F = findFunction(*M, "index");
  ASSERT_TRUE(F);
  EXPECT_TRUE(F->IsAsync);
  ASSERT_EQ(F->Decorators.size(), 1u);
  EXPECT_EQ(F->Decorators[0].DottedName, "app.route");
  EXPECT_EQ(F->Range.Begin, 0u);
}

TEST(Function, Generators) {
  auto M = lower("def gen():\n    yield 1\n"
                 "def delegate():\n    x = yield from gen()\n"
                 "async def agen():\n    yield\n"
                 "def plain():\n    return 1\n"
                 "def outer():\n    def inner():\n        yield 2\n    return inner\n"
                 "def with_lambda():\n    return lambda: (yield)\n"
                 "def in_comprehension_iterable():\n    return [x for x in (yield)]\n");
  EXPECT_TRUE(findFunction(*M, "gen")->IsGenerator);
  EXPECT_TRUE(findFunction(*M, "delegate")->IsGenerator);
  EXPECT_TRUE(findFunction(*M, "agen")->IsGenerator);
  EXPECT_FALSE(findFunction(*M, "plain")->IsGenerator);
  EXPECT_FALSE(findFunction(*M, "outer")->IsGenerator);
  EXPECT_TRUE(findFunction(*M, "inner")->IsGenerator);
  EXPECT_FALSE(findFunction(*M, "with_lambda")->IsGenerator);
  // The first iterable of a comprehension runs in the function (CPython accepts this).
  EXPECT_TRUE(findFunction(*M, "in_comprehension_iterable")->IsGenerator);

  std::vector<const UnaryValueExpr *> YieldFrom;
  for (const UnaryValueExpr *U : allExprs<UnaryValueExpr>(*M))
    if (U->Kind == ExprKind::Yield && U->YieldFrom)
      YieldFrom.push_back(U);
  ASSERT_EQ(YieldFrom.size(), 1u);
  EXPECT_EQ(M->text(YieldFrom[0]->Value), "gen()");
}

TEST(Function, BareYieldHasNoValue) {
  auto M = lower("def g():\n    yield\n");
  const UnaryValueExpr *Y = firstExpr<UnaryValueExpr>(*M);
  ASSERT_TRUE(Y);
  EXPECT_EQ(Y->Kind, ExprKind::Yield);
  EXPECT_FALSE(Y->Value);
  EXPECT_FALSE(Y->YieldFrom);
}

TEST(Function, DecoratorDottedNames) {
  auto M = lower("import functools\n"
                 "class C:\n"
                 "    @functools.lru_cache(maxsize=None)\n"
                 "    def cached(self): pass\n"
                 "    @property\n"
                 "    def prop(self): pass\n"
                 "    @prop.setter\n"
                 "    def prop(self, v): pass\n"
                 "    @handlers[0].register\n"
                 "    def sub(self): pass\n"
                 "    @(lambda f: f)\n"
                 "    def lam(self): pass\n"
                 "    @a . b\n"
                 "    def spaced(self): pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *Cached = findFunction(*M, "cached");
  ASSERT_EQ(Cached->Decorators.size(), 1u);
  EXPECT_EQ(Cached->Decorators[0].DottedName, "functools.lru_cache");
  ASSERT_TRUE(Cached->Decorators[0].Call);
  EXPECT_TRUE(Cached->Decorators[0].Call->keyword("maxsize"));
  EXPECT_EQ(Cached->findDecorator("functools.lru_cache"), &Cached->Decorators[0]);
  EXPECT_FALSE(Cached->findDecorator("lru_cache"));

  EXPECT_EQ(findFunction(*M, "prop")->Decorators[0].DottedName, "property");
  const FunctionDef *Setter = findClass(*M, "C")->Methods[2];
  EXPECT_EQ(Setter->Decorators[0].DottedName, "prop.setter");
  EXPECT_EQ(findFunction(*M, "sub")->Decorators[0].DottedName, "");
  EXPECT_EQ(findFunction(*M, "lam")->Decorators[0].DottedName, "");
  EXPECT_EQ(findFunction(*M, "spaced")->Decorators[0].DottedName, "");
}

TEST(Function, StaticmethodMustBeTheBareName) {
  // Only the builtin decorator names make a static/class method.
  auto M = lower("class C:\n"
                 "    @abc.abstractmethod\n"
                 "    def a(self): pass\n"
                 "    @functools.cached_property\n"
                 "    def b(self): pass\n");
  EXPECT_EQ(findFunction(*M, "a")->Kind, FunctionKind::Method);
  EXPECT_EQ(findFunction(*M, "b")->Kind, FunctionKind::Method);
}

TEST(Function, PositionalOnlyAfterTypedAndDefault) {
  auto M = lower("def f(a: int, b: int = 0, /): pass\n");
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_EQ(F->Params.size(), 2u);
  EXPECT_EQ(F->Params[0].Kind, ParamKind::PositionalOnly);
  EXPECT_EQ(F->Params[1].Kind, ParamKind::PositionalOnly);
}

TEST(Function, TypedVarArgsAndKwargs) {
  auto M = lower("def f(*args: int, **kwargs: str): pass\n");
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_EQ(F->Params.size(), 2u);
  EXPECT_EQ(F->Params[0].Name, "args");
  EXPECT_EQ(F->Params[0].Kind, ParamKind::VarArgs);
  EXPECT_EQ(F->Params[1].Name, "kwargs");
  EXPECT_EQ(F->Params[1].Kind, ParamKind::VarKeywords);
  EXPECT_EQ(M->text(F->Params[1].Annotation), "str");
}

} // namespace
