#include "rules/gen/GenSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

namespace memlint::gen {

using namespace ir;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

bool isBuiltinCall(const Module &M, const CallExpr *Call, llvm::StringRef Name) {
  const auto *Callee = dyn_cast<NameExpr>(Call->Callee);
  return Callee && Callee->Id == Name && M.isBuiltin(Callee);
}

llvm::StringRef builtinCallee(const Module &M, const CallExpr *Call) {
  const auto *Callee = dyn_cast<NameExpr>(Call->Callee);
  return Callee && M.isBuiltin(Callee) ? Callee->Id : llvm::StringRef();
}

namespace {

bool containsKind(const Expr *E, bool (*Pred)(const Expr *)) {
  if (!E)
    return false;
  if (Pred(E))
    return true;
  bool Found = false;
  forEachChild(E, [&](const Expr *Child) { Found = Found || containsKind(Child, Pred); });
  return Found;
}

bool isAwait(const Expr *E) { return E->Kind == ExprKind::Await; }

bool hasEffects(const Expr *E) {
  return E->Kind == ExprKind::Call || E->Kind == ExprKind::Await || E->Kind == ExprKind::Yield ||
         E->Kind == ExprKind::NamedExpr;
}

} // namespace

bool isConvertibleListComp(const Expr *E) {
  const auto *C = dyn_cast_or_null<ComprehensionExpr>(E);
  if (!C || C->Kind != ExprKind::ListComp || C->isAsync())
    return false;
  if (containsKind(C->Element, isAwait))
    return false;
  for (size_t I = 0; I < C->Generators.size(); ++I) {
    const Comprehension &G = C->Generators[I];
    if ((I > 0 && containsKind(G.Iter, isAwait)) ||
        llvm::any_of(G.Conditions, [](const Expr *Cond) { return containsKind(Cond, isAwait); }))
      return false;
  }
  return true;
}

bool isSideEffectFree(const ComprehensionExpr *C) {
  if (containsKind(C->Element, hasEffects) || containsKind(C->Value, hasEffects))
    return false;
  for (size_t I = 0; I < C->Generators.size(); ++I) {
    const Comprehension &G = C->Generators[I];
    if (I > 0 && containsKind(G.Iter, hasEffects))
      return false;
    for (const Expr *Cond : G.Conditions)
      if (containsKind(Cond, hasEffects))
        return false;
  }
  return true;
}

const Expr *lazyArgumentOfListCall(const Module &M, const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  if (!Call || !isBuiltinCall(M, Call, "list"))
    return nullptr;
  const Expr *Arg = Call->soleArgument();
  if (!Arg)
    return nullptr;
  if (Arg->Kind == ExprKind::GeneratorExp)
    return cast<ComprehensionExpr>(Arg)->isAsync() ? nullptr : Arg;
  const auto *Inner = dyn_cast<CallExpr>(Arg);
  if (!Inner)
    return nullptr;
  bool Lazy = llvm::StringSwitch<bool>(builtinCallee(M, Inner))
                  .Cases("range", "map", "filter", "zip", "enumerate", "reversed", true)
                  .Default(false);
  return Lazy ? Arg : nullptr;
}

namespace {

/// Collects the outermost name/attribute chains E reads whose binding lives outside Whole.
void collectOuterReads(const Expr *E, const Expr *Whole, bool Iterated,
                       llvm::SmallVectorImpl<ListSource> &Out) {
  if (!E)
    return;
  const Expr *Head = E;
  while (const auto *A = dyn_cast<AttributeExpr>(Head))
    Head = A->Object;
  const auto *N = dyn_cast<NameExpr>(Head);
  if (!N) {
    forEachChild(E, [&](const Expr *Child) { collectOuterReads(Child, Whole, Iterated, Out); });
    return;
  }
  const Symbol *Sym = N->Sym;
  if (!Sym || N->Ctx != ExprContext::Load)
    return;
  const Expr *Owner = Sym->Owner->DefiningExpr;
  if (Owner && Whole->Range.contains(Owner->Range))
    return; // a comprehension variable or lambda parameter
  // A bare function, class or module name is not state; `os.environ` or `Config.registry` is.
  if (E == Head && (Sym->Flags & (SymFunction | SymClass | SymImported)))
    return;
  Out.push_back({E, Iterated});
}

void collectComprehension(const ComprehensionExpr *C, const Expr *Whole,
                          llvm::SmallVectorImpl<ListSource> &Out) {
  for (const Comprehension &G : C->Generators) {
    collectOuterReads(G.Iter, Whole, /*Iterated=*/true, Out);
    for (const Expr *Cond : G.Conditions)
      collectOuterReads(Cond, Whole, false, Out);
  }
  collectOuterReads(C->Element, Whole, false, Out);
  collectOuterReads(C->Value, Whole, false, Out);
}

} // namespace

void sourcesOf(const Module &M, const Expr *ListExpr, llvm::SmallVectorImpl<ListSource> &Sources) {
  if (const auto *C = dyn_cast<ComprehensionExpr>(ListExpr)) {
    collectComprehension(C, ListExpr, Sources);
    return;
  }
  const Expr *Lazy = lazyArgumentOfListCall(M, ListExpr);
  if (const auto *G = dyn_cast_or_null<ComprehensionExpr>(Lazy)) {
    collectComprehension(G, ListExpr, Sources);
  } else if (const auto *Call = dyn_cast_or_null<CallExpr>(Lazy)) {
    // map(f, xs) / filter(pred, xs): the function's reads are values, the rest are iterated.
    llvm::StringRef Builtin = builtinCallee(M, Call);
    bool TakesFunction = Builtin == "map" || Builtin == "filter";
    for (size_t I = 0; I < Call->Args.size(); ++I)
      collectOuterReads(Call->Args[I].Value, ListExpr, !(TakesFunction && I == 0), Sources);
  }
}

namespace {

/// An access path: a symbol and the attribute names after it (`self.cache` -> self, [cache]).
struct AccessPath {
  const Symbol *Root = nullptr;
  llvm::SmallVector<llvm::StringRef, 4> Attrs;
  bool valid() const { return Root != nullptr; }
};

/// The container an expression reads: method calls and subscripts are looked through, so
/// `self.cache.items()` and `self.cache[k]` both read `self.cache`.
AccessPath containerPath(const Expr *E) {
  llvm::SmallVector<llvm::StringRef, 4> Reversed;
  while (E) {
    if (const auto *N = dyn_cast<NameExpr>(E)) {
      AccessPath P;
      P.Root = N->Sym;
      P.Attrs.assign(Reversed.rbegin(), Reversed.rend());
      return P;
    }
    if (const auto *A = dyn_cast<AttributeExpr>(E)) {
      Reversed.push_back(A->Attr);
      E = A->Object;
    } else if (const auto *S = dyn_cast<SubscriptExpr>(E)) {
      Reversed.clear(); // x[k].attr: the container is x
      E = S->Value;
    } else if (const auto *C = dyn_cast<CallExpr>(E)) {
      const auto *Method = dyn_cast<AttributeExpr>(C->Callee);
      if (!Method)
        return {}; // f(...) builds something new
      Reversed.clear();
      E = Method->Object;
    } else {
      return {};
    }
  }
  return {};
}

/// A plain name/attribute chain, no calls or subscripts: what an argument passes along.
AccessPath plainPath(const Expr *E) {
  llvm::SmallVector<llvm::StringRef, 4> Reversed;
  while (const auto *A = dyn_cast_or_null<AttributeExpr>(E)) {
    Reversed.push_back(A->Attr);
    E = A->Object;
  }
  const auto *N = dyn_cast_or_null<NameExpr>(E);
  AccessPath P;
  if (N) {
    P.Root = N->Sym;
    P.Attrs.assign(Reversed.rbegin(), Reversed.rend());
  }
  return P;
}

/// Methods of the builtin containers and str that never change the receiver.
bool isReadOnlyMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("get", "keys", "values", "items", "copy", "count", "index", true)
      .Cases("startswith", "endswith", "format", "lower", "upper", "strip", "split", true)
      .Cases("__contains__", "__getitem__", "__len__", "issubset", "issuperset", true)
      .Default(false);
}

bool overlaps(const AccessPath &A, const AccessPath &B) {
  if (!A.valid() || A.Root != B.Root)
    return false;
  size_t N = std::min(A.Attrs.size(), B.Attrs.size());
  for (size_t I = 0; I < N; ++I)
    if (A.Attrs[I] != B.Attrs[I])
      return false;
  return true; // one is a prefix of the other
}

struct SourcePath {
  AccessPath Path;
  bool Iterated;
};

class MutationFinder : public Walker {
public:
  MutationFinder(const Module &M, llvm::ArrayRef<SourcePath> Sources, TextRange Window)
      : M(M), Sources(Sources), Window(Window) {
    for (const SourcePath &S : Sources)
      if (S.Iterated && (S.Path.Root->Owner->Kind == ScopeKind::Module ||
                         S.Path.Root->has(SymGlobal) || S.Path.Root->has(SymNonlocal)))
        SharedSource = true;
  }

  bool Found = false;

  bool visitStmt(const Stmt *S) override {
    if (Found)
      return false;
    if (S->Range.End <= Window.Begin || S->Range.Begin >= Window.End)
      return false;
    if (isa<ClassDef>(S))
      return false;
    return true;
  }

  bool visitExpr(const Expr *E) override {
    if (Found || E->Range.End <= Window.Begin || E->Range.Begin >= Window.End)
      return !Found;
    switch (E->Kind) {
    case ExprKind::Attribute:
      if (cast<AttributeExpr>(E)->Ctx != ExprContext::Load)
        check(containerPath(cast<AttributeExpr>(E)->Object), false);
      break;
    case ExprKind::Subscript:
      if (cast<SubscriptExpr>(E)->Ctx != ExprContext::Load)
        check(containerPath(cast<SubscriptExpr>(E)->Value), false);
      break;
    case ExprKind::Call: {
      const auto *C = cast<CallExpr>(E);
      if (const auto *Method = dyn_cast<AttributeExpr>(C->Callee)) {
        AccessPath Receiver = containerPath(Method->Object);
        // `json.dumps(x)` calls a module's function; `os.environ.pop(k)` mutates module state.
        bool ModuleFunction = Receiver.valid() && Receiver.Attrs.empty() &&
                              Receiver.Root->has(SymImported);
        if (!isReadOnlyMethod(Method->Attr) && !ModuleFunction)
          check(Receiver, /*Passed=*/false);
      } else if (SharedSource) {
        // Project functions may reach module-level containers; builtins like len() do not.
        if (const auto *N = dyn_cast<NameExpr>(C->Callee); !N || !M.isBuiltin(N))
          Found = true;
      }
      for (const Argument &A : C->Args)
        check(plainPath(A.Value), /*Passed=*/true);
      break;
    }
    default:
      break;
    }
    return !Found;
  }

private:
  const Module &M;
  llvm::ArrayRef<SourcePath> Sources;
  TextRange Window;
  bool SharedSource = false;

  /// Passing an object on may change anything reachable from it; that matters for what the
  /// loop iterates, and is too weak a signal for values merely read by the items.
  void check(const AccessPath &Touched, bool Passed) {
    for (const SourcePath &S : Sources)
      if ((!Passed || S.Iterated) && overlaps(Touched, S.Path))
        Found = true;
  }
};

} // namespace

bool mayMutateSources(const Module &M, llvm::ArrayRef<ListSource> Sources, Body Region,
                      TextRange Window) {
  llvm::SmallVector<SourcePath, 4> Paths;
  for (const ListSource &S : Sources) {
    AccessPath P = containerPath(S.Read);
    if (P.valid())
      Paths.push_back({std::move(P), S.Iterated});
  }
  if (Paths.empty())
    return false; // built from fresh values (calls, literals): nothing to mutate
  MutationFinder Finder(M, Paths, Window);
  Finder.walk(Region);
  return Finder.Found;
}

void addBracketsToParens(const ModuleContext &Ctx, Fix &F, const Expr *ListComp) {
  TextRange R = ListComp->Range;
  Ctx.addEdit(F, {R.Begin, R.Begin + 1}, "(");
  Ctx.addEdit(F, {R.End - 1, R.End}, ")");
}

void addUnwrapListCall(const ModuleContext &Ctx, Fix &F, const CallExpr *ListCall) {
  if (ListCall->BareGenerator) {
    // list(x for x in y) -> (x for x in y): the call's parentheses become the generator's.
    Ctx.addEdit(F, {ListCall->Range.Begin, ListCall->Callee->Range.End}, "");
    return;
  }
  Ctx.addEdit(F, {ListCall->Range.Begin, ListCall->ArgsRange.Begin + 1}, "");
  Ctx.addEdit(F, {ListCall->ArgsRange.End - 1, ListCall->ArgsRange.End}, "");
}

std::string callDisplayName(const ModuleContext &Ctx, const CallExpr *Call) {
  return (llvm::Twine("`") + Ctx.text(Call->Callee) + "()`").str();
}

} // namespace memlint::gen
