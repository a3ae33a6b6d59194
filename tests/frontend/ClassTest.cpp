//===- ClassTest.cpp - ClassDef: bases, decorators, __slots__, names, methods ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(Class, BasesIncludeKeywords) {
  auto M = lower("import abc\n"
                 "class Base: pass\n"
                 "class C(Base, abc.ABC, *mixins, metaclass=abc.ABCMeta, total=False):\n"
                 "    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *C = findClass(*M, "C");
  ASSERT_TRUE(C);
  ASSERT_EQ(C->Bases.size(), 5u);
  EXPECT_EQ(C->Bases[0].Kind, ArgKind::Positional);
  EXPECT_EQ(M->text(C->Bases[0].Value), "Base");
  EXPECT_EQ(dottedName(*M, C->Bases[1].Value), "abc.ABC");
  EXPECT_EQ(C->Bases[2].Kind, ArgKind::Star);
  EXPECT_EQ(M->text(C->Bases[2].Value), "mixins");
  EXPECT_EQ(C->Bases[3].Kind, ArgKind::Keyword);
  EXPECT_EQ(C->Bases[3].Keyword, "metaclass");
  EXPECT_EQ(dottedName(*M, C->Bases[3].Value), "abc.ABCMeta");
  EXPECT_EQ(C->Bases[4].Keyword, "total");
  // Bases are read in the enclosing scope.
  const auto *Base = llvm::cast<NameExpr>(C->Bases[0].Value);
  EXPECT_EQ(Base->InScope, &M->moduleScope());
  ASSERT_TRUE(Base->Sym);
  EXPECT_TRUE(Base->Sym->has(SymClass));
}

TEST(Class, NoBasesAndEmptyParentheses) {
  auto M = lower("class A: pass\nclass B(): pass\n");
  EXPECT_TRUE(findClass(*M, "A")->Bases.empty());
  EXPECT_TRUE(findClass(*M, "B")->Bases.empty());
}

TEST(Class, NameRangeRangeAndScope) {
  std::string Code = "@deco\nclass Point:\n    x = 1\n";
  auto M = lower(Code);
  const ClassDef *C = findClass(*M, "Point");
  ASSERT_TRUE(C);
  EXPECT_EQ(M->text(C->NameRange), "Point");
  EXPECT_EQ(C->Range.Begin, 0u); // the decorated definition starts at `@`
  ASSERT_TRUE(C->OwnScope);
  EXPECT_EQ(C->OwnScope->Kind, ScopeKind::Class);
  EXPECT_EQ(C->OwnScope->Name, "Point");
  EXPECT_EQ(C->OwnScope->classDef(), C);
  EXPECT_EQ(C->OwnScope->Parent, &M->moduleScope());
  EXPECT_TRUE(C->OwnScope->lookupLocal("x"));
  const Symbol *Sym = M->moduleScope().lookupLocal("Point");
  ASSERT_TRUE(Sym);
  EXPECT_TRUE(Sym->has(SymClass));
  EXPECT_TRUE(Sym->has(SymBound));
}

TEST(Class, Decorators) {
  auto M = lower("import functools\n"
                 "@functools.total_ordering\n"
                 "@register('x', key=1)\n"
                 "@registry[0]\n"
                 "class A: pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *A = findClass(*M, "A");
  ASSERT_EQ(A->Decorators.size(), 3u);
  EXPECT_EQ(A->Decorators[0].DottedName, "functools.total_ordering");
  EXPECT_FALSE(A->Decorators[0].Call);
  EXPECT_EQ(A->Decorators[1].DottedName, "register");
  ASSERT_TRUE(A->Decorators[1].Call);
  EXPECT_TRUE(A->Decorators[1].Call->keyword("key"));
  EXPECT_EQ(A->Decorators[2].DottedName, "");
  EXPECT_EQ(M->text(A->Decorators[0].Range), "@functools.total_ordering");
  EXPECT_FALSE(A->Dataclass);
}

TEST(Class, DataclassForms) {
  auto M = lower("import dataclasses\n"
                 "from dataclasses import dataclass\n"
                 "@dataclass\n"
                 "class A:\n    x: int = 0\n"
                 "@dataclasses.dataclass(slots=True, frozen=True)\n"
                 "class B:\n    x: int\n"
                 "@dataclass(slots=False)\n"
                 "class C: pass\n"
                 "@dataclass(frozen=True)\n"
                 "class D: pass\n"
                 "@other.dataclass\n"
                 "class E: pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *A = findClass(*M, "A"), *B = findClass(*M, "B"), *C = findClass(*M, "C"),
                 *D = findClass(*M, "D"), *E = findClass(*M, "E");
  ASSERT_TRUE(A->Dataclass);
  EXPECT_EQ(A->Dataclass, &A->Decorators[0]);
  EXPECT_FALSE(A->Dataclass->Call);
  EXPECT_FALSE(A->DataclassSlots);

  ASSERT_TRUE(B->Dataclass);
  EXPECT_EQ(B->Dataclass->DottedName, "dataclasses.dataclass");
  ASSERT_TRUE(B->Dataclass->Call);
  EXPECT_TRUE(B->Dataclass->Call->keyword("frozen"));
  EXPECT_TRUE(B->DataclassSlots);

  ASSERT_TRUE(C->Dataclass);
  EXPECT_FALSE(C->DataclassSlots);
  ASSERT_TRUE(D->Dataclass);
  EXPECT_FALSE(D->DataclassSlots);
  EXPECT_FALSE(E->Dataclass);
}

TEST(Class, StaticSlotsAsTuple) {
  std::string Code = "class T:\n    __slots__ = ('a', \"b\")\n";
  auto M = lower(Code);
  const ClassDef *T = findClass(*M, "T");
  EXPECT_EQ(T->Slots, SlotsKind::Static);
  EXPECT_EQ(names(T->SlotNames), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(M->text(T->SlotsRange), "__slots__ = ('a', \"b\")");
}

TEST(Class, StaticSlotsAsBareTupleListSetAndString) {
  auto M = lower("class Bare:\n    __slots__ = 'a', 'b'\n"
                 "class L:\n    __slots__ = ['x']\n"
                 "class S:\n    __slots__ = {'p', 'q'}\n"
                 "class One:\n    __slots__ = 'only'\n"
                 "class Empty:\n    __slots__ = ()\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_EQ(names(findClass(*M, "Bare")->SlotNames), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(names(findClass(*M, "L")->SlotNames), (std::vector<std::string>{"x"}));
  EXPECT_EQ(names(findClass(*M, "S")->SlotNames), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(findClass(*M, "One")->Slots, SlotsKind::Static);
  EXPECT_EQ(names(findClass(*M, "One")->SlotNames), (std::vector<std::string>{"only"}));
  EXPECT_EQ(findClass(*M, "Empty")->Slots, SlotsKind::Static);
  EXPECT_TRUE(findClass(*M, "Empty")->SlotNames.empty());
}

TEST(Class, StaticSlotsAsDictUseTheKeys) {
  auto M = lower("class D:\n    __slots__ = {'a': 'doc of a', 'b': None}\n");
  const ClassDef *D = findClass(*M, "D");
  EXPECT_EQ(D->Slots, SlotsKind::Static);
  EXPECT_EQ(names(D->SlotNames), (std::vector<std::string>{"a", "b"}));
}

TEST(Class, AnnotatedSlots) {
  auto M = lower("class A:\n    __slots__: tuple[str, ...] = ('x',)\n");
  const ClassDef *A = findClass(*M, "A");
  EXPECT_EQ(A->Slots, SlotsKind::Static);
  EXPECT_EQ(names(A->SlotNames), (std::vector<std::string>{"x"}));
}

TEST(Class, DynamicSlots) {
  auto M = lower("names = ['a']\n"
                 "class Call:\n    __slots__ = tuple(names)\n"
                 "class Mixed:\n    __slots__ = ('a', names[0])\n"
                 "class Escaped:\n    __slots__ = ('a\\x62',)\n"
                 "class FString:\n    __slots__ = (f'{names}',)\n"
                 "class Aug:\n    __slots__ = ('a',)\n    __slots__ += ('b',)\n"
                 "class Var:\n    __slots__ = names\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  for (const char *Name : {"Call", "Mixed", "Escaped", "FString", "Aug", "Var"}) {
    const ClassDef *C = findClass(*M, Name);
    ASSERT_TRUE(C) << Name;
    EXPECT_EQ(C->Slots, SlotsKind::Dynamic) << Name;
    EXPECT_TRUE(C->SlotNames.empty()) << Name;
  }
}

TEST(Class, NoSlots) {
  auto M = lower("class A:\n    x = 1\n    def __slots(self): pass\n"
                 "class B:\n    def f(self):\n        __slots__ = ('a',)\n");
  EXPECT_EQ(findClass(*M, "A")->Slots, SlotsKind::Absent);
  EXPECT_EQ(findClass(*M, "B")->Slots, SlotsKind::Absent);
}

TEST(Class, QualifiedNamesFollowPython) {
  // Same as __qualname__.
  auto M = lower("class Outer:\n"
                 "    class Inner:\n"
                 "        class Deep: pass\n"
                 "def f():\n"
                 "    class C: pass\n"
                 "    def g():\n"
                 "        class D: pass\n"
                 "class K:\n"
                 "    def m(self):\n"
                 "        class L: pass\n"
                 "    async def am(self):\n"
                 "        class N: pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_EQ(findClass(*M, "Outer")->QualifiedName, "Outer");
  EXPECT_EQ(findClass(*M, "Inner")->QualifiedName, "Outer.Inner");
  EXPECT_EQ(findClass(*M, "Deep")->QualifiedName, "Outer.Inner.Deep");
  EXPECT_EQ(findClass(*M, "C")->QualifiedName, "f.<locals>.C");
  EXPECT_EQ(findClass(*M, "D")->QualifiedName, "f.<locals>.g.<locals>.D");
  EXPECT_EQ(findClass(*M, "L")->QualifiedName, "K.m.<locals>.L");
  EXPECT_EQ(findClass(*M, "N")->QualifiedName, "K.am.<locals>.N");
  EXPECT_EQ(M->classes().size(), 8u);
}

TEST(Class, ClassInsideClassBodyBlock) {
  // A class under `if` in a class body is still qualified by the class.
  auto M = lower("class A:\n    if True:\n        class B: pass\n");
  EXPECT_EQ(findClass(*M, "B")->QualifiedName, "A.B");
}

TEST(Class, MethodsAreTheDirectFunctionDefs) {
  auto M = lower("class A:\n"
                 "    def a(self): pass\n"
                 "    @property\n"
                 "    def b(self): return 1\n"
                 "    async def c(self): pass\n"
                 "    x = lambda self: 1\n"
                 "    class Nested:\n"
                 "        def n(self): pass\n"
                 "    if True:\n"
                 "        def conditional(self): pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ClassDef *A = findClass(*M, "A");
  ASSERT_EQ(A->Methods.size(), 3u);
  EXPECT_EQ(A->Methods[0]->Name, "a");
  EXPECT_EQ(A->Methods[1]->Name, "b");
  EXPECT_EQ(A->Methods[2]->Name, "c");
  EXPECT_EQ(A->findMethod("b"), A->Methods[1]);
  EXPECT_FALSE(A->findMethod("n"));
  EXPECT_FALSE(A->findMethod("missing"));
  for (const FunctionDef *F : A->Methods)
    EXPECT_EQ(F->EnclosingClass, A);
  const ClassDef *Nested = findClass(*M, "Nested");
  ASSERT_EQ(Nested->Methods.size(), 1u);
  EXPECT_EQ(Nested->Methods[0]->Name, "n");
  EXPECT_EQ(Nested->Methods[0]->EnclosingClass, Nested);
  // `conditional` is still a method of A (its scope is the class body).
  const FunctionDef *Cond = findFunction(*M, "conditional");
  ASSERT_TRUE(Cond);
  EXPECT_EQ(Cond->Kind, FunctionKind::Method);
  EXPECT_EQ(Cond->EnclosingClass, A);
}

TEST(Class, ClassBodySymbols) {
  auto M = lower("class A:\n    x = 1\n    def m(self): pass\n    import os\n");
  const Scope *S = findClass(*M, "A")->OwnScope;
  ASSERT_TRUE(S->lookupLocal("x"));
  ASSERT_TRUE(S->lookupLocal("m"));
  EXPECT_TRUE(S->lookupLocal("m")->has(SymFunction));
  EXPECT_TRUE(S->lookupLocal("os")->has(SymImported));
  EXPECT_FALSE(M->moduleScope().lookupLocal("x"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("m"));
}

} // namespace
