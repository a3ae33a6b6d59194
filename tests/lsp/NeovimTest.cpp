//===- NeovimTest.cpp - `memlint server` under a real editor ---------------===//
//
// Neovim (Debian's, installed by .ci/setup) runs tests/lsp/neovim_session.lua headless: it
// starts `memlint server` as its language server for a Python buffer, reports the diagnostics
// it shows, applies memlint's quick fix and waits for the diagnostic to go away.
//
//===----------------------------------------------------------------------===//
#include "Subprocess.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace memlint::test;

namespace {

TEST(Neovim, ShowsDiagnosticsAndAppliesTheQuickFix) {
  std::string Nvim = findExecutable("nvim");
  if (Nvim.empty())
    GTEST_SKIP() << "nvim is not installed (.ci/setup installs Debian's neovim)";
  TempDir Dir;
  // Non-ASCII text before the finding: Neovim must turn memlint's UTF-16 columns into the
  // right byte columns.
  std::string File =
      Dir.write("project/app.py", "def total(xs):\n"
                                  "    label = \"naïve 😀\"; return sum([x * 2 for x in xs])\n");
  std::string Out = Dir.path() + "/result.txt";
  Environment Env = {
      "HOME=" + Dir.path() + "/home",
      "XDG_CONFIG_HOME=" + Dir.path() + "/config",
      "XDG_DATA_HOME=" + Dir.path() + "/data",
      "XDG_STATE_HOME=" + Dir.path() + "/state",
      "XDG_CACHE_HOME=" + Dir.path() + "/cache",
      "MEMLINT_BINARY=" MEMLINT_BINARY,
      "MEMLINT_NVIM_FILE=" + File,
      "MEMLINT_NVIM_OUT=" + Out,
  };
  RunResult R = runProgram({Nvim, "--headless", "-n", "-i", "NONE", "-u", "NONE", "-c",
                            "luafile " MEMLINT_SOURCE_DIR "/tests/lsp/neovim_session.lua"},
                           Env, Dir.path(), /*TimeoutSeconds=*/90);
  std::ifstream In(Out);
  std::stringstream Result;
  Result << In.rdbuf();
  ASSERT_FALSE(Result.str().empty()) << "nvim wrote no result; exit " << R.ExitCode << "\n"
                                     << R.Stdout << R.Stderr;
  EXPECT_EQ(Result.str(), "DIAG GEN001 1:38-1:57 memlint\n"
                          "ACTION Use a generator expression\n"
                          "ACTION Suppress GEN001 with # noqa\n"
                          "FIXED     label = \"naïve 😀\"; return sum(x * 2 for x in xs)\n"
                          "CLEARED\n")
      << R.Stderr;
}

} // namespace
