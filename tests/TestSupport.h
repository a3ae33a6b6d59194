//===- TestSupport.h - running the real memlint binary from tests ----------===//
#pragma once

#include <string>
#include <vector>

namespace memlint::test {

struct RunResult {
  int ExitCode = -1;
  std::string Stdout, Stderr;
};

/// Runs build/memlint with Args (no shell), optionally in WorkDir, with a 5-minute limit.
RunResult runMemlint(const std::vector<std::string> &Args, const std::string &WorkDir = "",
                     const std::string &Stdin = "");

/// A fresh temporary directory, removed when the object dies.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return Path; }
  std::string write(const std::string &Relative, const std::string &Contents) const;

private:
  std::string Path;
};

} // namespace memlint::test
