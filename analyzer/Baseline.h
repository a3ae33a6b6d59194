//===- Baseline.h - `check --baseline`: report only new findings -----------===//
//
// A baseline is the JSON report of an earlier run (`memlint check --format json --output-file
// FILE`). A finding is "in the baseline" when the baseline has an entry with the same path
// (compared after making both absolute against the current directory and removing `.`/`..`),
// the same code, and the same fingerprint. The fingerprint is computed from
//  - the rule code,
//  - the message with every run of digits replaced by `0` (messages may cite line numbers),
//  - the text of the line the finding starts on, with all whitespace removed,
// so it survives lines being added or removed elsewhere in the file and re-indentation, and
// changes when the flagged line itself changes. Each baseline entry absorbs one finding: two
// identical findings in a file with one baselined entry leave one reported.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Diagnostic.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace memlint {

/// 16 hex digits identifying a finding independently of its line number (see above).
std::string findingFingerprint(llvm::StringRef Code, llvm::StringRef Message,
                               llvm::StringRef LineText);

/// Fills Diagnostic::Fingerprint for every diagnostic that has none, reading each file with
/// findings once (a file that cannot be read contributes an empty line text).
void assignFingerprints(std::vector<Diagnostic> &Diags);

class Baseline {
public:
  /// Reads a JSON report. Errors name the file and what is wrong with it.
  static llvm::Expected<Baseline> load(llvm::StringRef File);

  size_t size() const { return Entries; }

  /// Removes the findings the baseline covers (Diags need fingerprints); returns how many.
  /// I/O errors (E902) are never removed: they describe this run, not the code.
  size_t filter(std::vector<Diagnostic> &Diags) const;

private:
  size_t Entries = 0;
  std::map<std::string, size_t> Counts; // path, code, fingerprint -> how many
  /// Entries without a fingerprint (hand-written or older files): path, code, line, column
  /// and message must all match.
  std::map<std::string, size_t> ExactCounts;
};

} // namespace memlint
