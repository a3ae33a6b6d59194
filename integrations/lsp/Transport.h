//===- Transport.h - LSP base protocol: Content-Length framed JSON-RPC ----===//
//
// Reads and writes the language server base protocol over file descriptors (stdin and stdout
// for `memlint server`). Reading never blocks beyond one read(2) after poll(2) reported input,
// so the server's loop can wait for input and for its own deadlines (debounced diagnostics) at
// once, on one thread.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/JSON.h"

#include <deque>
#include <optional>
#include <string>

namespace memlint::lsp {

/// One message as received: its JSON, or why it could not be read (bad framing or bad JSON).
/// Either way the server answers, so a broken message never goes unnoticed by the client.
struct IncomingMessage {
  std::optional<llvm::json::Value> Json;
  std::string Error; // set when Json is empty
};

class Transport {
public:
  Transport(int InFd, int OutFd) : InFd(InFd), OutFd(OutFd) {}

  /// Waits until input (or end of input) is available or TimeoutMs passes; a negative timeout
  /// waits indefinitely. Returns false on timeout.
  bool waitForInput(int TimeoutMs);

  /// Reads what the client has sent so far and appends every complete message to Out. Returns
  /// false once the input has ended.
  bool readAvailable(std::deque<IncomingMessage> &Out);

  /// Writes one framed message whose JSON WriteMessage streams out, without building a
  /// json::Value tree first (a publishDiagnostics can hold hundreds of diagnostics). False when
  /// the client has gone away.
  bool send(llvm::function_ref<void(llvm::json::OStream &)> WriteMessage);
  bool send(const llvm::json::Value &Message);

private:
  void extractMessages(std::deque<IncomingMessage> &Out);

  int InFd, OutFd;
  std::string Input;          // bytes received but not yet consumed
  size_t BodyBytesToSkip = 0; // rest of an oversized message being discarded
  bool InputEnded = false;
  std::string Body, Output; // reused for every outgoing message
};

} // namespace memlint::lsp
