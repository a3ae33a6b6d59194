//===- LspReaderFuzzer.cpp - arbitrary bytes from an LSP client ------------===//
//
// Two stages per input:
//  1. The base protocol reader (Transport) gets the bytes through a pipe in chunks whose sizes
//     come from the first input byte, so headers and bodies split across reads as they do on a
//     real stdin. Every message must come out as JSON or as an error saying why.
//  2. The messages that were read are framed again and served by a real Server (debounce 0,
//     output to /dev/null), which decodes and dispatches them: initialize, documents, edits,
//     code actions, shutdown. To keep it hermetic, the workspace root is always an empty
//     scratch directory and every file: URI is moved below it, so nothing outside is read.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "Protocol.h"
#include "Server.h"
#include "Transport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

using namespace memlint;
using namespace memlint::lsp;
using llvm::json::Object;
using llvm::json::Value;

namespace {

/// An empty directory, created once: the workspace root every session gets.
const std::string &scratchRoot() {
  static const std::string Root = fuzz::makeScratchDirectory("memlint-lsp-fuzz");
  return Root;
}

int devNull() {
  static const int Fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (Fd < 0)
    fuzz::fail("cannot open /dev/null");
  return Fd;
}

/// Stage 1: the bytes through a pipe, in chunks of 1..256 bytes (a pipe holds 64 KiB, and each
/// chunk is read before the next is written, so writing never blocks).
std::deque<IncomingMessage> readThroughPipe(llvm::StringRef Bytes, uint8_t ChunkSeed) {
  int Fds[2];
  if (pipe(Fds) != 0)
    fuzz::fail("pipe() failed");
  std::deque<IncomingMessage> Messages;
  {
    Transport T(Fds[0], -1);
    uint32_t State = ChunkSeed * 2654435761u + 1;
    while (!Bytes.empty()) {
      State = State * 1103515245u + 12345u;
      size_t Chunk = std::min<size_t>(Bytes.size(), 1 + ((State >> 16) & 255));
      if (write(Fds[1], Bytes.data(), Chunk) != static_cast<ssize_t>(Chunk))
        fuzz::fail("write() to the pipe failed");
      Bytes = Bytes.drop_front(Chunk);
      if (!T.waitForInput(-1) || !T.readAvailable(Messages))
        fuzz::fail("the reader saw the end of input while the pipe was open");
    }
    close(Fds[1]);
    if (!T.waitForInput(-1))
      fuzz::fail("waitForInput timed out at the end of input");
    if (T.readAvailable(Messages))
      fuzz::fail("the reader did not notice the end of input");
  }
  close(Fds[0]);
  for (const IncomingMessage &M : Messages)
    if (!M.Json && M.Error.empty())
      fuzz::fail("a message that is neither JSON nor an error");
  return Messages;
}

/// A file: URI somewhere else becomes one below the scratch root (`..` cannot climb out).
std::string confine(llvm::StringRef Uri) {
  std::string Path = uriToPath(Uri);
  std::string Safe;
  for (llvm::StringRef Part : llvm::split(Path, '/')) {
    if (Part.empty() || Part == "." || Part == "..")
      continue;
    Safe += '/';
    Safe += Part;
  }
  return pathToUri(scratchRoot() + Safe);
}

void confineUris(Value &V) {
  if (Object *O = V.getAsObject()) {
    for (auto &KV : *O)
      confineUris(KV.second);
  } else if (llvm::json::Array *A = V.getAsArray()) {
    for (Value &Item : *A)
      confineUris(Item);
  } else if (llvm::Optional<llvm::StringRef> S = V.getAsString()) {
    if (S->startswith_insensitive("file:"))
      V = confine(*S);
  }
}

/// Stage 2 input: the messages framed again, with the workspace confined to the scratch root.
std::string reframe(std::deque<IncomingMessage> &Messages) {
  std::string Out;
  for (IncomingMessage &M : Messages) {
    std::string Body;
    if (M.Json) {
      confineUris(*M.Json);
      if (Object *O = M.Json->getAsObject())
        if (O->getString("method") == llvm::StringRef("initialize"))
          if (Object *Params = O->getObject("params")) {
            Params->erase("workspaceFolders");
            Params->erase("rootPath");
            (*Params)["rootUri"] = pathToUri(scratchRoot());
          }
      llvm::raw_string_ostream(Body) << *M.Json;
    } else {
      Body = "{"; // unreadable, as it was on the first read
    }
    Out += "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
  }
  return Out;
}

/// Stage 2: a server reading Bytes from a memory file (read(2) returns all of it, then end of
/// input) and writing to /dev/null.
void serve(llvm::StringRef Bytes) {
  int Fd = memfd_create("memlint-lsp-fuzz", MFD_CLOEXEC);
  if (Fd < 0)
    fuzz::fail("memfd_create() failed");
  for (llvm::StringRef Rest = Bytes; !Rest.empty();) {
    ssize_t N = write(Fd, Rest.data(), Rest.size());
    if (N <= 0)
      fuzz::fail("write() to the memory file failed");
    Rest = Rest.drop_front(static_cast<size_t>(N));
  }
  lseek(Fd, 0, SEEK_SET);
  Transport T(Fd, devNull());
  ServerOptions Options;
  Options.Debounce = std::chrono::milliseconds(0);
  Server S(T, Options);
  S.run();
  close(Fd);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  llvm::StringRef Bytes(reinterpret_cast<const char *>(Data) + 1, Size - 1);
  fuzz::onWorkerStack([&] {
    std::deque<IncomingMessage> Messages = readThroughPipe(Bytes, Data[0]);
    serve(reframe(Messages));
  });
  return 0;
}
