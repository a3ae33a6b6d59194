//===- MEM003UnboundedDictCache.cpp ------------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{
    "MEM003",
    "unbounded-dict-cache",
    "MEM",
    "A module- or class-level dict is used as a cache and nothing ever removes entries",
    R"md(## What it does
Flags a dict bound once at module level (`_cache = {}`) or in a class body (`_cache = {}`,
shared by all instances) that a function uses as a cache, looking keys up (`key in _cache`,
`_cache.get(key)`, `_cache[key]`) and storing new entries (`_cache[key] = value`), when nothing
in the module ever removes entries: no `pop`, `popitem`, `clear`, `del _cache[key]`, no
rebinding, and no `len(_cache)` size check.

## Why is this bad?
A module or class attribute lives as long as the program. A memo dict keyed by open-ended
input grows with every distinct key and keeps every cached value (and key) alive: a long-running
service slowly accumulates one entry per distinct request, path or object ever seen.

This rule is informational: whether the keys come from a small fixed set (encoding names,
prefix lengths) or an open-ended one is not visible in the code, and only the latter leaks.

## Example
```python
_parsed = {}

def parse(path):
    if path not in _parsed:
        _parsed[path] = load(path)
    return _parsed[path]
```

Use instead:
```python
from functools import lru_cache

@lru_cache(maxsize=256)
def parse(path):
    return load(path)
```
(or evict entries yourself, or keep the cache on an object with a shorter life).

## Not flagged
Dicts filled only at import time or without a lookup in the same function (registries, and
`setdefault` on its own: "the first one wins"), instances storing themselves (`self` as the
value: WRF002), keys
that are constants or types (`type(obj)`, `obj.__class__`, `cls`: bounded by the code), dicts
passed to other functions, returned or aliased (memlint cannot see what happens to them),
`WeakKeyDictionary` / `WeakValueDictionary`, and class-level dicts that an instance
attribute of the same name shadows.
)md",
    Severity::Info,
    true,
    FixAvailability::None};

namespace {

/// `{}`, `dict()`, `OrderedDict()`, `collections.defaultdict(list)`.
bool isEmptyDictInit(const Module &M, const Expr *V) {
  if (const auto *D = dyn_cast_or_null<DictExpr>(V))
    return D->Items.empty();
  const auto *C = dyn_cast_or_null<CallExpr>(V);
  if (!C)
    return false;
  if (isBuiltinCall(M, C, "dict"))
    return C->Args.empty();
  StringRef Callee = dottedName(M, C->Callee);
  if (Callee == "OrderedDict" || Callee == "collections.OrderedDict")
    return C->Args.empty();
  if (Callee == "defaultdict" || Callee == "collections.defaultdict")
    return C->Args.size() <= 1;
  return false;
}

/// Keys bounded by the program text: constants, types, `cls`.
bool isBoundedKey(const Module &M, const Expr *Key) {
  if (!Key || isa<ConstantExpr>(Key))
    return true;
  if (const auto *C = dyn_cast<CallExpr>(Key); C && isBuiltinCall(M, C, "type"))
    return true;
  if (const auto *A = dyn_cast<AttributeExpr>(Key); A && A->Attr == "__class__")
    return true;
  if (const auto *N = dyn_cast<NameExpr>(Key); N && (N->Id == "cls" || N->Id == "klass"))
    return true;
  bool ReadsName = false;
  struct Finder : Walker {
    bool &Found;
    explicit Finder(bool &F) : Found(F) {}
    bool visitExpr(const Expr *E) override {
      Found |= isa<NameExpr>(E);
      return !Found;
    }
  } F(ReadsName);
  F.walk(Key);
  return !ReadsName;
}

class UnboundedDictCache : public Rule {
public:
  UnboundedDictCache() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    const UseMap &Uses = Ctx.analysis<UseMap>();
    for (const Symbol *S : M.moduleScope().Symbols) {
      if (bindingsOf(S) != 1 || S->has(SymImported) || S->has(SymFunction) || S->has(SymClass))
        continue;
      std::vector<const Expr *> Refs;
      bool Initialized = false;
      for (const NameExpr *Ref : S->Refs) {
        const Use &U = Uses.of(Ref);
        if (U.Kind == UseKind::Store && !U.Function && U.Statement &&
            isEmptyDictInit(M, valueOf(U.Statement))) {
          Initialized = true;
          continue;
        }
        Refs.push_back(Ref);
      }
      if (Initialized)
        check(Ctx, Uses, Refs, "`" + S->Name.str() + "` is a module-level dict");
    }
    for (const ClassDef *C : M.classes())
      checkClass(Ctx, Uses, C);
  }

private:
  static const Expr *valueOf(const Stmt *S) {
    if (const auto *A = dyn_cast<AssignStmt>(S))
      return A->Targets.size() == 1 ? A->Value : nullptr;
    if (const auto *A = dyn_cast<AnnAssignStmt>(S))
      return A->Value;
    return nullptr;
  }

  void checkClass(ModuleContext &Ctx, const UseMap &Uses, const ClassDef *C) const {
    for (const Stmt *S : C->Inner) {
      const auto *A = dyn_cast<AssignStmt>(S);
      const auto *N = A && A->Targets.size() == 1 ? dyn_cast<NameExpr>(A->Targets[0]) : nullptr;
      if (!N || !isEmptyDictInit(Ctx.module(), A->Value))
        continue;
      std::vector<const Expr *> Refs;
      if (!collectClassAttributeUses(Ctx.module(), C, N->Id, Refs))
        continue;
      check(Ctx, Uses, Refs,
            "`" + C->Name.str() + "." + N->Id.str() +
                "` is a class-level dict (shared by all instances)");
    }
  }

  /// `self.<Name>` / `cls.<Name>` in the class's methods and `<Class>.<Name>` anywhere. False
  /// when an instance attribute of that name shadows the class attribute.
  static bool collectClassAttributeUses(const Module &M, const ClassDef *C, StringRef Name,
                                        std::vector<const Expr *> &Out) {
    struct Finder : Walker {
      const ClassDef *C;
      StringRef Name;
      std::vector<const Expr *> &Out;
      bool Shadowed = false;
      Finder(const ClassDef *C, StringRef N, std::vector<const Expr *> &O)
          : C(C), Name(N), Out(O) {}
      bool visitExpr(const Expr *E) override {
        const auto *A = dyn_cast<AttributeExpr>(E);
        const auto *Obj = A ? dyn_cast<NameExpr>(A->Object) : nullptr;
        if (!Obj || A->Attr != Name)
          return true;
        bool IsClass = Obj->Id == C->Name && Obj->Sym && Obj->Sym->has(SymClass);
        bool IsReceiver = false;
        for (const FunctionDef *F : C->Methods)
          if (Obj->Sym && Obj->Sym->Owner == F->OwnScope && Obj->Id == F->receiverName()) {
            IsReceiver = true;
            if (A->Ctx == ExprContext::Store && F->Kind == FunctionKind::Method)
              Shadowed = true;
          }
        if (IsClass || IsReceiver)
          Out.push_back(A);
        return true;
      }
    } F(C, Name, Out);
    F.walk(M.body());
    return !F.Shadowed;
  }

  /// `REGISTRY[key] = self`: an instance registering itself is WRF002's finding.
  static bool storesReceiver(const Use &S) {
    const Expr *Value = nullptr;
    if (S.Call && S.Call->Args.size() >= 2)
      Value = S.Call->Args[1].Value;
    else if (const auto *A = dyn_cast_or_null<AssignStmt>(S.Statement))
      Value = A->Value;
    const auto *N = dyn_cast_or_null<NameExpr>(Value);
    return N && S.Function && N->Sym && N->Sym->Owner == S.Function->OwnScope &&
           N->Id == S.Function->receiverName();
  }

  /// Reports the first function that both looks keys up and stores them, when no use anywhere
  /// removes entries, bounds the size, or lets the dict escape.
  void check(ModuleContext &Ctx, const UseMap &Uses, const std::vector<const Expr *> &Refs,
             std::string Subject) const {
    llvm::SmallVector<const Use *, 4> Stores;
    llvm::SmallPtrSet<const FunctionDef *, 4> LookupFunctions;
    for (const Expr *Ref : Refs) {
      const Use &U = Uses.of(Ref);
      switch (U.Kind) {
      case UseKind::SubscriptStore:
        if (U.Function)
          Stores.push_back(&U);
        break;
      case UseKind::SubscriptLoad:
      case UseKind::Membership:
        LookupFunctions.insert(U.Function);
        break;
      case UseKind::MethodCall:
        if (U.Method == "get" || U.Method == "__contains__") {
          LookupFunctions.insert(U.Function);
          break;
        }
        if (U.Method == "setdefault") { // a store; `first one wins` registries use it alone
          if (U.Function)
            Stores.push_back(&U);
          break;
        }
        if (U.Method == "keys" || U.Method == "values" || U.Method == "items" ||
            U.Method == "copy" || U.Method == "update")
          break;
        return; // pop, popitem, clear, __delitem__, or a method memlint does not know
      case UseKind::Iterated:
        break;
      default:
        return; // deleted, rebound, len(), passed on, returned, aliased: not provably unbounded
      }
    }
    for (const Use *S : Stores) {
      if (!LookupFunctions.count(S->Function))
        continue;
      const Expr *Key =
          S->Subscript ? S->Subscript->Index
                       : (S->Call && !S->Call->Args.empty() ? S->Call->Args[0].Value : nullptr);
      if (isBoundedKey(Ctx.module(), Key) || storesReceiver(*S))
        continue;
      TextRange At = S->Subscript ? S->Subscript->Range : S->Call->Range;
      Ctx.report(Info, At,
                 Subject + " used as a cache by `" + S->Function->Name.str() +
                     "()` (looked up, then filled) and nothing in this module ever removes "
                     "entries: it keeps one entry per distinct key, and each value, for the "
                     "life of the process; if the keys are open-ended (input, paths, objects), "
                     "bound it (functools.lru_cache(maxsize=...)) or evict entries");
      return;
    }
  }
};

} // namespace

std::unique_ptr<Rule> createUnboundedDictCache() { return std::make_unique<UnboundedDictCache>(); }

} // namespace memlint::mem
