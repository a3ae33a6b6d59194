#include "analyzer/Suppress.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace memlint {

bool NoqaDirective::covers(llvm::StringRef Code) const {
  return All || llvm::is_contained(Codes, Code);
}

std::optional<NoqaDirective> parseNoqa(llvm::StringRef Line) {
  size_t Search = 0;
  while (true) {
    size_t Hash = Line.find('#', Search);
    if (Hash == llvm::StringRef::npos)
      return std::nullopt;
    Search = Hash + 1;
    llvm::StringRef Rest = Line.substr(Hash + 1).ltrim();
    if (!Rest.startswith_insensitive("noqa"))
      continue;
    Rest = Rest.drop_front(4);
    NoqaDirective D;
    llvm::StringRef AfterSpaces = Rest.ltrim();
    if (!AfterSpaces.startswith(":")) {
      D.All = true;
      return D;
    }
    Rest = AfterSpaces.drop_front().ltrim();
    // Codes: letters then digits, separated by commas and/or spaces.
    while (!Rest.empty()) {
      size_t Len = 0;
      while (Len < Rest.size() && llvm::isAlpha(Rest[Len]))
        ++Len;
      size_t Letters = Len;
      while (Len < Rest.size() && llvm::isDigit(Rest[Len]))
        ++Len;
      if (Letters == 0 || Len == Letters)
        break;
      D.Codes.push_back(Rest.take_front(Len));
      Rest = Rest.drop_front(Len).ltrim(" \t,");
    }
    if (D.Codes.empty())
      D.All = true; // `# noqa:` with nothing readable after it: flake8 treats it as blanket
    return D;
  }
}

bool hasFileExemption(llvm::StringRef Text) {
  size_t At = 0;
  while ((At = Text.find("memlint:", At)) != llvm::StringRef::npos) {
    size_t LineBegin = Text.rfind('\n', At);
    LineBegin = LineBegin == llvm::StringRef::npos ? 0 : LineBegin + 1;
    llvm::StringRef Before = Text.slice(LineBegin, At).trim();
    llvm::StringRef After = Text.substr(At + 8).take_until([](char C) { return C == '\n' || C == '\r'; }).trim();
    if (Before == "#" && After.equals_insensitive("noqa"))
      return true;
    At += 8;
  }
  return false;
}

} // namespace memlint
