#include "Server.h"

#include "analyzer/CheckModule.h"
#include "analyzer/Discover.h"
#include "analyzer/Suppress.h"
#include "analyzer/output/Output.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace memlint::lsp {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace {

// Input waiting beyond this many messages is left for the next turn of the loop, so a client
// that floods the server still sees its documents checked.
constexpr size_t MaxBatch = 1024;

enum MessageType { ErrorMessage = 1, WarningMessage = 2 };

const Value NullValue = nullptr;

const Value &member(const Value &V, llvm::StringRef Key) {
  if (const Object *O = V.getAsObject())
    if (const Value *M = O->get(Key))
      return *M;
  return NullValue;
}

/// `member(V, {"a", "b"})` is V.a.b, or null when any step is missing.
const Value &memberPath(const Value &V, std::initializer_list<llvm::StringRef> Keys) {
  const Value *Current = &V;
  for (llvm::StringRef Key : Keys)
    Current = &member(*Current, Key);
  return *Current;
}

bool flag(const Value &V, std::initializer_list<llvm::StringRef> Keys) {
  return memberPath(V, Keys).getAsBoolean().getValueOr(false);
}

template <typename T> bool decode(const Value &Params, T &Out, std::string &Error) {
  llvm::json::Path::Root Root("params");
  if (fromJSON(Params, Out, Root))
    return true;
  Error = llvm::toString(Root.getError());
  return false;
}

int lspSeverity(Severity S) {
  switch (S) {
  case Severity::Error:
    return 1;
  case Severity::Warning:
    return 2;
  case Severity::Info:
    return 3;
  }
  return 2;
}

/// A kind is requested when `only` names it or one of its parents (`quickfix` covers
/// `quickfix.memlint`), as the specification defines CodeActionKind hierarchies.
bool kindRequested(llvm::ArrayRef<std::string> Only, llvm::StringRef Kind) {
  if (Only.empty())
    return true;
  return llvm::any_of(Only, [&](const std::string &Requested) {
    return Kind == Requested || Kind.startswith(Requested + ".");
  });
}

/// True when Offset lies inside a string literal (a triple-quoted string spanning lines): text
/// inserted there would become part of the string.
bool insideString(TSTree *Tree, uint32_t Offset) {
  TSNode Node = ts_node_descendant_for_byte_range(ts_tree_root_node(Tree), Offset, Offset);
  for (; !ts_node_is_null(Node); Node = ts_node_parent(Node))
    if (kindOf(Node) == SyntaxKind::String && ts_node_start_byte(Node) < Offset &&
        Offset < ts_node_end_byte(Node))
      return true;
  return false;
}

} // namespace

Server::Server(Transport &Client, ServerOptions Options) : Client(Client), Options(Options) {}

//===--- The loop and JSON-RPC --------------------------------------------===//

int Server::run() {
  std::deque<IncomingMessage> Batch;
  while (!ExitRequested) {
    if (!Client.waitForInput(millisecondsUntilNextCheck())) {
      checkDueDocuments();
      continue;
    }
    bool InputOpen = Client.readAvailable(Batch);
    while (InputOpen && Batch.size() < MaxBatch && Client.waitForInput(0))
      InputOpen = Client.readAvailable(Batch);
    markCancelled(Batch);
    while (!Batch.empty() && !ExitRequested) {
      IncomingMessage Message = std::move(Batch.front());
      Batch.pop_front();
      handle(Message);
    }
    CancelledIds.clear(); // a cancellation can only overtake requests of its own batch
    if (!InputOpen)
      break; // the client went away without `exit`
    checkDueDocuments();
  }
  return Lifecycle == State::ShutDown && ExitRequested ? 0 : 1;
}

void Server::markCancelled(const std::deque<IncomingMessage> &Batch) {
  for (const IncomingMessage &Message : Batch)
    if (Message.Json &&
        member(*Message.Json, "method").getAsString() == llvm::StringRef("$/cancelRequest"))
      if (const Value &Id = memberPath(*Message.Json, {"params", "id"}); Id.kind() != Value::Null)
        CancelledIds.push_back(Id);
}

bool Server::takeCancelled(const Value &Id) {
  auto It = llvm::find(CancelledIds, Id);
  if (It == CancelledIds.end())
    return false;
  CancelledIds.erase(It);
  return true;
}

void Server::handle(const IncomingMessage &Message) {
  if (!Message.Json)
    return replyError(nullptr, ErrorCode::ParseError, Message.Error);
  const Object *O = Message.Json->getAsObject();
  if (!O)
    return replyError(nullptr, ErrorCode::InvalidRequest, "a message must be a JSON object");
  const Value *Id = O->get("id");
  if (Id && Id->kind() != Value::String && !Id->getAsInteger())
    return replyError(nullptr, ErrorCode::InvalidRequest, "`id` must be a string or an integer");
  const Value *Method = O->get("method");
  if (!Method) {
    if (Id && (O->get("result") || O->get("error")))
      return; // the client's answer to client/registerCapability; nothing waits for it
    return replyError(Id ? *Id : NullValue, ErrorCode::InvalidRequest,
                      "a message needs a `method`");
  }
  llvm::Optional<llvm::StringRef> Name = Method->getAsString();
  if (!Name)
    return replyError(Id ? *Id : NullValue, ErrorCode::InvalidRequest, "`method` must be a string");
  const Value *Params = O->get("params");
  if (Id)
    handleRequest(*Name, *Id, Params ? *Params : NullValue);
  else
    handleNotification(*Name, Params ? *Params : NullValue);
}

void Server::handleRequest(llvm::StringRef Method, const Value &Id, const Value &Params) {
  if (takeCancelled(Id))
    return replyError(Id, ErrorCode::RequestCancelled, "request cancelled");
  if (Method == "initialize") {
    if (Lifecycle != State::Uninitialized)
      return replyError(Id, ErrorCode::InvalidRequest, "the server is already initialized");
    return reply(Id, initialize(Params));
  }
  if (Lifecycle == State::Uninitialized)
    return replyError(Id, ErrorCode::ServerNotInitialized, "`initialize` must come first");
  if (Lifecycle == State::ShutDown)
    return replyError(Id, ErrorCode::InvalidRequest, "the server is shutting down");
  if (Method == "shutdown") {
    Lifecycle = State::ShutDown;
    return reply(Id, nullptr);
  }
  std::string Error;
  if (Method == "textDocument/codeAction") {
    CodeActionParams P;
    if (!decode(Params, P, Error))
      return replyError(Id, ErrorCode::InvalidParams, Error);
    Document *Doc = findDocument(P.TextDocument.Uri);
    // Act on the text the editor shows, not on findings from before the last keystrokes.
    if (Doc && Doc->CheckDue)
      checkDueDocuments(/*Now=*/true);
    return replyWith(Id, [&](llvm::json::OStream &J) {
      J.array([&] {
        if (Doc && kindRequested(P.Only, "quickfix"))
          writeCodeActions(J, *Doc, P);
      });
    });
  }
  replyError(Id, ErrorCode::MethodNotFound, "memlint does not implement `" + Method + "`");
}

void Server::handleNotification(llvm::StringRef Method, const Value &Params) {
  if (Method == "exit") {
    ExitRequested = true;
    return;
  }
  // Before `initialize` the specification says to drop notifications; after `shutdown` there is
  // nothing left to do with them.
  if (Lifecycle != State::Running || Method == "$/cancelRequest")
    return;
  std::string Error;
  auto Decoded = [&](auto &P) {
    if (decode(Params, P, Error))
      return true;
    llvm::errs() << "memlint server: ignoring " << Method << ": " << Error << "\n";
    return false;
  };
  if (Method == "initialized") {
    registerFileWatchers();
  } else if (Method == "textDocument/didOpen") {
    DidOpenParams P;
    if (Decoded(P))
      didOpen(P);
  } else if (Method == "textDocument/didChange") {
    DidChangeParams P;
    if (Decoded(P))
      didChange(P);
  } else if (Method == "textDocument/didSave") {
    DocumentParams P;
    if (Decoded(P))
      didSave(P);
  } else if (Method == "textDocument/didClose") {
    DocumentParams P;
    if (Decoded(P))
      didClose(P);
  } else if (Method == "workspace/didChangeConfiguration") {
    // Clients that push settings send {"memlint": {...}}; some send the section itself.
    const Value &Settings = member(Params, "settings");
    const Value &Section = member(Settings, "memlint");
    applySettings(Section.kind() != Value::Null ? Section : Settings);
  } else if (Method == "workspace/didChangeWatchedFiles") {
    DidChangeWatchedFilesParams P;
    if (Decoded(P))
      onWatchedFilesChanged(P);
  } else if (!Method.startswith("$/")) {
    llvm::errs() << "memlint server: ignoring notification " << Method << "\n";
  }
}

void Server::reply(const Value &Id, const Value &Result) {
  replyWith(Id, [&](llvm::json::OStream &J) { J.value(Result); });
}

void Server::replyWith(const Value &Id, JsonWriter WriteResult) {
  Client.send([&](llvm::json::OStream &J) {
    J.object([&] {
      J.attribute("jsonrpc", "2.0");
      J.attribute("id", Id);
      J.attributeBegin("result");
      WriteResult(J);
      J.attributeEnd();
    });
  });
}

void Server::replyError(const Value &Id, ErrorCode Code, const llvm::Twine &Message) {
  Client.send(
      Object{{"jsonrpc", "2.0"},
             {"id", Id},
             {"error", Object{{"code", static_cast<int>(Code)}, {"message", Message.str()}}}});
}

void Server::notify(llvm::StringRef Method, JsonWriter WriteParams) {
  Client.send([&](llvm::json::OStream &J) {
    J.object([&] {
      J.attribute("jsonrpc", "2.0");
      J.attribute("method", Method);
      J.attributeBegin("params");
      WriteParams(J);
      J.attributeEnd();
    });
  });
}

void Server::showMessage(int Type, const llvm::Twine &Message) {
  std::string Text = Message.str();
  notify("window/showMessage", [&](llvm::json::OStream &J) {
    J.object([&] {
      J.attribute("type", Type);
      J.attribute("message", Text);
    });
  });
}

//===--- Lifecycle and configuration --------------------------------------===//

Value Server::initialize(const Value &Params) {
  const Value &Capabilities = member(Params, "capabilities");
  RelatedInformationSupport =
      flag(Capabilities, {"textDocument", "publishDiagnostics", "relatedInformation"});
  DocumentChangesSupport = flag(Capabilities, {"workspace", "workspaceEdit", "documentChanges"});
  WatchedFilesRegistration =
      flag(Capabilities, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});

  // The first workspace folder, else the root URI, else the deprecated root path.
  std::string Root;
  if (const Array *Folders = member(Params, "workspaceFolders").getAsArray();
      Folders && !Folders->empty())
    Root = uriToPath(member(Folders->front(), "uri").getAsString().getValueOr(""));
  if (Root.empty())
    Root = uriToPath(member(Params, "rootUri").getAsString().getValueOr(""));
  if (Root.empty())
    Root = member(Params, "rootPath").getAsString().getValueOr("").str();
  RootPath = std::move(Root);

  Lifecycle = State::Running;
  loadProjectConfig();
  const Value &Options = member(Params, "initializationOptions");
  const Value &Section = member(Options, "memlint");
  applySettings(Section.kind() != Value::Null ? Section : Options);
  rebuildSelection();

  return Object{
      {"capabilities",
       Object{
           {"positionEncoding", "utf-16"},
           {"textDocumentSync",
            Object{{"openClose", true}, {"change", 2 /*Incremental*/}, {"save", true}}},
           {"codeActionProvider", Object{{"codeActionKinds", Array{"quickfix"}}}},
       }},
      {"serverInfo", Object{{"name", "memlint"}, {"version", MEMLINT_VERSION}}},
  };
}

void Server::registerFileWatchers() {
  if (!WatchedFilesRegistration)
    return;
  // pyproject.toml decides which rules run; Python files changed outside the editor change the
  // cross-file findings of the open ones.
  Array Watchers;
  for (const char *Glob : {"**/pyproject.toml", "**/*.py", "**/*.pyi"})
    Watchers.push_back(Object{{"globPattern", Glob}});
  Object Registration{{"id", "memlint-watch-files"},
                      {"method", "workspace/didChangeWatchedFiles"},
                      {"registerOptions", Object{{"watchers", std::move(Watchers)}}}};
  Client.send(Object{{"jsonrpc", "2.0"},
                     {"id", NextRequestId++},
                     {"method", "client/registerCapability"},
                     {"params", Object{{"registrations", Array{std::move(Registration)}}}}});
}

void Server::loadProjectConfig() {
  ProjectConfig = Config();
  std::optional<std::string> Path = findConfig(RootPath.empty() ? "." : RootPath);
  if (!Path)
    return;
  llvm::Expected<Config> Loaded = loadConfig(*Path, RuleRegistry::builtin());
  if (!Loaded) {
    showMessage(ErrorMessage, "memlint: " + llvm::toString(Loaded.takeError()) +
                                  " (using the default rules until it is fixed)");
    return;
  }
  ProjectConfig = std::move(*Loaded);
}

void Server::applySettings(const Value &SettingsJson) {
  if (SettingsJson.kind() == Value::Null)
    return;
  EditorSettings New;
  llvm::json::Path::Root Root("memlint settings");
  if (!fromJSON(SettingsJson, New, Root)) {
    showMessage(WarningMessage, "memlint: ignoring settings: " + llvm::toString(Root.getError()));
    return;
  }
  // A mistyped code must not silently switch every rule off; drop it and say so.
  std::string Unknown;
  for (std::vector<std::string> *List : {&New.Select, &New.Ignore})
    llvm::erase_if(*List, [&](const std::string &Selector) {
      if (llvm::Error E = validateSelector(Selector, RuleRegistry::builtin())) {
        llvm::consumeError(std::move(E));
        Unknown += (Unknown.empty() ? "" : ", ") + Selector;
        return true;
      }
      return false;
    });
  if (!Unknown.empty())
    showMessage(WarningMessage, "memlint: ignoring unknown rule selectors in settings: " + Unknown);
  if (New == Settings)
    return;
  Settings = std::move(New);
  rebuildSelection();
  Project.clear(); // the project rules may have been switched on or off
  checkAllDocumentsNow();
}

void Server::rebuildSelection() {
  // Editor settings win over the project's, as in ruff's default `editorFirst`: `select`
  // replaces the project's selection and `ignore` adds to it.
  std::vector<std::string> Ignore = ProjectConfig.Ignore;
  llvm::append_range(Ignore, Settings.Ignore);
  Selection = RuleSelection(RuleRegistry::builtin(),
                            Settings.Select.empty() ? ProjectConfig.Select : Settings.Select,
                            ProjectConfig.ExtendSelect, Ignore);
  Context.emplace(RuleRegistry::builtin(), ProjectConfig, Selection);
}

void Server::onWatchedFilesChanged(const DidChangeWatchedFilesParams &Params) {
  bool ConfigChanged = false, ModulesChanged = false;
  for (const FileEvent &Event : Params.Changes) {
    std::string Path = uriToPath(Event.Uri);
    llvm::StringRef Name = llvm::sys::path::filename(Path);
    if (Name == "pyproject.toml") {
      ConfigChanged = true;
    } else if ((Name.endswith(".py") || Name.endswith(".pyi")) && Project.loaded() &&
               !documentAtPath(Path)) { // an open document's buffer wins over the disk
      if (Event.Type == static_cast<int>(FileChangeType::Deleted) || excluded(Path))
        Project.setSummary(Path, std::nullopt);
      else
        Project.reloadFromDisk(*Context, SyntaxParser, Path);
      ModulesChanged = true;
    }
  }
  if (ConfigChanged) {
    loadProjectConfig();
    rebuildSelection();
    Project.clear(); // excludes may differ: rediscover on the next check
    checkAllDocumentsNow();
  } else if (ModulesChanged) {
    relinkAndPublish({});
  }
}

//===--- Documents ---------------------------------------------------------===//

Document *Server::findDocument(llvm::StringRef Uri) {
  auto It = Documents.find(Uri);
  return It == Documents.end() ? nullptr : &It->second;
}

void Server::didOpen(const DidOpenParams &Params) {
  const TextDocumentItem &Item = Params.TextDocument;
  std::string Path = uriToPath(Item.Uri);
  Documents.erase(Item.Uri); // reopening replaces
  auto [It, Inserted] = Documents.try_emplace(Item.Uri, Item.Uri, Path.empty() ? Item.Uri : Path,
                                              Item.Version, Item.Text);
  It->second.CheckDue = Clock::now();
}

void Server::didChange(const DidChangeParams &Params) {
  Document *Doc = findDocument(Params.TextDocument.Uri);
  if (!Doc) {
    llvm::errs() << "memlint server: didChange for a document that is not open: "
                 << Params.TextDocument.Uri << "\n";
    return;
  }
  for (const ContentChange &Change : Params.ContentChanges)
    Doc->applyChange(Change);
  Doc->Version = Params.TextDocument.Version;
  Doc->CheckDue = Clock::now() + Options.Debounce;
}

void Server::didSave(const DocumentParams &Params) {
  if (Document *Doc = findDocument(Params.TextDocument.Uri); Doc && Doc->CheckDue)
    Doc->CheckDue = Clock::now(); // saving is a pause in typing: no reason to wait
}

void Server::didClose(const DocumentParams &Params) {
  Document *Doc = findDocument(Params.TextDocument.Uri);
  if (!Doc)
    return;
  std::string Path = Doc->Source->path().str();
  Documents.erase(Params.TextDocument.Uri);
  // Unsaved edits die with the buffer: the module is what is on disk again.
  if (Project.loaded()) {
    if (excluded(Path))
      Project.setSummary(Path, std::nullopt);
    else
      Project.reloadFromDisk(*Context, SyntaxParser, Path);
    relinkAndPublish({});
  }
  notify("textDocument/publishDiagnostics", [&](llvm::json::OStream &J) {
    J.object([&] {
      J.attribute("uri", Params.TextDocument.Uri);
      J.attributeArray("diagnostics", [] {});
    });
  });
}

//===--- Diagnostics --------------------------------------------------------===//

int Server::millisecondsUntilNextCheck() const {
  std::optional<Clock::time_point> Next;
  for (const auto &Entry : Documents)
    if (const auto &Due = Entry.second.CheckDue; Due && (!Next || *Due < *Next))
      Next = *Due;
  if (!Next)
    return -1;
  auto Wait = std::chrono::ceil<std::chrono::milliseconds>(*Next - Clock::now()).count();
  return static_cast<int>(std::clamp<decltype(Wait)>(Wait, 0, 60'000));
}

void Server::checkDueDocuments(bool Now) {
  Clock::time_point Deadline = Now ? Clock::time_point::max() : Clock::now();
  auto Due = [&](const Document &Doc) { return Doc.CheckDue && *Doc.CheckDue <= Deadline; };
  if (llvm::none_of(Documents, [&](const auto &Entry) { return Due(Entry.second); }))
    return;
  if (!Project.loaded() && !Context->ProjectRules.empty()) {
    Project.load(*Context, SyntaxParser, RootPath);
    // The disk replaced the summaries of buffers checked before: check those again.
    for (auto &Entry : Documents)
      if (Entry.second.CheckedSource)
        Entry.second.CheckDue = Clock::now();
  }
  std::vector<const Document *> Checked;
  for (auto &Entry : Documents)
    if (Due(Entry.second)) {
      checkModule(Entry.second);
      Checked.push_back(&Entry.second);
    }
  relinkAndPublish(Checked);
}

void Server::checkAllDocumentsNow() {
  Clock::time_point Now = Clock::now();
  for (auto &Entry : Documents)
    Entry.second.CheckDue = Now;
}

bool Server::excluded(llvm::StringRef Path) const {
  // The project's exclude patterns hold in the editor too (as `check --force-exclude` does).
  std::string Relative = relativeToConfig(Path, ProjectConfig);
  auto Matches = [&](const std::string &Pattern) { return pathMatches(Pattern, Relative); };
  return llvm::any_of(ProjectConfig.Exclude, Matches) ||
         llvm::any_of(ProjectConfig.ExtendExclude, Matches);
}

void Server::checkModule(Document &Doc) {
  Doc.CheckDue.reset();
  llvm::StringRef Path = Doc.Source->path();
  std::optional<ModuleSummary> Summary;
  if (excluded(Path)) {
    Doc.ModuleFindings.clear();
  } else {
    FileResult Result = checkBuffer(*Context, SyntaxParser, Doc.Source, Doc.Tree);
    Doc.ModuleFindings = std::move(Result.Diagnostics);
    Summary = std::move(Result.Summary);
  }
  if (Project.loaded())
    Project.setSummary(Path, std::move(Summary));
  Doc.CheckedSource = Doc.Source;
  Doc.CheckedVersion = Doc.Version;
}

namespace {

bool sameFindings(llvm::ArrayRef<Diagnostic> A, llvm::ArrayRef<Diagnostic> B) {
  return A.size() == B.size() && llvm::all_of(llvm::zip(A, B), [](const auto &Pair) {
           const Diagnostic &X = std::get<0>(Pair), &Y = std::get<1>(Pair);
           return X.Code == Y.Code && X.Range.Begin == Y.Range.Begin &&
                  X.Range.End == Y.Range.End && X.Message == Y.Message &&
                  X.Related.size() == Y.Related.size();
         });
}

} // namespace

void Server::relinkAndPublish(llvm::ArrayRef<const Document *> Checked) {
  llvm::StringMap<std::vector<Diagnostic>> Linked;
  if (Project.loaded())
    Linked = Project.link(*Context);
  for (auto &Entry : Documents) {
    Document &Doc = Entry.second;
    bool JustChecked = llvm::is_contained(Checked, &Doc);
    // Never checked, or about to be: its own check publishes it.
    if (!Doc.CheckedSource || (Doc.CheckDue && !JustChecked))
      continue;
    std::vector<Diagnostic> ProjectFindings;
    if (auto It = Linked.find(Doc.CheckedSource->path()); It != Linked.end())
      ProjectFindings = std::move(It->second);
    if (!JustChecked && sameFindings(ProjectFindings, Doc.ProjectFindings))
      continue;
    Doc.ProjectFindings = std::move(ProjectFindings);
    Doc.Findings = Doc.ModuleFindings;
    llvm::append_range(Doc.Findings, Doc.ProjectFindings);
    llvm::sort(Doc.Findings);
    publish(Doc);
  }
}

const Document *Server::documentAtPath(llvm::StringRef Path) const {
  for (const auto &Entry : Documents)
    if (Entry.second.Source->path() == Path)
      return &Entry.second;
  return nullptr;
}

void Server::publish(const Document &Doc) {
  notify("textDocument/publishDiagnostics", [&](llvm::json::OStream &J) {
    J.object([&] {
      J.attribute("uri", Doc.Uri);
      J.attribute("version", Doc.CheckedVersion);
      J.attributeArray("diagnostics", [&] {
        for (size_t I = 0; I < Doc.Findings.size(); ++I)
          writeDiagnostic(J, Doc, I);
      });
    });
  });
}

void Server::writeDiagnostic(llvm::json::OStream &J, const Document &Doc, size_t Index) const {
  const Diagnostic &D = Doc.Findings[Index];
  const SourceFile &Source = *Doc.CheckedSource;
  J.object([&] {
    writeRange(J, "range", toLspRange(Source, D.Range));
    J.attribute("severity", lspSeverity(D.Level));
    J.attribute("code", D.Code);
    J.attributeObject("codeDescription", [&] { J.attribute("href", ruleDocUrl(D.Code)); });
    J.attribute("source", "memlint");
    if (RelatedInformationSupport || D.Related.empty()) {
      writeString(J, "message", D.Message);
    } else {
      // Without related locations the path of a cycle would be lost; put it in the message.
      std::string Message = D.Message;
      for (const RelatedLocation &L : D.Related)
        Message += "\n" + L.Path + ":" + std::to_string(L.Start.Line) + ":" +
                   std::to_string(L.Start.Column) + ": " + L.Message;
      writeString(J, "message", Message);
    }
    if (RelatedInformationSupport && !D.Related.empty())
      J.attributeArray("relatedInformation", [&] {
        for (const RelatedLocation &L : D.Related) {
          // A location in an open document converts against the text its summary came from;
          // for a file that is not open, code-point columns stand in for UTF-16 ones (they
          // differ only after characters outside the Basic Multilingual Plane).
          const Document *Target = L.Path == Source.path() ? &Doc : documentAtPath(L.Path);
          if (Target && !Target->CheckedSource)
            Target = nullptr;
          LspRange Range = Target ? toLspRange(*Target->CheckedSource, L.Range)
                                  : LspRange{{L.Start.Line - 1, L.Start.Column - 1},
                                             {L.End.Line - 1, L.End.Column - 1}};
          llvm::SmallString<256> Absolute(L.Path);
          llvm::sys::fs::make_absolute(Absolute);
          J.object([&] {
            J.attributeObject("location", [&] {
              J.attribute("uri", Target ? Target->Uri : pathToUri(Absolute));
              writeRange(J, "range", Range);
            });
            J.attribute("message", L.Message);
          });
        }
      });
    // Echoed back in code action requests: identifies the finding without relying on the
    // client to return the range exactly as it was sent.
    J.attributeObject("data", [&] {
      J.attribute("version", Doc.CheckedVersion);
      J.attribute("index", static_cast<int64_t>(Index));
    });
  });
}

//===--- Code actions -------------------------------------------------------===//

void Server::writeCodeActions(llvm::json::OStream &J, const Document &Doc,
                              const CodeActionParams &Params) const {
  const SourceFile &Source = *Doc.CheckedSource;
  // The findings under the cursor or selection, and those the client names in its context
  // (Neovim sends the cursor position with every diagnostic of the line).
  auto Named = [&](size_t Index, const LspRange &Range) {
    llvm::StringRef Code = Doc.Findings[Index].Code;
    return llvm::any_of(Params.Diagnostics, [&](const DiagnosticRef &Ref) {
      if (Ref.Code != Code)
        return false;
      if (Ref.Index && Ref.CheckedVersion)
        return *Ref.Index == static_cast<int64_t>(Index) &&
               *Ref.CheckedVersion == Doc.CheckedVersion;
      return Ref.Range == Range;
    });
  };
  std::vector<size_t> Selected;
  for (size_t I = 0; I < Doc.Findings.size(); ++I) {
    LspRange Range = toLspRange(Source, Doc.Findings[I].Range);
    if (Range.overlaps(Params.Range) || Named(I, Range))
      Selected.push_back(I);
  }

  auto WriteTextEdit = [&](const Edit &E) {
    J.object([&] {
      writeRange(J, "range", toLspRange(Source, E.Range));
      J.attribute("newText", E.Replacement);
    });
  };

  // The rules' own fixes first: they are what the finding asks for.
  for (size_t I : Selected) {
    const Diagnostic &D = Doc.Findings[I];
    if (!D.FixIt || D.FixIt->Edits.empty())
      continue;
    bool Safe = D.FixIt->Safety == Applicability::Safe;
    J.object([&] {
      J.attribute("title", Safe ? D.FixIt->Title : D.FixIt->Title + " (unsafe fix: review it)");
      J.attribute("kind", "quickfix");
      J.attributeArray("diagnostics", [&] { writeDiagnostic(J, Doc, I); });
      J.attribute("isPreferred", Safe);
      J.attributeBegin("edit");
      writeWorkspaceEdit(J, Doc, [&] {
        for (const Edit &E : D.FixIt->Edits)
          WriteTextEdit(E);
      });
      J.attributeEnd();
    });
  }

  // Then one suppression per code and line, covering every finding it silences.
  std::vector<std::pair<uint32_t, llvm::StringRef>> Offered;
  for (size_t I : Selected) {
    const Diagnostic &D = Doc.Findings[I];
    std::pair<uint32_t, llvm::StringRef> Key{Source.lineOf(D.Range.Begin), D.Code};
    if (llvm::is_contained(Offered, Key))
      continue;
    std::optional<Edit> Noqa = noqaEdit(Doc, D);
    if (!Noqa)
      continue;
    Offered.push_back(Key);
    J.object([&] {
      J.attribute("title", ("Suppress " + D.Code + " with # noqa").str());
      J.attribute("kind", "quickfix");
      J.attributeArray("diagnostics", [&] {
        for (size_t Other : Selected)
          if (Doc.Findings[Other].Code == D.Code &&
              Source.lineOf(Doc.Findings[Other].Range.Begin) == Key.first)
            writeDiagnostic(J, Doc, Other);
      });
      J.attributeBegin("edit");
      writeWorkspaceEdit(J, Doc, [&] { WriteTextEdit(*Noqa); });
      J.attributeEnd();
    });
  }
}

std::optional<Edit> Server::noqaEdit(const Document &Doc, const Diagnostic &D) const {
  if (D.Code == SyntaxErrorInfo.Code || D.Code == IoErrorInfo.Code)
    return std::nullopt; // file-level problems are not suppressible per line
  const SourceFile &Source = *Doc.CheckedSource;
  uint32_t Line = Source.lineOf(D.Range.Begin);
  llvm::StringRef Text = Source.lineText(Line);
  uint32_t LineStart = Source.lineStart(Line);
  Edit Result;
  if (std::optional<NoqaDirective> Noqa = parseNoqa(Text)) {
    if (Noqa->All || Noqa->Codes.empty())
      return std::nullopt;
    uint32_t AfterLastCode =
        LineStart + static_cast<uint32_t>(Noqa->Codes.back().end() - Text.begin());
    Result.Range = {AfterLastCode, AfterLastCode};
    Result.Replacement = (", " + D.Code).str();
    return Result;
  }
  // A comment after a backslash would end the line continuation; one inside a multi-line
  // string would become part of the string.
  if (Text.endswith("\\"))
    return std::nullopt;
  uint32_t CodeEnd = LineStart + static_cast<uint32_t>(Text.rtrim(" \t\f").size());
  if (Doc.Tree && Doc.Source == Doc.CheckedSource && insideString(Doc.Tree.get(), CodeEnd))
    return std::nullopt;
  Result.Range = {CodeEnd, LineStart + static_cast<uint32_t>(Text.size())};
  Result.Replacement = ("  # noqa: " + D.Code).str();
  return Result;
}

void Server::writeWorkspaceEdit(llvm::json::OStream &J, const Document &Doc,
                                llvm::function_ref<void()> WriteEdits) const {
  J.object([&] {
    if (DocumentChangesSupport) {
      // Versioned: the client refuses the edit if the document changed since.
      J.attributeArray("documentChanges", [&] {
        J.object([&] {
          J.attributeObject("textDocument", [&] {
            J.attribute("uri", Doc.Uri);
            J.attribute("version", Doc.CheckedVersion);
          });
          J.attributeArray("edits", WriteEdits);
        });
      });
    } else {
      J.attributeObject("changes", [&] { J.attributeArray(Doc.Uri, WriteEdits); });
    }
  });
}

} // namespace memlint::lsp
