//===- ProjectModel.h - cross-file findings for the language server -------===//
//
// Reference cycles and registries span files, so the project rules (CYC, WRF) run over the
// module summaries of the whole workspace (Driver.h's checkProject). The server keeps one
// summary per Python file: from disk, or from the buffer for an open document, replaced after
// each check of that document. Relinking after an edit then costs the project phase only; no
// other file is parsed again.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Driver.h"
#include "analyzer/Summary.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace memlint::lsp {

class ProjectModel {
public:
  static constexpr size_t MaxWorkspaceModules = 20000;

  /// Summarizes every Python file under Root from disk, as `memlint check Root` would find them
  /// (none when there are more than MaxWorkspaceModules). Does nothing when no project rule is
  /// enabled.
  void load(const CheckContext &Ctx, Parser &P, llvm::StringRef Root);
  bool loaded() const { return Loaded; }
  void clear();

  /// Sets (or, with none, removes) the summary of the module at Path.
  void setSummary(llvm::StringRef Path, std::optional<ModuleSummary> Summary);
  /// Re-reads the file at Path from disk (it changed there, or its unsaved buffer was closed).
  void reloadFromDisk(const CheckContext &Ctx, Parser &P, llvm::StringRef Path);

  /// Runs the project rules over every summary; their findings, by path.
  llvm::StringMap<std::vector<Diagnostic>> link(const CheckContext &Ctx) const;

private:
  bool Loaded = false;
  std::vector<ModuleSummary> Modules; // contiguous: checkProject takes an ArrayRef
  llvm::StringMap<size_t> IndexByPath;
};

} // namespace memlint::lsp
