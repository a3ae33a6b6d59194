//===- Parser.h - tree-sitter-python behind a small, typed interface -------===//
//
// Node kinds and field names are resolved once against the grammar into dense tables, so the
// lowering dispatches with a switch over SyntaxKind instead of comparing strings.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "frontend/Source.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <tree_sitter/api.h>

namespace memlint {

enum class SyntaxKind : uint16_t {
  Unknown,
  Error,
#define SYNTAX_KIND(Enumerator, Name) Enumerator,
#include "frontend/SyntaxKind.def"
};

enum class SyntaxField : uint8_t {
  None,
  Alias,
  Alternative,
  Argument,
  Arguments,
  Attribute,
  Body,
  Cause,
  Condition,
  Consequence,
  Definition,
  Expression,
  Function,
  Guard,
  Key,
  Left,
  ModuleName,
  Name,
  Object,
  Operator,
  Operators,
  Parameters,
  ReturnType,
  Right,
  Subject,
  Subscript,
  Superclasses,
  Type,
  TypeParameters,
  Value,
};

const TSLanguage *pythonLanguage();
SyntaxKind kindOf(TSNode Node);
SyntaxField fieldOf(TSFieldId Id);
TSFieldId fieldId(SyntaxField Field);
llvm::StringRef kindName(SyntaxKind Kind);

inline TextRange rangeOf(TSNode Node) { return {ts_node_start_byte(Node), ts_node_end_byte(Node)}; }

struct ChildNode {
  TSNode Node;
  SyntaxField Field;
};

/// Collects a node's children (named and anonymous, with their field) through a reusable cursor:
/// ts_node_child(i) is linear in i, so index loops would be quadratic on long blocks.
class ChildCollector {
public:
  explicit ChildCollector(TSTree *Tree);
  ~ChildCollector();
  ChildCollector(const ChildCollector &) = delete;
  ChildCollector &operator=(const ChildCollector &) = delete;

  void collect(TSNode Parent, llvm::SmallVectorImpl<ChildNode> &Out);
  /// Like collect, without the field of each child (Field is None): tree-sitter's field lookup
  /// scans the parent's production, which is quadratic on a list or block of a million children.
  void collectUnlabelled(TSNode Parent, llvm::SmallVectorImpl<ChildNode> &Out);

private:
  TSTreeCursor Cursor;
};

struct TreeDeleter {
  void operator()(TSTree *Tree) const { ts_tree_delete(Tree); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

/// One parser per thread; reuse it across files.
class Parser {
public:
  Parser();
  ~Parser();
  Parser(const Parser &) = delete;
  Parser &operator=(const Parser &) = delete;

  /// Parses the whole buffer (a UTF-8 BOM is skipped but keeps its bytes, so offsets stay those
  /// of the file). With OldTree, reuses its unchanged subtrees (the caller has applied
  /// ts_tree_edit to it).
  TreePtr parse(const SourceFile &Source, TSTree *OldTree = nullptr);

private:
  TSParser *Impl;
};

} // namespace memlint
