//===- IR.h - memlint's model of one Python module --------------------------===//
//
// The lowering turns tree-sitter's concrete syntax tree into this small typed model, so rules read
// like the pattern they look for and never see grammar details. Everything here lives in the
// Module's arena: nodes are trivially destructible, lists are ArrayRefs into the arena and text is
// StringRefs into the source buffer. The IR is immutable once lowering returns, so rules may read
// it from any thread.
//
// Three views of the same module:
//  - the syntax tree (Stmt / Expr), for rules that match shapes;
//  - scopes with resolved symbols (every Name points to the Symbol it binds or reads), for rules
//    that ask "where else is this name used";
//  - per-scope events (attribute stores, container mutations, calls, ...), each with the abstract
//    origin of the stored value, for the project-wide reference graph.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "frontend/Source.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/Casting.h"

#include <memory>
#include <optional>
#include <string>

namespace memlint::ir {

using llvm::ArrayRef;
using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;
using llvm::StringRef;

struct Scope;
struct Symbol;
struct FunctionDef;
struct ClassDef;

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

enum class ExprKind : uint8_t {
  Name,
  Attribute,
  Subscript,
  Call,
  List,
  Tuple,
  Set,
  Dict,
  ListComp,
  SetComp,
  DictComp,
  GeneratorExp,
  Lambda,
  Constant,
  FString,
  BinOp,
  UnaryOp,
  BoolOp,
  Compare,
  IfExp,
  Await,
  Yield,
  NamedExpr,
  Starred,
  Slice,
  Unknown, // a construct the model does not describe (e.g. inside an error-free but exotic form)
};

enum class ExprContext : uint8_t { Load, Store, Del };

struct Expr {
  ExprKind Kind;
  TextRange Range;
  /// How many pairs of parentheses wrap this expression in the source (Range includes them).
  uint8_t Parens = 0;

  Expr(ExprKind K, TextRange R) : Kind(K), Range(R) {}
};

struct NameExpr : Expr {
  StringRef Id;
  ExprContext Ctx = ExprContext::Load;
  /// The symbol this name binds or reads, following Python's scoping rules; null for builtins and
  /// names defined nowhere in the module.
  const Symbol *Sym = nullptr;
  const Scope *InScope = nullptr;

  NameExpr(TextRange R, StringRef Id) : Expr(ExprKind::Name, R), Id(Id) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Name; }
};

struct AttributeExpr : Expr {
  const Expr *Object;
  StringRef Attr;
  TextRange AttrRange;
  ExprContext Ctx = ExprContext::Load;

  AttributeExpr(TextRange R, const Expr *Object, StringRef Attr, TextRange AttrRange)
      : Expr(ExprKind::Attribute, R), Object(Object), Attr(Attr), AttrRange(AttrRange) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Attribute; }
};

struct SubscriptExpr : Expr {
  const Expr *Value;
  const Expr *Index; // a Tuple for `x[a, b]`, a Slice for `x[a:b]`
  ExprContext Ctx = ExprContext::Load;

  SubscriptExpr(TextRange R, const Expr *Value, const Expr *Index)
      : Expr(ExprKind::Subscript, R), Value(Value), Index(Index) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Subscript; }
};

enum class ArgKind : uint8_t { Positional, Keyword, Star, DoubleStar };

struct Argument {
  ArgKind Kind = ArgKind::Positional;
  StringRef Keyword; // for ArgKind::Keyword
  const Expr *Value = nullptr;
  TextRange Range;
};

struct CallExpr : Expr {
  const Expr *Callee;
  ArrayRef<Argument> Args;
  /// The parenthesised argument list, `(` to `)`. For `f(x for x in y)` the parentheses are the
  /// call's own and the generator is the only argument (BareGenerator).
  TextRange ArgsRange;
  bool BareGenerator = false;

  CallExpr(TextRange R, const Expr *Callee) : Expr(ExprKind::Call, R), Callee(Callee) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Call; }

  /// The only positional argument when there is exactly one argument in total, else null.
  const Expr *soleArgument() const {
    return Args.size() == 1 && Args[0].Kind == ArgKind::Positional ? Args[0].Value : nullptr;
  }
  const Expr *keyword(StringRef Name) const {
    for (const Argument &A : Args)
      if (A.Kind == ArgKind::Keyword && A.Keyword == Name)
        return A.Value;
    return nullptr;
  }
};

/// List, Tuple and Set displays.
struct SequenceExpr : Expr {
  ArrayRef<const Expr *> Elements;
  ExprContext Ctx = ExprContext::Load;

  SequenceExpr(ExprKind K, TextRange R) : Expr(K, R) {}
  static bool classof(const Expr *E) {
    return E->Kind == ExprKind::List || E->Kind == ExprKind::Tuple || E->Kind == ExprKind::Set;
  }
};

struct DictItem {
  const Expr *Key = nullptr; // null for `**mapping`
  const Expr *Value = nullptr;
};

struct DictExpr : Expr {
  ArrayRef<DictItem> Items;
  explicit DictExpr(TextRange R) : Expr(ExprKind::Dict, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Dict; }
};

struct Comprehension {
  const Expr *Target = nullptr;
  const Expr *Iter = nullptr;
  ArrayRef<const Expr *> Conditions;
  bool IsAsync = false;
};

/// What consumes a comprehension's result, recorded by the lowering from the context it sits in.
enum class ConsumerKind : uint8_t {
  None,         // an expression statement or something unremarkable
  CallArgument, // an argument of a call (see Consumer)
  ForIterable,  // `for x in <comp>:`
  Assigned,     // bound to a name
  Returned,
  Other,
};

struct ComprehensionExpr : Expr {
  const Expr *Element = nullptr; // the key for dict comprehensions
  const Expr *Value = nullptr;   // dict comprehensions only
  ArrayRef<Comprehension> Generators;
  const Scope *OwnScope = nullptr;
  ConsumerKind Consumer = ConsumerKind::None;
  const CallExpr *ConsumerCall = nullptr; // for ConsumerKind::CallArgument

  ComprehensionExpr(ExprKind K, TextRange R) : Expr(K, R) {}
  static bool classof(const Expr *E) {
    return E->Kind == ExprKind::ListComp || E->Kind == ExprKind::SetComp ||
           E->Kind == ExprKind::DictComp || E->Kind == ExprKind::GeneratorExp;
  }
  bool isAsync() const {
    for (const Comprehension &G : Generators)
      if (G.IsAsync)
        return true;
    return false;
  }
};

enum class ParamKind : uint8_t { PositionalOnly, Normal, VarArgs, KeywordOnly, VarKeywords };

struct Parameter {
  StringRef Name;
  TextRange Range;
  ParamKind Kind = ParamKind::Normal;
  const Expr *Annotation = nullptr;
  const Expr *Default = nullptr;
};

struct LambdaExpr : Expr {
  ArrayRef<Parameter> Params;
  const Expr *Body = nullptr;
  const Scope *OwnScope = nullptr;

  explicit LambdaExpr(TextRange R) : Expr(ExprKind::Lambda, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Lambda; }
};

enum class ConstantKind : uint8_t { String, Bytes, Integer, Float, True, False, None, Ellipsis };

struct ConstantExpr : Expr {
  ConstantKind Value;
  /// For strings: the text between the quotes when it is a plain literal (no escapes, no implicit
  /// concatenation, no prefix other than r/u); otherwise HasPlainText is false.
  StringRef PlainText;
  bool HasPlainText = false;

  ConstantExpr(TextRange R, ConstantKind V) : Expr(ExprKind::Constant, R), Value(V) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Constant; }
};

struct FStringExpr : Expr {
  ArrayRef<const Expr *> Interpolations;
  explicit FStringExpr(TextRange R) : Expr(ExprKind::FString, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::FString; }
};

/// Binary, unary, boolean and comparison operators share one shape: operands plus the operator
/// text (`+`, `not`, `and`, `is not`, ...). Comparisons keep every operand and operator.
struct OperatorExpr : Expr {
  ArrayRef<const Expr *> Operands;
  ArrayRef<StringRef> Operators;

  OperatorExpr(ExprKind K, TextRange R) : Expr(K, R) {}
  static bool classof(const Expr *E) {
    return E->Kind == ExprKind::BinOp || E->Kind == ExprKind::UnaryOp ||
           E->Kind == ExprKind::BoolOp || E->Kind == ExprKind::Compare;
  }
};

struct IfExpr : Expr {
  const Expr *Body, *Test, *OrElse;
  IfExpr(TextRange R, const Expr *B, const Expr *T, const Expr *O)
      : Expr(ExprKind::IfExp, R), Body(B), Test(T), OrElse(O) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::IfExp; }
};

/// `await x`, `yield x`, `yield from x`, `*x`, `**x`: one operand.
struct UnaryValueExpr : Expr {
  const Expr *Value = nullptr; // may be null for a bare `yield`
  bool YieldFrom = false;
  bool DoubleStar = false;

  UnaryValueExpr(ExprKind K, TextRange R, const Expr *V) : Expr(K, R), Value(V) {}
  static bool classof(const Expr *E) {
    return E->Kind == ExprKind::Await || E->Kind == ExprKind::Yield ||
           E->Kind == ExprKind::Starred;
  }
};

struct NamedExpr : Expr {
  const NameExpr *Target;
  const Expr *Value;
  NamedExpr(TextRange R, const NameExpr *T, const Expr *V)
      : Expr(ExprKind::NamedExpr, R), Target(T), Value(V) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::NamedExpr; }
};

struct SliceExpr : Expr {
  const Expr *Lower = nullptr, *Upper = nullptr, *Step = nullptr;
  explicit SliceExpr(TextRange R) : Expr(ExprKind::Slice, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Slice; }
};

struct UnknownExpr : Expr {
  ArrayRef<const Expr *> Children; // sub-expressions we could still make sense of
  explicit UnknownExpr(TextRange R) : Expr(ExprKind::Unknown, R) {}
  static bool classof(const Expr *E) { return E->Kind == ExprKind::Unknown; }
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

enum class StmtKind : uint8_t {
  Expr,
  Assign,
  AugAssign,
  AnnAssign,
  Return,
  Delete,
  Raise,
  Global,
  Nonlocal,
  Import,
  ImportFrom,
  If,
  For,
  While,
  Try,
  With,
  Match,
  FunctionDef,
  ClassDef,
  TypeAlias,
  Pass,
  Break,
  Continue,
  Assert,
};

struct Stmt {
  StmtKind Kind;
  TextRange Range;
  Stmt(StmtKind K, TextRange R) : Kind(K), Range(R) {}
};

using Body = ArrayRef<const Stmt *>;

struct ExprStmt : Stmt {
  const Expr *Value;
  ExprStmt(TextRange R, const Expr *V) : Stmt(StmtKind::Expr, R), Value(V) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Expr; }
};

/// `a = b = value` has two targets.
struct AssignStmt : Stmt {
  ArrayRef<const Expr *> Targets;
  const Expr *Value = nullptr;
  explicit AssignStmt(TextRange R) : Stmt(StmtKind::Assign, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Assign; }
};

struct AugAssignStmt : Stmt {
  const Expr *Target;
  StringRef Operator; // "+=", ...
  const Expr *Value;
  AugAssignStmt(TextRange R, const Expr *T, StringRef Op, const Expr *V)
      : Stmt(StmtKind::AugAssign, R), Target(T), Operator(Op), Value(V) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::AugAssign; }
};

struct AnnAssignStmt : Stmt {
  const Expr *Target;
  const Expr *Annotation;
  const Expr *Value; // may be null
  AnnAssignStmt(TextRange R, const Expr *T, const Expr *A, const Expr *V)
      : Stmt(StmtKind::AnnAssign, R), Target(T), Annotation(A), Value(V) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::AnnAssign; }
};

/// return / raise / assert / del share a list of operands.
struct ReturnStmt : Stmt {
  const Expr *Value; // may be null
  ReturnStmt(TextRange R, const Expr *V) : Stmt(StmtKind::Return, R), Value(V) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Return; }
};

struct DeleteStmt : Stmt {
  ArrayRef<const Expr *> Targets;
  explicit DeleteStmt(TextRange R) : Stmt(StmtKind::Delete, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Delete; }
};

struct RaiseStmt : Stmt {
  const Expr *Exception = nullptr, *Cause = nullptr;
  explicit RaiseStmt(TextRange R) : Stmt(StmtKind::Raise, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Raise; }
};

struct AssertStmt : Stmt {
  const Expr *Test = nullptr, *Message = nullptr;
  explicit AssertStmt(TextRange R) : Stmt(StmtKind::Assert, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Assert; }
};

/// global / nonlocal.
struct NameListStmt : Stmt {
  ArrayRef<StringRef> Names;
  NameListStmt(StmtKind K, TextRange R) : Stmt(K, R) {}
  static bool classof(const Stmt *S) {
    return S->Kind == StmtKind::Global || S->Kind == StmtKind::Nonlocal;
  }
};

struct ImportAlias {
  StringRef Name;   // dotted, as written: `os.path`
  StringRef AsName; // empty without `as`
  TextRange Range;
  /// The name this import binds in the importing scope.
  StringRef boundName() const {
    return !AsName.empty() ? AsName : Name.take_until([](char C) { return C == '.'; });
  }
};

struct ImportStmt : Stmt {
  ArrayRef<ImportAlias> Names;
  explicit ImportStmt(TextRange R) : Stmt(StmtKind::Import, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Import; }
};

struct ImportFromStmt : Stmt {
  StringRef Module; // without the leading dots; empty for `from . import x`
  unsigned Level = 0;
  ArrayRef<ImportAlias> Names;
  bool Star = false;
  explicit ImportFromStmt(TextRange R) : Stmt(StmtKind::ImportFrom, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::ImportFrom; }
};

/// `if` / `while`: test, body, else (`elif` is an If nested in OrElse).
struct IfStmt : Stmt {
  const Expr *Test = nullptr;
  Body Then, OrElse;
  IfStmt(StmtKind K, TextRange R) : Stmt(K, R) {}
  static bool classof(const Stmt *S) {
    return S->Kind == StmtKind::If || S->Kind == StmtKind::While;
  }
};
using WhileStmt = IfStmt;

struct ForStmt : Stmt {
  const Expr *Target = nullptr, *Iter = nullptr;
  Body Loop, OrElse;
  bool IsAsync = false;
  explicit ForStmt(TextRange R) : Stmt(StmtKind::For, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::For; }
};

struct ExceptHandler {
  const Expr *Type = nullptr; // null for a bare `except:`
  StringRef Name;             // `except E as name`; empty without `as`
  TextRange NameRange;
  const NameExpr *NameNode = nullptr;
  Body Handler;
  TextRange Range;
  bool IsGroup = false; // except*
};

struct TryStmt : Stmt {
  Body Try;
  ArrayRef<ExceptHandler> Handlers;
  Body OrElse, Finally;
  explicit TryStmt(TextRange R) : Stmt(StmtKind::Try, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Try; }
};

struct WithItem {
  const Expr *Context = nullptr;
  const Expr *Target = nullptr; // may be null
};

struct WithStmt : Stmt {
  ArrayRef<WithItem> Items;
  Body Inner;
  bool IsAsync = false;
  explicit WithStmt(TextRange R) : Stmt(StmtKind::With, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::With; }
};

struct MatchCase {
  /// Capture names bound by the pattern (`case Point(x=px) | [px, *rest]`), as Store names.
  ArrayRef<const NameExpr *> Captures;
  /// Value patterns and class names read by the pattern (`case Color.RED`, `case Point()`).
  ArrayRef<const Expr *> Reads;
  const Expr *Guard = nullptr;
  Body Then;
  TextRange Range;
};

struct MatchStmt : Stmt {
  const Expr *Subject = nullptr;
  ArrayRef<MatchCase> Cases;
  explicit MatchStmt(TextRange R) : Stmt(StmtKind::Match, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::Match; }
};

struct TypeParam {
  StringRef Name;
  TextRange Range;
  const Expr *Bound = nullptr;
};

struct TypeAliasStmt : Stmt {
  const NameExpr *Name = nullptr;
  ArrayRef<TypeParam> TypeParams;
  const Expr *Value = nullptr;
  explicit TypeAliasStmt(TextRange R) : Stmt(StmtKind::TypeAlias, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::TypeAlias; }
};

struct SimpleStmt : Stmt { // pass, break, continue
  SimpleStmt(StmtKind K, TextRange R) : Stmt(K, R) {}
  static bool classof(const Stmt *S) {
    return S->Kind == StmtKind::Pass || S->Kind == StmtKind::Break ||
           S->Kind == StmtKind::Continue;
  }
};

struct Decorator {
  const Expr *Value;
  TextRange Range; // from `@`
  /// The decorator's callee as a dotted name (`functools.lru_cache` for
  /// `@functools.lru_cache(maxsize=None)`), or empty when it is not a dotted name.
  StringRef DottedName;
  const CallExpr *Call = nullptr; // when the decorator is called
};

enum class FunctionKind : uint8_t { Function, Method, StaticMethod, ClassMethod };

struct FunctionDef : Stmt {
  StringRef Name;
  TextRange NameRange;
  ArrayRef<Decorator> Decorators;
  ArrayRef<Parameter> Params;
  ArrayRef<TypeParam> TypeParams;
  const Expr *Returns = nullptr;
  Body Inner;
  bool IsAsync = false;
  bool IsGenerator = false; // contains yield (not in nested scopes)
  FunctionKind Kind = FunctionKind::Function;
  const ClassDef *EnclosingClass = nullptr; // for methods
  const Scope *OwnScope = nullptr;

  explicit FunctionDef(TextRange R) : Stmt(StmtKind::FunctionDef, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::FunctionDef; }

  /// The first positional parameter of an instance or class method (`self`, `cls`).
  StringRef receiverName() const {
    if ((Kind != FunctionKind::Method && Kind != FunctionKind::ClassMethod) || Params.empty())
      return {};
    const Parameter &P = Params.front();
    return P.Kind == ParamKind::PositionalOnly || P.Kind == ParamKind::Normal ? P.Name : StringRef();
  }
  const Decorator *findDecorator(StringRef Dotted) const;
};

enum class SlotsKind : uint8_t {
  Absent,  // no `__slots__` in the class body
  Static,  // a literal string, tuple, list or set of string literals
  Dynamic, // assigned something we cannot read statically
};

struct ClassDef : Stmt {
  StringRef Name;
  StringRef QualifiedName; // dotted within the module: `Outer.Inner`
  TextRange NameRange;
  ArrayRef<Decorator> Decorators;
  ArrayRef<Argument> Bases; // positional bases and keywords (metaclass=..., total=...)
  ArrayRef<TypeParam> TypeParams;
  Body Inner;
  const Scope *OwnScope = nullptr;
  ArrayRef<const FunctionDef *> Methods;

  SlotsKind Slots = SlotsKind::Absent;
  ArrayRef<StringRef> SlotNames; // for SlotsKind::Static
  TextRange SlotsRange;

  /// `@dataclass`, `@dataclasses.dataclass(...)`; with its keyword arguments.
  const Decorator *Dataclass = nullptr;
  bool DataclassSlots = false; // `slots=True`

  explicit ClassDef(TextRange R) : Stmt(StmtKind::ClassDef, R) {}
  static bool classof(const Stmt *S) { return S->Kind == StmtKind::ClassDef; }

  const FunctionDef *findMethod(StringRef Name) const {
    for (const FunctionDef *M : Methods)
      if (M->Name == Name)
        return M;
    return nullptr;
  }
};

//===----------------------------------------------------------------------===//
// Scopes, symbols
//===----------------------------------------------------------------------===//

enum class ScopeKind : uint8_t { Module, Class, Function, Lambda, Comprehension };

enum SymbolFlags : uint16_t {
  SymBound = 1 << 0,     // assigned, imported, defined or a parameter in this scope
  SymParameter = 1 << 1,
  SymImported = 1 << 2,
  SymGlobal = 1 << 3,    // declared `global` here (the binding lives in the module scope)
  SymNonlocal = 1 << 4,  // declared `nonlocal` here
  SymCaptured = 1 << 5,  // read or written by a nested function, lambda or comprehension
  SymDeleted = 1 << 6,   // the target of a `del`
  SymFunction = 1 << 7,  // bound by `def`
  SymClass = 1 << 8,     // bound by `class`
  SymAnnotated = 1 << 9, // has an annotation (`x: int`)
};

struct Symbol {
  StringRef Name;
  uint16_t Flags = 0;
  const Scope *Owner = nullptr;
  /// Every Name node that refers to this binding, in source order, including uses from nested
  /// scopes. Stores and deletes are in it too (check NameExpr::Ctx).
  ArrayRef<const NameExpr *> Refs;

  bool has(SymbolFlags F) const { return (Flags & F) != 0; }
};

//===----------------------------------------------------------------------===//
// Events: what a scope does to memory, with value origins
//===----------------------------------------------------------------------===//

/// The abstract origin of a value: enough for "who points to whom" without type inference.
enum class OriginKind : uint8_t {
  Unknown,
  Self,            // the method's receiver (`self`)
  Parameter,       // parameter #Index of the function
  NewInstance,     // a call to a name that may be a class: `Child(...)` (Name is the callee text)
  BoundMethod,     // `obj.method` read without calling it (Base is obj's origin)
  Closure,         // a lambda or nested def; Captures lists the free names it reads
  CaughtException, // the name bound by `except ... as name`
  Literal,         // a constant, f-string or display of literals
  Container,       // a list/tuple/set/dict display or comprehension of other origins
  WeakReference,   // weakref.ref / proxy / WeakMethod / finalize wrapping a value
  Call,            // the result of some other call
};

struct Origin {
  OriginKind Kind = OriginKind::Unknown;
  unsigned Index = 0;            // Parameter
  StringRef Name;                // NewInstance callee (dotted), BoundMethod method name
  ArrayRef<StringRef> Captures;  // Closure
  const Origin *Base = nullptr;  // BoundMethod receiver, WeakReference target
  ArrayRef<Origin> Elements;     // Container
  const Expr *Node = nullptr;
};

enum class EventKind : uint8_t {
  AttributeStore,    // obj.attr = value
  SubscriptStore,    // obj[key] = value
  ContainerMutation, // obj.append(value) / add / extend / insert / setdefault / update / ...
  Call,              // any call
  Return,
  ExceptBinding,     // except E as name
  Loop,              // for / while / async for
  Comprehension,     // a comprehension, with what consumes it
};

struct Event {
  Event(EventKind K, TextRange R) : Kind(K), Range(R) {}

  EventKind Kind;
  TextRange Range;
  const Expr *Target = nullptr; // the stored-to expression: `self.x`, `self.items`, the loop iter
  const Expr *Value = nullptr;  // the stored value / call / comprehension
  StringRef Method;             // ContainerMutation: the method; AttributeStore: the attribute
  Origin ValueOrigin;
  Origin TargetBase;            // origin of the object written to (`self` for `self.x = ...`)
  const Stmt *Statement = nullptr;
  const ExceptHandler *Handler = nullptr;
};

struct Scope {
  ScopeKind Kind;
  StringRef Name;
  const Scope *Parent = nullptr;
  const Stmt *DefiningStmt = nullptr; // FunctionDef or ClassDef
  const Expr *DefiningExpr = nullptr; // LambdaExpr or ComprehensionExpr
  ArrayRef<const Symbol *> Symbols;   // sorted by name
  ArrayRef<const Scope *> Children;
  ArrayRef<Event> Events;
  bool HasStarImport = false;    // `from x import *` (module scope)
  bool UsesLocalsOrVars = false; // calls locals()/vars()/eval()/exec() without arguments

  const Symbol *lookupLocal(StringRef Name) const;
  const FunctionDef *function() const { return llvm::dyn_cast_or_null<FunctionDef>(DefiningStmt); }
  const ClassDef *classDef() const { return llvm::dyn_cast_or_null<ClassDef>(DefiningStmt); }
};

//===----------------------------------------------------------------------===//
// Module
//===----------------------------------------------------------------------===//

struct SyntaxError {
  TextRange Range;
  std::string Message;
};

class Module {
public:
  explicit Module(std::shared_ptr<const SourceFile> Source) : Source(std::move(Source)) {}

  const SourceFile &source() const { return *Source; }
  std::shared_ptr<const SourceFile> sourcePtr() const { return Source; }
  llvm::StringRef text(TextRange R) const { return Source->slice(R); }
  llvm::StringRef text(const Expr *E) const { return Source->slice(E->Range); }

  Body body() const { return TopLevel; }
  const Scope &moduleScope() const { return *ModuleScope; }
  ArrayRef<const Scope *> scopes() const { return AllScopes; }
  ArrayRef<const ClassDef *> classes() const { return Classes; }
  ArrayRef<const FunctionDef *> functions() const { return Functions; }
  ArrayRef<const ImportStmt *> imports() const { return Imports; }
  ArrayRef<const ImportFromStmt *> importFroms() const { return ImportFroms; }
  const std::optional<SyntaxError> &syntaxError() const { return Error; }

  /// True if `Name` read in `From` resolves to the builtin of that name: no binding in any
  /// enclosing scope and no star import that could provide one.
  bool isBuiltin(const NameExpr *Name) const;

  llvm::BumpPtrAllocator &arena() { return Arena; }
  size_t arenaBytes() const { return Arena.getTotalMemory(); }

private:
  friend class Lowering;
  std::shared_ptr<const SourceFile> Source;
  llvm::BumpPtrAllocator Arena;
  Body TopLevel;
  const Scope *ModuleScope = nullptr;
  ArrayRef<const Scope *> AllScopes;
  ArrayRef<const ClassDef *> Classes;
  ArrayRef<const FunctionDef *> Functions;
  ArrayRef<const ImportStmt *> Imports;
  ArrayRef<const ImportFromStmt *> ImportFroms;
  std::optional<SyntaxError> Error;
};

//===----------------------------------------------------------------------===//
// Traversal
//===----------------------------------------------------------------------===//

/// Pre-order traversal of statements and expressions. Return false from a visit hook to skip the
/// node's children. Nested function and class bodies are visited unless visitStmt says no.
class Walker {
public:
  virtual ~Walker() = default;
  virtual bool visitStmt(const Stmt *S) { return true; }
  virtual bool visitExpr(const Expr *E) { return true; }

  void walk(Body Statements);
  void walk(const Stmt *S);
  void walk(const Expr *E);
};

/// Calls Fn on each direct sub-expression of E (not on nested statements).
template <typename Fn> void forEachChild(const Expr *E, Fn &&F);

/// `a.b.c` -> "a.b.c" when every part is a name; empty otherwise.
StringRef dottedName(const Module &M, const Expr *E);

/// The innermost name at the root of an attribute/subscript/call chain: `self` for
/// `self.items[0].x`; null when the chain starts with something else.
const NameExpr *rootName(const Expr *E);

} // namespace memlint::ir

#include "frontend/IRTraversal.inc"
