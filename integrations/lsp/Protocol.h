//===- Protocol.h - the slice of LSP types memlint's server reads ----------===//
//
// Parameters are decoded with llvm::json's fromJSON/ObjectMapper, so a malformed request is
// answered with InvalidParams naming the offending field instead of being half-understood.
// Positions are LSP's: 0-based lines, characters in UTF-16 code units.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace memlint::lsp {

enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestCancelled = -32800,
};

struct LspPosition {
  uint32_t Line = 0;
  uint32_t Character = 0; // UTF-16 code units
};

inline bool operator<(LspPosition A, LspPosition B) {
  return A.Line < B.Line || (A.Line == B.Line && A.Character < B.Character);
}
inline bool operator<=(LspPosition A, LspPosition B) { return !(B < A); }
inline bool operator==(LspPosition A, LspPosition B) {
  return A.Line == B.Line && A.Character == B.Character;
}

struct LspRange {
  LspPosition Start, End;
  /// Touching ranges overlap too: a cursor at a finding's end still reaches its actions.
  bool overlaps(const LspRange &Other) const { return Start <= Other.End && Other.Start <= End; }
  bool operator==(const LspRange &Other) const { return Start == Other.Start && End == Other.End; }
};

struct TextDocumentIdentifier {
  std::string Uri;
};

struct TextDocumentItem {
  std::string Uri;
  std::string LanguageId;
  int64_t Version = 0;
  std::string Text;
};

struct VersionedTextDocumentIdentifier {
  std::string Uri;
  int64_t Version = 0;
};

struct ContentChange {
  llvm::Optional<LspRange> Range; // absent: Text replaces the whole document
  std::string Text;
};

struct DidOpenParams {
  TextDocumentItem TextDocument;
};

struct DidChangeParams {
  VersionedTextDocumentIdentifier TextDocument;
  std::vector<ContentChange> ContentChanges;
};

/// didSave and didClose carry only the document (memlint asks for no text on save).
struct DocumentParams {
  TextDocumentIdentifier TextDocument;
};

/// A diagnostic as the client echoes it back in a code action request: enough to recognise
/// which of the server's findings it is.
struct DiagnosticRef {
  std::string Code;
  LspRange Range;
  /// The `data` memlint attached when publishing: which check of the document and which finding
  /// of it. Clients return it untouched, unlike ranges, which some convert back lossily.
  llvm::Optional<int64_t> CheckedVersion, Index;
};

struct CodeActionParams {
  TextDocumentIdentifier TextDocument;
  LspRange Range;
  std::vector<DiagnosticRef> Diagnostics; // context.diagnostics that carry a string code
  std::vector<std::string> Only;          // empty: every kind
};

/// `memlint.select` / `memlint.ignore` from the editor, replacing and extending the project's.
struct EditorSettings {
  std::vector<std::string> Select;
  std::vector<std::string> Ignore;
  bool operator==(const EditorSettings &Other) const {
    return Select == Other.Select && Ignore == Other.Ignore;
  }
};

enum class FileChangeType : int { Created = 1, Changed = 2, Deleted = 3 };

struct FileEvent {
  std::string Uri;
  int Type = 0;
};

struct DidChangeWatchedFilesParams {
  std::vector<FileEvent> Changes;
};

bool fromJSON(const llvm::json::Value &V, LspPosition &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, LspRange &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, TextDocumentIdentifier &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, TextDocumentItem &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, VersionedTextDocumentIdentifier &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, ContentChange &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, DidOpenParams &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, DidChangeParams &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, DocumentParams &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, CodeActionParams &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, FileEvent &Out, llvm::json::Path P);
bool fromJSON(const llvm::json::Value &V, DidChangeWatchedFilesParams &Out, llvm::json::Path P);

/// Reads `{select, ignore}` (each a list of selectors or one comma-separated string). Absent
/// keys leave Out unchanged; anything else present but malformed is an error.
bool fromJSON(const llvm::json::Value &V, EditorSettings &Out, llvm::json::Path P);

/// `"Key": {"start": {"line", "character"}, "end": {...}}`, streamed: publishDiagnostics writes
/// hundreds of ranges per keystroke in a large file, and no json::Object needs building.
void writeRange(llvm::json::OStream &J, llvm::StringRef Key, const LspRange &R);
/// `"Key": "Text"` for text memlint produced from a decoded (valid UTF-8) source. json::Value
/// would copy and re-validate the string, and json::quote writes it a byte at a time; this
/// escapes in runs.
void writeString(llvm::json::OStream &J, llvm::StringRef Key, llvm::StringRef Text);

/// The file system path of a `file:` URI (percent-decoded); empty for other schemes.
std::string uriToPath(llvm::StringRef Uri);
/// A `file://` URI for an absolute path.
std::string pathToUri(llvm::StringRef Path);

} // namespace memlint::lsp
