//===- ScopeTest.cpp - Scopes and name resolution: global, nonlocal, captures ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(Scope, ModuleScope) {
  auto M = lower("x = 1\n");
  const Scope &S = M->moduleScope();
  EXPECT_EQ(S.Kind, ScopeKind::Module);
  EXPECT_FALSE(S.Parent);
  ASSERT_FALSE(M->scopes().empty());
  EXPECT_EQ(M->scopes()[0], &S);
  const Symbol *X = S.lookupLocal("x");
  ASSERT_TRUE(X);
  EXPECT_EQ(X->Owner, &S);
  EXPECT_TRUE(X->has(SymBound));
  EXPECT_FALSE(X->has(SymCaptured));
}

TEST(Scope, SymbolsAreSortedByName) {
  auto M = lower("zeta = 1\nalpha = 2\nmid = 3\nimport beta\ndef gamma(): pass\n");
  std::vector<std::string> Names;
  for (const Symbol *S : M->moduleScope().Symbols)
    Names.push_back(S->Name.str());
  EXPECT_EQ(Names, (std::vector<std::string>{"alpha", "beta", "gamma", "mid", "zeta"}));
}

TEST(Scope, RefsAreInSourceOrderAcrossScopes) {
  std::string Code = "v = v + 1\n"
                     "def f():\n"
                     "    return v\n"
                     "print(v)\n"
                     "del v\n";
  auto M = lower(Code);
  const Symbol *V = M->moduleScope().lookupLocal("v");
  ASSERT_TRUE(V);
  ASSERT_EQ(V->Refs.size(), 5u);
  for (size_t I = 1; I < V->Refs.size(); ++I)
    EXPECT_LT(V->Refs[I - 1]->Range.Begin, V->Refs[I]->Range.Begin);
  EXPECT_EQ(V->Refs[0]->Range.Begin, 0u);
  EXPECT_EQ(V->Refs[0]->Ctx, ExprContext::Store); // the target comes first in the source
  EXPECT_EQ(V->Refs[1]->Ctx, ExprContext::Load);
  EXPECT_EQ(V->Refs[2]->InScope, findFunction(*M, "f")->OwnScope);
  EXPECT_EQ(V->Refs[3]->Ctx, ExprContext::Load);
  EXPECT_EQ(V->Refs[4]->Ctx, ExprContext::Del);
  EXPECT_TRUE(V->has(SymDeleted));
  for (const NameExpr *N : V->Refs)
    EXPECT_EQ(N->Sym, V);
}

TEST(Scope, UndefinedNamesHaveNoSymbol) {
  auto M = lower("print(undefined_thing)\n");
  const NameExpr *N = findName(*M, "undefined_thing");
  ASSERT_TRUE(N);
  EXPECT_FALSE(N->Sym);
  EXPECT_EQ(N->InScope, &M->moduleScope());
}

TEST(Scope, IsBuiltin) {
  auto M = lower("len(a)\n"
                 "def f():\n"
                 "    open = 1\n"
                 "    return open, len, list\n"
                 "list = []\n");
  EXPECT_TRUE(M->isBuiltin(findName(*M, "len", 0)));
  EXPECT_TRUE(M->isBuiltin(findName(*M, "len", 1)));
  EXPECT_FALSE(M->isBuiltin(findName(*M, "open", 1))); // the local shadows it
  EXPECT_FALSE(M->isBuiltin(findName(*M, "list", 0))); // the module binding shadows it
}

TEST(Scope, IsBuiltinIsFalseAfterAStarImport) {
  auto M = lower("from helpers import *\nlen(a)\n");
  EXPECT_TRUE(M->moduleScope().HasStarImport);
  EXPECT_FALSE(M->isBuiltin(findName(*M, "len")));
}

TEST(Scope, IsBuiltinInsideAClassBody) {
  // A class attribute named like a builtin does not shadow it inside methods.
  auto M = lower("class C:\n"
                 "    id = 1\n"
                 "    def m(self):\n"
                 "        return id(self)\n");
  const NameExpr *Inner = findName(*M, "id", 1);
  ASSERT_TRUE(Inner);
  EXPECT_FALSE(Inner->Sym);
  EXPECT_TRUE(M->isBuiltin(Inner));
}

TEST(Scope, GlobalResolvesToTheModuleSymbol) {
  auto M = lower("counter = 0\n"
                 "def inc():\n"
                 "    global counter\n"
                 "    counter += 1\n"
                 "    return counter\n");
  const Symbol *Counter = M->moduleScope().lookupLocal("counter");
  ASSERT_TRUE(Counter);
  const FunctionDef *Inc = findFunction(*M, "inc");
  const auto *Aug = llvm::cast<AugAssignStmt>(Inc->Inner[1]);
  EXPECT_EQ(llvm::cast<NameExpr>(Aug->Target)->Sym, Counter);
  const auto *Ret = llvm::cast<ReturnStmt>(Inc->Inner[2]);
  EXPECT_EQ(llvm::cast<NameExpr>(Ret->Value)->Sym, Counter);
  // The declaration is recorded in the function's scope; the binding is not.
  const Symbol *Decl = Inc->OwnScope->lookupLocal("counter");
  ASSERT_TRUE(Decl);
  EXPECT_TRUE(Decl->has(SymGlobal));
  EXPECT_FALSE(Decl->has(SymBound));
  EXPECT_EQ(Counter->Refs.size(), 3u);
  EXPECT_FALSE(Counter->has(SymCaptured));
  const auto *G = llvm::cast<NameListStmt>(Inc->Inner[0]);
  EXPECT_EQ(G->Kind, StmtKind::Global);
  EXPECT_EQ(names(G->Names), (std::vector<std::string>{"counter"}));
}

TEST(Scope, GlobalCreatesTheModuleBinding) {
  auto M = lower("def setup():\n"
                 "    global CONFIG, cache\n"
                 "    CONFIG = {}\n"
                 "    import cache\n"
                 "def use():\n"
                 "    return CONFIG\n");
  const Symbol *Config = M->moduleScope().lookupLocal("CONFIG");
  ASSERT_TRUE(Config);
  EXPECT_TRUE(Config->has(SymBound));
  const Symbol *Cache = M->moduleScope().lookupLocal("cache");
  ASSERT_TRUE(Cache);
  EXPECT_TRUE(Cache->has(SymImported));
  const NameExpr *Use = findName(*M, "CONFIG", 1);
  ASSERT_TRUE(Use);
  EXPECT_EQ(Use->InScope, findFunction(*M, "use")->OwnScope);
  EXPECT_EQ(Use->Sym, Config);
}

TEST(Scope, NonlocalResolvesToTheEnclosingFunction) {
  auto M = lower("x = 'module'\n"
                 "def outer():\n"
                 "    x = 1\n"
                 "    def inner():\n"
                 "        nonlocal x\n"
                 "        x = 2\n"
                 "        return x\n"
                 "    return inner\n");
  const FunctionDef *Outer = findFunction(*M, "outer");
  const FunctionDef *Inner = findFunction(*M, "inner");
  const Symbol *OuterX = Outer->OwnScope->lookupLocal("x");
  ASSERT_TRUE(OuterX);
  EXPECT_TRUE(OuterX->has(SymCaptured));
  const auto *Store = llvm::cast<AssignStmt>(Inner->Inner[1]);
  EXPECT_EQ(llvm::cast<NameExpr>(Store->Targets[0])->Sym, OuterX);
  const auto *Ret = llvm::cast<ReturnStmt>(Inner->Inner[2]);
  EXPECT_EQ(llvm::cast<NameExpr>(Ret->Value)->Sym, OuterX);
  const Symbol *Decl = Inner->OwnScope->lookupLocal("x");
  ASSERT_TRUE(Decl);
  EXPECT_TRUE(Decl->has(SymNonlocal));
  EXPECT_FALSE(Decl->has(SymBound));
  EXPECT_EQ(OuterX->Refs.size(), 3u);
  EXPECT_EQ(M->moduleScope().lookupLocal("x")->Refs.size(), 1u);
}

TEST(Scope, NonlocalSkipsAnIntermediateNonlocal) {
  auto M = lower("def a():\n"
                 "    v = 0\n"
                 "    def b():\n"
                 "        nonlocal v\n"
                 "        def c():\n"
                 "            nonlocal v\n"
                 "            v += 1\n"
                 "        return c\n"
                 "    return b\n");
  const Symbol *V = findFunction(*M, "a")->OwnScope->lookupLocal("v");
  ASSERT_TRUE(V);
  const auto *Aug = llvm::cast<AugAssignStmt>(findFunction(*M, "c")->Inner[1]);
  EXPECT_EQ(llvm::cast<NameExpr>(Aug->Target)->Sym, V);
  EXPECT_TRUE(V->has(SymCaptured));
}

TEST(Scope, CapturedWhenANestedScopeReadsAFunctionLocal) {
  auto M = lower("def f():\n"
                 "    a = 1\n"
                 "    b = 2\n"
                 "    c = 3\n"
                 "    d = 4\n"
                 "    def g():\n"
                 "        return a\n"
                 "    h = lambda: c\n"
                 "    return b, [d for _ in range(3)], g, h\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  EXPECT_TRUE(F->lookupLocal("a")->has(SymCaptured));  // nested def
  EXPECT_FALSE(F->lookupLocal("b")->has(SymCaptured)); // only read in f
  EXPECT_TRUE(F->lookupLocal("c")->has(SymCaptured));  // lambda
  EXPECT_TRUE(F->lookupLocal("d")->has(SymCaptured));  // comprehension body
  EXPECT_FALSE(F->lookupLocal("g")->has(SymCaptured));
}

TEST(Scope, ModuleNamesAreNeverCaptured) {
  auto M = lower("a = 1\ndef f():\n    return a\ng = lambda: a\n");
  const Symbol *A = M->moduleScope().lookupLocal("a");
  EXPECT_FALSE(A->has(SymCaptured));
  EXPECT_EQ(A->Refs.size(), 3u);
}

TEST(Scope, ClassBodiesDoNotEncloseMethods) {
  auto M = lower("x = 'module'\n"
                 "class C:\n"
                 "    x = 'class'\n"
                 "    y = x\n"
                 "    def helper(self): pass\n"
                 "    def m(self):\n"
                 "        return x, helper, y\n");
  const Symbol *ModuleX = M->moduleScope().lookupLocal("x");
  const Scope *Class = findClass(*M, "C")->OwnScope;
  const Symbol *ClassX = Class->lookupLocal("x");
  ASSERT_TRUE(ModuleX && ClassX);
  // In the class body, `x` is the class attribute.
  const NameExpr *InBody = findName(*M, "x", 2);
  ASSERT_TRUE(InBody);
  EXPECT_EQ(InBody->InScope, Class);
  EXPECT_EQ(InBody->Sym, ClassX);
  // In the method, `x` skips the class body and finds the module's; helper and y are not visible.
  const Scope *Method = findFunction(*M, "m")->OwnScope;
  const NameExpr *InMethod = findName(*M, "x", 3);
  ASSERT_TRUE(InMethod);
  EXPECT_EQ(InMethod->InScope, Method);
  EXPECT_EQ(InMethod->Sym, ModuleX);
  const NameExpr *Helper = findName(*M, "helper");
  ASSERT_TRUE(Helper);
  EXPECT_FALSE(Helper->Sym);
  const NameExpr *Y = findName(*M, "y", 1);
  ASSERT_TRUE(Y);
  EXPECT_EQ(Y->InScope, Method);
  EXPECT_FALSE(Y->Sym);
  EXPECT_FALSE(ClassX->has(SymCaptured));
}

TEST(Scope, ClassBodyInsideFunctionSeesFunctionLocals) {
  auto M = lower("def f():\n"
                 "    size = 3\n"
                 "    class C:\n"
                 "        n = size\n"
                 "        def m(self):\n"
                 "            return size\n"
                 "    return C\n");
  const Symbol *Size = findFunction(*M, "f")->OwnScope->lookupLocal("size");
  ASSERT_TRUE(Size);
  ASSERT_EQ(Size->Refs.size(), 3u);
  EXPECT_EQ(Size->Refs[1]->InScope, findClass(*M, "C")->OwnScope);
  EXPECT_EQ(Size->Refs[2]->InScope, findFunction(*M, "m")->OwnScope);
  EXPECT_TRUE(Size->has(SymCaptured));
}

TEST(Scope, LocalBindingAnywhereInTheFunctionMakesTheNameLocal) {
  // Python decides scope per function, not per statement: the read before the store is local.
  auto M = lower("x = 1\n"
                 "def f():\n"
                 "    print(x)\n"
                 "    x = 2\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  const NameExpr *Read = findName(*M, "x", 1);
  ASSERT_TRUE(Read);
  EXPECT_EQ(Read->Sym, F->lookupLocal("x"));
}

TEST(Scope, DelAndAugmentedAssignmentBind) {
  auto M = lower("def f():\n    a += 1\n    del b\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  ASSERT_TRUE(F->lookupLocal("a"));
  EXPECT_TRUE(F->lookupLocal("a")->has(SymBound));
  ASSERT_TRUE(F->lookupLocal("b"));
  EXPECT_TRUE(F->lookupLocal("b")->has(SymDeleted));
}

TEST(Scope, UsesLocalsOrVars) {
  auto M = lower("def a():\n    return locals()\n"
                 "def b():\n    return eval('x')\n"
                 "def c():\n    return len([])\n"
                 "def d():\n    locals = dict\n    return locals()\n"
                 "def e():\n    def inner():\n        return vars()\n");
  EXPECT_TRUE(findFunction(*M, "a")->OwnScope->UsesLocalsOrVars);
  EXPECT_TRUE(findFunction(*M, "b")->OwnScope->UsesLocalsOrVars);
  EXPECT_FALSE(findFunction(*M, "c")->OwnScope->UsesLocalsOrVars);
  EXPECT_FALSE(findFunction(*M, "d")->OwnScope->UsesLocalsOrVars); // not the builtin
  EXPECT_FALSE(findFunction(*M, "e")->OwnScope->UsesLocalsOrVars); // only the nested function
  EXPECT_TRUE(findFunction(*M, "inner")->OwnScope->UsesLocalsOrVars);
}

TEST(Scope, ExceptAndWithAndForTargetsBind) {
  auto M = lower("def f():\n"
                 "    for i in x: pass\n"
                 "    with a as w: pass\n"
                 "    try: pass\n"
                 "    except E as err: pass\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  for (const char *Name : {"i", "w", "err"}) {
    ASSERT_TRUE(F->lookupLocal(Name)) << Name;
    EXPECT_TRUE(F->lookupLocal(Name)->has(SymBound)) << Name;
  }
  EXPECT_FALSE(F->lookupLocal("x"));
}

} // namespace
