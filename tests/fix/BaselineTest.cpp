//===- BaselineTest.cpp - `check --baseline` --------------------------------===//
#include "FixTestSupport.h"

#include "analyzer/Baseline.h"

#include "llvm/Support/JSON.h"

using namespace memlint;
using namespace memlint::test;

namespace {

const char *const Legacy = R"py(def totals(rows):
    total = sum([r.amount for r in rows])
    names = [r.name for r in rows]
    for name in names:
        print(name)
    return total
)py";

/// Legacy with lines added above and inside, and the function re-indented into a class.
const char *const LegacyShifted = R"py(import os


class Report:
    def totals(rows):
        # a comment that shifts everything
        total = sum([r.amount for r in rows])

        names = [r.name for r in rows]
        for name in names:
            print(name)
        return total
)py";

TEST(Baseline, HidesKnownFindingsAfterLinesShift) {
  TempDir D;
  std::string File = D.write("pkg/legacy.py", Legacy);
  auto Write = runMemlint(
      {"check", "--isolated", "--format", "json", "--output-file", "baseline.json", "."}, D.path());
  ASSERT_EQ(Write.ExitCode, 1) << Write.Stderr;
  std::string Baseline = readFile(D.path() + "/baseline.json");
  ASSERT_NE(Baseline.find("\"fingerprint\""), std::string::npos) << Baseline;

  auto Same = runMemlint({"check", "--isolated", "--baseline", "baseline.json", "."}, D.path());
  EXPECT_EQ(Same.ExitCode, 0) << Same.Stdout;
  EXPECT_EQ(Same.Stdout, "All checks passed! (1 file checked)\n"
                         "2 findings in the baseline not shown.\n");

  D.write("pkg/legacy.py", std::string(LegacyShifted) +
                               "\ndef new_code(xs):\n    return max([x * 2 for x in xs])\n");
  auto Shifted = runMemlint({"check", "--isolated", "--baseline", "baseline.json", "."}, D.path());
  EXPECT_EQ(Shifted.ExitCode, 1);
  EXPECT_EQ(Shifted.Stdout,
            "pkg/legacy.py:15:16: GEN001 [*] list comprehension passed to `max()` builds the "
            "whole list in memory first; a generator expression feeds `max()` one item at a time\n"
            "Found 1 finding in 1 file checked. [*] 1 with a safe fix.\n"
            "2 findings in the baseline not shown.\n");
}

TEST(Baseline, PathsMatchHoweverTheyAreSpelled) {
  TempDir D;
  D.write("pkg/legacy.py", Legacy);
  ASSERT_EQ(runMemlint({"check", "--isolated", "--format", "json", "--output-file", "b.json",
                        "./pkg/legacy.py"},
                       D.path())
                .ExitCode,
            1);
  auto R = runMemlint({"check", "--isolated", "--baseline", "b.json", "pkg"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout;
}

TEST(Baseline, ADuplicateOfABaselinedFindingIsNew) {
  TempDir D;
  D.write("a.py", "def f(xs):\n    return sum([x for x in xs])\n");
  ASSERT_EQ(
      runMemlint({"check", "--isolated", "--format", "json", "-o", "b.json", "a.py"}, D.path())
          .ExitCode,
      1);
  D.write("a.py", "def f(xs):\n    return sum([x for x in xs])\n\n"
                  "def g(xs):\n    return sum([x for x in xs])\n");
  auto R = runMemlint({"check", "--isolated", "--baseline", "b.json", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_NE(R.Stdout.find("Found 1 finding"), std::string::npos) << R.Stdout;
}

TEST(Baseline, WorksWithOtherFormatsAndFix) {
  TempDir D;
  D.write("a.py", Legacy);
  ASSERT_EQ(
      runMemlint({"check", "--isolated", "--format", "json", "-o", "b.json", "a.py"}, D.path())
          .ExitCode,
      1);
  auto Json = runMemlint(
      {"check", "--isolated", "--baseline", "b.json", "--format", "json", "a.py"}, D.path());
  EXPECT_EQ(Json.ExitCode, 0);
  EXPECT_EQ(Json.Stdout, "[]\n");
  EXPECT_EQ(Json.Stderr, "2 findings in the baseline not shown.\n");
}

TEST(Baseline, BadBaselineIsAnError) {
  TempDir D;
  D.write("a.py", Legacy);
  D.write("bad.json", "{\"not\": \"a list\"}");
  D.write("broken.json", "[{\"path\": ");
  auto Missing = runMemlint({"check", "--isolated", "--baseline", "none.json", "a.py"}, D.path());
  EXPECT_EQ(Missing.ExitCode, 2);
  EXPECT_NE(Missing.Stderr.find("none.json: cannot read baseline"), std::string::npos)
      << Missing.Stderr;
  auto Bad = runMemlint({"check", "--isolated", "--baseline", "bad.json", "a.py"}, D.path());
  EXPECT_EQ(Bad.ExitCode, 2);
  EXPECT_NE(Bad.Stderr.find("bad.json: not a memlint baseline"), std::string::npos) << Bad.Stderr;
  auto Broken = runMemlint({"check", "--isolated", "--baseline", "broken.json", "a.py"}, D.path());
  EXPECT_EQ(Broken.ExitCode, 2);
  EXPECT_NE(Broken.Stderr.find("invalid JSON"), std::string::npos) << Broken.Stderr;
}

TEST(Baseline, EntriesWithoutFingerprintMatchExactly) {
  TempDir D;
  D.write("a.py", "def f(xs):\n    return sum([x for x in xs])\n");
  D.write("b.json", R"([{"path": "a.py", "code": "GEN001", "line": 2, "column": 16,
    "message": "list comprehension passed to `sum()` builds the whole list in memory first; a generator expression feeds `sum()` one item at a time"}])");
  auto R = runMemlint({"check", "--isolated", "--baseline", "b.json", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout;
}

TEST(Fingerprint, IgnoresWhitespaceAndNumbersInTheMessage) {
  EXPECT_EQ(findingFingerprint("GEN004", "read once, on line 12", "    x = [a for a in b]"),
            findingFingerprint("GEN004", "read once, on line 40", "x=[a  for a in b]"));
  EXPECT_NE(findingFingerprint("GEN004", "read once", "x = [a for a in b]"),
            findingFingerprint("GEN004", "read once", "x = [a for a in c]"));
  EXPECT_NE(findingFingerprint("GEN001", "m", "x"), findingFingerprint("GEN002", "m", "x"));
  EXPECT_EQ(findingFingerprint("GEN001", "m", "x").size(), 16u);
}

} // namespace
