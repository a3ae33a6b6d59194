//===- MEM004QuadraticConcatenation.cpp --------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

#include <optional>

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{
    "MEM004",
    "quadratic-concatenation-in-loop",
    "MEM",
    "`+=` builds a string or bytes in a loop where CPython must copy it every time",
    R"md(## What it does
Flags `target += piece` inside a loop when `piece` (or what `target` is initialised with) is a
`str` or `bytes`, and CPython cannot append in place:
- the target is an attribute or a subscript (`self.body += chunk`, `parts[key] += line`) that
  stays the same across iterations;
- the target is a module-level or `global` name, a `nonlocal` name, or a local that a nested
  function also uses (a cell);
- the value is `bytes`, whatever the target: bytes never have an in-place append.

## Why is this bad?
Strings and bytes are immutable, so `a += b` creates a new object and copies both. CPython
3.11 avoids the copy only for `str` in a plain local variable (STORE_FAST) that nothing else
references: it resizes the string in place. Every other target copies the whole accumulated
value on each iteration, which makes the loop quadratic in time and churns memory (each pass
briefly holds the old and the new copy). Measured on CPython 3.11.7, 80,000 appends of 10
characters: local `s += x` 11 ms; `self.body += x` 10.3 s; `parts[0] += x` 10.5 s;
`d["k"] += x` 8.7 s; a `global` 10.0 s; 160,000 appends: module-level loop 10.4 s, a local
also read by a closure 10.3 s, `nonlocal` 9.2 s, vs 9.7 ms local; local bytes `b += x` (80,000)
1.36 s vs 2.3 ms with a `bytearray`.

## Example
```python
class Response:
    def __init__(self, chunks):
        self.body = ""
        for chunk in chunks:
            self.body += chunk
```

Use instead:
```python
class Response:
    def __init__(self, chunks):
        self.body = "".join(chunks)
```
(for bytes, append to a `bytearray` or `b"".join()` a list).

## Not flagged
A plain local `str` variable (`s += x` is linear in CPython, and `"".join()` is not always
better: it keeps every piece alive until the end), targets that change every iteration
(`node.text += "!"` with `node` the loop variable, `parts[i] += s` with `i` set in the loop),
`+=` on values not known to be text (lists, numbers), and loops over a literal or a small
literal `range()`.
)md",
    Severity::Warning,
    true,
    FixAvailability::None};

namespace {

/// Why CPython cannot append in place to a name, or empty for a fast local.
std::string slowNameReason(const NameExpr *N, const FunctionDef *F) {
  const Symbol *S = N->Sym;
  if (!S)
    return {};
  switch (S->Owner->Kind) {
  case ScopeKind::Module:
    return F ? "a global" : "a module-level name";
  case ScopeKind::Class:
    return "a class attribute";
  default:
    break;
  }
  if (F && S->Owner != F->OwnScope)
    return "a `nonlocal` name";
  if (S->has(SymCaptured))
    return "also used by a nested function (a cell, not a plain local)";
  return {};
}

class QuadraticConcatenation : public LoopWalker {
public:
  QuadraticConcatenation(ModuleContext &Ctx, const RuleInfo &Info)
      : LoopWalker(Ctx.module()), Ctx(Ctx), Meta(Info) {}

protected:
  bool onStmt(const Stmt *S) override {
    const auto *A = dyn_cast<AugAssignStmt>(S);
    if (!A || A->Operator != "+=" || !inManyIterationLoop())
      return true;
    const LoopWalker::Loop *L = innermostManyIterationLoop();
    if (!L || L->Comprehension)
      return true;
    llvm::SmallPtrSet<const Symbol *, 8> Bound;
    collectLoopBindings(*L, Bound);
    const Expr *Holder = nullptr;
    std::optional<TextKind> Init; // what the target is assigned elsewhere, if anything
    const auto *N = dyn_cast<NameExpr>(A->Target);
    if (N) {
      Init = initializerKind(N);
    } else if (const auto *Attr = dyn_cast<AttributeExpr>(A->Target)) {
      Holder = Attr->Object;
      Init = attributeInitializerKind(Attr);
    } else if (const auto *Sub = dyn_cast<SubscriptExpr>(A->Target)) {
      Holder = Sub->Value;
      if (readsAny(Sub->Index, Bound) || !invariantIndex(Sub->Index))
        return true; // a different element on each pass
      Init = elementInitializerKind(Holder);
    } else {
      return true;
    }
    TextKind Kind = textKindOf(M, A->Value);
    if (Init) {
      if (*Init == TextKind::Unknown || (Kind != TextKind::Unknown && Kind != *Init))
        return true; // also assigned something else: a bytearray, a list, a number
      Kind = *Init;
    } else if (Kind == TextKind::Bytes) {
      return true; // `buf += b"..."` is fine when buf is a bytearray: the target must be known
    }
    if (Kind == TextKind::Unknown || resetInLoop(A, *L))
      return true;
    if (Holder &&
        (readsAny(Holder, Bound) || !invariantHolder(Holder) || mutatedInLoop(Holder, *L)))
      return true;
    std::string Target = quoteCode(M.text(A->Target), "the target");
    if (Kind == TextKind::Bytes)
      return report(A, bytesMessage(Target));
    if (N) {
      std::string Reason = slowNameReason(N, function());
      if (Reason.empty())
        return true; // a plain local str: CPython appends in place
      return report(A, "`" + N->Id.str() + "` is " + Reason +
                           ", so CPython cannot append to it in place: each `+=` in this loop "
                           "copies the whole string, which is quadratic; collect the pieces in a "
                           "list and `''.join()` them once");
    }
    return report(A, "`" + M.text(A->Target).str() +
                         " += ...` copies the whole string on every iteration: CPython appends "
                         "in place only to a plain local variable, so building it this way is "
                         "quadratic; collect the pieces in a list and assign `''.join(pieces)` "
                         "once");
  }

  /// The loop also assigns the target (`buf = b""` after a flush): what accumulates is reset.
  bool resetInLoop(const AugAssignStmt *A, const LoopWalker::Loop &L) const {
    TextRange Region = L.Statement->Range;
    if (const auto *N = dyn_cast<NameExpr>(A->Target)) {
      if (!N->Sym)
        return true;
      // Other `+=` on the same name accumulate too; only a plain store resets it.
      struct Appends : Walker {
        llvm::SmallPtrSet<const Expr *, 4> Targets;
        bool visitStmt(const Stmt *S) override {
          if (const auto *Aug = dyn_cast<AugAssignStmt>(S))
            Targets.insert(Aug->Target);
          return true;
        }
      } Aug;
      Aug.walk(L.Statement);
      for (const NameExpr *Ref : N->Sym->Refs)
        if (Ref->Ctx != ExprContext::Load && Region.contains(Ref->Range) && !Aug.Targets.count(Ref))
          return true;
      return false;
    }
    struct Finder : Walker {
      const Module &M;
      StringRef Text;
      bool Found = false;
      Finder(const Module &M, StringRef T) : M(M), Text(T) {}
      bool visitStmt(const Stmt *S) override {
        if (const auto *As = dyn_cast<AssignStmt>(S))
          for (const Expr *T : As->Targets)
            Found |= M.text(T) == Text;
        return !Found;
      }
    } F(M, M.text(A->Target));
    F.walk(L.Statement);
    return F.Found;
  }

  /// `lines[0] += s` while the loop also appends to or pops from `lines`.
  bool mutatedInLoop(const Expr *Holder, const LoopWalker::Loop &L) const {
    struct Finder : Walker {
      const Module &M;
      StringRef Text;
      bool Found = false;
      Finder(const Module &M, StringRef T) : M(M), Text(T) {}
      bool visitExpr(const Expr *E) override {
        if (const auto *C = dyn_cast<CallExpr>(E))
          if (const auto *A = dyn_cast<AttributeExpr>(C->Callee); A && M.text(A->Object) == Text)
            Found |= A->Attr == "append" || A->Attr == "insert" || A->Attr == "extend" ||
                     A->Attr == "pop" || A->Attr == "remove" || A->Attr == "clear" ||
                     A->Attr == "appendleft" || A->Attr == "popleft";
        return !Found;
      }
    } F(M, M.text(Holder));
    F.walk(L.Statement);
    return F.Found;
  }

private:
  ModuleContext &Ctx;
  const RuleInfo &Meta;

  bool report(const AugAssignStmt *A, std::string Message) {
    Ctx.report(Meta, A->Range, std::move(Message));
    return true;
  }

  static std::string bytesMessage(const std::string &Target) {
    return "bytes `+=` on " + Target +
           " copies the whole buffer on every iteration (bytes have no in-place append), "
           "which is quadratic; accumulate into a `bytearray` or `b''.join()` a list";
  }

  /// The holder is a name or an attribute chain of names (`self`, `self.parts`, `state.out`):
  /// the same object on every pass unless the loop rebinds its root.
  static bool invariantHolder(const Expr *E) {
    while (const auto *A = dyn_cast<AttributeExpr>(E))
      E = A->Object;
    return isa<NameExpr>(E);
  }

  /// Non-negative constants and names: `parts[-1]` is usually the last of a growing list, and a
  /// call (`parts[next_key()]`) may pick another element.
  static bool invariantIndex(const Expr *E) {
    if (isa<ConstantExpr>(E))
      return true;
    return invariantHolder(E);
  }

  /// What the other assignments of the name store: nullopt if there are none, Unknown when
  /// they are not all text of one kind.
  std::optional<TextKind> initializerKind(const NameExpr *N) const {
    if (!N->Sym)
      return TextKind::Unknown;
    struct Finder : Walker {
      const Module &M;
      const Symbol *Sym;
      std::optional<TextKind> Kind;
      Finder(const Module &M, const Symbol *S) : M(M), Sym(S) {}
      bool visitStmt(const Stmt *S) override {
        if (const auto *A = dyn_cast<AssignStmt>(S))
          for (const Expr *T : A->Targets)
            if (const auto *TN = dyn_cast<NameExpr>(T); TN && TN->Sym == Sym)
              note(textKindOf(M, A->Value));
        if (const auto *A = dyn_cast<AnnAssignStmt>(S); A && A->Value)
          if (const auto *TN = dyn_cast<NameExpr>(A->Target); TN && TN->Sym == Sym)
            note(textKindOf(M, A->Value));
        return true;
      }
      void note(TextKind K) { Kind = !Kind || *Kind == K ? K : TextKind::Unknown; }
    } F(M, N->Sym);
    F.walk(M.body());
    return F.Kind;
  }

  /// `parts[k] += x` where `parts` is a local bound once to a display whose values are all
  /// text of one kind (`{"head": "", "body": ""}`, `["", ""]`).
  std::optional<TextKind> elementInitializerKind(const Expr *Holder) const {
    const auto *N = dyn_cast<NameExpr>(Holder);
    if (!N || !N->Sym || bindingsOf(N->Sym) != 1)
      return std::nullopt;
    struct Finder : Walker {
      const Symbol *Sym;
      const Expr *Value = nullptr;
      explicit Finder(const Symbol *S) : Sym(S) {}
      bool visitStmt(const Stmt *S) override {
        if (const auto *A = dyn_cast<AssignStmt>(S); A && A->Targets.size() == 1)
          if (const auto *TN = dyn_cast<NameExpr>(A->Targets[0]); TN && TN->Sym == Sym)
            Value = A->Value;
        return !Value;
      }
    } F(N->Sym);
    F.walk(M.body());
    llvm::SmallVector<const Expr *, 8> Elements;
    if (const auto *D = dyn_cast_or_null<DictExpr>(F.Value)) {
      for (const DictItem &I : D->Items)
        Elements.push_back(I.Value);
    } else if (const auto *L = dyn_cast_or_null<SequenceExpr>(F.Value)) {
      Elements.append(L->Elements.begin(), L->Elements.end());
    } else {
      return std::nullopt;
    }
    std::optional<TextKind> Kind;
    for (const Expr *E : Elements) {
      TextKind K = textKindOf(M, E);
      Kind = !Kind || *Kind == K ? K : TextKind::Unknown;
    }
    return Kind;
  }

  /// `self.body += x`: what the class's methods assign to `self.body` (all must agree).
  std::optional<TextKind> attributeInitializerKind(const AttributeExpr *Target) const {
    const auto *Root = dyn_cast<NameExpr>(Target->Object);
    const FunctionDef *F = function();
    if (!Root || !F || !F->EnclosingClass || Root->Id != F->receiverName())
      return std::nullopt;
    std::optional<TextKind> Kind;
    for (const FunctionDef *Method : F->EnclosingClass->Methods)
      for (const Event &E : Method->OwnScope->Events) {
        if (E.Kind != EventKind::AttributeStore || E.TargetBase.Kind != OriginKind::Self ||
            E.Method != Target->Attr || !E.Statement || !isa<AssignStmt>(E.Statement))
          continue;
        TextKind K = textKindOf(M, E.Value);
        Kind = !Kind || *Kind == K ? K : TextKind::Unknown;
      }
    return Kind;
  }
};

class QuadraticConcatenationRule : public Rule {
public:
  QuadraticConcatenationRule() : Rule(Info) {}
  void checkModule(ModuleContext &Ctx) const override {
    QuadraticConcatenation Walker(Ctx, Info);
    Walker.walk(Ctx.module().body());
  }
};

} // namespace

std::unique_ptr<Rule> createQuadraticConcatenation() {
  return std::make_unique<QuadraticConcatenationRule>();
}

} // namespace memlint::mem
