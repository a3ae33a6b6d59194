//===- EncodingTest.cpp - checkEncoding: what must be rejected before parsing ===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

std::optional<SyntaxError> check(llvm::StringRef Bytes) {
  return checkEncoding(SourceFile("t.py", Bytes.str()));
}

TEST(CheckEncoding, AcceptsUtf8) {
  EXPECT_FALSE(check("x = 1\n"));
  EXPECT_FALSE(check("s = '\xC3\xA9\xF0\x9F\x98\x80'\n"));
  EXPECT_FALSE(check(""));
}

TEST(CheckEncoding, AcceptsUtf8Bom) { EXPECT_FALSE(check("\xEF\xBB\xBFx = 1\n")); }

TEST(CheckEncoding, ReportsInvalidUtf8AtTheBadByte) {
  auto E = check("x = 1\ns = '\xE9'\n");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Range.Begin, 11u);
  EXPECT_EQ(E->Range.End, 12u);
  EXPECT_NE(E->Message.find("0xe9"), std::string::npos) << E->Message;
  EXPECT_NE(E->Message.find("UTF-8"), std::string::npos) << E->Message;
  EXPECT_EQ(E->Message.find("declares"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, NamesTheCodingCookieOnLineOne) {
  auto E = check("# -*- coding: latin-1 -*-\ns = '\xE9'\n");
  ASSERT_TRUE(E);
  EXPECT_NE(E->Message.find("`latin-1`"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, NamesTheCodingCookieOnLineTwo) {
  auto E = check("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '\xE9'\n");
  ASSERT_TRUE(E);
  EXPECT_NE(E->Message.find("`cp1252`"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, IgnoresCookiesAfterLineTwo) {
  // PEP 263 only looks at the first two lines.
  auto E = check("x = 1\ny = 2\n# coding: latin-1\ns = '\xE9'\n");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message.find("latin-1"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, IgnoresTheWordCodingOutsideAComment) {
  auto E = check("coding = 'x'\ns = '\xE9'\n");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message.find("declares"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, ReportsUtf16ByteOrderMarks) {
  for (llvm::StringRef Bom : {llvm::StringRef("\xFF\xFE"), llvm::StringRef("\xFE\xFF")}) {
    std::string Bytes = Bom.str() + std::string("x\0 \0", 4);
    auto E = check(Bytes);
    ASSERT_TRUE(E);
    EXPECT_EQ(E->Range.Begin, 0u);
    EXPECT_EQ(E->Range.End, 2u);
    EXPECT_NE(E->Message.find("UTF-16"), std::string::npos) << E->Message;
  }
}

TEST(CheckEncoding, ReportsNulBytes) {
  auto E = check(llvm::StringRef("x = 1\n\0y = 2\n", 13));
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Range.Begin, 6u);
  EXPECT_EQ(E->Range.End, 7u);
  EXPECT_NE(E->Message.find("null bytes"), std::string::npos) << E->Message;
}

TEST(CheckEncoding, InvalidUtf8IsReportedBeforeALaterNul) {
  auto E = check(llvm::StringRef("\xE9\0", 2));
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Range.Begin, 0u);
  EXPECT_NE(E->Message.find("UTF-8"), std::string::npos) << E->Message;
}

TEST(DecodeSource, Utf8PassesThrough) {
  DecodedSource D = decodeSource("s = '\xC3\xA9'\n");
  EXPECT_TRUE(D.Error.empty()) << D.Error;
  EXPECT_FALSE(D.Transcoded);
  EXPECT_EQ(D.Text, "s = '\xC3\xA9'\n");
  EXPECT_TRUE(D.Encoding.empty());
}

TEST(DecodeSource, KeepsTheUtf8Bom) {
  DecodedSource D = decodeSource("\xEF\xBB\xBFx = 1\n");
  EXPECT_TRUE(D.Error.empty()) << D.Error;
  EXPECT_EQ(D.Text, "\xEF\xBB\xBFx = 1\n");
}

TEST(DecodeSource, RejectsUtf16) {
  DecodedSource D = decodeSource(std::string("\xFF\xFEx\0", 4));
  EXPECT_NE(D.Error.find("UTF-16"), std::string::npos) << D.Error;
}

TEST(DecodeSource, InvalidUtf8WithoutCookie) {
  DecodedSource D = decodeSource("x = 1\ns = '\xE9'\n");
  ASSERT_FALSE(D.Error.empty());
  EXPECT_EQ(D.ErrorOffset, 11u);
  EXPECT_NE(D.Error.find("e9"), std::string::npos) << D.Error;
  EXPECT_EQ(D.Text, "x = 1\ns = '\xE9'\n"); // the bytes, to locate the error
}

TEST(DecodeSource, TranscodesADeclaredEncoding) {
  DecodedSource D = decodeSource("# -*- coding: latin-1 -*-\ns = '\xE9'\n");
  EXPECT_TRUE(D.Error.empty()) << D.Error;
  EXPECT_TRUE(D.Transcoded);
  EXPECT_EQ(D.Encoding, "latin-1");
  EXPECT_EQ(D.Text, "# -*- coding: latin-1 -*-\ns = '\xC3\xA9'\n");
}

TEST(DecodeSource, CookieOnLineTwoAfterABlankLine) {
  DecodedSource D = decodeSource("\n# -*- coding: cp1252 -*-\ns = '\x80'\n");
  EXPECT_TRUE(D.Error.empty()) << D.Error;
  EXPECT_EQ(D.Encoding, "cp1252");
  EXPECT_NE(D.Text.find("\xE2\x82\xAC"), std::string::npos); // 0x80 is the euro sign
}

TEST(DecodeSource, CookieAfterCodeOnLineOneIsIgnored) {
  // CPython reads line 2 for a cookie only when line 1 is blank or a comment.
  DecodedSource D = decodeSource("x = 1\n# coding: latin-1\ns = '\xE9'\n");
  EXPECT_FALSE(D.Error.empty());
  EXPECT_FALSE(D.Transcoded);
}

TEST(DecodeSource, Utf8CookieStillRequiresValidUtf8) {
  DecodedSource D = decodeSource("# coding: utf-8\ns = '\xE9'\n");
  EXPECT_FALSE(D.Error.empty());
  EXPECT_FALSE(D.Transcoded);
}

TEST(DecodeSource, UnknownEncodingWithNonAsciiBytes) {
  DecodedSource D = decodeSource("# coding: no-such-encoding\ns = '\xE9'\n");
  EXPECT_NE(D.Error.find("unknown encoding"), std::string::npos) << D.Error;
}

} // namespace
