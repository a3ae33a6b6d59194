//===- SLT004SlotConflictsWithClassVariable.cpp ------------------------------===//
#include "rules/slt/SltRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

namespace memlint::slt {

using namespace ir;

static const RuleInfo Info{
    "SLT004",
    "slot-conflicts-with-class-variable",
    "SLT",
    "A name is both in `__slots__` and bound in the class body: defining the class fails",
    R"md(## What it does
Flags a name listed in `__slots__` that the class body also binds: a class variable with a
value (`x = 0`, `x: int = 0`), a method or property (`def x(self)`), a nested class or an import.

## Why is this bad?
Each slot is implemented as a descriptor stored in the class under the slot's name; a class
variable of the same name would overwrite it, so CPython refuses to create the class:
`ValueError: 'x' in __slots__ conflicts with class variable` (CPython 3.11, also for a method
of that name). The module fails to import. The usual intent is a per-instance default, which
belongs in `__init__`.

## Example
```python
class Config:
    __slots__ = ("debug", "level")
    debug = False

    def __init__(self, level):
        self.level = level
```

Use instead:
```python
class Config:
    __slots__ = ("debug", "level")

    def __init__(self, level, debug=False):
        self.debug = debug
        self.level = level
```

## Not flagged
A bare annotation (`x: int`) binds nothing and is allowed; special dunder names (type
creation rejects `__qualname__` or `__classcell__` of the wrong kind with TypeError first);
bindings inside `if`/`try` blocks of
the class body (they may not run); a `__slots__` that is not a literal.
)md",
    Severity::Error,
    true,
    FixAvailability::None};

namespace {

class SlotConflictsWithClassVariable : public Rule {
public:
  SlotConflictsWithClassVariable() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    for (const ClassDef *C : Ctx.module().classes()) {
      if (C->Slots != SlotsKind::Static || C->SlotNames.empty())
        continue;
      for (const Stmt *S : C->Inner)
        forEachBinding(S, [&](StringRef Name, TextRange At) {
          // Dunder names (`__qualname__`, `__classcell__`) fail differently, with TypeError.
          if (!llvm::is_contained(C->SlotNames, Name) ||
              (Name.startswith("__") && Name.endswith("__")))
            return;
          Diagnostic &D = Ctx.report(Info, At,
                                     ("`" + Name +
                                      "` is listed in `__slots__` and also bound in the body of `" +
                                      C->Name + "`: creating the class raises ValueError ('" +
                                      Name + "' in __slots__ conflicts with class variable)")
                                         .str());
          Ctx.addRelated(D, C->SlotsRange, "`__slots__` is declared here");
        });
    }
  }

private:
  template <typename Fn> static void forEachTarget(const Expr *T, Fn &&F) {
    if (const auto *N = dyn_cast<NameExpr>(T))
      F(N->Id, N->Range);
    else if (const auto *Seq = dyn_cast<SequenceExpr>(T))
      for (const Expr *E : Seq->Elements)
        forEachTarget(E, F);
  }

  template <typename Fn> static void forEachBinding(const Stmt *S, Fn &&F) {
    switch (S->Kind) {
    case StmtKind::Assign:
      for (const Expr *T : cast<AssignStmt>(S)->Targets)
        if (const auto *N = dyn_cast<NameExpr>(T); !N || N->Id != "__slots__")
          forEachTarget(T, F);
      return;
    case StmtKind::AnnAssign:
      if (const auto *A = cast<AnnAssignStmt>(S); A->Value)
        if (const auto *N = dyn_cast<NameExpr>(A->Target); N && N->Id != "__slots__")
          F(N->Id, N->Range);
      return;
    case StmtKind::FunctionDef: {
      const auto *Def = cast<FunctionDef>(S);
      return F(Def->Name, Def->NameRange);
    }
    case StmtKind::ClassDef: {
      const auto *Def = cast<ClassDef>(S);
      return F(Def->Name, Def->NameRange);
    }
    case StmtKind::Import:
      for (const ImportAlias &A : cast<ImportStmt>(S)->Names)
        F(A.boundName(), A.Range);
      return;
    case StmtKind::ImportFrom:
      for (const ImportAlias &A : cast<ImportFromStmt>(S)->Names)
        F(A.AsName.empty() ? A.Name : A.AsName, A.Range);
      return;
    default:
      return;
    }
  }
};

} // namespace

std::unique_ptr<Rule> createSlotConflictsWithClassVariable() {
  return std::make_unique<SlotConflictsWithClassVariable>();
}

} // namespace memlint::slt
