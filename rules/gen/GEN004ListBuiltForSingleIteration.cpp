//===- GEN004ListBuiltForSingleIteration.cpp ---------------------------------===//
#include "rules/gen/GenRules.h"
#include "rules/gen/GenSupport.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

namespace memlint::gen {

using namespace ir;
using llvm::cast;
using llvm::dyn_cast;

static const RuleInfo Info{
    "GEN004",
    "list-built-for-single-iteration",
    "GEN",
    "A local list is built, then iterated exactly once",
    R"md(## What it does
Flags a local variable in a function that is assigned a list comprehension (or `list(...)`
around a lazy iterator) once, and afterwards read exactly once: as the iterable of a `for`
loop or comprehension, or as the argument of a builtin that consumes any iterable (`sum`,
`any`, `all`, `min`, `max`, `sorted`, `tuple`, `set`, `frozenset`, `dict`).

## Why is this bad?
Every element is computed and kept alive until the single pass over them finishes. A generator
expression produces the same items on demand, so the function's peak memory no longer grows
with the input.

## Example
```python
def export(rows, out):
    lines = [format_row(r) for r in rows]
    for line in lines:
        out.write(line)
```

Use instead:
```python
def export(rows, out):
    lines = (format_row(r) for r in rows)
    for line in lines:
        out.write(line)
```

## Fix safety
No fix is offered for an annotated assignment (`rows: list[Row] = ...`), whose annotation would
no longer hold. Otherwise the fix is safe when the loop directly follows the assignment and the
comprehension makes no calls.
Otherwise unsafe: a generator evaluates its elements later, after any statements in between,
and sees names as they are then.

## Not flagged
A name read more than once (`len(rows)`, `rows[0]`, `if rows:`, a second loop), returned,
yielded, passed to a call other than those builtins, stored elsewhere, captured by a nested
function, deleted or reassigned; a list built inside a `with` block (or a `try` with
`finally`) and read after it, since a generator would run after the file is closed or the lock
released; a single loop that is itself nested inside a loop
the assignment is not in (it iterates the list repeatedly); a comprehension clause other than
the first (it runs once per outer item); module and class attributes; and lists whose source
may change before the loop finishes (a deliberate snapshot).
)md",
    Severity::Warning,
    true,
    FixAvailability::Always};

namespace {

bool consumesOnce(llvm::StringRef Builtin) {
  return llvm::StringSwitch<bool>(Builtin)
      .Cases("sum", "any", "all", "min", "max", true)
      .Cases("sorted", "tuple", "set", "frozenset", "dict", true)
      .Default(false);
}

/// Where the single read of the name iterates it, and what that implies.
struct SingleUse {
  const NameExpr *Read = nullptr;
  const Stmt *ForLoop = nullptr; // when the read is a for statement's iterable
  TextRange Iteration;           // the range executed once per read (loop or call)
};

/// Loops whose repeated part contains an offset: for/while bodies, and every part of a
/// comprehension after its first iterable.
class LoopNesting : public Walker {
public:
  llvm::SmallVector<TextRange, 16> RepeatedRanges;
  llvm::SmallVector<TextRange, 8> GuardedRanges; // with blocks, try blocks that have a finally

  bool visitStmt(const Stmt *S) override {
    if (isa<FunctionDef>(S) || isa<ClassDef>(S))
      return false;
    if (S->Kind == StmtKind::With)
      GuardedRanges.push_back(S->Range);
    if (const auto *T = dyn_cast<TryStmt>(S); T && !T->Finally.empty() && !T->Try.empty())
      GuardedRanges.push_back({T->Try.front()->Range.Begin, T->Try.back()->Range.End});
    if (const auto *F = dyn_cast<ForStmt>(S); F && !F->Loop.empty())
      RepeatedRanges.push_back({F->Loop.front()->Range.Begin, F->Loop.back()->Range.End});
    if (const auto *W = dyn_cast<IfStmt>(S); W && S->Kind == StmtKind::While) {
      RepeatedRanges.push_back(W->Test->Range);
      if (!W->Then.empty())
        RepeatedRanges.push_back({W->Then.front()->Range.Begin, W->Then.back()->Range.End});
    }
    return true;
  }
  bool visitExpr(const Expr *E) override {
    if (const auto *C = dyn_cast<ComprehensionExpr>(E); C && !C->Generators.empty())
      RepeatedRanges.push_back({C->Generators.front().Iter->Range.End, C->Range.End});
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      RepeatedRanges.push_back(L->Range); // may run any number of times
    return true;
  }

  bool leavesGuardedRegion(uint32_t From, uint32_t To) const {
    for (TextRange R : GuardedRanges)
      if (R.Begin <= From && From < R.End && !(R.Begin <= To && To < R.End))
        return true;
    return false;
  }

  llvm::SmallVector<TextRange, 4> enclosing(uint32_t Offset) const {
    llvm::SmallVector<TextRange, 4> Out;
    for (TextRange R : RepeatedRanges)
      if (R.Begin <= Offset && Offset < R.End)
        Out.push_back(R);
    return Out;
  }

private:
  template <typename T> static bool isa(const Stmt *S) { return llvm::isa<T>(S); }
};

bool sameRanges(llvm::ArrayRef<TextRange> A, llvm::ArrayRef<TextRange> B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A[I].Begin != B[I].Begin || A[I].End != B[I].End)
      return false;
  return true;
}

/// The single positional argument of a call whose other arguments are keywords
/// (`sorted(names, key=str.casefold)`), or null.
const Expr *onlyPositionalArgument(const CallExpr *Call) {
  const Expr *Found = nullptr;
  for (const Argument &A : Call->Args) {
    if (A.Kind == ArgKind::Keyword)
      continue;
    if (A.Kind != ArgKind::Positional || Found)
      return nullptr;
    Found = A.Value;
  }
  return Found;
}

/// Whitespace and comment lines only: the loop directly follows the assignment.
bool onlyBlanksAndComments(llvm::StringRef Text) {
  while (!Text.empty()) {
    Text = Text.ltrim();
    if (Text.startswith("#"))
      Text = Text.drop_until([](char C) { return C == '\n' || C == '\r'; });
    else
      return Text.empty();
  }
  return true;
}

/// Finds how the read is used: for-iterable, first comprehension iterable, or builtin argument.
class UseFinder : public Walker {
public:
  UseFinder(const Module &M, const NameExpr *Read) : M(M), Read(Read) {}
  SingleUse Use;
  bool Done = false;

  bool visitStmt(const Stmt *S) override {
    if (Done)
      return false;
    if (const auto *F = dyn_cast<ForStmt>(S); F && F->Iter == Read && !F->IsAsync) {
      Use.Read = Read;
      Use.ForLoop = S;
      Use.Iteration = S->Range;
      Done = true;
    }
    return !Done;
  }
  bool visitExpr(const Expr *E) override {
    if (Done)
      return false;
    if (const auto *C = dyn_cast<ComprehensionExpr>(E)) {
      if (!C->Generators.empty() && C->Generators.front().Iter == Read &&
          !C->Generators.front().IsAsync) {
        Use.Read = Read;
        Use.Iteration = C->Range;
        Done = true;
      }
    } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (onlyPositionalArgument(Call) == Read && consumesOnce(builtinCallee(M, Call))) {
        Use.Read = Read;
        Use.Iteration = Call->Range;
        Done = true;
      }
    }
    return !Done;
  }

private:
  const Module &M;
  const NameExpr *Read;
};

class ListBuiltForSingleIteration : public Rule {
public:
  ListBuiltForSingleIteration() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    for (const FunctionDef *F : M.functions()) {
      if (F->OwnScope->UsesLocalsOrVars)
        continue;
      std::optional<LoopNesting> Loops;
      for (const Event &E : F->OwnScope->Events) {
        if (E.Kind != EventKind::Comprehension && E.Kind != EventKind::Call)
          continue;
        checkCandidate(Ctx, *F, E.Value, Loops);
      }
    }
  }

private:
  void checkCandidate(ModuleContext &Ctx, const FunctionDef &F, const Expr *Value,
                      std::optional<LoopNesting> &Loops) const {
    const Module &M = Ctx.module();
    bool IsComp = false;
    if (const auto *C = dyn_cast<ComprehensionExpr>(Value)) {
      if (C->Consumer != ConsumerKind::Assigned || !isConvertibleListComp(C))
        return;
      IsComp = true;
    } else if (!lazyArgumentOfListCall(M, Value)) {
      return;
    }
    const Expr *TargetExpr = nullptr;
    const Stmt *Assign = findAssignment(F.Inner, Value, TargetExpr);
    if (!Assign)
      return;
    const auto *Target = dyn_cast<NameExpr>(TargetExpr);
    if (!Target || Target->Parens || !Target->Sym)
      return;
    const Symbol *Sym = Target->Sym;
    if (Sym->Owner != F.OwnScope ||
        (Sym->Flags & (SymCaptured | SymGlobal | SymNonlocal | SymDeleted | SymParameter |
                       SymImported)))
      return;
    const NameExpr *Read = nullptr;
    for (const NameExpr *Ref : Sym->Refs) {
      if (Ref == Target)
        continue;
      if (Ref->Ctx != ExprContext::Load || Read)
        return; // another store, a delete, or a second read
      Read = Ref;
    }
    if (!Read || Read->Range.Begin < Assign->Range.End || Read->Parens)
      return;

    UseFinder Finder(M, Read);
    Finder.walk(F.Inner);
    if (!Finder.Done)
      return;
    const SingleUse &Use = Finder.Use;

    if (!Loops) {
      Loops.emplace();
      Loops->walk(F.Inner);
    }
    if (!sameRanges(Loops->enclosing(Assign->Range.Begin), Loops->enclosing(Read->Range.Begin)))
      return;
    // Built inside `with lock:` / `with open(...)` (or a try with finally) and read after it: a
    // generator would run after the lock is released or the file closed.
    if (Loops->leavesGuardedRegion(Assign->Range.Begin, Read->Range.Begin))
      return;

    llvm::SmallVector<ListSource, 8> Sources;
    sourcesOf(M, Value, Sources);
    if (mayMutateSources(M, Sources, F.Inner, {Assign->Range.End, Use.Iteration.End}))
      return;

    Position UseAt = Ctx.source().position(Read->Range.Begin);
    Diagnostic &D = Ctx.report(
        Info, Value->Range,
        (llvm::Twine("`") + Target->Id + "` holds a full list that is read only once, on line " +
         llvm::Twine(UseAt.Line) + "; " +
         (IsComp ? "a generator expression" : "the lazy iterator") +
         " would produce the items on demand")
            .str());
    Ctx.addRelated(D, Read->Range, (llvm::Twine("the only read of `") + Target->Id + "`").str());
    // An annotation such as `list[Row]` would no longer describe a generator: no fix.
    if (Value->Parens || isa<AnnAssignStmt>(Assign))
      return;
    Fix Fx;
    Fx.Title = IsComp ? "Use a generator expression" : "Drop `list()`";
    bool Adjacent =
        Use.ForLoop && onlyBlanksAndComments(Ctx.text({Assign->Range.End, Use.ForLoop->Range.Begin}));
    bool Pure = !IsComp || isSideEffectFree(cast<ComprehensionExpr>(Value));
    Fx.Safety = Adjacent && Pure ? Applicability::Safe : Applicability::Unsafe;
    if (IsComp) {
      addBracketsToParens(Ctx, Fx, Value);
    } else {
      const auto *Call = cast<CallExpr>(Value);
      const Expr *Lazy = lazyArgumentOfListCall(M, Value);
      if (!Call->BareGenerator &&
          !Ctx.text({Lazy->Range.End, Call->ArgsRange.End - 1}).trim().empty())
        return;
      addUnwrapListCall(Ctx, Fx, Call);
    }
    D.FixIt = std::move(Fx);
  }

  /// The `name = value` or `name: T = value` statement that binds Value, and its target.
  static const Stmt *findAssignment(Body Statements, const Expr *Value, const Expr *&Target) {
    struct Finder : Walker {
      const Expr *Value;
      const Stmt *Found = nullptr;
      const Expr *Target = nullptr;
      bool visitStmt(const Stmt *S) override {
        if (Found || llvm::isa<FunctionDef>(S) || llvm::isa<ClassDef>(S))
          return false;
        if (const auto *A = dyn_cast<AssignStmt>(S); A && A->Value == Value && A->Targets.size() == 1) {
          Found = A;
          Target = A->Targets[0];
        } else if (const auto *A = dyn_cast<AnnAssignStmt>(S); A && A->Value == Value) {
          Found = A;
          Target = A->Target;
        }
        return !Found;
      }
      bool visitExpr(const Expr *) override { return false; }
    } F;
    F.Value = Value;
    F.walk(Statements);
    Target = F.Target;
    return F.Found;
  }
};

} // namespace

std::unique_ptr<Rule> createListBuiltForSingleIteration() {
  return std::make_unique<ListBuiltForSingleIteration>();
}

} // namespace memlint::gen
