//===- FixCliTest.cpp - `check --fix`, `--diff`, `--add-noqa` end to end ---===//
//
// Each test writes files to a fresh temporary directory, runs the real binary there, and
// compares the files byte for byte with what they must become.
//
//===----------------------------------------------------------------------===//
#include "FixTestSupport.h"
#include "Subprocess.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace memlint::test;

namespace {

//===----------------------------------------------------------------------===//
// --fix
//===----------------------------------------------------------------------===//

TEST(Fix, AppliesSafeFixesOfGen001Gen002Gen004) {
  TempDir D;
  std::string File = D.write("report.py", SafeCases);
  auto R = runMemlint({"check", "--isolated", "--fix", "report.py"}, D.path());
  EXPECT_EQ(readFile(File), SafeCasesFixed);
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  EXPECT_EQ(R.Stdout, "All checks passed! (1 file checked)\nFixed 4 findings (0 remaining).\n");
  EXPECT_EQ(R.Stderr, "");
}

TEST(Fix, IsIdempotent) {
  TempDir D;
  std::string File = D.write("report.py", SafeCases);
  ASSERT_EQ(runMemlint({"check", "--isolated", "--fix", "."}, D.path()).ExitCode, 0);
  std::string Once = readFile(File);
  ageFile(File);
  struct stat Before = statOf(File);
  auto R = runMemlint({"check", "--isolated", "--fix", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(readFile(File), Once);
  EXPECT_TRUE(sameMtime(Before, statOf(File))) << "a second --fix rewrote the file";
  EXPECT_NE(R.Stdout.find("Fixed 0 findings (0 remaining)."), std::string::npos) << R.Stdout;
}

TEST(Fix, LeavesUnsafeFixesAloneByDefault) {
  TempDir D;
  std::string File = D.write("check.py", UnsafeCases);
  ageFile(File);
  struct stat Before = statOf(File);
  auto R = runMemlint({"check", "--isolated", "--fix", "check.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(readFile(File), UnsafeCases);
  EXPECT_TRUE(sameMtime(Before, statOf(File)));
  EXPECT_NE(R.Stdout.find("check.py:2:12: GEN001 "), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("check.py:3:20: GEN001 "), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("Fixed 0 findings (2 remaining)."), std::string::npos) << R.Stdout;
}

TEST(Fix, UnsafeFixesAppliesThemToo) {
  TempDir D;
  std::string File = D.write("check.py", UnsafeCases);
  auto R = runMemlint({"check", "--isolated", "--fix", "--unsafe-fixes", "check.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout;
  EXPECT_EQ(readFile(File), UnsafeCasesFixed);
  EXPECT_NE(R.Stdout.find("Fixed 2 findings (0 remaining)."), std::string::npos) << R.Stdout;
}

TEST(Fix, KeepsTheFileMode) {
  TempDir D;
  std::string Script = D.write("tool.py", SafeCases);
  std::string Private = D.write("private.py", SafeCases);
  ASSERT_EQ(::chmod(Script.c_str(), 0751), 0);
  ASSERT_EQ(::chmod(Private.c_str(), 0600), 0);
  auto R = runMemlint({"check", "--isolated", "--fix", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  EXPECT_EQ(readFile(Script), SafeCasesFixed);
  EXPECT_EQ(statOf(Script).st_mode & 07777, 0751u);
  EXPECT_EQ(statOf(Private).st_mode & 07777, 0600u);
}

TEST(Fix, LeavesFilesWithoutFixesUntouched) {
  TempDir D;
  std::string Fixable = D.write("a.py", SafeCases);
  std::string Clean = D.write("clean.py", CleanCode);
  std::string Unsafe = D.write("pkg/unsafe.py", UnsafeCases);
  for (const std::string &F : {Clean, Unsafe})
    ageFile(F);
  struct stat CleanBefore = statOf(Clean), UnsafeBefore = statOf(Unsafe);
  auto R = runMemlint({"check", "--isolated", "--fix", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(readFile(Fixable), SafeCasesFixed);
  EXPECT_EQ(readFile(Clean), CleanCode);
  EXPECT_EQ(readFile(Unsafe), UnsafeCases);
  EXPECT_TRUE(sameMtime(CleanBefore, statOf(Clean)));
  EXPECT_TRUE(sameMtime(UnsafeBefore, statOf(Unsafe)));
  EXPECT_EQ(statOf(Clean).st_ino, CleanBefore.st_ino);
  // No temporary files are left behind.
  for (const auto &Entry : std::filesystem::recursive_directory_iterator(D.path()))
    EXPECT_EQ(Entry.path().filename().string().find(".memlint-"), std::string::npos)
        << Entry.path();
}

TEST(Fix, FollowsSymlinksAndKeepsThem) {
  TempDir D;
  std::string Target = D.write("real/mod.py", SafeCases);
  std::string Link = D.path() + "/link.py";
  ASSERT_EQ(::symlink("real/mod.py", Link.c_str()), 0);
  auto R = runMemlint({"check", "--isolated", "--fix", "link.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  struct stat L {};
  ASSERT_EQ(::lstat(Link.c_str(), &L), 0);
  EXPECT_TRUE(S_ISLNK(L.st_mode));
  EXPECT_EQ(readFile(Target), SafeCasesFixed);
}

TEST(Fix, KeepsCrlfLineEndingsAndBom) {
  TempDir D;
  std::string Text = "\xEF\xBB\xBF"
                     "def f(xs):\r\n    return sum([x * 2 for x in xs])\r\n";
  std::string File = D.write("crlf.py", Text);
  auto R = runMemlint({"check", "--isolated", "--fix", "crlf.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout;
  EXPECT_EQ(readFile(File), "\xEF\xBB\xBF"
                            "def f(xs):\r\n    return sum(x * 2 for x in xs)\r\n");
}

TEST(Fix, NeverFixesFilesInAnotherEncoding) {
  TempDir D;
  std::string Text = "# -*- coding: latin-1 -*-\n"
                     "def f(xs):\n    return sum([x for x in xs])  # \xe9\n";
  std::string File = D.write("latin.py", Text);
  auto R = runMemlint({"check", "--isolated", "--fix", "latin.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(readFile(File), Text);
}

TEST(Fix, SyntaxErrorsAreReportedNotFixed) {
  TempDir D;
  std::string Bad = "def f(:\n    return sum([x for x in y])\n";
  std::string File = D.write("bad.py", Bad);
  auto R = runMemlint({"check", "--isolated", "--fix", "bad.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(readFile(File), Bad);
  EXPECT_NE(R.Stdout.find("E999"), std::string::npos) << R.Stdout;
}

TEST(Fix, JsonReportGoesToStdoutAndTheCountToStderr) {
  TempDir D;
  D.write("a.py", SafeCases);
  D.write("b.py", UnsafeCases);
  auto R = runMemlint({"check", "--isolated", "--fix", "--format", "json", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(R.Stdout.rfind("[", 0), 0u) << R.Stdout;
  EXPECT_EQ(R.Stdout.find("a.py"), std::string::npos) << R.Stdout;
  EXPECT_EQ(R.Stderr, "Fixed 4 findings (2 remaining).\n");
}

TEST(Fix, NeverOverwritesAFileEditedAfterItWasRead) {
  // Deterministic: with one thread memlint reads a.py, then blocks opening z.py, on which the
  // test holds a write lease (F_GETLEASE shows the pending break). In that window "an editor"
  // saves a.py. memlint's fix of a.py must then be dropped, and z.py still fixed.
  TempDir D;
  std::string Edited = D.write("a.py", SafeCases);
  std::string Blocker = D.write("z.py", SafeCases);
  auto OldHandler = std::signal(SIGIO, SIG_IGN); // the lease-break signal; polled instead
  int Fd = ::open(Blocker.c_str(), O_RDONLY);
  ASSERT_GE(Fd, 0);
  ASSERT_EQ(::fcntl(Fd, F_SETLEASE, F_WRLCK), 0) << "cannot take a lease: " << std::strerror(errno);
  ChildProcess Memlint({MEMLINT_BINARY, "check", "--isolated", "--fix", "--threads", "1", "."}, {},
                       D.path());
  bool Blocked = false;
  for (int Waited = 0; Waited < 120000 && !Blocked; Waited += 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Blocked = ::fcntl(Fd, F_GETLEASE) != F_WRLCK;
  }
  EXPECT_TRUE(Blocked) << "memlint never opened z.py";
  const std::string EditorText = std::string(SafeCases) + "# saved by an editor\n";
  D.write("a.py", EditorText);
  ASSERT_EQ(::fcntl(Fd, F_SETLEASE, F_UNLCK), 0);
  ::close(Fd);
  std::signal(SIGIO, OldHandler);

  std::string Out;
  while (Memlint.read(Out, std::chrono::seconds(120)) == ChildProcess::ReadStatus::Data) {
  }
  EXPECT_EQ(Memlint.wait(std::chrono::seconds(60)), 2) << Out;
  EXPECT_EQ(readFile(Edited), EditorText);
  EXPECT_EQ(readFile(Blocker), SafeCasesFixed);
  for (const auto &Entry : std::filesystem::directory_iterator(D.path()))
    EXPECT_EQ(Entry.path().filename().string().find(".memlint-"), std::string::npos)
        << "temporary file left behind: " << Entry.path();
}

//===----------------------------------------------------------------------===//
// --diff
//===----------------------------------------------------------------------===//

TEST(Diff, PrintsTheFixAsAUnifiedDiffAndWritesNothing) {
  TempDir D;
  std::string File = D.write("report.py", SafeCases);
  ageFile(File);
  struct stat Before = statOf(File);
  auto R = runMemlint({"check", "--isolated", "--diff", "report.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(R.Stdout, "--- report.py\n"
                      "+++ report.py\n"
                      "@@ -1,10 +1,10 @@\n"
                      " def report(rows, out):\n"
                      "-    total = sum([r.amount for r in rows])\n"
                      "-    for i in list(range(len(rows))):\n"
                      "+    total = sum(r.amount for r in rows)\n"
                      "+    for i in range(len(rows)):\n"
                      "         out.write(i)\n"
                      "-    for x in [r.amount * 2 for r in rows]:\n"
                      "+    for x in (r.amount * 2 for r in rows):\n"
                      "         out.write(x)\n"
                      "-    names = [r.name for r in rows]\n"
                      "+    names = (r.name for r in rows)\n"
                      "     for name in names:\n"
                      "         out.write(name)\n"
                      "     return total\n");
  EXPECT_EQ(R.Stderr, "Would fix 4 findings in 1 file.\n");
  EXPECT_EQ(readFile(File), SafeCases);
  EXPECT_TRUE(sameMtime(Before, statOf(File)));
}

TEST(Diff, ExitsZeroWhenNothingWouldChange) {
  TempDir D;
  D.write("clean.py", CleanCode);
  D.write("unsafe.py", UnsafeCases); // findings, but no safe fix
  auto R = runMemlint({"check", "--isolated", "--diff", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Stdout, "");
  EXPECT_EQ(R.Stderr, "No fixes would be applied.\n");
}

TEST(Diff, WithUnsafeFixesShowsThem) {
  TempDir D;
  D.write("unsafe.py", UnsafeCases);
  auto R = runMemlint({"check", "--isolated", "--diff", "--unsafe-fixes", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_NE(R.Stdout.find("+    if any(r.ok for r in rows):\n"), std::string::npos) << R.Stdout;
  EXPECT_EQ(readFile(D.path() + "/unsafe.py"), UnsafeCases);
}

TEST(Diff, SeparateHunksAndMissingFinalNewline) {
  TempDir D;
  std::string Text = "def f(xs):\n    a = sum([x for x in xs])\n";
  for (int I = 0; I < 10; ++I)
    Text += "    pass\n";
  Text += "    return a, max([x for x in xs])";
  D.write("m.py", Text);
  auto R = runMemlint({"check", "--isolated", "--diff", "m.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(R.Stdout, "--- m.py\n"
                      "+++ m.py\n"
                      "@@ -1,5 +1,5 @@\n"
                      " def f(xs):\n"
                      "-    a = sum([x for x in xs])\n"
                      "+    a = sum(x for x in xs)\n"
                      "     pass\n"
                      "     pass\n"
                      "     pass\n"
                      "@@ -10,4 +10,4 @@\n"
                      "     pass\n"
                      "     pass\n"
                      "     pass\n"
                      "-    return a, max([x for x in xs])\n"
                      "\\ No newline at end of file\n"
                      "+    return a, max(x for x in xs)\n"
                      "\\ No newline at end of file\n");
}

TEST(Diff, AppliesWithPatch) {
  if (::system("command -v patch >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "patch(1) is not installed";
  TempDir D;
  std::string File = D.write("report.py", SafeCases);
  auto R = runMemlint({"check", "--isolated", "--diff", "report.py"}, D.path());
  ASSERT_EQ(R.ExitCode, 1);
  D.write("fix.diff", R.Stdout);
  std::string Cmd = "cd '" + D.path() + "' && patch -s -p0 < fix.diff";
  ASSERT_EQ(::system(Cmd.c_str()), 0);
  EXPECT_EQ(readFile(File), SafeCasesFixed);
}

//===----------------------------------------------------------------------===//
// --add-noqa
//===----------------------------------------------------------------------===//

TEST(AddNoqa, InsertsAndMergesThenTheCheckIsClean) {
  TempDir D;
  std::string File = D.write("n.py", "def g(rows):\n"
                                     "    a = sum([r for r in rows])  # noqa: GEN002\n"
                                     "    b = sum([r for r in rows])   # keep this comment   \n"
                                     "    c = min([r for r in rows]); d = max([r for r in rows])\n"
                                     "    return a, b, c, d\n");
  auto R = runMemlint({"check", "--isolated", "--add-noqa", "n.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  EXPECT_EQ(readFile(File), "def g(rows):\n"
                            "    a = sum([r for r in rows])  # noqa: GEN002, GEN001\n"
                            "    b = sum([r for r in rows])   # keep this comment  # noqa: GEN001\n"
                            "    c = min([r for r in rows]); d = max([r for r in rows])  # noqa: "
                            "GEN001\n"
                            "    return a, b, c, d\n");
  EXPECT_EQ(R.Stdout, "All checks passed! (1 file checked)\nAdded 3 noqa codes in 1 file.\n");
  auto Again = runMemlint({"check", "--isolated", "n.py"}, D.path());
  EXPECT_EQ(Again.ExitCode, 0) << Again.Stdout;
}

TEST(AddNoqa, SkipsLinesThatCannotTakeAComment) {
  TempDir D;
  std::string Text = "def g(rows):\n"
                     "    c = sum([r for r in rows]), \"\"\"x\n"
                     "y\"\"\"\n"
                     "    e = sum([r for r in rows]) + \\\n"
                     "        1\n"
                     "    f = sum([r for r in rows])\n"
                     "    return c, e, f\n";
  std::string File = D.write("s.py", Text);
  auto R = runMemlint({"check", "--isolated", "--add-noqa", "s.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 1);
  std::string Expected = Text;
  Expected.replace(Expected.find("    f = sum([r for r in rows])\n"), 31,
                   "    f = sum([r for r in rows])  # noqa: GEN001\n");
  EXPECT_EQ(readFile(File), Expected);
  EXPECT_NE(R.Stderr.find("s.py: line 2: cannot add `# noqa: GEN001`: the line ends inside a "
                          "multi-line string"),
            std::string::npos)
      << R.Stderr;
  EXPECT_NE(R.Stderr.find("s.py: line 4: cannot add `# noqa: GEN001`: the line ends with a "
                          "backslash continuation"),
            std::string::npos)
      << R.Stderr;
  EXPECT_NE(R.Stdout.find("s.py:2:13: GEN001"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("s.py:4:13: GEN001"), std::string::npos) << R.Stdout;
}

TEST(AddNoqa, CannotBeCombinedWithFix) {
  TempDir D;
  D.write("a.py", SafeCases);
  auto R = runMemlint({"check", "--isolated", "--add-noqa", "--fix", "a.py"}, D.path());
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_NE(R.Stderr.find("--add-noqa cannot be combined with --fix or --diff"), std::string::npos);
  EXPECT_EQ(readFile(D.path() + "/a.py"), SafeCases);
}

TEST(AddNoqa, LeavesCleanFilesUntouched) {
  TempDir D;
  std::string Clean = D.write("clean.py", CleanCode);
  ageFile(Clean);
  struct stat Before = statOf(Clean);
  D.write("a.py", SafeCases);
  auto R = runMemlint({"check", "--isolated", "--add-noqa", "."}, D.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  EXPECT_TRUE(sameMtime(Before, statOf(Clean)));
}

} // namespace
