//===- ExpressionTest.cpp - Constants, strings, f-strings, operators, helpers ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

const ConstantExpr *constantOf(const Module &M, size_t Index) {
  const auto *A = topStmt<AssignStmt>(M, Index);
  return A ? llvm::dyn_cast<ConstantExpr>(A->Value) : nullptr;
}

TEST(Constant, Kinds) {
  auto M = lower("a = 1\nb = 1.5\nc = True\nd = False\ne = None\nf = ...\ng = 'str'\nh = b'x'\n"
                 "i = 0x1F\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  ConstantKind Want[] = {ConstantKind::Integer, ConstantKind::Float, ConstantKind::True,
                         ConstantKind::False,   ConstantKind::None,  ConstantKind::Ellipsis,
                         ConstantKind::String,  ConstantKind::Bytes, ConstantKind::Integer};
  for (size_t I = 0; I < std::size(Want); ++I) {
    const ConstantExpr *C = constantOf(*M, I);
    ASSERT_TRUE(C) << I;
    EXPECT_EQ(C->Value, Want[I]) << I;
  }
}

TEST(Constant, PlainTextOfSimpleStrings) {
  auto M = lower("a = 'abc'\n"
                 "b = \"double\"\n"
                 "c = '''triple\nline'''\n"
                 "d = r'raw\\d'\n"
                 "e = u'unicode'\n"
                 "f = ''\n"
                 "g = R\"RAW\"\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const char *Want[] = {"abc", "double", "triple\nline", "raw\\d", "unicode", "", "RAW"};
  for (size_t I = 0; I < std::size(Want); ++I) {
    const ConstantExpr *C = constantOf(*M, I);
    ASSERT_TRUE(C) << I;
    EXPECT_EQ(C->Value, ConstantKind::String) << I;
    EXPECT_TRUE(C->HasPlainText) << I;
    EXPECT_EQ(C->PlainText, Want[I]) << I;
  }
}

TEST(Constant, NoPlainTextForEscapesConcatenationAndBytes) {
  auto M = lower("a = 'tab\\there'\n"
                 "b = 'x' 'y'\n"
                 "c = b'bytes'\n"
                 "d = 'quote\\''\n"
                 "e = b'a' b'b'\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  for (size_t I = 0; I < 5; ++I) {
    const ConstantExpr *C = constantOf(*M, I);
    ASSERT_TRUE(C) << I;
    EXPECT_FALSE(C->HasPlainText) << I;
    EXPECT_TRUE(C->PlainText.empty()) << I;
  }
  EXPECT_EQ(constantOf(*M, 1)->Value, ConstantKind::String);
  EXPECT_EQ(constantOf(*M, 4)->Value, ConstantKind::Bytes);
  EXPECT_EQ(M->text(constantOf(*M, 1)), "'x' 'y'");
}

TEST(FString, InterpolationsAreLoweredExpressions) {
  auto M = lower("a = b = width = 1\n"
                 "s = f'{a} and {b!r:>{width}}'\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *F = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M, 1)->Value);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Interpolations.size(), 3u);
  EXPECT_EQ(M->text(F->Interpolations[0]), "a");
  EXPECT_EQ(M->text(F->Interpolations[1]), "b");
  EXPECT_EQ(M->text(F->Interpolations[2]), "width");
  // Each resolves to the module binding.
  for (const Expr *E : F->Interpolations) {
    const auto *N = llvm::cast<NameExpr>(E);
    ASSERT_TRUE(N->Sym) << N->Id.str();
    EXPECT_EQ(N->Sym->Owner, &M->moduleScope());
  }
}

TEST(FString, NestedFormatSpecsAndExpressions) {
  auto M = lower("s = f'{x:{y}.{z}} {obj.attr[0]()} {n + 1:>10}'\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *F = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M)->Value);
  ASSERT_TRUE(F);
  std::vector<std::string> Texts;
  for (const Expr *E : F->Interpolations)
    Texts.push_back(M->text(E).str());
  EXPECT_EQ(Texts, (std::vector<std::string>{"x", "y", "z", "obj.attr[0]()", "n + 1"}));
  EXPECT_EQ(F->Interpolations[3]->Kind, ExprKind::Call);
  EXPECT_EQ(F->Interpolations[4]->Kind, ExprKind::BinOp);
}

TEST(FString, NestedFString) {
  auto M = lower("s = f\"{'a' + f'{inner}'}\"\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *F = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M)->Value);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Interpolations.size(), 1u);
  std::vector<const FStringExpr *> Inner = allExprsIn<FStringExpr>(F->Interpolations[0]);
  ASSERT_EQ(Inner.size(), 1u);
  ASSERT_EQ(Inner[0]->Interpolations.size(), 1u);
  EXPECT_EQ(M->text(Inner[0]->Interpolations[0]), "inner");
  EXPECT_TRUE(findName(*M, "inner"));
}

TEST(FString, WithoutInterpolationsAndPrefixes) {
  auto M = lower("a = f'plain'\nb = rf'{p}\\d'\nc = F'{q}'\nd = f'{{literal}}'\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *A = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M, 0)->Value);
  ASSERT_TRUE(A);
  EXPECT_TRUE(A->Interpolations.empty());
  const auto *B = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M, 1)->Value);
  ASSERT_TRUE(B);
  EXPECT_EQ(B->Interpolations.size(), 1u);
  const auto *C = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M, 2)->Value);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Interpolations.size(), 1u);
  const auto *D = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M, 3)->Value);
  ASSERT_TRUE(D);
  EXPECT_TRUE(D->Interpolations.empty());
}

TEST(FString, ConcatenatedWithPlainStrings) {
  auto M = lower("s = 'a' f'{b}' 'c' f'{d}'\n");
  const auto *F = llvm::dyn_cast<FStringExpr>(topStmt<AssignStmt>(*M)->Value);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Interpolations.size(), 2u);
  EXPECT_EQ(M->text(F->Interpolations[0]), "b");
  EXPECT_EQ(M->text(F->Interpolations[1]), "d");
  EXPECT_EQ(M->text(F), "'a' f'{b}' 'c' f'{d}'");
}

TEST(FString, LambdaAndComprehensionInsideGetTheirScopes) {
  auto M = lower("def f(items):\n    return f'{[i for i in items]} {(lambda: items)()}'\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Scope *F = findFunction(*M, "f")->OwnScope;
  EXPECT_TRUE(findScope(*M, ScopeKind::Comprehension));
  EXPECT_TRUE(findScope(*M, ScopeKind::Lambda));
  EXPECT_TRUE(F->lookupLocal("items")->has(SymCaptured));
  EXPECT_EQ(F->lookupLocal("items")->Refs.size(), 2u);
}

TEST(Operators, BinaryBooleanUnaryCompare) {
  auto M = lower("a + b * c\nx and y or z\nnot p\n-q\na < b <= c\na is not b\nx not in y\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *Add = topExpr<OperatorExpr>(*M, 0);
  ASSERT_TRUE(Add);
  EXPECT_EQ(Add->Kind, ExprKind::BinOp);
  EXPECT_EQ(names(Add->Operators), (std::vector<std::string>{"+"}));
  EXPECT_EQ(Add->Operands[1]->Kind, ExprKind::BinOp); // precedence: a + (b * c)

  const auto *Or = topExpr<OperatorExpr>(*M, 1);
  ASSERT_TRUE(Or);
  EXPECT_EQ(Or->Kind, ExprKind::BoolOp);
  EXPECT_EQ(names(Or->Operators), (std::vector<std::string>{"or"}));
  EXPECT_EQ(llvm::cast<OperatorExpr>(Or->Operands[0])->Operators[0], "and");

  const auto *Not = topExpr<OperatorExpr>(*M, 2);
  ASSERT_TRUE(Not);
  EXPECT_EQ(Not->Kind, ExprKind::UnaryOp);
  EXPECT_EQ(Not->Operators[0], "not");
  ASSERT_EQ(Not->Operands.size(), 1u);
  const auto *Neg = topExpr<OperatorExpr>(*M, 3);
  EXPECT_EQ(Neg->Operators[0], "-");

  const auto *Cmp = topExpr<OperatorExpr>(*M, 4);
  ASSERT_TRUE(Cmp);
  EXPECT_EQ(Cmp->Kind, ExprKind::Compare);
  EXPECT_EQ(Cmp->Operands.size(), 3u);
  EXPECT_EQ(names(Cmp->Operators), (std::vector<std::string>{"<", "<="}));
  EXPECT_EQ(topExpr<OperatorExpr>(*M, 5)->Operators[0], "is not");
  EXPECT_EQ(topExpr<OperatorExpr>(*M, 6)->Operators[0], "not in");
}

TEST(Expressions, ConditionalStarredSliceAndDisplays) {
  auto M = lower("a if c else b\n[*xs, 1]\n{**base, 'k': v}\n{1, 2}\nx[1:]\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *If = topExpr<IfExpr>(*M, 0);
  ASSERT_TRUE(If);
  EXPECT_EQ(M->text(If->Body), "a");
  EXPECT_EQ(M->text(If->Test), "c");
  EXPECT_EQ(M->text(If->OrElse), "b");

  const auto *List = topExpr<SequenceExpr>(*M, 1);
  ASSERT_TRUE(List);
  EXPECT_EQ(List->Kind, ExprKind::List);
  const auto *Star = llvm::dyn_cast<UnaryValueExpr>(List->Elements[0]);
  ASSERT_TRUE(Star);
  EXPECT_EQ(Star->Kind, ExprKind::Starred);
  EXPECT_FALSE(Star->DoubleStar);

  const auto *Dict = topExpr<DictExpr>(*M, 2);
  ASSERT_TRUE(Dict);
  ASSERT_EQ(Dict->Items.size(), 2u);
  EXPECT_FALSE(Dict->Items[0].Key);
  EXPECT_EQ(M->text(Dict->Items[0].Value), "base");
  EXPECT_EQ(M->text(Dict->Items[1].Key), "'k'");

  const auto *Set = topExpr<SequenceExpr>(*M, 3);
  ASSERT_TRUE(Set);
  EXPECT_EQ(Set->Kind, ExprKind::Set);

  const auto *Sub = topExpr<SubscriptExpr>(*M, 4);
  ASSERT_TRUE(Sub);
  const auto *Sl = llvm::dyn_cast<SliceExpr>(Sub->Index);
  ASSERT_TRUE(Sl);
  EXPECT_EQ(M->text(Sl->Lower), "1");
  EXPECT_FALSE(Sl->Upper);
}

TEST(Expressions, ParenthesesAreCountedAndIncludedInTheRange) {
  std::string Code = "x = ((a))\ny = (a, b)\n";
  auto M = lower(Code);
  const Expr *V = topStmt<AssignStmt>(*M, 0)->Value;
  ASSERT_EQ(V->Kind, ExprKind::Name);
  EXPECT_EQ(V->Parens, 2u);
  EXPECT_EQ(M->text(V), "((a))");
  const Expr *T = topStmt<AssignStmt>(*M, 1)->Value;
  EXPECT_EQ(T->Kind, ExprKind::Tuple);
  EXPECT_EQ(T->Parens, 0u);
}

TEST(Expressions, CommentsInsideParentheses) {
  auto M = lower("x = (  # why\n    a\n)\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Expr *V = topStmt<AssignStmt>(*M)->Value;
  EXPECT_EQ(V->Kind, ExprKind::Name);
  EXPECT_EQ(V->Parens, 1u);
}

TEST(Helpers, DottedName) {
  auto M = lower("a.b.c\na.b().c\n(a).b\na\n'a'.b\n");
  EXPECT_EQ(dottedName(*M, topExpr<Expr>(*M, 0)), "a.b.c");
  EXPECT_EQ(dottedName(*M, topExpr<Expr>(*M, 1)), "");
  EXPECT_EQ(dottedName(*M, topExpr<Expr>(*M, 2)), "");
  EXPECT_EQ(dottedName(*M, topExpr<Expr>(*M, 3)), "a");
  EXPECT_EQ(dottedName(*M, topExpr<Expr>(*M, 4)), "");
}

TEST(Helpers, RootName) {
  auto M = lower("self.items[0].x\nf().y\n'a'.join\n");
  const NameExpr *R = rootName(topExpr<Expr>(*M, 0));
  ASSERT_TRUE(R);
  EXPECT_EQ(R->Id, "self");
  ASSERT_TRUE(rootName(topExpr<Expr>(*M, 1)));
  EXPECT_EQ(rootName(topExpr<Expr>(*M, 1))->Id, "f");
  EXPECT_FALSE(rootName(topExpr<Expr>(*M, 2)));
}

TEST(Helpers, WalkerCanSkipChildren) {
  auto M = lower("f(g(h(1)))\n");
  struct SkipCalls : Walker {
    int Calls = 0;
    bool visitExpr(const Expr *E) override {
      if (E->Kind == ExprKind::Call)
        ++Calls;
      return Calls < 2;
    }
  } W;
  W.walk(M->body());
  EXPECT_EQ(W.Calls, 2);
}

} // namespace
