//===- BadInputTest.cpp - files CPython rejects, odd encodings, huge inputs ===//
//
// Every case runs together with a good file (`good.py`, GEN001 at 1:9) and asserts that the bad
// file gets exactly the expected finding (E999 syntax-error or E902 io-error, at the first
// problem, with a message naming it) or is analyzed normally, and that the good file is still
// analyzed in the same run. What CPython 3.11 does with each input is noted beside it.
//
//===----------------------------------------------------------------------===//
#include "CliSupport.h"

using namespace memlint::test;
using namespace std::string_literals;

namespace {

std::string repeat(const std::string &S, size_t N) {
  std::string Out;
  Out.reserve(S.size() * N);
  for (size_t I = 0; I < N; ++I)
    Out += S;
  return Out;
}

struct Outcome {
  int Exit = -1;
  std::vector<Finding> Bad; // findings in the bad file
  bool GoodChecked = false; // good.py:1:9 GEN001 was reported
  double Seconds = 0;
};

/// Writes Contents as bad.py next to good.py and checks both with every GEN rule.
Outcome check(const std::string &Contents, const std::string &Name = "bad.py") {
  TempDir D;
  D.write(Name, Contents);
  D.write("good.py", Gen001Line);
  Outcome O;
  Stopwatch Timer;
  std::vector<Finding> All = checkJson(D.path(), {"--isolated", "--select", "GEN", "."}, O.Exit);
  O.Seconds = Timer.seconds();
  for (Finding &F : All) {
    if (F.Path == "good.py")
      O.GoodChecked |= F.Line == 1 && F.Column == 9 && F.Code == "GEN001";
    else
      O.Bad.push_back(std::move(F));
  }
  return O;
}

/// The bad file has exactly one finding, Code at Line:Column, whose message contains Message.
void expectOnly(const Outcome &O, const std::string &Code, int64_t Line, int64_t Column,
                const std::string &Message) {
  EXPECT_TRUE(O.GoodChecked) << "the other file in the run must still be analyzed";
  ASSERT_EQ(O.Bad.size(), 1u) << (O.Bad.empty() ? std::string("no finding")
                                                : summarize(O.Bad).back());
  const Finding &F = O.Bad[0];
  EXPECT_EQ(F.Path, "bad.py");
  EXPECT_EQ(F.Code, Code) << F.Message;
  EXPECT_EQ(F.Line, Line) << F.Message;
  EXPECT_EQ(F.Column, Column) << F.Message;
  EXPECT_TRUE(contains(F.Message, Message)) << F.Message;
  EXPECT_EQ(O.Exit, Code == "E902" ? 2 : 1);
}

//===----------------------------------------------------------------------===//
// Not Python 3
//===----------------------------------------------------------------------===//

TEST(BadInput, SyntaxErrorReportsTheFirstErrorPosition) {
  // CPython: line 2, offset 5, "invalid syntax" (line 3 is never reached).
  expectOnly(check("x = 1\ny = = 2\nz = = 3\n"), "E999", 2, 5, "`=`");
  // CPython: line 1, offset 7.
  expectOnly(check("def f(:\n    pass\n"), "E999", 1, 7, "");
  // CPython: line 3, offset 8 (`return` is a keyword, not a target).
  expectOnly(check("import os\n\nreturn = 3\n"), "E999", 3, 8, "`=`");
}

TEST(BadInput, SyntaxErrorInTextFormatNamesFileLineAndColumn) {
  TempDir D;
  D.write("pkg/bad.py", "x = 1\ny = = 2\n");
  D.write("good.py", Gen001Line);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 3u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "good.py:1:9: GEN001 ")) << Lines[0];
  EXPECT_TRUE(startsWith(Lines[1], "pkg/bad.py:2:5: E999 ")) << Lines[1];
  EXPECT_EQ(Lines[2], "Found 2 findings in 2 files checked. [*] 1 with a safe fix.");
}

TEST(BadInput, Python2PrintStatement) {
  // CPython: "Missing parentheses in call to 'print'. Did you mean print(...)?" at 1:1.
  expectOnly(check("print \"hello\"\n"), "E999", 1, 1, "Missing parentheses in call to 'print'");
  expectOnly(check("def f(x):\n    print \"a %s\" % x\n"), "E999", 2, 5,
             "Missing parentheses in call to 'print'");
}

TEST(BadInput, Python2ExecAndNotEqual) {
  expectOnly(check("exec \"x = 1\"\n"), "E999", 1, 1, "Missing parentheses in call to 'exec'");
  // CPython: "invalid syntax" at 1:7.
  expectOnly(check("x = 1 <> 2\n"), "E999", 1, 7, "<>");
}

//===----------------------------------------------------------------------===//
// Encodings
//===----------------------------------------------------------------------===//

TEST(BadInput, InvalidUtf8NamesTheByte) {
  // CPython: "Non-UTF-8 code starting with '\xff' in file bad.py on line 1, but no encoding
  // declared". The column is that of the byte.
  expectOnly(check("x = \"\xff\"\n"), "E999", 1, 6, "Non-UTF-8 code starting with '\\xff'");
  // A truncated sequence (0xC3 then an ASCII byte) on line 4.
  expectOnly(check("x = 1\n\n\ny = \"\xc3(\"\n"), "E999", 4, 6,
             "Non-UTF-8 code starting with '\\xc3'");
}

TEST(BadInput, Utf8BomIsAnalyzedNormally) {
  // CPython ignores the BOM; columns do not count it.
  Outcome O = check("\xEF\xBB\xBF" + Gen001Line + Gen002Loop);
  EXPECT_TRUE(O.GoodChecked);
  EXPECT_EQ(summarize(O.Bad),
            (std::vector<std::string>{"bad.py:1:9 GEN001", "bad.py:2:10 GEN002"}));
  EXPECT_EQ(O.Exit, 1);
  ASSERT_EQ(O.Bad.size(), 2u);
  EXPECT_EQ(O.Bad[0].EndColumn, 31);
}

TEST(BadInput, Utf8BomOnlyIsClean) {
  Outcome O = check("\xEF\xBB\xBF");
  EXPECT_TRUE(O.GoodChecked);
  EXPECT_TRUE(O.Bad.empty()) << summarize(O.Bad).front();
}

TEST(BadInput, Utf16WithBom) {
  // CPython: "Non-UTF-8 code starting with '\xff'"; memlint says what the file actually is.
  std::string Le = "\xFF\xFE";
  for (char C : Gen001Line) {
    Le += C;
    Le += '\0';
  }
  expectOnly(check(Le), "E999", 1, 1, "UTF-16");
  std::string Be = "\xFE\xFF";
  for (char C : Gen001Line) {
    Be += '\0';
    Be += C;
  }
  expectOnly(check(Be), "E999", 1, 1, "UTF-16");
}

TEST(BadInput, Latin1WithCodingCookieIsAnalyzed) {
  // CPython accepts it: the cookie declares the encoding of the 0xE9 byte. Columns count
  // characters of the decoded text: `[` is the 18th.
  Outcome O = check("# -*- coding: latin-1 -*-\ns = \"\xe9\"; x = sum([i for i in range(10)])\n");
  EXPECT_TRUE(O.GoodChecked);
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:2:18 GEN001"}));
  EXPECT_EQ(O.Exit, 1);
  // On line 2, after a blank first line, the cookie still counts.
  O = check("\n# vim: set fileencoding=iso-8859-1 :\nname = \"Jos\xe9\"\n");
  EXPECT_TRUE(O.Bad.empty()) << summarize(O.Bad).front() << " " << O.Bad.front().Message;
}

TEST(BadInput, CookieThatDoesNotMatchTheBytes) {
  // Declared UTF-8 but is not: CPython reports the byte like an undeclared file.
  expectOnly(check("# coding: utf-8\nx = \"\xe9\"\n"), "E999", 2, 6,
             "invalid UTF-8 byte '\\xe9' in a file that declares `utf-8`");
}

TEST(BadInput, NulBytes) {
  // CPython: "source code cannot contain null bytes".
  expectOnly(check("x = 1\0\n"s), "E999", 1, 6, "source code cannot contain null bytes");
  expectOnly(check("x = 1\ny = 2\n\0\n"s), "E999", 3, 1, "source code cannot contain null bytes");
}

TEST(BadInput, BinaryFileNamedPy) {
  // An ELF header: a NUL (offset 7) comes before the first invalid UTF-8 byte (offset 32), and
  // CPython reports the first problem: "source code cannot contain null bytes".
  std::string Elf = "\x7f"
                    "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0\x10\x6b\0\0\0\0\0\0"
                    "\xff\xfe\x80\x90"s;
  expectOnly(check(Elf), "E999", 1, 8, "source code cannot contain null bytes");
  // A PNG header: the first byte is not UTF-8. CPython: "Non-UTF-8 code starting with '\x89'".
  std::string Png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s;
  expectOnly(check(Png), "E999", 1, 1, "Non-UTF-8 code starting with '\\x89'");
}

TEST(BadInput, RandomBytesNeverCrash) {
  // A deterministic pseudo-random blob, as a stand-in for any binary file.
  std::string Blob;
  uint32_t X = 12345;
  for (int I = 0; I < 100000; ++I) {
    X = X * 1103515245 + 12345;
    Blob += static_cast<char>(X >> 24);
  }
  Outcome O = check(Blob);
  EXPECT_TRUE(O.GoodChecked);
  ASSERT_EQ(O.Bad.size(), 1u);
  EXPECT_EQ(O.Bad[0].Code, "E999") << O.Bad[0].Message;
  EXPECT_EQ(O.Exit, 1);
}

//===----------------------------------------------------------------------===//
// Unusual but valid
//===----------------------------------------------------------------------===//

TEST(BadInput, EmptyAndCommentOnlyFilesAreClean) {
  for (const std::string &Contents :
       {std::string(), std::string("\n"), std::string("# just a comment\n\n   \n"),
        std::string("\"\"\"Docstring only.\"\"\"")}) {
    Outcome O = check(Contents);
    EXPECT_TRUE(O.GoodChecked);
    EXPECT_TRUE(O.Bad.empty()) << summarize(O.Bad).front();
    EXPECT_EQ(O.Exit, 1); // good.py's finding
  }
  TempDir D;
  D.write("empty.py", "");
  auto R = runMemlint({"check", "--isolated", "empty.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "All checks passed! (1 file checked)\n");
}

TEST(BadInput, CrLfLineEndings) {
  Outcome O = check("x = 1\r\ny = sum([i for i in range(10)])\r\n"
                    "z = sum([i for i in range(10)])  # noqa: GEN001\r\n"
                    "for y in [i for i in range(3)]:\r\n    pass\r\n");
  EXPECT_EQ(summarize(O.Bad),
            (std::vector<std::string>{"bad.py:2:9 GEN001", "bad.py:4:10 GEN002"}));
  EXPECT_TRUE(O.GoodChecked);
}

TEST(BadInput, LoneCarriageReturnLineEndings) {
  // CPython accepts old-Mac line endings.
  Outcome O = check("x = 1\ry = sum([i for i in range(10)])\r"
                    "for y in [i for i in range(3)]:\r    pass\r");
  EXPECT_EQ(summarize(O.Bad),
            (std::vector<std::string>{"bad.py:2:9 GEN001", "bad.py:3:10 GEN002"}));
  EXPECT_TRUE(O.GoodChecked);
  // Mixed in one file.
  O = check("x = 1\r\ny = 2\rz = sum([i for i in range(10)])\n");
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:3:9 GEN001"}));
}

TEST(BadInput, TabsAndMixedIndentationThatCPythonAccepts) {
  // One function indented with a tab, one with spaces, and a tab followed by spaces inside a
  // tab-indented block (consistent whether a tab is 1 or 8 columns). A tab is one column.
  Outcome O = check("def f():\n"
                    "\treturn sum([i for i in range(3)])\n"
                    "\n"
                    "\n"
                    "def g():\n"
                    "    return sum([i for i in range(3)])\n"
                    "\n"
                    "\n"
                    "if True:\n"
                    "\tx = 1\n"
                    "\tif x:\n"
                    "\t    y = sum([i for i in range(3)])\n");
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:2:13 GEN001", "bad.py:6:16 GEN001",
                                                        "bad.py:12:14 GEN001"}));
  EXPECT_TRUE(O.GoodChecked);
}

//===----------------------------------------------------------------------===//
// Size and depth: must complete quickly, never crash
//===----------------------------------------------------------------------===//

TEST(BadInput, TenMegabyteSingleLine) {
  // A 10 MB string literal, then a finding on the same line.
  std::string Big = "s = \"" + std::string(10 * 1024 * 1024, 'a') + "\"; " + Gen001Line;
  Outcome O = check(Big);
  EXPECT_LT(O.Seconds, 10.0);
  EXPECT_EQ(summarize(O.Bad),
            (std::vector<std::string>{"bad.py:1:" + std::to_string(10 * 1024 * 1024 + 8 + 9) +
                                      " GEN001"}));
  EXPECT_TRUE(O.GoodChecked);
  // A 10 MB comment.
  O = check("# " + std::string(10 * 1024 * 1024, 'x') + "\n" + Gen001Line);
  EXPECT_LT(O.Seconds, 10.0);
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:2:9 GEN001"}));
}

TEST(BadInput, HundredThousandLines) {
  std::string Code;
  for (int I = 0; I < 100000; ++I)
    Code += "v" + std::to_string(I) + " = " + std::to_string(I) + "\n";
  Code += Gen001Line;
  Outcome O = check(Code);
  EXPECT_LT(O.Seconds, 10.0);
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:100001:9 GEN001"}));
  EXPECT_TRUE(O.GoodChecked);
}

/// Deeply nested input: never a crash (exit >2 or a signal). CPython rejects most of these
/// (more than 200 nested parentheses, more than 100 indentation levels), so E999 is right; a
/// clean result is tolerated where memlint can analyze the file anyway.
void expectE999OrClean(const Outcome &O, const std::string &What) {
  EXPECT_TRUE(O.Exit == 1 || O.Exit == 0) << What << ": exit " << O.Exit;
  EXPECT_TRUE(O.GoodChecked) << What;
  EXPECT_LE(O.Bad.size(), 1u) << What;
  if (!O.Bad.empty()) {
    EXPECT_EQ(O.Bad[0].Code, "E999") << What << ": " << O.Bad[0].Message;
  }
  EXPECT_LT(O.Seconds, 10.0) << What;
}

TEST(BadInput, ThousandDeepParentheses) {
  // CPython: "too many nested parentheses". memlint strips redundant parentheses and
  // analyzes the assignment.
  Outcome O = check("x = " + repeat("(", 1000) + "1" + repeat(")", 1000) + "\n");
  expectE999OrClean(O, "parentheses");
  EXPECT_TRUE(O.Bad.empty()) << summarize(O.Bad).front();
  // The rest of the file is analyzed.
  O = check("x = " + repeat("(", 1000) + "1" + repeat(")", 1000) + "\n" + Gen001Line);
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:2:9 GEN001"}));
  EXPECT_EQ(O.Exit, 1);
}

TEST(BadInput, ThousandDeepBrackets) {
  // CPython: "too many nested parentheses".
  Outcome O = check("x = " + repeat("[", 1000) + repeat("]", 1000) + "\n");
  expectE999OrClean(O, "brackets");
}

TEST(BadInput, ThousandDeepIfBlocks) {
  // CPython: "IndentationError: too many levels of indentation" (line 102).
  std::string Code = "x = 1\n";
  for (int I = 0; I < 1000; ++I)
    Code += std::string(static_cast<size_t>(I), ' ') + "if x:\n";
  Code += std::string(1000, ' ') + "pass\n";
  Outcome O = check(Code);
  expectE999OrClean(O, "if blocks");
  ASSERT_EQ(O.Bad.size(), 1u);
}

TEST(BadInput, DeeplyNestedTryBlocksDoNotOverflowTheStack) {
  // Error recovery nests every `try:` in the previous one; lowering that recursion used to
  // overflow the stack at about 2,200 levels.
  std::string Code;
  for (int I = 0; I < 3000; ++I)
    Code += std::string(static_cast<size_t>(I), ' ') + "try:\n";
  Code += std::string(3000, ' ') + "pass\n";
  for (int I = 2999; I >= 0; --I)
    Code += std::string(static_cast<size_t>(I), ' ') + "finally: pass\n";
  Outcome O = check(Code);
  expectE999OrClean(O, "try blocks");
  ASSERT_EQ(O.Bad.size(), 1u);
}

TEST(BadInput, FiveThousandTermSum) {
  // `1+1+...` nests one operator per term. CPython 3.11 fails with RecursionError; memlint
  // reports that it cannot analyze it, with the reason.
  std::string Code = "x = 1" + repeat("+1", 4999) + "\n" + Gen001Line;
  Outcome O = check(Code);
  expectE999OrClean(O, "operator chain");
  ASSERT_EQ(O.Bad.size(), 1u);
  EXPECT_EQ(O.Bad[0].Line, 1);
  EXPECT_TRUE(contains(O.Bad[0].Message, "nested more than")) << O.Bad[0].Message;
}

TEST(BadInput, LongFlatConstructsAreAnalyzed) {
  // Long but flat: a 50,000-argument call, a 20,000-statement line, 2,000 elif branches. (An
  // elif chain nests in the IR as in CPython's compiler, which gives up at 3,000.)
  std::string Code = "f(" + repeat("a, ", 50000) + "a)\n" + repeat("x = 1; ", 20000) + "\n" +
                     "if a:\n    pass\n" + repeat("elif a:\n    pass\n", 2000) + Gen001Line;
  Outcome O = check(Code);
  EXPECT_LT(O.Seconds, 10.0);
  EXPECT_EQ(summarize(O.Bad), (std::vector<std::string>{"bad.py:4005:9 GEN001"}));
}

} // namespace
