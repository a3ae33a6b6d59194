//===- SourceFuzzer.cpp - arbitrary bytes through the whole check ----------===//
//
// Decoding (PEP 263, UTF-8, BOM, NUL), tree-sitter, the lowering, every module rule and the
// project phase (index, reference graph, project rules) on the summaries, exactly as
// `memlint check --select ALL` runs them.
//
// The input is one module, or several: a line `#@module` starts the next one (up to
// MaxModules), so cross-module cycles, registries and class hierarchies get exercised too. The
// modules form a package `app`, so `from app.m1 import X` resolves.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace memlint;

namespace {

constexpr size_t MaxModules = 4;

std::vector<llvm::StringRef> splitModules(llvm::StringRef Input) {
  std::vector<llvm::StringRef> Modules;
  while (Modules.size() + 1 < MaxModules) {
    size_t At = Input.find("#@module\n");
    if (At == llvm::StringRef::npos)
      break;
    Modules.push_back(Input.take_front(At));
    Input = Input.drop_front(At + 9);
  }
  Modules.push_back(Input);
  return Modules;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  fuzz::onWorkerStack([&] {
    const CheckContext &Ctx = fuzz::allRulesContext();
    Parser P;
    std::vector<ModuleSummary> Summaries;
    std::vector<llvm::StringRef> Modules = splitModules(Input);
    for (size_t I = 0; I < Modules.size(); ++I) {
      std::string Path = I == 0 ? "app/__init__.py" : "app/m" + std::to_string(I) + ".py";
      FileResult R = checkSource(Ctx, P, Path, Modules[I].str());
      // Offsets are into the decoded text, which is only longer than the bytes when transcoded;
      // transcoded results carry no fixes, and their ranges are checked against a bound.
      fuzz::checkDiagnostics(R.Diagnostics, Modules[I].size() * 4 + 4);
      if (R.Status != FileStatus::Analyzed && R.Diagnostics.empty())
        fuzz::fail("a file that was not analyzed has no diagnostic saying why");
      if (R.Summary)
        Summaries.push_back(std::move(*R.Summary));
    }
    checkProject(Ctx, Summaries);
  });
  return 0;
}
