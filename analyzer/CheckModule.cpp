#include "analyzer/CheckModule.h"

#include "analyzer/Discover.h"
#include "analyzer/Suppress.h"
#include "frontend/Lower.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint {

namespace {

Diagnostic syntaxErrorDiagnostic(const SourceFile &Source, TextRange Range, std::string Message) {
  Diagnostic D;
  D.Path = Source.path().str();
  D.Code = SyntaxErrorInfo.Code;
  D.Name = SyntaxErrorInfo.Name;
  D.Level = SyntaxErrorInfo.DefaultSeverity;
  D.Message = std::move(Message);
  D.Range = Range;
  D.Start = Source.position(Range.Begin);
  D.End = Source.position(Range.End);
  return D;
}


} // namespace

FileResult checkBuffer(const CheckContext &Ctx, Parser &P, std::shared_ptr<const SourceFile> Source,
                       TreePtr &Tree) {
  FileResult Result;
  if (auto Bad = checkEncoding(*Source)) {
    // Not parsed: the next check starts from scratch rather than from a tree of other text.
    Tree.reset();
    Result.Status = FileStatus::SyntaxError;
    Result.Diagnostics.push_back(
        syntaxErrorDiagnostic(*Source, Bad->Range, "SyntaxError: " + Bad->Message));
    return Result;
  }
  Tree = P.parse(*Source, Tree.get());
  std::unique_ptr<ir::Module> Module = lowerModule(Source, Tree.get());
  if (const auto &Error = Module->syntaxError()) {
    Result.Status = FileStatus::SyntaxError;
    Result.Diagnostics.push_back(syntaxErrorDiagnostic(*Source, Error->Range, Error->Message));
    return Result;
  }
  if (hasFileExemption(Source->text()))
    return Result;

  llvm::StringRef Path = Source->path();
  if (!Ctx.ProjectRules.empty())
    Result.Summary = summarizeModule(*Module, Path);
  std::vector<Diagnostic> Raw;
  ModuleContext MC(*Module, Path, Raw);
  for (const Rule *R : Ctx.ModuleRules)
    R->checkModule(MC);
  for (Diagnostic &D : Raw) {
    if (ignoredByPerFileIgnores(Ctx.Cfg, Path, D.Code))
      continue;
    if (auto Noqa = parseNoqa(Source->lineText(D.Start.Line)); Noqa && Noqa->covers(D.Code))
      continue;
    Result.Diagnostics.push_back(std::move(D));
  }
  llvm::sort(Result.Diagnostics);
  return Result;
}

} // namespace memlint
