//===- PreCommitTest.cpp - the pre-commit hook blocks a commit with findings ===//
//
// Uses Debian's pre-commit (installed by .ci/setup) against this repository's own
// .pre-commit-hooks.yaml: a throwaway "hook repository" holds a copy of it, a throwaway project
// refers to that repository by path and revision (as users refer to memlint's repository), and
// `git commit` runs the hook. Everything, including pre-commit's cache and git's config, lives
// in a temporary directory; nothing touches the network.
//
//===----------------------------------------------------------------------===//
#include "Subprocess.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace memlint::test;

namespace {

std::string readFile(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

class PreCommit : public ::testing::Test {
protected:
  void SetUp() override {
    PreCommitBinary = findExecutable("pre-commit");
    if (PreCommitBinary.empty() || findExecutable("git").empty())
      GTEST_SKIP() << "pre-commit or git is not installed (.ci/setup installs both)";
    // memlint on PATH, as the hook's `language: system` expects.
    std::filesystem::create_directories(Dir.path() + "/bin");
    std::filesystem::create_symlink(MEMLINT_BINARY, Dir.path() + "/bin/memlint");
    Env = {
        "PATH=" + Dir.path() + "/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME=" + Dir.path() + "/home",
        "XDG_CACHE_HOME=" + Dir.path() + "/cache",
        "XDG_CONFIG_HOME=" + Dir.path() + "/config",
        "PRE_COMMIT_HOME=" + Dir.path() + "/pre-commit-cache",
        "GIT_CONFIG_NOSYSTEM=1",
        "GIT_AUTHOR_NAME=memlint test",
        "GIT_AUTHOR_EMAIL=test@memlint.invalid",
        "GIT_COMMITTER_NAME=memlint test",
        "GIT_COMMITTER_EMAIL=test@memlint.invalid",
        "PRE_COMMIT_COLOR=never",
    };
    std::filesystem::create_directories(Dir.path() + "/home");
  }

  RunResult run(const std::vector<std::string> &Argv, const std::string &WorkDir) {
    return runProgram(Argv, Env, WorkDir, /*TimeoutSeconds=*/180);
  }

  void git(const std::vector<std::string> &Args, const std::string &WorkDir) {
    std::vector<std::string> Argv = {"git"};
    Argv.insert(Argv.end(), Args.begin(), Args.end());
    RunResult R = run(Argv, WorkDir);
    ASSERT_EQ(R.ExitCode, 0) << "git " << Args.front() << ": " << R.Stdout << R.Stderr;
  }

  TempDir Dir;
  Environment Env;
  std::string PreCommitBinary;
};

TEST_F(PreCommit, HookBlocksFindingsAndPassesCleanFiles) {
  // The hook repository: this repository's hook manifest, committed.
  std::string HookRepo = Dir.path() + "/memlint-hooks";
  std::filesystem::create_directories(HookRepo);
  Dir.write("memlint-hooks/.pre-commit-hooks.yaml",
            readFile(MEMLINT_SOURCE_DIR "/.pre-commit-hooks.yaml"));
  git({"init", "-q", "-b", "main"}, HookRepo);
  git({"add", ".pre-commit-hooks.yaml"}, HookRepo);
  git({"commit", "-q", "-m", "hooks"}, HookRepo);
  RunResult Rev = run({"git", "rev-parse", "HEAD"}, HookRepo);
  ASSERT_EQ(Rev.ExitCode, 0);
  std::string Commit = Rev.Stdout.substr(0, Rev.Stdout.find('\n'));

  // The project using it.
  std::string Project = Dir.path() + "/project";
  std::filesystem::create_directories(Project);
  git({"init", "-q", "-b", "main"}, Project);
  std::string Config = "repos:\n";
  Config += "  - repo: " + HookRepo + "\n";
  Config += "    rev: " + Commit + "\n";
  Config += "    hooks:\n";
  Config += "      - id: memlint\n";
  Dir.write("project/.pre-commit-config.yaml", Config);
  Dir.write("project/pyproject.toml", "[tool.memlint]\nexclude = [\"generated\"]\n");
  git({"add", ".pre-commit-config.yaml", "pyproject.toml"}, Project);
  git({"commit", "-q", "--no-verify", "-m", "config"}, Project);
  RunResult Install = run({PreCommitBinary, "install"}, Project);
  ASSERT_EQ(Install.ExitCode, 0) << Install.Stdout << Install.Stderr;

  // A GEN001 finding blocks the commit and the hook's output names it.
  Dir.write("project/report.py", "def total(xs):\n    return sum([x * 2 for x in xs])\n");
  git({"add", "report.py"}, Project);
  RunResult Blocked = run({"git", "commit", "-m", "report"}, Project);
  EXPECT_NE(Blocked.ExitCode, 0) << Blocked.Stdout << Blocked.Stderr;
  EXPECT_NE((Blocked.Stdout + Blocked.Stderr).find("GEN001"), std::string::npos)
      << Blocked.Stdout << Blocked.Stderr;
  RunResult Log = run({"git", "log", "--oneline"}, Project);
  EXPECT_EQ(Log.Stdout.find("report"), std::string::npos) << "the commit must not exist";

  // Fixed, it passes.
  Dir.write("project/report.py", "def total(xs):\n    return sum(x * 2 for x in xs)\n");
  git({"add", "report.py"}, Project);
  RunResult Passed = run({"git", "commit", "-m", "report"}, Project);
  EXPECT_EQ(Passed.ExitCode, 0) << Passed.Stdout << Passed.Stderr;

  // pre-commit names excluded files explicitly; --force-exclude keeps them out.
  Dir.write("project/generated/tables.py", "ROWS = sum([r for r in range(3)])\n");
  git({"add", "generated/tables.py"}, Project);
  RunResult Excluded = run({"git", "commit", "-m", "generated"}, Project);
  EXPECT_EQ(Excluded.ExitCode, 0) << Excluded.Stdout << Excluded.Stderr;
}

} // namespace
