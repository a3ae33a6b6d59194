//===- Driver.h - files -> IR -> rules -> diagnostics ----------------------===//
#pragma once

#include "analyzer/Config.h"
#include "analyzer/Diagnostic.h"
#include "analyzer/Discover.h"
#include "frontend/Parser.h"

#include <string>
#include <vector>

namespace memlint {

enum class FileStatus : uint8_t { Analyzed, SyntaxError, Unreadable };

struct FileResult {
  FileStatus Status = FileStatus::Analyzed;
  std::vector<Diagnostic> Diagnostics; // suppressions already applied
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
  std::vector<const Rule *> Enabled;

  CheckContext(const RuleRegistry &Rules, const Config &Cfg, const RuleSelection &Selection)
      : Rules(Rules), Cfg(Cfg), Selection(Selection), Enabled(Selection.enabledRules(Rules)) {}
};

/// Checks one file's text (already read). `P` is the calling thread's parser.
FileResult checkSource(const CheckContext &Ctx, Parser &P, llvm::StringRef DisplayPath,
                       std::string Bytes);

/// Reads and checks one file from disk.
FileResult checkFile(const CheckContext &Ctx, Parser &P, llvm::StringRef Path);

/// Checks every discovered file on `Threads` threads (0 = all cores); output is deterministic.
CheckSummary runCheck(const CheckContext &Ctx, const Discovery &Files, unsigned Threads);

/// How paths are shown: `./a/b.py` -> `a/b.py`.
std::string displayPath(llvm::StringRef Path);

} // namespace memlint
