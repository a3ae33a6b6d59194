//===- CheckModule.h - check an in-memory buffer, reparsing incrementally -===//
//
// The command line reads files from disk and parses each once (Driver.h). The language server
// keeps every open document's text and tree-sitter tree, applies each edit to both, and checks
// the buffer again: this entry point takes the text as the editor holds it and reuses the
// previous tree, so a one-character edit reparses only what changed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Driver.h"

#include <memory>

namespace memlint {

/// Checks text that is already UTF-8 (an editor decoded it, so no PEP 263 decoding happens here;
/// Source->path() is the path used for per-file ignores and in the diagnostics). When `Tree`
/// holds a previous parse that the caller has brought up to date with ts_tree_edit, parsing
/// reuses its unchanged subtrees. On return `Tree` holds the parse of `Source`, ready for the
/// next edit, or is null when the text was not parsed. Findings suppressed by `# noqa`, a file
/// exemption or per-file-ignores are dropped, as checkSource does; as there, the result carries
/// the module's summary when a project rule is enabled, for checkProject.
FileResult checkBuffer(const CheckContext &Ctx, Parser &P, std::shared_ptr<const SourceFile> Source,
                       TreePtr &Tree);

} // namespace memlint
