#include "analyzer/Summary.h"
#include "analyzer/SummaryIO.h"

#include "analyzer/MemoryFacts.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace memlint {

using namespace ir;

bool MethodSummary::isTeardown() const {
  return llvm::StringSwitch<bool>(Name)
      // Not __del__: in a cycle it runs only after the collector has found the cycle. Not
      // remove/clear/reset/stop: ordinary API names that need not tear anything down.
      .Cases("close", "__exit__", "__aexit__", "dispose", "destroy", "shutdown", true)
      .Cases("release", "cleanup", "teardown", "tearDown", "detach", "disconnect", true)
      .Cases("unregister", "unsubscribe", "aclose", "terminate", "finalize", true)
      .Default(false);
}

const MethodSummary *ClassSummary::method(llvm::StringRef N) const {
  for (const MethodSummary &M : Methods)
    if (M.Name == N)
      return &M;
  return nullptr;
}

bool ClassSummary::isClassLevel(llvm::StringRef Attr) const {
  if (!llvm::is_contained(ClassLevelAttributes, Attr))
    return false;
  for (const MethodSummary &M : Methods)
    for (const StoreFact &S : M.Stores)
      if (S.Kind == StoreKind::Attribute && S.Target.Kind == ValueKind::Self && S.Attr == Attr)
        return false;
  return true;
}

const ClassSummary *ModuleSummary::findClass(llvm::StringRef Qualified) const {
  for (const ClassSummary &C : Classes)
    if (C.QualifiedName == Qualified)
      return &C;
  return nullptr;
}

bool ModuleSummary::suppressed(uint32_t Line, llvm::StringRef Code) const {
  if (Exempt)
    return true;
  for (const LineNoqa &N : Noqa)
    if (N.Line == Line && (N.All || llvm::is_contained(N.Codes, Code)))
      return true;
  return false;
}

std::string moduleNameForPath(llvm::StringRef Path, bool &IsPackage) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, true);
  llvm::StringRef Stem = llvm::sys::path::stem(Abs);
  IsPackage = Stem == "__init__";
  llvm::SmallVector<std::string, 8> Parts;
  if (!IsPackage)
    Parts.push_back(Stem.str());
  llvm::SmallString<256> Dir = llvm::sys::path::parent_path(Abs);
  for (int Depth = 0; Depth < 64 && !Dir.empty(); ++Depth) {
    llvm::SmallString<256> Init(Dir);
    llvm::sys::path::append(Init, "__init__.py");
    if (!llvm::sys::fs::exists(Init))
      break;
    Parts.push_back(llvm::sys::path::filename(Dir).str());
    Dir = llvm::sys::path::parent_path(Dir);
  }
  std::string Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Name.empty())
      Name += '.';
    Name += *It;
  }
  return Name;
}

namespace {

SummaryLocation locate(const SourceFile &S, TextRange R) {
  return {R, S.position(R.Begin), S.position(R.End)};
}

std::string dotted(const Module &M, const Expr *E) { return dottedName(M, E).str(); }

/// Resolves `from ..a import b` against the importing module.
std::string absoluteModule(llvm::StringRef Current, bool IsPackage, unsigned Level,
                           llvm::StringRef Module) {
  if (Level == 0)
    return Module.str();
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Current.split(Parts, '.');
  // For a plain module, level 1 is its package; for a package's __init__, level 1 is itself.
  unsigned Drop = IsPackage ? Level - 1 : Level;
  if (Drop > Parts.size())
    return {};
  Parts.resize(Parts.size() - Drop);
  std::string Out = llvm::join(Parts, ".");
  if (!Module.empty())
    Out += Out.empty() ? Module.str() : "." + Module.str();
  return Out;
}

/// Facts about values and targets inside one function or method.
class FunctionFacts {
public:
  FunctionFacts(const Module &M, const FunctionDef *F) : M(M), F(F) {
    // Only an instance method's receiver is an instance: `cls.x = cls.method` in a classmethod
    // stores a plain function on the class, which makes no instance cycle.
    if (F && F->Kind == FunctionKind::Method)
      Receiver = F->receiverName();
  }

  bool isReceiver(const NameExpr *N) const {
    if (Receiver.empty() || N->Id != Receiver || !N->Sym || N->Sym->Owner != F->OwnScope)
      return false;
    return storesOf(N->Sym) == 0;
  }

  int paramIndex(const NameExpr *N) const {
    if (!F || !N->Sym || N->Sym->Owner != F->OwnScope || !N->Sym->has(SymParameter) ||
        storesOf(N->Sym) != 0)
      return -1;
    for (unsigned I = 0; I < F->Params.size(); ++I)
      if (F->Params[I].Name == N->Id)
        return static_cast<int>(I);
    return -1;
  }

  /// The value a local bound exactly once in this function was assigned.
  const Expr *singleValue(const NameExpr *N) const {
    if (!F || !N->Sym || N->Sym->Owner != F->OwnScope || N->Sym->has(SymParameter) ||
        storesOf(N->Sym) != 1)
      return nullptr;
    for (const NameExpr *Ref : N->Sym->Refs)
      if (Ref->Ctx == ExprContext::Store) {
        auto It = Assigned.find(Ref);
        return It == Assigned.end() ? nullptr : It->second;
      }
    return nullptr;
  }

  bool isCaught(const NameExpr *N) const {
    return N->Sym && llvm::any_of(Handlers, [&](const ExceptHandler *H) {
             return H->NameNode && H->NameNode->Sym == N->Sym;
           });
  }

  bool isModuleGlobal(const NameExpr *N) const {
    return N->Sym && N->Sym->Owner->Kind == ScopeKind::Module;
  }

  void noteAssignment(const NameExpr *Target, const Expr *Value) { Assigned[Target] = Value; }
  void noteHandler(const ExceptHandler *H) { Handlers.push_back(H); }

  ValueFact value(const Expr *E, unsigned Depth = 0) const {
    ValueFact V;
    if (!E || Depth > 4)
      return V;
    switch (E->Kind) {
    case ExprKind::Name: {
      const auto *N = cast<NameExpr>(E);
      if (isReceiver(N)) {
        V.Kind = ValueKind::Self;
      } else if (int P = paramIndex(N); P >= 0) {
        V.Kind = ValueKind::Param;
        V.Param = static_cast<unsigned>(P);
      } else if (isCaught(N)) {
        V.Kind = ValueKind::CaughtException;
        V.Name = N->Id.str();
      } else if (const Expr *Bound = singleValue(N)) {
        V = value(Bound, Depth + 1);
        V.Local = N->Id.str();
      } else if (N->Sym && N->Sym->has(SymFunction) && F && N->Sym->Owner == F->OwnScope) {
        V.Kind = ValueKind::Closure;
        V.CapturesSelf = nestedFunctionReadsReceiver(N->Id);
      } else if (isModuleGlobal(N)) {
        V.Kind = ValueKind::Global;
        V.Name = N->Id.str();
      }
      return V;
    }
    case ExprKind::Attribute: {
      const auto *A = cast<AttributeExpr>(E);
      TargetFact Base = target(A->Object);
      if (Base.Kind == ValueKind::Self) {
        V.Kind = ValueKind::SelfAttribute; // or a bound method: decided with the class in hand
        V.Name = A->Attr.str();
      } else if (Base.Kind != ValueKind::Unknown) {
        V.Kind = ValueKind::BoundMethod;
        V.Name = A->Attr.str();
        V.Receiver = Base.Kind;
        V.ReceiverParam = Base.Param;
        V.ReceiverName = Base.Name;
      }
      return V;
    }
    case ExprKind::Lambda: {
      const auto *L = cast<LambdaExpr>(E);
      V.Kind = ValueKind::Closure;
      V.CapturesSelf = readsReceiverInside(L->OwnScope);
      // `lambda s=self: ...` keeps self in the function's defaults (the Tk idiom).
      for (const Parameter &P : L->Params)
        if (P.Default && value(P.Default, Depth + 1).Kind == ValueKind::Self)
          V.CapturesSelf = true;
      return V;
    }
    case ExprKind::IfExp: {
      // `owner if owner is not None else self`: either branch may be stored.
      const auto *I = cast<IfExpr>(E);
      ValueFact A = value(I->Body, Depth + 1), B = value(I->OrElse, Depth + 1);
      return selfCarryingFirst(A, B);
    }
    case ExprKind::BoolOp: {
      const auto *O = cast<OperatorExpr>(E);
      if (O->Operands.size() == 2)
        return selfCarryingFirst(value(O->Operands[0], Depth + 1), value(O->Operands[1], Depth + 1));
      return V;
    }
    case ExprKind::Call:
      return callValue(cast<CallExpr>(E), Depth);
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set:
    case ExprKind::Dict: {
      std::vector<ValueFact> Elements = elements(E, Depth);
      if (Elements.empty()) {
        V.Kind = ValueKind::Other;
        return V;
      }
      return Elements.front();
    }
    case ExprKind::Constant:
    case ExprKind::FString:
      V.Kind = ValueKind::Other;
      return V;
    default:
      return V;
    }
  }

  TargetFact target(const Expr *E) const {
    TargetFact T;
    if (const auto *N = dyn_cast<NameExpr>(E)) {
      if (isReceiver(N)) {
        T.Kind = ValueKind::Self;
      } else if (int P = paramIndex(N); P >= 0) {
        T.Kind = ValueKind::Param;
        T.Param = static_cast<unsigned>(P);
      } else if (const Expr *Bound = singleValue(N)) {
        ValueFact V = value(Bound);
        if (V.Kind == ValueKind::Instance) {
          T.Kind = ValueKind::Instance;
          T.Name = V.Name;
          T.Local = N->Id.str();
        }
      } else if (isModuleGlobal(N)) {
        T.Kind = ValueKind::Global;
        T.Name = N->Id.str();
      }
    } else if (const auto *A = dyn_cast<AttributeExpr>(E)) {
      if (const auto *N = dyn_cast<NameExpr>(A->Object); N && isReceiver(N)) {
        T.Kind = ValueKind::SelfAttribute;
        T.Name = A->Attr.str();
      }
    } else if (const auto *C = dyn_cast<CallExpr>(E)) {
      // super().__init__(parent): the same object, methods looked up from the bases.
      if (const auto *N = dyn_cast<NameExpr>(C->Callee); N && N->Id == "super" && M.isBuiltin(N) && F &&
                                                         !Receiver.empty()) {
        T.Kind = ValueKind::Self;
        T.Name = "super";
      }
    }
    return T;
  }

  std::vector<ArgumentFact> arguments(const CallExpr *C, unsigned Depth = 0) const {
    std::vector<ArgumentFact> Out;
    int Position = 0;
    for (const Argument &A : C->Args) {
      if (A.Kind == ArgKind::Star || A.Kind == ArgKind::DoubleStar) {
        Position = -1000; // positions after *args are unknown
        continue;
      }
      ArgumentFact Fact;
      if (A.Kind == ArgKind::Keyword)
        Fact.Keyword = A.Keyword.str();
      else
        Fact.Position = Position >= 0 ? Position++ : -1;
      ValueFact V = value(A.Value, Depth + 1);
      Fact.Kind = V.Kind;
      Fact.Param = V.Param;
      Fact.Name = V.Name;
      Fact.CapturesSelf = V.CapturesSelf;
      if (Fact.Position < 0 && Fact.Keyword.empty())
        continue;
      Out.push_back(std::move(Fact));
    }
    return Out;
  }

private:
  const Module &M;
  const FunctionDef *F;
  StringRef Receiver;
  llvm::DenseMap<const NameExpr *, const Expr *> Assigned;
  llvm::SmallVector<const ExceptHandler *, 4> Handlers;

  static unsigned storesOf(const Symbol *S) {
    unsigned N = 0;
    for (const NameExpr *Ref : S->Refs)
      N += Ref->Ctx != ExprContext::Load;
    return N;
  }

  static bool interesting(const ValueFact &V) {
    return V.Kind != ValueKind::Unknown && V.Kind != ValueKind::Other;
  }

  /// Values that may refer back to the method's own object come first: they decide cycles.
  static int selfRank(const ValueFact &V) {
    switch (V.Kind) {
    case ValueKind::Self:
    case ValueKind::SelfAttribute:
      return 0;
    case ValueKind::Closure:
      return V.CapturesSelf ? 0 : 2;
    case ValueKind::Unknown:
    case ValueKind::Other:
      return 3;
    default:
      return 1;
    }
  }

  static ValueFact selfCarryingFirst(ValueFact A, ValueFact B) {
    return selfRank(B) < selfRank(A) ? B : A;
  }

public:
  /// The interesting elements of a display, self-carrying ones first, each marked InContainer.
  std::vector<ValueFact> elements(const Expr *E, unsigned Depth = 0) const {
    std::vector<ValueFact> Out;
    auto Add = [&](const Expr *Element) {
      ValueFact Inner = value(Element, Depth + 1);
      if (!interesting(Inner))
        return;
      Inner.InContainer = true;
      Out.push_back(std::move(Inner));
    };
    if (const auto *Seq = dyn_cast<SequenceExpr>(E))
      for (const Expr *Element : Seq->Elements)
        Add(Element);
    else if (const auto *D = dyn_cast<DictExpr>(E))
      for (const DictItem &I : D->Items)
        Add(I.Value);
    std::stable_sort(Out.begin(), Out.end(),
                     [](const ValueFact &A, const ValueFact &B) { return selfRank(A) < selfRank(B); });
    return Out;
  }

private:

  bool readsReceiverInside(const Scope *Inner) const {
    if (Receiver.empty() || !F)
      return false;
    const Symbol *Sym = F->OwnScope->lookupLocal(Receiver);
    if (!Sym)
      return false;
    for (const NameExpr *Ref : Sym->Refs)
      for (const Scope *S = Ref->InScope; S; S = S->Parent)
        if (S == Inner)
          return true;
    return false;
  }

  bool nestedFunctionReadsReceiver(StringRef Name) const {
    for (const Scope *Child : F->OwnScope->Children)
      if (const FunctionDef *Nested = Child->function(); Nested && Nested->Name == Name)
        return readsReceiverInside(Child);
    return false;
  }

  ValueFact callValue(const CallExpr *C, unsigned Depth) const {
    ValueFact V;
    std::string Callee = dotted(M, C->Callee);
    if (Callee.empty())
      return V;
    llvm::StringRef Last = llvm::StringRef(Callee).rsplit('.').second;
    if (Last.empty())
      Last = Callee;
    if (Last == "ref" || Last == "proxy" || Last == "WeakMethod" || Last == "finalize") {
      if (Callee.find("weakref") != std::string::npos || Last == "WeakMethod") {
        V.Kind = ValueKind::Weak;
        return V;
      }
    }
    if (Last == "partial" && !C->Args.empty()) {
      // partial(self.method, ...) keeps the bound method; partial(f, self) keeps self.
      ValueFact Inner = value(C->Args[0].Value, Depth + 1);
      for (size_t I = 1; I < C->Args.size(); ++I)
        if (value(C->Args[I].Value, Depth + 1).Kind == ValueKind::Self) {
          ValueFact Closure;
          Closure.Kind = ValueKind::Closure;
          Closure.CapturesSelf = true;
          return Closure;
        }
      return Inner;
    }
    V.Kind = ValueKind::Instance;
    V.Name = Callee;
    V.Arguments = arguments(C, Depth);
    return V;
  }
};

/// `[]`, `{}`, `set()`, `collections.defaultdict(list)`, a comprehension: a builtin container.
bool isBuiltinContainer(const Module &M, const Expr *E) {
  if (!E)
    return false;
  switch (E->Kind) {
  case ExprKind::List:
  case ExprKind::Dict:
  case ExprKind::Set:
  case ExprKind::ListComp:
  case ExprKind::DictComp:
  case ExprKind::SetComp:
    return true;
  case ExprKind::Call: {
    StringRef Callee = dottedName(M, cast<CallExpr>(E)->Callee);
    StringRef Last = Callee.rsplit('.').second.empty() ? Callee : Callee.rsplit('.').second;
    return llvm::StringSwitch<bool>(Last)
        .Cases("list", "dict", "set", "defaultdict", "OrderedDict", "deque", "Counter", true)
        .Cases("WeakSet", "WeakValueDictionary", "WeakKeyDictionary", true)
        .Default(false);
  }
  default:
    return false;
  }
}

bool isMutator(StringRef Method) {
  return llvm::StringSwitch<bool>(Method)
      .Cases("append", "add", "insert", "setdefault", "extend", "update", true)
      .Cases("appendleft", "extendleft", true)
      .Default(false);
}

bool isRemover(StringRef Method) {
  return llvm::StringSwitch<bool>(Method)
      .Cases("remove", "discard", "pop", "popitem", "clear", "popleft", true)
      .Default(false);
}

/// Walks one function body (not nested functions or classes) and fills a MethodSummary.
class MethodSummarizer : public Walker {
public:
  MethodSummarizer(const Module &M, const FunctionDef *F, MethodSummary &Out)
      : M(M), S(M.source()), Facts(M, F), Out(Out), F(F) {}

  void run(Body Statements) {
    // Single-assignment locals and except handlers first: values read later resolve through them.
    struct Prepass : Walker {
      FunctionFacts &Facts;
      explicit Prepass(FunctionFacts &Facts) : Facts(Facts) {}
      bool visitStmt(const Stmt *St) override {
        if (isa<FunctionDef>(St) || isa<ClassDef>(St))
          return false;
        if (const auto *A = dyn_cast<AssignStmt>(St)) {
          for (const Expr *T : A->Targets)
            if (const auto *N = dyn_cast<NameExpr>(T))
              Facts.noteAssignment(N, A->Value);
        } else if (const auto *A = dyn_cast<AnnAssignStmt>(St)) {
          if (const auto *N = dyn_cast<NameExpr>(A->Target); N && A->Value)
            Facts.noteAssignment(N, A->Value);
        } else if (const auto *T = dyn_cast<TryStmt>(St)) {
          for (const ExceptHandler &H : T->Handlers)
            Facts.noteHandler(&H);
        }
        return true;
      }
    } Pre(Facts);
    Pre.walk(Statements);
    walk(Statements);
    findKeptExceptions(Statements);
  }

  bool visitStmt(const Stmt *St) override {
    switch (St->Kind) {
    case StmtKind::FunctionDef:
    case StmtKind::ClassDef:
      return false;
    case StmtKind::Assign: {
      const auto *A = cast<AssignStmt>(St);
      for (const Expr *T : A->Targets)
        store(T, A->Value);
      return true;
    }
    case StmtKind::AnnAssign: {
      const auto *A = cast<AnnAssignStmt>(St);
      if (A->Value)
        store(A->Target, A->Value);
      return true;
    }
    case StmtKind::Delete:
      for (const Expr *T : cast<DeleteStmt>(St)->Targets) {
        if (const auto *A = dyn_cast<AttributeExpr>(T))
          if (Facts.target(A->Object).Kind == ValueKind::Self)
            Out.Clears.push_back({A->Attr.str(), locate(S, T->Range)});
        if (const auto *Sub = dyn_cast<SubscriptExpr>(T)) {
          if (TargetFact TF = Facts.target(Sub->Value); TF.Kind == ValueKind::SelfAttribute)
            Out.Removes.push_back(TF.Name);
          noteGlobalRemove(Sub->Value);
        }
      }
      return true;
    default:
      return true;
    }
  }

  bool visitExpr(const Expr *E) override {
    const auto *C = dyn_cast<CallExpr>(E);
    if (!C)
      return true;
    const auto *Method = dyn_cast<AttributeExpr>(C->Callee);
    if (!Method)
      return true;
    TargetFact Receiver = Facts.target(Method->Object);
    if (isRemover(Method->Attr)) {
      if (Receiver.Kind == ValueKind::SelfAttribute) {
        Out.Removes.push_back(Receiver.Name);
        if (Method->Attr == "clear")
          Out.Clears.push_back({Receiver.Name, locate(S, E->Range)});
      } else if (const AttributeExpr *Holder = containerHolder(aliasedContainer(Method->Object))) {
        // self._handlers[topic].remove(h), or through `handlers = self._handlers.get(topic)`:
        // entries leave self._handlers too.
        if (Facts.target(Holder->Object).Kind == ValueKind::Self)
          Out.Removes.push_back(Holder->Attr.str());
      }
      noteGlobalRemove(Method->Object);
    }
    if (isMutator(Method->Attr) && !C->Args.empty()) {
      // self.children.append(v), registry.add(v), parent.kids.append(self)
      const Expr *Stored = (Method->Attr == "insert" || Method->Attr == "setdefault")
                               ? (C->Args.size() >= 2 ? C->Args[1].Value : nullptr)
                               : C->Args[0].Value;
      if (Stored) {
        StoreFact Fact;
        Fact.Kind = StoreKind::ContainerAdd;
        if (const AttributeExpr *Holder = containerHolder(Method->Object)) {
          Fact.Target = Facts.target(Holder->Object);
          Fact.Attr = Holder->Attr.str();
        } else {
          Fact.Target = Receiver;
        }
        Fact.Where = locate(S, E->Range);
        if (Fact.Target.Kind != ValueKind::Unknown)
          pushStores(Fact, Stored);
      }
      // `registry.add(self)` on a project object is also a method call: its class decides
      // whether it keeps the argument.
      if (Receiver.Kind != ValueKind::Global && Receiver.Kind != ValueKind::Param)
        return true;
    }
    if (Receiver.Kind == ValueKind::Unknown)
      return true;
    CallFact Call;
    Call.Arguments = Facts.arguments(C);
    if (llvm::none_of(Call.Arguments, mayLeadBack))
      return true;
    Call.Receiver = std::move(Receiver);
    Call.Method = Method->Attr.str();
    Call.Where = locate(S, E->Range);
    Out.Calls.push_back(std::move(Call));
    return true;
  }

private:
  const Module &M;
  const SourceFile &S;
  FunctionFacts Facts;

  /// What the reference graph follows through a call: the receiver, a parameter (retention),
  /// `self.<name>` (a bound method or an owned object) or a closure that reads the receiver.
  static bool mayLeadBack(const ArgumentFact &A) {
    switch (A.Kind) {
    case ValueKind::Self:
    case ValueKind::Param:
    case ValueKind::SelfAttribute:
      return true;
    case ValueKind::Closure:
      return A.CapturesSelf;
    default:
      return false;
    }
  }
  MethodSummary &Out;
  const FunctionDef *F;

  /// `REGISTRY.remove(x)`, `del Cls._instances[k]`: a module- or class-level container shrinks.
  void noteGlobalRemove(const Expr *Container) {
    const Expr *Base = Container;
    std::string Suffix;
    if (const auto *A = dyn_cast<AttributeExpr>(Container)) {
      Base = A->Object;
      Suffix = "." + A->Attr.str();
    }
    if (const auto *N = dyn_cast<NameExpr>(Base); N && Facts.isModuleGlobal(N))
      Out.GlobalRemoves.push_back(N->Id.str() + Suffix);
  }

  /// The attribute holding the container an element is added to: `self.items` in
  /// `self.items.append(x)`, `self.by_key[k].append(x)` and `self.by_key.setdefault(k, []).append(x)`.
  static const AttributeExpr *containerHolder(const Expr *Object) {
    if (const auto *Sub = dyn_cast<SubscriptExpr>(Object))
      Object = Sub->Value;
    else if (const auto *Call = dyn_cast<CallExpr>(Object))
      if (const auto *Getter = dyn_cast<AttributeExpr>(Call->Callee);
          Getter && (Getter->Attr == "setdefault" || Getter->Attr == "get"))
        Object = Getter->Object;
    return dyn_cast<AttributeExpr>(Object);
  }

  /// A local bound once to a container expression stands for that expression.
  const Expr *aliasedContainer(const Expr *Object) const {
    if (const auto *N = dyn_cast<NameExpr>(Object))
      if (const Expr *Bound = Facts.singleValue(N))
        return Bound;
    return Object;
  }

  /// One store per element when a display is stored (`{"a": self.on_a, "b": self.on_b}`), so
  /// no element hides another.
  void pushStores(StoreFact Fact, const Expr *Value) {
    if (Value && (isa<SequenceExpr>(Value) || isa<DictExpr>(Value))) {
      for (ValueFact &Element : Facts.elements(Value)) {
        StoreFact Copy = Fact;
        Copy.Value = std::move(Element);
        Out.Stores.push_back(std::move(Copy));
      }
      return;
    }
    Fact.Value = Facts.value(Value);
    if (Fact.Value.Kind != ValueKind::Unknown)
      Out.Stores.push_back(std::move(Fact));
  }

  void store(const Expr *Target, const Expr *Value) {
    if (const auto *T = dyn_cast<SequenceExpr>(Target)) {
      const auto *V = dyn_cast_or_null<SequenceExpr>(Value);
      for (size_t I = 0; I < T->Elements.size(); ++I)
        store(T->Elements[I], V && V->Elements.size() == T->Elements.size() ? V->Elements[I] : nullptr);
      return;
    }
    StoreFact Fact;
    if (const auto *A = dyn_cast<AttributeExpr>(Target)) {
      Fact.Kind = StoreKind::Attribute;
      Fact.Target = Facts.target(A->Object);
      Fact.Attr = A->Attr.str();
      if (Fact.Target.Kind == ValueKind::Self) {
        const auto *K = dyn_cast_or_null<ConstantExpr>(Value);
        if (K && K->Value == ConstantKind::None)
          Out.Clears.push_back({Fact.Attr, locate(S, Target->Range)});
      }
    } else if (const auto *Sub = dyn_cast<SubscriptExpr>(Target)) {
      Fact.Kind = StoreKind::Subscript;
      if (const auto *Holder = dyn_cast<AttributeExpr>(Sub->Value)) {
        Fact.Target = Facts.target(Holder->Object);
        Fact.Attr = Holder->Attr.str();
      } else {
        Fact.Target = Facts.target(Sub->Value);
      }
    } else {
      return;
    }
    Fact.Where = locate(S, Target->Range);
    if (Fact.Target.Kind == ValueKind::Unknown)
      return;
    if (Fact.Kind == StoreKind::Attribute) {
      // An attribute keeps the display itself; what matters is what the display holds.
      Fact.Value = Facts.value(Value);
      Out.Stores.push_back(std::move(Fact));
      if (Value && (isa<SequenceExpr>(Value) || isa<DictExpr>(Value)))
        for (ValueFact &Element : Facts.elements(Value)) {
          if (Element.Kind == Out.Stores.back().Value.Kind && Element.Name == Out.Stores.back().Value.Name)
            continue; // the first element already stands for the display
          StoreFact Copy = Out.Stores.back();
          Copy.Value = std::move(Element);
          Out.Stores.push_back(std::move(Copy));
        }
      return;
    }
    pushStores(Fact, Value);
  }

  /// `except E as e:` whose exception outlives the handler in something the frame reaches.
  void findKeptExceptions(Body Statements) {
    if (!F)
      return; // a module frame lives as long as the module anyway
    struct Finder : Walker {
      MethodSummarizer &Self;
      explicit Finder(MethodSummarizer &S) : Self(S) {}
      bool visitStmt(const Stmt *St) override {
        if (isa<FunctionDef>(St) || isa<ClassDef>(St))
          return false;
        if (const auto *T = dyn_cast<TryStmt>(St))
          for (const ExceptHandler &H : T->Handlers)
            if (H.NameNode)
              Self.checkHandler(H);
        return true;
      }
    } Find(*this);
    Find.walk(Statements);
  }

  void checkHandler(const ExceptHandler &H) {
    const Symbol *Exc = H.NameNode->Sym;
    if (!Exc)
      return;
    // The traceback is dropped or its frames cleared in the handler: no cycle.
    bool Cleared = false;
    struct ClearFinder : Walker {
      const Symbol *Exc;
      const Module &M;
      bool &Cleared;
      ClearFinder(const Symbol *E, const Module &M, bool &C) : Exc(E), M(M), Cleared(C) {}
      bool visitExpr(const Expr *E) override {
        if (const auto *A = dyn_cast<AttributeExpr>(E); A && A->Ctx == ExprContext::Store &&
                                                         A->Attr == "__traceback__")
          Cleared = true;
        if (const auto *C = dyn_cast<CallExpr>(E)) {
          // Not traceback.clear_frames(): it skips the frame still running, which is the one
          // holding the references.
          StringRef Callee = dottedName(M, C->Callee);
          if (Callee.endswith("with_traceback") && C->Args.size() == 1)
            if (const auto *K = dyn_cast<ConstantExpr>(C->Args[0].Value); K && K->Value == ConstantKind::None)
              Cleared = true;
        }
        return !Cleared;
      }
    } CF(Exc, M, Cleared);
    CF.walk(H.Handler);
    if (Cleared)
      return;

    for (const NameExpr *Ref : Exc->Refs) {
      if (Ref->Ctx != ExprContext::Load || !H.Range.contains(Ref->Range))
        continue;
      // Find the statement or call that keeps it: a store target, an alias, a container add.
      if (std::optional<std::string> Kept = keeper(H, Ref)) {
        ExceptionKeepFact Fact;
        Fact.Description = *Kept;
        Fact.ExceptionName = H.Name.str();
        Fact.Where = locate(S, Ref->Range);
        Fact.Handler = locate(S, H.Range);
        Out.KeptExceptions.push_back(std::move(Fact));
        return; // one finding per handler
      }
    }
  }

  /// E is Ref, or a display that holds it (`results.append((url, exc))`).
  static bool contains(const Expr *E, const NameExpr *Ref) {
    if (E == Ref)
      return true;
    if (!E || !(isa<SequenceExpr>(E) || isa<DictExpr>(E)))
      return false;
    bool Found = false;
    forEachChild(E, [&](const Expr *Child) { Found = Found || contains(Child, Ref); });
    return Found;
  }

  /// How the exception referenced by Ref is kept beyond the handler, if it is.
  std::optional<std::string> keeper(const ExceptHandler &H, const NameExpr *Ref) {
    struct Finder : Walker {
      const NameExpr *Ref;
      MethodSummarizer &Outer;
      std::optional<std::string> Found;
      Finder(const NameExpr *R, MethodSummarizer &O) : Ref(R), Outer(O) {}
      bool visitStmt(const Stmt *St) override {
        if (Found || isa<FunctionDef>(St) || isa<ClassDef>(St))
          return false;
        if (const auto *A = dyn_cast<AssignStmt>(St); A && contains(A->Value, Ref)) {
          for (const Expr *T : A->Targets)
            if (auto D = Outer.describeKeeper(T))
              Found = D;
        }
        return !Found;
      }
      bool visitExpr(const Expr *E) override {
        if (Found)
          return false;
        if (const auto *C = dyn_cast<CallExpr>(E))
          if (const auto *Method = dyn_cast<AttributeExpr>(C->Callee); Method && isMutator(Method->Attr))
            for (const Argument &A : C->Args)
              if (contains(A.Value, Ref))
                if (auto D = Outer.describeKeeper(Method->Object))
                  Found = *D + " (through ." + Method->Attr.str() + "())";
        return true;
      }
    } Find(Ref, *this);
    Find.walk(H.Handler);
    return Find.Found;
  }

  /// Whether storing into Target outlives the handler and is reachable from the frame: an
  /// attribute or container of self, a parameter, a global, or a local that is still read
  /// after the handler (CPython deletes only the `as` name itself).
  std::optional<std::string> describeKeeper(const Expr *Target) {
    if (const auto *N = dyn_cast<NameExpr>(Target)) {
      if (!N->Sym)
        return std::nullopt;
      if (N->Sym->Owner->Kind == ScopeKind::Module)
        return "the global `" + N->Id.str() + "`";
      if (N->Sym->has(SymDeleted))
        return std::nullopt; // `del saved` somewhere: the author breaks it
      // A local alias that is set to None afterwards is the asyncio idiom; treat as broken.
      for (const NameExpr *R : N->Sym->Refs)
        if (R->Ctx == ExprContext::Store && R != N && R->Range.Begin > N->Range.Begin)
          return std::nullopt;
      return "the local `" + N->Id.str() + "`";
    }
    if (const auto *A = dyn_cast<AttributeExpr>(Target)) {
      TargetFact T = Facts.target(A->Object);
      if (T.Kind == ValueKind::Self)
        return "`self." + A->Attr.str() + "`";
      if (T.Kind != ValueKind::Unknown)
        return "`" + M.text(Target).str() + "`";
      if (const auto *Inner = dyn_cast<AttributeExpr>(A->Object))
        if (Facts.target(Inner->Object).Kind == ValueKind::Self)
          return "`" + M.text(Target).str() + "`";
    }
    if (const auto *Sub = dyn_cast<SubscriptExpr>(Target))
      return describeKeeper(Sub->Value);
    return std::nullopt;
  }
};

/// The class an annotation names: `Node`, `"Node"`, `Node | None`, `Optional[Node]`; else empty.
std::string annotatedClass(const Module &M, const Expr *A) {
  if (const auto *K = dyn_cast<ConstantExpr>(A))
    return K->HasPlainText ? K->PlainText.str() : std::string(); // a forward reference
  if (const auto *O = dyn_cast<OperatorExpr>(A); O && O->Kind == ExprKind::BinOp &&
                                                 O->Operands.size() == 2 && O->Operators[0] == "|") {
    auto IsNone = [](const Expr *E) {
      const auto *K = dyn_cast<ConstantExpr>(E);
      return K && K->Value == ConstantKind::None;
    };
    if (IsNone(O->Operands[1]))
      return annotatedClass(M, O->Operands[0]);
    if (IsNone(O->Operands[0]))
      return annotatedClass(M, O->Operands[1]);
    return {};
  }
  if (const auto *S = dyn_cast<SubscriptExpr>(A)) {
    StringRef Generic = dottedName(M, S->Value);
    if (Generic == "Optional" || Generic == "typing.Optional")
      return annotatedClass(M, S->Index);
    return {};
  }
  return dotted(M, A);
}

void summarizeFunction(const Module &M, const FunctionDef *F, MethodSummary &Out) {
  Out.Name = F->Name.str();
  Out.Kind = F->Kind;
  for (const Decorator &D : F->Decorators) {
    StringRef Name = D.DottedName;
    if (Name == "property" || Name.endswith("cached_property") || Name.endswith(".setter") ||
        Name.endswith(".getter") || Name.endswith(".deleter"))
      Out.IsProperty = true;
  }
  Out.Where = locate(M.source(), F->NameRange);
  for (const Parameter &P : F->Params) {
    ParameterFact Fact;
    Fact.Name = P.Name.str();
    if (P.Annotation)
      Fact.Annotation = annotatedClass(M, P.Annotation);
    Out.Params.push_back(std::move(Fact));
  }
  MethodSummarizer Summarizer(M, F, Out);
  Summarizer.run(F->Inner);
}

} // namespace

ModuleSummary summarizeModule(const Module &M, llvm::StringRef DisplayPath) {
  ModuleSummary Out;
  Out.Path = DisplayPath.str();
  Out.ModuleName = moduleNameForPath(DisplayPath, Out.IsPackage);
  const SourceFile &S = M.source();

  for (const ImportStmt *I : M.imports()) {
    for (const ImportAlias &A : I->Names) {
      ImportFact Fact;
      Fact.LocalName = A.boundName().str();
      Fact.Module = A.AsName.empty() ? A.boundName().str() : A.Name.str();
      Out.Imports.push_back(std::move(Fact));
    }
  }
  for (const ImportFromStmt *I : M.importFroms()) {
    std::string Module = absoluteModule(Out.ModuleName, Out.IsPackage, I->Level, I->Module);
    if (Module.empty())
      continue;
    for (const ImportAlias &A : I->Names) {
      ImportFact Fact;
      Fact.LocalName = (A.AsName.empty() ? A.Name : A.AsName).str();
      Fact.Module = Module;
      Fact.Name = A.Name.str();
      Out.Imports.push_back(std::move(Fact));
    }
  }

  for (const ClassDef *C : M.classes()) {
    ClassSummary CS;
    CS.Name = C->Name.str();
    CS.QualifiedName = C->QualifiedName.str();
    CS.Where = locate(S, C->Range);
    CS.NameWhere = locate(S, C->NameRange);
    for (const Argument &B : C->Bases)
      if (B.Kind == ArgKind::Positional)
        CS.Bases.push_back(dotted(M, B.Value));
    for (const Decorator &D : C->Decorators)
      CS.Decorators.push_back(D.DottedName.str());
    CS.Slots = C->Slots;
    for (StringRef N : C->SlotNames)
      CS.SlotNames.push_back(N.str());
    CS.Dataclass = C->Dataclass != nullptr;
    CS.DataclassSlots = C->DataclassSlots;
    for (const Stmt *St : C->Inner)
      if (const auto *A = dyn_cast<AssignStmt>(St); A && A->Targets.size() == 1)
        if (const auto *N = dyn_cast<NameExpr>(A->Targets[0])) {
          CS.ClassLevelAttributes.push_back(N->Id.str());
          if (isBuiltinContainer(M, A->Value))
            CS.ContainerAttributes.push_back(N->Id.str());
          if (const auto *Call = dyn_cast_or_null<CallExpr>(A->Value))
            if (std::string Callee = dotted(M, Call->Callee); !Callee.empty())
              CS.ClassAttributes.push_back({N->Id.str(), Callee});
        }
    for (const FunctionDef *F : C->Methods) {
      // self.x = [] in any method: x is a builtin container.
      StringRef Receiver = F->receiverName();
      if (F->Kind != FunctionKind::Method || Receiver.empty())
        continue;
      for (const Event &E : F->OwnScope->Events)
        if (E.Kind == EventKind::AttributeStore && E.TargetBase.Kind == OriginKind::Self &&
            isBuiltinContainer(M, E.Value))
          CS.ContainerAttributes.push_back(E.Method.str());
    }
    for (const FunctionDef *F : C->Methods) {
      MethodSummary MS;
      summarizeFunction(M, F, MS);
      // self.x = weakref.ref(v) / weakref.proxy(v) / WeakSet() / WeakValueDictionary(): weak.
      for (const StoreFact &St : MS.Stores) {
        if (St.Kind != StoreKind::Attribute || St.Target.Kind != ValueKind::Self)
          continue;
        llvm::StringRef Type = llvm::StringRef(St.Value.Name).rsplit('.').second;
        if (Type.empty())
          Type = St.Value.Name;
        if (St.Value.Kind == ValueKind::Weak ||
            (St.Value.Kind == ValueKind::Instance && Type.startswith("Weak")))
          CS.WeakAttributes.push_back(St.Attr);
      }
      CS.Methods.push_back(std::move(MS));
    }
    Out.Classes.push_back(std::move(CS));
  }
  for (const FunctionDef *F : M.functions()) {
    if (F->EnclosingClass)
      continue;
    MethodSummary MS;
    summarizeFunction(M, F, MS);
    Out.Functions.push_back(std::move(MS));
  }
  for (const Stmt *St : M.body()) {
    const auto *A = dyn_cast<AssignStmt>(St);
    if (!A || A->Targets.size() != 1)
      continue;
    const auto *N = dyn_cast<NameExpr>(A->Targets[0]);
    if (N && isBuiltinContainer(M, A->Value))
      Out.GlobalContainers.push_back(N->Id.str());
    const auto *C = dyn_cast_or_null<CallExpr>(A->Value);
    if (N && C)
      if (std::string Callee = dotted(M, C->Callee); !Callee.empty())
        Out.GlobalInstances.push_back({N->Id.str(), Callee});
  }
  for (const Symbol *Sym : M.moduleScope().Symbols)
    if (Sym->has(SymBound))
      Out.GlobalNames.push_back(Sym->Name.str());
  summarizeMemoryFacts(M, Out);

  Out.Exempt = hasFileExemption(S.text());
  for (uint32_t Line = 1; Line <= S.lineCount(); ++Line) {
    llvm::StringRef Text = S.lineText(Line);
    if (!Text.contains('#'))
      continue;
    if (auto D = parseNoqa(Text)) {
      ModuleSummary::LineNoqa N;
      N.Line = Line;
      N.All = D->All;
      for (StringRef Code : D->Codes)
        N.Codes.push_back(Code.str());
      Out.Noqa.push_back(std::move(N));
    }
  }
  // Every summary lives until the project phase: give back what push_back over-allocated.
  summary_io::Compactor Compact;
  Compact.io(Out);
  return Out;
}

} // namespace memlint
