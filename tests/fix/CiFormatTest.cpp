//===- CiFormatTest.cpp - SARIF and GitHub annotations as CI consumes them --===//
//
// The SARIF checks follow what GitHub code scanning requires of an upload (required rule and
// result properties, description limits, fingerprints, related locations); the full schema
// validation runs in tests/sarif. The annotation checks follow the workflow-command syntax.
//
//===----------------------------------------------------------------------===//
#include "FixTestSupport.h"

#include "rules/Registry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

#include <regex>

using namespace memlint;
using namespace memlint::test;

namespace {

const char *const Sample = R"py(def report(rows, out):
    total = sum([r.amount for r in rows])
    names = [r.name for r in rows]
    for name in names:
        out.write(name)
    total = sum([r.amount for r in rows])
    spread = sum([
        r.amount
        for r in rows
    ])
    return total, spread
)py";

llvm::json::Value parseJson(const std::string &Text) {
  auto V = llvm::json::parse(Text);
  if (!V) {
    ADD_FAILURE() << llvm::toString(V.takeError()) << "\n" << Text;
    return nullptr;
  }
  return std::move(*V);
}

std::string str(const llvm::json::Object *O, llvm::StringRef Key) {
  if (!O)
    return "";
  auto S = O->getString(Key);
  return S ? S->str() : "";
}

std::string text(const llvm::json::Object *O, llvm::StringRef Key) {
  return O ? str(O->getObject(Key), "text") : "";
}

TEST(Sarif, RulesHaveWhatCodeScanningRequires) {
  TempDir D;
  D.write("a.py", Sample);
  auto R = runMemlint({"check", "--isolated", "--format", "sarif", "a.py"}, D.path());
  ASSERT_EQ(R.ExitCode, 1) << R.Stderr;
  llvm::json::Value Log = parseJson(R.Stdout);
  const llvm::json::Object *Root = Log.getAsObject();
  ASSERT_TRUE(Root);
  EXPECT_EQ(str(Root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(str(Root, "version"), "2.1.0");
  const llvm::json::Array *Runs = Root->getArray("runs");
  ASSERT_TRUE(Runs && Runs->size() == 1);
  const llvm::json::Object *Run = (*Runs)[0].getAsObject();
  EXPECT_EQ(str(Run, "columnKind"), "unicodeCodePoints");
  const llvm::json::Object *Driver = Run->getObject("tool")->getObject("driver");
  ASSERT_TRUE(Driver);
  EXPECT_EQ(str(Driver, "name"), "memlint");
  const llvm::json::Array *Rules = Driver->getArray("rules");
  ASSERT_TRUE(Rules);
  EXPECT_EQ(Rules->size(), RuleRegistry::builtin().allInfos().size());
  for (const llvm::json::Value &V : *Rules) {
    const llvm::json::Object *Rule = V.getAsObject();
    std::string Id = str(Rule, "id");
    SCOPED_TRACE(Id);
    const RuleInfo *Info = RuleRegistry::builtin().findInfo(Id);
    ASSERT_TRUE(Info);
    std::string Short = text(Rule, "shortDescription"), Full = text(Rule, "fullDescription");
    EXPECT_FALSE(Short.empty());
    EXPECT_LE(Short.size(), 1024u);
    EXPECT_FALSE(Full.empty());
    EXPECT_LE(Full.size(), 1024u);
    EXPECT_FALSE(text(Rule, "help").empty());
    // The description is the start of the documentation, cut between words and outside code.
    llvm::StringRef Doc = llvm::StringRef(Info->Doc).trim();
    ASSERT_TRUE(Doc.startswith(Full)) << Full;
    if (Full.size() < Doc.size()) {
      EXPECT_TRUE(llvm::isSpace(Doc[Full.size()])) << "cut mid-word: " << Full;
    }
    EXPECT_EQ(llvm::StringRef(Full).count("```") % 2, 0u) << Full;
    EXPECT_FALSE(llvm::StringRef(Full).endswith(":")) << Full;
    EXPECT_EQ(str(Rule->getObject("defaultConfiguration"), "level"),
              Info->DefaultSeverity == Severity::Error     ? "error"
              : Info->DefaultSeverity == Severity::Warning ? "warning"
                                                           : "note");
  }
}

TEST(Sarif, ResultsHaveLocationsFingerprintsAndRelatedLocations) {
  TempDir D;
  D.write("my file.py", Sample);
  auto R = runMemlint({"check", "--isolated", "--format", "sarif", "my file.py"}, D.path());
  ASSERT_EQ(R.ExitCode, 1) << R.Stderr;
  llvm::json::Value Log = parseJson(R.Stdout);
  const llvm::json::Object *Run = (*Log.getAsObject()->getArray("runs"))[0].getAsObject();
  const llvm::json::Array *Rules = Run->getObject("tool")->getObject("driver")->getArray("rules");
  const llvm::json::Array *Results = Run->getArray("results");
  ASSERT_TRUE(Results);
  ASSERT_EQ(Results->size(), 4u);
  std::regex Hash("[0-9a-f]{16}:[0-9]+");
  std::vector<std::string> Hashes;
  for (const llvm::json::Value &V : *Results) {
    const llvm::json::Object *Result = V.getAsObject();
    std::string RuleId = str(Result, "ruleId");
    auto Index = Result->getInteger("ruleIndex");
    ASSERT_TRUE(Index);
    EXPECT_EQ(str((*Rules)[*Index].getAsObject(), "id"), RuleId);
    EXPECT_FALSE(text(Result, "message").empty());
    const llvm::json::Array *Locations = Result->getArray("locations");
    ASSERT_TRUE(Locations && Locations->size() == 1);
    const llvm::json::Object *Physical =
        (*Locations)[0].getAsObject()->getObject("physicalLocation");
    EXPECT_EQ(str(Physical->getObject("artifactLocation"), "uri"), "my%20file.py");
    const llvm::json::Object *Region = Physical->getObject("region");
    ASSERT_TRUE(Region);
    for (const char *Key : {"startLine", "startColumn", "endLine", "endColumn"})
      EXPECT_GE(Region->getInteger(Key).getValueOr(0), 1) << Key;
    std::string Fingerprint =
        str(Result->getObject("partialFingerprints"), "primaryLocationLineHash");
    EXPECT_TRUE(std::regex_match(Fingerprint, Hash)) << Fingerprint;
    Hashes.push_back(Fingerprint);
    if (RuleId == "GEN004") {
      const llvm::json::Array *Related = Result->getArray("relatedLocations");
      ASSERT_TRUE(Related && Related->size() == 1);
      const llvm::json::Object *Rel = (*Related)[0].getAsObject();
      EXPECT_EQ(Rel->getInteger("id").getValueOr(0), 1);
      EXPECT_EQ(text(Rel, "message"), "the only read of `names`");
      EXPECT_EQ(Rel->getObject("physicalLocation")
                    ->getObject("region")
                    ->getInteger("startLine")
                    .getValueOr(0),
                4);
    }
  }
  // Lines 2 and 6 are the same finding on the same text: same hash, told apart by `:N`.
  EXPECT_EQ(Hashes[0].substr(0, 16), Hashes[2].substr(0, 16));
  EXPECT_EQ(Hashes[0].substr(17), "1");
  EXPECT_EQ(Hashes[2].substr(17), "2");
  EXPECT_NE(Hashes[0], Hashes[3]);
}

TEST(Sarif, FingerprintsSurviveLineShifts) {
  TempDir D;
  D.write("a.py", Sample);
  auto Before = runMemlint({"check", "--isolated", "--format", "sarif", "a.py"}, D.path());
  D.write("a.py", std::string("import os\n\n\n") + Sample);
  auto After = runMemlint({"check", "--isolated", "--format", "sarif", "a.py"}, D.path());
  auto HashesOf = [](const std::string &Out) {
    std::vector<std::string> H;
    llvm::json::Value Log = parseJson(Out);
    for (const llvm::json::Value &V :
         *(*Log.getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results"))
      H.push_back(
          str(V.getAsObject()->getObject("partialFingerprints"), "primaryLocationLineHash"));
    return H;
  };
  EXPECT_EQ(HashesOf(Before.Stdout), HashesOf(After.Stdout));
}

TEST(Github, AnnotationsEscapePropertiesAndData) {
  TempDir D;
  D.write("a,b:c.py", Sample);
  auto R = runMemlint({"check", "--isolated", "--format", "github", "a,b:c.py"}, D.path());
  ASSERT_EQ(R.ExitCode, 1);
  std::vector<std::string> Lines;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(R.Stdout).split(Parts, '\n', -1, false);
  for (llvm::StringRef P : Parts)
    Lines.push_back(P.str());
  ASSERT_EQ(Lines.size(), 4u) << R.Stdout;
  EXPECT_EQ(Lines[0], "::warning title=memlint (GEN001),file=a%2Cb%3Ac.py,line=2,col=17,"
                      "endLine=2,endColumn=41::a,b:c.py:2:17: GEN001 list comprehension passed "
                      "to `sum()` builds the whole list in memory first; a generator expression "
                      "feeds `sum()` one item at a time");
  // Related locations ride in the message, on lines of their own (%0A).
  EXPECT_EQ(Lines[1], "::warning title=memlint (GEN004),file=a%2Cb%3Ac.py,line=3,col=13,"
                      "endLine=3,endColumn=35::a,b:c.py:3:13: GEN004 `names` holds a full list "
                      "that is read only once, on line 4; a generator expression would produce "
                      "the items on demand%0Aa,b:c.py:4:17: note: the only read of `names`");
  // A range over several lines: GitHub takes columns only on one line.
  EXPECT_EQ(Lines[3].substr(0, Lines[3].find("::", 2)),
            "::warning title=memlint (GEN001),file=a%2Cb%3Ac.py,line=7,endLine=10");
}

} // namespace
