//===- StdlibSmokeTest.cpp - the standard library and Django, end to end ----===//
//
// Real-world code we did not write: checked for crash-freedom and completeness, never for its
// exact findings. Every Python file must be either analyzed or reported as a syntax error, the
// run must exit 0 or 1, and runs must agree byte for byte whatever the thread count.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using memlint::test::runMemlint;

namespace {

constexpr bool Sanitized = MEMLINT_SANITIZED; // built with -DMEMLINT_SANITIZE=ON

std::string stdlibDir() {
  std::array<char, 4096> Buf{};
  FILE *P = popen(
      "python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"stdlib\"])' 2>/dev/null", "r");
  if (!P)
    return {};
  std::string Out;
  while (fgets(Buf.data(), Buf.size(), P))
    Out += Buf.data();
  pclose(P);
  while (!Out.empty() && (Out.back() == '\n' || Out.back() == '\r'))
    Out.pop_back();
  return Out;
}

/// Python files as memlint discovers them: site-packages and caches are not the stdlib.
size_t countPythonFiles(const fs::path &Root) {
  size_t Count = 0;
  for (auto It = fs::recursive_directory_iterator(Root); It != fs::recursive_directory_iterator();
       ++It) {
    std::string Name = It->path().filename().string();
    if (It->is_directory() && !It->is_symlink()) {
      if (Name == "site-packages" || Name == "__pycache__" || Name == "dist" || Name == "_build" ||
          Name == "node_modules" || (Name.size() > 1 && Name[0] == '.'))
        It.disable_recursion_pending();
      continue;
    }
    std::string Ext = It->path().extension().string();
    if ((Ext == ".py" || Ext == ".pyi") && fs::is_regular_file(It->path()))
      ++Count;
  }
  return Count;
}

/// Checks every Python file under Root: each must be analyzed or reported as a syntax error,
/// the run must exit 0 or 1, and the JSON report must be byte-identical with --threads 1 and
/// --threads 2, and between two runs with --threads 2 (scheduling must not leak into it).
void expectCompleteAndDeterministic(const std::string &Root) {
  auto Run = [&](const char *Threads) {
    return runMemlint(
        {"check", "--isolated", "--select", "ALL", "--threads", Threads, "--format", "json", Root});
  };
  // Under the sanitizers a run costs about five times as much, and memory errors do not depend
  // on the thread count: there each corpus is checked once, with two threads, and the
  // determinism comparisons are left to the normal build's suite.
  auto One = Run(Sanitized ? "2" : "1");
  ASSERT_TRUE(One.ExitCode == 0 || One.ExitCode == 1) << "exit " << One.ExitCode << "\n"
                                                      << One.Stderr;
  auto Parsed = llvm::json::parse(One.Stdout);
  ASSERT_TRUE(static_cast<bool>(Parsed)) << llvm::toString(Parsed.takeError());
  size_t SyntaxErrors = 0;
  for (const llvm::json::Value &V : *Parsed->getAsArray()) {
    auto Code = V.getAsObject()->getString("code");
    ASSERT_TRUE(Code.hasValue());
    EXPECT_NE(*Code, "E902") << "unreadable file: " << llvm::formatv("{0}", V).str();
    SyntaxErrors += *Code == "E999";
  }

  if (!Sanitized) {
    auto Two = Run("2");
    EXPECT_EQ(Two.ExitCode, One.ExitCode);
    EXPECT_TRUE(One.Stdout == Two.Stdout) << "output differs between --threads 1 and --threads 2";
    auto TwoAgain = Run("2");
    EXPECT_TRUE(Two.Stdout == TwoAgain.Stdout)
        << "output differs between two runs with --threads 2";
  }

  auto Text = runMemlint({"check", "--isolated", "--select", "ALL", Root});
  std::smatch Match;
  std::regex Summary(R"(in (\d+) files? checked)");
  ASSERT_TRUE(std::regex_search(Text.Stdout, Match, Summary))
      << Text.Stdout.substr(Text.Stdout.size() > 400 ? Text.Stdout.size() - 400 : 0);
  size_t Checked = std::stoul(Match[1]);
  size_t Expected = countPythonFiles(Root);
  EXPECT_EQ(Checked, Expected)
      << "files analyzed or reported as syntax errors vs Python files on disk";
  EXPECT_LT(SyntaxErrors, Expected / 50) << "suspiciously many files could not be parsed";
  std::printf("%s: %zu files, %zu reported as syntax errors\n", Root.c_str(), Checked,
              SyntaxErrors);
}

TEST(StdlibSmoke, EveryFileIsAnalyzedOrReportedAndTheRunIsDeterministic) {
  std::string Stdlib = stdlibDir();
  ASSERT_FALSE(Stdlib.empty()) << "python3 is needed to locate the standard library";
  ASSERT_TRUE(fs::is_directory(Stdlib));
  expectCompleteAndDeterministic(Stdlib);
}

TEST(DjangoSmoke, EveryFileIsAnalyzedOrReportedAndTheRunIsDeterministic) {
  // A large third-party code base with other habits than the stdlib (metaclasses, descriptors,
  // registries); Debian's python3-django, which .ci/setup installs, puts it here.
  const std::string Django = "/usr/lib/python3/dist-packages/django";
  ASSERT_TRUE(fs::is_directory(Django)) << Django << " is missing: install python3-django";
  expectCompleteAndDeterministic(Django);
}

} // namespace
