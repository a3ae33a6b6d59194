//===- Subprocess.h - child processes for integration tests ----------------===//
//
// runMemlint (TestSupport.h) covers one-shot runs of the memlint binary. Integration tests also
// talk to long-running processes (the language server over pipes) and run other programs (git,
// pre-commit, nvim) in a controlled environment; these helpers do both without a shell.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "TestSupport.h"

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace memlint::test {

/// NAME=VALUE settings that replace or extend the test's own environment.
using Environment = std::vector<std::string>;

/// A child with pipes to its standard input and output. Standard error is inherited, so what
/// the child logs shows up in the test's output.
class ChildProcess {
public:
  ChildProcess(const std::vector<std::string> &Argv, const Environment &Env = {},
               const std::string &WorkDir = "");
  ~ChildProcess(); // kills the child if it is still running
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  /// Writes all of Bytes to the child's input; false if the child closed it.
  bool write(const std::string &Bytes);
  void closeInput();

  enum class ReadStatus { Data, Timeout, EndOfOutput };
  /// Appends whatever output arrives within Timeout (at least one byte on Data).
  ReadStatus read(std::string &Out, std::chrono::milliseconds Timeout);

  /// Waits for the child to exit; returns its exit status, or -1 if it was still running after
  /// Timeout (it is then killed).
  int wait(std::chrono::milliseconds Timeout);

private:
  pid_t Pid = -1;
  int InFd = -1, OutFd = -1;
  int ExitStatus = -1;
};

/// Runs a program to completion and captures both outputs; killed after TimeoutSeconds.
RunResult runProgram(const std::vector<std::string> &Argv, const Environment &Env = {},
                     const std::string &WorkDir = "", int TimeoutSeconds = 120);

/// The full path of an executable found on PATH, or empty.
std::string findExecutable(const std::string &Name);

} // namespace memlint::test
