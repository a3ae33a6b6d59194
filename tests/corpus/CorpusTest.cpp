//===- CorpusTest.cpp - corpus/ files against the real binary --------------===//
//
// Each file under corpus/<family>/ (or each package directory there, checked as a whole so
// cross-module findings work) is one test. A line must produce exactly the codes its trailing
// `# expect: CODE[, CODE]` comment lists, and every other line none. The binary runs with every
// rule selected and no configuration, so a finding from any rule on any line is checked.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using memlint::test::runMemlint;

namespace {

struct Finding {
  std::string Path;
  unsigned Line;
  std::string Code;
  bool operator<(const Finding &O) const {
    return std::tie(Path, Line, Code) < std::tie(O.Path, O.Line, O.Code);
  }
};

std::vector<std::string> corpusUnits() {
  std::vector<std::string> Units;
  fs::path Root = fs::path(MEMLINT_SOURCE_DIR) / "corpus";
  if (!fs::exists(Root))
    return Units;
  for (const auto &Family : fs::directory_iterator(Root)) {
    if (!Family.is_directory())
      continue;
    if (Family.path().filename() == "demo") {
      Units.push_back("corpus/demo");
      continue;
    }
    for (const auto &Entry : fs::directory_iterator(Family.path())) {
      std::string Rel = fs::relative(Entry.path(), MEMLINT_SOURCE_DIR).string();
      if (Entry.is_directory() || Entry.path().extension() == ".py")
        Units.push_back(Rel);
    }
  }
  std::sort(Units.begin(), Units.end());
  return Units;
}

std::vector<std::string> pythonFiles(const std::string &Unit) {
  fs::path P = fs::path(MEMLINT_SOURCE_DIR) / Unit;
  std::vector<std::string> Files;
  if (fs::is_regular_file(P)) {
    Files.push_back(Unit);
    return Files;
  }
  for (const auto &E : fs::recursive_directory_iterator(P))
    if (E.is_regular_file() && E.path().extension() == ".py")
      Files.push_back(fs::relative(E.path(), MEMLINT_SOURCE_DIR).string());
  std::sort(Files.begin(), Files.end());
  return Files;
}

std::multiset<Finding> expectations(const std::vector<std::string> &Files,
                                    std::map<std::pair<std::string, unsigned>, std::string> &Lines) {
  std::multiset<Finding> Expected;
  for (const std::string &File : Files) {
    std::ifstream In(fs::path(MEMLINT_SOURCE_DIR) / File);
    std::string Line;
    unsigned No = 0;
    while (std::getline(In, Line)) {
      ++No;
      Lines[{File, No}] = Line;
      size_t At = Line.find("# expect:");
      if (At == std::string::npos)
        continue;
      std::stringstream Codes(Line.substr(At + 9));
      std::string Code;
      while (std::getline(Codes, Code, ',')) {
        llvm::StringRef Trimmed = llvm::StringRef(Code).trim();
        Trimmed = Trimmed.take_until([](char C) { return C == ' ' || C == '#'; });
        if (!Trimmed.empty())
          Expected.insert({File, No, Trimmed.str()});
      }
    }
  }
  return Expected;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, FindingsMatchExpectations) {
  const std::string &Unit = GetParam();
  auto Run = runMemlint({"check", "--isolated", "--select", "ALL", "--format", "json", Unit},
                        MEMLINT_SOURCE_DIR);
  ASSERT_TRUE(Run.ExitCode == 0 || Run.ExitCode == 1)
      << "exit " << Run.ExitCode << "\nstderr:\n" << Run.Stderr;
  auto Parsed = llvm::json::parse(Run.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed)) << "invalid JSON: " << llvm::toString(Parsed.takeError());
  const llvm::json::Array *Array = Parsed->getAsArray();
  ASSERT_NE(Array, nullptr);

  std::multiset<Finding> Actual;
  std::map<Finding, std::string> Messages;
  for (const llvm::json::Value &V : *Array) {
    const llvm::json::Object *O = V.getAsObject();
    ASSERT_NE(O, nullptr);
    Finding F{O->getString("path").getValueOr("").str(),
              static_cast<unsigned>(O->getInteger("line").getValueOr(0)),
              O->getString("code").getValueOr("").str()};
    Messages[F] = O->getString("message").getValueOr("").str();
    Actual.insert(F);
  }
  std::map<std::pair<std::string, unsigned>, std::string> Lines;
  std::multiset<Finding> Expected = expectations(pythonFiles(Unit), Lines);

  std::vector<Finding> Missing, Unexpected;
  std::set_difference(Expected.begin(), Expected.end(), Actual.begin(), Actual.end(),
                      std::back_inserter(Missing));
  std::set_difference(Actual.begin(), Actual.end(), Expected.begin(), Expected.end(),
                      std::back_inserter(Unexpected));
  std::ostringstream Diff;
  for (const Finding &F : Missing)
    Diff << "- missing    " << F.Path << ":" << F.Line << " " << F.Code << "\n    | "
         << llvm::StringRef(Lines[{F.Path, F.Line}]).trim().str() << "\n";
  for (const Finding &F : Unexpected)
    Diff << "+ unexpected " << F.Path << ":" << F.Line << " " << F.Code << ": " << Messages[F]
         << "\n    | " << llvm::StringRef(Lines[{F.Path, F.Line}]).trim().str() << "\n";
  EXPECT_TRUE(Missing.empty() && Unexpected.empty()) << Diff.str();
  EXPECT_EQ(Run.ExitCode, Actual.empty() ? 0 : 1);
}

std::string unitName(const ::testing::TestParamInfo<std::string> &Info) {
  std::string Name = Info.param;
  for (char &C : Name)
    if (!isalnum(static_cast<unsigned char>(C)))
      C = '_';
  return Name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(corpusUnits()), unitName);

TEST(CorpusLayout, EveryRuleHasACorpusFileNamedByItsCode) {
  auto Run = runMemlint({"rules", "--format", "json"});
  ASSERT_EQ(Run.ExitCode, 0);
  auto Parsed = llvm::json::parse(Run.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed));
  for (const llvm::json::Value &V : *Parsed->getAsArray()) {
    std::string Code = V.getAsObject()->getString("code").getValueOr("").str();
    std::string Family = V.getAsObject()->getString("family").getValueOr("").str();
    if (Family == "E")
      continue; // file-level errors are covered by the CLI tests
    std::string Lower = Family;
    std::transform(Lower.begin(), Lower.end(), Lower.begin(), ::tolower);
    fs::path File = fs::path(MEMLINT_SOURCE_DIR) / "corpus" / Lower / (Code + ".py");
    fs::path Dir = fs::path(MEMLINT_SOURCE_DIR) / "corpus" / Lower / Code;
    EXPECT_TRUE(fs::exists(File) || fs::is_directory(Dir)) << "no corpus for " << Code;
  }
}

} // namespace
