//===- Config.h - [tool.memlint] in pyproject.toml, and rule selection -----===//
#pragma once

#include "rules/Registry.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace memlint {

struct PerFileIgnore {
  std::string Pattern; // glob, relative to the config file's directory
  std::vector<std::string> Codes;
};

struct Config {
  std::string File;      // the pyproject.toml it came from; empty for defaults
  std::string Directory; // patterns are relative to this
  std::vector<std::string> Select, Ignore, ExtendSelect;
  std::vector<std::string> Exclude, ExtendExclude;
  std::vector<PerFileIgnore> PerFileIgnores;
};

/// Reads `[tool.memlint]` from a pyproject.toml. Unknown keys, wrong types and unknown rule
/// codes are errors that name the file, the key and what is accepted.
llvm::Expected<Config> loadConfig(llvm::StringRef PyprojectPath, const RuleRegistry &Rules);

/// The nearest pyproject.toml with a [tool.memlint] table, from Dir upwards.
std::optional<std::string> findConfig(llvm::StringRef Dir);

/// A selector is `ALL`, a family (`GEN`), a code prefix (`GEN00`) or a full code. Returns an
/// error naming the selector when it matches no rule.
llvm::Error validateSelector(llvm::StringRef Selector, const RuleRegistry &Rules);

/// Which rules run: the selectors from config and the command line, resolved like ruff:
/// `select` replaces the default set, `extend-select` adds to it, `ignore` removes; the most
/// specific selector wins when both match.
class RuleSelection {
public:
  RuleSelection() = default;
  RuleSelection(const RuleRegistry &Rules, llvm::ArrayRef<std::string> Select,
                llvm::ArrayRef<std::string> ExtendSelect, llvm::ArrayRef<std::string> Ignore);

  bool enabled(llvm::StringRef Code) const;
  std::vector<const Rule *> enabledRules(const RuleRegistry &Rules) const;

private:
  std::vector<std::string> EnabledCodes; // sorted
};

/// True if Selector (ALL, family, prefix or code) covers Code.
bool selectorMatches(llvm::StringRef Selector, llvm::StringRef Code);

/// Path relative to the config directory (or absolute when outside it), for matching globs.
std::string relativeToConfig(llvm::StringRef Path, const Config &Cfg);

/// `per-file-ignores` covers Code for the file at Path.
bool ignoredByPerFileIgnores(const Config &Cfg, llvm::StringRef Path, llvm::StringRef Code);

/// Glob match used for exclude and per-file-ignores: `*` and `?` stay within a path
/// component, `**` spans components; a pattern without `/` matches any path component.
bool pathMatches(llvm::StringRef Pattern, llvm::StringRef RelativePath);

} // namespace memlint
