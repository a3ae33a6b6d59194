//===- MEM005ReadWholeFileThenSplit.cpp --------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{"MEM005",
                           "read-whole-file-then-split",
                           "MEM",
                           "A whole file is read and split into lines only to loop over them once",
                           R"md(## What it does
Flags `f.read().splitlines()`, `f.read().split("\n")`, `path.read_text().splitlines()` (and
`read_bytes()`) when the list of lines is iterated exactly once by a `for` loop or a
comprehension, directly or through a local variable (for the text or the lines) used only
there. `f` must be a file object: `open(...)` itself, a name bound only by `open(...)`, or
`sys.stdin`.

## Why is this bad?
Before the first iteration the program holds the whole file as one string and then a second
copy split into a list of line strings (each with its ~50-byte object header): a 1 GB log
needs well over 2 GB. A file object is an iterator over its lines: `for line in f:` reads
one buffered line at a time, so memory stays flat whatever the file size.

## Example
```python
with open(path) as f:
    for line in f.read().splitlines():
        handle(line)
```

Use instead:
```python
with open(path) as f:
    for line in f:
        handle(line.rstrip("\n"))
```
(`with path.open() as f:` for a `pathlib.Path`).

## Fix safety
No fix is offered: lines from a file keep their `"\n"`, and `splitlines()` also splits on
`"\r"`, `"\v"`, `"\f"`, `"\x1c"`-`"\x1e"`, `"\x85"`, `"\u2028"` and `"\u2029"`, which file
iteration does not.

## Not flagged
`read()` on objects that are not known to be files (a response, a socket, a custom reader),
`read(n)` with a size, and lists of lines that are used more than once (indexed, measured with
`len()`, iterated twice, returned or stored).
)md",
                           Severity::Warning,
                           true,
                           FixAvailability::None};

namespace {

class Finder : public Walker {
public:
  Finder(ModuleContext &Ctx, const RuleInfo &Meta) : Ctx(Ctx), M(Ctx.module()), Meta(Meta) {}

  bool visitStmt(const Stmt *S) override {
    if (const auto *F = dyn_cast<ForStmt>(S); F && !F->IsAsync)
      checkIterable(F->Iter);
    return true;
  }

  bool visitExpr(const Expr *E) override {
    if (const auto *C = dyn_cast<ComprehensionExpr>(E);
        C && !C->Generators.empty() && !C->Generators.front().IsAsync)
      checkIterable(C->Generators.front().Iter);
    return true;
  }

  void run() {
    // Assignments first, so `lines = f.read().splitlines()` is known where `lines` is iterated.
    struct Pre : Walker {
      Finder &Outer;
      explicit Pre(Finder &O) : Outer(O) {}
      bool visitStmt(const Stmt *S) override {
        if (const auto *A = dyn_cast<AssignStmt>(S))
          Outer.noteAssignment(A);
        return true;
      }
    } P(*this);
    P.walk(M.body());
    walk(M.body());
  }

private:
  ModuleContext &Ctx;
  const Module &M;
  const RuleInfo &Meta;
  llvm::DenseMap<const Symbol *, const Expr *> SingleValues;

  void noteAssignment(const AssignStmt *A) {
    if (A->Targets.size() != 1)
      return;
    const auto *N = dyn_cast<NameExpr>(A->Targets[0]);
    if (N && N->Sym && N->Sym->Owner->Kind == ScopeKind::Function && bindingsOf(N->Sym) == 1 &&
        !N->Sym->has(SymCaptured))
      SingleValues[N->Sym] = A->Value;
  }

  /// The value of a local bound once and read exactly once (at `N`), or null.
  const Expr *throughLocal(const Expr *E) const {
    const auto *N = dyn_cast_or_null<NameExpr>(E);
    if (!N || !N->Sym)
      return nullptr;
    auto It = SingleValues.find(N->Sym);
    if (It == SingleValues.end())
      return nullptr;
    unsigned Loads = 0;
    for (const NameExpr *Ref : N->Sym->Refs)
      Loads += Ref->Ctx == ExprContext::Load;
    return Loads == 1 ? It->second : nullptr;
  }

  /// `f.read()` on a file, or `x.read_text()` / `x.read_bytes()`; Path receives which.
  bool isWholeRead(const Expr *E, bool &IsPath) const {
    const auto *C = dyn_cast_or_null<CallExpr>(E);
    const auto *A = C ? dyn_cast<AttributeExpr>(C->Callee) : nullptr;
    if (!A)
      return false;
    if (A->Attr == "read_text" || A->Attr == "read_bytes") {
      IsPath = true;
      return true;
    }
    IsPath = false;
    return A->Attr == "read" && C->Args.empty() && isOpenFile(M, A->Object);
  }

  void checkIterable(const Expr *Iter) {
    const Expr *Lines = Iter;
    if (const Expr *Bound = throughLocal(Iter))
      Lines = Bound;
    const auto *Split = dyn_cast_or_null<CallExpr>(Lines);
    const auto *Method = Split ? dyn_cast<AttributeExpr>(Split->Callee) : nullptr;
    if (!Method)
      return;
    if (Method->Attr == "splitlines") {
      if (Split->Args.size() > 1)
        return;
    } else if (Method->Attr == "split") {
      if (Split->Args.size() != 1 || Split->Args[0].Kind != ArgKind::Positional)
        return;
      StringRef Sep = M.text(Split->Args[0].Value);
      if (Sep != "\"\\n\"" && Sep != "'\\n'" && Sep != "b\"\\n\"" && Sep != "b'\\n'")
        return;
    } else {
      return;
    }
    const Expr *Text = Method->Object;
    if (const Expr *Bound = throughLocal(Text))
      Text = Bound;
    bool IsPath = false;
    if (!isWholeRead(Text, IsPath))
      return;
    const Expr *Source = cast<AttributeExpr>(cast<CallExpr>(Text)->Callee)->Object;
    std::string Read = quoteCode(M.text(Lines), "reading the whole file and splitting it");
    std::string SourceText = M.text(Source).str();
    bool Short = SourceText.size() <= 40 && SourceText.find('\n') == std::string::npos;
    std::string Iterate =
        IsPath ? (Short ? "`with " + SourceText + ".open() as f:` and `for line in f:`"
                        : std::string("`with path.open() as f:` and `for line in f:`"))
               : (Short ? "`for line in " + SourceText + ":`"
                        : std::string("iterating the file object"));
    Ctx.report(Meta, Lines->Range,
               Read +
                   " holds the whole file and then a list of all its lines before the loop "
                   "starts; " +
                   Iterate + " reads one line at a time (lines then keep their \"\\n\")");
  }
};

class ReadWholeFileThenSplit : public Rule {
public:
  ReadWholeFileThenSplit() : Rule(Info) {}
  void checkModule(ModuleContext &Ctx) const override { Finder(Ctx, Info).run(); }
};

} // namespace

std::unique_ptr<Rule> createReadWholeFileThenSplit() {
  return std::make_unique<ReadWholeFileThenSplit>();
}

} // namespace memlint::mem
