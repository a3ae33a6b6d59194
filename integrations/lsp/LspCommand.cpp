//===- LspCommand.cpp - `memlint server` ------------------------------------===//
#include "Server.h"
#include "Transport.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <csignal>
#include <unistd.h>

namespace {

const char *const ServerHelp = R"(Usage: memlint server [--debounce-ms N]

Runs the memlint language server on standard input and output (LSP over stdio), for editors.
It checks open Python buffers as they are edited and offers quick fixes and `# noqa` actions.
Configuration comes from the workspace's pyproject.toml ([tool.memlint]) and the editor's
`memlint.select` / `memlint.ignore` settings.

Options:
  --debounce-ms N   check a buffer N milliseconds after the last edit (default 100)
  --stdio           accepted for editors that pass it; stdio is the only transport
  -h, --help        show this help
)";

} // namespace

int runServerCommand(llvm::ArrayRef<const char *> Args) {
  memlint::lsp::ServerOptions Options;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    unsigned Milliseconds;
    if (Arg == "-h" || Arg == "--help") {
      llvm::outs() << ServerHelp;
      return 0;
    } else if (Arg == "--stdio") {
      continue;
    } else if (Arg == "--debounce-ms" && I + 1 < Args.size() &&
               !llvm::StringRef(Args[I + 1]).getAsInteger(10, Milliseconds)) {
      Options.Debounce = std::chrono::milliseconds(Milliseconds);
      ++I;
    } else {
      llvm::errs() << "memlint server: unexpected argument `" << Arg
                   << "` (run `memlint server --help`)\n";
      return 2;
    }
  }
  // A client that disappears mid-message must end the server through a failed write, not kill
  // it with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  memlint::lsp::Transport Client(STDIN_FILENO, STDOUT_FILENO);
  memlint::lsp::Server Server(Client, Options);
  // Checking a buffer lowers it recursively, as deep as LowerOptions::MaxDepth allows. The main
  // thread's stack is whatever `ulimit -s` gives (that depth needs more than 2 MB, and more than
  // 8 MB under AddressSanitizer), so serve on a thread with the explicit stack the driver's
  // workers get.
  constexpr unsigned ServerStackBytes = 32u << 20;
  int Status = 1;
  llvm::thread Serving(llvm::Optional<unsigned>(ServerStackBytes), [&] { Status = Server.run(); });
  Serving.join();
  return Status;
}
