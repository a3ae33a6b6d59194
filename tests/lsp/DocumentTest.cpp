//===- DocumentTest.cpp - incremental edits keep text and tree in step -----===//
#include "Document.h"

#include "frontend/Parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

using namespace memlint;
using namespace memlint::lsp;

namespace {

std::string sexp(TSTree *Tree) {
  char *S = ts_node_string(ts_tree_root_node(Tree));
  std::string Result = S;
  free(S);
  return Result;
}

ContentChange ranged(uint32_t L1, uint32_t C1, uint32_t L2, uint32_t C2, std::string Text) {
  ContentChange C;
  C.Range = LspRange{{L1, C1}, {L2, C2}};
  C.Text = std::move(Text);
  return C;
}

/// Parses Doc's text incrementally (from its edited tree) and from scratch; both must agree.
void expectTreeMatchesFreshParse(Parser &P, Document &Doc) {
  Doc.Tree = P.parse(*Doc.Source, Doc.Tree.get());
  TreePtr Fresh = P.parse(*Doc.Source);
  ASSERT_TRUE(Doc.Tree && Fresh);
  EXPECT_EQ(sexp(Doc.Tree.get()), sexp(Fresh.get())) << Doc.Source->text().str();
}

TEST(Document, RangedChangesUseUtf16Columns) {
  Document Doc("file:///a.py", "/a.py", 1, "x = \"😀é\"; y = [1]\nz = 2\n");
  // 😀 is two UTF-16 units, é one: `y` is character 11.
  Doc.applyChange(ranged(0, 11, 0, 12, "w"));
  EXPECT_EQ(Doc.Source->text().str(), "x = \"😀é\"; w = [1]\nz = 2\n");
  // Past the end of a line means its end; past the last line, the end of the document.
  Doc.applyChange(ranged(1, 99, 1, 99, "0"));
  Doc.applyChange(ranged(9, 0, 9, 0, "# end\n"));
  EXPECT_EQ(Doc.Source->text().str(), "x = \"😀é\"; w = [1]\nz = 20\n# end\n");
  // Deleting across a line break.
  Doc.applyChange(ranged(0, 18, 1, 0, "; "));
  EXPECT_EQ(Doc.Source->text().str(), "x = \"😀é\"; w = [1]; z = 20\n# end\n");
}

TEST(Document, FullReplacementDropsTheTree) {
  Parser P;
  Document Doc("file:///a.py", "/a.py", 1, "a = 1\n");
  Doc.Tree = P.parse(*Doc.Source);
  ContentChange Whole;
  Whole.Text = "b = 2\n";
  Doc.applyChange(Whole);
  EXPECT_EQ(Doc.Source->text().str(), "b = 2\n");
  EXPECT_FALSE(Doc.Tree);
}

TEST(Document, EditedTreeReparsesLikeAFreshParse) {
  Parser P;
  Document Doc("file:///a.py", "/a.py", 1,
               "class A:\n"
               "    def f(self, xs):\n"
               "        s = \"naïve 😀\"\n"
               "        return sum([x for x in xs])\n"
               "\r\n"
               "def g():\r\n"
               "    pass\r\n");
  Doc.Tree = P.parse(*Doc.Source);
  Doc.applyChange(ranged(3, 19, 3, 20, "("));
  Doc.applyChange(ranged(3, 34, 3, 35, ")"));
  expectTreeMatchesFreshParse(P, Doc);
  Doc.applyChange(ranged(2, 20, 2, 20, "\n        t = '''a\nb'''\n"));
  expectTreeMatchesFreshParse(P, Doc);
  Doc.applyChange(ranged(0, 0, 2, 0, ""));
  expectTreeMatchesFreshParse(P, Doc);
  Doc.applyChange(ranged(6, 0, 6, 0, "def h(): return [y for y in 'é😀']\r\n"));
  expectTreeMatchesFreshParse(P, Doc);
}

TEST(Document, RandomEditsKeepTheTreeInStep) {
  // One-character edits like typing, with several edits between reparses (debounced checks).
  Parser P;
  std::string Text = "def f(items):\n"
                     "    total = sum([i * 2 for i in items])  # ünïcode 😀\n"
                     "    for line in open('x').readlines():\n"
                     "        print(line, total)\n"
                     "    return [x for x in range(10)]\n";
  Document Doc("file:///a.py", "/a.py", 1, Text);
  Doc.Tree = P.parse(*Doc.Source);
  std::mt19937 Random(12345);
  const char *const Pieces[] = {"a", "(", ")", "[", "]", "\n", " ", "é", "😀", ":", "'", ""};
  for (int Round = 0; Round < 200; ++Round) {
    const SourceFile &S = *Doc.Source;
    uint32_t Line = Random() % (S.lineCount() + 1);
    uint32_t Units = S.utf16Position(S.lineEnd(std::min(Line + 1, S.lineCount()))).Column;
    uint32_t Column = Units ? Random() % (Units + 1) : 0;
    uint32_t EndColumn = Column + (Random() % 3 == 0 ? 1 : 0);
    Doc.applyChange(ranged(Line, Column, Line, EndColumn, Pieces[Random() % std::size(Pieces)]));
    if (Round % 3 == 2)
      expectTreeMatchesFreshParse(P, Doc);
    if (HasFailure())
      return;
  }
}

} // namespace
