//===- ConfigTest.cpp - [tool.memlint] and file discovery ------------------===//
#include "CliSupport.h"

#include <filesystem>
#include <sys/stat.h>

using namespace memlint::test;
namespace fs = std::filesystem;

namespace {

/// GEN001 on line 1 (1:9) and GEN002 on line 2 (2:10).
const std::string TwoFindings = "x = sum([i for i in range(10)])\nfor y in [i for i in range(3)]:\n"
                                "    pass\n";

std::string canonical(const std::string &P) { return fs::canonical(P).string(); }

//===----------------------------------------------------------------------===//
// Finding the configuration
//===----------------------------------------------------------------------===//

TEST(ConfigDiscovery, NearestPyprojectWithAToolMemlintTableApplies) {
  TempDir D;
  D.write("proj/pyproject.toml", "[tool.memlint]\nignore = [\"GEN001\"]\n");
  // Nearer, but it does not configure memlint: skipped on the way up, as ruff does.
  D.write("proj/sub/pyproject.toml", "[project]\nname = \"sub\"\n");
  D.write("proj/sub/deeper/a.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"proj/sub/deeper/a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"proj/sub/deeper/a.py:2:10 GEN002"}));
  EXPECT_EQ(Exit, 1);
  // The same from inside the directory, and when the directory is what is checked.
  F = checkJson(D.path() + "/proj/sub/deeper", {"a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:2:10 GEN002"}));
  F = checkJson(D.path(), {"proj/sub"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"proj/sub/deeper/a.py:2:10 GEN002"}));
}

TEST(ConfigDiscovery, TheNearestConfigWinsOverOneFurtherUp) {
  TempDir D;
  D.write("pyproject.toml", "[tool.memlint]\nignore = [\"GEN001\"]\n");
  D.write("inner/pyproject.toml", "[tool.memlint]\nignore = [\"GEN002\"]\n");
  D.write("inner/a.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"inner/a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"inner/a.py:1:9 GEN001"}));
}

TEST(ConfigDiscovery, IsolatedIgnoresConfiguration) {
  TempDir D;
  // Even an invalid configuration: --isolated never reads it.
  D.write("pyproject.toml", "[tool.memlint]\nignore = [\"GEN001\"]\nbogus = 1\n");
  D.write("a.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001", "a.py:2:10 GEN002"}));
  EXPECT_EQ(Exit, 1);
}

TEST(ConfigDiscovery, ConfigOptionReadsThatFileInstead) {
  TempDir D;
  D.write("pyproject.toml", "[tool.memlint]\nignore = [\"GEN001\"]\n");
  D.write("ci/strict.toml", "[tool.memlint]\nselect = [\"GEN001\"]\n");
  D.write("a.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--config", "ci/strict.toml", "a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001"}));
  F = checkJson(D.path(), {"--config=ci/strict.toml", "a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001"}));
}

//===----------------------------------------------------------------------===//
// What the configuration does
//===----------------------------------------------------------------------===//

TEST(ConfigSettings, SelectIgnoreAndExtendSelect) {
  TempDir D;
  D.write("all.py", AllGenRules);
  int Exit = -1;
  D.write("pyproject.toml", "[tool.memlint]\nselect = [\"GEN001\", \"GEN002\"]\n");
  auto F = checkJson(D.path(), {"all.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"all.py:2:17 GEN001", "all.py:3:14 GEN002"}));

  D.write(
      "pyproject.toml",
      "[tool.memlint]\nselect = [\"GEN\"]\nignore = [\"GEN00\"]\nextend-select = [\"GEN003\"]\n");
  F = checkJson(D.path(), {"all.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"all.py:6:21 GEN003"}));

  // On the command line, --select replaces the configured selection, --ignore and
  // --extend-select add to theirs.
  D.write("pyproject.toml", "[tool.memlint]\nselect = [\"GEN001\"]\nignore = [\"GEN004\"]\n");
  F = checkJson(D.path(), {"--select", "GEN", "all.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"all.py:2:17 GEN001", "all.py:3:14 GEN002",
                                                    "all.py:6:21 GEN003"}));
  F = checkJson(D.path(), {"--extend-select", "GEN002", "--ignore", "GEN001", "all.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"all.py:3:14 GEN002"}));
}

TEST(ConfigSettings, ExcludeAndExtendExclude) {
  TempDir D;
  D.write("pyproject.toml", "[tool.memlint]\nexclude = [\"generated\"]\nextend-exclude = "
                            "[\"*_pb2.py\", \"legacy/**\"]\n");
  D.write("src/app.py", Gen001Line);
  D.write("src/generated/out.py", Gen001Line);
  D.write("src/api_pb2.py", Gen001Line);
  D.write("legacy/old.py", Gen001Line);
  D.write("legacy/deep/older.py", Gen001Line);
  int Exit = -1;
  auto F = checkJson(D.path(), {"."}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"src/app.py:1:9 GEN001"}));

  // A file named on the command line is checked even when excluded...
  F = checkJson(D.path(), {"src/api_pb2.py", "src/generated/out.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"src/api_pb2.py:1:9 GEN001",
                                                    "src/generated/out.py:1:9 GEN001"}));
  // ... unless --force-exclude.
  auto R = runMemlint(
      {"check", "--force-exclude", "src/api_pb2.py", "src/generated/out.py", "src/app.py"},
      D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 2u) << R.Stdout;
  EXPECT_TRUE(startsWith(Lines[0], "src/app.py:1:9: GEN001")) << R.Stdout;
  EXPECT_EQ(Lines[1], "Found 1 finding in 1 file checked. [*] 1 with a safe fix.");

  auto Nothing = runMemlint({"check", "--force-exclude", "src/api_pb2.py"}, D.path());
  EXPECT_EQ(Nothing.ExitCode, 0);
  EXPECT_EQ(Nothing.Stdout, "All checks passed! (0 files checked)\n");
}

TEST(ConfigSettings, PerFileIgnores) {
  TempDir D;
  D.write("pyproject.toml", "[tool.memlint]\n"
                            "[tool.memlint.per-file-ignores]\n"
                            "\"tests/*.py\" = [\"GEN001\"]\n"
                            "\"conftest.py\" = [\"GEN\"]\n"
                            "\"scripts/**\" = [\"GEN002\"]\n");
  D.write("tests/test_a.py", TwoFindings);
  D.write("tests/unit/test_b.py", TwoFindings); // `*` does not cross directories
  D.write("pkg/conftest.py", TwoFindings);      // a pattern without `/` matches any component
  D.write("scripts/x/run.py", TwoFindings);
  D.write("app.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"."}, Exit);
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"app.py:1:9 GEN001", "app.py:2:10 GEN002",
                                      "scripts/x/run.py:1:9 GEN001", "tests/test_a.py:2:10 GEN002",
                                      "tests/unit/test_b.py:1:9 GEN001",
                                      "tests/unit/test_b.py:2:10 GEN002"}));
  EXPECT_EQ(Exit, 1);
}

TEST(ConfigSettings, PatternsAreRelativeToTheConfigFileNotTheWorkingDirectory) {
  TempDir D;
  D.write("proj/pyproject.toml", "[tool.memlint]\nexclude = [\"build/*.py\"]\n"
                                 "per-file-ignores = { \"src/*.py\" = [\"GEN001\"] }\n");
  D.write("proj/build/gen.py", Gen001Line);
  D.write("proj/src/a.py", TwoFindings);
  int Exit = -1;
  auto F = checkJson(D.path(), {"proj"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"proj/src/a.py:2:10 GEN002"}));
  F = checkJson(D.path() + "/proj/src", {"."}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:2:10 GEN002"}));
}

//===----------------------------------------------------------------------===//
// Invalid configuration: exit 2, the file and the problem named, nothing analyzed
//===----------------------------------------------------------------------===//

struct BadConfig {
  std::string Toml;
  std::string Message; // after "<path>: "
};

void PrintTo(const BadConfig &C, std::ostream *OS) {
  for (char Ch : C.Toml)
    *OS << (Ch == '\n' ? std::string("\\n") : std::string(1, Ch));
}

class InvalidConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(InvalidConfig, ExitsTwoNamingTheFile) {
  TempDir D;
  std::string Config = D.write("pyproject.toml", GetParam().Toml);
  D.write("a.py", Gen001Line);
  auto R = runMemlint({"check", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stderr, canonical(Config) + ": " + GetParam().Message)) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");

  // The same file through --config is named as given.
  D.write("other.toml", GetParam().Toml);
  R = runMemlint({"check", "--config", "other.toml", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_TRUE(contains(R.Stderr, "other.toml: " + GetParam().Message)) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");
}

INSTANTIATE_TEST_SUITE_P(
    Config, InvalidConfig,
    ::testing::Values(
        BadConfig{"[tool.memlint]\nselect = [\"GEN001\"]\nbogus = 1\n",
                  "unknown key `bogus` in [tool.memlint] (known keys: select, extend-select, "
                  "ignore, exclude, extend-exclude, per-file-ignores)"},
        BadConfig{"[tool.memlint]\nline-length = 88\n", "unknown key `line-length`"},
        BadConfig{"[tool.memlint]\nselect = [\"XYZ\"]\n",
                  "[tool.memlint] `select`: unknown rule selector `XYZ`"},
        BadConfig{"[tool.memlint]\nignore = [\"GEN999\"]\n",
                  "[tool.memlint] `ignore`: unknown rule selector `GEN999`"},
        BadConfig{"[tool.memlint]\nextend-select = [\"NOPE1\"]\n",
                  "[tool.memlint] `extend-select`: unknown rule selector `NOPE1`"},
        BadConfig{"[tool.memlint.per-file-ignores]\n\"a.py\" = [\"BAD1\"]\n",
                  "[tool.memlint] `per-file-ignores`: unknown rule selector `BAD1`"},
        BadConfig{"[tool.memlint]\nselect = \"GEN001\"\n",
                  "[tool.memlint] `select` must be an array of strings"},
        BadConfig{"[tool.memlint]\nexclude = [1, 2]\n",
                  "[tool.memlint] `exclude` must be an array of strings"},
        BadConfig{"[tool.memlint]\nper-file-ignores = [\"a.py\"]\n",
                  "[tool.memlint] `per-file-ignores` must be a table"},
        BadConfig{"[tool.memlint.per-file-ignores]\n\"a.py\" = \"GEN001\"\n",
                  "[tool.memlint] `per-file-ignores.a.py` must be an array of strings"},
        BadConfig{"[tool.memlint]\nselect = [\"GEN001\"\nignore = []\n",
                  "invalid TOML at line 3, column 1"},
        BadConfig{"[tool.memlint]\nselect = [\"GEN001\"]\nselect = [\"GEN002\"]\n",
                  "invalid TOML at line 3"},
        BadConfig{"[tool.memlint]\n\nselect = [GEN001]\n", "invalid TOML at line 3"}));

//===----------------------------------------------------------------------===//
// Discovery
//===----------------------------------------------------------------------===//

TEST(Discovery, RecursiveSortedAndOnlyPythonFiles) {
  TempDir D;
  // Written out of order; output is sorted by path whatever the directory order.
  D.write("z.py", Gen001Line);
  D.write("b/y.py", Gen001Line);
  D.write("a/x.pyi", Gen001Line);
  D.write("a/deep/er/w.py", Gen001Line);
  D.write("a/notes.txt", Gen001Line);
  D.write("a/script", Gen001Line); // no extension: only when named explicitly
  D.write("a/x.py.bak", Gen001Line);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001"}, Exit);
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"a/deep/er/w.py:1:9 GEN001", "a/x.pyi:1:9 GEN001",
                                      "b/y.py:1:9 GEN001", "z.py:1:9 GEN001"}));
  auto R = runMemlint({"check", "--isolated", "."}, D.path());
  EXPECT_TRUE(contains(R.Stdout, "Found 4 findings in 4 files checked.")) << R.Stdout;

  F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "a/script"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a/script:1:9 GEN001"}));
}

TEST(Discovery, SkipsToolVcsAndVirtualenvDirectories) {
  TempDir D;
  D.write("app.py", Gen001Line);
  for (const char *Dir : {".git", "__pycache__", "node_modules", ".venv", ".tox", ".mypy_cache",
                          "pkg/__pycache__", "pkg/node_modules/lib"})
    D.write(std::string(Dir) + "/x.py", Gen001Line);
  // Any directory holding a pyvenv.cfg is a virtualenv, whatever its name.
  D.write("my-env/pyvenv.cfg", "home = /usr/bin\n");
  D.write("my-env/lib/python3.11/site.py", Gen001Line);
  D.write("pkg/mod.py", Gen001Line);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "."}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"app.py:1:9 GEN001", "pkg/mod.py:1:9 GEN001"}));
  // Named explicitly, a file in such a directory is checked.
  F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "node_modules/x.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"node_modules/x.py:1:9 GEN001"}));
}

TEST(Discovery, TheSameFileNamedTwiceIsCheckedOnce) {
  TempDir D;
  D.write("a.py", Gen001Line);
  auto R = runMemlint({"check", "--isolated", "--select", "GEN001", "a.py", ".", "./a.py",
                       D.path() + "/a.py", "a.py"},
                      D.path());
  EXPECT_EQ(R.ExitCode, 1);
  auto Lines = splitLines(R.Stdout);
  ASSERT_EQ(Lines.size(), 2u) << R.Stdout;
  EXPECT_EQ(Lines[1], "Found 1 finding in 1 file checked. [*] 1 with a safe fix.");
}

TEST(Discovery, SymlinkLoopDoesNotHang) {
  TempDir D;
  D.write("pkg/a.py", Gen001Line);
  fs::create_directory_symlink("..", D.path() + "/pkg/up");  // pkg/up -> .
  fs::create_directory_symlink(".", D.path() + "/pkg/self"); // pkg/self -> pkg
  fs::create_symlink("a.py", D.path() + "/pkg/alias.py");    // a link to a file is checked
  Stopwatch Timer;
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "."}, Exit);
  EXPECT_LT(Timer.seconds(), 10.0);
  EXPECT_EQ(Exit, 1);
  EXPECT_EQ(summarize(F),
            (std::vector<std::string>{"pkg/a.py:1:9 GEN001", "pkg/alias.py:1:9 GEN001"}));
}

TEST(Discovery, DanglingSymlink) {
  TempDir D;
  D.write("a.py", Gen001Line);
  fs::create_symlink("nowhere.py", D.path() + "/dangling.py");
  int Exit = -1;
  // Found while walking a directory: not a file to check, silently skipped.
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "."}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001"}));
  EXPECT_EQ(Exit, 1);
  // Named explicitly: reported, and the rest of the run goes on.
  F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "dangling.py", "a.py"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001", "dangling.py:1:1 E902"}));
  EXPECT_EQ(Exit, 2);
}

TEST(Discovery, FifoDoesNotBlock) {
  // Opening a FIFO for reading blocks until a writer comes; memlint must not open it.
  TempDir D;
  D.write("a.py", Gen001Line);
  D.write("pkg/b.py", Gen002Loop);
  ASSERT_EQ(mkfifo((D.path() + "/x.py").c_str(), 0600), 0);
  ASSERT_EQ(mkfifo((D.path() + "/pkg/y.py").c_str(), 0600), 0);
  // A blocked run would use no CPU: it shows up as runMemlint's time limit killing it (exit 137).
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "x.py", "a.py"}, Exit);
  EXPECT_EQ(Exit, 2);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001", "x.py:1:1 E902"}));
  ASSERT_EQ(F.size(), 2u);
  EXPECT_EQ(F[1].Message, "not a regular file (named pipe); not read");

  F = checkJson(D.path(), {"--isolated", "."}, Exit);
  EXPECT_EQ(Exit, 2);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001", "pkg/b.py:1:10 GEN002",
                                                    "pkg/y.py:1:1 E902", "x.py:1:1 E902"}));
}

TEST(Discovery, DirectoryNamedAsAFileArgumentIsWalked) {
  TempDir D;
  D.write("src/a.py", Gen001Line);
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "src/"}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"src/a.py:1:9 GEN001"}));
  F = checkJson(D.path() + "/src", {"--isolated", "--select", "GEN001", "."}, Exit);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"a.py:1:9 GEN001"}));
}

} // namespace
