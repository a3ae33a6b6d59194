//===- CliTest.cpp - exit status, options, rule selection, suppression -----===//
//
// Each test runs the real binary on files written to a fresh temporary directory and asserts
// the exact exit status, what names the problem, and that the rest of the run is unaffected.
//
//===----------------------------------------------------------------------===//
#include "CliSupport.h"

#include <algorithm>
#include <set>

using namespace memlint::test;

namespace {

/// The GEN codes among the findings. The selection cases use GEN selectors or ALL; with ALL,
/// rules of other families may legitimately fire too, and are not what these cases are about.
std::set<std::string> genCodesOf(const std::vector<Finding> &Findings) {
  std::set<std::string> Codes;
  for (const Finding &F : Findings)
    if (startsWith(F.Code, "GEN"))
      Codes.insert(F.Code);
  return Codes;
}

//===----------------------------------------------------------------------===//
// Exit status
//===----------------------------------------------------------------------===//

TEST(Cli, VersionPrintsTheVersion) {
  auto R = runMemlint({"--version"});
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout.rfind("memlint ", 0), 0u);
}

TEST(ExitStatus, CleanFileExitsZeroWithAllChecksPassed) {
  TempDir D;
  D.write("clean.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "clean.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "All checks passed! (1 file checked)\n");
  EXPECT_EQ(R.Stderr, "");
}

TEST(ExitStatus, CleanDirectoryCountsEveryFile) {
  TempDir D;
  D.write("a.py", CleanCode);
  D.write("pkg/b.py", CleanCode);
  D.write("pkg/c.pyi", "def f() -> int: ...\n");
  auto R = runMemlint({"check", "--isolated"}, D.path()); // no PATH: the current directory
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "All checks passed! (3 files checked)\n");
}

TEST(ExitStatus, FindingsExitOne) {
  TempDir D;
  D.write("a.py", Gen001Line);
  auto R = runMemlint({"check", "--isolated", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 2u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "a.py:1:9: GEN001 [*] ")) << Lines[0];
  EXPECT_EQ(Lines[1], "Found 1 finding in 1 file checked. [*] 1 with a safe fix.");
  EXPECT_EQ(R.Stderr, "");
}

TEST(ExitStatus, ExitZeroReportsFindingsButExitsZero) {
  TempDir D;
  D.write("a.py", Gen001Line);
  auto R = runMemlint({"check", "--isolated", "--exit-zero", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_TRUE(startsWith(R.Stdout, "a.py:1:9: GEN001 [*] ")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "Found 1 finding in 1 file checked.")) << R.Stdout;
}

TEST(ExitStatus, ExitZeroDoesNotHideAnUnreadableFile) {
  // --exit-zero is about findings; a path that cannot be read is still an error.
  TempDir D;
  D.write("a.py", Gen001Line);
  auto R = runMemlint({"check", "--isolated", "--exit-zero", "a.py", "gone.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stdout, "gone.py:1:1: E902 no such file or directory")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "a.py:1:9: GEN001")) << R.Stdout;
}

TEST(ExitStatus, MissingPathIsReportedAndTheOtherFilesStillChecked) {
  TempDir D;
  D.write("a.py", Gen001Line);
  D.write("pkg/b.py", Gen002Loop);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "does/not/exist.py", "a.py", "pkg"}, Exit);
  EXPECT_EQ(Exit, 2);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001", "does/not/exist.py:1:1 E902",
                                                    "pkg/b.py:1:10 GEN002"}));
  ASSERT_EQ(F.size(), 3u);
  EXPECT_EQ(F[1].Message, "no such file or directory");

  auto Text = runMemlint({"check", "--isolated", "does/not/exist.py", "a.py"}, D.path());
  EXPECT_EQ(Text.ExitCode, 2);
  EXPECT_TRUE(contains(Text.Stdout, "does/not/exist.py:1:1: E902 no such file or directory\n"))
      << Text.Stdout;
}

TEST(ExitStatus, MissingDirectoryIsReported) {
  TempDir D;
  D.write("a.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "nodir/", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stdout, "nodir/:1:1: E902 no such file or directory")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "1 file checked")) << R.Stdout;
}

TEST(ExitStatus, NoArgumentsPrintsUsageAndExitsTwo) {
  auto R = runMemlint({});
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stdout, "Usage:")) << R.Stdout;
}

TEST(ExitStatus, HelpExitsZero) {
  auto Main = runMemlint({"--help"});
  EXPECT_EQ(Main.ExitCode, 0);
  EXPECT_TRUE(contains(Main.Stdout, "memlint check [PATH...]")) << Main.Stdout;
  auto Check = runMemlint({"check", "--help"});
  EXPECT_EQ(Check.ExitCode, 0);
  EXPECT_TRUE(contains(Check.Stdout, "--extend-select")) << Check.Stdout;
}

//===----------------------------------------------------------------------===//
// Usage errors: exit 2, a message naming the culprit, nothing on standard output
//===----------------------------------------------------------------------===//

struct UsageCase {
  std::vector<std::string> Args;
  std::string Message;
};

std::string joined(const std::vector<std::string> &Args) {
  std::string Out;
  for (const std::string &A : Args)
    Out += (Out.empty() ? "" : " ") + A;
  return Out;
}

void PrintTo(const UsageCase &C, std::ostream *OS) { *OS << "memlint " << joined(C.Args); }

class UsageError : public ::testing::TestWithParam<UsageCase> {};

TEST_P(UsageError, ExitsTwoNamingTheProblem) {
  TempDir D;
  D.write("a.py", Gen001Line);
  auto R = runMemlint(GetParam().Args, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stderr, GetParam().Message)) << R.Stderr;
  EXPECT_EQ(R.Stdout, "") << "no analysis should run on a usage error";
}

INSTANTIATE_TEST_SUITE_P(
    Cli, UsageError,
    ::testing::Values(
        UsageCase{{"check", "--bogus", "a.py"}, "unknown option `--bogus` for `memlint check`"},
        UsageCase{{"check", "-x", "a.py"}, "unknown option `-x`"},
        UsageCase{{"check", "--format", "xml", "a.py"},
                  "unknown format `xml` (expected text, json, sarif or github)"},
        UsageCase{{"check", "--format=yaml", "a.py"}, "unknown format `yaml`"},
        UsageCase{{"check", "a.py", "--format"}, "--format needs a value"},
        UsageCase{{"check", "--select", "XYZ123", "a.py"}, "unknown rule selector `XYZ123`"},
        UsageCase{{"check", "--ignore", "GEN999", "a.py"}, "unknown rule selector `GEN999`"},
        UsageCase{{"check", "--extend-select", "NOPE", "a.py"}, "unknown rule selector `NOPE`"},
        UsageCase{{"check", "--select", "GEN001,BAD1", "a.py"}, "unknown rule selector `BAD1`"},
        UsageCase{{"check", "a.py", "--select"}, "--select needs a value"},
        UsageCase{{"check", "--threads", "many", "a.py"}, "--threads needs a number of threads"},
        UsageCase{{"check", "--threads", "-1", "a.py"}, "--threads needs a number of threads"},
        UsageCase{{"check", "--config", "missing.toml", "a.py"},
                  "missing.toml: configuration file not found"},
        UsageCase{{"frobnicate"}, "unknown command `frobnicate`"},
        UsageCase{{"rule"}, "usage: memlint rule CODE"},
        UsageCase{{"rule", "GEN999"}, "unknown rule `GEN999`"},
        UsageCase{{"rule", "no-such-rule"}, "unknown rule `no-such-rule`"},
        UsageCase{{"rules", "--format", "xml"}, "unknown format `xml`"},
        UsageCase{{"rules", "--bogus"}, "usage: memlint rules"}));

//===----------------------------------------------------------------------===//
// Rule selection
//===----------------------------------------------------------------------===//

struct SelectionCase {
  std::vector<std::string> Args;
  std::set<std::string> Codes;
};

void PrintTo(const SelectionCase &C, std::ostream *OS) { *OS << joined(C.Args); }

class Selection : public ::testing::TestWithParam<SelectionCase> {};

TEST_P(Selection, EnablesExactlyTheseRules) {
  TempDir D;
  D.write("all.py", AllGenRules);
  std::vector<std::string> Args = {"--isolated", "all.py"};
  Args.insert(Args.end(), GetParam().Args.begin(), GetParam().Args.end());
  int Exit = -1;
  auto F = checkJson(D.path(), Args, Exit);
  EXPECT_EQ(genCodesOf(F), GetParam().Codes);
  EXPECT_EQ(Exit, F.empty() ? 0 : 1);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Selection,
    ::testing::Values(
        // Codes, prefixes, families, ALL; case-insensitive; comma lists; repeated options.
        SelectionCase{{"--select", "GEN001"}, {"GEN001"}},
        SelectionCase{{"--select", "gen002,GEN003"}, {"GEN002", "GEN003"}},
        SelectionCase{{"--select", "GEN001", "--select", "GEN004"}, {"GEN001", "GEN004"}},
        SelectionCase{{"--select", "GEN00"}, {"GEN001", "GEN002", "GEN003", "GEN004"}},
        SelectionCase{{"--select", "GEN"}, {"GEN001", "GEN002", "GEN003", "GEN004"}},
        SelectionCase{{"--select", "ALL", "--ignore", "GEN001,GEN002,GEN003"}, {"GEN004"}},
        SelectionCase{{"--select=GEN001", "--extend-select=GEN003"}, {"GEN001", "GEN003"}},
        SelectionCase{{"--ignore", "ALL"}, {}},
        SelectionCase{{"--ignore", "ALL", "--extend-select", "GEN003"}, {"GEN003"}},
        SelectionCase{{"--select", "GEN", "--ignore", "GEN001"}, {"GEN002", "GEN003", "GEN004"}},
        // The more specific selector wins, whichever list it is in.
        SelectionCase{{"--select", "GEN001", "--ignore", "GEN"}, {"GEN001"}},
        SelectionCase{{"--select", "GEN00", "--ignore", "GEN"},
                      {"GEN001", "GEN002", "GEN003", "GEN004"}},
        SelectionCase{{"--select", "GEN0", "--ignore", "GEN00"}, {}},
        SelectionCase{{"--select", "ALL", "--ignore", "GEN00"}, {}},
        SelectionCase{{"--select", "GEN", "--ignore", "ALL"},
                      {"GEN001", "GEN002", "GEN003", "GEN004"}},
        // Equally specific: ignore wins.
        SelectionCase{{"--select", "GEN001", "--ignore", "GEN001"}, {}},
        SelectionCase{{"--select", "GEN", "--ignore", "GEN"}, {}},
        SelectionCase{{"--select", "ALL", "--ignore", "ALL"}, {}},
        SelectionCase{{"--select", "GEN002", "--extend-select", "GEN001", "--ignore", "GEN001"},
                      {"GEN002"}}));

TEST(Selection, FileLevelErrorsAreReportedWhateverIsSelected) {
  // A syntax error or an unreadable file is never silently skipped.
  TempDir D;
  D.write("bad.py", "x = = 1\n");
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--ignore", "ALL", "bad.py", "gone.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"bad.py:1:5 E999", "gone.py:1:1 E902"}));
  EXPECT_EQ(Exit, 2);
}

//===----------------------------------------------------------------------===//
// Suppression comments
//===----------------------------------------------------------------------===//

TEST(Suppression, NoqaComments) {
  TempDir D;
  D.write("a.py", "a = sum([i for i in range(10)])  # noqa\n"
                  "b = sum([i for i in range(10)])  # noqa: GEN001\n"
                  "c = sum([i for i in range(10)])  # noqa: GEN002\n"
                  "d = sum([i for i in range(10)])  # NOQA:GEN001\n"
                  "e = sum([i for i in range(10)])  # noqa: GEN002, GEN001\n"
                  "f = sum([i for i in range(10)])\n"
                  "g = sum([i for i in range(10)])  # a comment, not a suppression\n"
                  "h = sum([i for i in range(10)])  # Noqa\n");
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN", "a.py"}, Exit);
  // Line 3 names another code, lines 6 and 7 have no noqa.
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"a.py:3:9 GEN001", "a.py:6:9 GEN001", "a.py:7:9 GEN001"}));
  EXPECT_EQ(Exit, 1);
}

TEST(Suppression, NoqaAppliesToItsOwnLineOnly) {
  TempDir D;
  D.write("a.py", "# noqa\nx = sum([i for i in range(10)])\ny = 1  # noqa: GEN001\n");
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:2:9 GEN001"}));
}

TEST(Suppression, FileLevelExemption) {
  TempDir D;
  D.write("exempt.py", "# memlint: noqa\n" + Gen001Line + Gen002Loop);
  D.write("exempt_late.py", Gen001Line + "#memlint: NOQA\n");
  // With codes after it, it is not the file-level form.
  D.write("not_exempt.py", Gen001Line + "# memlint: noqa GEN001\n");
  D.write("other.py", Gen001Line);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "."}, Exit);
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"not_exempt.py:1:9 GEN001", "other.py:1:9 GEN001"}));
  EXPECT_EQ(Exit, 1);
}

TEST(Suppression, SyntaxErrorsCannotBeSuppressed) {
  TempDir D;
  D.write("a.py", "# memlint: noqa\nx = = 1  # noqa\n");
  auto R = runMemlint({"check", "--isolated", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_TRUE(startsWith(R.Stdout, "a.py:2:5: E999 ")) << R.Stdout;
}

//===----------------------------------------------------------------------===//
// memlint rule / memlint rules
//===----------------------------------------------------------------------===//

TEST(RuleDocs, RuleByCodePrintsItsDocumentation) {
  auto R = runMemlint({"rule", "GEN001"});
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_TRUE(startsWith(R.Stdout, "# GEN001 list-comprehension-in-call\n")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "Family: GEN")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "\n## What it does\n")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "\n## Example\n```python\n")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "sum([")) << "the example shows the flagged code";
  EXPECT_EQ(R.Stderr, "");
}

TEST(RuleDocs, RuleByNameOrLowercaseCodeIsTheSameDocument) {
  auto ByCode = runMemlint({"rule", "GEN001"});
  auto ByName = runMemlint({"rule", "list-comprehension-in-call"});
  auto Lower = runMemlint({"rule", "gen001"});
  EXPECT_EQ(ByName.ExitCode, 0);
  EXPECT_EQ(Lower.ExitCode, 0);
  EXPECT_EQ(ByName.Stdout, ByCode.Stdout);
  EXPECT_EQ(Lower.Stdout, ByCode.Stdout);
}

TEST(RuleDocs, FileLevelCodesAreDocumentedToo) {
  auto R = runMemlint({"rule", "E999"});
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_TRUE(startsWith(R.Stdout, "# E999 syntax-error\n")) << R.Stdout;
  EXPECT_TRUE(contains(R.Stdout, "## What it does")) << R.Stdout;
}

std::vector<std::string> codesFromRulesJson() {
  auto R = runMemlint({"rules", "--format", "json"});
  EXPECT_EQ(R.ExitCode, 0);
  auto Parsed = llvm::json::parse(R.Stdout);
  if (!Parsed) {
    ADD_FAILURE() << llvm::toString(Parsed.takeError());
    return {};
  }
  std::vector<std::string> Codes;
  for (const llvm::json::Value &V : *Parsed->getAsArray()) {
    const llvm::json::Object *O = V.getAsObject();
    EXPECT_NE(O, nullptr);
    if (!O)
      continue;
    for (llvm::StringRef Key : {"code", "name", "family", "summary", "severity"})
      EXPECT_TRUE(O->getString(Key).hasValue()) << "missing string " << Key.str();
    EXPECT_TRUE(O->getBoolean("default_enabled").hasValue());
    Codes.push_back(O->getString("code").getValueOr("").str());
  }
  return Codes;
}

TEST(RuleDocs, RulesJsonListsEveryCode) {
  std::vector<std::string> Codes = codesFromRulesJson();
  for (const char *Expected : {"GEN001", "GEN002", "GEN003", "GEN004", "E902", "E999"})
    EXPECT_NE(std::find(Codes.begin(), Codes.end(), Expected), Codes.end()) << Expected;
  std::set<std::string> Unique(Codes.begin(), Codes.end());
  EXPECT_EQ(Unique.size(), Codes.size()) << "a code is listed twice";
}

TEST(RuleDocs, RulesTextListsEveryCodeAndEachHasADocument) {
  std::vector<std::string> Codes = codesFromRulesJson();
  ASSERT_FALSE(Codes.empty());
  auto Text = runMemlint({"rules"});
  EXPECT_EQ(Text.ExitCode, 0);
  auto Lines = splitLines(Text.Stdout);
  ASSERT_EQ(Lines.size(), Codes.size() + 1) << Text.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "CODE ")) << Lines[0];
  for (size_t I = 0; I < Codes.size(); ++I) {
    EXPECT_TRUE(startsWith(Lines[I + 1], Codes[I] + " ")) << Lines[I + 1];
    auto Doc = runMemlint({"rule", Codes[I]});
    EXPECT_EQ(Doc.ExitCode, 0) << Codes[I];
    EXPECT_TRUE(contains(Doc.Stdout, "## What it does")) << Codes[I];
  }
  // `--format text` is the explicit spelling of the default.
  auto Explicit = runMemlint({"rules", "--format", "text"});
  EXPECT_EQ(Explicit.ExitCode, 0) << Explicit.Stderr;
  EXPECT_EQ(Explicit.Stdout, Text.Stdout);
  auto Inline = runMemlint({"rules", "--format=text"});
  EXPECT_EQ(Inline.ExitCode, 0) << Inline.Stderr;
  EXPECT_EQ(Inline.Stdout, Text.Stdout);
}

//===----------------------------------------------------------------------===//
// Parallelism
//===----------------------------------------------------------------------===//

TEST(Threads, OutputIsByteIdenticalWhateverTheThreadCount) {
  TempDir D;
  // More files than one batch (8) per worker, in nested directories, some with findings, one
  // with a syntax error.
  for (int I = 0; I < 30; ++I) {
    std::string Dir = I % 3 == 0 ? "" : I % 3 == 1 ? "pkg/" : "pkg/sub/";
    std::string Code = I % 4 == 0   ? Gen001Line
                       : I % 4 == 1 ? Gen002Loop
                       : I % 4 == 2 ? AllGenRules
                                    : CleanCode;
    D.write(Dir + "m" + std::to_string(I) + ".py", Code);
  }
  D.write("pkg/broken.py", "def f(:\n    pass\n");
  for (const char *Format : {"text", "json", "sarif", "github"}) {
    auto Default = runMemlint({"check", "--isolated", "--format", Format, "."}, D.path());
    auto One =
        runMemlint({"check", "--isolated", "--format", Format, "--threads", "1", "."}, D.path());
    auto Two =
        runMemlint({"check", "--isolated", "--format", Format, "--threads", "2", "."}, D.path());
    auto Many = runMemlint({"check", "--isolated", "--format", Format, "-j", "7", "."}, D.path());
    EXPECT_EQ(Default.ExitCode, 1) << Format;
    EXPECT_EQ(One.ExitCode, 1) << Format;
    EXPECT_EQ(One.Stdout, Default.Stdout) << Format;
    EXPECT_EQ(Two.Stdout, Default.Stdout) << Format;
    EXPECT_EQ(Many.Stdout, Default.Stdout) << Format;
  }
}

TEST(Threads, OutputIsSortedByPathThenPosition) {
  TempDir D;
  D.write("b.py", Gen001Line + Gen002Loop);
  D.write("a/z.py", Gen001Line);
  D.write("a.py", Gen002Loop + Gen001Line);
  int Exit = -1;
  auto F =
      checkJson(D.path(), {"--isolated", "--select", "GEN001,GEN002", "b.py", "a", "a.py"}, Exit);
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"a.py:1:10 GEN002", "a.py:3:9 GEN001", "a/z.py:1:9 GEN001",
                                      "b.py:1:9 GEN001", "b.py:2:10 GEN002"}));
}

} // namespace
