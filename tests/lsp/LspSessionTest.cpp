//===- LspSessionTest.cpp - `memlint server` driven over pipes -------------===//
#include "LspClient.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace memlint::test;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace {

Value position(int64_t Line, int64_t Character) {
  return Object{{"line", Line}, {"character", Character}};
}

Value range(int64_t L1, int64_t C1, int64_t L2, int64_t C2) {
  return Object{{"start", position(L1, C1)}, {"end", position(L2, C2)}};
}

std::string fileUri(const std::string &Path) { return "file://" + Path; }

Value initializeParams(const std::string &Root, bool RelatedInformation = true) {
  return Object{
      {"processId", nullptr},
      {"rootUri", fileUri(Root)},
      {"capabilities",
       Object{{"textDocument", Object{{"publishDiagnostics",
                                       Object{{"relatedInformation", RelatedInformation}}}}}}},
  };
}

/// Starts a server and completes the initialize handshake.
void initialize(LspClient &Client, const std::string &Root, bool RelatedInformation = true) {
  int64_t Id = Client.request("initialize", initializeParams(Root, RelatedInformation));
  ASSERT_TRUE(Client.response(Id));
  Client.notify("initialized", Object{});
}

void open(LspClient &Client, const std::string &Uri, const std::string &Text, int64_t Version = 1) {
  Client.notify("textDocument/didOpen", Object{{"textDocument", Object{{"uri", Uri},
                                                                       {"languageId", "python"},
                                                                       {"version", Version},
                                                                       {"text", Text}}}});
}

Value change(const std::string &Uri, int64_t Version, Array Changes) {
  return Object{{"textDocument", Object{{"uri", Uri}, {"version", Version}}},
                {"contentChanges", std::move(Changes)}};
}

Value rangedChange(Value Range, const std::string &Text) {
  return Object{{"range", std::move(Range)}, {"text", Text}};
}

Value codeActionParams(const std::string &Uri, Value Range) {
  return Object{{"textDocument", Object{{"uri", Uri}}},
                {"range", std::move(Range)},
                {"context", Object{{"diagnostics", Array{}}}}};
}

std::vector<std::string> codes(const Value &PublishParams) {
  std::vector<std::string> Codes;
  for (const Value &D : diagnosticList(PublishParams))
    Codes.push_back(D.getAsObject()->getString("code").getValueOr("").str());
  return Codes;
}

std::string str(const Value &V) {
  std::string S;
  llvm::raw_string_ostream(S) << V;
  return S;
}

const Object &object(const Value &V) {
  static const Object Empty;
  return V.getAsObject() ? *V.getAsObject() : Empty;
}

int64_t errorCode(const Value &Response) {
  const Object *Error = object(Response).getObject("error");
  return Error ? Error->getInteger("code").getValueOr(0) : 0;
}

/// The TextEdits of a code action's WorkspaceEdit (`changes` form) for Uri.
const Array *editsOf(const Value &Action, const std::string &Uri) {
  const Object *Edit = object(Action).getObject("edit");
  const Object *Changes = Edit ? Edit->getObject("changes") : nullptr;
  return Changes ? Changes->getArray(Uri) : nullptr;
}

// The finding sits after non-ASCII text on its line: "ï" is 2 bytes and 1 UTF-16 unit, "😀" is
// 4 bytes, 1 code point and 2 UTF-16 units. The comprehension starts at byte 38, code point 34,
// UTF-16 unit 35.
const char *const SampleText = "def total(xs):\n"
                               "    label = \"naïve 😀\"; return sum([x * 2 for x in xs])\n"
                               "\n"
                               "\n"
                               "def fine(xs):\n"
                               "    return sum(x for x in xs)\n";

class LspSession : public ::testing::Test {
protected:
  TempDir Root;
  std::string Uri = fileUri(Root.path() + "/app.py");
};

TEST_F(LspSession, WholeSession) {
  LspClient Client;
  int64_t InitId = Client.request("initialize", initializeParams(Root.path()));
  auto Init = Client.response(InitId);
  ASSERT_TRUE(Init);
  const Object *Capabilities = object(*Init).getObject("result")
                                   ? object(*Init).getObject("result")->getObject("capabilities")
                                   : nullptr;
  ASSERT_TRUE(Capabilities) << str(*Init);
  const Object *Sync = Capabilities->getObject("textDocumentSync");
  ASSERT_TRUE(Sync);
  EXPECT_EQ(Sync->getInteger("change").getValueOr(-1), 2) << "incremental sync";
  EXPECT_EQ(Sync->getBoolean("openClose").getValueOr(false), true);
  ASSERT_TRUE(Capabilities->getObject("codeActionProvider"));
  EXPECT_EQ(str(*Capabilities->getObject("codeActionProvider")->get("codeActionKinds")),
            "[\"quickfix\"]");
  EXPECT_FALSE(Capabilities->get("diagnosticProvider")) << "pull diagnostics are not implemented";
  Client.notify("initialized", Object{});

  // didOpen: one GEN001 finding, in UTF-16 positions.
  open(Client, Uri, SampleText);
  auto Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  ASSERT_EQ(codes(*Published), std::vector<std::string>{"GEN001"}) << str(*Published);
  const Value &Finding = diagnosticList(*Published)[0];
  EXPECT_EQ(str(*object(Finding).get("range")), str(range(1, 35, 1, 54)));
  EXPECT_EQ(object(Finding).getInteger("severity").getValueOr(-1), 2);
  EXPECT_EQ(object(Finding).getString("source"), llvm::StringRef("memlint"));
  ASSERT_TRUE(object(Finding).getObject("codeDescription"));
  EXPECT_TRUE(object(Finding).getObject("codeDescription")->getString("href")->endswith("GEN001"));

  // Incremental edit: `[...]` becomes `(...)` through two ranged changes; the finding goes away.
  Client.notify("textDocument/didChange", change(Uri, 2,
                                                 Array{rangedChange(range(1, 35, 1, 36), "("),
                                                       rangedChange(range(1, 53, 1, 54), ")")}));
  Published = Client.diagnostics(Uri, 2);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(codes(*Published).empty()) << str(*Published);

  // A line inserted above and the brackets restored: the finding comes back, one line lower.
  Client.notify("textDocument/didChange",
                change(Uri, 3,
                       Array{rangedChange(range(0, 0, 0, 0), "import os  # é\n"),
                             rangedChange(range(2, 35, 2, 36), "["),
                             rangedChange(range(2, 53, 2, 54), "]")}));
  Published = Client.diagnostics(Uri, 3);
  ASSERT_TRUE(Published);
  ASSERT_EQ(codes(*Published), std::vector<std::string>{"GEN001"}) << str(*Published);
  EXPECT_EQ(str(*object(diagnosticList(*Published)[0]).get("range")), str(range(2, 35, 2, 54)));

  // Code actions at the finding: the rule's fix, then the suppression.
  int64_t ActionsId =
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(2, 40, 2, 40)));
  auto Actions = Client.response(ActionsId);
  ASSERT_TRUE(Actions);
  const Array *List = object(*Actions).getArray("result");
  ASSERT_TRUE(List) << str(*Actions);
  ASSERT_EQ(List->size(), 2u) << str(*Actions);
  const Value &Fix = (*List)[0];
  EXPECT_EQ(object(Fix).getString("title"), llvm::StringRef("Use a generator expression"));
  EXPECT_EQ(object(Fix).getString("kind"), llvm::StringRef("quickfix"));
  EXPECT_EQ(object(Fix).getBoolean("isPreferred").getValueOr(false), true);
  const Array *FixEdits = editsOf(Fix, Uri);
  ASSERT_TRUE(FixEdits) << str(Fix);
  EXPECT_EQ(str(Value(Array(*FixEdits))),
            str(Array{Object{{"newText", ""}, {"range", range(2, 35, 2, 36)}},
                      Object{{"newText", ""}, {"range", range(2, 53, 2, 54)}}}));
  const Value &Suppress = (*List)[1];
  EXPECT_EQ(object(Suppress).getString("title"), llvm::StringRef("Suppress GEN001 with # noqa"));
  const Array *NoqaEdits = editsOf(Suppress, Uri);
  ASSERT_TRUE(NoqaEdits) << str(Suppress);
  EXPECT_EQ(str(Value(Array(*NoqaEdits))),
            str(Array{Object{{"newText", "  # noqa: GEN001"}, {"range", range(2, 55, 2, 55)}}}));
  ASSERT_TRUE(object(Suppress).getArray("diagnostics"));
  EXPECT_EQ(object(Suppress).getArray("diagnostics")->size(), 1u);

  // Applying the suppression (as the editor would) silences the finding.
  Client.notify("textDocument/didChange",
                change(Uri, 4, Array{rangedChange(range(2, 55, 2, 55), "  # noqa: GEN001")}));
  Published = Client.diagnostics(Uri, 4);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(codes(*Published).empty()) << str(*Published);

  // Broken input gets an error and the server keeps answering.
  Client.sendRaw(LspClient::frame(std::string("{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": ")));
  auto ParseError = Client.waitFor([](const Value &M) { return errorCode(M) == -32700; });
  ASSERT_TRUE(ParseError) << "no ParseError response";
  EXPECT_EQ(object(*ParseError).get("id")->kind(), Value::Null);

  int64_t UnknownId = Client.request("textDocument/hover", Object{});
  auto Unknown = Client.response(UnknownId);
  ASSERT_TRUE(Unknown);
  EXPECT_EQ(errorCode(*Unknown), -32601);

  int64_t BadParamsId = Client.request("textDocument/codeAction", Object{{"textDocument", 42}});
  auto BadParams = Client.response(BadParamsId);
  ASSERT_TRUE(BadParams);
  EXPECT_EQ(errorCode(*BadParams), -32602);

  int64_t AgainId =
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(2, 40, 2, 40)));
  auto Again = Client.response(AgainId);
  ASSERT_TRUE(Again);
  ASSERT_TRUE(object(*Again).getArray("result"));
  EXPECT_TRUE(object(*Again).getArray("result")->empty()) << "the finding is suppressed now";

  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, ExitWithoutShutdownFails) {
  LspClient Client;
  initialize(Client, Root.path());
  Client.notify("exit", nullptr);
  EXPECT_EQ(Client.process().wait(std::chrono::seconds(10)), 1);
}

TEST_F(LspSession, EndOfInputWithoutExitFails) {
  LspClient Client;
  initialize(Client, Root.path());
  Client.process().closeInput();
  EXPECT_EQ(Client.process().wait(std::chrono::seconds(10)), 1);
}

TEST_F(LspSession, RequestsAfterShutdownAreRejected) {
  LspClient Client;
  initialize(Client, Root.path());
  auto Shutdown = Client.response(Client.request("shutdown", nullptr));
  ASSERT_TRUE(Shutdown);
  auto After = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(0, 0, 0, 0))));
  ASSERT_TRUE(After);
  EXPECT_EQ(errorCode(*After), -32600);
  Client.notify("exit", nullptr);
  EXPECT_EQ(Client.process().wait(std::chrono::seconds(10)), 0);
}

TEST_F(LspSession, RequestBeforeInitializeIsRejected) {
  LspClient Client;
  auto Early = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(0, 0, 0, 0))));
  ASSERT_TRUE(Early);
  EXPECT_EQ(errorCode(*Early), -32002);
  initialize(Client, Root.path());
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, MalformedMessagesNeverStopTheServer) {
  LspClient Client;
  initialize(Client, Root.path());
  // A header without Content-Length, a JSON array, an id of the wrong type, a notification
  // with missing fields, and invalid UTF-8: each is answered or logged, none ends the session.
  Client.sendRaw("Content-Type: application/vscode-jsonrpc\r\n\r\n");
  Client.sendRaw(LspClient::frame(std::string("[1, 2, 3]")));
  Client.sendRaw(
      LspClient::frame(std::string(R"({"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"})")));
  Client.sendRaw(LspClient::frame(std::string(
      R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.py"}}})")));
  Client.sendRaw(
      LspClient::frame(std::string("{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"\xff\"}")));
  for (int64_t Expected : {-32700, -32600, -32600, -32700}) {
    auto Error = Client.waitFor([&](const Value &M) { return errorCode(M) == Expected; });
    ASSERT_TRUE(Error) << "expected error " << Expected;
  }
  open(Client, Uri, SampleText);
  auto Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), std::vector<std::string>{"GEN001"});
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, DebouncedEditsPublishOnlyTheLatestVersion) {
  LspClient Client; // the default 100 ms debounce
  initialize(Client, Root.path());
  open(Client, Uri, SampleText);
  ASSERT_TRUE(Client.diagnostics(Uri, 1));
  // Two edits in one write arrive well within the debounce delay: one check, for version 3.
  Client.sendRaw(LspClient::frame(Value(Object{
                     {"jsonrpc", "2.0"},
                     {"method", "textDocument/didChange"},
                     {"params", change(Uri, 2, Array{rangedChange(range(1, 35, 1, 36), "(")})}})) +
                 LspClient::frame(Value(Object{
                     {"jsonrpc", "2.0"},
                     {"method", "textDocument/didChange"},
                     {"params", change(Uri, 3, Array{rangedChange(range(1, 53, 1, 54), ")")})}})));
  auto Published = Client.diagnostics(Uri);
  ASSERT_TRUE(Published);
  EXPECT_EQ(object(*Published).getInteger("version").getValueOr(-1), 3);
  EXPECT_TRUE(codes(*Published).empty());
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, CancelledRequestIsAnsweredWithRequestCancelled) {
  LspClient Client;
  initialize(Client, Root.path());
  open(Client, Uri, SampleText);
  Value Request = Object{{"jsonrpc", "2.0"},
                         {"id", 500},
                         {"method", "textDocument/codeAction"},
                         {"params", codeActionParams(Uri, range(1, 40, 1, 40))}};
  Value Cancel =
      Object{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", Object{{"id", 500}}}};
  Client.sendRaw(LspClient::frame(Request) + LspClient::frame(Cancel));
  auto Response = Client.response(500);
  ASSERT_TRUE(Response);
  EXPECT_EQ(errorCode(*Response), -32800);
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, ClosingPublishesNoDiagnostics) {
  LspClient Client({"--debounce-ms", "0"});
  initialize(Client, Root.path());
  open(Client, Uri, SampleText);
  ASSERT_TRUE(Client.diagnostics(Uri, 1));
  Client.notify("textDocument/didClose", Object{{"textDocument", Object{{"uri", Uri}}}});
  auto Published = Client.diagnostics(Uri);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(diagnosticList(*Published).empty());
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

const char *const TwoFindings = "def total(xs):\n"
                                "    return sum([x * 2 for x in xs])\n"
                                "\n"
                                "\n"
                                "def show(items):\n"
                                "    doubled = [i * 2 for i in items]\n"
                                "    for d in doubled:\n"
                                "        print(d)\n";

TEST_F(LspSession, ConfigurationFromPyprojectAndEditorSettings) {
  Root.write("pyproject.toml", "[tool.memlint]\nignore = [\"GEN004\"]\n");
  LspClient Client({"--debounce-ms", "0"});
  initialize(Client, Root.path());
  open(Client, Uri, TwoFindings);
  auto Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), std::vector<std::string>{"GEN001"}) << "pyproject ignores GEN004";

  Client.notify("workspace/didChangeConfiguration",
                Object{{"settings", Object{{"memlint", Object{{"ignore", Array{"GEN001"}}}}}}});
  Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(codes(*Published).empty()) << "settings add GEN001 to the ignores";

  Root.write("pyproject.toml", "[tool.memlint]\n");
  Client.notify("workspace/didChangeWatchedFiles",
                Object{{"changes", Array{Object{{"uri", fileUri(Root.path() + "/pyproject.toml")},
                                                {"type", 2}}}}});
  Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), std::vector<std::string>{"GEN004"}) << "pyproject re-read";

  Client.notify(
      "workspace/didChangeConfiguration",
      Object{{"settings", Object{{"memlint", Object{{"select", Array{"GEN001", "NOPE1"}}}}}}});
  auto Warning = Client.waitFor([](const Value &M) {
    return object(M).getString("method") == llvm::StringRef("window/showMessage");
  });
  ASSERT_TRUE(Warning) << "an unknown selector is reported";
  EXPECT_NE(str(*Warning).find("NOPE1"), std::string::npos);
  Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), std::vector<std::string>{"GEN001"}) << "settings select GEN001";
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, InvalidPyprojectIsReportedAndDefaultsApply) {
  Root.write("pyproject.toml", "[tool.memlint]\nselect = 3\n");
  LspClient Client({"--debounce-ms", "0"});
  initialize(Client, Root.path());
  auto Error = Client.waitFor([](const Value &M) {
    return object(M).getString("method") == llvm::StringRef("window/showMessage");
  });
  ASSERT_TRUE(Error);
  EXPECT_NE(str(*Error).find("pyproject.toml"), std::string::npos) << str(*Error);
  open(Client, Uri, TwoFindings);
  auto Published = Client.diagnostics(Uri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), (std::vector<std::string>{"GEN001", "GEN004"}));
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, RelatedInformationFollowsTheClientCapability) {
  for (bool Supported : {true, false}) {
    LspClient Client({"--debounce-ms", "0"});
    initialize(Client, Root.path(), Supported);
    open(Client, Uri, TwoFindings);
    auto Published = Client.diagnostics(Uri, 1);
    ASSERT_TRUE(Published);
    ASSERT_EQ(diagnosticList(*Published).size(), 2u);
    const Object &Gen004 = object(diagnosticList(*Published)[1]);
    ASSERT_EQ(Gen004.getString("code"), llvm::StringRef("GEN004"));
    if (Supported) {
      const Array *Related = Gen004.getArray("relatedInformation");
      ASSERT_TRUE(Related);
      ASSERT_EQ(Related->size(), 1u);
      const Object &Location = *object((*Related)[0]).getObject("location");
      EXPECT_EQ(Location.getString("uri"), llvm::StringRef(Uri));
      EXPECT_EQ(str(*Location.get("range")), str(range(6, 13, 6, 20)));
    } else {
      EXPECT_FALSE(Gen004.get("relatedInformation"));
      EXPECT_TRUE(Gen004.getString("message")->contains("the only read of"));
    }
    EXPECT_EQ(Client.shutdownAndExit(), 0);
  }
}

TEST_F(LspSession, NoqaActionExtendsAnExistingCommentAndAvoidsContinuations) {
  LspClient Client({"--debounce-ms", "0"});
  initialize(Client, Root.path());
  open(Client, Uri,
       "def total(xs):\n"
       "    return sum([x for x in xs])  # noqa: GEN004\n"
       "\n"
       "\n"
       "def longer(xs):\n"
       "    return sum([x for x in xs]) + \\\n"
       "        1\n");
  ASSERT_TRUE(Client.diagnostics(Uri, 1));
  auto Actions = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(1, 20, 1, 20))));
  ASSERT_TRUE(Actions);
  const Array *List = object(*Actions).getArray("result");
  ASSERT_TRUE(List);
  ASSERT_EQ(List->size(), 2u) << str(*Actions);
  const Array *Edits = editsOf((*List)[1], Uri);
  ASSERT_TRUE(Edits);
  EXPECT_EQ(str(Value(Array(*Edits))),
            str(Array{Object{{"newText", ", GEN001"}, {"range", range(1, 47, 1, 47)}}}));

  Actions = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(5, 20, 5, 20))));
  ASSERT_TRUE(Actions);
  List = object(*Actions).getArray("result");
  ASSERT_TRUE(List);
  ASSERT_EQ(List->size(), 1u) << "no # noqa after a backslash continuation: " << str(*Actions);
  EXPECT_EQ(object((*List)[0]).getString("title"), llvm::StringRef("Use a generator expression"));

  // A cursor away from the finding, with the finding named in the context (as Neovim sends
  // it), still gets its actions.
  Value Named = codeActionParams(Uri, range(1, 0, 1, 0));
  (*Named.getAsObject()->getObject("context"))["diagnostics"] =
      Array{Object{{"code", "GEN001"}, {"range", range(1, 15, 1, 30)}, {"message", "..."}},
            Object{{"range", range(1, 0, 1, 1)}, {"message", "another tool, no code"}}};
  Actions = Client.response(Client.request("textDocument/codeAction", std::move(Named)));
  ASSERT_TRUE(Actions);
  ASSERT_TRUE(object(*Actions).getArray("result"));
  EXPECT_EQ(object(*Actions).getArray("result")->size(), 2u) << str(*Actions);
  Actions = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(1, 0, 1, 0))));
  ASSERT_TRUE(Actions);
  ASSERT_TRUE(object(*Actions).getArray("result"));
  EXPECT_TRUE(object(*Actions).getArray("result")->empty()) << "nothing under the cursor";

  // `only` without quickfix asks for other kinds: none.
  Value Params = codeActionParams(Uri, range(1, 20, 1, 20));
  (*Params.getAsObject()->getObject("context"))["only"] = Array{"source.organizeImports"};
  Actions = Client.response(Client.request("textDocument/codeAction", std::move(Params)));
  ASSERT_TRUE(Actions);
  ASSERT_TRUE(object(*Actions).getArray("result"));
  EXPECT_TRUE(object(*Actions).getArray("result")->empty());
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

TEST_F(LspSession, VersionedEditsWhenTheClientSupportsDocumentChanges) {
  LspClient Client({"--debounce-ms", "0"});
  Value Params = initializeParams(Root.path());
  (*Params.getAsObject()->getObject("capabilities"))["workspace"] =
      Object{{"workspaceEdit", Object{{"documentChanges", true}}}};
  ASSERT_TRUE(Client.response(Client.request("initialize", std::move(Params))));
  Client.notify("initialized", Object{});
  open(Client, Uri, SampleText, 7);
  ASSERT_TRUE(Client.diagnostics(Uri, 7));
  auto Actions = Client.response(
      Client.request("textDocument/codeAction", codeActionParams(Uri, range(1, 40, 1, 40))));
  ASSERT_TRUE(Actions);
  const Array *List = object(*Actions).getArray("result");
  ASSERT_TRUE(List && !List->empty());
  const Object *Edit = object((*List)[0]).getObject("edit");
  ASSERT_TRUE(Edit && Edit->getArray("documentChanges")) << str(*Actions);
  const Object &Change = object((*Edit->getArray("documentChanges"))[0]);
  EXPECT_EQ(Change.getObject("textDocument")->getInteger("version").getValueOr(-1), 7);
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

} // namespace

namespace {

const char *const TreeModule = "from pkg.node import Node\n"
                               "\n"
                               "\n"
                               "class Tree:\n"
                               "    def __init__(self):\n"
                               "        self.nodes = []\n"
                               "\n"
                               "    def add(self):\n"
                               "        self.nodes.append(Node(self))\n";
const char *const NodeModule = "class Node:\n"
                               "    def __init__(self, tree):\n"
                               "        self.tree = tree\n";

TEST_F(LspSession, CrossFileFindingsFollowEditsInOtherFiles) {
  Root.write("pkg/__init__.py", "");
  std::string TreePath = Root.write("pkg/tree.py", TreeModule);
  Root.write("pkg/node.py", NodeModule);
  std::string NodeUri = fileUri(Root.path() + "/pkg/node.py");
  std::string TreeUri = fileUri(TreePath);
  LspClient Client({"--debounce-ms", "0"});
  initialize(Client, Root.path());

  // The cycle Tree -> Node -> Tree is reported in node.py, with tree.py (not open) related.
  open(Client, NodeUri, NodeModule);
  auto Published = Client.diagnostics(NodeUri, 1);
  ASSERT_TRUE(Published);
  ASSERT_EQ(codes(*Published), std::vector<std::string>{"CYC001"}) << str(*Published);
  const Object &Cycle = object(diagnosticList(*Published)[0]);
  EXPECT_EQ(str(*Cycle.get("range")), str(range(2, 8, 2, 17)));
  ASSERT_TRUE(Cycle.getArray("relatedInformation"));
  bool MentionsTree = false;
  for (const Value &Related : *Cycle.getArray("relatedInformation"))
    MentionsTree |=
        object(Related).getObject("location")->getString("uri") == llvm::StringRef(TreeUri);
  EXPECT_TRUE(MentionsTree) << str(diagnosticList(*Published)[0]);

  // Editing the other module, open in the editor but unsaved, breaks the cycle: node.py, which
  // did not change, is published again without it.
  open(Client, TreeUri, TreeModule);
  ASSERT_TRUE(Client.diagnostics(TreeUri, 1));
  Client.notify("textDocument/didChange",
                change(TreeUri, 2, Array{rangedChange(range(8, 31, 8, 35), "None")}));
  ASSERT_TRUE(Client.diagnostics(TreeUri, 2));
  Published = Client.diagnostics(NodeUri, 1);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(codes(*Published).empty()) << str(*Published);

  // Closing the unsaved buffer brings back the file on disk, and the cycle.
  Client.notify("textDocument/didClose", Object{{"textDocument", Object{{"uri", TreeUri}}}});
  Published = Client.diagnostics(NodeUri, 1);
  ASSERT_TRUE(Published);
  EXPECT_EQ(codes(*Published), std::vector<std::string>{"CYC001"});

  // A change on disk, reported by the client's file watcher, updates it again.
  Root.write("pkg/tree.py", "class Tree:\n    pass\n");
  Client.notify("workspace/didChangeWatchedFiles",
                Object{{"changes", Array{Object{{"uri", TreeUri}, {"type", 2}}}}});
  Published = Client.diagnostics(NodeUri, 1);
  ASSERT_TRUE(Published);
  EXPECT_TRUE(codes(*Published).empty()) << str(*Published);
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

} // namespace
