//===- SourceTest.cpp - SourceFile line index, columns and UTF-8 checks ----===//

#include "frontend/Source.h"

#include <gtest/gtest.h>

using llvm::StringRef;
using memlint::findInvalidUtf8;
using memlint::Position;
using memlint::SourceFile;

namespace {

// A copy, so EXPECT_EQ does not odr-use llvm::StringRef::npos (LLVM 14 defines it out of line,
// which clashes with the inline definition C++17 emits in every user).
constexpr size_t NotFound = ~size_t(0);
static_assert(NotFound == StringRef::npos);

TEST(SourceLines, LineFeedEndsLines) {
  SourceFile S("t.py", "ab\ncd\nef");
  ASSERT_EQ(S.lineCount(), 3u);
  EXPECT_EQ(S.lineStart(1), 0u);
  EXPECT_EQ(S.lineStart(2), 3u);
  EXPECT_EQ(S.lineStart(3), 6u);
  EXPECT_EQ(S.lineEnd(1), 2u);
  EXPECT_EQ(S.lineEnd(3), 8u);
  EXPECT_EQ(S.lineText(2), "cd");
  EXPECT_EQ(S.lineText(3), "ef");
}

TEST(SourceLines, CarriageReturnLineFeedIsOneTerminator) {
  SourceFile S("t.py", "ab\r\ncd\r\n");
  // Two lines plus the empty line after the final terminator; \r\n never counts twice.
  ASSERT_EQ(S.lineCount(), 3u);
  EXPECT_EQ(S.lineStart(2), 4u);
  EXPECT_EQ(S.lineEnd(1), 2u);
  EXPECT_EQ(S.lineText(1), "ab");
  EXPECT_EQ(S.lineText(2), "cd");
  EXPECT_EQ(S.lineText(3), "");
  EXPECT_EQ(S.lineOf(2), 1u); // the \r belongs to line 1
  EXPECT_EQ(S.lineOf(3), 1u); // and so does the \n
  EXPECT_EQ(S.lineOf(4), 2u);
}

TEST(SourceLines, LoneCarriageReturnEndsALine) {
  SourceFile S("t.py", "a\rb\nc\r\nd");
  ASSERT_EQ(S.lineCount(), 4u);
  EXPECT_EQ(S.lineStart(2), 2u);
  EXPECT_EQ(S.lineStart(3), 4u);
  EXPECT_EQ(S.lineStart(4), 7u);
  EXPECT_EQ(S.lineText(1), "a");
  EXPECT_EQ(S.lineText(2), "b");
  EXPECT_EQ(S.lineText(3), "c");
  EXPECT_EQ(S.lineText(4), "d");
  EXPECT_EQ(S.position(7).Line, 4u);
}

TEST(SourceLines, ConsecutiveCarriageReturnsAreSeparateLines) {
  SourceFile S("t.py", "a\r\rb");
  ASSERT_EQ(S.lineCount(), 3u);
  EXPECT_EQ(S.lineText(2), "");
  EXPECT_EQ(S.lineText(3), "b");
}

TEST(SourceLines, EmptyFileHasOneEmptyLine) {
  SourceFile S("t.py", "");
  EXPECT_EQ(S.lineCount(), 1u);
  EXPECT_EQ(S.lineText(1), "");
  Position P = S.position(0);
  EXPECT_EQ(P.Line, 1u);
  EXPECT_EQ(P.Column, 1u);
}

TEST(SourceLines, OutOfRangeLinesClampToTheBuffer) {
  SourceFile S("t.py", "x\ny");
  EXPECT_EQ(S.lineStart(0), 0u);
  EXPECT_EQ(S.lineStart(99), 3u);
  EXPECT_EQ(S.lineText(99), "");
  // Offsets past the end clamp to the end.
  Position P = S.position(1000);
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 2u);
}

TEST(SourcePositions, LinesAndColumnsAreOneBased) {
  SourceFile S("t.py", "x = 1\nyy = 2\n");
  Position P = S.position(6); // `y` of line 2
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 1u);
  P = S.position(11); // `2`
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 6u);
}

TEST(SourcePositions, ColumnsCountCodePointsNotBytes) {
  // é is two bytes, 中 three, 😀 four: each is one column.
  std::string Text = "s = '\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80' + x\n";
  SourceFile S("t.py", Text);
  uint32_t X = static_cast<uint32_t>(Text.find('x'));
  ASSERT_EQ(X, 18u);
  Position P = S.position(X);
  EXPECT_EQ(P.Line, 1u);
  EXPECT_EQ(P.Column, 13u); // s,space,=,space,',é,中,😀,',space,+,space -> x is the 13th
}

TEST(SourcePositions, ColumnsAfterCrLfRestartPerLine) {
  SourceFile S("t.py", "\xC3\xA9\r\n\xC3\xA9x");
  Position P = S.position(6); // `x` on line 2, after a two-byte é
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 2u);
}

TEST(SourceUtf16, AsciiColumnsMatchBytesAndLinesAreZeroBased) {
  SourceFile S("t.py", "ab\ncd");
  Position P = S.utf16Position(4);
  EXPECT_EQ(P.Line, 1u);
  EXPECT_EQ(P.Column, 1u);
}

TEST(SourceUtf16, BmpCharactersAreOneUnitAstralCharactersTwo) {
  // 中 (U+4E2D, 3 bytes) is one UTF-16 unit; 😀 (U+1F600, 4 bytes) is a surrogate pair.
  std::string Text = "\xE4\xB8\xAD\xF0\x9F\x98\x80x";
  SourceFile S("t.py", Text);
  EXPECT_EQ(S.utf16Position(3).Column, 1u);
  EXPECT_EQ(S.utf16Position(7).Column, 3u);
  EXPECT_EQ(S.utf16Position(7).Line, 0u);
}

TEST(SourceUtf16, OffsetOfUtf16InvertsUtf16Position) {
  std::string Text = "a = 1\n\xC3\xA9\xF0\x9F\x98\x80z = 2\n";
  SourceFile S("t.py", Text);
  for (uint32_t Offset : {0u, 4u, 6u, 8u, 12u, 14u}) {
    Position P = S.utf16Position(Offset);
    EXPECT_EQ(S.offsetOfUtf16(P.Line, P.Column), Offset) << "offset " << Offset;
  }
  // Line 1 (0-based): é is one unit, 😀 two, so `z` is at UTF-16 column 3, byte 12.
  EXPECT_EQ(S.offsetOfUtf16(1, 3), 12u);
}

TEST(SourceUtf16, OffsetOfUtf16ClampsToTheLineEnd) {
  SourceFile S("t.py", "ab\r\ncd");
  EXPECT_EQ(S.offsetOfUtf16(0, 100), 2u); // stops before \r\n
  EXPECT_EQ(S.offsetOfUtf16(1, 100), 6u);
  EXPECT_EQ(S.offsetOfUtf16(7, 0), 6u); // a line past the end is the end of the buffer
}

TEST(SourceUtf16, OffsetOfUtf16InsideASurrogatePairDoesNotSplitTheCharacter) {
  std::string Text = "\xF0\x9F\x98\x80x";
  SourceFile S("t.py", Text);
  uint32_t Offset = S.offsetOfUtf16(0, 1); // between the two surrogates
  EXPECT_TRUE(Offset == 0u || Offset == 4u) << Offset;
}

TEST(SourceBom, HasBomDetectsUtf8Bom) {
  EXPECT_TRUE(SourceFile("t.py", "\xEF\xBB\xBFx = 1\n").hasBom());
  EXPECT_FALSE(SourceFile("t.py", "x = 1\n").hasBom());
  EXPECT_FALSE(SourceFile("t.py", "\xEF\xBB").hasBom());
}

TEST(FindInvalidUtf8, AcceptsValidText) {
  EXPECT_EQ(findInvalidUtf8(""), NotFound);
  EXPECT_EQ(findInvalidUtf8("plain ascii\n"), NotFound);
  EXPECT_EQ(findInvalidUtf8("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"),
            NotFound); // é 中 😀 U+10FFFF
}

TEST(FindInvalidUtf8, ReportsTheFirstBadByte) {
  EXPECT_EQ(findInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(findInvalidUtf8("ab\x80"), 2u);               // stray continuation byte
  EXPECT_EQ(findInvalidUtf8("a\xC3("), 1u);               // lead byte without continuation
  EXPECT_EQ(findInvalidUtf8("abc\xE4\xB8"), 3u);          // truncated at end of input
  EXPECT_EQ(findInvalidUtf8("\xC0\x80"), 0u);             // overlong NUL
  EXPECT_EQ(findInvalidUtf8("\xE0\x80\xAF"), 0u);         // overlong '/'
  EXPECT_EQ(findInvalidUtf8("x\xED\xA0\x80"), 1u);        // UTF-16 surrogate U+D800
  EXPECT_EQ(findInvalidUtf8("\xF4\x90\x80\x80"), 0u);     // above U+10FFFF
  EXPECT_EQ(findInvalidUtf8("\xC3\xA9\xE9\xC3\xA9"), 2u); // latin-1 é between valid ones
}

TEST(FindInvalidUtf8, AgreesWithPythonOnEmbeddedNul) {
  // NUL is valid UTF-8; the encoding check reports it separately.
  EXPECT_EQ(findInvalidUtf8(StringRef("a\0b", 3)), NotFound);
}

} // namespace
