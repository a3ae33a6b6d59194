//===- ComprehensionTest.cpp - Lambdas, comprehensions, consumers, walrus ---===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(Lambda, OwnScopeParametersAndDefaults) {
  auto M = lower("c = 1\nf = lambda a, b=c, *rest, key=None, **kw: a + d\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const LambdaExpr *L = firstExpr<LambdaExpr>(*M);
  ASSERT_TRUE(L);
  ASSERT_TRUE(L->OwnScope);
  EXPECT_EQ(L->OwnScope->Kind, ScopeKind::Lambda);
  EXPECT_EQ(L->OwnScope->Parent, &M->moduleScope());
  EXPECT_EQ(L->OwnScope->DefiningExpr, L);
  ASSERT_EQ(L->Params.size(), 5u);
  EXPECT_EQ(L->Params[0].Name, "a");
  EXPECT_EQ(L->Params[1].Name, "b");
  EXPECT_EQ(L->Params[2].Kind, ParamKind::VarArgs);
  EXPECT_EQ(L->Params[3].Kind, ParamKind::KeywordOnly);
  EXPECT_EQ(L->Params[4].Kind, ParamKind::VarKeywords);
  // The default is evaluated in the module.
  const auto *Default = llvm::cast<NameExpr>(L->Params[1].Default);
  EXPECT_EQ(Default->InScope, &M->moduleScope());
  EXPECT_EQ(Default->Sym, M->moduleScope().lookupLocal("c"));
  // The body reads the parameter from the lambda scope; `d` is unbound.
  const auto *Body = llvm::cast<OperatorExpr>(L->Body);
  const auto *A = llvm::cast<NameExpr>(Body->Operands[0]);
  EXPECT_EQ(A->InScope, L->OwnScope);
  ASSERT_TRUE(A->Sym);
  EXPECT_EQ(A->Sym->Owner, L->OwnScope);
  EXPECT_TRUE(A->Sym->has(SymParameter));
  EXPECT_FALSE(llvm::cast<NameExpr>(Body->Operands[1])->Sym);
  EXPECT_FALSE(M->moduleScope().lookupLocal("a"));
}

TEST(Lambda, NoParameters) {
  auto M = lower("g = lambda: 0\n");
  const LambdaExpr *L = firstExpr<LambdaExpr>(*M);
  ASSERT_TRUE(L);
  EXPECT_TRUE(L->Params.empty());
  ASSERT_TRUE(L->Body);
  EXPECT_EQ(L->Body->Kind, ExprKind::Constant);
}

TEST(Lambda, NestedLambdaCapturesOuterParameter) {
  auto M = lower("f = lambda x: lambda: x\n");
  std::vector<const LambdaExpr *> Ls = allExprs<LambdaExpr>(*M);
  ASSERT_EQ(Ls.size(), 2u);
  const Symbol *X = Ls[0]->OwnScope->lookupLocal("x");
  ASSERT_TRUE(X);
  EXPECT_TRUE(X->has(SymCaptured));
  EXPECT_EQ(Ls[1]->OwnScope->Parent, Ls[0]->OwnScope);
}

TEST(Comprehension, OwnScopeAndFirstIterableOutside) {
  auto M = lower("xs = []\nys = [x * k for x in xs if x for k in x]\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ComprehensionExpr *C = firstExpr<ComprehensionExpr>(*M);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Kind, ExprKind::ListComp);
  ASSERT_TRUE(C->OwnScope);
  EXPECT_EQ(C->OwnScope->Kind, ScopeKind::Comprehension);
  EXPECT_EQ(C->OwnScope->DefiningExpr, C);
  EXPECT_EQ(C->OwnScope->Parent, &M->moduleScope());
  ASSERT_EQ(C->Generators.size(), 2u);
  // First iterable: the module's xs.
  const auto *Xs = llvm::cast<NameExpr>(C->Generators[0].Iter);
  EXPECT_EQ(Xs->InScope, &M->moduleScope());
  EXPECT_EQ(Xs->Sym, M->moduleScope().lookupLocal("xs"));
  // Later iterables, targets, conditions and the element live in the comprehension.
  const auto *Second = llvm::cast<NameExpr>(C->Generators[1].Iter);
  EXPECT_EQ(Second->InScope, C->OwnScope);
  const Symbol *X = C->OwnScope->lookupLocal("x");
  ASSERT_TRUE(X);
  EXPECT_EQ(Second->Sym, X);
  EXPECT_EQ(llvm::cast<NameExpr>(C->Generators[0].Target)->Sym, X);
  ASSERT_EQ(C->Generators[0].Conditions.size(), 1u);
  EXPECT_EQ(llvm::cast<NameExpr>(C->Generators[0].Conditions[0])->Sym, X);
  EXPECT_TRUE(C->Generators[1].Conditions.empty());
  EXPECT_EQ(M->text(C->Element), "x * k");
  EXPECT_FALSE(M->moduleScope().lookupLocal("x"));
  EXPECT_FALSE(C->isAsync());
}

TEST(Comprehension, KindsAndDictParts) {
  auto M = lower("a = [x for x in y]\n"
                 "b = {x for x in y}\n"
                 "c = {k: v for k, v in y}\n"
                 "d = (x for x in y)\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  std::vector<const ComprehensionExpr *> Cs = allExprs<ComprehensionExpr>(*M);
  ASSERT_EQ(Cs.size(), 4u);
  EXPECT_EQ(Cs[0]->Kind, ExprKind::ListComp);
  EXPECT_EQ(Cs[1]->Kind, ExprKind::SetComp);
  EXPECT_EQ(Cs[2]->Kind, ExprKind::DictComp);
  EXPECT_EQ(Cs[3]->Kind, ExprKind::GeneratorExp);
  EXPECT_EQ(M->text(Cs[2]->Element), "k");
  EXPECT_EQ(M->text(Cs[2]->Value), "v");
  EXPECT_EQ(Cs[2]->Generators[0].Target->Kind, ExprKind::Tuple);
  EXPECT_FALSE(Cs[0]->Value);
  EXPECT_EQ(Cs[3]->Parens, 0u); // the generator's own parentheses are part of it
}

TEST(Comprehension, AsyncComprehension) {
  auto M = lower("async def f():\n    return [x async for x in aiter()]\n");
  const ComprehensionExpr *C = firstExpr<ComprehensionExpr>(*M);
  ASSERT_TRUE(C);
  EXPECT_TRUE(C->Generators[0].IsAsync);
  EXPECT_TRUE(C->isAsync());
}

TEST(Comprehension, InClassBodyOnlyTheFirstIterableSeesClassNames) {
  auto M = lower("class C:\n"
                 "    n = 3\n"
                 "    xs = [n for _ in range(n)]\n");
  const Scope *Class = findClass(*M, "C")->OwnScope;
  const ComprehensionExpr *Comp = firstExpr<ComprehensionExpr>(*M);
  ASSERT_TRUE(Comp);
  const auto *Range = llvm::cast<CallExpr>(Comp->Generators[0].Iter);
  const auto *IterN = llvm::cast<NameExpr>(Range->soleArgument());
  EXPECT_EQ(IterN->InScope, Class);
  EXPECT_EQ(IterN->Sym, Class->lookupLocal("n"));
  const auto *ElementN = llvm::cast<NameExpr>(Comp->Element);
  EXPECT_EQ(ElementN->InScope, Comp->OwnScope);
  EXPECT_FALSE(ElementN->Sym); // NameError at runtime: class scope is skipped
}

struct ConsumerCase {
  const char *Name;
  const char *Code;
  ConsumerKind Kind;
};

class ComprehensionConsumer : public ::testing::TestWithParam<ConsumerCase> {};

TEST_P(ComprehensionConsumer, IsRecorded) {
  auto M = lower(GetParam().Code);
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ComprehensionExpr *C = firstExpr<ComprehensionExpr>(*M);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Consumer, GetParam().Kind) << GetParam().Code;
  if (GetParam().Kind == ConsumerKind::CallArgument) {
    ASSERT_TRUE(C->ConsumerCall);
    EXPECT_TRUE(C->ConsumerCall->Range.contains(C->Range));
  } else {
    EXPECT_FALSE(C->ConsumerCall);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ComprehensionConsumer,
    ::testing::Values(
        ConsumerCase{"Statement", "[x for x in y]\n", ConsumerKind::None},
        ConsumerCase{"Argument", "sum([x for x in y])\n", ConsumerKind::CallArgument},
        ConsumerCase{"KeywordArgument", "f(key=[x for x in y])\n", ConsumerKind::CallArgument},
        ConsumerCase{"StarArgument", "f(*[x for x in y])\n", ConsumerKind::CallArgument},
        ConsumerCase{"BareGenerator", "sum(x for x in y)\n", ConsumerKind::CallArgument},
        ConsumerCase{"ForIterable", "for a in [x for x in y]: pass\n", ConsumerKind::ForIterable},
        ConsumerCase{"Assigned", "v = [x for x in y]\n", ConsumerKind::Assigned},
        ConsumerCase{"AnnotatedAssignment", "v: list = [x for x in y]\n", ConsumerKind::Assigned},
        ConsumerCase{"ChainedAssignment", "a = b = (x for x in y)\n", ConsumerKind::Assigned},
        ConsumerCase{"Returned", "def f():\n    return {x: 1 for x in y}\n",
                     ConsumerKind::Returned},
        ConsumerCase{"Operand", "n = len(a) + [x for x in y]\n", ConsumerKind::None}),
    [](const ::testing::TestParamInfo<ConsumerCase> &Info) { return Info.param.Name; });

TEST(Comprehension, CallArgumentRecordsTheCall) {
  auto M = lower("total = sum([x for x in y])\n");
  const ComprehensionExpr *C = firstExpr<ComprehensionExpr>(*M);
  ASSERT_TRUE(C && C->ConsumerCall);
  EXPECT_EQ(M->text(C->ConsumerCall->Callee), "sum");
  EXPECT_FALSE(C->ConsumerCall->BareGenerator);
}

TEST(Comprehension, BareGeneratorArgument) {
  std::string Code = "sum(x for x in y)\n";
  auto M = lower(Code);
  const CallExpr *Call = topExpr<CallExpr>(*M);
  ASSERT_TRUE(Call);
  EXPECT_TRUE(Call->BareGenerator);
  ASSERT_EQ(Call->Args.size(), 1u);
  EXPECT_EQ(Call->Args[0].Kind, ArgKind::Positional);
  const auto *Gen = llvm::dyn_cast<ComprehensionExpr>(Call->Args[0].Value);
  ASSERT_TRUE(Gen);
  EXPECT_EQ(Gen->Kind, ExprKind::GeneratorExp);
  EXPECT_EQ(Gen->ConsumerCall, Call);
  EXPECT_EQ(Call->soleArgument(), Gen);
  EXPECT_EQ(M->text(Call->ArgsRange), "(x for x in y)");
}

TEST(Comprehension, ParenthesizedGeneratorAmongOtherArgumentsIsNotBare) {
  auto M = lower("f(a, (x for x in y))\n");
  const CallExpr *Call = topExpr<CallExpr>(*M);
  ASSERT_TRUE(Call);
  EXPECT_FALSE(Call->BareGenerator);
  ASSERT_EQ(Call->Args.size(), 2u);
  const auto *Gen = llvm::dyn_cast<ComprehensionExpr>(Call->Args[1].Value);
  ASSERT_TRUE(Gen);
  EXPECT_EQ(Gen->Consumer, ConsumerKind::CallArgument);
  EXPECT_EQ(Gen->ConsumerCall, Call);
}

TEST(Comprehension, NestedComprehensionAsIterable) {
  auto M = lower("r = [a for a in [x for x in y]]\n");
  std::vector<const ComprehensionExpr *> Cs = allExprs<ComprehensionExpr>(*M);
  ASSERT_EQ(Cs.size(), 2u);
  EXPECT_EQ(Cs[0]->Consumer, ConsumerKind::Assigned);
  EXPECT_EQ(Cs[1]->Consumer, ConsumerKind::ForIterable);
  // The inner comprehension is the outer one's first iterable: it belongs to the module.
  EXPECT_EQ(Cs[1]->OwnScope->Parent, &M->moduleScope());
}

TEST(Walrus, BindsInTheEnclosingScopeFromAComprehension) {
  auto M = lower("xs = [1]\n"
                 "ys = [y := x * 2 for x in xs]\n"
                 "print(y)\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const NamedExpr *W = firstExpr<NamedExpr>(*M);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Target->Ctx, ExprContext::Store);
  EXPECT_EQ(W->Target->InScope, &M->moduleScope());
  const Symbol *Y = M->moduleScope().lookupLocal("y");
  ASSERT_TRUE(Y);
  EXPECT_EQ(W->Target->Sym, Y);
  EXPECT_EQ(Y->Refs.size(), 2u);
  EXPECT_EQ(M->text(W->Value), "x * 2");
  // `x` in the value still belongs to the comprehension.
  const ComprehensionExpr *C = firstExpr<ComprehensionExpr>(*M);
  EXPECT_EQ(llvm::cast<NameExpr>(llvm::cast<OperatorExpr>(W->Value)->Operands[0])->InScope,
            C->OwnScope);
  EXPECT_FALSE(C->OwnScope->lookupLocal("y"));
}

TEST(Walrus, NestedComprehensionsInAFunction) {
  auto M = lower("def f(d, b):\n"
                 "    [[(z := 1) for a in b] for c in d]\n"
                 "    return z\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  const Symbol *Z = F->lookupLocal("z");
  ASSERT_TRUE(Z);
  EXPECT_EQ(Z->Refs.size(), 2u);
  EXPECT_TRUE(Z->has(SymBound));
}

TEST(Walrus, InConditions) {
  auto M = lower("if (n := len(a)) > 10:\n    print(n)\nwhile chunk := read():\n    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Symbol *N = M->moduleScope().lookupLocal("n");
  ASSERT_TRUE(N);
  EXPECT_EQ(N->Refs.size(), 2u);
  EXPECT_TRUE(M->moduleScope().lookupLocal("chunk"));
  const NamedExpr *W = firstExpr<NamedExpr>(*M);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Parens, 1u);
}

TEST(Walrus, InsideALambdaBindsInTheLambda) {
  auto M = lower("f = lambda: (w := 1)\n");
  const LambdaExpr *L = firstExpr<LambdaExpr>(*M);
  ASSERT_TRUE(L);
  EXPECT_TRUE(L->OwnScope->lookupLocal("w"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("w"));
}

} // namespace
