#include "analyzer/Cache.h"
#include "analyzer/SummaryIO.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <type_traits>

namespace memlint {

using namespace summary_io;

namespace {

// Bump when the layout of anything serialized below changes. (The executable's hash already
// separates builds; this keeps two builds of the same source from misreading each other.)
constexpr llvm::StringLiteral Magic("MLCACHE3");

/// Everything besides the file's bytes that decides what checking it produces.
uint64_t settingsKey(const CheckContext &Ctx) {
  // A rebuilt memlint may report differently for the same version number: the executable's
  // own bytes are part of the key.
  auto Exe = llvm::MemoryBuffer::getFile("/proc/self/exe", /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Exe)
    return 0;
  std::string Key(Magic);
  Key += MEMLINT_VERSION;
  uint64_t ExeHash = llvm::xxHash64((*Exe)->getBuffer());
  Key.append(reinterpret_cast<const char *>(&ExeHash), sizeof(ExeHash));
  for (const auto *List : {&Ctx.ModuleRules, &Ctx.ProjectRules})
    for (const Rule *R : *List) {
      Key += R->code();
      Key += ',';
    }
  Key += '\0';
  Key += Ctx.Cfg.File;
  Key += '\0';
  Key += Ctx.Cfg.Directory;
  for (const PerFileIgnore &P : Ctx.Cfg.PerFileIgnores) {
    Key += '\0';
    Key += P.Pattern;
    for (const std::string &Code : P.Codes)
      Key += ":" + Code;
  }
  return std::max<uint64_t>(1, llvm::xxHash64(Key));
}

void writeIfMissing(llvm::StringRef Path, llvm::StringRef Content) {
  if (llvm::sys::fs::exists(Path))
    return;
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (!EC)
    OS << Content;
}

} // namespace

std::string defaultCacheDirectory(const Config &Cfg) {
  if (llvm::Optional<std::string> Env = llvm::sys::Process::GetEnv("MEMLINT_CACHE_DIR"))
    if (!Env->empty())
      return *Env;
  llvm::SmallString<256> Dir(Cfg.Directory.empty() ? "." : Cfg.Directory);
  llvm::sys::path::append(Dir, ".memlint_cache");
  return std::string(Dir);
}

uint64_t ResultCache::hashContent(llvm::StringRef Bytes) { return llvm::xxHash64(Bytes); }

namespace {

// A cache file is a header (magic, settings key, checksum) and length-prefixed records. The
// checksum is the hash of the records' hashes, so a file can be written record by record
// without building it in memory first.
constexpr size_t HeaderSize = 8 + 8 + 8;

/// The records of a cache file written for these settings, or nothing if the file is missing,
/// from other settings, truncated or corrupt.
std::optional<std::vector<llvm::StringRef>> readRecords(const std::string &Path, uint64_t Settings,
                                                        std::unique_ptr<llvm::MemoryBuffer> &Keep) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef Data = (*Buffer)->getBuffer();
  if (Data.size() < HeaderSize || !Data.startswith(Magic))
    return std::nullopt;
  uint64_t Key = 0, Checksum = 0;
  std::memcpy(&Key, Data.data() + 8, 8);
  std::memcpy(&Checksum, Data.data() + 16, 8);
  if (Key != Settings)
    return std::nullopt;
  std::vector<llvm::StringRef> Records;
  std::string Hashes;
  for (llvm::StringRef Rest = Data.drop_front(HeaderSize); !Rest.empty();) {
    uint32_t Size = 0;
    if (Rest.size() < sizeof(Size))
      return std::nullopt;
    std::memcpy(&Size, Rest.data(), sizeof(Size));
    Rest = Rest.drop_front(sizeof(Size));
    if (Size > Rest.size())
      return std::nullopt;
    Records.push_back(Rest.take_front(Size));
    Rest = Rest.drop_front(Size);
    uint64_t H = llvm::xxHash64(Records.back());
    Hashes.append(reinterpret_cast<const char *>(&H), sizeof(H));
  }
  if (Checksum != llvm::xxHash64(Hashes))
    return std::nullopt;
  Keep = std::move(*Buffer);
  return Records;
}

} // namespace

/// Writes a cache file into a temp file beside its final path and renames it into place, so
/// readers (and concurrent runs) see the old file or the new one, never a torn one.
class CacheFileWriter {
public:
  CacheFileWriter(std::string Path, uint64_t Settings) : Path(std::move(Path)) {
    int FD = -1;
    if (std::error_code EC =
            llvm::sys::fs::createUniqueFile(this->Path + ".tmp-%%%%%%%%", FD, Temp)) {
      Error = EC.message();
      return;
    }
    OS.emplace(FD, /*shouldClose=*/true);
    uint64_t Placeholder = 0;
    *OS << Magic;
    OS->write(reinterpret_cast<const char *>(&Settings), sizeof(Settings));
    OS->write(reinterpret_cast<const char *>(&Placeholder), sizeof(Placeholder));
  }

  void record(llvm::StringRef Bytes) {
    if (!OS)
      return;
    auto Size = static_cast<uint32_t>(Bytes.size());
    OS->write(reinterpret_cast<const char *>(&Size), sizeof(Size));
    *OS << Bytes;
    uint64_t H = llvm::xxHash64(Bytes);
    Hashes.append(reinterpret_cast<const char *>(&H), sizeof(H));
  }

  /// Finishes the file and renames it over Path; the error message if anything failed.
  std::optional<std::string> commit() {
    if (!OS)
      return Error;
    uint64_t Checksum = llvm::xxHash64(Hashes);
    OS->seek(16);
    OS->write(reinterpret_cast<const char *>(&Checksum), sizeof(Checksum));
    OS->close();
    if (OS->has_error()) {
      std::string Message = OS->error().message();
      OS->clear_error();
      llvm::sys::fs::remove(Temp);
      return Message;
    }
    if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
      llvm::sys::fs::remove(Temp);
      return EC.message();
    }
    return std::nullopt;
  }

private:
  std::string Path;
  llvm::SmallString<256> Temp;
  std::optional<llvm::raw_fd_ostream> OS;
  std::string Hashes;
  std::string Error;
};

ResultCache::ResultCache(std::string Dir, const CheckContext &Ctx)
    : Directory(std::move(Dir)), Rules(Ctx.Rules), SettingsKey(settingsKey(Ctx)) {
  if (!usable())
    return;
  llvm::SmallString<256> Base(Directory);
  llvm::sys::path::append(Base, llvm::utohexstr(SettingsKey, /*LowerCase=*/true));
  FilesPath = (Base + ".files").str();
  ProjectPath = (Base + ".project").str();
  loadFiles();
  loadProject();
}

void ResultCache::loadFiles() {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  auto Records = readRecords(FilesPath, SettingsKey, Buffer);
  if (!Records)
    return;
  llvm::StringMap<CachedFile> Entries;
  for (llvm::StringRef Record : *Records) {
    Reader R(Record, Rules);
    llvm::StringRef Path;
    CachedFile Entry;
    R.fields(Path, Entry.ContentHash, Entry.ModuleName, Entry.IsPackage, Entry.Status,
             Entry.Diagnostics, Entry.Summary.Bytes, Entry.Summary.Hash);
    if (R.failed() || !R.atEnd())
      return;
    Entries[Path] = std::move(Entry);
  }
  Files = std::move(Entries);
  LoadedFiles = std::move(Buffer);
}

void ResultCache::loadProject() {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  auto Records = readRecords(ProjectPath, SettingsKey, Buffer);
  if (!Records || Records->size() != 1)
    return;
  Reader R(Records->front(), Rules);
  uint64_t Key = 0;
  llvm::StringRef Diagnostics;
  R.fields(Key, Diagnostics);
  if (R.failed() || !R.atEnd())
    return;
  ProjectKey = Key;
  ProjectDiagnostics = Diagnostics;
  LoadedProject = std::move(Buffer);
}

std::optional<FileResult> ResultCache::lookup(llvm::StringRef Path, uint64_t ContentHash,
                                              llvm::StringRef ModuleName, bool IsPackage,
                                              CachedSummary &Summary) const {
  auto It = Files.find(Path);
  if (It == Files.end())
    return std::nullopt;
  const CachedFile &Entry = It->second;
  if (Entry.ContentHash != ContentHash || Entry.ModuleName != ModuleName ||
      Entry.IsPackage != IsPackage)
    return std::nullopt;
  auto Diagnostics = deserialize<std::vector<Diagnostic>>(Entry.Diagnostics, Rules);
  if (!Diagnostics)
    return std::nullopt;
  FileResult Result;
  Result.Status = Entry.Status;
  Result.Diagnostics = std::move(*Diagnostics);
  Summary = Entry.Summary;
  return Result;
}

CachedFile ResultCache::serialize(const FileResult &Result, uint64_t ContentHash,
                                  std::string ModuleName, bool IsPackage,
                                  std::string &Storage) const {
  Storage.clear();
  serializeInto(Storage, Result.Diagnostics);
  size_t DiagnosticsSize = Storage.size();
  if (Result.Summary)
    serializeInto(Storage, *Result.Summary);
  Storage.shrink_to_fit(); // held until the project phase: no growth slack
  CachedFile Entry;
  Entry.ContentHash = ContentHash;
  Entry.ModuleName = std::move(ModuleName);
  Entry.IsPackage = IsPackage;
  Entry.Status = Result.Status;
  Entry.Diagnostics = llvm::StringRef(Storage).take_front(DiagnosticsSize);
  Entry.Summary.Bytes = llvm::StringRef(Storage).drop_front(DiagnosticsSize);
  Entry.Summary.Hash = hashContent(Entry.Summary.Bytes);
  return Entry;
}

void ResultCache::add(llvm::StringRef Path, CachedFile Entry, std::string Storage) {
  // The entry's views were taken into Storage before it moved (a short string moves by copy):
  // point them at the copy that stays.
  size_t DiagnosticsSize = Entry.Diagnostics.size();
  const std::string &Owned = OwnedBlobs.emplace_back(std::move(Storage));
  Entry.Diagnostics = llvm::StringRef(Owned).take_front(DiagnosticsSize);
  Entry.Summary.Bytes = llvm::StringRef(Owned).drop_front(DiagnosticsSize);
  Files[Path] = std::move(Entry);
  FilesChanged = true;
}

std::optional<ModuleSummary> ResultCache::loadSummary(llvm::StringRef Bytes) const {
  return deserialize<ModuleSummary>(Bytes, Rules);
}

void ResultCache::saveFiles() {
  if (usable() && FilesChanged) {
    std::vector<llvm::StringRef> Paths;
    for (const auto &Entry : Files)
      if (llvm::sys::fs::exists(Entry.first())) // drop files that were deleted or renamed
        Paths.push_back(Entry.first());
    llvm::sort(Paths);
    if (std::optional<CacheFileWriter> Out = create(FilesPath)) {
      std::string Record;
      for (llvm::StringRef Path : Paths) {
        CachedFile &Entry = Files[Path];
        Record.clear();
        Writer W(Record);
        W.fields(Path, Entry.ContentHash, Entry.ModuleName, Entry.IsPackage, Entry.Status,
                 Entry.Diagnostics, Entry.Summary.Bytes, Entry.Summary.Hash);
        Out->record(Record);
      }
      commit(*Out, FilesPath);
    }
  }
  // Summaries handed out by lookup point into LoadedFiles, which stays.
  Files.clear();
  OwnedBlobs.clear();
  FilesChanged = false;
}

std::optional<std::vector<Diagnostic>> ResultCache::lookupProject(uint64_t Key) const {
  if (Key != ProjectKey || !LoadedProject)
    return std::nullopt;
  return deserialize<std::vector<Diagnostic>>(ProjectDiagnostics, Rules);
}

void ResultCache::saveProject(uint64_t Key, const std::vector<Diagnostic> &Diagnostics) {
  if (!usable())
    return;
  std::string Serialized;
  serializeInto(Serialized, Diagnostics);
  std::string Record;
  Writer W(Record);
  llvm::StringRef Bytes = Serialized;
  W.fields(Key, Bytes);
  if (std::optional<CacheFileWriter> Out = create(ProjectPath)) {
    Out->record(Record);
    commit(*Out, ProjectPath);
  }
}

std::optional<CacheFileWriter> ResultCache::create(const std::string &Path) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory)) {
    Problems.push_back(Directory + ": cannot create the cache directory: " + EC.message());
    return std::nullopt;
  }
  // Like other tools' caches: invisible to git, skipped by backup tools.
  writeIfMissing(Directory + "/.gitignore", "# Created by memlint.\n*\n");
  writeIfMissing(Directory + "/CACHEDIR.TAG",
                 "Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file is a cache directory tag created by memlint.\n");
  return std::optional<CacheFileWriter>(std::in_place, Path, SettingsKey);
}

void ResultCache::commit(CacheFileWriter &Out, const std::string &Path) {
  if (std::optional<std::string> Error = Out.commit())
    Problems.push_back(Path + ": cannot write the cache: " + *Error);
}

} // namespace memlint
