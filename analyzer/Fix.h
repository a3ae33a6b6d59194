//===- Fix.h - `check --fix`, `--diff` and `--add-noqa` ---------------------===//
//
// Rewriting a user's source is the one place memlint can do damage, so every step is guarded:
//  - fixes are applied per file as non-overlapping byte edits; a fix that overlaps one already
//    taken waits for the next pass, and passes repeat (re-checking the new texts each time,
//    project-wide rules included) until nothing more applies, so running `--fix` twice changes
//    nothing the second time;
//  - the result must pass the same parse the check does, or the file's fixes are refused and the
//    file is left as it was;
//  - files are replaced atomically (a temporary file in the same directory, fsync, rename) with
//    their permissions kept, and only if they still hold the bytes that were read;
//  - files without an applicable fix are never rewritten.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Driver.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace memlint {

class Baseline;

/// Which fixes are applied: safe ones (`--fix`), or unsafe ones too (`--unsafe-fixes`).
enum class FixSelection : uint8_t { SafeOnly, IncludeUnsafe };

/// How many check-and-apply passes a file gets before memlint stops looking for more fixes.
constexpr unsigned MaxFixPasses = 10;

/// True if Selection allows D's fix (and D has one with edits).
bool isApplicable(const Diagnostic &D, FixSelection Selection);

/// One pass of fixes over a text.
struct AppliedEdits {
  std::string Text;
  size_t FixesApplied = 0;  // diagnostics whose fix went in (an identical fix counts once more)
  size_t FixesDeferred = 0; // applicable, but overlapping a fix taken earlier in this pass
};

/// Applies the applicable fixes of Diags to Text (their edits are byte ranges into it) in the
/// order of their first edit. A fix goes in whole or not at all: one that overlaps an edit
/// already taken is deferred to the next pass.
AppliedEdits applyFixes(llvm::StringRef Text, llvm::ArrayRef<Diagnostic> Diags,
                        FixSelection Selection);

/// A file's text after `--fix`, computed in memory.
struct FixedSource {
  std::string Text;        // the fixed text; the input when nothing applied or fixes were refused
  size_t FixesApplied = 0; // over all passes
  std::string Refusal;     // non-empty: fixes would have broken the file; Text is the input
  FileResult Remaining;    // the check of Text
};

/// Checks Bytes (as a project of one file), applies fixes, re-checks, until no applicable fix is
/// left (at most MaxFixPasses passes). If a pass produces text that does not parse, every fix of
/// the file is refused. runFix does the same for all files at once.
FixedSource fixSource(const CheckContext &Ctx, llvm::StringRef DisplayPath,
                      const std::string &Bytes, FixSelection Selection);

/// A file's text after `--add-noqa`.
struct NoqaSource {
  std::string Text;
  size_t Added = 0;                 // codes added to a line's directive
  std::vector<std::string> Skipped; // "line N: why", for lines a comment cannot go on
};

/// Adds `# noqa: CODE` to the line each diagnostic starts on (merging with a `# noqa: ...`
/// already there). Lines that end inside a string or with a backslash continuation cannot take
/// a comment and are skipped. Bytes are the file's bytes; Diags come from checking them.
NoqaSource addNoqaDirectives(Parser &P, llvm::StringRef DisplayPath, const std::string &Bytes,
                             llvm::ArrayRef<Diagnostic> Diags);

/// A unified diff (3 lines of context, `---`/`+++` headers naming Path) from Old to New; empty
/// when they are equal.
std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Old, llvm::StringRef New);

/// Replaces the file at Path (symlinks are followed) with Contents: writes a temporary file in
/// the same directory, gives it the original's mode (and owner, where allowed), fsyncs it, and
/// renames it over the original - but only if the file still holds Expected, byte for byte.
llvm::Error replaceFileAtomically(llvm::StringRef Path, llvm::StringRef Expected,
                                  llvm::StringRef Contents);

enum class FixAction : uint8_t {
  Fix,     // `--fix`: rewrite files
  Diff,    // `--diff`: show what --fix would change
  AddNoqa, // `--add-noqa`: suppress every remaining finding in place
};

struct FixOptions {
  FixAction Action = FixAction::Fix;
  FixSelection Selection = FixSelection::SafeOnly;
  unsigned Threads = 0;
  /// `--add-noqa` leaves findings the baseline covers alone.
  const Baseline *Base = nullptr;
};

struct FixRunSummary {
  /// A plain check of the files after the run (with --diff, which writes nothing, only the
  /// count of unreadable files is filled in).
  CheckSummary Check;
  size_t Applied = 0;      // fixes applied (or that would be, for --diff), or noqa codes added
  size_t FilesChanged = 0; // files written (or that would be)
  std::vector<std::string> Diffs;    // --diff: one per changed file, in path order
  std::vector<std::string> Errors;   // refused files and failed writes, in path order
  std::vector<std::string> Warnings; // lines --add-noqa could not annotate
};

/// `memlint check` with --fix, --diff or --add-noqa: the rewriting, file by file in parallel,
/// then (except for --diff) a normal check of the result for the report.
FixRunSummary runFix(const CheckContext &Ctx, const Discovery &Files, const FixOptions &Options);

} // namespace memlint
