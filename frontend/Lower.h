//===- Lower.h - tree-sitter CST -> memlint IR -------------------------------===//
#pragma once

#include "frontend/IR.h"
#include "frontend/Parser.h"

#include <memory>

namespace memlint {

struct LowerOptions {
  /// Syntax nesting beyond this depth is not lowered; the module reports it as an error instead
  /// of risking the stack. CPython itself rejects far shallower nesting of parentheses (200) and
  /// indentation (100), but accepts long operator chains, which nest as deeply as they are long.
  unsigned MaxDepth = 3000;
};

/// Lowers a parsed tree. Never fails: a tree with errors yields a Module whose syntaxError() is
/// set and whose IR covers what could be understood.
std::unique_ptr<ir::Module> lowerModule(std::shared_ptr<const SourceFile> Source, TSTree *Tree,
                                        const LowerOptions &Options = {});

/// Convenience for tests and tools: parse, then lower.
std::unique_ptr<ir::Module> parseAndLower(Parser &P, std::shared_ptr<const SourceFile> Source,
                                          const LowerOptions &Options = {});

/// Checks the bytes before parsing: Python 3 source must be UTF-8 without NUL bytes (CPython
/// raises SyntaxError otherwise). Returns the problem, or nothing when the text can be parsed.
std::optional<ir::SyntaxError> checkEncoding(const SourceFile &Source);

} // namespace memlint
