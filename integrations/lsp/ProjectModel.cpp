#include "ProjectModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace memlint::lsp {

void ProjectModel::clear() {
  Loaded = false;
  Modules.clear();
  IndexByPath.clear();
}

void ProjectModel::load(const CheckContext &Ctx, Parser &P, llvm::StringRef Root) {
  clear();
  if (Ctx.ProjectRules.empty())
    return;
  Loaded = true;
  if (Root.empty())
    return;
  auto Start = std::chrono::steady_clock::now();
  Discovery Files = discoverFiles({Root.str()}, Ctx.Cfg, /*ForceExclude=*/false);
  // An editor started in a home directory names it as the root: reading every Python file
  // below would stall the server for minutes. Link the open documents only, and say so.
  if (Files.Files.size() > MaxWorkspaceModules) {
    llvm::errs() << "memlint server: " << Files.Files.size() << " Python files under " << Root
                 << " (more than " << MaxWorkspaceModules
                 << "); cross-file findings cover the open documents only\n";
    return;
  }
  for (const DiscoveredFile &File : Files.Files)
    setSummary(File.Path, checkFile(Ctx, P, File.Path).Summary);
  // The editor waits for this once, on the first check; say how long it took.
  auto Elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - Start);
  llvm::errs() << "memlint server: summarized " << Modules.size() << " modules under " << Root
               << " in " << Elapsed.count() << " ms\n";
}

void ProjectModel::setSummary(llvm::StringRef Path, std::optional<ModuleSummary> Summary) {
  auto It = IndexByPath.find(Path);
  if (Summary) {
    Summary->Path = Path.str();
    if (It != IndexByPath.end()) {
      Modules[It->second] = std::move(*Summary);
    } else {
      IndexByPath[Path] = Modules.size();
      Modules.push_back(std::move(*Summary));
    }
    return;
  }
  if (It == IndexByPath.end())
    return;
  // Swap with the last module so the vector stays contiguous.
  size_t Index = It->second;
  IndexByPath.erase(It);
  if (Index != Modules.size() - 1) {
    Modules[Index] = std::move(Modules.back());
    IndexByPath[Modules[Index].Path] = Index;
  }
  Modules.pop_back();
}

void ProjectModel::reloadFromDisk(const CheckContext &Ctx, Parser &P, llvm::StringRef Path) {
  if (!Loaded)
    return;
  if (!llvm::sys::fs::is_regular_file(Path))
    return setSummary(Path, std::nullopt);
  setSummary(Path, checkFile(Ctx, P, Path).Summary);
}

llvm::StringMap<std::vector<Diagnostic>> ProjectModel::link(const CheckContext &Ctx) const {
  llvm::StringMap<std::vector<Diagnostic>> ByPath;
  for (Diagnostic &D : checkProject(Ctx, Modules))
    ByPath[D.Path].push_back(std::move(D));
  return ByPath;
}

} // namespace memlint::lsp
