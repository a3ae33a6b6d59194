//===- StressTest.cpp - 10,000 random edits through Document and the server ===//
//
// An editor sends a long stream of small ranged edits, now and then a whole new text, with
// positions in UTF-16 code units. Two things must hold after any such stream:
//  - the tree the Document keeps up to date with ts_tree_edit, once reparsed, is the tree a
//    fresh parse of the same text gives (node by node: kind, byte range, point range);
//  - the server that received the edits one by one publishes exactly what a server that was
//    sent the whole text publishes, and still answers requests.
// The edits start from a real module (corpus/demo/inventory/models.py) and come from a fixed
// seed, so a failure is reproducible; the test keeps its own copy of the text (the "mirror")
// and computes every LSP position from it independently of SourceFile.
//
//===----------------------------------------------------------------------===//
#include "Document.h"
#include "LspClient.h"

#include "frontend/Parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <sys/resource.h>

using namespace memlint;
using namespace memlint::lsp;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;
using memlint::test::LspClient;
using memlint::test::TempDir;

namespace {

constexpr int TotalEdits = 10000;
constexpr int BatchSize = 100;

std::string readSourceFile(const std::string &Relative) {
  std::ifstream In(std::string(MEMLINT_SOURCE_DIR) + "/" + Relative, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// One edit as the editor would send it: Range absent means "replace everything".
struct Edit {
  bool Whole = false;
  uint32_t StartLine = 0, StartColumn = 0, EndLine = 0, EndColumn = 0; // UTF-16 columns
  std::string Text;
};

/// Generates random edits and applies them to its own copy of the text.
class EditStream {
public:
  explicit EditStream(std::string Original)
      : Original(Original), Text(std::move(Original)), Random(20240915) {
    llvm::StringRef(this->Original).split(OriginalLines, '\n');
  }

  const std::string &text() const { return Text; }

  Edit next() {
    Edit E;
    unsigned Kind = Random() % 100;
    // Keep the text near real-module size, so the parse stays meaningful and fast.
    if (Kind < 1 || Text.size() > 4 * Original.size()) {
      E.Whole = true;
      // Now and then the original, otherwise the original with a unicode line in front.
      E.Text = Random() % 2 ? Original : "s = \"ünï 😀 €\"  # 𝔘\n" + Original;
      Text = E.Text;
      return E;
    }
    size_t Begin = randomOffset(), End = Begin;
    if (Kind < 40) { // type a token
      E.Text = piece();
    } else if (Kind < 55) { // paste whole lines of the original
      unsigned Count = 1 + Random() % 5;
      size_t First = Random() % OriginalLines.size();
      for (size_t I = First; I < std::min(First + Count, OriginalLines.size()); ++I)
        E.Text += OriginalLines[I].str() + "\n";
    } else if (Kind < 85) { // delete a few characters, or a span over several lines
      End = clampToBoundary(Begin + (Random() % 4 == 0 ? Random() % 300 : 1 + Random() % 8));
    } else { // replace a selection
      End = clampToBoundary(Begin + 1 + Random() % 20);
      E.Text = piece();
    }
    positionOf(Begin, E.StartLine, E.StartColumn);
    positionOf(End, E.EndLine, E.EndColumn);
    Text.replace(Begin, End - Begin, E.Text);
    return E;
  }

private:
  std::string piece() {
    static const char *const Pieces[] = {
        "x",      "self", "(",    ")",      "[",       "]",        "{",         "}",       ":",
        ",",      " ",    "    ", "\t",     "\n",      "\r\n",     "\n\n",      "'",       "\"",
        "\"\"\"", "#",    "def ", "class ", "return ", "lambda: ", "for i in ", "if ",     "else:",
        ".",      "=",    "+=",   "é",      "€",       "😀",        "𝔘",         "naïve 😀", "\\",
        "\r",     "@",    "0x1F", "f'{",    "}'"};
    return Pieces[Random() % std::size(Pieces)];
  }

  /// A random offset at a character boundary, never between the \r and \n of a line break
  /// (no LSP position names that spot).
  size_t randomOffset() { return clampToBoundary(Random() % (Text.size() + 1)); }

  size_t clampToBoundary(size_t Offset) {
    Offset = std::min(Offset, Text.size());
    while (Offset > 0 && Offset < Text.size() && (Text[Offset] & 0xC0) == 0x80)
      --Offset;
    if (Offset > 0 && Offset < Text.size() && Text[Offset - 1] == '\r' && Text[Offset] == '\n')
      --Offset;
    return Offset;
  }

  /// The LSP position of a byte offset: lines end at \n, \r\n or \r; columns count UTF-16 units.
  void positionOf(size_t Offset, uint32_t &Line, uint32_t &Column) const {
    Line = 0;
    size_t LineStart = 0;
    for (size_t I = 0; I < Offset; ++I) {
      if (Text[I] == '\n' || (Text[I] == '\r' && (I + 1 >= Text.size() || Text[I + 1] != '\n'))) {
        ++Line;
        LineStart = I + 1;
      }
    }
    Column = 0;
    for (size_t I = LineStart; I < Offset; ++I) {
      unsigned char C = static_cast<unsigned char>(Text[I]);
      if ((C & 0xC0) != 0x80)
        Column += C >= 0xF0 ? 2 : 1; // a 4-byte sequence is a surrogate pair
    }
  }

  std::string Original, Text;
  llvm::SmallVector<llvm::StringRef, 256> OriginalLines;
  std::mt19937 Random;
};

ContentChange toChange(const Edit &E) {
  ContentChange C;
  if (!E.Whole)
    C.Range = LspRange{{E.StartLine, E.StartColumn}, {E.EndLine, E.EndColumn}};
  C.Text = E.Text;
  return C;
}

/// The first node where two trees differ (kind, byte range, point range, missing), as a
/// message; empty when they are the same tree.
std::string firstDifference(TSTree *A, TSTree *B) {
  TSTreeCursor CA = ts_tree_cursor_new(ts_tree_root_node(A));
  TSTreeCursor CB = ts_tree_cursor_new(ts_tree_root_node(B));
  std::string Difference;
  auto Describe = [](TSNode N) {
    TSPoint S = ts_node_start_point(N), E = ts_node_end_point(N);
    return std::string(ts_node_type(N)) + " [" + std::to_string(ts_node_start_byte(N)) + ", " +
           std::to_string(ts_node_end_byte(N)) + ") " + std::to_string(S.row) + ":" +
           std::to_string(S.column) + "-" + std::to_string(E.row) + ":" + std::to_string(E.column) +
           (ts_node_is_missing(N) ? " MISSING" : "");
  };
  while (Difference.empty()) {
    TSNode NA = ts_tree_cursor_current_node(&CA), NB = ts_tree_cursor_current_node(&CB);
    if (Describe(NA) != Describe(NB)) {
      Difference = "incremental " + Describe(NA) + " vs fresh " + Describe(NB);
      break;
    }
    // Pre-order walk of both trees in lock step.
    bool DownA = ts_tree_cursor_goto_first_child(&CA), DownB = ts_tree_cursor_goto_first_child(&CB);
    if (DownA != DownB) {
      Difference = "children differ under " + Describe(NA);
      break;
    }
    if (DownA)
      continue;
    bool Done = false;
    while (true) {
      bool NextA = ts_tree_cursor_goto_next_sibling(&CA),
           NextB = ts_tree_cursor_goto_next_sibling(&CB);
      if (NextA != NextB) {
        Difference = "siblings differ after " + Describe(ts_tree_cursor_current_node(&CA));
        break;
      }
      if (NextA)
        break;
      bool UpA = ts_tree_cursor_goto_parent(&CA), UpB = ts_tree_cursor_goto_parent(&CB);
      if (!UpA || !UpB) {
        Done = true;
        break;
      }
    }
    if (Done)
      break;
  }
  ts_tree_cursor_delete(&CA);
  ts_tree_cursor_delete(&CB);
  return Difference;
}

TEST(LspStress, TenThousandRandomEditsKeepTheDocumentTreeInStep) {
  std::string Original = readSourceFile("corpus/demo/inventory/models.py");
  ASSERT_GT(Original.size(), 1000u);
  EditStream Edits(Original);
  Parser P;
  Document Doc("file:///models.py", "/models.py", 1, Original);
  Doc.Tree = P.parse(*Doc.Source);
  {
    // The comparison sees a difference in the very last node of the file.
    SourceFile Longer("/models.py", Original + "x = 1\n");
    TreePtr Other = P.parse(Longer);
    ASSERT_NE(firstDifference(Doc.Tree.get(), Other.get()), "");
    ASSERT_EQ(firstDifference(Doc.Tree.get(), Doc.Tree.get()), "");
  }
  unsigned WholeReplacements = 0, Checked = 0;
  for (int I = 1; I <= TotalEdits; ++I) {
    Edit E = Edits.next();
    WholeReplacements += E.Whole;
    Doc.applyChange(toChange(E));
    // The server reparses once per debounced check, after a burst of edits; a shorter burst
    // now and then, so edits land on trees of every age.
    if (I % BatchSize != 0 && I % 37 != 0)
      continue;
    ASSERT_EQ(Doc.Source->text().str(), Edits.text()) << "after edit " << I;
    Doc.Tree = P.parse(*Doc.Source, Doc.Tree.get());
    TreePtr Fresh = P.parse(*Doc.Source);
    ASSERT_TRUE(Doc.Tree && Fresh);
    std::string Difference = firstDifference(Doc.Tree.get(), Fresh.get());
    ASSERT_EQ(Difference, "") << "after edit " << I << " the text is:\n" << Edits.text();
    ++Checked;
  }
  // The stream really mixed its kinds of edits.
  EXPECT_GT(WholeReplacements, 20u);
  EXPECT_GT(Checked, 300u);
}

std::string fileUri(const std::string &Path) { return "file://" + Path; }

std::string str(const Value &V) {
  std::string S;
  llvm::raw_string_ostream(S) << V;
  return S;
}

/// A server on Root with Uri open at version 1.
void start(LspClient &Client, const std::string &Root, const std::string &Uri,
           const std::string &Text) {
  int64_t Id = Client.request(
      "initialize",
      Object{{"processId", nullptr},
             {"rootUri", fileUri(Root)},
             {"capabilities",
              Object{{"textDocument",
                      Object{{"publishDiagnostics", Object{{"relatedInformation", true}}}}}}}});
  ASSERT_TRUE(Client.response(Id)) << "no answer to initialize";
  Client.notify("initialized", Object{});
  Client.notify(
      "textDocument/didOpen",
      Object{{"textDocument",
              Object{{"uri", Uri}, {"languageId", "python"}, {"version", 1}, {"text", Text}}}});
}

Value changeParams(const std::string &Uri, int64_t Version, const Edit &E) {
  Object Change{{"text", E.Text}};
  if (!E.Whole)
    Change["range"] = Object{{"start", Object{{"line", E.StartLine}, {"character", E.StartColumn}}},
                             {"end", Object{{"line", E.EndLine}, {"character", E.EndColumn}}}};
  return Object{{"textDocument", Object{{"uri", Uri}, {"version", Version}}},
                {"contentChanges", Array{std::move(Change)}}};
}

/// Asks for the code actions of the whole document (which makes the server check a document
/// with pending edits first) and returns the diagnostics it published for Version.
std::optional<Value> checkedDiagnostics(LspClient &Client, const std::string &Uri,
                                        int64_t Version) {
  int64_t Id =
      Client.request("textDocument/codeAction",
                     Object{{"textDocument", Object{{"uri", Uri}}},
                            {"range", Object{{"start", Object{{"line", 0}, {"character", 0}}},
                                             {"end", Object{{"line", 100000}, {"character", 0}}}}},
                            {"context", Object{{"diagnostics", Array{}}}}});
  if (!Client.response(Id))
    return std::nullopt;
  auto Published = Client.diagnostics(Uri, Version);
  if (!Published)
    return std::nullopt;
  return *Published->getAsObject()->get("diagnostics");
}

TEST(LspStress, ServerAfterTenThousandEditsPublishesWhatAFreshTextGives) {
  // Two servers on the same project: `Edited` receives every edit as its own didChange,
  // `Fresh` receives the mirror's whole text once per batch. Their diagnostics must agree.
  std::string Original = readSourceFile("corpus/demo/inventory/models.py");
  TempDir Root;
  std::string Path = Root.write("models.py", Original);
  std::string Uri = fileUri(Path);
  LspClient Edited, Fresh;
  start(Edited, Root.path(), Uri, Original);
  start(Fresh, Root.path(), Uri, Original);
  ASSERT_FALSE(HasFailure());
  EditStream Edits(Original);
  std::set<std::string> Distinct;
  for (int64_t Version = 2; Version <= TotalEdits + 1; ++Version) {
    Edited.notify("textDocument/didChange", changeParams(Uri, Version, Edits.next()));
    if ((Version - 1) % BatchSize != 0)
      continue;
    Edit Whole;
    Whole.Whole = true;
    Whole.Text = Edits.text();
    Fresh.notify("textDocument/didChange", changeParams(Uri, Version, Whole));
    auto Got = checkedDiagnostics(Edited, Uri, Version);
    ASSERT_TRUE(Got) << "the server stopped answering at version " << Version;
    auto Want = checkedDiagnostics(Fresh, Uri, Version);
    ASSERT_TRUE(Want) << "the reference server stopped answering at version " << Version;
    ASSERT_EQ(str(*Got), str(*Want)) << "at version " << Version << " the text is:\n"
                                     << Edits.text();
    Distinct.insert(str(*Got));
  }
  // The batches produced many different sets of findings (and syntax errors), so the
  // comparison above was not between the same two lists every time.
  EXPECT_GT(Distinct.size(), 20u);
  EXPECT_EQ(Edited.shutdownAndExit(), 0);
  EXPECT_EQ(Fresh.shutdownAndExit(), 0);
}

TEST(LspStress, DeepestNestingWithASmallStackLimit) {
  // Buffers nested as deep as the lowering accepts, in a server started with `ulimit -s 2048`:
  // it checks them on its own thread with an explicit stack, so it must neither crash (as it
  // did when it checked on the main thread) nor stop answering.
  rlimit Saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_STACK, &Saved), 0);
  rlimit Small = Saved;
  Small.rlim_cur = std::min<rlim_t>(Saved.rlim_cur, 2u << 20);
  ASSERT_EQ(::setrlimit(RLIMIT_STACK, &Small), 0);
  LspClient Client; // inherits the limit
  ASSERT_EQ(::setrlimit(RLIMIT_STACK, &Saved), 0);
  TempDir Root;
  std::string Sum = "x = 1";
  for (int I = 0; I < 4999; ++I)
    Sum += "+1";
  std::string Try;
  for (int I = 0; I < 3000; ++I)
    Try += std::string(static_cast<size_t>(I), ' ') + "try:\n";
  Try += std::string(3000, ' ') + "pass\n";
  for (int I = 2999; I >= 0; --I)
    Try += std::string(static_cast<size_t>(I), ' ') + "finally: pass\n";
  start(Client, Root.path(), fileUri(Root.path() + "/sum.py"), Sum + "\n");
  ASSERT_FALSE(HasFailure());
  Client.notify("textDocument/didOpen",
                Object{{"textDocument", Object{{"uri", fileUri(Root.path() + "/try.py")},
                                               {"languageId", "python"},
                                               {"version", 1},
                                               {"text", Try}}}});
  for (const char *Name : {"/sum.py", "/try.py"}) {
    auto Published = Client.diagnostics(fileUri(Root.path() + Name), 1);
    ASSERT_TRUE(Published) << Name << ": no diagnostics (did the server crash?)";
    const Array &List = memlint::test::diagnosticList(*Published);
    ASSERT_EQ(List.size(), 1u) << Name << ": " << str(*Published);
    EXPECT_EQ(
        List[0].getAsObject()->getString("message"),
        llvm::StringRef("memlint cannot analyze this file: nested more than 3000 levels deep"))
        << Name;
  }
  EXPECT_EQ(Client.shutdownAndExit(), 0);
}

} // namespace
