#include "frontend/Source.h"

#include <algorithm>

namespace memlint {

SourceFile::SourceFile(std::string P, std::string T) : Path(std::move(P)), Text(std::move(T)) {
  LineStarts.push_back(0);
  const size_t N = Text.size();
  for (size_t I = 0; I < N; ++I) {
    char C = Text[I];
    if (C == '\n') {
      LineStarts.push_back(static_cast<uint32_t>(I + 1));
    } else if (C == '\r') {
      if (I + 1 < N && Text[I + 1] == '\n')
        ++I;
      LineStarts.push_back(static_cast<uint32_t>(I + 1));
    }
  }
}

uint32_t SourceFile::lineOf(uint32_t Offset) const {
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  return static_cast<uint32_t>(It - LineStarts.begin()); // 1-based
}

uint32_t SourceFile::lineStart(uint32_t Line) const {
  if (Line == 0)
    return 0;
  if (Line > LineStarts.size())
    return static_cast<uint32_t>(Text.size());
  return LineStarts[Line - 1];
}

uint32_t SourceFile::lineEnd(uint32_t Line) const {
  uint32_t End = Line < LineStarts.size() ? LineStarts[Line] : static_cast<uint32_t>(Text.size());
  uint32_t Begin = lineStart(Line);
  while (End > Begin && (Text[End - 1] == '\n' || Text[End - 1] == '\r'))
    --End;
  return End;
}

llvm::StringRef SourceFile::lineText(uint32_t Line) const {
  return llvm::StringRef(Text).slice(lineStart(Line), lineEnd(Line));
}

static bool isContinuationByte(char C) { return (static_cast<unsigned char>(C) & 0xC0) == 0x80; }

/// Where columns start counting on a line: a UTF-8 BOM is invisible to users (Python, flake8 and
/// editors drop it), so the first character after it is column 1 (LSP character 0).
static uint32_t firstColumnOffset(const SourceFile &S, uint32_t Line) {
  uint32_t Start = S.lineStart(Line);
  return Line == 1 && S.hasBom() ? Start + 3 : Start;
}

Position SourceFile::position(uint32_t Offset) const {
  Offset = std::min<uint32_t>(Offset, static_cast<uint32_t>(Text.size()));
  uint32_t Line = lineOf(Offset);
  uint32_t Column = 1;
  for (uint32_t I = firstColumnOffset(*this, Line); I < Offset; ++I)
    if (!isContinuationByte(Text[I]))
      ++Column;
  return {Line, Column};
}

Position SourceFile::utf16Position(uint32_t Offset) const {
  Offset = std::min<uint32_t>(Offset, static_cast<uint32_t>(Text.size()));
  uint32_t Line = lineOf(Offset);
  uint32_t Units = 0;
  for (uint32_t I = firstColumnOffset(*this, Line); I < Offset; ++I) {
    unsigned char C = static_cast<unsigned char>(Text[I]);
    if ((C & 0xC0) == 0x80)
      continue;
    Units += C >= 0xF0 ? 2 : 1; // 4-byte sequences are surrogate pairs in UTF-16
  }
  return {Line - 1, Units};
}

uint32_t SourceFile::offsetOfUtf16(uint32_t Line0, uint32_t Utf16Column) const {
  if (Line0 >= LineStarts.size())
    return static_cast<uint32_t>(Text.size());
  uint32_t I = firstColumnOffset(*this, Line0 + 1);
  uint32_t End = lineEnd(Line0 + 1);
  uint32_t Units = 0;
  while (I < End && Units < Utf16Column) {
    unsigned char C = static_cast<unsigned char>(Text[I]);
    unsigned Len = C < 0x80 ? 1 : C < 0xE0 ? 2 : C < 0xF0 ? 3 : 4;
    Units += Len == 4 ? 2 : 1;
    I += Len;
  }
  return std::min(I, End);
}

size_t findInvalidUtf8(llvm::StringRef Text) {
  const auto *S = reinterpret_cast<const unsigned char *>(Text.data());
  const size_t N = Text.size();
  size_t I = 0;
  while (I < N) {
    unsigned char C = S[I];
    if (C < 0x80) {
      ++I;
      continue;
    }
    size_t Len;
    uint32_t Min;
    if ((C & 0xE0) == 0xC0) {
      Len = 2;
      Min = 0x80;
    } else if ((C & 0xF0) == 0xE0) {
      Len = 3;
      Min = 0x800;
    } else if ((C & 0xF8) == 0xF0) {
      Len = 4;
      Min = 0x10000;
    } else {
      return I;
    }
    if (I + Len > N)
      return I;
    uint32_t Code = C & (0x7F >> Len);
    for (size_t K = 1; K < Len; ++K) {
      if ((S[I + K] & 0xC0) != 0x80)
        return I;
      Code = (Code << 6) | (S[I + K] & 0x3F);
    }
    if (Code < Min || Code > 0x10FFFF || (Code >= 0xD800 && Code <= 0xDFFF))
      return I;
    I += Len;
  }
  return llvm::StringRef::npos;
}

} // namespace memlint

#include <cerrno>
#include <iconv.h>

namespace memlint {

namespace {

/// PEP 263: `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line 1 or 2 (line 2 only if line 1 is
/// blank or a comment).
std::string findCodingCookie(llvm::StringRef Text) {
  for (int LineNo = 0; LineNo < 2 && !Text.empty(); ++LineNo) {
    size_t Eol = Text.find_first_of("\r\n");
    llvm::StringRef Line = Text.substr(0, Eol);
    Text = Eol == llvm::StringRef::npos ? llvm::StringRef() : Text.substr(Eol + 1);
    llvm::StringRef Trimmed = Line.ltrim(" \t\f");
    if (!Trimmed.startswith("#")) {
      if (!Trimmed.trim().empty())
        return {}; // code on line 1: no cookie on line 2 either
      continue;
    }
    size_t At = Trimmed.find("coding");
    if (At == llvm::StringRef::npos || At + 6 >= Trimmed.size())
      continue;
    if (Trimmed[At + 6] != ':' && Trimmed[At + 6] != '=')
      continue;
    llvm::StringRef Name = Trimmed.substr(At + 7).ltrim(" \t").take_while([](char C) {
      return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9') ||
             C == '-' || C == '_' || C == '.';
    });
    if (!Name.empty())
      return Name.lower();
  }
  return {};
}

bool isUtf8Name(llvm::StringRef Name) {
  std::string N = Name.lower();
  std::replace(N.begin(), N.end(), '_', '-');
  return N == "utf-8" || N == "utf8" || N.rfind("utf-8-", 0) == 0;
}

std::string iconvName(std::string Name) {
  std::replace(Name.begin(), Name.end(), '_', '-');
  if (Name == "latin-1" || Name == "latin1" || Name == "l1")
    return "ISO-8859-1";
  if (Name == "ascii" || Name == "us-ascii")
    return "ASCII";
  return Name;
}

} // namespace

DecodedSource decodeSource(std::string Bytes) {
  DecodedSource Out;
  llvm::StringRef Text(Bytes);
  if (Text.startswith("\xFF\xFE") || Text.startswith("\xFE\xFF")) {
    Out.Error = "file is UTF-16 encoded (byte order mark); Python source must be UTF-8 or "
                "declare an 8-bit encoding";
    return Out;
  }
  std::string Cookie = findCodingCookie(Text.startswith("\xEF\xBB\xBF") ? Text.drop_front(3) : Text);
  Out.Encoding = Cookie;
  bool Ascii = llvm::all_of(Text, [](char C) { return (static_cast<unsigned char>(C) & 0x80) == 0; });
  if (Cookie.empty() || isUtf8Name(Cookie) || Ascii) {
    size_t Bad = findInvalidUtf8(Text);
    if (Bad != llvm::StringRef::npos) {
      char Hex[8];
      snprintf(Hex, sizeof Hex, "%02x", static_cast<unsigned char>(Text[Bad]));
      // A file without a cookie gets CPython's wording; one that declares UTF-8 must not be
      // told that it declares no encoding.
      Out.Error = Cookie.empty() ? std::string("Non-UTF-8 code starting with '\\x") + Hex +
                                       "' and no encoding declared; memlint reads Python "
                                       "source as UTF-8"
                                 : std::string("(unicode error) invalid UTF-8 byte '\\x") + Hex +
                                       "' in a file that declares `" + Cookie + "`";
      Out.ErrorOffset = static_cast<uint32_t>(Bad);
      Out.Text = std::move(Bytes); // kept so the caller can locate the error
      return Out;
    }
    Out.Text = std::move(Bytes);
    return Out;
  }
  iconv_t Converter = iconv_open("UTF-8", iconvName(Cookie).c_str());
  if (Converter == reinterpret_cast<iconv_t>(-1)) {
    Out.Error = "unknown encoding: " + Cookie;
    return Out;
  }
  std::string Result(Bytes.size() * 4 + 16, '\0');
  char *In = Bytes.data();
  size_t InLeft = Bytes.size();
  char *Dst = Result.data();
  size_t OutLeft = Result.size();
  size_t Rc = iconv(Converter, &In, &InLeft, &Dst, &OutLeft);
  iconv_close(Converter);
  if (Rc == static_cast<size_t>(-1)) {
    Out.Error = "(unicode error) the file is not valid " + Cookie;
    Out.ErrorOffset = static_cast<uint32_t>(In - Bytes.data());
    Out.Text = std::move(Bytes);
    return Out;
  }
  Result.resize(Result.size() - OutLeft);
  Out.Text = std::move(Result);
  Out.Transcoded = true;
  return Out;
}

} // namespace memlint
