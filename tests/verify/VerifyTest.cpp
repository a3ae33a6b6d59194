//===- VerifyTest.cpp - `memlint verify` against real Python programs -----===//
//
// Each test writes a small program into a temporary directory, runs the real memlint binary
// (`verify ... -- python3 ...`) and checks the verdict and the evidence. They need python3 on
// PATH (any 3.9+; CI has Debian's 3.11) and are skipped without it.
//
//===----------------------------------------------------------------------===//
#include "Subprocess.h"
#include "TestSupport.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace memlint::test;
namespace fs = std::filesystem;

namespace {

const char *const TreeProgram = R"py(class Parent:
    def __init__(self, name):
        self.name = name
        self.children = []

    def add_child(self, name):
        child = Child(name, self)
        self.children.append(child)
        return child


class Child:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent


def build(n):
    for i in range(n):
        p = Parent("p%d" % i)
        p.add_child("a")
        p.add_child("b")


if __name__ == "__main__":
    build(300)
)py";

const char *const WeakTreeProgram = R"py(import weakref


class Parent:
    def __init__(self, name):
        self.name = name
        self.children = []

    def add_child(self, name):
        child = Child(name, self)
        self.children.append(child)
        return child


class Child:
    def __init__(self, name, parent):
        self.name = name
        self._parent = weakref.ref(parent)

    @property
    def parent(self):
        return self._parent()


if __name__ == "__main__":
    for i in range(300):
        Parent("p%d" % i).add_child("a")
)py";

const char *const UnusedProgram = R"py(class Graph:
    def __init__(self):
        self.nodes = []

    def add(self):
        node = Node(self)
        self.nodes.append(node)
        return node


class Node:
    def __init__(self, graph):
        self.graph = graph


if __name__ == "__main__":
    print("the graph classes are never used")
)py";

const char *const BigSumProgram = R"py(def total(n):
    return sum([i * 3 for i in range(n)])


if __name__ == "__main__":
    print(total(300_000))
)py";

const char *const BusProgram = R"py(class EventBus:
    def __init__(self):
        self.handlers = []

    def subscribe(self, handler):
        self.handlers.append(handler)

    def publish(self, value):
        for handler in self.handlers:
            handler(value)


BUS = EventBus()


class Panel:
    def __init__(self, title):
        self.title = title
        self.seen = []
        BUS.subscribe(self.refresh)

    def refresh(self, value):
        self.seen.append(value)


def open_panels():
    for i in range(20):
        Panel("panel %d" % i)
    BUS.publish(1)


if __name__ == "__main__":
    open_panels()
)py";

const char *const TaskProgram = R"py(class Task:
    def __init__(self):
        self.failure = None

    def attempt(self):
        try:
            raise ValueError("nope")
        except ValueError as e:
            self.failure = e


if __name__ == "__main__":
    for _ in range(200):
        Task().attempt()
)py";

bool havePython() { return !findExecutable("python3").empty(); }

#define REQUIRE_PYTHON()                                                                       \
  do {                                                                                         \
    if (!havePython())                                                                         \
      GTEST_SKIP() << "python3 is not on PATH";                                                \
  } while (false)

/// Parses a `verify --format json` report; fails the test if it is not one.
llvm::json::Object parseReport(const RunResult &R) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(R.Stdout);
  if (!V) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(V.takeError()) << "\n" << R.Stdout
                  << "\nstderr:\n" << R.Stderr;
    return {};
  }
  if (!V->getAsObject()) {
    ADD_FAILURE() << "not a JSON object: " << R.Stdout;
    return {};
  }
  return std::move(*V->getAsObject());
}

/// The one finding with this code in a report.
const llvm::json::Object *findingWithCode(const llvm::json::Object &Report, llvm::StringRef Code) {
  const llvm::json::Array *Findings = Report.getArray("findings");
  if (!Findings)
    return nullptr;
  for (const llvm::json::Value &F : *Findings)
    if (const llvm::json::Object *O = F.getAsObject())
      if (O->getString("code") == Code)
        return O;
  return nullptr;
}

std::string verdictOf(const llvm::json::Object *F) {
  if (!F)
    return "<no such finding>";
  return F->getString("verdict").getValueOr("<no verdict>").str();
}

std::string evidenceOf(const llvm::json::Object *F) {
  std::string All;
  if (const llvm::json::Array *E = F ? F->getArray("evidence") : nullptr)
    for (const llvm::json::Value &Line : *E)
      All += Line.getAsString().getValueOr("").str() + "\n";
  return All;
}

int64_t runtimeNumber(const llvm::json::Object *F, llvm::StringRef Key) {
  const llvm::json::Object *R = F ? F->getObject("runtime") : nullptr;
  return R ? R->getInteger(Key).getValueOr(-1) : -1;
}

std::string readFile(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

} // namespace

TEST(Verify, ParentChildCycleIsConfirmedWithItsRuntimePath) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--format", "json", "--",
                            "python3", "tree.py"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stderr;
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Object *F = findingWithCode(Report, "CYC001");
  ASSERT_NE(F, nullptr) << R.Stdout;
  EXPECT_EQ(verdictOf(F), "confirmed") << R.Stdout;
  // 300 parents and 600 children, all freed only by the cyclic collector.
  EXPECT_EQ(runtimeNumber(F, "freed_by_gc"), 900) << R.Stdout;
  EXPECT_EQ(runtimeNumber(F, "freed_by_refcount"), 0) << R.Stdout;
  std::string Evidence = evidenceOf(F);
  // Which child closes the cycle depends on when the search ran: list[0] or list[1].
  EXPECT_NE(Evidence.find("cycle seen at runtime: Parent.children → list["), std::string::npos)
      << Evidence;
  EXPECT_NE(Evidence.find("] → Child.parent → Parent"), std::string::npos) << Evidence;
  EXPECT_NE(Evidence.find("could only be freed by the cyclic garbage collector"), std::string::npos)
      << Evidence;
  // The static part of each finding is what `check --format json` prints.
  EXPECT_EQ(F->getInteger("line").getValueOr(0), 15);
  EXPECT_TRUE(F->getArray("related") != nullptr);
  EXPECT_EQ(Report.getInteger("exit_status").getValueOr(-1), 0);
}

TEST(Verify, WeakrefBackPointerIsNotFlaggedAndAForcedFindingIsRefuted) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("weaktree.py", WeakTreeProgram);
  RunResult Check = runMemlint({"check", "--isolated", "--select", "CYC", "weaktree.py"}, Dir.path());
  EXPECT_EQ(Check.ExitCode, 0) << Check.Stdout;
  // Pretend the static pass had flagged the back-pointer: the run refutes it, because every
  // instance is freed by reference counting.
  Dir.write("findings.json", R"json([{
    "path": "weaktree.py", "line": 18, "column": 9, "end_line": 18, "end_column": 44,
    "code": "CYC001", "name": "reference-cycle", "severity": "warning", "fix": null,
    "message": "reference cycle `Parent` → .children[…] → `Child` → ._parent → `Parent`",
    "related": [{"path": "weaktree.py", "line": 11, "column": 9, "end_line": 11, "end_column": 36,
                 "message": "`Parent.children` (a container) holds `Child`"}]}])json");
  RunResult R = runMemlint({"verify", "--findings", "findings.json", "--format", "json", "--",
                            "python3", "weaktree.py"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stderr;
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Object *F = findingWithCode(Report, "CYC001");
  EXPECT_EQ(verdictOf(F), "refuted") << R.Stdout;
  EXPECT_EQ(runtimeNumber(F, "freed_by_gc"), 0) << R.Stdout;
}

TEST(Verify, ClassThatIsNeverInstantiatedIsNotExercised) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("unused.py", UnusedProgram);
  RunResult R = runMemlint({"verify", "unused.py", "--", "python3", "unused.py"}, Dir.path());
  EXPECT_EQ(R.ExitCode, 0) << R.Stdout << R.Stderr;
  EXPECT_NE(R.Stdout.find("CYC001 [not-exercised]"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("runtime: the flagged line never ran"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("0 confirmed, 0 refuted, 1 not exercised"), std::string::npos) << R.Stdout;
  // The program's own output goes to standard error, never into the report.
  EXPECT_EQ(R.Stdout.find("never used"), std::string::npos);
  EXPECT_NE(R.Stderr.find("the graph classes are never used"), std::string::npos) << R.Stderr;
}

TEST(Verify, SumOfABigListShowsTheTracemallocPeakOfItsLine) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("bigsum.py", BigSumProgram);
  RunResult R = runMemlint({"verify", "bigsum.py", "--format", "json", "--", "python3", "bigsum.py"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stderr;
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Object *F = findingWithCode(Report, "GEN001");
  EXPECT_EQ(verdictOf(F), "confirmed") << R.Stdout;
  EXPECT_EQ(F ? F->getInteger("line").getValueOr(0) : 0, 2);
  // 300,000 pointers (2.3 MiB) plus the ints they point to: well over 2 MiB at the peak.
  EXPECT_GT(runtimeNumber(F, "peak_bytes"), 2 * 1024 * 1024) << R.Stdout;
  EXPECT_EQ(runtimeNumber(F, "largest_list"), 300000) << R.Stdout;
  EXPECT_EQ(runtimeNumber(F, "measured"), 1) << R.Stdout;
  EXPECT_NE(evidenceOf(F).find("tracemalloc"), std::string::npos);

  // The same statement on a short list costs little: below --min-bytes it is refuted.
  Dir.write("smallsum.py", "def total(n):\n    return sum([i * 3 for i in range(n)])\n\n\n"
                           "print(total(10))\n");
  RunResult Small = runMemlint({"verify", "smallsum.py", "--", "python3", "smallsum.py"}, Dir.path());
  EXPECT_EQ(Small.ExitCode, 0) << Small.Stdout;
  EXPECT_NE(Small.Stdout.find("GEN001 [refuted]"), std::string::npos) << Small.Stdout;
}

TEST(Verify, RegistryThatKeepsSubscribersIsConfirmed) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("bus.py", BusProgram);
  RunResult R = runMemlint({"verify", "bus.py", "--select", "WRF", "--format", "json", "--",
                            "python3", "bus.py"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stderr;
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Object *F = findingWithCode(Report, "WRF001");
  EXPECT_EQ(verdictOf(F), "confirmed") << R.Stdout;
  EXPECT_EQ(runtimeNumber(F, "held_by_registry"), 20) << R.Stdout;
  EXPECT_NE(evidenceOf(F).find("EventBus.handlers[0] → bound method Panel.refresh.__self__ → Panel"),
            std::string::npos)
      << evidenceOf(F);
}

TEST(Verify, ExceptionKeptInTheFrameIsConfirmed) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("task.py", TaskProgram);
  RunResult R = runMemlint({"verify", "task.py", "--select", "CYC004", "--format", "json", "--",
                            "python3", "task.py"},
                           Dir.path());
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Object *F = findingWithCode(Report, "CYC004");
  ASSERT_NE(F, nullptr) << R.Stdout;
  EXPECT_EQ(verdictOf(F), "confirmed") << R.Stdout;
  EXPECT_NE(evidenceOf(F).find("ValueError.__traceback__ → traceback.tb_frame → frame of "
                               "attempt()[local self] → Task.failure → ValueError"),
            std::string::npos)
      << evidenceOf(F);
}

TEST(Verify, FailingCommandIsReportedWithItsStatusAndStderr) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  Dir.write("crash.py", "import sys\nfrom tree import build\nbuild(50)\n"
                        "sys.stderr.write('about to fail\\n')\nraise RuntimeError('workload broke')\n");
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--", "python3", "crash.py"},
                           Dir.path());
  // Still a verdict from what ran before the crash; the exit status is memlint's own.
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout;
  EXPECT_NE(R.Stdout.find("CYC001 [confirmed]"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("exited with status 1"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("    | about to fail"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("    | RuntimeError: workload broke"), std::string::npos) << R.Stdout;

  RunResult Json = runMemlint({"verify", "tree.py", "--format", "json", "--", "python3", "crash.py"},
                              Dir.path());
  llvm::json::Object Report = parseReport(Json);
  EXPECT_EQ(Report.getInteger("exit_status").getValueOr(-1), 1);
  EXPECT_NE(Report.getString("stderr_tail").getValueOr("").str().find("RuntimeError: workload broke"),
            std::string::npos);
}

TEST(Verify, TimeoutKillsTheWholeProcessGroup) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  // The command starts a grandchild and sleeps; both must be gone when verify returns.
  Dir.write("sleeper.py", "import subprocess, sys, time\nfrom tree import build\nbuild(20)\n"
                          "child = subprocess.Popen(['sleep', '300'])\n"
                          "open('child.pid', 'w').write(str(child.pid))\n"
                          "time.sleep(300)\n");
  auto Start = std::chrono::steady_clock::now();
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--timeout", "2", "--",
                            "python3", "sleeper.py"},
                           Dir.path());
  double Seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  EXPECT_LT(Seconds, 30) << R.Stdout;
  EXPECT_NE(R.Stdout.find("stopped after the 2 s timeout"), std::string::npos) << R.Stdout;
  // The helper turned SIGTERM into SystemExit, so the run still produced observations.
  EXPECT_NE(R.Stdout.find("CYC001 [confirmed]"), std::string::npos) << R.Stdout;
  std::string Pid = readFile(fs::path(Dir.path()) / "child.pid");
  ASSERT_FALSE(Pid.empty());
  EXPECT_NE(kill(std::stoi(Pid), 0), 0) << "the grandchild survived the timeout";
}

TEST(Verify, UsageErrorsExitWithTwo) {
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  EXPECT_EQ(runMemlint({"verify", "tree.py"}, Dir.path()).ExitCode, 2);
  EXPECT_EQ(runMemlint({"verify", "--frobnicate", "--", "python3", "tree.py"}, Dir.path()).ExitCode, 2);
  EXPECT_EQ(runMemlint({"verify", "--format", "github", "--", "true"}, Dir.path()).ExitCode, 2);
  EXPECT_EQ(runMemlint({"verify", "--timeout", "soon", "--", "true"}, Dir.path()).ExitCode, 2);
  EXPECT_EQ(runMemlint({"verify", "--findings", "x.json", "tree.py", "--", "true"}, Dir.path()).ExitCode, 2);
  EXPECT_EQ(runMemlint({"verify", "--findings", "missing.json", "--", "true"}, Dir.path()).ExitCode, 2);
  RunResult NotFound = runMemlint({"verify", "tree.py", "--", "no-such-command-xyz"}, Dir.path());
  EXPECT_EQ(NotFound.ExitCode, 2);
  EXPECT_NE(NotFound.Stdout.find("cannot run `no-such-command-xyz`"), std::string::npos)
      << NotFound.Stdout;
  RunResult Help = runMemlint({"verify", "--help"});
  EXPECT_EQ(Help.ExitCode, 0);
  EXPECT_NE(Help.Stdout.find("not-exercised"), std::string::npos);
}

TEST(Verify, FindingsFileFromCheckGivesTheSameVerdict) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  RunResult Check = runMemlint({"check", "--isolated", "--select", "CYC", "--format", "json",
                                "--output-file", "findings.json", "tree.py"},
                               Dir.path());
  ASSERT_EQ(Check.ExitCode, 1) << Check.Stderr;
  RunResult R = runMemlint({"verify", "--findings", "findings.json", "--", "python3", "tree.py"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout << R.Stderr;
  EXPECT_NE(R.Stdout.find("tree.py:15:9: CYC001 [confirmed]"), std::string::npos) << R.Stdout;
}

TEST(Verify, SarifCarriesTheVerdictAndTheRun) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--format", "sarif", "--",
                            "python3", "tree.py"},
                           Dir.path());
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(R.Stdout);
  ASSERT_TRUE(bool(V)) << R.Stdout;
  const llvm::json::Object *Run = V->getAsObject()->getArray("runs")->front().getAsObject();
  const llvm::json::Object *Result = Run->getArray("results")->front().getAsObject();
  EXPECT_EQ(Result->getObject("properties")->getString("verdict"), llvm::StringRef("confirmed"));
  EXPECT_NE(Result->getObject("message")->getString("text")->str().find("Runtime verdict: confirmed"),
            std::string::npos);
  EXPECT_EQ(Run->getObject("properties")->getObject("verify")->getInteger("exit_status").getValueOr(-1), 0);
}

TEST(Verify, ExistingSiteCustomizeStillRuns) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  Dir.write("usersite/sitecustomize.py",
            "import os\nopen(os.environ['MARKER'], 'w').write('user sitecustomize ran')\n");
  std::string Marker = Dir.path() + "/marker.txt";
  RunResult R = runProgram({MEMLINT_BINARY, "verify", "tree.py", "--select", "CYC", "--", "python3",
                            "tree.py"},
                           {"PYTHONPATH=" + Dir.path() + "/usersite", "MARKER=" + Marker},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout << R.Stderr;
  EXPECT_NE(R.Stdout.find("CYC001 [confirmed]"), std::string::npos) << R.Stdout;
  EXPECT_EQ(readFile(Marker), "user sitecustomize ran");
}

TEST(Verify, WritesOnlyInItsTemporaryDirectoryAndRemovesIt) {
  REQUIRE_PYTHON();
  TempDir Project, Scratch;
  Project.write("tree.py", TreeProgram);
  RunResult R = runMemlint({"verify", "tree.py", "--tmp-dir", Scratch.path(), "--", "python3",
                            "tree.py"},
                           Project.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stderr;
  EXPECT_TRUE(fs::is_empty(Scratch.path())) << "the temporary directory was left behind";
  std::vector<std::string> Files;
  for (const auto &E : fs::directory_iterator(Project.path()))
    Files.push_back(E.path().filename().string());
  EXPECT_EQ(Files, std::vector<std::string>{"tree.py"});
  EXPECT_EQ(readFile(fs::path(Project.path()) / "tree.py"), TreeProgram);

  RunResult Kept = runMemlint({"verify", "tree.py", "--tmp-dir", Scratch.path(), "--keep-tmp",
                               "--", "python3", "tree.py"},
                              Project.path());
  EXPECT_NE(Kept.Stderr.find("memlint verify: kept " + Scratch.path()), std::string::npos)
      << Kept.Stderr;
  bool SawObservations = false;
  for (const auto &Sub : fs::directory_iterator(Scratch.path()))
    for (const auto &E : fs::directory_iterator(Sub.path()))
      SawObservations |= E.path().filename().string().rfind("observations-", 0) == 0;
  EXPECT_TRUE(SawObservations);
}

TEST(Verify, RunsPytestWhenItIsImportable) {
  REQUIRE_PYTHON();
  if (runProgram({"python3", "-c", "import pytest"}).ExitCode != 0)
    GTEST_SKIP() << "pytest is not importable by python3";
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  Dir.write("tests/test_tree.py", "import tree\n\n\ndef test_build():\n    tree.build(10)\n");
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--", "python3", "-m", "pytest",
                            "-q", "-p", "no:cacheprovider", "tests"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout << R.Stderr;
  EXPECT_NE(R.Stdout.find("CYC001 [confirmed]"), std::string::npos) << R.Stdout;
}

TEST(Verify, ModuleCommandsRunUnderTheChosenPython) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  Dir.write("test_tree.py", "import unittest\nimport tree\n\n\nclass T(unittest.TestCase):\n"
                            "    def test_build(self):\n        tree.build(10)\n");
  // `-- -m unittest ...` runs under --python (default python3).
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--python", "python3", "--",
                            "-m", "unittest", "-q", "test_tree"},
                           Dir.path());
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout << R.Stderr;
  EXPECT_NE(R.Stdout.find("Command: python3 -m unittest -q test_tree"), std::string::npos) << R.Stdout;
  EXPECT_NE(R.Stdout.find("CYC001 [confirmed]"), std::string::npos) << R.Stdout;
}

TEST(Verify, ObservationsOfEveryPythonProcessAreMerged) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  // The command builds 300 trees itself and starts a second Python that builds 300 more.
  Dir.write("both.py", "import subprocess, sys\nimport tree\ntree.build(300)\n"
                       "subprocess.run([sys.executable, 'tree.py'], check=True)\n");
  RunResult R = runMemlint({"verify", "tree.py", "--select", "CYC", "--format", "json", "--",
                            "python3", "both.py"},
                           Dir.path());
  llvm::json::Object Report = parseReport(R);
  EXPECT_EQ(Report.getInteger("python_processes").getValueOr(0), 2) << R.Stdout;
  const llvm::json::Object *F = findingWithCode(Report, "CYC001");
  EXPECT_EQ(verdictOf(F), "confirmed");
  EXPECT_EQ(runtimeNumber(F, "freed_by_gc"), 1800) << R.Stdout;
}

TEST(Verify, WithoutLineTracingInstancesStillCountButStatementsAreNotMeasured) {
  REQUIRE_PYTHON();
  TempDir Dir;
  Dir.write("tree.py", TreeProgram);
  Dir.write("bigsum.py", BigSumProgram);
  Dir.write("unused.py", UnusedProgram);
  RunResult R = runMemlint({"verify", "tree.py", "bigsum.py", "unused.py", "--select", "CYC,GEN",
                            "--no-line-tracing", "--format", "json", "--", "python3", "-c",
                            "import runpy\nfor m in ('tree', 'bigsum', 'unused'):\n"
                            "    runpy.run_module(m, run_name='__main__')\n"},
                           Dir.path());
  llvm::json::Object Report = parseReport(R);
  const llvm::json::Array *Findings = Report.getArray("findings");
  ASSERT_NE(Findings, nullptr) << R.Stdout;
  std::map<std::string, std::string> Verdicts;
  for (const llvm::json::Value &V : *Findings) {
    const llvm::json::Object *O = V.getAsObject();
    Verdicts[O->getString("path")->str() + " " + O->getString("code")->str()] = verdictOf(O);
  }
  EXPECT_EQ(Verdicts["tree.py CYC001"], "confirmed") << R.Stdout;
  EXPECT_EQ(Verdicts["bigsum.py GEN001"], "not-exercised") << R.Stdout;
  EXPECT_EQ(Verdicts["unused.py CYC001"], "not-exercised") << R.Stdout;
  EXPECT_NE(R.Stdout.find("not measured: line tracing was off (--no-line-tracing)"),
            std::string::npos)
      << R.Stdout;
}
