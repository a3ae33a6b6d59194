//===- Document.h - an open editor buffer: text, tree, published findings -===//
//
// The editor sends edits, not files. A Document applies each edit to its text and, through
// ts_tree_edit, to the tree-sitter tree of the last parse, so the next check reparses only the
// edited region. Findings are kept with the exact text they were computed on, because code
// actions convert their byte ranges to editor positions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Protocol.h"

#include "analyzer/Diagnostic.h"
#include "frontend/Parser.h"
#include "frontend/Source.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace memlint::lsp {

using Clock = std::chrono::steady_clock;

/// A byte range of a SourceFile as an LSP range (UTF-16 columns).
LspRange toLspRange(const SourceFile &Source, TextRange Range);

struct Document {
  /// Path is what per-file ignores match and diagnostics name: the file's path, or the URI
  /// itself for buffers that are not files (`untitled:`).
  Document(std::string Uri, std::string Path, int64_t Version, std::string Text);

  /// Applies one content change: a ranged change splices the text and edits the tree; a change
  /// without a range replaces the text and drops the tree (nothing of it can be reused).
  void applyChange(const ContentChange &Change);

  std::string Uri;
  int64_t Version;
  std::shared_ptr<const SourceFile> Source; // the current text
  TreePtr Tree; // parse of an earlier text, edited to match Source; null before the first check

  /// When the next check is due; empty when the published findings are current.
  std::optional<Clock::time_point> CheckDue;

  /// The last check: the text and version it read, what the module rules found in it, what the
  /// project rules found there (cross-file), and both together as published.
  std::shared_ptr<const SourceFile> CheckedSource;
  int64_t CheckedVersion = 0;
  std::vector<Diagnostic> ModuleFindings;
  std::vector<Diagnostic> ProjectFindings;
  std::vector<Diagnostic> Findings;
};

} // namespace memlint::lsp
