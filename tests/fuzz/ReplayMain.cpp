//===- ReplayMain.cpp - run fuzz inputs through a target without libFuzzer -===//
//
// The normal (GCC) build links each fuzz target with this main instead of libFuzzer, so every
// input that once crashed a target, and a sample of seeds, is replayed by `make test`:
//
//   fuzz_<target>_replay FILE-OR-DIRECTORY...
//
// Directories are walked recursively (in sorted order; dot-files are skipped). A crash or an
// abort of the target fails the test; otherwise this prints how many inputs ran.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path &P) { return P.filename().string().rfind('.', 0) == 0; }

void collect(const fs::path &P, std::vector<fs::path> &Out) {
  if (!fs::is_directory(P)) {
    Out.push_back(P);
    return;
  }
  for (auto It = fs::recursive_directory_iterator(P); It != fs::recursive_directory_iterator();
       ++It) {
    if (hidden(It->path())) {
      if (It->is_directory())
        It.disable_recursion_pending();
      continue;
    }
    if (It->is_regular_file())
      Out.push_back(It->path());
  }
}

} // namespace

int main(int Argc, char **Argv) {
  std::vector<fs::path> Inputs;
  for (int I = 1; I < Argc; ++I) {
    if (!fs::exists(Argv[I])) {
      std::fprintf(stderr, "no such file or directory: %s\n", Argv[I]);
      return 2;
    }
    collect(Argv[I], Inputs);
  }
  std::sort(Inputs.begin(), Inputs.end());
  for (const fs::path &P : Inputs) {
    std::ifstream In(P, std::ios::binary);
    std::string Bytes((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    if (!In.good() && !In.eof()) {
      std::fprintf(stderr, "cannot read %s\n", P.c_str());
      return 2;
    }
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", P.c_str(), Bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(Bytes.data()), Bytes.size());
  }
  std::printf("replayed %zu inputs\n", Inputs.size());
  return 0;
}
