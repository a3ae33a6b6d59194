//===- FuzzSupport.h - what every fuzz target shares -----------------------===//
//
// The targets call the same entry points as the CLI and the language server, with every rule
// selected, and run each input on a thread with the stack the CLI's workers get (runCheck in
// analyzer/Driver.cpp): libFuzzer calls targets on the main thread, whose stack is smaller, and a
// stack overflow found only there would not be a bug of the product.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Config.h"
#include "analyzer/Driver.h"
#include "rules/Registry.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace memlint::fuzz {

/// The stack of a `memlint check` worker thread.
constexpr unsigned WorkerStackBytes = 32u << 20;

/// Runs Fn on a fresh thread with a worker's stack and waits for it.
template <typename Fn> void onWorkerStack(Fn &&F) {
  llvm::thread T(llvm::Optional<unsigned>(WorkerStackBytes), std::forward<Fn>(F));
  T.join();
}

/// A check with every rule (module and project-wide) enabled, as `--select ALL` gives.
inline const CheckContext &allRulesContext() {
  static const Config Defaults;
  static const RuleSelection All(RuleRegistry::builtin(), {"ALL"}, {}, {});
  static const CheckContext Ctx(RuleRegistry::builtin(), Defaults, All);
  return Ctx;
}

/// An invariant of the product does not hold: report it and abort, so that libFuzzer (or the
/// replay test) records the input as a crash.
[[noreturn]] inline void fail(llvm::StringRef What, llvm::StringRef Detail = {}) {
  llvm::errs() << "memlint fuzz invariant violated: " << What << "\n";
  if (!Detail.empty())
    llvm::errs() << "---\n" << Detail << "\n---\n";
  llvm::errs().flush();
  std::abort();
}

/// A new directory `<temp>/<Prefix>-XXXXXX`, removed with its contents when the process exits
/// normally. Targets keep theirs in a function-local static: one per process.
inline std::string makeScratchDirectory(llvm::StringRef Prefix) {
  static std::vector<std::string> Created;
  llvm::SmallString<128> Model;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Model);
  llvm::sys::path::append(Model, Prefix + "-%%%%%%");
  llvm::SmallString<128> Unique;
  if (llvm::sys::fs::createUniqueDirectory(Model, Unique))
    fail("cannot create a scratch directory", Model);
  if (Created.empty())
    std::atexit([] {
      for (const std::string &Dir : Created)
        llvm::sys::fs::remove_directories(Dir);
    });
  Created.push_back(Unique.str().str());
  return Created.back();
}

/// Range and position sanity of what a check reports about a text of TextSize bytes.
inline void checkDiagnostics(llvm::ArrayRef<Diagnostic> Diags, size_t TextSize) {
  for (const Diagnostic &D : Diags) {
    if (D.Code.empty() || D.Message.empty())
      fail("a diagnostic without a code or message", D.Message);
    if (D.Range.Begin > D.Range.End || D.Range.End > TextSize)
      fail("a diagnostic range outside the text", D.Message);
    if (D.FixIt)
      for (const Edit &E : D.FixIt->Edits)
        if (E.Range.Begin > E.Range.End || E.Range.End > TextSize)
          fail("a fix edit outside the text", D.Message);
  }
}

} // namespace memlint::fuzz
