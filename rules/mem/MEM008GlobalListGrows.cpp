//===- MEM008GlobalListGrows.cpp ---------------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{
    "MEM008",
    "global-list-grows",
    "MEM",
    "A module-level list grows on every call of a function and nothing removes items",
    R"md(## What it does
Flags `items.append(value)` / `extend` / `insert` / `items += [...]` inside a function, when
`items` is a module-level list (`items = []`) and nothing in the module ever removes items
from it or bounds it: no `pop`, `remove`, `clear`, `del items[...]`, slice assignment,
rebinding, or `len(items)` check, and the list is not handed to other code. Only values built
by the call are counted (a new object, a tuple holding one, a local): appending a parameter is
how registration APIs work and is left alone.

## Why is this bad?
A module-level list lives as long as the program. Appending a new object on every call (a log
record, a history entry, a "seen" item) grows memory without limit in a long-running process,
and keeps every appended object alive together with everything it references.

## Example
```python
_history = []

def record(event):
    _history.append((time.time(), event))
```

Use instead:
```python
from collections import deque

_history = deque(maxlen=10_000)

def record(event):
    _history.append((time.time(), event))
```

## Not flagged
Appends at import time (module level, or in a private function only the module's top level
calls), in decorators (functions that return a function they define, or their argument),
appending a parameter, a function or a class
(registries and decorators), `self` (WRF002 covers instances registering themselves), lists
that the module shrinks, measures or passes on (another function may trim them), and
`deque(maxlen=...)` or other containers, and `weakref.ref(...)` values (they do not keep their
referents alive; a `weakref.WeakSet` would also drop the dead references).
)md",
    Severity::Warning,
    true,
    FixAvailability::None};

namespace {

bool isEmptyListInit(const Module &M, const Expr *V) {
  if (const auto *L = dyn_cast_or_null<SequenceExpr>(V))
    return L->Kind == ExprKind::List && L->Elements.empty();
  const auto *C = dyn_cast_or_null<CallExpr>(V);
  return C && isBuiltinCall(M, C, "list") && C->Args.empty();
}

/// The appended value is built by this call: it contains a call, an f-string, or a local of F
/// that is not a parameter.
bool isFreshPerCall(const Module &M, const Expr *E, const FunctionDef *F) {
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (refersTo(M, dottedName(M, C->Callee), "weakref", "ref"))
      return false; // does not keep its referent alive
  struct Finder : Walker {
    const FunctionDef *F;
    bool Fresh = false;
    explicit Finder(const FunctionDef *F) : F(F) {}
    bool visitExpr(const Expr *E) override {
      if (isa<CallExpr>(E) || isa<FStringExpr>(E) || isa<ComprehensionExpr>(E) || isa<DictExpr>(E))
        Fresh = true;
      if (const auto *N = dyn_cast<NameExpr>(E);
          N && N->Sym && N->Sym->Owner == F->OwnScope && !N->Sym->has(SymParameter) &&
          !N->Sym->has(SymFunction) && !N->Sym->has(SymClass))
        Fresh = true;
      return !Fresh && !isa<LambdaExpr>(E);
    }
  } Find(F);
  Find.walk(E);
  return Find.Fresh;
}

/// F runs only while the module is imported or defines things: a private (or deleted)
/// module-level function called only from module-level code, or a decorator (it returns a
/// function it defines, or its own parameter).
bool runsAtDefinitionTime(const Module &M, const FunctionDef *F) {
  const Scope *Parent = F->OwnScope->Parent;
  if (Parent && Parent->Kind == ScopeKind::Module)
    if (const Symbol *S = Parent->lookupLocal(F->Name);
        S && (F->Name.startswith("_") || S->has(SymDeleted)) &&
        llvm::all_of(S->Refs, [](const NameExpr *Ref) {
          return Ref->Ctx != ExprContext::Load || Ref->InScope->Kind == ScopeKind::Module;
        }))
      return true;
  struct Returns : Walker {
    const FunctionDef *F;
    bool Decorator = false;
    explicit Returns(const FunctionDef *F) : F(F) {}
    bool visitStmt(const Stmt *S) override {
      if (isa<FunctionDef>(S) || isa<ClassDef>(S))
        return false;
      if (const auto *R = dyn_cast<ReturnStmt>(S))
        if (const auto *N = dyn_cast_or_null<NameExpr>(R->Value);
            N && N->Sym && N->Sym->Owner == F->OwnScope &&
            (N->Sym->has(SymFunction) || N->Sym->has(SymParameter)))
          Decorator = true;
      return !Decorator;
    }
  } R(F);
  R.walk(F->Inner);
  return R.Decorator;
}

class GlobalListGrows : public Rule {
public:
  GlobalListGrows() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    const UseMap &Uses = Ctx.analysis<UseMap>();
    for (const Symbol *S : M.moduleScope().Symbols) {
      if (bindingsOf(S) != 1 || S->has(SymImported))
        continue;
      const Use *Grow = nullptr;
      bool Initialized = false, Unbounded = true;
      for (const NameExpr *Ref : S->Refs) {
        const Use &U = Uses.of(Ref);
        if (U.Kind == UseKind::Store && !U.Function) {
          Initialized = U.Statement && isEmptyListInit(M, valueOf(U.Statement));
          continue;
        }
        switch (U.Kind) {
        case UseKind::MethodCall:
          if (U.Method == "append" || U.Method == "extend" || U.Method == "insert") {
            const Expr *Value = U.Call->Args.empty() ? nullptr
                                : U.Method == "insert" && U.Call->Args.size() == 2
                                    ? U.Call->Args[1].Value
                                    : U.Call->Args[0].Value;
            if (U.Function && Value && !Grow && isFreshPerCall(M, Value, U.Function))
              Grow = &U;
            break;
          }
          if (U.Method == "index" || U.Method == "count" || U.Method == "copy" ||
              U.Method == "sort" || U.Method == "reverse")
            break;
          Unbounded = false; // pop, remove, clear, or a method memlint does not know
          break;
        case UseKind::AugTarget:
          if (const auto *A = dyn_cast_or_null<AugAssignStmt>(U.Statement);
              A && U.Function && !Grow && isFreshPerCall(M, A->Value, U.Function))
            Grow = &U;
          break;
        case UseKind::SubscriptStore:
          if (U.Subscript && isa<SliceExpr>(U.Subscript->Index))
            Unbounded = false; // items[:] = ...
          break;
        case UseKind::SubscriptLoad:
        case UseKind::Membership:
        case UseKind::Iterated:
          break;
        default:
          Unbounded = false; // deleted, rebound, len(), passed on, returned, aliased
          break;
        }
      }
      if (!Initialized || !Unbounded || !Grow || runsAtDefinitionTime(M, Grow->Function))
        continue;
      TextRange At = Grow->Call ? Grow->Call->Range : Grow->Statement->Range;
      Ctx.report(Info, At,
                 "`" + S->Name.str() + "` is a module-level list that `" +
                     Grow->Function->Name.str() +
                     "()` adds to on every call, and nothing in this module removes items "
                     "from it: it grows for the life of the process, keeping everything "
                     "appended alive; bound it (`collections.deque(maxlen=N)`) or clear it "
                     "once the data has been used");
    }
  }

private:
  static const Expr *valueOf(const Stmt *S) {
    if (const auto *A = dyn_cast<AssignStmt>(S))
      return A->Targets.size() == 1 ? A->Value : nullptr;
    if (const auto *A = dyn_cast<AnnAssignStmt>(S))
      return A->Value;
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Rule> createGlobalListGrows() { return std::make_unique<GlobalListGrows>(); }

} // namespace memlint::mem
