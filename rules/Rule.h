//===- Rule.h - one memlint rule: metadata, documentation and its check ---===//
//
// A rule is a class in rules/<family>/<Code><Name>.cpp whose RuleInfo carries its stable code, its
// kebab-case name and its documentation (the same text `memlint rule CODE`, SARIF help and the LSP
// hover show). Checks are pure functions of the IR: they read a Module and report through a
// ModuleContext, so modules are checked in parallel without locks.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Diagnostic.h"
#include "analyzer/ReferenceGraph.h"
#include "frontend/IR.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace memlint {

enum class FixAvailability : uint8_t { None, Sometimes, Always };

struct RuleInfo {
  llvm::StringLiteral Code;   // GEN001
  llvm::StringLiteral Name;   // list-comprehension-in-call
  llvm::StringLiteral Family; // GEN
  llvm::StringLiteral Summary;
  /// Markdown with the sections "What it does", "Why is this bad?", "Example", "Use instead",
  /// and where they apply "Fix safety" and "Not flagged".
  llvm::StringLiteral Doc;
  Severity DefaultSeverity = Severity::Warning;
  bool EnabledByDefault = true;
  FixAvailability Fixes = FixAvailability::None;
  /// Checked once over all module summaries (checkProject) rather than per module.
  bool ProjectWide = false;
};

/// Where a rule reports findings for one module.
class ModuleContext {
public:
  ModuleContext(const ir::Module &M, llvm::StringRef DisplayPath, std::vector<Diagnostic> &Out)
      : Mod(M), DisplayPath(DisplayPath), Out(Out) {}

  const ir::Module &module() const { return Mod; }
  const SourceFile &source() const { return Mod.source(); }
  llvm::StringRef text(TextRange R) const { return Mod.text(R); }
  llvm::StringRef text(const ir::Expr *E) const { return Mod.text(E); }

  Diagnostic &report(const RuleInfo &Rule, TextRange Range, std::string Message);
  /// Adds an edit to a diagnostic's fix, computing its positions.
  void addEdit(Fix &F, TextRange Range, std::string Replacement) const;
  void addRelated(Diagnostic &D, TextRange Range, std::string Message) const;

  /// A fact derived from the whole module that several rules need (for instance the use map
  /// of the MEM rules): built from the module on the first request, then shared by every rule
  /// checking this module. One context serves one module on one thread, so no locking.
  template <typename Analysis> const Analysis &analysis() {
    static const char Key = 0; // one address per Analysis type
    std::unique_ptr<AnalysisSlot> &Slot = Analyses[&Key];
    if (!Slot)
      Slot = std::make_unique<AnalysisOf<Analysis>>(Mod);
    return static_cast<const AnalysisOf<Analysis> &>(*Slot).Value;
  }

private:
  struct AnalysisSlot {
    virtual ~AnalysisSlot() = default;
  };
  template <typename Analysis> struct AnalysisOf final : AnalysisSlot {
    explicit AnalysisOf(const ir::Module &M) : Value(M) {}
    Analysis Value;
  };

  const ir::Module &Mod;
  llvm::StringRef DisplayPath;
  std::vector<Diagnostic> &Out;
  llvm::SmallDenseMap<const void *, std::unique_ptr<AnalysisSlot>, 4> Analyses;
};

/// Where a rule reports findings that need the whole project: the index of every class and the
/// reference graph, built from module summaries.
class ProjectContext {
public:
  ProjectContext(const ProjectIndex &Index, const ReferenceGraph &Graph,
                 std::vector<Diagnostic> &Out)
      : Index(Index), Graph(Graph), Out(Out) {}

  const ProjectIndex &index() const { return Index; }
  const ReferenceGraph &graph() const { return Graph; }

  Diagnostic &report(const RuleInfo &Rule, const ModuleSummary &In, const SummaryLocation &At,
                     std::string Message);
  void addRelated(Diagnostic &D, const ModuleSummary &In, const SummaryLocation &At,
                  std::string Message) const;

private:
  const ProjectIndex &Index;
  const ReferenceGraph &Graph;
  std::vector<Diagnostic> &Out;
};

class Rule {
public:
  explicit Rule(const RuleInfo &Metadata) : Metadata(Metadata) {}
  virtual ~Rule() = default;

  const RuleInfo &info() const { return Metadata; }
  llvm::StringRef code() const { return Metadata.Code; }

  /// Per-file checks: run on each module's IR, in parallel.
  virtual void checkModule(ModuleContext &Ctx) const {}
  /// Project-wide checks: run once over all module summaries.
  virtual void checkProject(ProjectContext &Ctx) const {}

private:
  const RuleInfo &Metadata;
};

} // namespace memlint
