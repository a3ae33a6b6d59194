//===- BadInputMoreTest.cpp - files that cannot be read, vanish, or loop ---===//
//
// The file-system half of the bad inputs (BadInputTest.cpp has the contents half): unreadable
// files and directories, symlink loops, a file deleted between discovery and reading, and
// hostile pyproject.toml files. Each case asserts the exact report (code, position, message
// naming the file), the exit status, and that a good file in the same run is still analyzed.
//
//===----------------------------------------------------------------------===//
#include "CliSupport.h"
#include "Subprocess.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace memlint::test;
using namespace std::string_literals;

namespace {

/// Runs `memlint check --format json ARGS` in Dir as a user that file permissions apply to.
/// Root reads anything, so as root the binary runs as `nobody` through setpriv; the directory
/// is then opened up to others (its files are 0644 under the usual umask).
RunResult runUnprivileged(const TempDir &Dir, std::vector<std::string> Args) {
  Args.insert(Args.begin(), "check");
  Args.insert(Args.end(), {"--format", "json"});
  if (::geteuid() != 0)
    return runMemlint(Args, Dir.path());
  EXPECT_EQ(::chmod(Dir.path().c_str(), 0755), 0);
  std::string Setpriv = findExecutable("setpriv");
  EXPECT_FALSE(Setpriv.empty())
      << "running as root, setpriv (util-linux) is needed to drop privileges";
  std::vector<std::string> Argv = {Setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                                   MEMLINT_BINARY};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  return runProgram(Argv, {}, Dir.path(), 300);
}

std::vector<std::string> summarizeJson(const RunResult &R) {
  auto F = parseFindings(R.Stdout);
  return F ? summarize(*F) : std::vector<std::string>{};
}

/// The message of the finding at Path, or "<none>".
std::string messageAt(const RunResult &R, const std::string &Path) {
  if (auto F = parseFindings(R.Stdout))
    for (const Finding &Item : *F)
      if (Item.Path == Path)
        return Item.Message;
  return "<none>";
}

//===----------------------------------------------------------------------===//
// Indentation CPython rejects (BadInputTest.cpp has the mixed indentation it accepts)
//===----------------------------------------------------------------------===//

/// Checks Contents as bad.py next to good.py; returns the exit status and bad.py's findings.
std::vector<Finding> checkBad(const std::string &Contents, int &Exit) {
  TempDir D;
  D.write("bad.py", Contents);
  D.write("good.py", Gen001Line);
  std::vector<Finding> All = checkJson(D.path(), {"--isolated", "--select", "GEN", "."}, Exit);
  std::vector<Finding> Bad;
  bool GoodChecked = false;
  for (Finding &F : All) {
    if (F.Path == "good.py")
      GoodChecked |= F.Line == 1 && F.Column == 9 && F.Code == "GEN001";
    else
      Bad.push_back(std::move(F));
  }
  EXPECT_TRUE(GoodChecked) << "the other file in the run must still be analyzed";
  return Bad;
}

/// bad.py has exactly one finding: E999 at Line:Column with Message.
void expectIndentationError(const std::string &Contents, int64_t Line, int64_t Column,
                            const std::string &Message) {
  int Exit = -1;
  std::vector<Finding> Bad = checkBad(Contents, Exit);
  EXPECT_EQ(Exit, 1);
  ASSERT_EQ(Bad.size(), 1u) << (Bad.empty() ? "no finding" : summarize(Bad).back());
  EXPECT_EQ(summarize(Bad).front(),
            "bad.py:" + std::to_string(Line) + ":" + std::to_string(Column) + " E999");
  EXPECT_EQ(Bad[0].Message, Message);
}

TEST(BadIndentation, TabsAndSpacesThatAgreeOnlyForOneTabSize) {
  // CPython 3.11: TabError, "inconsistent use of tabs and spaces in indentation", offset 1.
  const std::string Tab = "TabError: inconsistent use of tabs and spaces in indentation";
  // A tab, then eight spaces in the same block: equal with 8-column tabs, not with 1-column.
  expectIndentationError("if True:\n\ty = 1\n        z = sum([i for i in range(3)])\n", 3, 1, Tab);
  expectIndentationError("if True:\n        a = 1\n\tb = 2\n", 3, 1, Tab);
  // A tab block nested in a four-space block: deeper with 8-column tabs only.
  expectIndentationError("def f():\n    if x:\n\tpass\n", 3, 1, Tab);
}

TEST(BadIndentation, UnexpectedIndent) {
  // CPython 3.11: IndentationError, "unexpected indent", offset 2 (the last blank).
  expectIndentationError("x = 1\n  y = sum([i for i in range(3)])\n", 2, 2,
                         "IndentationError: unexpected indent");
  expectIndentationError("def f():\n    x = 1\n        return x\n", 3, 8,
                         "IndentationError: unexpected indent");
}

TEST(BadIndentation, DedentToALevelNeverUsed) {
  // CPython 3.11: "unindent does not match any outer indentation level", at the line's end.
  const std::string Unindent =
      "IndentationError: unindent does not match any outer indentation level";
  expectIndentationError("if x:\n    y = 1\n  z = 2\n", 3, 8, Unindent);
  expectIndentationError("if x:\n    pass\n  else:\n    pass\n", 3, 8, Unindent);
}

TEST(BadIndentation, UnusualIndentationCPythonAcceptsIsAnalyzed) {
  // Comments and continuation lines do not count; a form feed resets the column; a block may
  // use any depth as long as it is consistent.
  int Exit = -1;
  std::vector<Finding> Bad = checkBad(
      "def f(a,\n         b):\n  x = [\n1]\n      # deep comment\n  return sum([i for i in "
      "x])\n\x0c\nclass C:\n\t\tdef m(self):\n\t\t\tpass\n",
      Exit);
  EXPECT_EQ(summarize(Bad), (std::vector<std::string>{"bad.py:6:14 GEN001"}));
  EXPECT_EQ(Exit, 1);
}

//===----------------------------------------------------------------------===//
// Permissions
//===----------------------------------------------------------------------===//

TEST(BadInputFiles, UnreadableFile) {
  TempDir D;
  D.write("good.py", Gen001Line);
  std::string Locked = D.write("locked.py", Gen001Line);
  ASSERT_EQ(::chmod(Locked.c_str(), 0), 0);
  RunResult R = runUnprivileged(D, {"--isolated", "--select", "GEN001", "."});
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(summarizeJson(R),
            (std::vector<std::string>{"good.py:1:9 GEN001", "locked.py:1:1 E902"}));
  EXPECT_EQ(messageAt(R, "locked.py"), "cannot read file: Permission denied");
}

TEST(BadInputFiles, UnreadableDirectory) {
  TempDir D;
  D.write("good.py", Gen001Line);
  D.write("locked/inner.py", Gen001Line);
  D.write("open/other.py", Gen001Line);
  ASSERT_EQ(::chmod((D.path() + "/locked").c_str(), 0), 0);
  RunResult R = runUnprivileged(D, {"--isolated", "--select", "GEN001", "."});
  // Restore access, or TempDir could not remove what is inside.
  ::chmod((D.path() + "/locked").c_str(), 0755);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(summarizeJson(R), (std::vector<std::string>{"good.py:1:9 GEN001", "locked:1:1 E902",
                                                        "open/other.py:1:9 GEN001"}));
  EXPECT_EQ(messageAt(R, "locked"), "cannot read directory: Permission denied");
}

TEST(BadInputFiles, DirectoryThatCanBeListedButNotEntered) {
  // r-- without x: the names are visible, the files are not.
  TempDir D;
  D.write("good.py", Gen001Line);
  D.write("listonly/inner.py", Gen001Line);
  ASSERT_EQ(::chmod((D.path() + "/listonly").c_str(), 0444), 0);
  RunResult R = runUnprivileged(D, {"--isolated", "--select", "GEN001", "."});
  ::chmod((D.path() + "/listonly").c_str(), 0755);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(summarizeJson(R),
            (std::vector<std::string>{"good.py:1:9 GEN001", "listonly/inner.py:1:1 E902"}));
  EXPECT_EQ(messageAt(R, "listonly/inner.py"), "cannot read file: Permission denied");
}

//===----------------------------------------------------------------------===//
// Symlink loops
//===----------------------------------------------------------------------===//

TEST(BadInputFiles, FileSymlinkLoop) {
  TempDir D;
  D.write("good.py", Gen001Line);
  fs::create_symlink("self.py", D.path() + "/self.py");
  fs::create_symlink("pong.py", D.path() + "/ping.py");
  fs::create_symlink("ping.py", D.path() + "/pong.py");
  Stopwatch Timer;
  // Found while walking: like a dangling link, not a file to check.
  int Exit = -1;
  auto F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "."}, Exit);
  EXPECT_EQ(Exit, 1);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"good.py:1:9 GEN001"}));
  // Named: reported with the reason, the rest of the run goes on.
  F = checkJson(D.path(), {"--isolated", "--select", "GEN001", "ping.py", "self.py", "good.py"},
                Exit);
  EXPECT_EQ(Exit, 2);
  EXPECT_EQ(summarize(F), (std::vector<std::string>{"good.py:1:9 GEN001", "ping.py:1:1 E902",
                                                    "self.py:1:1 E902"}));
  ASSERT_EQ(F.size(), 3u);
  EXPECT_EQ(F[1].Message, "cannot access: Too many levels of symbolic links");
  EXPECT_EQ(F[2].Message, "cannot access: Too many levels of symbolic links");
  EXPECT_LT(Timer.seconds(), 10.0);
}

//===----------------------------------------------------------------------===//
// A file that disappears between discovery and reading
//===----------------------------------------------------------------------===//

TEST(BadInputFiles, FileDeletedBetweenDiscoveryAndReading) {
  // Deterministic: the test holds a write lease on a.py, the first file memlint reads with one
  // thread. Opening it blocks memlint (after discovery has listed z.py) until the lease is
  // released; F_GETLEASE shows the pending break. z.py is deleted in that window.
  TempDir D;
  std::string Blocker = D.write("a.py", Gen001Line);
  D.write("m.py", Gen001Line);
  std::string Vanishing = D.write("z.py", Gen001Line);
  // The kernel signals the lease holder with SIGIO (default action: terminate) when the lease
  // must be broken; the test polls F_GETLEASE instead.
  auto OldHandler = std::signal(SIGIO, SIG_IGN);
  int Fd = ::open(Blocker.c_str(), O_RDONLY);
  ASSERT_GE(Fd, 0);
  ASSERT_EQ(::fcntl(Fd, F_SETLEASE, F_WRLCK), 0)
      << "cannot take a file lease: " << std::strerror(errno);
  ChildProcess Memlint({MEMLINT_BINARY, "check", "--isolated", "--select", "GEN001", "--threads",
                        "1", "--format", "json", "."},
                       {}, D.path());
  bool Blocked = false;
  for (int Waited = 0; Waited < 120000 && !Blocked; Waited += 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Blocked = ::fcntl(Fd, F_GETLEASE) != F_WRLCK;
  }
  EXPECT_TRUE(Blocked) << "memlint never opened a.py";
  ASSERT_EQ(::unlink(Vanishing.c_str()), 0);
  ASSERT_EQ(::fcntl(Fd, F_SETLEASE, F_UNLCK), 0);
  ::close(Fd);
  std::signal(SIGIO, OldHandler);

  std::string Out;
  while (Memlint.read(Out, std::chrono::seconds(120)) == ChildProcess::ReadStatus::Data) {
  }
  EXPECT_EQ(Memlint.wait(std::chrono::seconds(60)), 2);
  auto F = parseFindings(Out);
  ASSERT_TRUE(F);
  EXPECT_EQ(summarize(*F),
            (std::vector<std::string>{"a.py:1:9 GEN001", "m.py:1:9 GEN001", "z.py:1:1 E902"}));
  ASSERT_EQ(F->size(), 3u);
  EXPECT_EQ((*F)[2].Message, "cannot read file: No such file or directory");
}

//===----------------------------------------------------------------------===//
// Hostile pyproject.toml
//===----------------------------------------------------------------------===//

/// Runs `memlint check a.py` (text output) next to a pyproject.toml with Toml in it.
RunResult checkWithConfig(const std::string &Toml, std::string *ConfigPath = nullptr) {
  TempDir D;
  std::string Path = D.write("pyproject.toml", Toml);
  if (ConfigPath)
    *ConfigPath = fs::canonical(Path).string();
  D.write("a.py", Gen001Line);
  return runMemlint({"check", "a.py"}, D.path());
}

TEST(BadConfig, DeeplyNestedArraysAreAnErrorNotACrash) {
  std::string Config;
  std::string Toml =
      "[tool.memlint]\nselect = [\"GEN001\"]\n[tool.other]\nx = " + std::string(100000, '[') +
      std::string(100000, ']') + "\n";
  Stopwatch Timer;
  RunResult R = checkWithConfig(Toml, &Config);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");
  EXPECT_TRUE(contains(R.Stderr, Config + ": invalid TOML at line 4, column ")) << R.Stderr;
  EXPECT_LT(Timer.seconds(), 10.0);
}

TEST(BadConfig, DeeplyNestedInlineTables) {
  std::string Config;
  std::string Toml = "[tool.memlint]\nselect = [\"GEN001\"]\n[tool.other]\nx = ";
  for (int I = 0; I < 50000; ++I)
    Toml += "{a = ";
  Toml += "1" + std::string(50000, '}') + "\n";
  RunResult R = checkWithConfig(Toml, &Config);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");
  EXPECT_TRUE(contains(R.Stderr, Config + ": invalid TOML at line 4, column ")) << R.Stderr;
}

TEST(BadConfig, BinaryGarbage) {
  std::string Config;
  RunResult R = checkWithConfig("[tool.memlint]\nselect = [\"GEN\0\xff\"]\n"s, &Config);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");
  EXPECT_TRUE(contains(R.Stderr, Config + ": invalid TOML at line 2, column ")) << R.Stderr;
}

TEST(BadConfig, InvalidUtf8InAString) {
  std::string Config;
  RunResult R = checkWithConfig("[tool.memlint]\nexclude = [\"caf\xe9\"]\n", &Config);
  EXPECT_EQ(R.ExitCode, 2) << R.Stderr;
  EXPECT_EQ(R.Stdout, "");
  EXPECT_TRUE(contains(R.Stderr, Config + ": invalid TOML at line 2, column ")) << R.Stderr;
}

TEST(BadConfig, PathologicalGlobPatternsFinishQuickly) {
  // Backtracking glob matchers take exponential time on `*a*a*a...` against `aaaa...`; the run
  // must still finish promptly, and the pattern means what it says (here: nothing matches).
  TempDir D;
  std::string Stars;
  for (int I = 0; I < 12; ++I)
    Stars += "*a";
  D.write("pyproject.toml", "[tool.memlint]\nselect = [\"GEN001\"]\nexclude = [\"" + Stars +
                                "*b\", \"" + std::string("**/") +
                                "**/**/**/**/**/**/**/**/**/**/z\"]\n"
                                "per-file-ignores = { \"" +
                                Stars + "*c.py\" = [\"GEN001\"] }\n");
  std::string Deep;
  for (int I = 0; I < 30; ++I)
    Deep += "d/";
  D.write(std::string(60, 'a') + ".py", Gen001Line);
  D.write(Deep + std::string(60, 'a') + ".py", Gen001Line);
  Stopwatch Timer;
  int Exit = -1;
  auto F = checkJson(D.path(), {"."}, Exit);
  EXPECT_LT(Timer.seconds(), 10.0);
  EXPECT_EQ(Exit, 1);
  EXPECT_EQ(F.size(), 2u);
}

TEST(BadConfig, PyprojectThatIsADirectoryOrAFifoIsSkipped) {
  // Only a regular file can configure memlint; a FIFO would block whoever opens it.
  TempDir D;
  fs::create_directory(D.path() + "/pyproject.toml");
  D.write("pkg/a.py", Gen001Line);
  ASSERT_EQ(::mkfifo((D.path() + "/pkg/pyproject.toml").c_str(), 0600), 0);
  auto R = runMemlint({"check", "pkg/a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stderr;
  EXPECT_TRUE(startsWith(R.Stdout, "pkg/a.py:1:9: GEN001 ")) << R.Stdout;
  // Named with --config, the directory is an error that names it.
  R = runMemlint({"check", "--config", "pyproject.toml", "pkg/a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_EQ(R.Stdout, "");
  EXPECT_TRUE(contains(R.Stderr, "memlint: error: pyproject.toml: cannot read: Is a directory\n"))
      << R.Stderr;
}

} // namespace
