#include "analyzer/Discover.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace memlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

constexpr llvm::StringLiteral DefaultExcludedDirs[] = {
    ".bzr",         ".direnv",  ".eggs",       ".git",      ".git-rewrite", ".hg",
    ".mypy_cache",  ".nox",     ".pants.d",    ".pytype",   ".ruff_cache",  ".svn",
    ".tox",         ".venv",    "__pypackages__", "__pycache__", "_build",  "buck-out",
    "dist",         "node_modules", "site-packages", ".memlint_cache",
};

bool isPythonFile(llvm::StringRef Name) { return Name.endswith(".py") || Name.endswith(".pyi"); }

std::string absolute(llvm::StringRef P) {
  llvm::SmallString<256> Abs(P);
  fs::make_absolute(Abs);
  path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

class Walker {
public:
  Walker(const Config &Cfg, Discovery &Out) : Cfg(Cfg), Out(Out) {}

  bool excluded(llvm::StringRef P) const {
    std::string Rel = relativeToConfig(P, Cfg);
    for (const std::string &Pattern : Cfg.Exclude)
      if (pathMatches(Pattern, Rel))
        return true;
    for (const std::string &Pattern : Cfg.ExtendExclude)
      if (pathMatches(Pattern, Rel))
        return true;
    return false;
  }

  void walkDirectory(llvm::StringRef Dir, unsigned Depth) {
    if (Depth > 256) {
      Out.Problems.push_back({Dir.str(), "directory tree deeper than 256 levels; not descended"});
      return;
    }
    std::error_code EC;
    std::vector<std::pair<std::string, fs::file_type>> Entries;
    for (fs::directory_iterator It(Dir, EC, /*follow_symlinks=*/false), End; It != End && !EC;
         It.increment(EC))
      Entries.push_back({It->path(), It->type()});
    if (EC) {
      Out.Problems.push_back({Dir.str(), "cannot read directory: " + EC.message()});
      return;
    }
    llvm::sort(Entries);
    for (auto &[Entry, Type] : Entries) {
      llvm::StringRef Name = path::filename(Entry);
      if (Type == fs::file_type::directory_file) {
        if (llvm::is_contained(DefaultExcludedDirs, Name) || excluded(Entry))
          continue;
        llvm::SmallString<256> Venv(Entry);
        path::append(Venv, "pyvenv.cfg");
        if (fs::exists(Venv))
          continue;
        walkDirectory(Entry, Depth + 1);
      } else if (isPythonFile(Name) && !excluded(Entry)) {
        if (Type == fs::file_type::symlink_file) {
          // A link to a file is checked; a link to a directory or a dangling link is not.
          fs::file_status Status;
          if (fs::status(Entry, Status) || Status.type() != fs::file_type::regular_file)
            continue;
        }
        Out.Files.push_back({Entry});
      }
    }
  }

private:
  const Config &Cfg;
  Discovery &Out;
};

} // namespace


Discovery discoverFiles(llvm::ArrayRef<std::string> Paths, const Config &Cfg, bool ForceExclude) {
  Discovery Out;
  Walker W(Cfg, Out);
  for (const std::string &Arg : Paths) {
    fs::file_status Status;
    if (std::error_code EC = fs::status(Arg, Status)) {
      Out.Problems.push_back({Arg, EC == std::errc::no_such_file_or_directory
                                       ? "no such file or directory"
                                       : "cannot access: " + EC.message()});
      continue;
    }
    if (Status.type() == fs::file_type::directory_file) {
      llvm::StringRef Dir = Arg;
      if (Dir.size() > 1)
        Dir = Dir.rtrim('/');
      W.walkDirectory(Dir, 0);
    } else if (ForceExclude && W.excluded(Arg)) {
      continue;
    } else {
      Out.Files.push_back({Arg}); // named explicitly: checked whatever its extension
    }
  }
  llvm::sort(Out.Files, [](const DiscoveredFile &A, const DiscoveredFile &B) { return A.Path < B.Path; });
  // One file reached under several spellings (`memlint check . a.py` finds `./a.py` and `a.py`,
  // or an absolute path) is checked and reported once.
  llvm::StringSet<> Seen;
  std::vector<DiscoveredFile> Unique;
  for (DiscoveredFile &F : Out.Files)
    if (Seen.insert(absolute(F.Path)).second)
      Unique.push_back(std::move(F));
  Out.Files = std::move(Unique);
  return Out;
}

} // namespace memlint
