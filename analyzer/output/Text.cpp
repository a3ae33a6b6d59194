#include "analyzer/output/Output.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/WithColor.h"

#include <map>

namespace memlint {

std::optional<OutputFormat> parseOutputFormat(llvm::StringRef Name) {
  if (Name == "text")
    return OutputFormat::Text;
  if (Name == "json")
    return OutputFormat::Json;
  if (Name == "sarif")
    return OutputFormat::Sarif;
  if (Name == "github")
    return OutputFormat::Github;
  return std::nullopt;
}

std::string ruleDocUrl(llvm::StringRef Code) {
  std::string Family = Code.take_while([](char C) { return C >= 'A' && C <= 'Z'; }).lower();
  return "https://memlint.dev/rules/" + Family + "/" + Code.str();
}

void renderText(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags, const RenderStats &Stats,
                bool Color) {
  size_t Fixable = 0;
  for (const Diagnostic &D : Diags) {
    bool SafeFix = D.FixIt && D.FixIt->Safety == Applicability::Safe;
    Fixable += SafeFix;
    if (Color)
      OS.changeColor(llvm::raw_ostream::WHITE, /*Bold=*/true);
    OS << D.Path << ':' << D.Start.Line << ':' << D.Start.Column << ':';
    if (Color)
      OS.resetColor();
    OS << ' ';
    if (Color)
      OS.changeColor(D.Level == Severity::Error ? llvm::raw_ostream::RED : llvm::raw_ostream::YELLOW,
                     /*Bold=*/true);
    OS << D.Code;
    if (Color)
      OS.resetColor();
    OS << (SafeFix ? " [*] " : " ") << D.Message << '\n';
    for (const RelatedLocation &R : D.Related)
      OS << "    " << R.Path << ':' << R.Start.Line << ':' << R.Start.Column << ": note: "
         << R.Message << '\n';
  }
  if (Stats.ShowStatistics)
    renderStatistics(OS, Diags);
  if (Diags.empty()) {
    OS << "All checks passed! (" << Stats.FilesChecked << (Stats.FilesChecked == 1 ? " file" : " files")
       << " checked)\n";
    return;
  }
  OS << "Found " << Diags.size() << (Diags.size() == 1 ? " finding" : " findings") << " in "
     << Stats.FilesChecked << (Stats.FilesChecked == 1 ? " file" : " files") << " checked.";
  if (Fixable)
    OS << " [*] " << Fixable << " with a safe fix.";
  OS << '\n';
}

void renderStatistics(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags) {
  std::map<std::pair<std::string, std::string>, size_t> Counts;
  for (const Diagnostic &D : Diags)
    ++Counts[{D.Code.str(), D.Name.str()}];
  std::vector<std::pair<size_t, std::pair<std::string, std::string>>> Sorted;
  for (auto &[Key, Count] : Counts)
    Sorted.push_back({Count, Key});
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const auto &A, const auto &B) { return A.first > B.first; });
  for (auto &[Count, Key] : Sorted)
    OS << llvm::format("%6zu", Count) << "  " << Key.first << "  " << Key.second << '\n';
}

} // namespace memlint
