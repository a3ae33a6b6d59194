//===- RobustnessTest.cpp - Deep nesting, empty files, BOM and line endings ===//

#include "LowerTestHelpers.h"

#include "llvm/Support/thread.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

std::string repeat(llvm::StringRef S, unsigned N) {
  std::string Out;
  Out.reserve(S.size() * N);
  for (unsigned I = 0; I < N; ++I)
    Out += S;
  return Out;
}

TEST(Robustness, ThousandDeepParentheses) {
  std::string Code = "x = " + repeat("(", 1000) + "1" + repeat(")", 1000) + "\ny = 2\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *A = topStmt<AssignStmt>(*M, 0);
  ASSERT_TRUE(A);
  ASSERT_TRUE(A->Value);
  EXPECT_EQ(A->Value->Kind, ExprKind::Constant);
  EXPECT_EQ(A->Value->Parens, 255u); // saturates
  EXPECT_TRUE(M->moduleScope().lookupLocal("y"));
}

TEST(Robustness, ThousandDeepNestedLists) {
  std::string Code = "x = " + repeat("[", 1000) + repeat("]", 1000) + "\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Expr *E = topStmt<AssignStmt>(*M)->Value;
  unsigned Depth = 0;
  while (const auto *L = llvm::dyn_cast_or_null<SequenceExpr>(E)) {
    ++Depth;
    E = L->Elements.empty() ? nullptr : L->Elements[0];
  }
  EXPECT_EQ(Depth, 1000u);
}

/// Lowers Code on a thread with the 32 MB stack memlint's own workers and server thread get:
/// lowering at the default MaxDepth needs more than a main thread's 8 MB under AddressSanitizer.
std::unique_ptr<Module> lowerOnWorkerStack(const std::string &Code) {
  std::unique_ptr<Module> M;
  llvm::thread Worker(llvm::Optional<unsigned>(32u << 20), [&] { M = lower(Code); });
  Worker.join();
  return M;
}

TEST(Robustness, LongOperatorChainDoesNotCrash) {
  // `1+1+...` nests one binary operator per term. CPython accepts 5000 terms; the default
  // MaxDepth (3000) stops lowering it and reports why instead of risking the stack.
  std::string Code = "x = 1" + repeat("+1", 4999) + "\ny = 2\n";
  auto M = lowerOnWorkerStack(Code);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("nested more than 3000"), std::string::npos) << errorMessage(*M);
  // What could be lowered is still there.
  ASSERT_EQ(M->body().size(), 2u);
  EXPECT_TRUE(M->moduleScope().lookupLocal("x"));
  EXPECT_TRUE(M->moduleScope().lookupLocal("y"));
}

TEST(Robustness, OperatorChainWithinMaxDepthIsLoweredCompletely) {
  std::string Code = "x = 1" + repeat("+1", 2000) + "\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Expr *E = topStmt<AssignStmt>(*M)->Value;
  unsigned Ops = 0;
  while (const auto *B = llvm::dyn_cast_or_null<OperatorExpr>(E)) {
    ++Ops;
    E = B->Operands[0];
  }
  EXPECT_EQ(Ops, 2000u);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Kind, ExprKind::Constant);
}

TEST(Robustness, SmallMaxDepthReportsAnErrorWithoutCrashing) {
  LowerOptions Options;
  Options.MaxDepth = 8;
  auto M = lower("x = [[[[[[[[[[[[1]]]]]]]]]]]]\ny = 1\n", Options);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("nested more than 8"), std::string::npos) << errorMessage(*M);
  EXPECT_EQ(M->syntaxError()->Range.Begin, 0u);
  ASSERT_EQ(M->body().size(), 2u);
  // The part beyond the limit becomes Unknown.
  EXPECT_FALSE(allExprs<UnknownExpr>(*M).empty());
}

TEST(Robustness, SmallMaxDepthWithNestedStatements) {
  LowerOptions Options;
  Options.MaxDepth = 5;
  std::string Code;
  for (unsigned I = 0; I < 10; ++I)
    Code += repeat("    ", I) + "if x:\n";
  Code += repeat("    ", 10) + "pass\n";
  auto M = lower(Code, Options);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("nested more than 5"), std::string::npos) << errorMessage(*M);
}

TEST(Robustness, SmallMaxDepthInPatterns) {
  LowerOptions Options;
  Options.MaxDepth = 6;
  auto M = lower("match v:\n    case [[[[[[[[a]]]]]]]]:\n        pass\n", Options);
  ASSERT_TRUE(M->syntaxError());
  EXPECT_NE(errorMessage(*M).find("nested more than 6"), std::string::npos) << errorMessage(*M);
}

TEST(Robustness, DefaultDepthAcceptsOrdinaryCode) {
  std::string Code;
  for (unsigned I = 0; I < 50; ++I)
    Code += repeat("    ", I) + "if x:\n";
  Code += repeat("    ", 50) + "pass\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
}

TEST(Robustness, EmptyFile) {
  auto M = lower("");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_TRUE(M->body().empty());
  EXPECT_EQ(M->scopes().size(), 1u);
  EXPECT_EQ(M->moduleScope().Kind, ScopeKind::Module);
  EXPECT_TRUE(M->moduleScope().Symbols.empty());
  EXPECT_TRUE(M->moduleScope().Events.empty());
  EXPECT_TRUE(M->classes().empty());
  EXPECT_TRUE(M->functions().empty());
  EXPECT_TRUE(M->imports().empty());
}

TEST(Robustness, CommentsAndBlankLinesOnly) {
  auto M = lower("# just a comment\n\n   \n# another\n");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_TRUE(M->body().empty());
}

TEST(Robustness, NoTrailingNewline) {
  auto M = lower("def f():\n    return 1");
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_TRUE(findFunction(*M, "f"));
}

TEST(Robustness, BomPrefixedFileKeepsFileOffsets) {
  std::string Code = "\xEF\xBB\xBF"
                     "x = 1\n"
                     "def f():\n"
                     "    return x\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_EQ(M->body().size(), 2u);
  EXPECT_EQ(M->body()[0]->Range.Begin, 3u);
  const NameExpr *X = findName(*M, "x");
  ASSERT_TRUE(X);
  EXPECT_EQ(X->Range.Begin, 3u);
  EXPECT_EQ(X->Range.End, 4u);
  EXPECT_EQ(M->text(X), "x");
  const FunctionDef *F = findFunction(*M, "f");
  EXPECT_EQ(F->Range.Begin, offsetOf(Code, "def"));
  EXPECT_EQ(M->text(F->NameRange), "f");
  EXPECT_EQ(X->Sym->Refs.size(), 2u);
}

TEST(Robustness, BomIsNotAColumn) {
  // Python, ruff and editors all hide the BOM: the first character of the file is column 1
  // (LSP character 0), and LSP positions map back past the BOM.
  std::string Code = "\xEF\xBB\xBFx = 1\ny = 2\n";
  auto M = lower(Code);
  const SourceFile &S = M->source();
  EXPECT_EQ(S.position(3).Line, 1u);
  EXPECT_EQ(S.position(3).Column, 1u);
  EXPECT_EQ(S.position(7).Column, 5u); // `1`
  EXPECT_EQ(S.utf16Position(3).Column, 0u);
  EXPECT_EQ(S.utf16Position(7).Column, 4u);
  EXPECT_EQ(S.offsetOfUtf16(0, 0), 3u);
  EXPECT_EQ(S.offsetOfUtf16(0, 4), 7u);
  EXPECT_EQ(S.position(9).Column, 1u); // line 2 is unaffected
  EXPECT_EQ(S.offsetOfUtf16(1, 0), 9u);
}

TEST(Robustness, CrLfFilePositions) {
  std::string Code = "def f():\r\n    return 1\r\n\r\nclass C:\r\n    pass\r\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_TRUE(F);
  const auto *Ret = llvm::cast<ReturnStmt>(F->Inner[0]);
  EXPECT_EQ(Ret->Range.Begin, 14u);
  Position P = M->source().position(Ret->Range.Begin);
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 5u);
  EXPECT_EQ(M->text(Ret->Range), "return 1");
  const ClassDef *C = findClass(*M, "C");
  ASSERT_TRUE(C);
  P = M->source().position(C->Range.Begin);
  EXPECT_EQ(P.Line, 4u);
  EXPECT_EQ(P.Column, 1u);
}

TEST(Robustness, LoneCarriageReturnFile) {
  // Python accepts old-Mac line endings.
  std::string Code = "x = 1\ry = 2\rdef f():\r    return x\r";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_TRUE(M->moduleScope().lookupLocal("y"));
  const FunctionDef *F = findFunction(*M, "f");
  ASSERT_TRUE(F);
  EXPECT_EQ(M->source().position(F->Range.Begin).Line, 3u);
}

TEST(Robustness, BrokenCodeStillLowersTheRest) {
  auto M = lower("class A:\n    def m(self):\n        self.x = (\n\nclass B:\n    pass\n");
  EXPECT_TRUE(M->syntaxError());
  EXPECT_TRUE(findClass(*M, "A"));
}

TEST(Robustness, ManyStatementsInOneBlock) {
  std::string Code;
  for (unsigned I = 0; I < 20000; ++I)
    Code += "v" + std::to_string(I) + " = " + std::to_string(I) + "\n";
  auto M = lower(Code);
  EXPECT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_EQ(M->body().size(), 20000u);
  EXPECT_EQ(M->moduleScope().Symbols.size(), 20000u);
}

} // namespace
