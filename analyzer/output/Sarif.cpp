#include "analyzer/output/Output.h"

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

llvm::json::Object physicalLocation(llvm::StringRef Path, Position Start, Position End) {
  return llvm::json::Object{
      {"artifactLocation", llvm::json::Object{{"uri", Path}}},
      {"region", region(Start, End)},
  };
}

} // namespace

void renderSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags, const RuleRegistry &Rules) {
  llvm::json::Array RuleArray;
  llvm::StringMap<size_t> RuleIndex;
  for (const RuleInfo *Info : Rules.allInfos()) {
    RuleIndex[Info->Code] = RuleArray.size();
    llvm::StringRef Full = Info->Doc.take_front(1024);
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
           llvm::json::Array{llvm::json::Object{{"artifactLocation", llvm::json::Object{{"uri", D.Path}}},
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
       }}},
  };
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Log))) << '\n';
}

} // namespace memlint
