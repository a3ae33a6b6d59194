//===- OutputFormatTest.cpp - text, json, sarif, github; output file; stats ===//
#include "CliSupport.h"

#include <fstream>
#include <set>
#include <sstream>

using namespace memlint::test;

namespace {

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

// Line 1: GEN001 with an unsafe fix (any() may stop early), 1:10.
// Line 2: GEN001 with a safe fix, 2:9 to 2:31.
const std::string SafeAndUnsafe = "ok = any([i > 2 for i in range(10)])\n"
                                  "x = sum([i for i in range(10)])\n";

//===----------------------------------------------------------------------===//
// text
//===----------------------------------------------------------------------===//

TEST(TextFormat, OneLinePerFindingThenASummary) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe);
  D.write("b.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 3u) << R.Stdout;
  // Unsafe fix: no [*].
  EXPECT_TRUE(startsWith(Lines[0], "a.py:1:10: GEN001 list comprehension passed to `any()`"))
      << Lines[0];
  EXPECT_TRUE(startsWith(Lines[1], "a.py:2:9: GEN001 [*] list comprehension passed to `sum()`"))
      << Lines[1];
  EXPECT_EQ(Lines[2], "Found 2 findings in 2 files checked. [*] 1 with a safe fix.");
  EXPECT_EQ(R.Stderr, "");
}

TEST(TextFormat, RelatedLocationsAreIndentedNotes) {
  TempDir D;
  D.write("all.py", AllGenRules);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN004", "all.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 3u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "all.py:8:12: GEN004 [*] `kept` ")) << Lines[0];
  EXPECT_EQ(Lines[1], "    all.py:9:14: note: the only read of `kept`");
  EXPECT_EQ(Lines[2], "Found 1 finding in 1 file checked. [*] 1 with a safe fix.");
}

TEST(TextFormat, FindingWithoutAFixHasNoFixCount) {
  TempDir D;
  D.write("bad.py", "x = = 1\n");
  auto R = runMemlint({"check", "--isolated", "bad.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 2u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "bad.py:1:5: E999 ")) << Lines[0];
  EXPECT_EQ(Lines[1], "Found 1 finding in 1 file checked.");
}

TEST(TextFormat, StatisticsCountEachCode) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe + Gen002Loop);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN", "--statistics", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 6u) << R.Stdout;
  // Most frequent first; the count right-aligned in six columns.
  EXPECT_EQ(Lines[3], "     2  GEN001  list-comprehension-in-call");
  EXPECT_EQ(Lines[4], "     1  GEN002  for-loop-over-list-comprehension");
  EXPECT_EQ(Lines[5], "Found 3 findings in 1 file checked. [*] 2 with a safe fix.");
}

TEST(TextFormat, StatisticsWithAMachineFormatGoToStandardError) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe);
  auto R = runMemlint(
      {"check", "--isolated", "--select", "GEN", "--statistics", "--format", "json", "a.py"},
      D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto F = parseFindings(R.Stdout);
  ASSERT_TRUE(F);
  EXPECT_EQ(F->size(), 2u);
  EXPECT_EQ(R.Stderr, "     2  GEN001  list-comprehension-in-call\n");
}

//===----------------------------------------------------------------------===//
// --output-file
//===----------------------------------------------------------------------===//

TEST(OutputFile, ReportGoesToTheFileAndNothingToStdout) {
  TempDir D;
  D.write("a.py", Gen001Line);
  for (const char *Format : {"text", "json", "sarif", "github"}) {
    auto Direct = runMemlint({"check", "--isolated", "--format", Format, "a.py"}, D.path());
    auto R = runMemlint(
        {"check", "--isolated", "--format", Format, "--output-file", "out/report.txt", "a.py"},
        D.path());
    // The directory does not exist: that is an error, after which nothing is written.
    EXPECT_EQ(R.ExitCode, 2) << Format;
    EXPECT_TRUE(contains(R.Stderr, "out/report.txt: cannot write")) << R.Stderr;

    R = runMemlint({"check", "--isolated", "--format", Format, "-o", "report.out", "a.py"},
                   D.path());
    EXPECT_EQ(R.ExitCode, 1) << Format;
    EXPECT_EQ(R.Stdout, "") << Format;
    EXPECT_EQ(R.Stderr, "") << Format;
    EXPECT_EQ(readFile(D.path() + "/report.out"), Direct.Stdout) << Format;
  }
  auto Clean = runMemlint(
      {"check", "--isolated", "--output-file=clean.txt", "--select", "GEN002", "a.py"}, D.path());
  EXPECT_EQ(Clean.ExitCode, 0);
  EXPECT_EQ(Clean.Stdout, "");
  EXPECT_EQ(readFile(D.path() + "/clean.txt"), "All checks passed! (1 file checked)\n");
}

//===----------------------------------------------------------------------===//
// json
//===----------------------------------------------------------------------===//

/// Applies JSON fix edits (1-based line/column, ASCII text) to Source.
std::string applyEdits(const std::string &Source, const llvm::json::Array &Edits) {
  std::vector<size_t> LineStarts = {0};
  for (size_t I = 0; I < Source.size(); ++I)
    if (Source[I] == '\n')
      LineStarts.push_back(I + 1);
  auto Offset = [&](int64_t Line, int64_t Column) {
    return LineStarts[static_cast<size_t>(Line - 1)] + static_cast<size_t>(Column - 1);
  };
  std::string Out = Source;
  // Back to front, so earlier offsets stay valid.
  for (size_t I = Edits.size(); I-- > 0;) {
    const llvm::json::Object *E = Edits[I].getAsObject();
    size_t Begin = Offset(*E->getInteger("line"), *E->getInteger("column"));
    size_t End = Offset(*E->getInteger("end_line"), *E->getInteger("end_column"));
    Out.replace(Begin, End - Begin, E->getString("content")->str());
  }
  return Out;
}

TEST(JsonFormat, ObjectsWithEveryDocumentedField) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe);
  D.write("all.py", AllGenRules);
  D.write("bad.py", "x = = 1\n");
  auto R = runMemlint({"check", "--isolated", "--select", "GEN", "--format", "json", "a.py",
                       "all.py", "bad.py", "gone.py"},
                      D.path());
  EXPECT_EQ(R.ExitCode, 2);
  auto Parsed = llvm::json::parse(R.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Array *Array = Parsed->getAsArray();
  ASSERT_NE(Array, nullptr);
  ASSERT_EQ(Array->size(), 8u) << R.Stdout; // 2 + 4 + E999 + E902

  for (const llvm::json::Value &V : *Array) {
    const llvm::json::Object *O = V.getAsObject();
    ASSERT_NE(O, nullptr);
    for (llvm::StringRef Key : {"path", "code", "name", "message", "severity"})
      EXPECT_TRUE(O->getString(Key).hasValue()) << Key.str();
    for (llvm::StringRef Key : {"line", "column", "end_line", "end_column"}) {
      ASSERT_TRUE(O->getInteger(Key).hasValue()) << Key.str();
      EXPECT_GE(*O->getInteger(Key), 1) << Key.str() << " is 1-based";
    }
    EXPECT_TRUE(O->getArray("related")) << "related is always a list";
    const llvm::json::Value *Fix = O->get("fix");
    ASSERT_NE(Fix, nullptr) << "fix is always present";
    ASSERT_NE(O->get("fix_title"), nullptr);
    ASSERT_NE(O->get("fix_applicability"), nullptr);
    if (Fix->kind() == llvm::json::Value::Null) {
      EXPECT_EQ(O->get("fix_title")->kind(), llvm::json::Value::Null);
      EXPECT_EQ(O->get("fix_applicability")->kind(), llvm::json::Value::Null);
      continue;
    }
    ASSERT_NE(Fix->getAsArray(), nullptr);
    for (const llvm::json::Value &E : *Fix->getAsArray()) {
      const llvm::json::Object *Edit = E.getAsObject();
      ASSERT_NE(Edit, nullptr);
      for (llvm::StringRef Key : {"line", "column", "end_line", "end_column"})
        EXPECT_GE(Edit->getInteger(Key).getValueOr(0), 1) << Key.str();
      EXPECT_TRUE(Edit->getString("content").hasValue());
    }
    EXPECT_TRUE(O->getString("fix_title").hasValue());
    auto Applicability = O->getString("fix_applicability");
    ASSERT_TRUE(Applicability.hasValue());
    EXPECT_TRUE(*Applicability == "safe" || *Applicability == "unsafe") << Applicability->str();
  }

  // The safe GEN001 fix, exactly.
  const llvm::json::Object *Sum = (*Array)[1].getAsObject();
  EXPECT_EQ(Sum->getString("path"), llvm::StringRef("a.py"));
  EXPECT_EQ(Sum->getInteger("line").getValueOr(0), 2);
  EXPECT_EQ(Sum->getInteger("column").getValueOr(0), 9);
  EXPECT_EQ(Sum->getInteger("end_line").getValueOr(0), 2);
  EXPECT_EQ(Sum->getInteger("end_column").getValueOr(0), 31);
  EXPECT_EQ(Sum->getString("code"), llvm::StringRef("GEN001"));
  EXPECT_EQ(Sum->getString("name"), llvm::StringRef("list-comprehension-in-call"));
  EXPECT_EQ(Sum->getString("severity"), llvm::StringRef("warning"));
  EXPECT_EQ(Sum->getString("fix_applicability"), llvm::StringRef("safe"));
  ASSERT_TRUE(Sum->getArray("fix"));
  EXPECT_EQ(applyEdits(SafeAndUnsafe, *Sum->getArray("fix")),
            "ok = any([i > 2 for i in range(10)])\nx = sum(i for i in range(10))\n");
  // The any() one is unsafe.
  EXPECT_EQ((*Array)[0].getAsObject()->getString("fix_applicability"), llvm::StringRef("unsafe"));

  // GEN004 carries a related location.
  const llvm::json::Object *Kept = (*Array)[5].getAsObject();
  EXPECT_EQ(Kept->getString("code"), llvm::StringRef("GEN004"));
  const llvm::json::Array *Related = Kept->getArray("related");
  ASSERT_TRUE(Related);
  ASSERT_EQ(Related->size(), 1u);
  const llvm::json::Object *Note = (*Related)[0].getAsObject();
  EXPECT_EQ(Note->getString("path"), llvm::StringRef("all.py"));
  EXPECT_EQ(Note->getInteger("line").getValueOr(0), 9);
  EXPECT_EQ(Note->getInteger("column").getValueOr(0), 14);
  EXPECT_EQ(Note->getString("message"), llvm::StringRef("the only read of `kept`"));

  // File-level errors: severity error, no fix.
  const llvm::json::Object *Syntax = (*Array)[6].getAsObject();
  EXPECT_EQ(Syntax->getString("code"), llvm::StringRef("E999"));
  EXPECT_EQ(Syntax->getString("name"), llvm::StringRef("syntax-error"));
  EXPECT_EQ(Syntax->getString("severity"), llvm::StringRef("error"));
  EXPECT_EQ(Syntax->get("fix")->kind(), llvm::json::Value::Null);
  const llvm::json::Object *Io = (*Array)[7].getAsObject();
  EXPECT_EQ(Io->getString("code"), llvm::StringRef("E902"));
  EXPECT_EQ(Io->getString("name"), llvm::StringRef("io-error"));
  EXPECT_EQ(Io->getString("path"), llvm::StringRef("gone.py"));
}

TEST(JsonFormat, NoFindingsIsAnEmptyArray) {
  TempDir D;
  D.write("a.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "--format", "json", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "[]\n");
}

TEST(JsonFormat, ColumnsCountCodePointsNotBytes) {
  TempDir D;
  // "é" and "€" are 2 and 3 bytes; "😀" is 4 bytes (and 2 UTF-16 units). Columns count code
  // points, as ruff and flake8 print them (CPython's col_offset would say 25, in bytes): `[` is
  // the 20th character.
  D.write("u.py", "s = \"é€😀\"; x = sum([i for i in range(10)])\n");
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "u.py"}, Exit);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Column, 20);
  EXPECT_EQ(F[0].EndColumn, 42);
}

//===----------------------------------------------------------------------===//
// sarif
//===----------------------------------------------------------------------===//

TEST(SarifFormat, Sarif210WithRulesAndResults) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe);
  D.write("bad.py", "x = = 1\n");
  auto R = runMemlint(
      {"check", "--isolated", "--select", "GEN", "--format", "sarif", "a.py", "bad.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Parsed = llvm::json::parse(R.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Object *Log = Parsed->getAsObject();
  ASSERT_NE(Log, nullptr);
  ASSERT_TRUE(Log->getString("$schema"));
  EXPECT_TRUE(contains(Log->getString("$schema")->str(), "sarif-2.1.0"));
  EXPECT_EQ(Log->getString("version"), llvm::StringRef("2.1.0"));
  const llvm::json::Array *Runs = Log->getArray("runs");
  ASSERT_TRUE(Runs);
  ASSERT_EQ(Runs->size(), 1u);
  const llvm::json::Object *Run = (*Runs)[0].getAsObject();
  const llvm::json::Object *Driver = Run->getObject("tool")->getObject("driver");
  ASSERT_TRUE(Driver);
  EXPECT_EQ(Driver->getString("name"), llvm::StringRef("memlint"));

  const llvm::json::Array *Rules = Driver->getArray("rules");
  ASSERT_TRUE(Rules);
  std::vector<std::string> Ids;
  for (const llvm::json::Value &V : *Rules) {
    const llvm::json::Object *Rule = V.getAsObject();
    ASSERT_TRUE(Rule);
    ASSERT_TRUE(Rule->getString("id"));
    Ids.push_back(Rule->getString("id")->str());
    for (llvm::StringRef Key : {"shortDescription", "fullDescription", "help"}) {
      ASSERT_TRUE(Rule->getObject(Key)) << Key.str();
      ASSERT_TRUE(Rule->getObject(Key)->getString("text")) << Key.str();
      EXPECT_FALSE(Rule->getObject(Key)->getString("text")->empty()) << Key.str();
    }
  }
  // Every rule memlint knows is described, whether or not it fired.
  auto List = llvm::json::parse(runMemlint({"rules", "--format", "json"}).Stdout);
  ASSERT_TRUE(static_cast<bool>(List));
  std::vector<std::string> Known;
  for (const llvm::json::Value &V : *List->getAsArray())
    Known.push_back(V.getAsObject()->getString("code")->str());
  EXPECT_EQ(Ids, Known);

  const llvm::json::Array *Results = Run->getArray("results");
  ASSERT_TRUE(Results);
  ASSERT_EQ(Results->size(), 3u);
  struct Expected {
    std::string RuleId, Level, Uri;
    int64_t Line, Column;
  };
  const Expected Want[] = {{"GEN001", "warning", "a.py", 1, 10},
                           {"GEN001", "warning", "a.py", 2, 9},
                           {"E999", "error", "bad.py", 1, 5}};
  for (size_t I = 0; I < 3; ++I) {
    const llvm::json::Object *Result = (*Results)[I].getAsObject();
    ASSERT_TRUE(Result);
    EXPECT_EQ(Result->getString("ruleId"), llvm::StringRef(Want[I].RuleId));
    auto Index = Result->getInteger("ruleIndex");
    ASSERT_TRUE(Index);
    ASSERT_LT(static_cast<size_t>(*Index), Ids.size());
    EXPECT_EQ(Ids[static_cast<size_t>(*Index)], Want[I].RuleId) << "ruleIndex points at its rule";
    EXPECT_EQ(Result->getString("level"), llvm::StringRef(Want[I].Level));
    ASSERT_TRUE(Result->getObject("message"));
    EXPECT_TRUE(Result->getObject("message")->getString("text"));
    const llvm::json::Array *Locations = Result->getArray("locations");
    ASSERT_TRUE(Locations);
    ASSERT_FALSE(Locations->empty());
    const llvm::json::Object *Physical =
        (*Locations)[0].getAsObject()->getObject("physicalLocation");
    ASSERT_TRUE(Physical);
    EXPECT_EQ(Physical->getObject("artifactLocation")->getString("uri"),
              llvm::StringRef(Want[I].Uri));
    const llvm::json::Object *Region = Physical->getObject("region");
    ASSERT_TRUE(Region);
    EXPECT_EQ(Region->getInteger("startLine").getValueOr(0), Want[I].Line);
    EXPECT_EQ(Region->getInteger("startColumn").getValueOr(0), Want[I].Column);
  }
}

TEST(SarifFormat, UrisArePercentEncoded) {
  // artifactLocation.uri is a URI reference: a space or `%` must be encoded, and a `:` in the
  // first segment would otherwise read as a URI scheme.
  TempDir D;
  D.write("my dir/c:100%.py", Gen001Line);
  auto R =
      runMemlint({"check", "--isolated", "--select", "GEN001", "--format", "sarif", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_TRUE(contains(R.Stdout, "\"uri\": \"my%20dir/c%3A100%25.py\"")) << R.Stdout;
  EXPECT_FALSE(contains(R.Stdout, "\"uri\": \"my dir")) << R.Stdout;
}

TEST(SarifFormat, NoFindingsStillHasARunWithEmptyResults) {
  TempDir D;
  D.write("a.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "--format", "sarif", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  auto Parsed = llvm::json::parse(R.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed));
  const llvm::json::Object *Run = (*Parsed->getAsObject()->getArray("runs"))[0].getAsObject();
  ASSERT_TRUE(Run->getArray("results"));
  EXPECT_TRUE(Run->getArray("results")->empty());
}

//===----------------------------------------------------------------------===//
// github
//===----------------------------------------------------------------------===//

TEST(GithubFormat, WorkflowCommandsOnePerFinding) {
  TempDir D;
  D.write("a.py", SafeAndUnsafe);
  D.write("bad.py", "x = = 1\n");
  auto R = runMemlint(
      {"check", "--isolated", "--select", "GEN", "--format", "github", "a.py", "bad.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 3u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "::warning title=memlint (GEN001),file=a.py,line=1,col=10,"
                                   "endLine=1,endColumn=36::a.py:1:10: GEN001 list comprehension"))
      << Lines[0];
  EXPECT_TRUE(startsWith(Lines[1], "::warning title=memlint (GEN001),file=a.py,line=2,col=9,"
                                   "endLine=2,endColumn=31::a.py:2:9: GEN001 "))
      << Lines[1];
  EXPECT_TRUE(startsWith(Lines[2], "::error title=memlint (E999),file=bad.py,line=1,col=5,"))
      << Lines[2];
}

TEST(GithubFormat, EscapesNewlinesPercentAndPropertySeparators) {
  TempDir D;
  // GEN004's related note becomes a second line of the message: escaped as %0A so the command
  // stays on one line. `%` is escaped everywhere; `,` and `:` in the file property too.
  D.write("50%,a:b.py", AllGenRules);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN004", "--format", "github", "."},
                      D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 1u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "::warning title=memlint (GEN004),file=50%25%2Ca%3Ab.py,"
                                   "line=8,col=12,"))
      << Lines[0];
  EXPECT_TRUE(contains(Lines[0], "::50%25,a:b.py:8:12: GEN004 ")) << Lines[0];
  EXPECT_TRUE(contains(Lines[0], "%0A50%25,a:b.py:9:14: note: the only read of `kept`"))
      << Lines[0];
}

TEST(GithubFormat, NoFindingsPrintsNothing) {
  TempDir D;
  D.write("a.py", CleanCode);
  auto R = runMemlint({"check", "--isolated", "--format", "github", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "");
}

} // namespace
