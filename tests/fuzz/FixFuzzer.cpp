//===- FixFuzzer.cpp - autofixes must never break a file that parsed -------===//
//
// For a module that parses, with every rule selected:
//  - one pass of every fix, unsafe ones included (applyFixes, as `--fix --unsafe-fixes` does
//    on its first pass), must leave text that still parses;
//  - the whole fix loop (fixSource) must not refuse the file, since a refusal means some fix
//    produced text that does not parse, and must leave an analyzable text;
//  - `--add-noqa` (addNoqaDirectives) must leave text that still parses.
// fixSource guards users against a broken fix by refusing it; here any such refusal is a bug in
// a rule's fix, reported with the texts before and after.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "analyzer/Fix.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace memlint;

namespace {

constexpr llvm::StringLiteral Path = "app/fixme.py";

std::string describe(llvm::StringRef Before, llvm::StringRef After, const FileResult &R) {
  std::string Out = "before:\n" + Before.str() + "\nafter:\n" + After.str() + "\nreported:";
  for (const Diagnostic &D : R.Diagnostics)
    Out += "\n  " + std::to_string(D.Start.Line) + ":" + std::to_string(D.Start.Column) + " " +
           D.Code.str() + " " + D.Message;
  return Out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Bytes(reinterpret_cast<const char *>(Data), Size);
  fuzz::onWorkerStack([&] {
    const CheckContext &Ctx = fuzz::allRulesContext();
    Parser P;
    FileResult Original = checkSource(Ctx, P, Path, Bytes);
    if (Original.Status != FileStatus::Analyzed)
      return; // nothing to protect: fixes are only offered for files that parse
    // checkSource reports the module rules; the project rules' fixes come from checkProject.
    std::vector<Diagnostic> All = Original.Diagnostics;
    if (Original.Summary) {
      std::vector<ModuleSummary> Modules;
      Modules.push_back(*Original.Summary);
      std::vector<Diagnostic> Project = checkProject(Ctx, Modules);
      All.insert(All.end(), Project.begin(), Project.end());
    }
    fuzz::checkDiagnostics(All, Bytes.size());
    llvm::sort(All);

    AppliedEdits Pass = applyFixes(Bytes, All, FixSelection::IncludeUnsafe);
    if (Pass.FixesApplied) {
      FileResult After = checkSource(Ctx, P, Path, Pass.Text);
      if (After.Status != FileStatus::Analyzed)
        fuzz::fail("a pass of fixes turned a file that parsed into one that does not",
                   describe(Bytes, Pass.Text, After));
    }

    FixedSource Fixed = fixSource(Ctx, Path, Bytes, FixSelection::IncludeUnsafe);
    if (!Fixed.Refusal.empty())
      fuzz::fail("fixSource refused the fixes of a file that parsed", Fixed.Refusal);
    if (Fixed.Remaining.Status != FileStatus::Analyzed)
      fuzz::fail("the fix loop left a file that does not parse",
                 describe(Bytes, Fixed.Text, Fixed.Remaining));

    NoqaSource Noqa = addNoqaDirectives(P, Path, Bytes, All);
    if (Noqa.Added) {
      FileResult After = checkSource(Ctx, P, Path, Noqa.Text);
      if (After.Status != FileStatus::Analyzed)
        fuzz::fail("--add-noqa turned a file that parsed into one that does not",
                   describe(Bytes, Noqa.Text, After));
    }
  });
  return 0;
}
