//===- Registry.h - every rule memlint knows, by code ----------------------===//
#pragma once

#include "rules/Rule.h"

#include "llvm/ADT/ArrayRef.h"

#include <memory>
#include <vector>

namespace memlint {

/// Findings about the file itself rather than its code. They are always reported: a file that
/// cannot be read or parsed is never silently skipped.
extern const RuleInfo IoErrorInfo;         // E902
extern const RuleInfo SyntaxErrorInfo;     // E999

class RuleRegistry {
public:
  /// All built-in rules, registered family by family (see registerGenRules and friends).
  static const RuleRegistry &builtin();

  void add(std::unique_ptr<Rule> R) { Rules.push_back(std::move(R)); }
  llvm::ArrayRef<std::unique_ptr<Rule>> rules() const { return Rules; }
  const Rule *find(llvm::StringRef Code) const;
  /// Metadata for a rule code or a file-level error code (E902, E999).
  const RuleInfo *findInfo(llvm::StringRef Code) const;
  /// Every code: rules first, then the file-level errors; sorted by code.
  std::vector<const RuleInfo *> allInfos() const;

private:
  std::vector<std::unique_ptr<Rule>> Rules;
};

// One registration function per family, like clang-tidy modules.
void registerGenRules(RuleRegistry &Registry);
void registerCycRules(RuleRegistry &Registry);
void registerWrfRules(RuleRegistry &Registry);
void registerSltRules(RuleRegistry &Registry);
void registerMemRules(RuleRegistry &Registry);

} // namespace memlint
