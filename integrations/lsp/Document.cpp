#include "Document.h"

#include <utility>

namespace memlint::lsp {

namespace {

/// tree-sitter's point for a byte offset: 0-based row, column in bytes.
TSPoint pointAt(const SourceFile &Source, uint32_t Offset) {
  uint32_t Line = Source.lineOf(Offset);
  return {Line - 1, Offset - Source.lineStart(Line)};
}

} // namespace

LspRange toLspRange(const SourceFile &Source, TextRange Range) {
  Position Start = Source.utf16Position(Range.Begin);
  Position End = Source.utf16Position(Range.End);
  return {{Start.Line, Start.Column}, {End.Line, End.Column}};
}

Document::Document(std::string Uri, std::string Path, int64_t Version, std::string Text)
    : Uri(std::move(Uri)), Version(Version),
      Source(std::make_shared<const SourceFile>(std::move(Path), std::move(Text))) {}

void Document::applyChange(const ContentChange &Change) {
  const SourceFile &Old = *Source;
  if (!Change.Range) {
    Source = std::make_shared<const SourceFile>(Old.path().str(), Change.Text);
    Tree.reset();
    return;
  }
  // Positions past a line's end mean the line's end, and past the last line the document's
  // end (LSP's rule); offsetOfUtf16 clamps the same way.
  uint32_t Begin = Old.offsetOfUtf16(Change.Range->Start.Line, Change.Range->Start.Character);
  uint32_t End = Old.offsetOfUtf16(Change.Range->End.Line, Change.Range->End.Character);
  if (End < Begin)
    std::swap(Begin, End);
  llvm::StringRef Text = Old.text();
  std::string NewText;
  NewText.reserve(Text.size() - (End - Begin) + Change.Text.size());
  NewText.append(Text.data(), Begin);
  NewText.append(Change.Text);
  NewText.append(Text.data() + End, Text.size() - End);
  auto New = std::make_shared<const SourceFile>(Old.path().str(), std::move(NewText));
  if (Tree) {
    uint32_t NewEnd = Begin + static_cast<uint32_t>(Change.Text.size());
    TSInputEdit Edit{
        Begin, End, NewEnd, pointAt(Old, Begin), pointAt(Old, End), pointAt(*New, NewEnd)};
    ts_tree_edit(Tree.get(), &Edit);
  }
  Source = std::move(New);
}

} // namespace memlint::lsp
