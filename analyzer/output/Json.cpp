#include "analyzer/output/Output.h"

#include "llvm/Support/JSON.h"

namespace memlint {

void renderJson(llvm::raw_ostream &OS, llvm::ArrayRef<Diagnostic> Diags) {
  llvm::json::OStream J(OS, 2);
  J.array([&] {
    for (const Diagnostic &D : Diags) {
      J.object([&] {
        J.attribute("path", D.Path);
        J.attribute("line", D.Start.Line);
        J.attribute("column", D.Start.Column);
        J.attribute("end_line", D.End.Line);
        J.attribute("end_column", D.End.Column);
        J.attribute("code", D.Code);
        J.attribute("name", D.Name);
        J.attribute("message", D.Message);
        J.attribute("severity", severityName(D.Level));
        if (!D.Fingerprint.empty())
          J.attribute("fingerprint", D.Fingerprint);
        J.attributeArray("related", [&] {
          for (const RelatedLocation &R : D.Related)
            J.object([&] {
              J.attribute("path", R.Path);
              J.attribute("line", R.Start.Line);
              J.attribute("column", R.Start.Column);
              J.attribute("end_line", R.End.Line);
              J.attribute("end_column", R.End.Column);
              J.attribute("message", R.Message);
            });
        });
        if (!D.FixIt) {
          J.attribute("fix", nullptr);
          J.attribute("fix_title", nullptr);
          J.attribute("fix_applicability", nullptr);
          return;
        }
        J.attributeArray("fix", [&] {
          for (const Edit &E : D.FixIt->Edits)
            J.object([&] {
              J.attribute("line", E.Start.Line);
              J.attribute("column", E.Start.Column);
              J.attribute("end_line", E.End.Line);
              J.attribute("end_column", E.End.Column);
              J.attribute("content", E.Replacement);
            });
        });
        J.attribute("fix_title", D.FixIt->Title);
        J.attribute("fix_applicability",
                    D.FixIt->Safety == Applicability::Safe ? "safe" : "unsafe");
      });
    }
  });
  OS << '\n';
}

} // namespace memlint
