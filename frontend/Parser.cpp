#include "frontend/Parser.h"

#include "llvm/ADT/StringMap.h"

#include <array>
#include <string>
#include <vector>

extern "C" const TSLanguage *tree_sitter_python();

namespace memlint {

namespace {

constexpr std::array<llvm::StringLiteral, static_cast<size_t>(SyntaxField::Value) + 1> FieldNames = {
    "",          "alias",    "alternative", "argument",     "arguments", "attribute",
    "body",      "cause",    "condition",   "consequence",  "definition", "expression",
    "function",  "guard",    "key",         "left",         "module_name", "name",
    "object",    "operator", "operators",   "parameters",   "return_type", "right",
    "subject",   "subscript", "superclasses", "type",       "type_parameters", "value",
};

constexpr llvm::StringLiteral KindNames[] = {
    "<unknown>", "ERROR",
#define SYNTAX_KIND(Enumerator, Name) Name,
#include "frontend/SyntaxKind.def"
};

struct Tables {
  std::vector<SyntaxKind> KindBySymbol;
  std::vector<SyntaxField> FieldById;
  std::array<TSFieldId, FieldNames.size()> IdByField{};

  Tables() {
    const TSLanguage *Lang = tree_sitter_python();
    llvm::StringMap<SyntaxKind> ByName;
    for (size_t I = 2; I < std::size(KindNames); ++I)
      ByName[KindNames[I]] = static_cast<SyntaxKind>(I);
    uint32_t Symbols = ts_language_symbol_count(Lang);
    KindBySymbol.assign(Symbols, SyntaxKind::Unknown);
    for (uint32_t S = 0; S < Symbols; ++S) {
      // Several symbols may share a public name (aliases such as keywords used as identifiers).
      if (ts_language_symbol_type(Lang, static_cast<TSSymbol>(S)) != TSSymbolTypeRegular)
        continue;
      auto It = ByName.find(ts_language_symbol_name(Lang, static_cast<TSSymbol>(S)));
      if (It != ByName.end())
        KindBySymbol[S] = It->second;
    }
    uint32_t Fields = ts_language_field_count(Lang);
    FieldById.assign(Fields + 1, SyntaxField::None);
    for (size_t F = 1; F < FieldNames.size(); ++F) {
      TSFieldId Id = ts_language_field_id_for_name(Lang, FieldNames[F].data(),
                                                   static_cast<uint32_t>(FieldNames[F].size()));
      IdByField[F] = Id;
      if (Id != 0 && Id <= Fields)
        FieldById[Id] = static_cast<SyntaxField>(F);
    }
  }
};

const Tables &tables() {
  static const Tables T;
  return T;
}

} // namespace

const TSLanguage *pythonLanguage() { return tree_sitter_python(); }

SyntaxKind kindOf(TSNode Node) {
  if (ts_node_is_error(Node))
    return SyntaxKind::Error;
  TSSymbol Symbol = ts_node_symbol(Node);
  const auto &Table = tables().KindBySymbol;
  return Symbol < Table.size() ? Table[Symbol] : SyntaxKind::Unknown;
}

SyntaxField fieldOf(TSFieldId Id) {
  const auto &Table = tables().FieldById;
  return Id < Table.size() ? Table[Id] : SyntaxField::None;
}

TSFieldId fieldId(SyntaxField Field) { return tables().IdByField[static_cast<size_t>(Field)]; }

llvm::StringRef kindName(SyntaxKind Kind) { return KindNames[static_cast<size_t>(Kind)]; }

ChildCollector::ChildCollector(TSTree *Tree) : Cursor(ts_tree_cursor_new(ts_tree_root_node(Tree))) {}
ChildCollector::~ChildCollector() { ts_tree_cursor_delete(&Cursor); }

void ChildCollector::collect(TSNode Parent, llvm::SmallVectorImpl<ChildNode> &Out) {
  Out.clear();
  ts_tree_cursor_reset(&Cursor, Parent);
  if (!ts_tree_cursor_goto_first_child(&Cursor))
    return;
  do {
    Out.push_back({ts_tree_cursor_current_node(&Cursor),
                   fieldOf(ts_tree_cursor_current_field_id(&Cursor))});
  } while (ts_tree_cursor_goto_next_sibling(&Cursor));
}

void ChildCollector::collectUnlabelled(TSNode Parent, llvm::SmallVectorImpl<ChildNode> &Out) {
  Out.clear();
  ts_tree_cursor_reset(&Cursor, Parent);
  if (!ts_tree_cursor_goto_first_child(&Cursor))
    return;
  do {
    Out.push_back({ts_tree_cursor_current_node(&Cursor), SyntaxField::None});
  } while (ts_tree_cursor_goto_next_sibling(&Cursor));
}

Parser::Parser() : Impl(ts_parser_new()) { ts_parser_set_language(Impl, tree_sitter_python()); }
Parser::~Parser() { ts_parser_delete(Impl); }

TreePtr Parser::parse(const SourceFile &Source, TSTree *OldTree) {
  llvm::StringRef Text = Source.text();
  TSRange Whole{{0, 0}, {UINT32_MAX, UINT32_MAX}, Source.hasBom() ? 3u : 0u, UINT32_MAX};
  if (Source.hasBom())
    Whole.start_point = {0, 3};
  ts_parser_set_included_ranges(Impl, &Whole, 1);
  // Python also ends lines at a lone \r (old Mac files); the grammar knows only \n and \r\n.
  // Rewriting \r to \n keeps every byte offset, so the rare file that needs it parses a copy.
  std::string Copy;
  for (size_t I = Text.find('\r'); I != llvm::StringRef::npos; I = Text.find('\r', I + 1)) {
    if (I + 1 < Text.size() && Text[I + 1] == '\n')
      continue;
    if (Copy.empty())
      Copy = Text.str();
    Copy[I] = '\n';
  }
  const char *Data = Copy.empty() ? Text.data() : Copy.data();
  return TreePtr(ts_parser_parse_string(Impl, OldTree, Data, static_cast<uint32_t>(Text.size())));
}

} // namespace memlint
