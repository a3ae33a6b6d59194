#include "analyzer/Driver.h"

#include "analyzer/Cache.h"
#include "analyzer/CheckModule.h"
#include "analyzer/ProjectIndex.h"
#include "analyzer/ReferenceGraph.h"
#include "analyzer/Suppress.h"
#include "frontend/Lower.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/thread.h"

#include <atomic>

#include <tuple>

namespace memlint {

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Info:
    return "info";
  }
  return "warning";
}

bool operator<(const Diagnostic &A, const Diagnostic &B) {
  return std::tie(A.Path, A.Start.Line, A.Start.Column, A.Code, A.Message) <
         std::tie(B.Path, B.Start.Line, B.Start.Column, B.Code, B.Message);
}

std::string displayPath(llvm::StringRef Path) {
  while (Path.startswith("./") && Path.size() > 2)
    Path = Path.drop_front(2);
  return Path.str();
}

namespace {

Diagnostic fileDiagnostic(const RuleInfo &Info, llvm::StringRef Path, std::string Message,
                          Position At = {}) {
  Diagnostic D;
  D.Path = Path.str();
  D.Code = Info.Code;
  D.Name = Info.Name;
  D.Level = Info.DefaultSeverity;
  D.Message = std::move(Message);
  D.Start = At;
  D.End = At;
  return D;
}

llvm::StringRef fileTypeName(llvm::sys::fs::file_type Type) {
  switch (Type) {
  case llvm::sys::fs::file_type::directory_file:
    return "directory";
  case llvm::sys::fs::file_type::fifo_file:
    return "named pipe";
  case llvm::sys::fs::file_type::socket_file:
    return "socket";
  case llvm::sys::fs::file_type::character_file:
  case llvm::sys::fs::file_type::block_file:
    return "device";
  default:
    return "special file";
  }
}

} // namespace

FileResult checkSource(const CheckContext &Ctx, Parser &P, llvm::StringRef DisplayPath,
                       std::string Bytes) {
  FileResult Result;
  DecodedSource Decoded = decodeSource(std::move(Bytes));
  if (!Decoded.Error.empty()) {
    Result.Status = FileStatus::SyntaxError;
    // CPython reports the first bad byte: a NUL before the undecodable byte (typical of a
    // binary file) is the error, as `python3 file.py` says.
    size_t Nul = llvm::StringRef(Decoded.Text).find('\0');
    bool NulFirst = Nul != llvm::StringRef::npos && Nul < Decoded.ErrorOffset;
    std::string Message =
        NulFirst ? "source code cannot contain null bytes" : std::move(Decoded.Error);
    uint32_t At = NulFirst ? static_cast<uint32_t>(Nul) : Decoded.ErrorOffset;
    SourceFile Raw(DisplayPath.str(), std::move(Decoded.Text));
    Result.Diagnostics.push_back(
        fileDiagnostic(SyntaxErrorInfo, DisplayPath, "SyntaxError: " + Message, Raw.position(At)));
    return Result;
  }
  auto Source = std::make_shared<const SourceFile>(DisplayPath.str(), std::move(Decoded.Text));
  TreePtr Tree;
  Result = checkBuffer(Ctx, P, std::move(Source), Tree);
  // Fixes computed on transcoded text would corrupt a file in another encoding.
  if (Decoded.Transcoded)
    for (Diagnostic &D : Result.Diagnostics)
      D.FixIt.reset();
  return Result;
}

std::optional<FileResult> readSourceFile(llvm::StringRef Path, std::string &Bytes) {
  auto Failure = [&](std::string Message) {
    FileResult Result;
    Result.Status = FileStatus::Unreadable;
    Result.Diagnostics.push_back(
        fileDiagnostic(IoErrorInfo, displayPath(Path), std::move(Message)));
    return Result;
  };
  // Opening a FIFO blocks until a writer appears, and a device may never end: read only
  // regular files (after following symlinks).
  llvm::sys::fs::file_status Status;
  if (!llvm::sys::fs::status(Path, Status) &&
      Status.type() != llvm::sys::fs::file_type::regular_file)
    return Failure("not a regular file (" + fileTypeName(Status.type()).str() + "); not read");
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return Failure("cannot read file: " + Buffer.getError().message());
  if ((*Buffer)->getBufferSize() >= UINT32_MAX / 4)
    return Failure("file is larger than 1 GiB; not analyzed");
  Bytes = (*Buffer)->getBuffer().str();
  return std::nullopt;
}

FileResult checkFile(const CheckContext &Ctx, Parser &P, llvm::StringRef Path) {
  std::string Bytes;
  if (std::optional<FileResult> Unreadable = readSourceFile(Path, Bytes))
    return std::move(*Unreadable);
  return checkSource(Ctx, P, displayPath(Path), std::move(Bytes));
}

std::vector<Diagnostic> checkProject(const CheckContext &Ctx,
                                     llvm::ArrayRef<ModuleSummary> Modules) {
  std::vector<Diagnostic> Out;
  if (Ctx.ProjectRules.empty() || Modules.empty())
    return Out;
  ProjectIndex Index(Modules);
  ReferenceGraph Graph(Index);
  std::vector<Diagnostic> Raw;
  ProjectContext PC(Index, Graph, Raw);
  for (const Rule *R : Ctx.ProjectRules)
    R->checkProject(PC);
  llvm::StringMap<const ModuleSummary *> ByPath;
  for (const ModuleSummary &M : Modules)
    ByPath[M.Path] = &M;
  for (Diagnostic &D : Raw) {
    if (ignoredByPerFileIgnores(Ctx.Cfg, D.Path, D.Code))
      continue;
    auto It = ByPath.find(D.Path);
    if (It != ByPath.end() && It->second->suppressed(D.Start.Line, D.Code))
      continue;
    Out.push_back(std::move(D));
  }
  llvm::sort(Out);
  return Out;
}

namespace {

/// What the cache needs to remember about a file analyzed this run.
struct FreshEntry {
  bool Valid = false;
  CachedFile Entry;
  std::string Storage;
};

/// One file through the cache: a hit costs a read and a hash; a miss is analyzed and
/// serialized here, on the worker, so the main thread only links entries into the cache.
FileResult checkFileCached(const CheckContext &Ctx, Parser &P, llvm::StringRef Path,
                           const ResultCache &Cache, CachedSummary &Summary, FreshEntry &Fresh) {
  std::string Bytes;
  if (std::optional<FileResult> Unreadable = readSourceFile(Path, Bytes))
    return std::move(*Unreadable);
  std::string Display = displayPath(Path);
  uint64_t Hash = ResultCache::hashContent(Bytes);
  bool IsPackage = false;
  std::string ModuleName = moduleNameForPath(Display, IsPackage);
  if (std::optional<FileResult> Hit = Cache.lookup(Display, Hash, ModuleName, IsPackage, Summary))
    return std::move(*Hit);
  FileResult Result = checkSource(Ctx, P, Display, std::move(Bytes));
  Fresh.Entry = Cache.serialize(Result, Hash, std::move(ModuleName), IsPackage, Fresh.Storage);
  Fresh.Valid = true;
  return Result;
}

/// Identifies the inputs of the project phase: every summary, by path, content and module name.
uint64_t projectKey(const Discovery &Files, llvm::ArrayRef<FileResult> Results,
                    llvm::ArrayRef<CachedSummary> CachedSummaries,
                    llvm::ArrayRef<FreshEntry> Fresh) {
  std::string Key;
  for (size_t I = 0; I < Results.size(); ++I) {
    if (!Results[I].Summary && CachedSummaries[I].Bytes.empty())
      continue;
    Key += displayPath(Files.Files[I].Path);
    Key += '\0';
    // The hash of the serialized summary, fresh or cached: equal summaries give equal keys
    // either way, and a warm run does not re-read the summaries to key them.
    uint64_t H = Fresh[I].Valid ? Fresh[I].Entry.Summary.Hash : CachedSummaries[I].Hash;
    Key.append(reinterpret_cast<const char *>(&H), sizeof(H));
  }
  return ResultCache::hashContent(Key);
}

} // namespace

CheckSummary runCheck(const CheckContext &Ctx, const Discovery &Files, unsigned Threads,
                      ResultCache *Cache) {
  CheckSummary Summary;
  size_t N = Files.Files.size();
  std::vector<FileResult> Results(N);
  std::vector<CachedSummary> CachedSummaries(Cache ? N : 0);
  std::vector<FreshEntry> Fresh(Cache ? N : 0);
  // Workers claim files through a shared counter: output order comes from the file index, not
  // from scheduling. Each worker gets an explicit stack large enough for the deepest nesting the
  // lowering accepts (LowerOptions::MaxDepth), whatever the platform's default thread stack is.
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    Parser P;
    for (size_t I = Next++; I < N; I = Next++)
      Results[I] =
          Cache ? checkFileCached(Ctx, P, Files.Files[I].Path, *Cache, CachedSummaries[I], Fresh[I])
                : checkFile(Ctx, P, Files.Files[I].Path);
  };
  unsigned Workers = std::max(1u, llvm::hardware_concurrency(Threads).compute_thread_count());
  Workers = static_cast<unsigned>(std::min<size_t>(Workers, std::max<size_t>(1, N)));
  constexpr unsigned WorkerStackBytes = 32u << 20;
  std::vector<llvm::thread> Pool;
  for (unsigned W = 0; W < Workers; ++W)
    Pool.emplace_back(llvm::Optional<unsigned>(WorkerStackBytes), Work);
  for (llvm::thread &T : Pool)
    T.join();
  for (const DiscoveryProblem &Problem : Files.Problems) {
    Summary.Diagnostics.push_back(
        fileDiagnostic(IoErrorInfo, displayPath(Problem.Path), Problem.Message));
    ++Summary.FilesUnreadable;
  }
  std::vector<Diagnostic> Project;
  std::optional<uint64_t> Key;
  if (Cache) {
    if (!Ctx.ProjectRules.empty())
      Key = projectKey(Files, Results, CachedSummaries, Fresh);
    for (size_t I = 0; I < N; ++I)
      if (Fresh[I].Valid)
        Cache->add(displayPath(Files.Files[I].Path), std::move(Fresh[I].Entry),
                   std::move(Fresh[I].Storage));
    Fresh.clear();
    Cache->saveFiles();
  }
  if (auto Cached = Key ? Cache->lookupProject(*Key) : std::nullopt) {
    Project = std::move(*Cached);
  } else {
    std::vector<ModuleSummary> Summaries;
    for (size_t I = 0; I < N; ++I) {
      if (Results[I].Summary)
        Summaries.push_back(std::move(*Results[I].Summary));
      else if (Cache && !CachedSummaries[I].Bytes.empty())
        if (std::optional<ModuleSummary> Loaded = Cache->loadSummary(CachedSummaries[I].Bytes))
          Summaries.push_back(std::move(*Loaded));
    }
    Project = checkProject(Ctx, Summaries);
    if (Key)
      Cache->saveProject(*Key, Project);
  }
  std::move(Project.begin(), Project.end(), std::back_inserter(Summary.Diagnostics));
  for (FileResult &R : Results) {
    switch (R.Status) {
    case FileStatus::Analyzed:
      ++Summary.FilesAnalyzed;
      break;
    case FileStatus::SyntaxError:
      ++Summary.FilesWithSyntaxErrors;
      break;
    case FileStatus::Unreadable:
      ++Summary.FilesUnreadable;
      break;
    }
    std::move(R.Diagnostics.begin(), R.Diagnostics.end(), std::back_inserter(Summary.Diagnostics));
  }
  llvm::sort(Summary.Diagnostics);
  return Summary;
}

} // namespace memlint
