//===- Driver.h - files -> IR -> rules -> diagnostics ----------------------===//
#pragma once

#include "analyzer/Config.h"
#include "analyzer/Diagnostic.h"
#include "analyzer/Discover.h"
#include "analyzer/Summary.h"
#include "frontend/Parser.h"

#include <string>
#include <vector>

namespace memlint {

enum class FileStatus : uint8_t { Analyzed, SyntaxError, Unreadable };

struct FileResult {
  FileStatus Status = FileStatus::Analyzed;
  std::vector<Diagnostic> Diagnostics; // suppressions already applied
  /// What the project phase needs; present for analyzed files when a project rule is enabled.
  std::optional<ModuleSummary> Summary;
};

struct CheckSummary {
  std::vector<Diagnostic> Diagnostics; // sorted
  size_t FilesAnalyzed = 0;
  size_t FilesWithSyntaxErrors = 0;
  size_t FilesUnreadable = 0; // includes discovery problems (missing paths, unreadable dirs)
};

/// What a check needs besides the file: rules, config, selection.
struct CheckContext {
  const RuleRegistry &Rules;
  const Config &Cfg;
  const RuleSelection &Selection;
  std::vector<const Rule *> ModuleRules;  // enabled, checked per file
  std::vector<const Rule *> ProjectRules; // enabled, checked over all summaries

  CheckContext(const RuleRegistry &Rules, const Config &Cfg, const RuleSelection &Selection)
      : Rules(Rules), Cfg(Cfg), Selection(Selection) {
    for (const Rule *R : Selection.enabledRules(Rules))
      (R->info().ProjectWide ? ProjectRules : ModuleRules).push_back(R);
  }
};

/// Checks one file's text (already read). `P` is the calling thread's parser.
FileResult checkSource(const CheckContext &Ctx, Parser &P, llvm::StringRef DisplayPath,
                       std::string Bytes);

/// Reads and checks one file from disk.
FileResult checkFile(const CheckContext &Ctx, Parser &P, llvm::StringRef Path);

/// Reads a file's bytes into Bytes, or returns the E902 result saying why it cannot be read
/// (missing, a FIFO or device, too large).
std::optional<FileResult> readSourceFile(llvm::StringRef Path, std::string &Bytes);

/// The project phase: index, reference graph and project rules over the summaries of every
/// analyzed module (in any order; results are sorted). Honours noqa and per-file ignores.
std::vector<Diagnostic> checkProject(const CheckContext &Ctx, llvm::ArrayRef<ModuleSummary> Modules);

class ResultCache;

/// Checks every discovered file on `Threads` threads (0 = all cores); output is deterministic.
/// With a cache, unchanged files are not re-analyzed and an unchanged set of summaries is not
/// re-linked; fresh results are added to the cache (the caller saves it).
CheckSummary runCheck(const CheckContext &Ctx, const Discovery &Files, unsigned Threads,
                      ResultCache *Cache = nullptr);

/// How paths are shown: `./a/b.py` -> `a/b.py`.
std::string displayPath(llvm::StringRef Path);

} // namespace memlint
