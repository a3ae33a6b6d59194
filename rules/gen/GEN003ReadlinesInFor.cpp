//===- GEN003ReadlinesInFor.cpp ----------------------------------------------===//
#include "rules/gen/GenRules.h"
#include "rules/gen/GenSupport.h"

namespace memlint::gen {

using namespace ir;
using llvm::cast;
using llvm::dyn_cast;

static const RuleInfo Info{
    "GEN003",
    "readlines-in-for",
    "GEN",
    "Loop over `f.readlines()` instead of the file itself",
    R"md(## What it does
Flags `for line in f.readlines():` and comprehension clauses `for line in f.readlines()`,
where `readlines()` is called without a size hint.

## Why is this bad?
`readlines()` reads the whole file and keeps every line as a separate string in a list before
the loop body sees the first one: a 2 GB log needs well over 2 GB of memory. File objects are
iterators over their lines; iterating `f` directly reads one buffered line at a time.

## Example
```python
with open(path) as f:
    for line in f.readlines():
        handle(line)
```

Use instead:
```python
with open(path) as f:
    for line in f:
        handle(line)
```

## Fix safety
Safe when the receiver is a name bound only by `open(...)` (in a `with` or an assignment) and
the loop has no `break`; otherwise unsafe: an object with a `readlines()` method need not be
iterable, and after a `break` iteration leaves the file at a different position.

## Not flagged
`readlines(hint)` with an argument, and loops whose body uses the file object itself
(`f.tell()`, `f.seek()`, `f.readline()`, passing `f` on), because iteration and those calls
interfere.
)md",
    Severity::Warning,
    true,
    FixAvailability::Always};

namespace {

/// Does the loop body mention the receiver's root name at all?
bool mentions(Body LoopBody, const NameExpr *Root) {
  struct Finder : Walker {
    const NameExpr *Root;
    bool Found = false;
    bool visitExpr(const Expr *E) override {
      if (const auto *N = dyn_cast<NameExpr>(E))
        if (N->Sym ? N->Sym == Root->Sym : N->Id == Root->Id)
          Found = true;
      return !Found;
    }
  } F;
  F.Root = Root;
  F.walk(LoopBody);
  return F.Found;
}

bool hasBreak(Body LoopBody) {
  struct Finder : Walker {
    bool Found = false;
    bool visitStmt(const Stmt *S) override {
      if (S->Kind == StmtKind::Break)
        Found = true;
      // A break inside a nested loop ends that loop, not ours.
      return !Found && S->Kind != StmtKind::For && S->Kind != StmtKind::While &&
             S->Kind != StmtKind::FunctionDef && S->Kind != StmtKind::ClassDef;
    }
  } F;
  F.walk(LoopBody);
  return F.Found;
}

/// The receiver is a name whose every binding is `open(...)` or `with open(...) as name`.
bool isKnownFile(const Module &M, const Expr *Receiver) {
  const auto *N = dyn_cast<NameExpr>(Receiver);
  if (!N || !N->Sym)
    return false;
  auto IsOpenCall = [&](const Expr *E) {
    const auto *C = dyn_cast_or_null<CallExpr>(E);
    if (!C)
      return false;
    if (isBuiltinCall(M, C, "open"))
      return true;
    StringRef Name = dottedName(M, C->Callee);
    return Name == "io.open" || Name == "codecs.open";
  };
  unsigned Stores = 0;
  for (const NameExpr *Ref : N->Sym->Refs)
    Stores += Ref->Ctx != ExprContext::Load;
  struct Binder : Walker {
    const Symbol *Sym;
    llvm::function_ref<bool(const Expr *)> IsOpen;
    unsigned Open = 0;
    bool visitStmt(const Stmt *S) override {
      if (const auto *A = dyn_cast<AssignStmt>(S)) {
        for (const Expr *T : A->Targets)
          if (const auto *TN = dyn_cast<NameExpr>(T); TN && TN->Sym == Sym && IsOpen(A->Value))
            ++Open;
      } else if (const auto *W = dyn_cast<WithStmt>(S)) {
        for (const WithItem &I : W->Items)
          if (const auto *TN = dyn_cast_or_null<NameExpr>(I.Target);
              TN && TN->Sym == Sym && IsOpen(I.Context))
            ++Open;
      }
      return true;
    }
  } B;
  B.Sym = N->Sym;
  B.IsOpen = IsOpenCall;
  // Bindings of a local live in its function's body; only globals need the whole module.
  const FunctionDef *Owner = N->Sym->Owner->function();
  B.walk(Owner ? Owner->Inner : M.body());
  return Stores > 0 && Stores == B.Open;
}

class ReadlinesInFor : public Rule {
public:
  ReadlinesInFor() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    for (const Scope *S : Ctx.module().scopes()) {
      for (const Event &E : S->Events) {
        if (E.Kind == EventKind::Loop) {
          if (const auto *For = dyn_cast<ForStmt>(E.Statement); For && !For->IsAsync)
            check(Ctx, For->Iter, For->Loop, true);
        } else if (E.Kind == EventKind::Comprehension) {
          for (const Comprehension &G : cast<ComprehensionExpr>(E.Value)->Generators)
            if (!G.IsAsync)
              check(Ctx, G.Iter, {}, false);
        }
      }
    }
  }

private:
  void check(ModuleContext &Ctx, const Expr *Iter, Body LoopBody, bool IsStatement) const {
    const auto *Call = dyn_cast_or_null<CallExpr>(Iter);
    if (!Call || !Call->Args.empty())
      return;
    const auto *Method = dyn_cast<AttributeExpr>(Call->Callee);
    if (!Method || Method->Attr != "readlines")
      return;
    const Expr *Receiver = Method->Object;
    if (const NameExpr *Root = rootName(Receiver); Root && mentions(LoopBody, Root))
      return;
    std::string Receiving = Ctx.text(Receiver).str();
    if (Receiving.size() > 40 || Receiving.find('\n') != std::string::npos)
      Receiving = "the file";
    else
      Receiving = "`" + Receiving + "`";
    Diagnostic &D = Ctx.report(
        Info, Call->Range,
        "`readlines()` loads every line into a list before the loop starts; iterate " +
            Receiving + " directly to read one line at a time");
    Fix F;
    F.Title = "Iterate the file object";
    bool Safe = isKnownFile(Ctx.module(), Receiver) && (!IsStatement || !hasBreak(LoopBody));
    F.Safety = Safe ? Applicability::Safe : Applicability::Unsafe;
    if (Receiver->Parens)
      return; // `(expr).readlines()`: the edit would have to keep the parentheses
    Ctx.addEdit(F, {Receiver->Range.End, Call->Range.End}, "");
    D.FixIt = std::move(F);
  }
};

} // namespace

std::unique_ptr<Rule> createReadlinesInFor() { return std::make_unique<ReadlinesInFor>(); }

} // namespace memlint::gen
