#include "analyzer/Driver.h"

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

FileResult checkFile(const CheckContext &Ctx, Parser &P, llvm::StringRef Path) {
  std::string Display = displayPath(Path);
  // Opening a FIFO blocks until a writer appears, and a device may never end: read only
  // regular files (after following symlinks).
  llvm::sys::fs::file_status Status;
  if (!llvm::sys::fs::status(Path, Status) &&
      Status.type() != llvm::sys::fs::file_type::regular_file) {
    FileResult Result;
    Result.Status = FileStatus::Unreadable;
    Result.Diagnostics.push_back(fileDiagnostic(
        IoErrorInfo, Display,
        "not a regular file (" + fileTypeName(Status.type()).str() + "); not read"));
    return Result;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer) {
    FileResult Result;
    Result.Status = FileStatus::Unreadable;
    Result.Diagnostics.push_back(fileDiagnostic(
        IoErrorInfo, Display, "cannot read file: " + Buffer.getError().message()));
    return Result;
  }
  if ((*Buffer)->getBufferSize() >= UINT32_MAX / 4) {
    FileResult Result;
    Result.Status = FileStatus::Unreadable;
    Result.Diagnostics.push_back(
        fileDiagnostic(IoErrorInfo, Display, "file is larger than 1 GiB; not analyzed"));
    return Result;
  }
  return checkSource(Ctx, P, Display, (*Buffer)->getBuffer().str());
}

std::vector<Diagnostic> checkProject(const CheckContext &Ctx, llvm::ArrayRef<ModuleSummary> Modules) {
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

CheckSummary runCheck(const CheckContext &Ctx, const Discovery &Files, unsigned Threads) {
  CheckSummary Summary;
  std::vector<FileResult> Results(Files.Files.size());
  // Workers claim files through a shared counter: output order comes from the file index, not
  // from scheduling. Each worker gets an explicit stack large enough for the deepest nesting the
  // lowering accepts (LowerOptions::MaxDepth), whatever the platform's default thread stack is.
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    Parser P;
    for (size_t I = Next++; I < Files.Files.size(); I = Next++)
      Results[I] = checkFile(Ctx, P, Files.Files[I].Path);
  };
  unsigned Workers = std::max(1u, llvm::hardware_concurrency(Threads).compute_thread_count());
  Workers = static_cast<unsigned>(std::min<size_t>(Workers, std::max<size_t>(1, Files.Files.size())));
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
  std::vector<ModuleSummary> Summaries;
  for (FileResult &R : Results)
    if (R.Summary)
      Summaries.push_back(std::move(*R.Summary));
  std::vector<Diagnostic> Project = checkProject(Ctx, Summaries);
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
