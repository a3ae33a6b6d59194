//===- MEM007ParameterSizedListInLoop.cpp ------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{
    "MEM007",
    "parameter-sized-list-in-loop",
    "MEM",
    "A list sized by a parameter is rebuilt on every loop iteration but only read",
    R"md(## What it does
Flags `name = [value] * n`, `name = n * [value]` and `name = list(range(n))` inside a loop,
where `n` is a parameter of the function that nothing reassigns, `value` is a constant, and
the loop only reads `name`: indexing, `len()`, `in`, iteration. Nothing stores into it, calls
its methods, passes it to another function or keeps it.

## Why is this bad?
Each pass allocates and fills a fresh n-element list (8 bytes per element plus the header)
that is identical to the previous one and that nothing changes: n allocations' worth of work
and memory traffic per iteration for a value that could be built once. `list(range(n))` does
not need to be a list at all: `range(n)` supports indexing, `len()`, `in` (in constant time)
and iteration in constant memory.

This rule is informational: the memory is freed each iteration, but the churn is
proportional to `n` times the number of iterations.

## Example
```python
def score(rows, width):
    for row in rows:
        weights = [1.0] * width
        total = sum(weights[i] * row[i] for i in range(len(row)))
```

Use instead:
```python
def score(rows, width):
    weights = [1.0] * width
    for row in rows:
        total = sum(weights[i] * row[i] for i in range(len(row)))
```

## Not flagged
Lists that the loop modifies (a fresh zeroed buffer per row is the point), passes to other
functions, stores or returns; sizes that are not parameters or that the function reassigns;
non-constant fill values (`[obj] * n` shares one object, but a call would run each time); and
loops over a literal or a small literal `range()`.
)md",
    Severity::Info,
    true,
    FixAvailability::None};

namespace {

bool isReadOnly(UseKind K) {
  switch (K) {
  case UseKind::SubscriptLoad:
  case UseKind::Membership:
  case UseKind::Len:
  case UseKind::Iterated:
    return true;
  default:
    return false;
  }
}

class Finder : public LoopWalker {
public:
  Finder(ModuleContext &Ctx, const RuleInfo &Meta)
      : LoopWalker(Ctx.module()), Ctx(Ctx), Meta(Meta), Uses(Ctx.analysis<UseMap>()) {}

protected:
  bool onStmt(const Stmt *S) override {
    const auto *A = dyn_cast<AssignStmt>(S);
    const FunctionDef *F = function();
    if (!A || !F || A->Targets.size() != 1 || !inManyIterationLoop())
      return true;
    const auto *Target = dyn_cast<NameExpr>(A->Targets[0]);
    if (!Target || !Target->Sym || Target->Sym->Owner != F->OwnScope ||
        bindingsOf(Target->Sym) != 1)
      return true;
    bool IsRange = false;
    const NameExpr *Size = sizeParameter(A->Value, F, IsRange);
    if (!Size)
      return true;
    for (const NameExpr *Ref : Target->Sym->Refs)
      if (Ref != Target && !isReadOnly(Uses.of(Ref).Kind))
        return true;
    std::string Built = quoteCode(M.text(A->Value), "this list");
    std::string Elements = "a list of `" + Size->Id.str() + "` elements";
    std::string Message = IsRange ? Built + " builds " + Elements +
                                        " on every iteration only to read it; `range(" +
                                        Size->Id.str() +
                                        ")` supports indexing, `len()`, `in` and iteration in "
                                        "constant memory"
                                  : Built + " allocates " + Elements +
                                        " on every iteration although the loop only reads `" +
                                        Target->Id.str() + "`; build it once before the loop";
    Ctx.report(Meta, A->Value->Range, std::move(Message));
    return true;
  }

private:
  ModuleContext &Ctx;
  const RuleInfo &Meta;
  const UseMap &Uses;

  /// `n` in `[c] * n`, `n * [c]` or `list(range(n))`, when it is an unmodified parameter of F.
  const NameExpr *sizeParameter(const Expr *V, const FunctionDef *F, bool &IsRange) const {
    const Expr *Size = nullptr;
    if (const auto *B = dyn_cast_or_null<OperatorExpr>(V);
        B && V->Kind == ExprKind::BinOp && B->Operators.size() == 1 && B->Operators[0] == "*" &&
        B->Operands.size() == 2) {
      for (int I = 0; I < 2; ++I) {
        const auto *L = dyn_cast<SequenceExpr>(B->Operands[I]);
        if (L && L->Kind == ExprKind::List && !L->Elements.empty() &&
            llvm::all_of(L->Elements, [](const Expr *E) { return isa<ConstantExpr>(E); }))
          Size = B->Operands[1 - I];
      }
    } else if (const auto *C = dyn_cast_or_null<CallExpr>(V); C && isBuiltinCall(M, C, "list")) {
      const auto *R = dyn_cast_or_null<CallExpr>(C->soleArgument());
      if (R && isBuiltinCall(M, R, "range")) {
        Size = R->soleArgument();
        IsRange = true;
      }
    }
    const auto *N = dyn_cast_or_null<NameExpr>(Size);
    if (!N || !N->Sym || N->Sym->Owner != F->OwnScope || !N->Sym->has(SymParameter) ||
        bindingsOf(N->Sym) != 0)
      return nullptr;
    return N;
  }
};

class ParameterSizedListInLoop : public Rule {
public:
  ParameterSizedListInLoop() : Rule(Info) {}
  void checkModule(ModuleContext &Ctx) const override {
    Finder F(Ctx, Info);
    F.walk(Ctx.module().body());
  }
};

} // namespace

std::unique_ptr<Rule> createParameterSizedListInLoop() {
  return std::make_unique<ParameterSizedListInLoop>();
}

} // namespace memlint::mem
