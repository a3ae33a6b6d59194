//===- Server.h - memlint's language server --------------------------------===//
//
// One thread serves everything. The loop reads every message already waiting (so a
// $/cancelRequest overtakes the request it cancels), handles them in order, then checks the
// documents whose debounce deadline has passed, and sleeps in poll(2) until the next message or
// deadline. Checking a buffer takes milliseconds, so no request waits long behind one, and the
// order of everything the server sends depends only on the order of what it receives and on the
// debounce delay, which keeps tests deterministic.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Document.h"
#include "ProjectModel.h"
#include "Protocol.h"
#include "Transport.h"

#include "analyzer/Config.h"
#include "analyzer/Driver.h"
#include "frontend/Parser.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace memlint::lsp {

struct ServerOptions {
  /// How long after the last edit a document is checked. Opening a document checks it at once,
  /// and so do saving it and asking for its code actions while a check is pending.
  std::chrono::milliseconds Debounce{100};
};

class Server {
public:
  Server(Transport &Client, ServerOptions Options);

  /// Serves until `exit` or the end of input. Returns the process exit status: 0 when the client
  /// asked for `shutdown` first, 1 otherwise (as the specification asks).
  int run();

private:
  enum class State { Uninitialized, Running, ShutDown };

  // JSON-RPC.
  void handle(const IncomingMessage &Message);
  void handleRequest(llvm::StringRef Method, const llvm::json::Value &Id,
                     const llvm::json::Value &Params);
  void handleNotification(llvm::StringRef Method, const llvm::json::Value &Params);
  using JsonWriter = llvm::function_ref<void(llvm::json::OStream &)>;
  void reply(const llvm::json::Value &Id, const llvm::json::Value &Result);
  void replyWith(const llvm::json::Value &Id, JsonWriter WriteResult);
  void replyError(const llvm::json::Value &Id, ErrorCode Code, const llvm::Twine &Message);
  void notify(llvm::StringRef Method, JsonWriter WriteParams);
  void showMessage(int Type, const llvm::Twine &Message);
  void markCancelled(const std::deque<IncomingMessage> &Batch);
  bool takeCancelled(const llvm::json::Value &Id);

  // Lifecycle and configuration.
  llvm::json::Value initialize(const llvm::json::Value &Params);
  void registerFileWatchers();
  void loadProjectConfig();
  void applySettings(const llvm::json::Value &Settings);
  void rebuildSelection();
  void onWatchedFilesChanged(const DidChangeWatchedFilesParams &Params);

  // Documents.
  void didOpen(const DidOpenParams &Params);
  void didChange(const DidChangeParams &Params);
  void didSave(const DocumentParams &Params);
  void didClose(const DocumentParams &Params);
  Document *findDocument(llvm::StringRef Uri);

  // Diagnostics and code actions.
  /// Checks the documents whose debounce delay has passed (with Now, every pending one).
  void checkDueDocuments(bool Now = false);
  void checkAllDocumentsNow();
  int millisecondsUntilNextCheck() const;
  bool excluded(llvm::StringRef Path) const;
  /// Runs the module rules on Doc's buffer and hands its summary to the project model.
  void checkModule(Document &Doc);
  /// Reruns the project rules and publishes the documents in Checked, and every other checked
  /// document whose cross-file findings changed.
  void relinkAndPublish(llvm::ArrayRef<const Document *> Checked);
  void publish(const Document &Doc);
  const Document *documentAtPath(llvm::StringRef Path) const;
  /// Writes Doc.Findings[Index] as an LSP diagnostic.
  void writeDiagnostic(llvm::json::OStream &J, const Document &Doc, size_t Index) const;
  void writeCodeActions(llvm::json::OStream &J, const Document &Doc,
                        const CodeActionParams &Params) const;
  void writeWorkspaceEdit(llvm::json::OStream &J, const Document &Doc,
                          llvm::function_ref<void()> WriteEdits) const;
  /// The edit that adds D's code to a `# noqa` comment on its line, if one can be added safely.
  std::optional<Edit> noqaEdit(const Document &Doc, const Diagnostic &D) const;

  Transport &Client;
  ServerOptions Options;
  State Lifecycle = State::Uninitialized;
  bool ExitRequested = false;
  std::vector<llvm::json::Value> CancelledIds;
  int NextRequestId = 1;

  // What the client said it supports.
  bool RelatedInformationSupport = false;
  bool DocumentChangesSupport = false;
  bool WatchedFilesRegistration = false;

  std::string RootPath; // workspace root; config is searched from here upwards
  Config ProjectConfig;
  EditorSettings Settings;
  RuleSelection Selection;
  std::optional<CheckContext> Context; // rebuilt whenever config or settings change

  Parser SyntaxParser;
  llvm::StringMap<Document> Documents; // by URI
  ProjectModel Project;                // loaded on the first check that needs it
};

} // namespace memlint::lsp
