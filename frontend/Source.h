//===- Source.h - A Python source file: bytes, lines, columns --------------===//
//
// A SourceFile owns the bytes of one file. Every other layer refers to text by byte offset into
// it (StringRef slices of the buffer), and converts offsets to user-facing positions here: 1-based
// lines, 1-based columns counted in Unicode code points (as ruff and flake8 print them), or
// UTF-16 code units for LSP.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace memlint {

struct Position {
  uint32_t Line = 1;   // 1-based
  uint32_t Column = 1; // 1-based, in code points
};

struct TextRange {
  uint32_t Begin = 0; // byte offsets into the source buffer
  uint32_t End = 0;
  bool empty() const { return Begin == End; }
  bool contains(TextRange Other) const { return Begin <= Other.Begin && Other.End <= End; }
};

class SourceFile {
public:
  SourceFile(std::string Path, std::string Text);

  llvm::StringRef path() const { return Path; }
  llvm::StringRef text() const { return Text; }
  llvm::StringRef slice(TextRange R) const { return llvm::StringRef(Text).slice(R.Begin, R.End); }

  /// Python ends lines at \n, \r\n and a lone \r; so does this index.
  uint32_t lineCount() const { return static_cast<uint32_t>(LineStarts.size()); }
  uint32_t lineStart(uint32_t Line) const; // 1-based line -> byte offset
  uint32_t lineEnd(uint32_t Line) const;   // byte offset of the line's terminator (or EOF)
  llvm::StringRef lineText(uint32_t Line) const;
  uint32_t lineOf(uint32_t Offset) const;

  Position position(uint32_t Offset) const;
  /// LSP positions: 0-based line, column in UTF-16 code units.
  Position utf16Position(uint32_t Offset) const;
  /// Inverse of utf16Position (clamped to the line's end).
  uint32_t offsetOfUtf16(uint32_t Line0, uint32_t Utf16Column) const;

  bool hasBom() const { return llvm::StringRef(Text).startswith("\xEF\xBB\xBF"); }

private:
  std::string Path;
  std::string Text;
  std::vector<uint32_t> LineStarts;
};

/// Returns the offset of the first byte that is not valid UTF-8, or npos if all of it is.
size_t findInvalidUtf8(llvm::StringRef Text);

} // namespace memlint

namespace memlint {

/// The outcome of turning a file's bytes into analyzable UTF-8 text.
struct DecodedSource {
  std::string Text;         // UTF-8; on error, the original bytes (to locate ErrorOffset)
  bool Transcoded = false;  // decoded from a PEP 263 encoding: offsets differ from the file's
  std::string Encoding;     // the declared encoding, when there is a cookie
  std::string Error;        // non-empty: CPython would reject the file with this SyntaxError
  uint32_t ErrorOffset = 0; // byte offset of the problem in the original bytes
};

/// Decodes source bytes the way CPython's tokenizer does: UTF-8 by default (a UTF-8 BOM is
/// kept), or the encoding named by a coding cookie on one of the first two lines. Reports
/// UTF-16 files, invalid UTF-8 and unknown encodings as errors, as CPython does.
DecodedSource decodeSource(std::string Bytes);

} // namespace memlint
