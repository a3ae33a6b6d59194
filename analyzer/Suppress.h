//===- Suppress.h - `# noqa` comments -------------------------------------===//
#pragma once

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace memlint {

/// What a `# noqa` comment on a line suppresses.
struct NoqaDirective {
  bool All = false;                            // bare `# noqa`
  llvm::SmallVector<llvm::StringRef, 2> Codes; // `# noqa: GEN001, GEN002`
  bool covers(llvm::StringRef Code) const;
};

/// Parses a `# noqa` directive in a physical line (flake8 and ruff syntax, case-insensitive).
std::optional<NoqaDirective> parseNoqa(llvm::StringRef Line);

/// `# memlint: noqa` on a line of its own exempts the whole file.
bool hasFileExemption(llvm::StringRef Text);

} // namespace memlint
