//===- Diagnostic.h - what a rule reports, as every output format sees it -===//
#pragma once

#include "frontend/Source.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace memlint {

enum class Severity : uint8_t { Error, Warning, Info };

llvm::StringRef severityName(Severity S); // "error" | "warning" | "info"

/// Safe fixes keep behaviour and are applied by `--fix`; unsafe ones may change it (laziness,
/// side effects) and are only shown.
enum class Applicability : uint8_t { Safe, Unsafe };

struct Edit {
  TextRange Range; // bytes to replace
  std::string Replacement;
  Position Start, End; // 1-based, filled from the range
};

struct Fix {
  std::string Title;
  Applicability Safety = Applicability::Unsafe;
  std::vector<Edit> Edits;
};

struct RelatedLocation {
  std::string Path;
  TextRange Range;
  Position Start, End;
  std::string Message;
};

struct Diagnostic {
  std::string Path;
  llvm::StringRef Code; // static storage (the rule's metadata)
  llvm::StringRef Name;
  std::string Message;
  Severity Level = Severity::Warning;
  TextRange Range;
  Position Start, End;
  std::vector<RelatedLocation> Related;
  std::optional<Fix> FixIt;
  /// Identifies the finding across line shifts (see Baseline.h); filled before output.
  std::string Fingerprint;
};

/// Total order used for output: path, position, code, message.
bool operator<(const Diagnostic &A, const Diagnostic &B);

} // namespace memlint
