//===- LspClient.h - a scripted LSP client for testing `memlint server` ---===//
#pragma once

#include "Subprocess.h"

#include "llvm/Support/JSON.h"

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace memlint::test {

/// Spawns `memlint server` and speaks the base protocol to it. Messages that arrive while the
/// test waits for a different one are kept, so a test can wait for a response and then for the
/// notification that came before it.
class LspClient {
public:
  explicit LspClient(std::vector<std::string> ServerArgs = {});

  /// Sends a request and returns its id.
  int64_t request(llvm::StringRef Method, llvm::json::Value Params);
  void notify(llvm::StringRef Method, llvm::json::Value Params);
  /// Sends bytes as they are: several frames at once, broken frames, broken JSON.
  void sendRaw(const std::string &Bytes);
  static std::string frame(const llvm::json::Value &Message);
  static std::string frame(const std::string &Body);

  /// The first message (received or still to come) that Match accepts; empty after Timeout.
  std::optional<llvm::json::Value>
  waitFor(const std::function<bool(const llvm::json::Value &)> &Match,
          std::chrono::milliseconds Timeout = std::chrono::seconds(20));
  std::optional<llvm::json::Value> response(int64_t Id);
  /// The params of the next publishDiagnostics for Uri (with that version, if given).
  std::optional<llvm::json::Value> diagnostics(llvm::StringRef Uri,
                                               std::optional<int64_t> Version = std::nullopt);
  /// Every message received so far and not yet consumed by waitFor.
  const std::deque<llvm::json::Value> &backlog() const { return Backlog; }

  /// Sends `shutdown` then `exit` and returns the server's exit status.
  int shutdownAndExit();
  ChildProcess &process() { return Server; }

private:
  bool receiveMore(std::chrono::milliseconds Timeout);

  ChildProcess Server;
  int64_t NextId = 1;
  std::string Input;
  std::deque<llvm::json::Value> Backlog;
};

/// `params.diagnostics` of a publishDiagnostics notification.
const llvm::json::Array &diagnosticList(const llvm::json::Value &PublishParams);

} // namespace memlint::test
