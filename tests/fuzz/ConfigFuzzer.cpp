//===- ConfigFuzzer.cpp - arbitrary pyproject.toml through loadConfig ------===//
//
// loadConfig reads a path (Config.h has no from-text entry point), so each input is written to
// one scratch pyproject.toml per process, in a directory of its own. A loaded configuration
// then goes where the CLI takes it: the rule selection, and its exclude and per-file-ignores
// globs matched against a few paths.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace memlint;

namespace {

/// <temp>/memlint-config-fuzz-XXXXXX/pyproject.toml, created once.
const std::string &scratchPyproject() {
  static const std::string Path =
      fuzz::makeScratchDirectory("memlint-config-fuzz") + "/pyproject.toml";
  return Path;
}

void writeFile(const std::string &Path, llvm::StringRef Bytes) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    fuzz::fail("cannot write the scratch pyproject.toml", EC.message());
  OS << Bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  const std::string &Path = scratchPyproject();
  writeFile(Path, llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  fuzz::onWorkerStack([&] {
    const RuleRegistry &Rules = RuleRegistry::builtin();
    llvm::Expected<Config> Loaded = loadConfig(Path, Rules);
    if (!Loaded) {
      std::string Message = llvm::toString(Loaded.takeError());
      // Every error names the file it is about.
      if (llvm::StringRef(Message).find(Path) == llvm::StringRef::npos)
        fuzz::fail("a configuration error that does not name the file", Message);
      return;
    }
    const Config &Cfg = *Loaded;
    // loadConfig validated every selector, so the selection cannot fail.
    RuleSelection Selection(Rules, Cfg.Select, Cfg.ExtendSelect, Cfg.Ignore);
    CheckContext Ctx(Rules, Cfg, Selection);
    (void)Ctx;
    llvm::SmallString<128> Dir(Path);
    llvm::sys::path::remove_filename(Dir);
    // Short and deep paths, and long names: glob matching cost grows with both.
    static constexpr llvm::StringLiteral Files[] = {
        "a.py", "src/pkg/module.py", "tests/fixtures/deep/x/y/z/test_a.pyi", "build/lib/m.py",
        "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.py"};
    for (llvm::StringLiteral Rel : Files) {
      llvm::SmallString<256> File(Dir);
      llvm::sys::path::append(File, Rel);
      for (const std::string &Pattern : Cfg.Exclude)
        (void)pathMatches(Pattern, Rel);
      for (const std::string &Pattern : Cfg.ExtendExclude)
        (void)pathMatches(Pattern, Rel);
      for (const Rule *R : Selection.enabledRules(Rules))
        (void)ignoredByPerFileIgnores(Cfg, File, R->code());
    }
  });
  return 0;
}
