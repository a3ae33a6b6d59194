//===- FixUnitTest.cpp - the fix engine in process --------------------------===//
//
// What no real rule reaches: fixes that would break the code, fixes that overlap and need
// several passes, rules whose fixes never converge, a file changed while it is being fixed.
// Test rules report through the same ModuleContext as real ones.
//
//===----------------------------------------------------------------------===//
#include "FixTestSupport.h"

#include "analyzer/Fix.h"
#include "rules/Registry.h"

#include <filesystem>

using namespace memlint;
using namespace memlint::test;

namespace {

//===----------------------------------------------------------------------===//
// Test rules
//===----------------------------------------------------------------------===//

const RuleInfo BreakInfo{"TST001",     "breaks-syntax",   "TST", "Test rule",
                         "Test rule.", Severity::Warning, true,  FixAvailability::Always};
const RuleInfo ShrinkInfo{"TST002",     "shrinks-aa",      "TST", "Test rule",
                          "Test rule.", Severity::Warning, true,  FixAvailability::Always};
const RuleInfo GrowInfo{"TST003",     "grows-forever",   "TST", "Test rule",
                        "Test rule.", Severity::Warning, true,  FixAvailability::Always};

/// Reports `x = 1` with a "safe" fix that turns it into `x = (`.
class BreaksSyntax : public Rule {
public:
  BreaksSyntax() : Rule(BreakInfo) {}
  void checkModule(ModuleContext &Ctx) const override {
    llvm::StringRef Text = Ctx.source().text();
    size_t At = Text.find("x = 1");
    if (At == llvm::StringRef::npos)
      return;
    uint32_t Begin = static_cast<uint32_t>(At);
    Diagnostic &D = Ctx.report(BreakInfo, {Begin, Begin + 5}, "breaks");
    Fix F;
    F.Title = "Break it";
    F.Safety = Applicability::Safe;
    Ctx.addEdit(F, {Begin + 4, Begin + 5}, "(");
    D.FixIt = std::move(F);
  }
};

/// Reports every `aa` (overlapping ones too) with a fix to `a`: "aaaa" needs several passes.
class ShrinksAa : public Rule {
public:
  ShrinksAa() : Rule(ShrinkInfo) {}
  void checkModule(ModuleContext &Ctx) const override {
    llvm::StringRef Text = Ctx.source().text();
    for (size_t At = Text.find("aa"); At != llvm::StringRef::npos; At = Text.find("aa", At + 1)) {
      uint32_t Begin = static_cast<uint32_t>(At);
      Diagnostic &D = Ctx.report(ShrinkInfo, {Begin, Begin + 2}, "aa");
      Fix F;
      F.Safety = Applicability::Safe;
      Ctx.addEdit(F, {Begin, Begin + 2}, "a");
      D.FixIt = std::move(F);
    }
  }
};

/// Always proposes one more `z` inside the string `"z..."`: a fix that never converges.
class GrowsForever : public Rule {
public:
  GrowsForever() : Rule(GrowInfo) {}
  void checkModule(ModuleContext &Ctx) const override {
    size_t At = Ctx.source().text().find("\"z");
    if (At == llvm::StringRef::npos)
      return;
    uint32_t Begin = static_cast<uint32_t>(At + 1);
    Diagnostic &D = Ctx.report(GrowInfo, {Begin, Begin + 1}, "z");
    Fix F;
    F.Safety = Applicability::Safe;
    Ctx.addEdit(F, {Begin, Begin}, "z");
    D.FixIt = std::move(F);
  }
};

/// A check context running exactly the given rules.
struct TestContext {
  Config Cfg;
  RuleSelection Selection;
  CheckContext Ctx;
  explicit TestContext(std::vector<const Rule *> Rules)
      : Ctx(RuleRegistry::builtin(), Cfg, Selection) {
    Ctx.ModuleRules = std::move(Rules);
    Ctx.ProjectRules.clear();
  }
};

Diagnostic withFix(uint32_t Begin, uint32_t End, std::string Replacement,
                   Applicability Safety = Applicability::Safe) {
  Diagnostic D;
  D.Code = "TST";
  Fix F;
  F.Safety = Safety;
  Edit E;
  E.Range = {Begin, End};
  E.Replacement = std::move(Replacement);
  F.Edits.push_back(std::move(E));
  D.FixIt = std::move(F);
  return D;
}

//===----------------------------------------------------------------------===//
// applyFixes
//===----------------------------------------------------------------------===//

TEST(ApplyFixes, AppliesNonOverlappingEditsInOffsetOrder) {
  std::vector<Diagnostic> Diags = {withFix(6, 7, "X"), withFix(0, 1, "Y"), withFix(3, 3, "+")};
  AppliedEdits A = applyFixes("abcdefgh", Diags, FixSelection::SafeOnly);
  EXPECT_EQ(A.Text, "Ybc+defXh");
  EXPECT_EQ(A.FixesApplied, 3u);
  EXPECT_EQ(A.FixesDeferred, 0u);
}

TEST(ApplyFixes, DefersAFixThatOverlapsAnEarlierOne) {
  std::vector<Diagnostic> Diags = {withFix(0, 3, "1"), withFix(2, 5, "2"), withFix(5, 6, "3")};
  AppliedEdits A = applyFixes("abcdefg", Diags, FixSelection::SafeOnly);
  EXPECT_EQ(A.Text, "1de3g");
  EXPECT_EQ(A.FixesApplied, 2u);
  EXPECT_EQ(A.FixesDeferred, 1u);
}

TEST(ApplyFixes, AnInsertionWhereAReplacementStartsWaits) {
  std::vector<Diagnostic> Diags = {withFix(2, 4, "R"), withFix(2, 2, "I")};
  AppliedEdits A = applyFixes("abcdef", Diags, FixSelection::SafeOnly);
  EXPECT_EQ(A.Text, "abRef");
  EXPECT_EQ(A.FixesDeferred, 1u);
}

TEST(ApplyFixes, IdenticalFixesGoInOnce) {
  std::vector<Diagnostic> Diags = {withFix(1, 2, "X"), withFix(1, 2, "X")};
  AppliedEdits A = applyFixes("abc", Diags, FixSelection::SafeOnly);
  EXPECT_EQ(A.Text, "aXc");
  EXPECT_EQ(A.FixesApplied, 2u);
}

TEST(ApplyFixes, UnsafeFixesOnlyWhenSelected) {
  std::vector<Diagnostic> Diags = {withFix(0, 1, "S"), withFix(2, 3, "U", Applicability::Unsafe)};
  EXPECT_EQ(applyFixes("abc", Diags, FixSelection::SafeOnly).Text, "Sbc");
  EXPECT_EQ(applyFixes("abc", Diags, FixSelection::IncludeUnsafe).Text, "SbU");
}

TEST(ApplyFixes, IgnoresMalformedFixes) {
  Diagnostic OutOfBounds = withFix(2, 9, "X");
  Diagnostic SelfOverlap = withFix(0, 2, "Y");
  SelfOverlap.FixIt->Edits.push_back(SelfOverlap.FixIt->Edits.front());
  Diagnostic Reversed = withFix(2, 1, "Z");
  std::vector<Diagnostic> Diags = {OutOfBounds, SelfOverlap, Reversed};
  AppliedEdits A = applyFixes("abc", Diags, FixSelection::SafeOnly);
  EXPECT_EQ(A.Text, "abc");
  EXPECT_EQ(A.FixesApplied, 0u);
}

//===----------------------------------------------------------------------===//
// fixSource: passes, convergence, refusal
//===----------------------------------------------------------------------===//

TEST(FixSource, OverlappingFixesConvergeOverSeveralPasses) {
  ShrinksAa Rule;
  TestContext T({&Rule});
  Parser P;
  FixedSource F = fixSource(T.Ctx, "t.py", "x = \"aaaaaaaa\"\n", FixSelection::SafeOnly);
  EXPECT_EQ(F.Text, "x = \"a\"\n");
  EXPECT_TRUE(F.Refusal.empty());
  EXPECT_TRUE(F.Remaining.Diagnostics.empty());
  // 8 -> 4 (4 fixes) -> 2 (2) -> 1 (1).
  EXPECT_EQ(F.FixesApplied, 7u);
  // Fixing the result again changes nothing.
  FixedSource Again = fixSource(T.Ctx, "t.py", F.Text, FixSelection::SafeOnly);
  EXPECT_EQ(Again.Text, F.Text);
  EXPECT_EQ(Again.FixesApplied, 0u);
}

TEST(FixSource, StopsAfterTheLastPass) {
  GrowsForever Rule;
  TestContext T({&Rule});
  Parser P;
  FixedSource F = fixSource(T.Ctx, "t.py", "s = \"z\"\n", FixSelection::SafeOnly);
  EXPECT_EQ(F.FixesApplied, MaxFixPasses);
  EXPECT_EQ(F.Text, "s = \"" + std::string(MaxFixPasses + 1, 'z') + "\"\n");
  EXPECT_EQ(F.Remaining.Diagnostics.size(), 1u);
}

TEST(FixSource, RefusesFixesThatBreakTheSyntax) {
  BreaksSyntax Rule;
  TestContext T({&Rule});
  Parser P;
  std::string Original = "x = 1\nprint(x)\n";
  FixedSource F = fixSource(T.Ctx, "t.py", Original, FixSelection::SafeOnly);
  EXPECT_EQ(F.Text, Original);
  EXPECT_EQ(F.FixesApplied, 0u);
  EXPECT_NE(F.Refusal.find("refusing to apply fixes (TST001): the fixed code would not parse"),
            std::string::npos)
      << F.Refusal;
  EXPECT_NE(F.Refusal.find("the file is left unchanged"), std::string::npos);
  // The finding stays, on the original text.
  ASSERT_EQ(F.Remaining.Diagnostics.size(), 1u);
  EXPECT_EQ(F.Remaining.Diagnostics[0].Code, "TST001");
}

TEST(FixSource, RefusalLeavesTheFileOnDiskUntouched) {
  BreaksSyntax Rule;
  TestContext T({&Rule});
  TempDir D;
  std::string Original = "x = 1\nprint(x)\n";
  std::string File = D.write("t.py", Original);
  ageFile(File);
  struct stat Before = statOf(File);
  Discovery Files;
  Files.Files.push_back({File});
  FixOptions Options;
  Options.Threads = 1;
  FixRunSummary S = runFix(T.Ctx, Files, Options);
  EXPECT_EQ(readFile(File), Original);
  EXPECT_TRUE(sameMtime(Before, statOf(File)));
  EXPECT_EQ(S.Applied, 0u);
  EXPECT_EQ(S.FilesChanged, 0u);
  ASSERT_EQ(S.Errors.size(), 1u);
  EXPECT_NE(S.Errors[0].find("t.py: refusing to apply fixes (TST001)"), std::string::npos)
      << S.Errors[0];
  EXPECT_EQ(S.Check.Diagnostics.size(), 1u);
}

TEST(FixSource, RefusedFileDoesNotStopOthers) {
  BreaksSyntax Break;
  ShrinksAa Shrink;
  TestContext T({&Break, &Shrink});
  TempDir D;
  std::string Bad = D.write("bad.py", "x = 1\ns = \"aa\"\n");
  std::string Good = D.write("good.py", "s = \"aaaa\"\n");
  Discovery Files;
  Files.Files.push_back({Bad});
  Files.Files.push_back({Good});
  FixRunSummary S = runFix(T.Ctx, Files, FixOptions{});
  EXPECT_EQ(readFile(Bad), "x = 1\ns = \"aa\"\n");
  EXPECT_EQ(readFile(Good), "s = \"a\"\n");
  EXPECT_EQ(S.FilesChanged, 1u);
  EXPECT_EQ(S.Errors.size(), 1u);
}

//===----------------------------------------------------------------------===//
// replaceFileAtomically
//===----------------------------------------------------------------------===//

TEST(AtomicWrite, RefusesAFileThatChangedSinceItWasRead) {
  TempDir D;
  std::string File = D.write("f.py", "edited by someone else\n");
  llvm::Error E = replaceFileAtomically(File, "what memlint read\n", "memlint's fix\n");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("the file changed while memlint was fixing it"),
            std::string::npos);
  EXPECT_EQ(readFile(File), "edited by someone else\n");
  for (const auto &Entry : std::filesystem::directory_iterator(D.path()))
    EXPECT_EQ(Entry.path().filename(), "f.py") << "temporary file left behind";
}

TEST(AtomicWrite, ReplacesTheFileAndKeepsItsMode) {
  TempDir D;
  std::string File = D.write("f.py", "old\n");
  ASSERT_EQ(::chmod(File.c_str(), 0640), 0);
  ino_t Before = statOf(File).st_ino;
  ASSERT_FALSE(static_cast<bool>(replaceFileAtomically(File, "old\n", "new\n")));
  EXPECT_EQ(readFile(File), "new\n");
  EXPECT_EQ(statOf(File).st_mode & 07777, 0640u);
  EXPECT_NE(statOf(File).st_ino, Before) << "expected a rename, not an in-place write";
}

TEST(AtomicWrite, ReportsAMissingFile) {
  TempDir D;
  llvm::Error E = replaceFileAtomically(D.path() + "/gone.py", "a", "b");
  EXPECT_TRUE(static_cast<bool>(E));
  llvm::consumeError(std::move(E));
}

//===----------------------------------------------------------------------===//
// unifiedDiff
//===----------------------------------------------------------------------===//

TEST(UnifiedDiff, EmptyWhenEqual) { EXPECT_EQ(unifiedDiff("a.py", "x\n", "x\n"), ""); }

TEST(UnifiedDiff, InsertionAtTheStartAndDeletionAtTheEnd) {
  EXPECT_EQ(unifiedDiff("a.py", "b\nc\n", "a\nb\nc\n"), "--- a.py\n+++ a.py\n"
                                                        "@@ -1,2 +1,3 @@\n"
                                                        "+a\n"
                                                        " b\n"
                                                        " c\n");
  EXPECT_EQ(unifiedDiff("a.py", "a\nb\n", "a\n"), "--- a.py\n+++ a.py\n"
                                                  "@@ -1,2 +1 @@\n"
                                                  " a\n"
                                                  "-b\n");
  // With no context on one side, the range names the line before the change (as difflib).
  EXPECT_EQ(unifiedDiff("a.py", "", "a\n"), "--- a.py\n+++ a.py\n"
                                            "@@ -0,0 +1 @@\n"
                                            "+a\n");
  EXPECT_EQ(unifiedDiff("a.py", "a\n", ""), "--- a.py\n+++ a.py\n"
                                            "@@ -1 +0,0 @@\n"
                                            "-a\n");
}

TEST(UnifiedDiff, ShowsLineEndingChanges) {
  EXPECT_EQ(unifiedDiff("a.py", "a\r\nb\n", "a\nb\n"), "--- a.py\n+++ a.py\n"
                                                       "@@ -1,2 +1,2 @@\n"
                                                       "-a\r\n"
                                                       "+a\n"
                                                       " b\n");
}

TEST(UnifiedDiff, MinimalForInterleavedChanges) {
  EXPECT_EQ(unifiedDiff("m.py", "1\n2\n3\n4\n", "1\nX\n3\nY\n"), "--- m.py\n+++ m.py\n"
                                                                 "@@ -1,4 +1,4 @@\n"
                                                                 " 1\n"
                                                                 "-2\n"
                                                                 "+X\n"
                                                                 " 3\n"
                                                                 "-4\n"
                                                                 "+Y\n");
}

//===----------------------------------------------------------------------===//
// addNoqaDirectives
//===----------------------------------------------------------------------===//

Diagnostic at(uint32_t Line, llvm::StringRef Code) {
  Diagnostic D;
  D.Code = Code;
  D.Start = {Line, 1};
  D.End = {Line, 2};
  return D;
}

TEST(AddNoqaDirectives, SortsAndDeduplicatesCodesPerLine) {
  Parser P;
  std::vector<Diagnostic> Diags = {at(1, "GEN004"), at(1, "GEN001"), at(1, "GEN004")};
  NoqaSource N = addNoqaDirectives(P, "t.py", "x = 1\n", Diags);
  EXPECT_EQ(N.Text, "x = 1  # noqa: GEN001, GEN004\n");
  EXPECT_EQ(N.Added, 2u);
}

TEST(AddNoqaDirectives, KeepsLineEndingsAndFinalLineWithoutNewline) {
  Parser P;
  std::vector<Diagnostic> Diags = {at(1, "GEN001"), at(2, "GEN002")};
  NoqaSource N = addNoqaDirectives(P, "t.py", "a = 1\r\nb = 2", Diags);
  EXPECT_EQ(N.Text, "a = 1  # noqa: GEN001\r\nb = 2  # noqa: GEN002");
}

TEST(AddNoqaDirectives, DoesNotMergeIntoNoqaTextInsideAString) {
  Parser P;
  std::vector<Diagnostic> Diags = {at(1, "GEN001")};
  NoqaSource N = addNoqaDirectives(P, "t.py", "s = '# noqa: E501'\n", Diags);
  EXPECT_EQ(N.Text, "s = '# noqa: E501'\n");
  ASSERT_EQ(N.Skipped.size(), 1u);
  EXPECT_NE(N.Skipped[0].find("not a comment"), std::string::npos);
}

TEST(AddNoqaDirectives, FileLevelErrorsAreNotSuppressed) {
  Parser P;
  std::vector<Diagnostic> Diags = {at(1, "E999"), at(1, "E902")};
  NoqaSource N = addNoqaDirectives(P, "t.py", "x = 1\n", Diags);
  EXPECT_EQ(N.Text, "x = 1\n");
  EXPECT_EQ(N.Added, 0u);
}

} // namespace
