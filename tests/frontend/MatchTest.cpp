//===- MatchTest.cpp - match statements: captures, value patterns, guards ---===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

std::vector<std::string> captureNames(const MatchCase &C) {
  std::vector<std::string> Out;
  for (const NameExpr *N : C.Captures)
    Out.push_back(N->Id.str());
  return Out;
}

using Names = std::vector<std::string>;

const char *Patterns = "match command:\n"
                       "    case Color.RED:\n" // 0: value pattern
                       "        pass\n"
                       "    case Point(x=px, y=0):\n" // 1: class pattern with keywords
                       "        pass\n"
                       "    case [first, *rest]:\n" // 2: sequence with star
                       "        pass\n"
                       "    case {'k': v, **others}:\n" // 3: mapping
                       "        pass\n"
                       "    case str() as s if s:\n" // 4: as-pattern with guard
                       "        pass\n"
                       "    case (1 | 2) as num:\n" // 5: literals
                       "        pass\n"
                       "    case [_, *_]:\n" // 6: wildcards
                       "        pass\n"
                       "    case {Color.RED: hue}:\n" // 7: value pattern as key
                       "        pass\n"
                       "    case mod.Point(a, b=[c]):\n" // 8: dotted class, positional
                       "        pass\n"
                       "    case _:\n" // 9: wildcard
                       "        pass\n";

TEST(Match, SubjectAndCases) {
  auto M = lower(Patterns);
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  ASSERT_TRUE(S);
  EXPECT_EQ(M->text(S->Subject), "command");
  ASSERT_EQ(S->Cases.size(), 10u);
  for (const MatchCase &C : S->Cases)
    EXPECT_EQ(C.Then.size(), 1u);
  EXPECT_EQ(M->text(S->Cases[0].Range).substr(0, 15), "case Color.RED:");
}

TEST(Match, ValuePatternIsReadNotCaptured) {
  auto M = lower(Patterns);
  const MatchCase &C = topStmt<MatchStmt>(*M)->Cases[0];
  EXPECT_TRUE(C.Captures.empty());
  ASSERT_EQ(C.Reads.size(), 1u);
  EXPECT_EQ(M->text(C.Reads[0]), "Color.RED");
}

TEST(Match, ClassPatternKeywordsAreNotCaptures) {
  auto M = lower(Patterns);
  const MatchCase &C = topStmt<MatchStmt>(*M)->Cases[1];
  EXPECT_EQ(captureNames(C), (Names{"px"}));
  ASSERT_EQ(C.Reads.size(), 1u);
  EXPECT_EQ(M->text(C.Reads[0]), "Point");
  EXPECT_FALSE(M->moduleScope().lookupLocal("x"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("y"));
}

TEST(Match, SequenceMappingAndAsCaptures) {
  auto M = lower(Patterns);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  EXPECT_EQ(captureNames(S->Cases[2]), (Names{"first", "rest"}));
  EXPECT_TRUE(S->Cases[2].Reads.empty());
  EXPECT_EQ(captureNames(S->Cases[3]), (Names{"v", "others"}));
  EXPECT_TRUE(S->Cases[3].Reads.empty());
  EXPECT_EQ(captureNames(S->Cases[4]), (Names{"s"}));
  ASSERT_EQ(S->Cases[4].Reads.size(), 1u);
  EXPECT_EQ(M->text(S->Cases[4].Reads[0]), "str");
  EXPECT_EQ(captureNames(S->Cases[5]), (Names{"num"}));
  EXPECT_TRUE(S->Cases[5].Reads.empty());
}

TEST(Match, WildcardsCaptureNothing) {
  auto M = lower(Patterns);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  EXPECT_TRUE(S->Cases[6].Captures.empty());
  EXPECT_TRUE(S->Cases[9].Captures.empty());
  EXPECT_TRUE(S->Cases[9].Reads.empty());
  EXPECT_FALSE(S->Cases[9].Guard);
  EXPECT_FALSE(M->moduleScope().lookupLocal("_"));
}

TEST(Match, MappingKeyValuePatternAndDottedClass) {
  auto M = lower(Patterns);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  EXPECT_EQ(captureNames(S->Cases[7]), (Names{"hue"}));
  ASSERT_EQ(S->Cases[7].Reads.size(), 1u);
  EXPECT_EQ(M->text(S->Cases[7].Reads[0]), "Color.RED");
  EXPECT_EQ(captureNames(S->Cases[8]), (Names{"a", "c"}));
  ASSERT_EQ(S->Cases[8].Reads.size(), 1u);
  EXPECT_EQ(M->text(S->Cases[8].Reads[0]), "mod.Point");
}

TEST(Match, ValuePatternReadsOnlyTheRootName) {
  // In `Color.RED` only `Color` is a name; `RED` is an attribute and must not resolve to an
  // unrelated module-level `RED`.
  auto M = lower("RED = 1\n"
                 "Point = object\n"
                 "match c:\n"
                 "    case Color.RED:\n"
                 "        pass\n"
                 "    case mod.Point():\n"
                 "        pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_EQ(M->moduleScope().lookupLocal("RED")->Refs.size(), 1u);
  EXPECT_EQ(M->moduleScope().lookupLocal("Point")->Refs.size(), 1u);
  const MatchStmt *S = topStmt<MatchStmt>(*M, 2);
  ASSERT_TRUE(S);
  EXPECT_EQ(dottedName(*M, S->Cases[0].Reads[0]), "Color.RED");
  EXPECT_EQ(dottedName(*M, S->Cases[1].Reads[0]), "mod.Point");
  const NameExpr *Root = rootName(S->Cases[0].Reads[0]);
  ASSERT_TRUE(Root);
  EXPECT_EQ(Root->Id, "Color");
}

TEST(Match, ClassNameResolvesToItsBinding) {
  auto M = lower("class Point: pass\n"
                 "match p:\n"
                 "    case Point(x=0):\n"
                 "        pass\n");
  const Symbol *Point = M->moduleScope().lookupLocal("Point");
  ASSERT_TRUE(Point);
  EXPECT_EQ(Point->Refs.size(), 1u); // the `class` statement has no name node; this is the read
  EXPECT_EQ(Point->Refs[0]->Ctx, ExprContext::Load);
}

TEST(Match, GuardSeesTheCapture) {
  auto M = lower(Patterns);
  const MatchCase &C = topStmt<MatchStmt>(*M)->Cases[4];
  ASSERT_TRUE(C.Guard);
  const auto *G = llvm::dyn_cast<NameExpr>(C.Guard);
  ASSERT_TRUE(G);
  EXPECT_EQ(G->Ctx, ExprContext::Load);
  ASSERT_TRUE(G->Sym);
  EXPECT_EQ(G->Sym, C.Captures[0]->Sym);
}

TEST(Match, CapturesBindInTheEnclosingScope) {
  auto M = lower("def f(p):\n"
                 "    match p:\n"
                 "        case [x, y]:\n"
                 "            return x + y\n"
                 "        case name:\n"
                 "            return name\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const Scope *F = findFunction(*M, "f")->OwnScope;
  for (const char *Name : {"x", "y", "name"}) {
    const Symbol *S = F->lookupLocal(Name);
    ASSERT_TRUE(S) << Name;
    EXPECT_TRUE(S->has(SymBound)) << Name;
    EXPECT_EQ(S->Refs.size(), 2u) << Name;
  }
  const MatchStmt *S = firstStmt<MatchStmt>(*M);
  EXPECT_EQ(captureNames(S->Cases[1]), (Names{"name"}));
  EXPECT_EQ(S->Cases[1].Captures[0]->Ctx, ExprContext::Store);
}

TEST(Match, UnionOfCapturesAndTupleSubject) {
  auto M = lower("match a, b:\n"
                 "    case (x, 1) | (1, x):\n"
                 "        pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  ASSERT_TRUE(S);
  ASSERT_TRUE(S->Subject);
  EXPECT_EQ(S->Subject->Kind, ExprKind::Tuple);
  EXPECT_EQ(llvm::cast<SequenceExpr>(S->Subject)->Elements.size(), 2u);
  EXPECT_EQ(captureNames(S->Cases[0]), (Names{"x", "x"}));
  EXPECT_EQ(M->moduleScope().lookupLocal("x")->Refs.size(), 2u);
}

TEST(Match, NegativeAndComplexLiterals) {
  auto M = lower("match n:\n"
                 "    case -1 | 1+2j | 'a' 'b' | None | True:\n"
                 "        pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const MatchStmt *S = topStmt<MatchStmt>(*M);
  EXPECT_TRUE(S->Cases[0].Captures.empty());
  EXPECT_TRUE(S->Cases[0].Reads.empty());
}

TEST(Match, SoftKeywordMatchIsStillAName) {
  auto M = lower("match = 1\nmatch.group(0)\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  EXPECT_TRUE(M->moduleScope().lookupLocal("match"));
  EXPECT_FALSE(firstStmt<MatchStmt>(*M));
}

} // namespace
