#include "analyzer/output/Output.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>

namespace memlint {

namespace {

// Workflow commands: data escapes %, CR, LF; properties also escape `:` and `,`.
std::string escapeData(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '%')
      Out += "%25";
    else if (C == '\r')
      Out += "%0D";
    else if (C == '\n')
      Out += "%0A";
    else
      Out += C;
  }
  return Out;
}

std::string escapeProperty(llvm::StringRef S) {
  std::string Out;
  for (char C : escapeData(S)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}

} // namespace

void renderGithub(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags) {
  for (const Diagnostic &D : Diags) {
    llvm::StringRef Command = D.Level == Severity::Error     ? "error"
                              : D.Level == Severity::Warning ? "warning"
                                                             : "notice";
    OS << "::" << Command << " title=" << escapeProperty((llvm::Twine("memlint (") + D.Code + ")").str())
       << ",file=" << escapeProperty(D.Path) << ",line=" << D.Start.Line;
    // GitHub keeps columns only for a range on one line (check-run annotations reject
    // start/end columns on different lines), so a multi-line range is given by lines alone.
    if (D.End.Line == D.Start.Line)
      OS << ",col=" << D.Start.Column << ",endLine=" << D.End.Line << ",endColumn=" << D.End.Column;
    else
      OS << ",endLine=" << std::max(D.End.Line, D.Start.Line);
    OS << "::";
    std::string Message = D.Path + ":" + std::to_string(D.Start.Line) + ":" +
                          std::to_string(D.Start.Column) + ": " + D.Code.str() + " " + D.Message;
    for (const RelatedLocation &R : D.Related)
      Message += "\n" + R.Path + ":" + std::to_string(R.Start.Line) + ":" +
                 std::to_string(R.Start.Column) + ": note: " + R.Message;
    OS << escapeData(Message) << '\n';
  }
}

} // namespace memlint
