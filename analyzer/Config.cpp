#include "analyzer/Config.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <sstream>
#include <toml++/toml.h>

namespace memlint {

bool selectorMatches(llvm::StringRef Selector, llvm::StringRef Code) {
  return Selector == "ALL" || Code.startswith(Selector);
}

llvm::Error validateSelector(llvm::StringRef Selector, const RuleRegistry &Rules) {
  if (Selector == "ALL")
    return llvm::Error::success();
  for (const RuleInfo *Info : Rules.allInfos())
    if (selectorMatches(Selector, Info->Code))
      return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unknown rule selector `%s` (run `memlint rules` for the list)",
                                 Selector.str().c_str());
}

RuleSelection::RuleSelection(const RuleRegistry &Rules, llvm::ArrayRef<std::string> Select,
                             llvm::ArrayRef<std::string> ExtendSelect,
                             llvm::ArrayRef<std::string> Ignore) {
  auto Specificity = [](llvm::StringRef Selector) {
    return Selector == "ALL" ? 0 : static_cast<int>(Selector.size());
  };
  auto BestMatch = [&](llvm::ArrayRef<std::string> Selectors, llvm::StringRef Code) {
    int Best = -1;
    for (const std::string &S : Selectors)
      if (selectorMatches(S, Code))
        Best = std::max(Best, Specificity(S));
    return Best;
  };
  for (const auto &R : Rules.rules()) {
    llvm::StringRef Code = R->code();
    int Selected = Select.empty() ? (R->info().EnabledByDefault ? 0 : -1) : BestMatch(Select, Code);
    Selected = std::max(Selected, BestMatch(ExtendSelect, Code));
    // The more specific selector wins; on a tie, ignore wins.
    if (Selected >= 0 && Selected > BestMatch(Ignore, Code))
      EnabledCodes.push_back(Code.str());
  }
  llvm::sort(EnabledCodes);
  EnabledCodes.erase(std::unique(EnabledCodes.begin(), EnabledCodes.end()), EnabledCodes.end());
}

bool RuleSelection::enabled(llvm::StringRef Code) const {
  return std::binary_search(EnabledCodes.begin(), EnabledCodes.end(), Code.str());
}

std::vector<const Rule *> RuleSelection::enabledRules(const RuleRegistry &Rules) const {
  std::vector<const Rule *> Out;
  for (const auto &R : Rules.rules())
    if (enabled(R->code()))
      Out.push_back(R.get());
  return Out;
}

namespace {

/// Suffix pairs (pattern length, path length) already known not to match.
using GlobFailures = llvm::DenseSet<std::pair<size_t, size_t>>;

bool globMatchUncached(llvm::StringRef P, llvm::StringRef S, GlobFailures &Failed);

// Every call works on a suffix of the pattern and a suffix of the path, so their lengths name
// the subproblem. Remembering the ones that failed bounds the work by |P|·|S|² instead of the
// exponential backtracking a pattern like `*a*a*a*a*a*b` (from a hostile pyproject.toml) costs.
bool globMatch(llvm::StringRef P, llvm::StringRef S, GlobFailures &Failed) {
  std::pair<size_t, size_t> Key(P.size(), S.size());
  if (Failed.contains(Key))
    return false;
  if (globMatchUncached(P, S, Failed))
    return true;
  Failed.insert(Key);
  return false;
}

bool globMatchUncached(llvm::StringRef P, llvm::StringRef S, GlobFailures &Failed) {
  // Iterative matcher with backtracking for `*` (one component) and `**` (any depth).
  while (!P.empty()) {
    if (P.startswith("**")) {
      llvm::StringRef Rest = P.drop_front(2);
      if (Rest.startswith("/"))
        Rest = Rest.drop_front();
      for (size_t I = 0; I <= S.size(); ++I)
        if ((I == 0 || S[I - 1] == '/') && globMatch(Rest, S.drop_front(I), Failed))
          return true;
      return Rest.empty();
    }
    char C = P.front();
    if (C == '*') {
      llvm::StringRef Rest = P.drop_front();
      for (size_t I = 0; I <= S.size(); ++I) {
        if (globMatch(Rest, S.drop_front(I), Failed))
          return true;
        if (I < S.size() && S[I] == '/')
          break;
      }
      return false;
    }
    if (S.empty())
      return false;
    if (C == '?') {
      if (S.front() == '/')
        return false;
    } else if (C == '[') {
      size_t Close = P.find(']', 1);
      if (Close == llvm::StringRef::npos)
        return false;
      llvm::StringRef Set = P.slice(1, Close);
      bool Negate = Set.startswith("!");
      if (Negate)
        Set = Set.drop_front();
      bool In = false;
      for (size_t I = 0; I < Set.size(); ++I) {
        if (I + 2 < Set.size() && Set[I + 1] == '-') {
          In |= S.front() >= Set[I] && S.front() <= Set[I + 2];
          I += 2;
        } else {
          In |= S.front() == Set[I];
        }
      }
      if (In == Negate)
        return false;
      P = P.drop_front(Close);
    } else if (C != S.front()) {
      return false;
    }
    P = P.drop_front();
    S = S.drop_front();
  }
  return S.empty();
}

bool globMatch(llvm::StringRef P, llvm::StringRef S) {
  GlobFailures Failed;
  return globMatch(P, S, Failed);
}

} // namespace

bool pathMatches(llvm::StringRef Pattern, llvm::StringRef RelativePath) {
  Pattern.consume_front("./");
  RelativePath.consume_front("./");
  llvm::StringRef TrimmedPattern = Pattern.rtrim('/');
  if (!TrimmedPattern.contains('/')) {
    // `build`, `*.pyi`, `test_*.py`: any component, or any trailing sub-path of components.
    llvm::StringRef Rest = RelativePath;
    while (true) {
      llvm::StringRef Component = Rest.take_until([](char C) { return C == '/'; });
      if (globMatch(TrimmedPattern, Component))
        return true;
      size_t Slash = Rest.find('/');
      if (Slash == llvm::StringRef::npos)
        return false;
      Rest = Rest.drop_front(Slash + 1);
    }
  }
  if (globMatch(TrimmedPattern, RelativePath))
    return true;
  // A directory pattern excludes everything below it.
  for (size_t I = 0; I < RelativePath.size(); ++I)
    if (RelativePath[I] == '/' && globMatch(TrimmedPattern, RelativePath.take_front(I)))
      return true;
  return false;
}

namespace {

std::string absolutePath(llvm::StringRef P) {
  llvm::SmallString<256> Abs(P);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

} // namespace

std::string relativeToConfig(llvm::StringRef P, const Config &Cfg) {
  std::string Abs = absolutePath(P);
  std::string Base = absolutePath(Cfg.Directory.empty() ? "." : Cfg.Directory);
  if (llvm::StringRef(Abs).startswith(Base + "/"))
    return Abs.substr(Base.size() + 1);
  return Abs;
}

bool ignoredByPerFileIgnores(const Config &Cfg, llvm::StringRef Path, llvm::StringRef Code) {
  if (Cfg.PerFileIgnores.empty())
    return false;
  std::string Rel = relativeToConfig(Path, Cfg);
  for (const PerFileIgnore &P : Cfg.PerFileIgnores)
    if (pathMatches(P.Pattern, Rel))
      for (const std::string &Selector : P.Codes)
        if (selectorMatches(Selector, Code))
          return true;
  return false;
}

std::optional<std::string> findConfig(llvm::StringRef Dir) {
  llvm::SmallString<256> Cur;
  if (llvm::sys::fs::real_path(Dir, Cur))
    Cur = Dir;
  while (!Cur.empty()) {
    llvm::SmallString<256> Candidate(Cur);
    llvm::sys::path::append(Candidate, "pyproject.toml");
    if (llvm::sys::fs::is_regular_file(Candidate)) {
      auto Buffer = llvm::MemoryBuffer::getFile(Candidate);
      // Only a pyproject.toml that configures memlint counts, as with ruff.
      if (Buffer && (*Buffer)->getBuffer().contains("[tool.memlint"))
        return Candidate.str().str();
    }
    llvm::StringRef Parent = llvm::sys::path::parent_path(Cur);
    if (Parent == Cur || Parent.empty())
      break;
    Cur = Parent;
  }
  return std::nullopt;
}

namespace {

llvm::Error configError(llvm::StringRef File, const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", File.str().c_str(),
                                 Message.str().c_str());
}

llvm::Error readStringList(llvm::StringRef File, llvm::StringRef Key, const toml::node &Node,
                           std::vector<std::string> &Out) {
  const toml::array *Array = Node.as_array();
  if (!Array)
    return configError(File, "[tool.memlint] `" + Key + "` must be an array of strings");
  for (const toml::node &Item : *Array) {
    auto Value = Item.value<std::string>();
    if (!Value)
      return configError(File, "[tool.memlint] `" + Key + "` must be an array of strings");
    Out.push_back(*Value);
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Config> loadConfig(llvm::StringRef Path, const RuleRegistry &Rules) {
  Config C;
  C.File = Path.str();
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  C.Directory = Dir.empty() ? "." : Dir.str().str();

  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return configError(Path, "cannot read: " + Buffer.getError().message());
  toml::table Root;
  try {
    Root = toml::parse((*Buffer)->getBuffer().str(), Path.str());
  } catch (const toml::parse_error &E) {
    std::ostringstream Where;
    Where << "line " << E.source().begin.line << ", column " << E.source().begin.column;
    return configError(Path, "invalid TOML at " + Where.str() + ": " + std::string(E.description()));
  }
  const toml::node *Tool = Root.get("tool");
  const toml::table *Section = nullptr;
  if (Tool && Tool->is_table())
    if (const toml::node *Mem = Tool->as_table()->get("memlint"))
      Section = Mem->as_table();
  if (!Section)
    return C; // no [tool.memlint]: defaults

  static constexpr llvm::StringLiteral Known[] = {"select", "extend-select", "ignore", "exclude",
                                                  "extend-exclude", "per-file-ignores"};
  for (const auto &[Key, Node] : *Section) {
    llvm::StringRef K(Key.str());
    if (!llvm::is_contained(Known, K))
      return configError(Path, "unknown key `" + K +
                                   "` in [tool.memlint] (known keys: select, extend-select, "
                                   "ignore, exclude, extend-exclude, per-file-ignores)");
    if (K == "per-file-ignores") {
      const toml::table *Table = Node.as_table();
      if (!Table)
        return configError(Path, "[tool.memlint] `per-file-ignores` must be a table of "
                                 "\"glob\" = [\"CODE\", ...]");
      for (const auto &[Pattern, Codes] : *Table) {
        PerFileIgnore P;
        P.Pattern = std::string(Pattern.str());
        if (llvm::Error E = readStringList(Path, "per-file-ignores." + P.Pattern, Codes, P.Codes))
          return E;
        C.PerFileIgnores.push_back(std::move(P));
      }
      continue;
    }
    std::vector<std::string> *Target = K == "select"           ? &C.Select
                                       : K == "extend-select"  ? &C.ExtendSelect
                                       : K == "ignore"         ? &C.Ignore
                                       : K == "exclude"        ? &C.Exclude
                                                               : &C.ExtendExclude;
    if (llvm::Error E = readStringList(Path, K, Node, *Target))
      return E;
  }
  auto CheckCodes = [&](llvm::ArrayRef<std::string> Codes, llvm::StringRef Key) -> llvm::Error {
    for (const std::string &Code : Codes)
      if (llvm::Error E = validateSelector(Code, Rules))
        return configError(Path, "[tool.memlint] `" + Key + "`: " + llvm::toString(std::move(E)));
    return llvm::Error::success();
  };
  if (llvm::Error E = CheckCodes(C.Select, "select"))
    return E;
  if (llvm::Error E = CheckCodes(C.ExtendSelect, "extend-select"))
    return E;
  if (llvm::Error E = CheckCodes(C.Ignore, "ignore"))
    return E;
  for (const PerFileIgnore &P : C.PerFileIgnores)
    if (llvm::Error E = CheckCodes(P.Codes, "per-file-ignores"))
      return E;
  return C;
}

} // namespace memlint
