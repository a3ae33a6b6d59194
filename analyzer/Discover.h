//===- Discover.h - which files a run checks ------------------------------===//
#pragma once

#include "analyzer/Config.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace memlint {

struct DiscoveredFile {
  std::string Path; // as shown to the user: the argument joined with the relative entry
};

struct DiscoveryProblem {
  std::string Path;
  std::string Message;
};

struct Discovery {
  std::vector<DiscoveredFile> Files; // sorted, unique
  std::vector<DiscoveryProblem> Problems;
};

/// Expands PATH arguments into Python files: directories recursively (`*.py`, `*.pyi`), skipping
/// version-control and tool directories, virtualenvs (any directory with a pyvenv.cfg), and what
/// the config excludes. Files named explicitly are checked even when excluded, unless
/// ForceExclude. Symlinked directories are not followed, so link loops cannot hang the walk.
Discovery discoverFiles(llvm::ArrayRef<std::string> Paths, const Config &Cfg, bool ForceExclude);


} // namespace memlint
