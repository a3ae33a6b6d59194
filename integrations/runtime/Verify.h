//===- Verify.h - `memlint verify`: static findings checked at runtime ----===//
//
// `memlint verify` runs the user's own command with a small Python helper injected into every
// Python process it starts (memlint_verify_runtime.py, loaded through a generated
// sitecustomize.py on PYTHONPATH), then turns what the helper observed into a verdict per
// finding:
//
//   confirmed      the runtime shows the cost the finding describes (instances freed only by
//                  the cyclic collector, subscribers only the registry keeps, a list's bytes)
//   refuted        the code ran, and the cost did not show up (or stayed below --min-bytes)
//   not-exercised  the flagged code never ran, so the run says nothing about it
//   unsupported    a finding memlint has no runtime check for (file-level errors)
//
// The pieces: Runner.cpp starts and supervises the command (own session, timeout, output
// relay), Report.cpp decides verdicts and renders them, VerifyCommand.cpp is the CLI.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Diagnostic.h"
#include "rules/Registry.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace memlint::verify {

enum class Verdict : uint8_t { Confirmed, Refuted, NotExercised, Unsupported };

/// "confirmed", "refuted", "not-exercised", "unsupported".
llvm::StringRef verdictName(Verdict V);

struct VerifiedFinding {
  Diagnostic Diag;
  /// Only CYC, WRF, SLT, GEN and MEM findings are sent to the helper.
  bool Verifiable = false;
  Verdict Result = Verdict::NotExercised;
  std::vector<std::string> Evidence; // sentences, most important first
  /// The helper's raw facts for this finding, merged over every Python process.
  llvm::json::Object Runtime;
};

/// How the user's command ended, and what the helpers said about themselves.
struct CommandOutcome {
  std::vector<std::string> Argv;
  bool Started = false;
  std::string StartError; // why the command could not be started
  int ExitStatus = -1;    // as a shell reports it: 128 + N after signal N
  int TermSignal = 0;
  bool TimedOut = false;
  bool Interrupted = false; // memlint itself got SIGINT/SIGTERM/SIGHUP and passed it on
  double TimeoutSeconds = 0;
  double Seconds = 0;
  std::string StderrTail; // the last lines the command wrote to standard error
  unsigned PythonProcesses = 0; // processes whose helper wrote observations
  double HelperSeconds = 0;     // time spent inside the helpers' hooks, summed
  bool TracerReplaced = false;  // another sys.settrace user (coverage, a debugger) took over
  std::vector<std::string> HelperErrors;
};

/// Runs Argv (looked up on PATH) in a new session with Env as its whole environment. Its
/// standard output and standard error are relayed to `Relay` (the command's standard error is
/// also kept for StderrTail). After TimeoutSeconds (0: never) the process group gets SIGTERM,
/// and SIGKILL five seconds later; anything left in the group when the command exits is killed.
CommandOutcome runCommand(const std::vector<std::string> &Argv,
                          const std::vector<std::string> &Env, double TimeoutSeconds,
                          int RelayFd);

/// Decides the verdict and writes the evidence. `Observed` is false when no helper wrote
/// anything (the command never started Python, or it was killed before exiting).
void judge(VerifiedFinding &F, bool Observed, uint64_t MinBytes, const CommandOutcome &Run);

struct ReportOptions {
  uint64_t MinBytes = 0;
  bool Color = false;
};

void renderText(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                const CommandOutcome &Run, const ReportOptions &Options);
void renderJson(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                const CommandOutcome &Run, const ReportOptions &Options);
void renderSarif(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                 const CommandOutcome &Run, const ReportOptions &Options,
                 const RuleRegistry &Rules);

/// "1.5 MiB", "312 bytes".
std::string formatBytes(uint64_t Bytes);

} // namespace memlint::verify
