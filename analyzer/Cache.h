//===- Cache.h - per-file results and module summaries keyed by content ---===//
//
// A re-run over unchanged files should cost a read and a hash per file, not a parse. The cache
// keeps, per display path, the hash of the file's bytes, the per-file findings and the module
// summary (serialized), plus the findings of the last project phase keyed by the hash of every
// summary that went into it. When no file changed, nothing is parsed and no summary is even
// deserialized; when one changed, only it is re-analyzed and the project phase runs again over
// every summary, so findings in the files that depend on it are updated too.
//
// Everything is keyed by a settings hash that covers the memlint executable itself, the enabled
// rules and the configuration that shapes per-file results: a rebuilt binary or an edited
// pyproject.toml starts from an empty cache. A cache file that is unreadable, truncated or
// corrupt (its checksum does not match) is ignored, never trusted.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Driver.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace memlint {

class CacheFileWriter;

/// The directory `memlint check` caches in unless told otherwise: $MEMLINT_CACHE_DIR, else
/// `.memlint_cache` beside the configuration file, else in the current directory.
std::string defaultCacheDirectory(const Config &Cfg);

/// A module summary as the cache holds it: serialized (empty when the file has none), and the
/// hash of those bytes, computed once when it was stored; the project phase's key is built
/// from these hashes on every run.
struct CachedSummary {
  llvm::StringRef Bytes;
  uint64_t Hash = 0;
};

/// What the cache knows about one file, valid for the bytes whose hash it was stored under.
struct CachedFile {
  uint64_t ContentHash = 0;
  std::string ModuleName; // the package layout is part of the key: moving a file renames it
  bool IsPackage = false;
  FileStatus Status = FileStatus::Analyzed;
  llvm::StringRef Diagnostics; // serialized std::vector<Diagnostic>
  CachedSummary Summary;
};

class ResultCache {
public:
  /// Opens the cache for these settings in Directory. Nothing is created until save().
  ResultCache(std::string Directory, const CheckContext &Ctx);

  /// False when the settings could not be fingerprinted (then nothing is looked up or saved).
  bool usable() const { return SettingsKey != 0; }

  /// The cached result for Path when its bytes still hash to ContentHash and it still has the
  /// module name it had; the summary is left serialized (see loadSummary).
  std::optional<FileResult> lookup(llvm::StringRef Path, uint64_t ContentHash,
                                   llvm::StringRef ModuleName, bool IsPackage,
                                   CachedSummary &Summary) const;
  /// Serializes a fresh result into Storage (which the entry then points into). Thread-safe:
  /// touches nothing shared. Pass both to add().
  CachedFile serialize(const FileResult &Result, uint64_t ContentHash, std::string ModuleName,
                       bool IsPackage, std::string &Storage) const;
  /// Records a fresh result for Path. Not thread-safe: call from one thread.
  void add(llvm::StringRef Path, CachedFile Entry, std::string Storage);

  std::optional<ModuleSummary> loadSummary(llvm::StringRef Bytes) const;

  /// Writes the per-file entries atomically (temp file + rename) when any changed, dropping
  /// those whose path no longer exists, then releases this run's serialized results so the
  /// project phase does not hold them. Call once every lookup and add is done; summaries
  /// returned by lookup stay valid.
  void saveFiles();

  /// The project phase's findings for exactly this set of summaries, if they were cached.
  std::optional<std::vector<Diagnostic>> lookupProject(uint64_t ProjectKey) const;
  /// Records and writes the project phase's findings (a small file of its own).
  void saveProject(uint64_t ProjectKey, const std::vector<Diagnostic> &Diagnostics);

  /// Why the cache could not be written, if it could not: worth a warning, never an error.
  llvm::ArrayRef<std::string> problems() const { return Problems; }

  static uint64_t hashContent(llvm::StringRef Bytes);

private:
  std::string Directory;
  std::string FilesPath, ProjectPath; // <settings>.files, <settings>.project
  const RuleRegistry &Rules;
  uint64_t SettingsKey = 0;
  std::unique_ptr<llvm::MemoryBuffer> LoadedFiles, LoadedProject;
  llvm::StringMap<CachedFile> Files;
  std::deque<std::string> OwnedBlobs; // backing store for entries added this run
  bool FilesChanged = false;
  uint64_t ProjectKey = 0;
  llvm::StringRef ProjectDiagnostics;
  std::vector<std::string> Problems;

  void loadFiles();
  void loadProject();
  std::optional<CacheFileWriter> create(const std::string &Path);
  void commit(CacheFileWriter &Out, const std::string &Path);
};

} // namespace memlint
