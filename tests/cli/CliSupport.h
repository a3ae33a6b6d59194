//===- CliSupport.h - shared helpers for the command-line tests ------------===//
//
// The CLI tests run the real binary in a fresh temporary directory, so paths in the output are
// short and relative. Python snippets below were checked with CPython 3.11; the comment on each
// says where its finding is.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "TestSupport.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <optional>
#include <string>
#include <vector>

namespace memlint::test {

// GEN001 at 1:9 (the `[`), ending at 1:31; the fix is safe (no calls in the comprehension
// besides `range`, which is the iterable, not the element).
inline const std::string Gen001Line = "x = sum([i for i in range(10)])\n";
// GEN002 at 1:10.
inline const std::string Gen002Loop = "for y in [i for i in range(3)]:\n    pass\n";
// No finding from any rule.
inline const std::string CleanCode = "y = 1\n";

/// One file that triggers every GEN rule once: GEN001 2:17, GEN002 3:14, GEN003 6:21,
/// GEN004 8:12 (with a related note at 9:14).
inline const std::string AllGenRules = "def f(path, items):\n"
                                       "    total = sum([i for i in items])\n"
                                       "    for x in [i for i in items]:\n"
                                       "        print(x)\n"
                                       "    with open(path) as fh:\n"
                                       "        for line in fh.readlines():\n"
                                       "            print(line)\n"
                                       "    kept = [i for i in items if i]\n"
                                       "    for k in kept:\n"
                                       "        print(k)\n"
                                       "    return total\n";

struct Finding {
  std::string Path;
  int64_t Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
  std::string Code, Message;
};

/// Parses `--format json` output; records a test failure (and returns nothing) when it is not a
/// JSON array of finding objects.
inline std::optional<std::vector<Finding>> parseFindings(const std::string &Json) {
  auto Parsed = llvm::json::parse(Json);
  if (!Parsed) {
    ADD_FAILURE() << "invalid JSON: " << llvm::toString(Parsed.takeError()) << "\n" << Json;
    return std::nullopt;
  }
  const llvm::json::Array *Array = Parsed->getAsArray();
  if (!Array) {
    ADD_FAILURE() << "JSON output is not an array:\n" << Json;
    return std::nullopt;
  }
  std::vector<Finding> Out;
  for (const llvm::json::Value &V : *Array) {
    const llvm::json::Object *O = V.getAsObject();
    if (!O) {
      ADD_FAILURE() << "JSON array element is not an object";
      return std::nullopt;
    }
    Finding F;
    F.Path = O->getString("path").getValueOr("").str();
    F.Line = O->getInteger("line").getValueOr(0);
    F.Column = O->getInteger("column").getValueOr(0);
    F.EndLine = O->getInteger("end_line").getValueOr(0);
    F.EndColumn = O->getInteger("end_column").getValueOr(0);
    F.Code = O->getString("code").getValueOr("").str();
    F.Message = O->getString("message").getValueOr("").str();
    Out.push_back(std::move(F));
  }
  return Out;
}

/// "path:line:col CODE" for each finding, for compact whole-run comparisons.
inline std::vector<std::string> summarize(const std::vector<Finding> &Findings) {
  std::vector<std::string> Out;
  for (const Finding &F : Findings)
    Out.push_back(F.Path + ":" + std::to_string(F.Line) + ":" + std::to_string(F.Column) + " " +
                  F.Code);
  return Out;
}

inline std::vector<std::string> splitLines(const std::string &Text) {
  std::vector<std::string> Out;
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  llvm::StringRef(Text).split(Parts, '\n', -1, /*KeepEmpty=*/true);
  for (llvm::StringRef P : Parts)
    Out.push_back(P.str());
  if (!Out.empty() && Out.back().empty())
    Out.pop_back();
  return Out;
}

inline bool startsWith(const std::string &S, const std::string &Prefix) {
  return llvm::StringRef(S).startswith(Prefix);
}

inline bool contains(const std::string &S, const std::string &Part) {
  return S.find(Part) != std::string::npos;
}

/// Runs `memlint check ARGS --format json` in Dir and returns the findings; exit status in
/// ExitCode.
inline std::vector<Finding> checkJson(const std::string &Dir, std::vector<std::string> Args,
                                      int &ExitCode, std::string *Stderr = nullptr) {
  Args.insert(Args.begin(), "check");
  Args.push_back("--format");
  Args.push_back("json");
  RunResult R = runMemlint(Args, Dir);
  ExitCode = R.ExitCode;
  if (Stderr)
    *Stderr = R.Stderr;
  auto F = parseFindings(R.Stdout);
  return F ? *F : std::vector<Finding>{};
}

/// CPU time (user + system) used by the child processes (memlint runs) since construction, for
/// the "completes quickly" checks: unlike wall-clock time it does not grow when the machine is
/// busy running other tests in parallel. A hang shows up as the 5-minute limit of runMemlint.
class Stopwatch {
public:
  Stopwatch() : Start(childCpuSeconds()) {}
  double seconds() const { return childCpuSeconds() - Start; }

private:
  static double childCpuSeconds() {
    rusage Usage{};
    getrusage(RUSAGE_CHILDREN, &Usage);
    auto Seconds = [](const timeval &T) { return static_cast<double>(T.tv_sec) + T.tv_usec / 1e6; };
    return Seconds(Usage.ru_utime) + Seconds(Usage.ru_stime);
  }
  double Start;
};

} // namespace memlint::test
