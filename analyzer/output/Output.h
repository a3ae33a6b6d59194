//===- Output.h - rendering diagnostics ------------------------------------===//
#pragma once

#include "analyzer/Diagnostic.h"
#include "rules/Registry.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace memlint {

enum class OutputFormat { Text, Json, Sarif, Github };

std::optional<OutputFormat> parseOutputFormat(llvm::StringRef Name);

struct RenderStats {
  size_t FilesChecked = 0;
  bool ShowStatistics = false;
};

void renderText(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags, const RenderStats &Stats,
                bool Color);
void renderJson(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags);
void renderSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags,
                 const RuleRegistry &Rules);
void renderGithub(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags);
/// `--statistics`: one line per code with its count, most frequent first.
void renderStatistics(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags);

/// The documentation URL of a rule (for LSP codeDescription and SARIF helpUri).
std::string ruleDocUrl(llvm::StringRef Code);

} // namespace memlint
