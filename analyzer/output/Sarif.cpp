#include "analyzer/output/Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace memlint {

namespace {

llvm::StringRef sarifLevel(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Info:
    return "note";
  }
  return "warning";
}

llvm::json::Object region(Position Start, Position End) {
  llvm::json::Object R{{"startLine", Start.Line}, {"startColumn", Start.Column}};
  if (End.Line >= Start.Line && End.Line > 0) {
    R["endLine"] = End.Line;
    R["endColumn"] = End.Column;
  }
  return R;
}

/// SARIF `uri`s are URI references (RFC 3986): a path with a space, `%` or `#` must be
/// percent-encoded, and a `:` in the first segment would read as a scheme.
std::string pathUri(llvm::StringRef Path) {
  std::string Out;
  for (char C : Path) {
    if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '.' || C == '_' || C == '~') {
      Out += C;
    } else {
      Out += '%';
      Out += llvm::hexdigit(static_cast<unsigned char>(C) >> 4);
      Out += llvm::hexdigit(static_cast<unsigned char>(C) & 15);
    }
  }
  return Out;
}

llvm::json::Object physicalLocation(llvm::StringRef Path, Position Start, Position End) {
  return llvm::json::Object{
      {"artifactLocation", llvm::json::Object{{"uri", pathUri(Path)}}},
      {"region", region(Start, End)},
  };
}

/// The longest prefix of a rule's documentation within Limit bytes (GitHub's limit for
/// fullDescription is 1024) that ends at a paragraph break, else at a line break, else after a
/// sentence, else at a space - never inside a word or inside a code block.
std::string descriptionWithin(llvm::StringRef Doc, size_t Limit) {
  Doc = Doc.trim();
  if (Doc.size() <= Limit)
    return Doc.str();
  llvm::StringRef Head = Doc.take_front(Limit);
  auto CutAt = [&](size_t End) {
    llvm::StringRef Cut = Head.take_front(End).rtrim();
    // An odd number of fences means the cut is inside a code block: stop before it.
    if (Cut.count("```") % 2)
      Cut = Cut.take_front(Cut.rfind("```")).rtrim();
    // A heading whose section was cut off says nothing: drop it (and a dangling "Use instead:").
    while (true) {
      size_t LineStart = Cut.rfind('\n');
      llvm::StringRef Last = Cut.substr(LineStart == llvm::StringRef::npos ? 0 : LineStart + 1);
      if (LineStart == llvm::StringRef::npos || (!Last.startswith("#") && !Last.endswith(":")))
        break;
      Cut = Cut.take_front(LineStart).rtrim();
    }
    return Cut;
  };
  for (llvm::StringRef Boundary : {"\n\n", "\n", ". "}) {
    size_t At = Head.rfind(Boundary);
    if (At != llvm::StringRef::npos && At > 0) {
      llvm::StringRef Cut = CutAt(Boundary == ". " ? At + 1 : At);
      if (!Cut.empty())
        return Cut.str();
    }
  }
  size_t Space = Head.rfind(' ');
  return CutAt(Space == llvm::StringRef::npos ? Limit : Space).str();
}

} // namespace

void renderSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags, const RuleRegistry &Rules) {
  llvm::json::Array RuleArray;
  llvm::StringMap<size_t> RuleIndex;
  for (const RuleInfo *Info : Rules.allInfos()) {
    RuleIndex[Info->Code] = RuleArray.size();
    std::string Full = descriptionWithin(Info->Doc, 1024);
    RuleArray.push_back(llvm::json::Object{
        {"id", Info->Code},
        {"name", Info->Name},
        {"shortDescription", llvm::json::Object{{"text", Info->Summary}}},
        {"fullDescription", llvm::json::Object{{"text", Full}}},
        {"help", llvm::json::Object{{"text", Info->Doc}, {"markdown", Info->Doc}}},
        {"helpUri", ruleDocUrl(Info->Code)},
        {"defaultConfiguration", llvm::json::Object{{"level", sarifLevel(Info->DefaultSeverity)}}},
        {"properties", llvm::json::Object{{"tags", llvm::json::Array{"memory", Info->Family}},
                                          {"precision", "high"}}},
    });
  }
  llvm::json::Array Results;
  llvm::StringMap<unsigned> Occurrences; // path + fingerprint -> findings so far
  for (const Diagnostic &D : Diags) {
    llvm::json::Object Result{
        {"ruleId", D.Code},
        {"level", sarifLevel(D.Level)},
        {"message", llvm::json::Object{{"text", D.Message}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{{"physicalLocation", physicalLocation(D.Path, D.Start, D.End)}}}},
    };
    auto It = RuleIndex.find(D.Code);
    if (It != RuleIndex.end())
      Result["ruleIndex"] = static_cast<int64_t>(It->second);
    if (!D.Fingerprint.empty()) {
      // Lets code scanning follow a finding across commits that move it; `:N` tells apart
      // identical findings in one file, as GitHub's own hashes do.
      unsigned N = ++Occurrences[D.Path + '\0' + D.Fingerprint];
      Result["partialFingerprints"] =
          llvm::json::Object{{"primaryLocationLineHash", D.Fingerprint + ":" + std::to_string(N)}};
    }
    if (!D.Related.empty()) {
      llvm::json::Array Related;
      int64_t Id = 1;
      for (const RelatedLocation &R : D.Related)
        Related.push_back(llvm::json::Object{
            {"id", Id++},
            {"message", llvm::json::Object{{"text", R.Message}}},
            {"physicalLocation", physicalLocation(R.Path, R.Start, R.End)},
        });
      Result["relatedLocations"] = std::move(Related);
    }
    if (D.FixIt) {
      llvm::json::Array Replacements;
      for (const Edit &E : D.FixIt->Edits)
        Replacements.push_back(llvm::json::Object{
            {"deletedRegion", region(E.Start, E.End)},
            {"insertedContent", llvm::json::Object{{"text", E.Replacement}}},
        });
      Result["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description", llvm::json::Object{{"text", D.FixIt->Title}}},
          {"artifactChanges",
           llvm::json::Array{llvm::json::Object{
               {"artifactLocation", llvm::json::Object{{"uri", pathUri(D.Path)}}},
               {"replacements", std::move(Replacements)}}}},
      }};
    }
    Results.push_back(std::move(Result));
  }
  llvm::json::Object Log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       llvm::json::Array{llvm::json::Object{
           {"tool", llvm::json::Object{{"driver", llvm::json::Object{
                                                      {"name", "memlint"},
                                                      {"version", MEMLINT_VERSION},
                                                      {"informationUri", "https://memlint.dev"},
                                                      {"rules", std::move(RuleArray)},
                                                  }}}},
           {"results", std::move(Results)},
           // Columns are counted in code points, as in the text report (SARIF's default is
           // UTF-16 code units).
           {"columnKind", "unicodeCodePoints"},
       }}},
  };
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Log))) << '\n';
}

} // namespace memlint
