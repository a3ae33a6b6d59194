//===- Fix.cpp - `check --fix`, `--diff` and `--add-noqa` -------------------===//
#include "analyzer/Fix.h"

#include "analyzer/Baseline.h"
#include "analyzer/Suppress.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/thread.h"

#include <atomic>

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace memlint {

//===----------------------------------------------------------------------===//
// Applying fixes
//===----------------------------------------------------------------------===//

bool isApplicable(const Diagnostic &D, FixSelection Selection) {
  return D.FixIt && !D.FixIt->Edits.empty() &&
         (D.FixIt->Safety == Applicability::Safe || Selection == FixSelection::IncludeUnsafe);
}

namespace {

/// Two edits conflict when they replace common bytes, or start at the same offset (the order of
/// an insertion and a replacement there would be a guess).
bool conflicts(TextRange A, TextRange B) {
  return (A.Begin < B.End && B.Begin < A.End) || A.Begin == B.Begin;
}

bool sameEdits(const Fix &A, const Fix &B) {
  return A.Edits.size() == B.Edits.size() &&
         llvm::all_of(llvm::zip(A.Edits, B.Edits), [](const auto &Pair) {
           const Edit &X = std::get<0>(Pair), &Y = std::get<1>(Pair);
           return X.Range.Begin == Y.Range.Begin && X.Range.End == Y.Range.End &&
                  X.Replacement == Y.Replacement;
         });
}

/// A fix whose own edits are out of bounds or overlap each other is a rule bug: never applied.
bool wellFormed(const Fix &F, size_t TextSize) {
  for (size_t I = 0; I < F.Edits.size(); ++I) {
    TextRange R = F.Edits[I].Range;
    if (R.Begin > R.End || R.End > TextSize)
      return false;
    for (size_t J = 0; J < I; ++J)
      if (conflicts(R, F.Edits[J].Range))
        return false;
  }
  return true;
}

uint32_t firstOffset(const Fix &F) {
  uint32_t First = UINT32_MAX;
  for (const Edit &E : F.Edits)
    First = std::min(First, E.Range.Begin);
  return First;
}

} // namespace

AppliedEdits applyFixes(llvm::StringRef Text, llvm::ArrayRef<Diagnostic> Diags,
                        FixSelection Selection) {
  std::vector<const Fix *> Candidates;
  for (const Diagnostic &D : Diags)
    if (isApplicable(D, Selection) && wellFormed(*D.FixIt, Text.size()))
      Candidates.push_back(&*D.FixIt);
  // Stable: diagnostics arrive sorted by position, code and message, so ties stay deterministic.
  llvm::stable_sort(Candidates,
                    [](const Fix *A, const Fix *B) { return firstOffset(*A) < firstOffset(*B); });

  AppliedEdits Out;
  std::vector<const Fix *> Taken;
  std::vector<const Edit *> TakenEdits;
  for (const Fix *F : Candidates) {
    // Two findings can propose the very same rewrite; it goes in once and settles both.
    if (llvm::any_of(Taken, [&](const Fix *T) { return sameEdits(*T, *F); })) {
      ++Out.FixesApplied;
      continue;
    }
    bool Overlaps = llvm::any_of(F->Edits, [&](const Edit &E) {
      return llvm::any_of(TakenEdits, [&](const Edit *T) { return conflicts(E.Range, T->Range); });
    });
    if (Overlaps) {
      ++Out.FixesDeferred;
      continue;
    }
    Taken.push_back(F);
    for (const Edit &E : F->Edits)
      TakenEdits.push_back(&E);
    ++Out.FixesApplied;
  }

  llvm::sort(TakenEdits,
             [](const Edit *A, const Edit *B) { return A->Range.Begin < B->Range.Begin; });
  Out.Text.reserve(Text.size());
  uint32_t At = 0;
  for (const Edit *E : TakenEdits) {
    Out.Text.append(Text.begin() + At, Text.begin() + E->Range.Begin);
    Out.Text += E->Replacement;
    At = E->Range.End;
  }
  Out.Text.append(Text.begin() + At, Text.end());
  return Out;
}

namespace {

/// "E999 at line 3, column 7: <message>" from a failed check.
std::string describeFailure(const FileResult &R) {
  if (R.Diagnostics.empty())
    return "it could not be analyzed";
  const Diagnostic &D = R.Diagnostics.front();
  return (llvm::Twine(D.Code) + " at line " + llvm::Twine(D.Start.Line) + ", column " +
          llvm::Twine(D.Start.Column) + ": " + D.Message)
      .str();
}

} // namespace

namespace {

/// Runs Work(P, I) for I in [0, Count) on worker threads (Threads, 0 = all cores), each with
/// its own parser and, like runCheck's workers, a stack deep enough for the deepest nesting the
/// lowering accepts.
void forEachFile(size_t Count, unsigned Threads, llvm::function_ref<void(Parser &, size_t)> Work) {
  if (Count == 0)
    return;
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    Parser P;
    for (size_t I = Next++; I < Count; I = Next++)
      Work(P, I);
  };
  unsigned Workers = std::max(1u, llvm::hardware_concurrency(Threads).compute_thread_count());
  Workers = static_cast<unsigned>(std::min<size_t>(Workers, Count));
  constexpr unsigned WorkerStackBytes = 32u << 20;
  std::vector<llvm::thread> Pool;
  for (unsigned W = 0; W < Workers; ++W)
    Pool.emplace_back(llvm::Optional<unsigned>(WorkerStackBytes), Worker);
  for (llvm::thread &T : Pool)
    T.join();
}

/// One file going through --fix, in memory.
struct FixState {
  std::string Display;
  std::string Original; // the bytes read
  std::string Text;     // with the fixes applied so far
  size_t Applied = 0;
  std::set<std::string> Codes; // rules whose fixes went in, for a refusal message
  std::string Refusal;
  std::optional<FileResult> Result; // the check of Text; reset when Text changes
  std::vector<Diagnostic> Project;  // project-wide findings in this file, for Text
};

/// Checks every file whose text changed since its last check, then runs the project phase over
/// all of them, as runCheck does for files on disk.
void checkAll(const CheckContext &Ctx, std::vector<FixState> &Files, unsigned Threads) {
  std::vector<size_t> Stale;
  for (size_t I = 0; I < Files.size(); ++I)
    if (!Files[I].Result)
      Stale.push_back(I);
  forEachFile(Stale.size(), Threads, [&](Parser &P, size_t K) {
    FixState &F = Files[Stale[K]];
    F.Result = checkSource(Ctx, P, F.Display, F.Text);
  });
  for (FixState &F : Files)
    F.Project.clear();
  if (Ctx.ProjectRules.empty())
    return;
  std::vector<ModuleSummary> Summaries;
  llvm::StringMap<size_t> ByPath;
  for (size_t I = 0; I < Files.size(); ++I) {
    ByPath[Files[I].Display] = I;
    if (Files[I].Result->Summary)
      Summaries.push_back(*Files[I].Result->Summary);
  }
  for (Diagnostic &D : checkProject(Ctx, Summaries)) {
    auto It = ByPath.find(D.Path);
    if (It != ByPath.end())
      Files[It->second].Project.push_back(std::move(D));
  }
}

std::vector<Diagnostic> findingsOf(const FixState &F) {
  std::vector<Diagnostic> All = F.Result->Diagnostics;
  All.insert(All.end(), F.Project.begin(), F.Project.end());
  llvm::sort(All);
  return All;
}

/// The fix loop: check everything, apply each file's applicable fixes, repeat until nothing
/// applies or MaxFixPasses passes have run. A file whose fixed text no longer parses goes back
/// to its original text and gets no more fixes.
void fixAll(const CheckContext &Ctx, std::vector<FixState> &Files, FixSelection Selection,
            unsigned Threads) {
  for (unsigned Pass = 0;;) {
    checkAll(Ctx, Files, Threads);
    bool Reverted = false;
    for (FixState &F : Files) {
      if (F.Result->Status == FileStatus::Analyzed || F.Text == F.Original)
        continue;
      // Never write a file Python would reject: keep it exactly as it was.
      F.Refusal = "refusing to apply fixes (" + llvm::join(F.Codes.begin(), F.Codes.end(), ", ") +
                  "): the fixed code would not parse (" + describeFailure(*F.Result) +
                  "); the file is left unchanged. This is a memlint bug; please report it.";
      F.Text = F.Original;
      F.Applied = 0;
      F.Result.reset();
      Reverted = true;
    }
    if (Reverted)
      continue; // check the restored files again (each file is refused at most once)
    if (Pass++ == MaxFixPasses)
      return;
    bool Changed = false;
    for (FixState &F : Files) {
      if (!F.Refusal.empty() || F.Result->Status != FileStatus::Analyzed)
        continue;
      std::vector<Diagnostic> Findings = findingsOf(F);
      AppliedEdits A = applyFixes(F.Text, Findings, Selection);
      if (A.FixesApplied == 0 || A.Text == F.Text)
        continue;
      for (const Diagnostic &D : Findings)
        if (isApplicable(D, Selection))
          F.Codes.insert(D.Code.str());
      F.Text = std::move(A.Text);
      F.Applied += A.FixesApplied;
      F.Result.reset();
      Changed = true;
    }
    if (!Changed)
      return;
  }
}

} // namespace

FixedSource fixSource(const CheckContext &Ctx, llvm::StringRef DisplayPath,
                      const std::string &Bytes, FixSelection Selection) {
  std::vector<FixState> Files(1);
  Files[0].Display = DisplayPath.str();
  Files[0].Original = Files[0].Text = Bytes;
  fixAll(Ctx, Files, Selection, /*Threads=*/1);
  FixedSource Out;
  Out.Text = std::move(Files[0].Text);
  Out.FixesApplied = Files[0].Applied;
  Out.Refusal = std::move(Files[0].Refusal);
  std::vector<Diagnostic> Findings = findingsOf(Files[0]);
  Out.Remaining = std::move(*Files[0].Result);
  Out.Remaining.Diagnostics = std::move(Findings);
  return Out;
}

//===----------------------------------------------------------------------===//
// --add-noqa
//===----------------------------------------------------------------------===//

namespace {

/// Ranges of the strings that span lines, and of comments: where a line end cannot take a
/// comment, and where a trailing backslash is only text.
struct CommentContext {
  std::vector<TextRange> MultilineStrings;
  std::vector<TextRange> Comments;

  bool insideString(uint32_t Offset) const {
    return llvm::any_of(MultilineStrings,
                        [&](TextRange R) { return R.Begin < Offset && Offset < R.End; });
  }
  bool insideComment(uint32_t Offset) const {
    return llvm::any_of(Comments, [&](TextRange R) { return R.Begin <= Offset && Offset < R.End; });
  }
};

CommentContext collectContext(TSTree *Tree, llvm::StringRef Text) {
  CommentContext Out;
  TSTreeCursor Cursor = ts_tree_cursor_new(ts_tree_root_node(Tree));
  bool More = true;
  while (More) {
    TSNode Node = ts_tree_cursor_current_node(&Cursor);
    SyntaxKind Kind = kindOf(Node);
    TextRange R = rangeOf(Node);
    bool Descend = true;
    if (Kind == SyntaxKind::String) {
      // Strings hold no comments; only multi-line ones can contain a line end.
      if (Text.slice(R.Begin, R.End).find_first_of("\r\n") != llvm::StringRef::npos)
        Out.MultilineStrings.push_back(R);
      Descend = false;
    } else if (Kind == SyntaxKind::Comment) {
      Out.Comments.push_back(R);
    }
    if (Descend && ts_tree_cursor_goto_first_child(&Cursor))
      continue;
    while (!ts_tree_cursor_goto_next_sibling(&Cursor)) {
      if (!ts_tree_cursor_goto_parent(&Cursor)) {
        More = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&Cursor);
  return Out;
}

} // namespace

NoqaSource addNoqaDirectives(Parser &P, llvm::StringRef DisplayPath, const std::string &Bytes,
                             llvm::ArrayRef<Diagnostic> Diags) {
  NoqaSource Out;
  Out.Text = Bytes;
  // Which codes each line needs (sorted, unique). File-level errors cannot be suppressed.
  std::map<uint32_t, std::set<std::string>> Wanted;
  for (const Diagnostic &D : Diags)
    if (D.Code != IoErrorInfo.Code && D.Code != SyntaxErrorInfo.Code)
      Wanted[D.Start.Line].insert(D.Code.str());
  if (Wanted.empty())
    return Out;

  DecodedSource Decoded = decodeSource(Bytes);
  if (!Decoded.Error.empty())
    return Out;
  // The decoded text tells where strings and comments are; the edits go into the file's own
  // bytes. Both have the same lines for every encoding Python accepts that is not UTF-8 (they
  // are ASCII-compatible), which is checked rather than assumed.
  SourceFile Text(DisplayPath.str(), std::move(Decoded.Text));
  SourceFile Raw(DisplayPath.str(), Bytes);
  if (Text.lineCount() != Raw.lineCount()) {
    Out.Skipped.push_back("cannot place comments in a file decoded from " + Decoded.Encoding);
    return Out;
  }
  TreePtr Tree = P.parse(Text);
  if (!Tree) {
    Out.Skipped.push_back("the file could not be parsed again");
    return Out;
  }
  CommentContext Context = collectContext(Tree.get(), Text.text());

  struct Insertion {
    TextRange Range; // in Raw
    std::string Text;
  };
  std::vector<Insertion> Insertions;
  for (auto &[Line, Codes] : Wanted) {
    if (Line < 1 || Line > Text.lineCount())
      continue;
    llvm::StringRef TextLine = Text.lineText(Line), RawLine = Raw.lineText(Line);
    uint32_t TextStart = Text.lineStart(Line), RawStart = Raw.lineStart(Line);
    std::set<std::string> Missing = Codes;
    std::optional<NoqaDirective> Existing = parseNoqa(TextLine);
    std::optional<NoqaDirective> RawExisting = parseNoqa(RawLine);
    if (Existing && Existing->All)
      continue;
    if (Existing)
      for (llvm::StringRef C : Existing->Codes)
        Missing.erase(C.str()); // exact, as NoqaDirective::covers compares
    if (Missing.empty())
      continue;
    std::string List = llvm::join(Missing.begin(), Missing.end(), ", ");
    // A copy, not the structured binding: clang before 16 cannot capture bindings in a lambda.
    auto Skip = [&, LineNumber = Line](llvm::StringRef Why) {
      Out.Skipped.push_back((llvm::Twine("line ") + llvm::Twine(LineNumber) +
                             ": cannot add `# noqa: " + List + "`: " + Why)
                                .str());
    };

    if (Existing && !Existing->Codes.empty() && RawExisting && !RawExisting->Codes.empty()) {
      // Extend the directive already on the line: `# noqa: A` -> `# noqa: A, B`.
      uint32_t TextAt = TextStart + (Existing->Codes.back().end() - TextLine.begin());
      uint32_t RawAt = RawStart + (RawExisting->Codes.back().end() - RawLine.begin());
      if (!Context.insideComment(TextAt - 1)) {
        Skip("the line's `# noqa` is not a comment");
        continue;
      }
      Insertions.push_back({{RawAt, RawAt}, ", " + List});
      Out.Added += Missing.size();
      continue;
    }

    uint32_t TextEnd = TextStart + TextLine.rtrim(" \t\f").size();
    uint32_t RawEnd = RawStart + RawLine.rtrim(" \t\f").size();
    if (Context.insideString(TextEnd)) {
      Skip("the line ends inside a multi-line string");
      continue;
    }
    if (TextEnd > TextStart && Text.text()[TextEnd - 1] == '\\' &&
        !Context.insideComment(TextEnd - 1)) {
      Skip("the line ends with a backslash continuation");
      continue;
    }
    // Trailing blanks are replaced; the comment keeps two spaces from the code (PEP 8).
    llvm::StringRef Lead = RawEnd == RawStart ? "" : "  ";
    Insertions.push_back({{RawEnd, Raw.lineEnd(Line)}, Lead.str() + "# noqa: " + List});
    Out.Added += Missing.size();
  }

  std::string Result;
  Result.reserve(Bytes.size() + Insertions.size() * 24);
  uint32_t At = 0;
  for (const Insertion &I : Insertions) { // already in line order
    Result.append(Bytes, At, I.Range.Begin - At);
    Result += I.Text;
    At = I.Range.End;
  }
  Result.append(Bytes, At, std::string::npos);
  Out.Text = std::move(Result);
  return Out;
}

//===----------------------------------------------------------------------===//
// --diff
//===----------------------------------------------------------------------===//

namespace {

/// Lines with their terminators (\n, \r\n or a lone \r), so a diff of line endings shows.
std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  size_t Begin = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\n' || Text[I] == '\r') {
      if (Text[I] == '\r' && I + 1 < Text.size() && Text[I + 1] == '\n')
        ++I;
      Lines.push_back(Text.slice(Begin, I + 1));
      Begin = I + 1;
    }
  }
  if (Begin < Text.size())
    Lines.push_back(Text.substr(Begin));
  return Lines;
}

enum class Op : uint8_t { Keep, Delete, Insert };

struct Step {
  Op Kind;
  size_t A, B; // indices into the old and new lines (the one that applies)
};

/// Myers' O(ND) shortest edit script between A and B, with a bound on D: past it, the middle
/// is shown as deleted and re-inserted (still a correct diff, only not a minimal one).
std::vector<Step> diffLines(llvm::ArrayRef<llvm::StringRef> A, llvm::ArrayRef<llvm::StringRef> B) {
  size_t Prefix = 0;
  while (Prefix < A.size() && Prefix < B.size() && A[Prefix] == B[Prefix])
    ++Prefix;
  size_t Suffix = 0;
  while (Suffix < A.size() - Prefix && Suffix < B.size() - Prefix &&
         A[A.size() - 1 - Suffix] == B[B.size() - 1 - Suffix])
    ++Suffix;
  llvm::ArrayRef<llvm::StringRef> MA = A.slice(Prefix, A.size() - Prefix - Suffix);
  llvm::ArrayRef<llvm::StringRef> MB = B.slice(Prefix, B.size() - Prefix - Suffix);

  std::vector<Step> Middle;
  const long N = static_cast<long>(MA.size()), M = static_cast<long>(MB.size());
  const long MaxD = std::min<long>(N + M, 1000);
  const long Offset = MaxD + 1;
  std::vector<long> V(2 * Offset + 1, 0);
  std::vector<std::vector<long>> Trace; // V before each round d, for backtracking
  bool Found = N == 0 && M == 0;
  long FinalD = 0;
  for (long D = 0; D <= MaxD && !Found; ++D) {
    Trace.push_back(V);
    for (long K = -D; K <= D; K += 2) {
      long X = (K == -D || (K != D && V[Offset + K - 1] < V[Offset + K + 1]))
                   ? V[Offset + K + 1]
                   : V[Offset + K - 1] + 1;
      long Y = X - K;
      while (X < N && Y < M && MA[X] == MB[Y])
        ++X, ++Y;
      V[Offset + K] = X;
      if (X >= N && Y >= M) {
        Found = true;
        FinalD = D;
        break;
      }
    }
  }
  if (!Found) {
    for (long I = 0; I < N; ++I)
      Middle.push_back({Op::Delete, static_cast<size_t>(I), 0});
    for (long J = 0; J < M; ++J)
      Middle.push_back({Op::Insert, 0, static_cast<size_t>(J)});
  } else if (N || M) {
    long X = N, Y = M;
    for (long D = FinalD; D > 0; --D) {
      const std::vector<long> &Prev = Trace[D];
      long K = X - Y;
      long PrevK =
          (K == -D || (K != D && Prev[Offset + K - 1] < Prev[Offset + K + 1])) ? K + 1 : K - 1;
      long PrevX = Prev[Offset + PrevK], PrevY = PrevX - PrevK;
      while (X > PrevX && Y > PrevY) {
        --X, --Y;
        Middle.push_back({Op::Keep, static_cast<size_t>(X), static_cast<size_t>(Y)});
      }
      if (X == PrevX)
        Middle.push_back({Op::Insert, static_cast<size_t>(X), static_cast<size_t>(PrevY)});
      else
        Middle.push_back({Op::Delete, static_cast<size_t>(PrevX), static_cast<size_t>(Y)});
      X = PrevX, Y = PrevY;
    }
    while (X > 0 && Y > 0) {
      --X, --Y;
      Middle.push_back({Op::Keep, static_cast<size_t>(X), static_cast<size_t>(Y)});
    }
    std::reverse(Middle.begin(), Middle.end());
  }

  std::vector<Step> Steps;
  for (size_t I = 0; I < Prefix; ++I)
    Steps.push_back({Op::Keep, I, I});
  for (const Step &S : Middle)
    Steps.push_back({S.Kind, S.A + Prefix, S.B + Prefix});
  for (size_t I = 0; I < Suffix; ++I)
    Steps.push_back({Op::Keep, A.size() - Suffix + I, B.size() - Suffix + I});
  return Steps;
}

/// difflib's unified range: "start,count", "start" when count is 1, "start-1,0" when empty.
std::string hunkRange(size_t Start, size_t Count) {
  if (Count == 1)
    return std::to_string(Start + 1);
  if (Count == 0)
    return std::to_string(Start) + ",0";
  return std::to_string(Start + 1) + "," + std::to_string(Count);
}

void appendLine(std::string &Out, char Prefix, llvm::StringRef Line) {
  Out += Prefix;
  Out += Line;
  if (!Line.endswith("\n") && !Line.endswith("\r"))
    Out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Old, llvm::StringRef New) {
  if (Old == New)
    return "";
  std::vector<llvm::StringRef> A = splitLines(Old), B = splitLines(New);
  std::vector<Step> Steps = diffLines(A, B);
  constexpr size_t Context = 3;
  std::string Out = "--- " + Path.str() + "\n+++ " + Path.str() + "\n";
  size_t I = 0;
  while (I < Steps.size()) {
    if (Steps[I].Kind == Op::Keep) {
      ++I;
      continue;
    }
    // A hunk: from Context lines before this change to Context lines after the last change
    // that is within 2 * Context lines of the previous one.
    size_t Begin = I >= Context ? I - Context : 0;
    size_t End = I;
    while (End < Steps.size()) {
      if (Steps[End].Kind != Op::Keep) {
        ++End;
        continue;
      }
      size_t Run = End;
      while (Run < Steps.size() && Steps[Run].Kind == Op::Keep)
        ++Run;
      if (Run == Steps.size() || Run - End > 2 * Context) {
        End = std::min(Run, End + Context);
        break;
      }
      End = Run;
    }
    size_t OldStart = SIZE_MAX, NewStart = SIZE_MAX, OldCount = 0, NewCount = 0;
    for (size_t J = Begin; J < End; ++J) {
      const Step &S = Steps[J];
      if (S.Kind != Op::Insert) {
        OldStart = std::min(OldStart, S.A);
        ++OldCount;
      }
      if (S.Kind != Op::Delete) {
        NewStart = std::min(NewStart, S.B);
        ++NewCount;
      }
    }
    // An empty side starts where the other one does (difflib prints the line before it).
    if (OldStart == SIZE_MAX)
      OldStart = Steps[Begin].A;
    if (NewStart == SIZE_MAX)
      NewStart = Steps[Begin].B;
    Out += "@@ -" + hunkRange(OldStart, OldCount) + " +" + hunkRange(NewStart, NewCount) + " @@\n";
    for (size_t J = Begin; J < End; ++J) {
      const Step &S = Steps[J];
      if (S.Kind == Op::Keep)
        appendLine(Out, ' ', A[S.A]);
      else if (S.Kind == Op::Delete)
        appendLine(Out, '-', A[S.A]);
      else
        appendLine(Out, '+', B[S.B]);
    }
    I = End;
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

llvm::Error ioError(const llvm::Twine &Message, std::error_code EC) {
  return llvm::createStringError(EC, (Message + ": " + EC.message()).str());
}

std::error_code lastError() { return std::error_code(errno, std::generic_category()); }

} // namespace

llvm::Error replaceFileAtomically(llvm::StringRef Path, llvm::StringRef Expected,
                                  llvm::StringRef Contents) {
  // Follow a symlink so the link stays a link and its target gets the new text.
  llvm::SmallString<256> Target;
  if (std::error_code EC = llvm::sys::fs::real_path(Path, Target))
    return ioError("cannot resolve the path", EC);
  struct stat Original;
  if (::stat(Target.c_str(), &Original) != 0)
    return ioError("cannot stat the file", lastError());

  llvm::SmallString<256> Model = llvm::sys::path::parent_path(Target);
  llvm::sys::path::append(Model, "." + llvm::sys::path::filename(Target) + ".memlint-%%%%%%%%.tmp");
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp, llvm::sys::fs::OF_None,
                                                           Original.st_mode & 07777))
    return ioError("cannot create a temporary file next to it", EC);
  auto Fail = [&](const llvm::Twine &What, std::error_code EC) {
    if (FD >= 0)
      ::close(FD);
    llvm::sys::fs::remove(Temp);
    return ioError(What, EC);
  };
  // Owner first (it may clear set-id bits), then the exact mode, which the umask would not
  // leave alone. Changing the owner fails without privileges; the file is then ours, as any
  // editor would leave it.
  if (::fchown(FD, Original.st_uid, Original.st_gid) != 0) {
    // Not permitted: keep our ownership.
  }
  if (::fchmod(FD, Original.st_mode & 07777) != 0)
    return Fail("cannot set the temporary file's mode", lastError());
  for (size_t Written = 0; Written < Contents.size();) {
    ssize_t N = ::write(FD, Contents.data() + Written, Contents.size() - Written);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return Fail("cannot write the temporary file", lastError());
    Written += static_cast<size_t>(N);
  }
  if (::fsync(FD) != 0)
    return Fail("cannot flush the temporary file", lastError());
  if (::close(FD) != 0) {
    FD = -1;
    return Fail("cannot close the temporary file", lastError());
  }
  FD = -1;

  // Someone (an editor, a formatter) may have written the file since it was read: their text
  // wins, ours is dropped.
  auto Now = llvm::MemoryBuffer::getFile(Target, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Now)
    return Fail("cannot read the file again", Now.getError());
  if ((*Now)->getBuffer() != Expected) {
    // Not a system error: say what happened, without an errno text after it.
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(std::make_error_code(std::errc::resource_unavailable_try_again),
                                   "the file changed while memlint was fixing it; left as it is");
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Target))
    return Fail("cannot replace the file", EC);
  // Make the rename itself durable.
  int Dir = ::open(llvm::sys::path::parent_path(Target).str().c_str(), O_RDONLY | O_DIRECTORY);
  if (Dir >= 0) {
    (void)::fsync(Dir);
    ::close(Dir);
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// The run
//===----------------------------------------------------------------------===//

namespace {

/// The file's bytes, or nothing when it is not a readable regular file (the check reports why).
std::optional<std::string> readRegularFile(llvm::StringRef Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status) ||
      Status.type() != llvm::sys::fs::file_type::regular_file)
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer || (*Buffer)->getBufferSize() >= UINT32_MAX / 4)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

struct FileOutcome {
  size_t Applied = 0;
  bool Changed = false;
  std::string Diff;
  std::vector<std::string> Errors, Warnings;
};

void addNoqaToFile(const CheckContext &Ctx, Parser &P, llvm::StringRef Path,
                   llvm::ArrayRef<Diagnostic> Targets, FileOutcome &Out) {
  std::optional<std::string> Bytes = readRegularFile(Path);
  if (!Bytes)
    return;
  std::string Display = displayPath(Path);
  NoqaSource Noqa = addNoqaDirectives(P, Display, *Bytes, Targets);
  for (const std::string &Why : Noqa.Skipped)
    Out.Warnings.push_back(Display + ": " + Why);
  if (Noqa.Text == *Bytes)
    return;
  FileResult After = checkSource(Ctx, P, Display, Noqa.Text);
  if (After.Status != FileStatus::Analyzed) {
    Out.Errors.push_back(Display + ": refusing to add `# noqa` comments: the result would not " +
                         "parse (" + describeFailure(After) +
                         "); the file is left unchanged. This is a memlint bug; please report it.");
    return;
  }
  if (llvm::Error E = replaceFileAtomically(Path, *Bytes, Noqa.Text)) {
    Out.Errors.push_back(Display +
                         ": `# noqa` comments not written: " + llvm::toString(std::move(E)));
    return;
  }
  Out.Applied = Noqa.Added;
  Out.Changed = true;
}

} // namespace

FixRunSummary runFix(const CheckContext &Ctx, const Discovery &Files, const FixOptions &Options) {
  const size_t Count = Files.Files.size();
  std::vector<FileOutcome> Outcomes(Count);
  size_t Unreadable = Files.Problems.size();
  if (Options.Action == FixAction::AddNoqa) {
    // Every finding of a normal run, project-wide ones included, grouped by file.
    CheckSummary Before = runCheck(Ctx, Files, Options.Threads);
    if (Options.Base)
      Options.Base->filter(Before.Diagnostics);
    std::map<std::string, std::vector<Diagnostic>> ByPath;
    for (Diagnostic &D : Before.Diagnostics)
      ByPath[D.Path].push_back(std::move(D));
    forEachFile(Count, Options.Threads, [&](Parser &P, size_t I) {
      auto It = ByPath.find(displayPath(Files.Files[I].Path));
      if (It != ByPath.end())
        addNoqaToFile(Ctx, P, Files.Files[I].Path, It->second, Outcomes[I]);
    });
  } else {
    // Fix every readable file in memory, all together so that project-wide findings see the
    // whole project; then write (or diff) the files that changed.
    std::vector<std::optional<std::string>> Bytes(Count);
    forEachFile(Count, Options.Threads,
                [&](Parser &, size_t I) { Bytes[I] = readRegularFile(Files.Files[I].Path); });
    std::vector<FixState> States;
    std::vector<size_t> FileOf; // state -> file index
    for (size_t I = 0; I < Count; ++I) {
      if (!Bytes[I]) {
        ++Unreadable;
        continue;
      }
      FixState S;
      S.Display = displayPath(Files.Files[I].Path);
      S.Text = *Bytes[I];
      S.Original = std::move(*Bytes[I]);
      States.push_back(std::move(S));
      FileOf.push_back(I);
    }
    fixAll(Ctx, States, Options.Selection, Options.Threads);
    forEachFile(States.size(), Options.Threads, [&](Parser &, size_t K) {
      FixState &S = States[K];
      FileOutcome &Out = Outcomes[FileOf[K]];
      if (!S.Refusal.empty())
        Out.Errors.push_back(S.Display + ": " + S.Refusal);
      if (S.Text == S.Original)
        return; // nothing to write: the file is not touched
      if (Options.Action == FixAction::Diff) {
        Out.Diff = unifiedDiff(S.Display, S.Original, S.Text);
      } else if (llvm::Error E =
                     replaceFileAtomically(Files.Files[FileOf[K]].Path, S.Original, S.Text)) {
        Out.Errors.push_back(S.Display + ": fixes not written: " + llvm::toString(std::move(E)));
        return;
      }
      Out.Applied = S.Applied;
      Out.Changed = true;
    });
  }

  FixRunSummary Summary;
  for (FileOutcome &O : Outcomes) {
    Summary.Applied += O.Applied;
    Summary.FilesChanged += O.Changed;
    if (!O.Diff.empty())
      Summary.Diffs.push_back(std::move(O.Diff));
    std::move(O.Errors.begin(), O.Errors.end(), std::back_inserter(Summary.Errors));
    std::move(O.Warnings.begin(), O.Warnings.end(), std::back_inserter(Summary.Warnings));
  }
  if (Options.Action == FixAction::Diff) {
    // Nothing was written; only whether some file could not be read matters for the exit.
    Summary.Check.FilesUnreadable = Unreadable;
    return Summary;
  }
  // The report is that of a plain check of the files as they are now, so it shows exactly
  // what `memlint check` will say next time.
  Summary.Check = runCheck(Ctx, Files, Options.Threads);
  return Summary;
}

} // namespace memlint
