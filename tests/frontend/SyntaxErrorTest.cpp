//===- SyntaxErrorTest.cpp - Module::syntaxError() for broken and Python 2 code ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(SyntaxError, ValidFileHasNoError) {
  auto M = lower("import os\n"
                 "\n"
                 "class A:\n"
                 "    def f(self, x=1, *a, **k):\n"
                 "        return [y for y in x if y] or {k: v for k, v in a}\n"
                 "\n"
                 "async def g():\n"
                 "    async with a as b:\n"
                 "        await b\n"
                 "match x:\n"
                 "    case [1, *rest]:\n"
                 "        pass\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(SyntaxError, ReportsTheErrorPosition) {
  std::string Code = "ok = 1\nx = $bad\nalso_ok = 2\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  Position P = M->source().position(M->syntaxError()->Range.Begin);
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(M->syntaxError()->Range.Begin, offsetOf(Code, "$"));
  EXPECT_NE(errorMessage(*M).find("$"), std::string::npos) << errorMessage(*M);
  // The statements around the error are still lowered.
  EXPECT_TRUE(M->moduleScope().lookupLocal("ok"));
  EXPECT_TRUE(M->moduleScope().lookupLocal("also_ok"));
}

TEST(SyntaxError, ReportsTheFirstOfSeveralErrors) {
  std::string Code = "a = 1\nb = $one\nc = 2\nd = $two\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->source().position(M->syntaxError()->Range.Begin).Line, 2u) << errorMessage(*M);
}

TEST(SyntaxError, MissingTokenIsNamed) {
  auto M = lower("def f(:\n    pass\n");
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->source().position(M->syntaxError()->Range.Begin).Line, 1u);
}

TEST(SyntaxError, UnclosedParenthesis) {
  auto M = lower("x = foo(1,\ny = 2\n");
  ASSERT_TRUE(M->syntaxError());
}

TEST(SyntaxError, Python2PrintStatement) {
  std::string Code = "x = 1\nprint x\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->syntaxError()->Range.Begin, offsetOf(Code, "print"));
  EXPECT_NE(errorMessage(*M).find("print"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, Python2PrintStatementWithString) {
  auto M = lower("print \"hello\", name\n");
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("print"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, PrintFunctionIsFine) {
  auto M = lower("print(x)\nprint('a', file=f)\nprint\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(SyntaxError, Python2ExecStatement) {
  std::string Code = "exec code\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->syntaxError()->Range.Begin, 0u);
  EXPECT_NE(errorMessage(*M).find("exec"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, ExecFunctionIsFine) {
  auto M = lower("exec(code)\nexec(code, g, l)\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(SyntaxError, Python2ExceptComma) {
  std::string Code = "try:\n    pass\nexcept ValueError, e:\n    pass\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->source().position(M->syntaxError()->Range.Begin).Line, 3u);
  EXPECT_NE(errorMessage(*M).find("except"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, ExceptTupleAndAsAreFine) {
  auto M = lower("try:\n    pass\nexcept (ValueError, KeyError) as e:\n    pass\n"
                 "except OSError:\n    pass\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(SyntaxError, Python2NotEqualOperator) {
  std::string Code = "if a <> b:\n    pass\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->syntaxError()->Range.Begin, offsetOf(Code, "<>"));
  EXPECT_NE(errorMessage(*M).find("<>"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, Python2RaiseWithComma) {
  auto M = lower("raise ValueError, 'message'\n");
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("raise"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, RaiseParenthesizedTupleIsNotFlagged) {
  // `raise (A, B)` is legal syntax (a TypeError at runtime), not Python 2 syntax.
  auto M = lower("raise (ValueError, 'message')\nraise E from cause\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(SyntaxError, Python2TupleParameter) {
  auto M = lower("def f(a, (b, c)):\n    pass\n");
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("tuple parameter"), std::string::npos) << errorMessage(*M);
}

TEST(SyntaxError, EarliestErrorWins) {
  // Both lines are Python 2; the report points at the first.
  std::string Code = "x = a <> b\nprint x\n";
  auto M = lower(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_EQ(M->syntaxError()->Range.Begin, offsetOf(Code, "<>")) << errorMessage(*M);
}

} // namespace
