//===- Lower.cpp - tree-sitter CST -> memlint IR -----------------------------===//
//
// Three passes over one module:
//  1. build the syntax tree and the scope tree, recording every name node in the scope where
//     Python's rules put it (a comprehension's first iterable in the enclosing scope, a walrus
//     target in the nearest non-comprehension scope, defaults and decorators outside the function);
//  2. resolve names to symbols (global / nonlocal / enclosing function scopes, never through a
//     class body);
//  3. derive each scope's events and the abstract origins of stored values, which needs (2).
//
//===----------------------------------------------------------------------===//
#include "frontend/Lower.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace memlint {

using namespace ir;
using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;
using llvm::SmallVector;
using llvm::SmallVectorImpl;

namespace ir {
class Lowering;
}

namespace {

/// Mutable companion of an ir::Scope while the module is being lowered.
struct ScopeBuilder {
  Scope *S = nullptr;
  ScopeBuilder *Parent = nullptr;
  SmallVector<NameExpr *, 16> Names;
  SmallVector<std::pair<StringRef, uint16_t>, 8> Bindings; // params, imports, defs
  SmallVector<StringRef, 2> Globals, Nonlocals;
  SmallVector<StringRef, 1> TypeParams; // PEP 695 parameters of this def / class
  SmallVector<const Scope *, 4> Children;
  FunctionDef *Function = nullptr;
  llvm::DenseMap<StringRef, Symbol *> Symbols;

  bool declares(const SmallVectorImpl<StringRef> &List, StringRef Name) const {
    return llvm::is_contained(List, Name);
  }
  bool isFunctionLike() const {
    return S->Kind == ScopeKind::Function || S->Kind == ScopeKind::Lambda ||
           S->Kind == ScopeKind::Comprehension;
  }
};

bool isMutatorMethod(StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("append", "add", "extend", "insert", "setdefault", "update", true)
      .Cases("appendleft", "extendleft", "push", "put", "put_nowait", true)
      .Default(false);
}

} // namespace

namespace ir {

class Lowering {
public:
  Lowering(Module &M, TSTree *Tree, const LowerOptions &Options)
      : M(M), Src(M.source()), Arena(M.arena()), Children(Tree), Options(Options), Tree(Tree) {}

  void run();

private:
  Module &M;
  const SourceFile &Src;
  llvm::BumpPtrAllocator &Arena;
  ChildCollector Children;
  const LowerOptions &Options;
  TSTree *Tree;

  std::vector<std::unique_ptr<ScopeBuilder>> Builders;
  ScopeBuilder *Current = nullptr;
  SmallVector<const ClassDef *, 16> Classes;
  SmallVector<const FunctionDef *, 32> Functions;
  SmallVector<const ImportStmt *, 16> Imports;
  SmallVector<const ImportFromStmt *, 16> ImportFroms;
  SmallVector<StringRef, 4> QualifiedPrefix; // enclosing class / function names
  unsigned Depth = 0;
  // PEP 695: names read by a generic def's annotations or a generic class's bases, which are
  // lowered in the enclosing scope but see the def's type parameters.
  ScopeBuilder *TypeParamScope = nullptr;
  llvm::DenseMap<const NameExpr *, ScopeBuilder *> TypeParamReaders;
  bool TooDeep = false;
  std::optional<SyntaxError> FirstError;

  // --- allocation helpers ---
  template <typename T, typename... Args> T *make(Args &&...A) {
    return new (Arena.Allocate<T>()) T(std::forward<Args>(A)...);
  }
  template <typename T> ArrayRef<T> copy(ArrayRef<T> Items) {
    if (Items.empty())
      return {};
    T *Mem = Arena.Allocate<T>(Items.size());
    std::uninitialized_copy(Items.begin(), Items.end(), Mem);
    return ArrayRef<T>(Mem, Items.size());
  }
  StringRef copyString(StringRef S) {
    char *Mem = Arena.Allocate<char>(S.size());
    std::copy(S.begin(), S.end(), Mem);
    return StringRef(Mem, S.size());
  }

  StringRef text(TSNode N) const { return Src.slice(rangeOf(N)); }
  void children(TSNode N, SmallVectorImpl<ChildNode> &Out) { Children.collect(N, Out); }
  /// For nodes whose children carry no field we need (displays, blocks, argument lists): skips
  /// tree-sitter's per-child field lookup, which is linear in the child's index.
  void unlabelledChildren(TSNode N, SmallVectorImpl<ChildNode> &Out) {
    Children.collectUnlabelled(N, Out);
  }
  TSNode field(TSNode N, SyntaxField F) const { return ts_node_child_by_field_id(N, fieldId(F)); }
  void noteError(TextRange R, std::string Message) {
    if (!FirstError || R.Begin < FirstError->Range.Begin)
      FirstError = SyntaxError{R, std::move(Message)};
  }

  struct DepthGuard {
    Lowering &L;
    unsigned Cost;
    bool Ok;
    explicit DepthGuard(Lowering &L, unsigned Cost = 1)
        : L(L), Cost(Cost), Ok((L.Depth += Cost) <= L.Options.MaxDepth) {
      if (!Ok)
        L.TooDeep = true;
    }
    ~DepthGuard() { L.Depth -= Cost; }
  };
  /// A nested block costs lowerBlock + lowerStatement + the compound statement's frames, several
  /// KiB (an expression level costs a few hundred bytes), so it counts as this many levels:
  /// 3000 / 8 = 375 nested blocks, against CPython's limit of 100. Error recovery can nest
  /// thousands (a long run of `try:` lines), which would otherwise overflow the stack.
  static constexpr unsigned BlockDepthCost = 8;

  // --- scopes ---
  ScopeBuilder *pushScope(ScopeKind Kind, StringRef Name);
  void popScope(ScopeBuilder *Saved) { Current = Saved; }
  ScopeBuilder *nearestNonComprehension() {
    ScopeBuilder *B = Current;
    while (B->S->Kind == ScopeKind::Comprehension && B->Parent)
      B = B->Parent;
    return B;
  }
  void bind(StringRef Name, uint16_t Flags) { Current->Bindings.push_back({Name, Flags}); }

  // --- expressions ---
  const Expr *lowerExpr(TSNode N, ExprContext Ctx = ExprContext::Load);
  const Expr *lowerExprImpl(TSNode N, ExprContext Ctx);
  const Expr *lowerOptional(TSNode N, ExprContext Ctx = ExprContext::Load) {
    return ts_node_is_null(N) ? nullptr : lowerExpr(N, Ctx);
  }
  /// An annotation (or base class list) of Owner, evaluated outside it but, for a generic def,
  /// in sight of its type parameters.
  template <typename LowerFn> auto withTypeParamsOf(ScopeBuilder *Owner, LowerFn &&Lower) {
    ScopeBuilder *Saved = TypeParamScope;
    if (!Owner->TypeParams.empty())
      TypeParamScope = Owner;
    auto Result = Lower();
    TypeParamScope = Saved;
    return Result;
  }
  NameExpr *makeName(TSNode N, ExprContext Ctx, ScopeBuilder *In = nullptr);
  // lowerExpr -> lowerExprImpl recurses once per nesting level (MaxDepth of them): constructs
  // with child buffers live in functions of their own, kept out of line, so that the frame every
  // level pays stays small (a 3000-term `1+1+...` must fit a thread's stack, sanitizers included).
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerSubscript(TSNode N, ExprContext Ctx);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerDictionary(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerComparison(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerConditional(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerSequence(ExprKind Kind, TSNode N, ExprContext Ctx);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerCall(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerComprehension(ExprKind Kind, TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerLambda(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerString(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerConcatenated(TSNode N);
  void collectInterpolations(TSNode N, SmallVectorImpl<const Expr *> &Out);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerSlice(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerTypeNode(TSNode N);
  LLVM_ATTRIBUTE_NOINLINE const Expr *lowerUnknown(TSNode N);
  void setConsumer(const Expr *E, ConsumerKind Kind, const CallExpr *Call = nullptr) {
    if (const auto *C = dyn_cast_or_null<ComprehensionExpr>(E)) {
      auto *Mutable = const_cast<ComprehensionExpr *>(C);
      Mutable->Consumer = Kind;
      Mutable->ConsumerCall = Call;
    }
  }

  // --- statements ---
  Body lowerBlock(TSNode N);
  void lowerStatement(TSNode N, SmallVectorImpl<const Stmt *> &Out);
  const Stmt *lowerExpressionStatement(TSNode N);
  /// N is the assignment node; Statement the range of the expression statement holding it
  /// (ts_node_parent would search for it from the root, per assignment).
  const Stmt *lowerAssignment(TSNode N, TextRange Statement);
  const Stmt *lowerIf(TSNode N);
  const Stmt *lowerFor(TSNode N);
  const Stmt *lowerWhile(TSNode N);
  const Stmt *lowerTry(TSNode N);
  const Stmt *lowerWith(TSNode N);
  const Stmt *lowerMatch(TSNode N);
  void lowerPattern(TSNode N, SmallVectorImpl<const NameExpr *> &Captures,
                    SmallVectorImpl<const Expr *> &Reads);
  const Expr *lowerDottedName(TSNode N);
  const Stmt *lowerImport(TSNode N);
  const Stmt *lowerImportFrom(TSNode N, bool Future);
  const Stmt *lowerFunction(TSNode N, ArrayRef<Decorator> Decorators, TextRange Whole);
  const Stmt *lowerClass(TSNode N, ArrayRef<Decorator> Decorators, TextRange Whole);
  const Stmt *lowerDecorated(TSNode N);
  const Stmt *lowerTypeAlias(TSNode N);
  ArrayRef<Decorator> lowerDecorators(TSNode N);
  ArrayRef<Parameter> lowerParameters(TSNode N, ScopeBuilder *FunctionScope);
  ArrayRef<TypeParam> lowerTypeParams(TSNode N);
  ArrayRef<Argument> lowerArguments(TSNode ArgList);
  bool hasToken(TSNode N, StringRef Token);
  void readSlots(ClassDef *C);

  // --- pass 2 & 3 ---
  void resolveNames();
  void buildEvents();
  void checkPython2Constructs(TSNode Root);
  void findFirstSyntaxError(TSNode Root);
  void checkIndentation(TSNode Root);
};

ScopeBuilder *Lowering::pushScope(ScopeKind Kind, StringRef Name) {
  ScopeBuilder *Saved = Current;
  auto Builder = std::make_unique<ScopeBuilder>();
  Builder->S = make<Scope>();
  Builder->S->Kind = Kind;
  Builder->S->Name = Name;
  Builder->Parent = Current;
  if (Current) {
    Builder->S->Parent = Current->S;
    Current->Children.push_back(Builder->S);
  }
  Current = Builder.get();
  Builders.push_back(std::move(Builder));
  return Saved;
}

NameExpr *Lowering::makeName(TSNode N, ExprContext Ctx, ScopeBuilder *In) {
  auto *Name = make<NameExpr>(rangeOf(N), text(N));
  Name->Ctx = Ctx;
  ScopeBuilder *B = In ? In : Current;
  Name->InScope = B->S;
  B->Names.push_back(Name);
  if (TypeParamScope)
    TypeParamReaders[Name] = TypeParamScope;
  return Name;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

const Expr *Lowering::lowerExpr(TSNode N, ExprContext Ctx) {
  DepthGuard Guard(*this);
  if (!Guard.Ok)
    return make<UnknownExpr>(rangeOf(N));
  unsigned Parens = 0;
  TextRange Outer = rangeOf(N);
  while (kindOf(N) == SyntaxKind::ParenthesizedExpression) {
    TSNode Inner = ts_node_named_child(N, 0);
    while (!ts_node_is_null(Inner) && kindOf(Inner) == SyntaxKind::Comment)
      Inner = ts_node_next_named_sibling(Inner);
    if (ts_node_is_null(Inner))
      return make<UnknownExpr>(rangeOf(N));
    N = Inner;
    ++Parens;
  }
  auto *E = const_cast<Expr *>(lowerExprImpl(N, Ctx));
  E->Parens = static_cast<uint8_t>(std::min(Parens, 255u));
  if (Parens)
    E->Range = Outer; // IR.h: a parenthesized expression's Range includes its parentheses
  return E;
}

const Expr *Lowering::lowerExprImpl(TSNode N, ExprContext Ctx) {
  TextRange R = rangeOf(N);
  switch (kindOf(N)) {
  case SyntaxKind::Identifier:
    return makeName(N, Ctx);
  case SyntaxKind::Attribute: {
    const Expr *Object = lowerExpr(field(N, SyntaxField::Object));
    TSNode Attr = field(N, SyntaxField::Attribute);
    auto *A = make<AttributeExpr>(R, Object, text(Attr), rangeOf(Attr));
    A->Ctx = Ctx;
    return A;
  }
  case SyntaxKind::Subscript:
    return lowerSubscript(N, Ctx);
  case SyntaxKind::Call:
    return lowerCall(N);
  case SyntaxKind::List:
  case SyntaxKind::ListPattern:
    return lowerSequence(ExprKind::List, N, Ctx);
  case SyntaxKind::Tuple:
  case SyntaxKind::TuplePattern:
  case SyntaxKind::ExpressionList:
  case SyntaxKind::PatternList:
    return lowerSequence(ExprKind::Tuple, N, Ctx);
  case SyntaxKind::Set:
    return lowerSequence(ExprKind::Set, N, Ctx);
  case SyntaxKind::Dictionary:
    return lowerDictionary(N);
  case SyntaxKind::ListComprehension:
    return lowerComprehension(ExprKind::ListComp, N);
  case SyntaxKind::SetComprehension:
    return lowerComprehension(ExprKind::SetComp, N);
  case SyntaxKind::DictionaryComprehension:
    return lowerComprehension(ExprKind::DictComp, N);
  case SyntaxKind::GeneratorExpression:
    return lowerComprehension(ExprKind::GeneratorExp, N);
  case SyntaxKind::Lambda:
    return lowerLambda(N);
  case SyntaxKind::String:
    return lowerString(N);
  case SyntaxKind::ConcatenatedString:
    return lowerConcatenated(N);
  case SyntaxKind::Integer:
    return make<ConstantExpr>(R, ConstantKind::Integer);
  case SyntaxKind::Float:
    return make<ConstantExpr>(R, ConstantKind::Float);
  case SyntaxKind::True:
    return make<ConstantExpr>(R, ConstantKind::True);
  case SyntaxKind::False:
    return make<ConstantExpr>(R, ConstantKind::False);
  case SyntaxKind::None:
    return make<ConstantExpr>(R, ConstantKind::None);
  case SyntaxKind::Ellipsis:
    return make<ConstantExpr>(R, ConstantKind::Ellipsis);
  case SyntaxKind::BinaryOperator:
  case SyntaxKind::BooleanOperator: {
    bool Bool = kindOf(N) == SyntaxKind::BooleanOperator;
    auto *O = make<OperatorExpr>(Bool ? ExprKind::BoolOp : ExprKind::BinOp, R);
    const Expr *Ops[2] = {lowerExpr(field(N, SyntaxField::Left)),
                          lowerExpr(field(N, SyntaxField::Right))};
    StringRef Op = text(field(N, SyntaxField::Operator));
    O->Operands = copy<const Expr *>(Ops);
    O->Operators = copy<StringRef>(Op);
    return O;
  }
  case SyntaxKind::UnaryOperator:
  case SyntaxKind::NotOperator: {
    bool Not = kindOf(N) == SyntaxKind::NotOperator;
    auto *O = make<OperatorExpr>(ExprKind::UnaryOp, R);
    const Expr *Operand = lowerExpr(field(N, SyntaxField::Argument));
    StringRef Op = Not ? StringRef("not") : text(field(N, SyntaxField::Operator));
    O->Operands = copy<const Expr *>(Operand);
    O->Operators = copy<StringRef>(Op);
    return O;
  }
  case SyntaxKind::ComparisonOperator:
    return lowerComparison(N);
  case SyntaxKind::ConditionalExpression:
    return lowerConditional(N);
  case SyntaxKind::NamedExpression: {
    const Expr *Value = lowerExpr(field(N, SyntaxField::Value));
    // PEP 572: the target binds in the nearest enclosing scope that is not a comprehension.
    NameExpr *Target = makeName(field(N, SyntaxField::Name), ExprContext::Store,
                                nearestNonComprehension());
    return make<NamedExpr>(R, Target, Value);
  }
  case SyntaxKind::Await:
    return make<UnaryValueExpr>(ExprKind::Await, R, lowerOptional(ts_node_named_child(N, 0)));
  case SyntaxKind::Yield: {
    if (ScopeBuilder *B = nearestNonComprehension(); B->Function)
      B->Function->IsGenerator = true;
    TSNode Value = ts_node_named_child(N, 0);
    auto *Y = make<UnaryValueExpr>(ExprKind::Yield, R, lowerOptional(Value));
    Y->YieldFrom = hasToken(N, "from");
    return Y;
  }
  case SyntaxKind::ListSplat:
  case SyntaxKind::ListSplatPattern:
  case SyntaxKind::ParenthesizedListSplat:
    return make<UnaryValueExpr>(ExprKind::Starred, R, lowerOptional(ts_node_named_child(N, 0), Ctx));
  case SyntaxKind::DictionarySplat:
  case SyntaxKind::DictionarySplatPattern: {
    auto *S = make<UnaryValueExpr>(ExprKind::Starred, R, lowerOptional(ts_node_named_child(N, 0), Ctx));
    S->DoubleStar = true;
    return S;
  }
  case SyntaxKind::Slice:
    return lowerSlice(N);
  case SyntaxKind::Type:
    return lowerTypeNode(N);
  case SyntaxKind::KeywordArgument: // only valid inside argument lists; elsewhere a parse quirk
  default:
    return lowerUnknown(N);
  }
}

const Expr *Lowering::lowerSubscript(TSNode N, ExprContext Ctx) {
  TextRange R = rangeOf(N);
  const Expr *Value = lowerExpr(field(N, SyntaxField::Value));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<const Expr *, 2> Indexes;
  TextRange IndexRange{R.End, R.End};
  for (const ChildNode &K : Kids)
    if (K.Field == SyntaxField::Subscript) {
      Indexes.push_back(kindOf(K.Node) == SyntaxKind::Slice ? lowerSlice(K.Node)
                                                            : lowerExpr(K.Node));
      IndexRange.Begin = std::min(IndexRange.Begin, ts_node_start_byte(K.Node));
      IndexRange.End = ts_node_end_byte(K.Node);
    }
  const Expr *Index;
  if (Indexes.size() == 1) {
    Index = Indexes[0];
  } else {
    auto *T = make<SequenceExpr>(ExprKind::Tuple, IndexRange);
    T->Elements = copy<const Expr *>(Indexes);
    Index = T;
  }
  auto *S = make<SubscriptExpr>(R, Value, Index);
  S->Ctx = Ctx;
  return S;
}

const Expr *Lowering::lowerDictionary(TSNode N) {
  TextRange R = rangeOf(N);
  SmallVector<ChildNode, 16> Kids;
  unlabelledChildren(N, Kids);
  SmallVector<DictItem, 16> Items;
  for (const ChildNode &K : Kids) {
    SyntaxKind Kind = kindOf(K.Node);
    if (Kind == SyntaxKind::Pair)
      Items.push_back({lowerExpr(field(K.Node, SyntaxField::Key)),
                       lowerExpr(field(K.Node, SyntaxField::Value))});
    else if (Kind == SyntaxKind::DictionarySplat)
      Items.push_back({nullptr, lowerExpr(ts_node_named_child(K.Node, 0))});
  }
  auto *D = make<DictExpr>(R);
  D->Items = copy<DictItem>(Items);
  return D;
}

const Expr *Lowering::lowerComparison(TSNode N) {
  TextRange R = rangeOf(N);
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<const Expr *, 4> Operands;
  SmallVector<StringRef, 4> Operators;
  for (const ChildNode &K : Kids) {
    if (K.Field == SyntaxField::Operators) {
      Operators.push_back(text(K.Node));
      if (text(K.Node) == "<>")
        noteError(rangeOf(K.Node), "SyntaxError: `<>` is Python 2 syntax; use `!=`");
    } else if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment) {
      Operands.push_back(lowerExpr(K.Node));
    }
  }
  auto *O = make<OperatorExpr>(ExprKind::Compare, R);
  O->Operands = copy<const Expr *>(Operands);
  O->Operators = copy<StringRef>(Operators);
  return O;
}

const Expr *Lowering::lowerConditional(TSNode N) {
  TextRange R = rangeOf(N);
  SmallVector<const Expr *, 3> Parts;
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids)
    if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
      Parts.push_back(lowerExpr(K.Node));
  if (Parts.size() != 3)
    return make<UnknownExpr>(R);
  return make<IfExpr>(R, Parts[0], Parts[1], Parts[2]);
}

const Expr *Lowering::lowerUnknown(TSNode N) {
  auto *U = make<UnknownExpr>(rangeOf(N));
  if (kindOf(N) == SyntaxKind::Error || ts_node_has_error(N))
    return U; // do not guess at the structure of broken code
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<const Expr *, 4> Parts;
  for (const ChildNode &K : Kids)
    if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
      Parts.push_back(lowerExpr(K.Node));
  U->Children = copy<const Expr *>(Parts);
  return U;
}

const Expr *Lowering::lowerTypeNode(TSNode N) {
  // `type` wraps an annotation; PEP 695 forms (constrained, generic, union, splat) become an
  // Unknown node over the names they read.
  if (ts_node_named_child_count(N) == 1) {
    TSNode Inner = ts_node_named_child(N, 0);
    switch (kindOf(Inner)) {
    case SyntaxKind::Unknown: // constrained_type, generic_type, union_type, member_type, splat_type
      return lowerUnknown(Inner);
    default:
      return lowerExpr(Inner);
    }
  }
  return lowerUnknown(N);
}

const Expr *Lowering::lowerSequence(ExprKind Kind, TSNode N, ExprContext Ctx) {
  SmallVector<ChildNode, 16> Kids;
  unlabelledChildren(N, Kids);
  SmallVector<const Expr *, 16> Elements;
  for (const ChildNode &K : Kids)
    if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
      Elements.push_back(lowerExpr(K.Node, Ctx));
  auto *S = make<SequenceExpr>(Kind, rangeOf(N));
  S->Elements = copy<const Expr *>(Elements);
  S->Ctx = Ctx;
  return S;
}

ArrayRef<Argument> Lowering::lowerArguments(TSNode ArgList) {
  SmallVector<ChildNode, 16> Kids;
  unlabelledChildren(ArgList, Kids);
  SmallVector<Argument, 8> Args;
  for (const ChildNode &K : Kids) {
    if (!ts_node_is_named(K.Node) || kindOf(K.Node) == SyntaxKind::Comment)
      continue;
    Argument A;
    A.Range = rangeOf(K.Node);
    switch (kindOf(K.Node)) {
    case SyntaxKind::KeywordArgument:
      A.Kind = ArgKind::Keyword;
      A.Keyword = text(field(K.Node, SyntaxField::Name));
      A.Value = lowerExpr(field(K.Node, SyntaxField::Value));
      break;
    case SyntaxKind::ListSplat:
      A.Kind = ArgKind::Star;
      A.Value = lowerExpr(ts_node_named_child(K.Node, 0));
      break;
    case SyntaxKind::DictionarySplat:
      A.Kind = ArgKind::DoubleStar;
      A.Value = lowerExpr(ts_node_named_child(K.Node, 0));
      break;
    default:
      A.Value = lowerExpr(K.Node);
      break;
    }
    Args.push_back(A);
  }
  return copy<Argument>(Args);
}

const Expr *Lowering::lowerCall(TSNode N) {
  const Expr *Callee = lowerExpr(field(N, SyntaxField::Function));
  auto *C = make<CallExpr>(rangeOf(N), Callee);
  TSNode Args = field(N, SyntaxField::Arguments);
  if (ts_node_is_null(Args))
    return C;
  C->ArgsRange = rangeOf(Args);
  if (kindOf(Args) == SyntaxKind::GeneratorExpression) {
    C->BareGenerator = true;
    Argument A;
    A.Range = rangeOf(Args);
    A.Value = lowerExpr(Args);
    C->Args = copy<Argument>(A);
  } else {
    C->Args = lowerArguments(Args);
  }
  for (const Argument &A : C->Args)
    setConsumer(A.Value, ConsumerKind::CallArgument, C);
  return C;
}

const Expr *Lowering::lowerComprehension(ExprKind Kind, TSNode N) {
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  auto *C = make<ComprehensionExpr>(Kind, rangeOf(N));
  ScopeBuilder *Saved = Current;
  SmallVector<Comprehension, 2> Generators;
  SmallVector<SmallVector<const Expr *, 2>, 2> Conditions;
  TSNode BodyNode = field(N, SyntaxField::Body);
  bool First = true;
  for (const ChildNode &K : Kids) {
    SyntaxKind KK = kindOf(K.Node);
    if (KK == SyntaxKind::ForInClause) {
      Comprehension G;
      G.IsAsync = hasToken(K.Node, "async");
      SmallVector<ChildNode, 8> Parts;
      children(K.Node, Parts);
      SmallVector<const Expr *, 2> Iters;
      TSNode Left = field(K.Node, SyntaxField::Left);
      // The first iterable is evaluated in the enclosing scope, before the comprehension's own.
      for (const ChildNode &P : Parts)
        if (P.Field == SyntaxField::Right && ts_node_is_named(P.Node))
          Iters.push_back(lowerExpr(P.Node));
      if (First) {
        pushScope(ScopeKind::Comprehension, "<comprehension>");
        Current->S->DefiningExpr = C;
        C->OwnScope = Current->S;
        First = false;
      }
      if (Iters.size() == 1) {
        G.Iter = Iters[0];
      } else if (!Iters.empty()) {
        auto *T = make<SequenceExpr>(ExprKind::Tuple, TextRange{Iters.front()->Range.Begin, Iters.back()->Range.End});
        T->Elements = copy<const Expr *>(Iters);
        G.Iter = T;
      }
      setConsumer(G.Iter, ConsumerKind::ForIterable);
      G.Target = lowerOptional(Left, ExprContext::Store);
      Generators.push_back(G);
      Conditions.emplace_back();
    } else if (KK == SyntaxKind::IfClause && !Conditions.empty()) {
      Conditions.back().push_back(lowerOptional(ts_node_named_child(K.Node, 0)));
    }
  }
  if (First) { // no for clause: broken code
    popScope(Saved);
    return make<UnknownExpr>(rangeOf(N));
  }
  if (Kind == ExprKind::DictComp && kindOf(BodyNode) == SyntaxKind::Pair) {
    C->Element = lowerExpr(field(BodyNode, SyntaxField::Key));
    C->Value = lowerExpr(field(BodyNode, SyntaxField::Value));
  } else if (!ts_node_is_null(BodyNode)) {
    C->Element = lowerExpr(BodyNode);
  }
  for (size_t I = 0; I < Generators.size(); ++I)
    Generators[I].Conditions = copy<const Expr *>(Conditions[I]);
  C->Generators = copy<Comprehension>(Generators);
  popScope(Saved);
  return C;
}

ArrayRef<Parameter> Lowering::lowerParameters(TSNode N, ScopeBuilder *FunctionScope) {
  // Defaults and annotations are evaluated where the def or lambda is, not in its body.
  SmallVector<Parameter, 8> Params;
  if (ts_node_is_null(N))
    return {};
  SmallVector<ChildNode, 16> Kids;
  children(N, Kids);
  bool KeywordOnly = false;
  for (const ChildNode &K : Kids) {
    if (!ts_node_is_named(K.Node))
      continue;
    Parameter P;
    P.Range = rangeOf(K.Node);
    P.Kind = KeywordOnly ? ParamKind::KeywordOnly : ParamKind::Normal;
    TSNode NameNode = {};
    switch (kindOf(K.Node)) {
    case SyntaxKind::Identifier:
      NameNode = K.Node;
      break;
    case SyntaxKind::DefaultParameter:
      NameNode = field(K.Node, SyntaxField::Name);
      P.Default = lowerExpr(field(K.Node, SyntaxField::Value));
      break;
    case SyntaxKind::TypedDefaultParameter:
      NameNode = field(K.Node, SyntaxField::Name);
      P.Annotation = withTypeParamsOf(
          FunctionScope, [&] { return lowerOptional(field(K.Node, SyntaxField::Type)); });
      P.Default = lowerExpr(field(K.Node, SyntaxField::Value));
      break;
    case SyntaxKind::TypedParameter: {
      P.Annotation = withTypeParamsOf(
          FunctionScope, [&] { return lowerOptional(field(K.Node, SyntaxField::Type)); });
      TSNode Inner = ts_node_named_child(K.Node, 0);
      SyntaxKind IK = kindOf(Inner);
      if (IK == SyntaxKind::ListSplatPattern) {
        P.Kind = ParamKind::VarArgs;
        KeywordOnly = true;
        NameNode = ts_node_named_child(Inner, 0);
      } else if (IK == SyntaxKind::DictionarySplatPattern) {
        P.Kind = ParamKind::VarKeywords;
        NameNode = ts_node_named_child(Inner, 0);
      } else {
        NameNode = Inner;
      }
      break;
    }
    case SyntaxKind::ListSplatPattern:
      P.Kind = ParamKind::VarArgs;
      KeywordOnly = true;
      NameNode = ts_node_named_child(K.Node, 0);
      break;
    case SyntaxKind::DictionarySplatPattern:
      P.Kind = ParamKind::VarKeywords;
      NameNode = ts_node_named_child(K.Node, 0);
      break;
    case SyntaxKind::KeywordSeparator:
      KeywordOnly = true;
      continue;
    case SyntaxKind::PositionalSeparator:
      for (Parameter &Prev : Params)
        Prev.Kind = ParamKind::PositionalOnly;
      continue;
    case SyntaxKind::Comment:
      continue;
    case SyntaxKind::TuplePattern:
      noteError(P.Range, "SyntaxError: tuple parameter unpacking is Python 2 syntax");
      continue;
    default:
      continue;
    }
    if (ts_node_is_null(NameNode) || kindOf(NameNode) != SyntaxKind::Identifier)
      continue;
    P.Name = text(NameNode);
    FunctionScope->Bindings.push_back({P.Name, SymBound | SymParameter});
    Params.push_back(P);
  }
  return copy<Parameter>(Params);
}

const Expr *Lowering::lowerLambda(TSNode N) {
  auto *L = make<LambdaExpr>(rangeOf(N));
  ScopeBuilder *Saved = Current;
  // Defaults are evaluated outside: lower parameters into a scope we push afterwards.
  pushScope(ScopeKind::Lambda, "<lambda>");
  ScopeBuilder *LambdaScope = Current;
  Current = Saved;
  L->Params = lowerParameters(field(N, SyntaxField::Parameters), LambdaScope);
  Current = LambdaScope;
  LambdaScope->S->DefiningExpr = L;
  L->OwnScope = LambdaScope->S;
  L->Body = lowerOptional(field(N, SyntaxField::Body));
  popScope(Saved);
  return L;
}

void Lowering::collectInterpolations(TSNode N, SmallVectorImpl<const Expr *> &Out) {
  SmallVector<ChildNode, 16> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids) {
    SyntaxKind Kind = kindOf(K.Node);
    if (Kind == SyntaxKind::Interpolation || Kind == SyntaxKind::Unknown) {
      // interpolation {expression, format_specifier}; format_specifier holds format_expressions.
      SmallVector<ChildNode, 8> Parts;
      children(K.Node, Parts);
      for (const ChildNode &P : Parts) {
        if (P.Field == SyntaxField::Expression)
          Out.push_back(lowerExpr(P.Node));
        else if (ts_node_is_named(P.Node) && kindOf(P.Node) == SyntaxKind::Unknown)
          collectInterpolations(P.Node, Out); // format_specifier / format_expression
      }
    }
  }
}

const Expr *Lowering::lowerString(TSNode N) {
  TextRange R = rangeOf(N);
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  StringRef Prefix;
  bool HasEscapes = false, HasInterpolation = false;
  TextRange Content{R.End, R.End};
  for (const ChildNode &K : Kids) {
    switch (kindOf(K.Node)) {
    case SyntaxKind::StringStart:
      Prefix = text(K.Node).take_until([](char C) { return C == '"' || C == '\''; });
      Content.Begin = ts_node_end_byte(K.Node);
      break;
    case SyntaxKind::StringEnd:
      Content.End = ts_node_start_byte(K.Node);
      break;
    case SyntaxKind::StringContent:
      if (ts_node_named_child_count(K.Node) > 0)
        HasEscapes = true;
      break;
    case SyntaxKind::Interpolation:
      HasInterpolation = true;
      break;
    default:
      break;
    }
  }
  bool IsF = Prefix.find_insensitive("f") != StringRef::npos;
  if (IsF || HasInterpolation) {
    auto *F = make<FStringExpr>(R);
    SmallVector<const Expr *, 4> Parts;
    collectInterpolations(N, Parts);
    F->Interpolations = copy<const Expr *>(Parts);
    return F;
  }
  bool IsBytes = Prefix.find_insensitive("b") != StringRef::npos;
  auto *C = make<ConstantExpr>(R, IsBytes ? ConstantKind::Bytes : ConstantKind::String);
  if (!IsBytes && !HasEscapes && Content.Begin <= Content.End) {
    C->PlainText = Src.slice(Content);
    C->HasPlainText = true;
  }
  return C;
}

const Expr *Lowering::lowerConcatenated(TSNode N) {
  SmallVector<ChildNode, 8> Kids;
  unlabelledChildren(N, Kids);
  SmallVector<const Expr *, 4> Interpolations;
  bool AnyF = false, AnyBytes = false;
  for (const ChildNode &K : Kids) {
    if (kindOf(K.Node) != SyntaxKind::String)
      continue;
    const Expr *Part = lowerString(K.Node);
    if (const auto *F = dyn_cast<FStringExpr>(Part)) {
      AnyF = true;
      Interpolations.append(F->Interpolations.begin(), F->Interpolations.end());
    } else if (cast<ConstantExpr>(Part)->Value == ConstantKind::Bytes) {
      AnyBytes = true;
    }
  }
  if (AnyF) {
    auto *F = make<FStringExpr>(rangeOf(N));
    F->Interpolations = copy<const Expr *>(Interpolations);
    return F;
  }
  return make<ConstantExpr>(rangeOf(N), AnyBytes ? ConstantKind::Bytes : ConstantKind::String);
}

const Expr *Lowering::lowerSlice(TSNode N) {
  auto *S = make<SliceExpr>(rangeOf(N));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  unsigned Colons = 0;
  for (const ChildNode &K : Kids) {
    if (!ts_node_is_named(K.Node)) {
      if (text(K.Node) == ":")
        ++Colons;
      continue;
    }
    if (kindOf(K.Node) == SyntaxKind::Comment)
      continue;
    const Expr *Part = lowerExpr(K.Node);
    (Colons == 0 ? S->Lower : Colons == 1 ? S->Upper : S->Step) = Part;
  }
  return S;
}

bool Lowering::hasToken(TSNode N, StringRef Token) {
  uint32_t Count = ts_node_child_count(N);
  // Keywords such as `async` lead the node and `from` follows `yield`: look at the first few.
  for (uint32_t I = 0; I < Count && I < 3; ++I) {
    TSNode C = ts_node_child(N, I);
    if (!ts_node_is_named(C) && text(C) == Token)
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

Body Lowering::lowerBlock(TSNode N) {
  SmallVector<const Stmt *, 16> Out;
  if (ts_node_is_null(N))
    return {};
  DepthGuard Guard(*this, Depth == 0 ? 0 : BlockDepthCost); // the module's own body is free
  if (!Guard.Ok)
    return {};
  SmallVector<ChildNode, 32> Kids;
  unlabelledChildren(N, Kids);
  for (const ChildNode &K : Kids)
    if (ts_node_is_named(K.Node))
      lowerStatement(K.Node, Out);
  return copy<const Stmt *>(Out);
}

void Lowering::lowerStatement(TSNode N, SmallVectorImpl<const Stmt *> &Out) {
  DepthGuard Guard(*this);
  if (!Guard.Ok)
    return;
  TextRange R = rangeOf(N);
  const Stmt *S = nullptr;
  switch (kindOf(N)) {
  case SyntaxKind::ExpressionStatement:
    S = lowerExpressionStatement(N);
    break;
  case SyntaxKind::ReturnStatement: {
    const Expr *Value = lowerOptional(ts_node_named_child(N, 0));
    setConsumer(Value, ConsumerKind::Returned);
    S = make<ReturnStmt>(R, Value);
    break;
  }
  case SyntaxKind::DeleteStatement: {
    auto *D = make<DeleteStmt>(R);
    TSNode Target = ts_node_named_child(N, 0);
    SmallVector<const Expr *, 4> Targets;
    if (kindOf(Target) == SyntaxKind::ExpressionList) {
      SmallVector<ChildNode, 8> Kids;
      children(Target, Kids);
      for (const ChildNode &K : Kids)
        if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
          Targets.push_back(lowerExpr(K.Node, ExprContext::Del));
    } else if (!ts_node_is_null(Target)) {
      Targets.push_back(lowerExpr(Target, ExprContext::Del));
    }
    D->Targets = copy<const Expr *>(Targets);
    S = D;
    break;
  }
  case SyntaxKind::RaiseStatement: {
    auto *Raise = make<RaiseStmt>(R);
    TSNode Cause = field(N, SyntaxField::Cause);
    TSNode Exc = ts_node_named_child(N, 0);
    if (!ts_node_is_null(Exc) && !ts_node_eq(Exc, Cause)) {
      Raise->Exception = lowerExpr(Exc);
      if (kindOf(Exc) == SyntaxKind::ExpressionList) // `raise E, V`, not `raise (E, V)`
        noteError(R, "SyntaxError: `raise E, value` is Python 2 syntax");
    }
    Raise->Cause = lowerOptional(Cause);
    S = Raise;
    break;
  }
  case SyntaxKind::AssertStatement: {
    auto *A = make<AssertStmt>(R);
    A->Test = lowerOptional(ts_node_named_child(N, 0));
    if (ts_node_named_child_count(N) > 1)
      A->Message = lowerExpr(ts_node_named_child(N, 1));
    S = A;
    break;
  }
  case SyntaxKind::PassStatement:
    S = make<SimpleStmt>(StmtKind::Pass, R);
    break;
  case SyntaxKind::BreakStatement:
    S = make<SimpleStmt>(StmtKind::Break, R);
    break;
  case SyntaxKind::ContinueStatement:
    S = make<SimpleStmt>(StmtKind::Continue, R);
    break;
  case SyntaxKind::GlobalStatement:
  case SyntaxKind::NonlocalStatement: {
    bool Global = kindOf(N) == SyntaxKind::GlobalStatement;
    auto *G = make<NameListStmt>(Global ? StmtKind::Global : StmtKind::Nonlocal, R);
    SmallVector<StringRef, 4> Names;
    SmallVector<ChildNode, 8> Kids;
    children(N, Kids);
    for (const ChildNode &K : Kids)
      if (kindOf(K.Node) == SyntaxKind::Identifier) {
        Names.push_back(text(K.Node));
        (Global ? Current->Globals : Current->Nonlocals).push_back(text(K.Node));
      }
    G->Names = copy<StringRef>(Names);
    S = G;
    break;
  }
  case SyntaxKind::ImportStatement:
    S = lowerImport(N);
    break;
  case SyntaxKind::ImportFromStatement:
    S = lowerImportFrom(N, false);
    break;
  case SyntaxKind::FutureImportStatement:
    S = lowerImportFrom(N, true);
    break;
  case SyntaxKind::IfStatement:
    S = lowerIf(N);
    break;
  case SyntaxKind::ForStatement:
    S = lowerFor(N);
    break;
  case SyntaxKind::WhileStatement:
    S = lowerWhile(N);
    break;
  case SyntaxKind::TryStatement:
    S = lowerTry(N);
    break;
  case SyntaxKind::WithStatement:
    S = lowerWith(N);
    break;
  case SyntaxKind::MatchStatement:
    S = lowerMatch(N);
    break;
  case SyntaxKind::FunctionDefinition:
    S = lowerFunction(N, {}, R);
    break;
  case SyntaxKind::ClassDefinition:
    S = lowerClass(N, {}, R);
    break;
  case SyntaxKind::DecoratedDefinition:
    S = lowerDecorated(N);
    break;
  case SyntaxKind::TypeAliasStatement:
    S = lowerTypeAlias(N);
    break;
  case SyntaxKind::PrintStatement: {
    // `print >>f, x` is a valid Python 3 tuple expression (it fails only at run time); the
    // grammar parses it as Python 2's print, so only the chevron-less form is an error.
    SmallVector<ChildNode, 8> Kids;
    children(N, Kids);
    bool Chevron = llvm::any_of(Kids, [](const ChildNode &K) {
      return kindOf(K.Node) == SyntaxKind::Unknown && ts_node_is_named(K.Node) &&
             llvm::StringRef(ts_node_type(K.Node)) == "chevron";
    });
    if (!Chevron) {
      noteError(R, "SyntaxError: Missing parentheses in call to 'print'");
      break;
    }
    SmallVector<const Expr *, 4> Parts;
    for (const ChildNode &K : Kids)
      if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
        Parts.push_back(lowerUnknown(K.Node));
    auto *U = make<UnknownExpr>(R);
    U->Children = copy<const Expr *>(Parts);
    S = make<ExprStmt>(R, U);
    break;
  }
  case SyntaxKind::ExecStatement:
    noteError(R, "SyntaxError: Missing parentheses in call to 'exec'");
    break;
  default: // comments, ERROR nodes (reported separately), grammar additions
    break;
  }
  if (S)
    Out.push_back(S);
}

const Stmt *Lowering::lowerExpressionStatement(TSNode N) {
  SmallVector<ChildNode, 8> Kids;
  unlabelledChildren(N, Kids);
  SmallVector<TSNode, 4> Named;
  for (const ChildNode &K : Kids)
    if (ts_node_is_named(K.Node) && kindOf(K.Node) != SyntaxKind::Comment)
      Named.push_back(K.Node);
  if (Named.empty())
    return nullptr;
  if (Named.size() == 1) {
    SyntaxKind K = kindOf(Named[0]);
    if (K == SyntaxKind::Assignment)
      return lowerAssignment(Named[0], rangeOf(N));
    if (K == SyntaxKind::AugmentedAssignment) {
      TSNode Left = field(Named[0], SyntaxField::Left);
      const Expr *Value = lowerOptional(field(Named[0], SyntaxField::Right));
      // `x += 1` reads and writes x: record it as a store (it binds x in this scope).
      const Expr *Target = lowerExpr(Left, ExprContext::Store);
      return make<AugAssignStmt>(rangeOf(N), Target, text(field(Named[0], SyntaxField::Operator)),
                                 Value);
    }
    return make<ExprStmt>(rangeOf(N), lowerExpr(Named[0]));
  }
  SmallVector<const Expr *, 4> Elements;
  for (TSNode E : Named)
    Elements.push_back(lowerExpr(E));
  auto *T = make<SequenceExpr>(ExprKind::Tuple, rangeOf(N));
  T->Elements = copy<const Expr *>(Elements);
  return make<ExprStmt>(rangeOf(N), T);
}

const Stmt *Lowering::lowerAssignment(TSNode N, TextRange R) {
  TSNode Type = field(N, SyntaxField::Type);
  if (!ts_node_is_null(Type)) {
    const Expr *Annotation = lowerExpr(Type);
    const Expr *Value = lowerOptional(field(N, SyntaxField::Right));
    setConsumer(Value, ConsumerKind::Assigned);
    const Expr *Target = lowerExpr(field(N, SyntaxField::Left), ExprContext::Store);
    if (const auto *Name = dyn_cast<NameExpr>(Target); Name && !Name->Parens)
      bind(Name->Id, SymAnnotated); // `(x): int` is not a simple target: CPython does not record it
    return make<AnnAssignStmt>(R, Target, Annotation, Value);
  }
  // `a = b = value` nests assignments in the right-hand side.
  SmallVector<TSNode, 2> TargetNodes;
  TSNode Cur = N;
  TSNode ValueNode = {};
  while (true) {
    TargetNodes.push_back(field(Cur, SyntaxField::Left));
    TSNode Right = field(Cur, SyntaxField::Right);
    if (!ts_node_is_null(Right) && kindOf(Right) == SyntaxKind::Assignment &&
        ts_node_is_null(field(Right, SyntaxField::Type))) {
      Cur = Right;
      continue;
    }
    ValueNode = Right;
    break;
  }
  auto *A = make<AssignStmt>(R);
  A->Value = lowerOptional(ValueNode); // evaluated first
  setConsumer(A->Value, ConsumerKind::Assigned);
  SmallVector<const Expr *, 2> Targets;
  for (TSNode T : TargetNodes)
    if (!ts_node_is_null(T))
      Targets.push_back(lowerExpr(T, ExprContext::Store));
  A->Targets = copy<const Expr *>(Targets);
  return A;
}

const Stmt *Lowering::lowerIf(TSNode N) {
  auto *Top = make<IfStmt>(StmtKind::If, rangeOf(N));
  Top->Test = lowerOptional(field(N, SyntaxField::Condition));
  Top->Then = lowerBlock(field(N, SyntaxField::Consequence));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<TSNode, 4> Alternatives;
  for (const ChildNode &K : Kids)
    if (K.Field == SyntaxField::Alternative)
      Alternatives.push_back(K.Node);
  IfStmt *Tail = Top;
  // Each elif becomes an If nested in the previous one's else, and whatever walks the IR recurses
  // once per level, so a chain counts against the nesting limit, one level per elif (CPython
  // itself fails to compile a chain of 3000).
  unsigned ChainDepth = 0;
  for (TSNode Alt : Alternatives) {
    if (kindOf(Alt) == SyntaxKind::ElifClause) {
      ++ChainDepth;
      if (++Depth > Options.MaxDepth) {
        TooDeep = true;
        break;
      }
      auto *Elif = make<IfStmt>(StmtKind::If, TextRange{ts_node_start_byte(Alt), Top->Range.End});
      Elif->Test = lowerOptional(field(Alt, SyntaxField::Condition));
      Elif->Then = lowerBlock(field(Alt, SyntaxField::Consequence));
      Tail->OrElse = copy<const Stmt *>(static_cast<const Stmt *>(Elif));
      Tail = Elif;
    } else if (kindOf(Alt) == SyntaxKind::ElseClause) {
      Tail->OrElse = lowerBlock(field(Alt, SyntaxField::Body));
    }
  }
  Depth -= ChainDepth;
  return Top;
}

const Stmt *Lowering::lowerFor(TSNode N) {
  auto *F = make<ForStmt>(rangeOf(N));
  F->IsAsync = hasToken(N, "async");
  F->Iter = lowerOptional(field(N, SyntaxField::Right));
  setConsumer(F->Iter, ConsumerKind::ForIterable);
  F->Target = lowerOptional(field(N, SyntaxField::Left), ExprContext::Store);
  F->Loop = lowerBlock(field(N, SyntaxField::Body));
  TSNode Else = field(N, SyntaxField::Alternative);
  if (!ts_node_is_null(Else))
    F->OrElse = lowerBlock(field(Else, SyntaxField::Body));
  return F;
}

const Stmt *Lowering::lowerWhile(TSNode N) {
  auto *W = make<IfStmt>(StmtKind::While, rangeOf(N));
  W->Test = lowerOptional(field(N, SyntaxField::Condition));
  W->Then = lowerBlock(field(N, SyntaxField::Body));
  TSNode Else = field(N, SyntaxField::Alternative);
  if (!ts_node_is_null(Else))
    W->OrElse = lowerBlock(field(Else, SyntaxField::Body));
  return W;
}

const Stmt *Lowering::lowerTry(TSNode N) {
  auto *T = make<TryStmt>(rangeOf(N));
  T->Try = lowerBlock(field(N, SyntaxField::Body));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<ExceptHandler, 4> Handlers;
  for (const ChildNode &K : Kids) {
    switch (kindOf(K.Node)) {
    case SyntaxKind::ExceptClause: {
      ExceptHandler H;
      H.Range = rangeOf(K.Node);
      SmallVector<ChildNode, 8> Parts;
      children(K.Node, Parts);
      bool SawValue = false;
      for (const ChildNode &P : Parts) {
        if (!ts_node_is_named(P.Node)) {
          if (text(P.Node) == "*" || text(P.Node) == "except*")
            H.IsGroup = true;
          continue;
        }
        if (P.Field == SyntaxField::Value && SawValue) {
          // The grammar reads `except E, e:` as two comma-separated values.
          noteError(rangeOf(P.Node),
                    "SyntaxError: `except E, name` is Python 2 syntax; use `except E as name`");
        } else if (P.Field == SyntaxField::Value) {
          SawValue = true;
          if (kindOf(P.Node) == SyntaxKind::AsPattern) {
            H.Type = lowerOptional(ts_node_named_child(P.Node, 0));
            TSNode Alias = field(P.Node, SyntaxField::Alias);
            TSNode Name = ts_node_is_null(Alias) ? Alias : ts_node_named_child(Alias, 0);
            if (!ts_node_is_null(Name) && kindOf(Name) == SyntaxKind::Identifier) {
              H.Name = text(Name);
              H.NameRange = rangeOf(Name);
              H.NameNode = makeName(Name, ExprContext::Store);
            }
          } else {
            H.Type = lowerExpr(P.Node);
          }
        } else if (P.Field == SyntaxField::Alias) {
          noteError(rangeOf(P.Node), "SyntaxError: `except E, name` is Python 2 syntax; use `except E as name`");
        } else if (kindOf(P.Node) == SyntaxKind::Block) {
          H.Handler = lowerBlock(P.Node);
        }
      }
      Handlers.push_back(H);
      break;
    }
    case SyntaxKind::ElseClause:
      T->OrElse = lowerBlock(field(K.Node, SyntaxField::Body));
      break;
    case SyntaxKind::FinallyClause: {
      TSNode Block = ts_node_named_child(K.Node, 0);
      while (!ts_node_is_null(Block) && kindOf(Block) != SyntaxKind::Block)
        Block = ts_node_next_named_sibling(Block);
      T->Finally = lowerBlock(Block);
      break;
    }
    default:
      break;
    }
  }
  T->Handlers = copy<ExceptHandler>(Handlers);
  return T;
}

const Stmt *Lowering::lowerWith(TSNode N) {
  auto *W = make<WithStmt>(rangeOf(N));
  W->IsAsync = hasToken(N, "async");
  SmallVector<WithItem, 2> Items;
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids) {
    if (kindOf(K.Node) != SyntaxKind::WithClause)
      continue;
    SmallVector<ChildNode, 8> ItemNodes;
    children(K.Node, ItemNodes);
    for (const ChildNode &I : ItemNodes) {
      if (kindOf(I.Node) != SyntaxKind::WithItem)
        continue;
      TSNode Value = field(I.Node, SyntaxField::Value);
      WithItem Item;
      if (kindOf(Value) == SyntaxKind::AsPattern) {
        Item.Context = lowerOptional(ts_node_named_child(Value, 0));
        TSNode Alias = field(Value, SyntaxField::Alias);
        if (!ts_node_is_null(Alias) && ts_node_named_child_count(Alias) > 0)
          Item.Target = lowerExpr(ts_node_named_child(Alias, 0), ExprContext::Store);
      } else {
        Item.Context = lowerOptional(Value);
      }
      Items.push_back(Item);
    }
  }
  W->Items = copy<WithItem>(Items);
  W->Inner = lowerBlock(field(N, SyntaxField::Body));
  return W;
}

void Lowering::lowerPattern(TSNode N, SmallVectorImpl<const NameExpr *> &Captures,
                            SmallVectorImpl<const Expr *> &Reads) {
  DepthGuard Guard(*this);
  if (!Guard.Ok)
    return;
  SyntaxKind Kind = kindOf(N);
  switch (Kind) {
  case SyntaxKind::DottedName: {
    // A single name captures (`case x`), a dotted one is a value pattern (`case Color.RED`).
    if (ts_node_named_child_count(N) == 1) {
      TSNode Id = ts_node_named_child(N, 0);
      if (text(Id) != "_")
        Captures.push_back(makeName(Id, ExprContext::Store));
    } else {
      Reads.push_back(lowerDottedName(N));
    }
    return;
  }
  case SyntaxKind::ClassPattern: {
    SmallVector<ChildNode, 8> Kids;
    children(N, Kids);
    bool First = true;
    for (const ChildNode &K : Kids) {
      if (!ts_node_is_named(K.Node))
        continue;
      if (First && kindOf(K.Node) == SyntaxKind::DottedName) {
        Reads.push_back(lowerDottedName(K.Node)); // the class itself is read, never captured
        First = false;
        continue;
      }
      lowerPattern(K.Node, Captures, Reads);
    }
    return;
  }
  case SyntaxKind::KeywordPattern: {
    // keyword_pattern: identifier `=` pattern; the keyword is an attribute name, not a binding.
    SmallVector<ChildNode, 4> Kids;
    children(N, Kids);
    bool SkippedKeyword = false;
    for (const ChildNode &K : Kids) {
      if (!ts_node_is_named(K.Node))
        continue;
      if (!SkippedKeyword && kindOf(K.Node) == SyntaxKind::Identifier) {
        SkippedKeyword = true;
        continue;
      }
      lowerPattern(K.Node, Captures, Reads);
    }
    return;
  }
  case SyntaxKind::Identifier: // splat_pattern / as_pattern aliases
    if (text(N) != "_")
      Captures.push_back(makeName(N, ExprContext::Store));
    return;
  case SyntaxKind::String:
  case SyntaxKind::ConcatenatedString:
  case SyntaxKind::Integer:
  case SyntaxKind::Float:
  case SyntaxKind::True:
  case SyntaxKind::False:
  case SyntaxKind::None:
  case SyntaxKind::ComplexPattern:
    return;
  default: {
    SmallVector<ChildNode, 8> Kids;
    children(N, Kids);
    for (const ChildNode &K : Kids) {
      if (!ts_node_is_named(K.Node) || kindOf(K.Node) == SyntaxKind::Comment)
        continue;
      // dict_pattern keys are literals or value patterns, never captures.
      if (Kind == SyntaxKind::DictPattern && K.Field == SyntaxField::Key) {
        if (kindOf(K.Node) == SyntaxKind::DottedName && ts_node_named_child_count(K.Node) > 1)
          Reads.push_back(lowerDottedName(K.Node));
        continue;
      }
      lowerPattern(K.Node, Captures, Reads);
    }
    return;
  }
  }
}

const Expr *Lowering::lowerDottedName(TSNode N) {
  // `Color.RED` / `mod.Point` in a pattern reads the root name; the rest are attributes, exactly
  // as in an expression (so `RED` never resolves to an unrelated variable of that name).
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  const Expr *E = nullptr;
  for (const ChildNode &K : Kids) {
    if (kindOf(K.Node) != SyntaxKind::Identifier)
      continue;
    if (!E)
      E = makeName(K.Node, ExprContext::Load);
    else
      E = make<AttributeExpr>(TextRange{ts_node_start_byte(N), ts_node_end_byte(K.Node)}, E,
                              text(K.Node), rangeOf(K.Node));
  }
  return E ? E : make<UnknownExpr>(rangeOf(N));
}

const Stmt *Lowering::lowerMatch(TSNode N) {
  auto *M = make<MatchStmt>(rangeOf(N));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<const Expr *, 2> Subjects;
  TSNode BodyNode = {};
  for (const ChildNode &K : Kids) {
    if (K.Field == SyntaxField::Subject)
      Subjects.push_back(lowerExpr(K.Node));
    else if (K.Field == SyntaxField::Body)
      BodyNode = K.Node;
  }
  if (Subjects.size() == 1) {
    M->Subject = Subjects[0];
  } else if (!Subjects.empty()) {
    auto *T = make<SequenceExpr>(ExprKind::Tuple, TextRange{Subjects.front()->Range.Begin, Subjects.back()->Range.End});
    T->Elements = copy<const Expr *>(Subjects);
    M->Subject = T;
  }
  SmallVector<MatchCase, 8> Cases;
  if (!ts_node_is_null(BodyNode)) {
    SmallVector<ChildNode, 16> CaseNodes;
    children(BodyNode, CaseNodes);
    for (const ChildNode &C : CaseNodes) {
      if (kindOf(C.Node) != SyntaxKind::CaseClause)
        continue;
      MatchCase Case;
      Case.Range = rangeOf(C.Node);
      SmallVector<const NameExpr *, 4> Captures;
      SmallVector<const Expr *, 4> Reads;
      SmallVector<ChildNode, 8> Parts;
      children(C.Node, Parts);
      for (const ChildNode &P : Parts) {
        if (kindOf(P.Node) == SyntaxKind::CasePattern)
          lowerPattern(P.Node, Captures, Reads);
        else if (P.Field == SyntaxField::Guard)
          Case.Guard = lowerOptional(ts_node_named_child(P.Node, 0));
        else if (P.Field == SyntaxField::Consequence)
          Case.Then = lowerBlock(P.Node);
      }
      Case.Captures = copy<const NameExpr *>(Captures);
      Case.Reads = copy<const Expr *>(Reads);
      Cases.push_back(Case);
    }
  }
  M->Cases = copy<MatchCase>(Cases);
  return M;
}

const Stmt *Lowering::lowerImport(TSNode N) {
  auto *I = make<ImportStmt>(rangeOf(N));
  SmallVector<ImportAlias, 4> Names;
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids) {
    if (K.Field != SyntaxField::Name)
      continue;
    ImportAlias A;
    A.Range = rangeOf(K.Node);
    if (kindOf(K.Node) == SyntaxKind::AliasedImport) {
      A.Name = text(field(K.Node, SyntaxField::Name));
      A.AsName = text(field(K.Node, SyntaxField::Alias));
    } else {
      A.Name = text(K.Node);
    }
    bind(A.boundName(), SymBound | SymImported);
    Names.push_back(A);
  }
  I->Names = copy<ImportAlias>(Names);
  Imports.push_back(I);
  return I;
}

const Stmt *Lowering::lowerImportFrom(TSNode N, bool Future) {
  auto *I = make<ImportFromStmt>(rangeOf(N));
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  SmallVector<ImportAlias, 4> Names;
  if (Future)
    I->Module = "__future__";
  for (const ChildNode &K : Kids) {
    if (K.Field == SyntaxField::ModuleName) {
      if (kindOf(K.Node) == SyntaxKind::RelativeImport) {
        SmallVector<ChildNode, 4> Parts;
        children(K.Node, Parts);
        for (const ChildNode &P : Parts) {
          if (kindOf(P.Node) == SyntaxKind::ImportPrefix)
            I->Level = static_cast<unsigned>(llvm::count(text(P.Node), '.'));
          else if (kindOf(P.Node) == SyntaxKind::DottedName)
            I->Module = text(P.Node);
        }
      } else {
        I->Module = text(K.Node);
      }
    } else if (K.Field == SyntaxField::Name) {
      ImportAlias A;
      A.Range = rangeOf(K.Node);
      if (kindOf(K.Node) == SyntaxKind::AliasedImport) {
        A.Name = text(field(K.Node, SyntaxField::Name));
        A.AsName = text(field(K.Node, SyntaxField::Alias));
      } else {
        A.Name = text(K.Node);
      }
      bind(A.AsName.empty() ? A.Name : A.AsName, SymBound | SymImported);
      Names.push_back(A);
    } else if (kindOf(K.Node) == SyntaxKind::WildcardImport) {
      I->Star = true;
      Current->S->HasStarImport = true;
    }
  }
  I->Names = copy<ImportAlias>(Names);
  ImportFroms.push_back(I);
  return I;
}

ArrayRef<Decorator> Lowering::lowerDecorators(TSNode N) {
  SmallVector<Decorator, 2> Decorators;
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids) {
    if (kindOf(K.Node) != SyntaxKind::Decorator)
      continue;
    Decorator D;
    D.Range = rangeOf(K.Node);
    TSNode Value = ts_node_named_child(K.Node, 0);
    while (!ts_node_is_null(Value) && kindOf(Value) == SyntaxKind::Comment)
      Value = ts_node_next_named_sibling(Value);
    if (ts_node_is_null(Value))
      continue;
    D.Value = lowerExpr(Value);
    D.Call = dyn_cast<CallExpr>(D.Value);
    D.DottedName = dottedName(M, D.Call ? D.Call->Callee : D.Value);
    Decorators.push_back(D);
  }
  return copy<Decorator>(Decorators);
}

const Stmt *Lowering::lowerDecorated(TSNode N) {
  ArrayRef<Decorator> Decorators = lowerDecorators(N);
  TSNode Def = field(N, SyntaxField::Definition);
  if (ts_node_is_null(Def))
    return nullptr;
  if (kindOf(Def) == SyntaxKind::ClassDefinition)
    return lowerClass(Def, Decorators, rangeOf(N));
  return lowerFunction(Def, Decorators, rangeOf(N));
}

ArrayRef<TypeParam> Lowering::lowerTypeParams(TSNode N) {
  // type_parameter holds `type` children: `T`, `T: bound` (constrained_type), `*Ts`, `**P`.
  if (ts_node_is_null(N))
    return {};
  SmallVector<TypeParam, 2> Params;
  SmallVector<ChildNode, 8> Kids;
  children(N, Kids);
  for (const ChildNode &K : Kids) {
    if (kindOf(K.Node) != SyntaxKind::Type)
      continue;
    TypeParam P;
    P.Range = rangeOf(K.Node);
    TSNode Inner = ts_node_named_child(K.Node, 0);
    if (ts_node_is_null(Inner))
      continue;
    if (kindOf(Inner) == SyntaxKind::Identifier) {
      P.Name = text(Inner);
    } else {
      // constrained_type(type(T), type(bound)) or splat_type(identifier)
      TSNode First = ts_node_named_child(Inner, 0);
      if (!ts_node_is_null(First) && kindOf(First) == SyntaxKind::Type)
        First = ts_node_named_child(First, 0);
      if (ts_node_is_null(First) || kindOf(First) != SyntaxKind::Identifier)
        continue;
      P.Name = text(First);
      if (ts_node_named_child_count(Inner) > 1)
        P.Bound = lowerExpr(ts_node_named_child(Inner, 1));
    }
    bind(P.Name, SymBound);
    Current->TypeParams.push_back(P.Name);
    Params.push_back(P);
  }
  return copy<TypeParam>(Params);
}

static bool isDecoratedAs(ArrayRef<Decorator> Decorators, StringRef A, StringRef B = {}) {
  for (const Decorator &D : Decorators)
    if (D.DottedName == A || (!B.empty() && D.DottedName == B))
      return true;
  return false;
}

const Stmt *Lowering::lowerFunction(TSNode N, ArrayRef<Decorator> Decorators, TextRange Whole) {
  auto *F = make<FunctionDef>(Whole);
  TSNode Name = field(N, SyntaxField::Name);
  F->Name = text(Name);
  F->NameRange = rangeOf(Name);
  F->Decorators = Decorators;
  F->IsAsync = hasToken(N, "async");
  bind(F->Name, SymBound | SymFunction);
  if (const ClassDef *Enclosing = Current->S->classDef()) {
    F->EnclosingClass = Enclosing;
    if (isDecoratedAs(Decorators, "staticmethod") || F->Name == "__new__")
      F->Kind = FunctionKind::StaticMethod;
    else if (isDecoratedAs(Decorators, "classmethod") || F->Name == "__init_subclass__" ||
             F->Name == "__class_getitem__")
      F->Kind = FunctionKind::ClassMethod;
    else
      F->Kind = FunctionKind::Method;
  }
  ScopeBuilder *Saved = Current;
  pushScope(ScopeKind::Function, F->Name);
  ScopeBuilder *FunctionScope = Current;
  FunctionScope->Function = F;
  FunctionScope->S->DefiningStmt = F;
  F->OwnScope = FunctionScope->S;
  F->TypeParams = lowerTypeParams(field(N, SyntaxField::TypeParameters));
  Current = Saved;
  F->Params = lowerParameters(field(N, SyntaxField::Parameters), FunctionScope);
  F->Returns = withTypeParamsOf(FunctionScope,
                                [&] { return lowerOptional(field(N, SyntaxField::ReturnType)); });
  Current = FunctionScope;
  QualifiedPrefix.push_back(F->Name);
  QualifiedPrefix.push_back("<locals>");
  F->Inner = lowerBlock(field(N, SyntaxField::Body));
  QualifiedPrefix.pop_back_n(2);
  popScope(Saved);
  Functions.push_back(F);
  return F;
}

const Stmt *Lowering::lowerClass(TSNode N, ArrayRef<Decorator> Decorators, TextRange Whole) {
  auto *C = make<ClassDef>(Whole);
  TSNode Name = field(N, SyntaxField::Name);
  C->Name = text(Name);
  C->NameRange = rangeOf(Name);
  C->Decorators = Decorators;
  bind(C->Name, SymBound | SymClass);
  if (QualifiedPrefix.empty()) {
    C->QualifiedName = C->Name;
  } else {
    llvm::SmallString<64> Qual;
    for (StringRef P : QualifiedPrefix) {
      Qual += P;
      Qual += '.';
    }
    Qual += C->Name;
    C->QualifiedName = copyString(Qual);
  }
  TSNode Superclasses = field(N, SyntaxField::Superclasses);
  ScopeBuilder *Saved = Current;
  pushScope(ScopeKind::Class, C->Name);
  ScopeBuilder *ClassScope = Current;
  ClassScope->S->DefiningStmt = C;
  C->OwnScope = ClassScope->S;
  C->TypeParams = lowerTypeParams(field(N, SyntaxField::TypeParameters));
  Current = Saved;
  if (!ts_node_is_null(Superclasses))
    C->Bases = withTypeParamsOf(ClassScope, [&] { return lowerArguments(Superclasses); });
  Current = ClassScope;
  QualifiedPrefix.push_back(C->Name);
  C->Inner = lowerBlock(field(N, SyntaxField::Body));
  QualifiedPrefix.pop_back();
  popScope(Saved);

  SmallVector<const FunctionDef *, 8> Methods;
  for (const Stmt *S : C->Inner)
    if (const auto *F = dyn_cast<FunctionDef>(S))
      Methods.push_back(F);
  C->Methods = copy<const FunctionDef *>(Methods);
  for (const Decorator &D : Decorators) {
    if (D.DottedName == "dataclass" || D.DottedName == "dataclasses.dataclass") {
      C->Dataclass = &D;
      if (D.Call)
        if (const auto *Slots = dyn_cast_or_null<ConstantExpr>(D.Call->keyword("slots")))
          C->DataclassSlots = Slots->Value == ConstantKind::True;
    }
  }
  readSlots(C);
  Classes.push_back(C);
  return C;
}

void Lowering::readSlots(ClassDef *C) {
  const Expr *Value = nullptr;
  for (const Stmt *S : C->Inner) {
    const Expr *Target = nullptr, *V = nullptr;
    if (const auto *A = dyn_cast<AssignStmt>(S)) {
      if (A->Targets.size() == 1)
        Target = A->Targets[0];
      V = A->Value;
    } else if (const auto *A = dyn_cast<AnnAssignStmt>(S)) {
      Target = A->Target;
      V = A->Value;
    } else if (const auto *A = dyn_cast<AugAssignStmt>(S)) {
      if (const auto *N = dyn_cast<NameExpr>(A->Target); N && N->Id == "__slots__")
        C->Slots = SlotsKind::Dynamic;
      continue;
    }
    if (const auto *N = dyn_cast_or_null<NameExpr>(Target); N && N->Id == "__slots__" && V) {
      Value = V;
      C->SlotsRange = S->Range;
    }
  }
  if (!Value || C->Slots == SlotsKind::Dynamic) {
    return;
  }
  SmallVector<StringRef, 8> Names;
  auto AddPlain = [&](const Expr *E) {
    const auto *K = dyn_cast_or_null<ConstantExpr>(E);
    if (!K || K->Value != ConstantKind::String || !K->HasPlainText)
      return false;
    Names.push_back(K->PlainText);
    return true;
  };
  bool Static = true;
  if (const auto *Seq = dyn_cast<SequenceExpr>(Value)) {
    for (const Expr *E : Seq->Elements)
      Static &= AddPlain(E);
  } else if (const auto *D = dyn_cast<DictExpr>(Value)) {
    for (const DictItem &I : D->Items)
      Static &= AddPlain(I.Key);
  } else {
    Static = AddPlain(Value);
  }
  C->Slots = Static ? SlotsKind::Static : SlotsKind::Dynamic;
  if (Static)
    C->SlotNames = copy<StringRef>(Names);
}

const Stmt *Lowering::lowerTypeAlias(TSNode N) {
  auto *T = make<TypeAliasStmt>(rangeOf(N));
  TSNode Left = field(N, SyntaxField::Left);
  TSNode Head = ts_node_is_null(Left) ? Left : ts_node_named_child(Left, 0);
  TSNode NameNode = Head;
  TSNode Params = {};
  if (!ts_node_is_null(Head) && kindOf(Head) != SyntaxKind::Identifier) {
    NameNode = ts_node_named_child(Head, 0); // generic_type(identifier, type_parameter)
    Params = ts_node_named_child(Head, 1);
  }
  if (!ts_node_is_null(NameNode) && kindOf(NameNode) == SyntaxKind::Identifier)
    T->Name = makeName(NameNode, ExprContext::Store);
  if (!ts_node_is_null(Params) && kindOf(Params) == SyntaxKind::TypeParameter) {
    // The value is evaluated lazily in an annotation scope that sees the parameters.
    ScopeBuilder *Saved = pushScope(ScopeKind::Function, T->Name ? T->Name->Id : "<type>");
    T->TypeParams = lowerTypeParams(Params);
    T->Value = lowerOptional(field(N, SyntaxField::Right));
    popScope(Saved);
  } else {
    T->Value = lowerOptional(field(N, SyntaxField::Right));
  }
  return T;
}

//===----------------------------------------------------------------------===//
// Pass 2: names -> symbols
//===----------------------------------------------------------------------===//

void Lowering::resolveNames() {
  ScopeBuilder *ModuleBuilder = Builders.front().get();
  auto GetOrCreate = [&](ScopeBuilder *B, StringRef Name) -> Symbol * {
    Symbol *&Slot = B->Symbols[Name];
    if (!Slot) {
      Slot = make<Symbol>();
      Slot->Name = Name;
      Slot->Owner = B->S;
    }
    return Slot;
  };

  // Bindings first, so lookups below see every local name regardless of order.
  for (auto &Owned : Builders) {
    ScopeBuilder *B = Owned.get();
    for (StringRef G : B->Globals)
      GetOrCreate(B, G)->Flags |= SymGlobal;
    for (StringRef N : B->Nonlocals)
      GetOrCreate(B, N)->Flags |= SymNonlocal;
    for (auto &[Name, Flags] : B->Bindings) {
      if (B->declares(B->Globals, Name)) {
        GetOrCreate(ModuleBuilder, Name)->Flags |= Flags;
        continue;
      }
      GetOrCreate(B, Name)->Flags |= Flags;
    }
    for (NameExpr *N : B->Names) {
      if (N->Ctx == ExprContext::Load)
        continue;
      uint16_t Flags = SymBound | (N->Ctx == ExprContext::Del ? SymDeleted : 0);
      if (B->declares(B->Globals, N->Id))
        GetOrCreate(ModuleBuilder, N->Id)->Flags |= Flags;
      else if (!B->declares(B->Nonlocals, N->Id))
        GetOrCreate(B, N->Id)->Flags |= Flags;
    }
  }

  std::vector<std::pair<Symbol *, NameExpr *>> Refs;
  for (auto &Owned : Builders) {
    ScopeBuilder *B = Owned.get();
    for (NameExpr *N : B->Names) {
      Symbol *Found = nullptr;
      bool Crossed = false;
      auto Generic = TypeParamReaders.find(N);
      if (Generic != TypeParamReaders.end() &&
          Generic->second->declares(Generic->second->TypeParams, N->Id)) {
        Found = GetOrCreate(Generic->second, N->Id);
      } else if (B->declares(B->Globals, N->Id)) {
        Found = GetOrCreate(ModuleBuilder, N->Id);
      } else {
        bool SkipLocal = B->declares(B->Nonlocals, N->Id);
        for (ScopeBuilder *S = B; S; S = S->Parent) {
          bool IsOwn = S == B;
          if (!IsOwn && S->S->Kind == ScopeKind::Class && !S->declares(S->TypeParams, N->Id))
            continue; // class bodies do not enclose their methods' names (PEP 695 params do)
          if (IsOwn && SkipLocal) {
            Crossed = true;
            continue;
          }
          auto It = S->Symbols.find(N->Id);
          if (It != S->Symbols.end()) {
            Symbol *Sym = It->second;
            if (Sym->has(SymGlobal)) {
              Found = GetOrCreate(ModuleBuilder, N->Id);
              break;
            }
            if (Sym->has(SymNonlocal) && !IsOwn) {
              Crossed = true;
              continue; // the binding lives further out
            }
            if (Sym->has(SymBound) || Sym->has(SymNonlocal)) {
              Found = Sym;
              break;
            }
          }
          if (S->isFunctionLike())
            Crossed = true;
        }
      }
      if (!Found)
        continue;
      if (Crossed && Found->Owner->Kind != ScopeKind::Module)
        Found->Flags |= SymCaptured;
      N->Sym = Found;
      Refs.push_back({Found, N});
    }
  }
  llvm::sort(Refs, [](const auto &A, const auto &B) {
    if (A.first != B.first)
      return A.first < B.first;
    return A.second->Range.Begin < B.second->Range.Begin;
  });
  for (size_t I = 0; I < Refs.size();) {
    size_t J = I;
    SmallVector<const NameExpr *, 8> List;
    while (J < Refs.size() && Refs[J].first == Refs[I].first)
      List.push_back(Refs[J++].second);
    Refs[I].first->Refs = copy<const NameExpr *>(List);
    I = J;
  }
  for (auto &Owned : Builders) {
    ScopeBuilder *B = Owned.get();
    SmallVector<const Symbol *, 16> Sorted;
    for (auto &Entry : B->Symbols)
      Sorted.push_back(Entry.second);
    llvm::sort(Sorted, [](const Symbol *A, const Symbol *B) { return A->Name < B->Name; });
    B->S->Symbols = copy<const Symbol *>(Sorted);
    B->S->Children = copy<const Scope *>(B->Children);
  }
}

} // namespace ir

//===----------------------------------------------------------------------===//
// Pass 3: events and origins
//===----------------------------------------------------------------------===//

namespace {

/// Computes abstract origins of values in one function (or class / module body).
class OriginResolver {
public:
  OriginResolver(const Module &M, llvm::BumpPtrAllocator &Arena, const Scope &S)
      : M(M), Arena(Arena), S(S) {
    if (const FunctionDef *F = S.function())
      Receiver = F->receiverName();
  }

  Origin originOf(const Expr *E, unsigned Depth = 0) const {
    Origin O;
    O.Node = E;
    if (!E || Depth > 4)
      return O;
    switch (E->Kind) {
    case ExprKind::Name:
      return nameOrigin(cast<NameExpr>(E), Depth);
    case ExprKind::Constant:
    case ExprKind::FString:
      O.Kind = OriginKind::Literal;
      return O;
    case ExprKind::Attribute: {
      // `obj.method` read, not called: a bound method when obj is a known instance (self, a
      // parameter, a new object). Plain attribute reads of data are Unknown.
      const auto *A = cast<AttributeExpr>(E);
      Origin Base = originOf(A->Object, Depth + 1);
      if (Base.Kind == OriginKind::Self || Base.Kind == OriginKind::Parameter ||
          Base.Kind == OriginKind::NewInstance) {
        O.Kind = OriginKind::BoundMethod;
        O.Name = A->Attr;
        O.Base = new (Arena.Allocate<Origin>()) Origin(Base);
      }
      return O;
    }
    case ExprKind::Lambda: {
      O.Kind = OriginKind::Closure;
      O.Captures = freeNames(cast<LambdaExpr>(E)->OwnScope);
      return O;
    }
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set: {
      O.Kind = OriginKind::Container;
      SmallVector<Origin, 4> Elements;
      for (const Expr *Element : cast<SequenceExpr>(E)->Elements)
        Elements.push_back(originOf(Element, Depth + 1));
      O.Elements = copyOrigins(Elements);
      return O;
    }
    case ExprKind::Dict: {
      O.Kind = OriginKind::Container;
      SmallVector<Origin, 4> Elements;
      for (const DictItem &I : cast<DictExpr>(E)->Items)
        Elements.push_back(originOf(I.Value, Depth + 1));
      O.Elements = copyOrigins(Elements);
      return O;
    }
    case ExprKind::ListComp:
    case ExprKind::SetComp:
    case ExprKind::DictComp:
    case ExprKind::GeneratorExp:
      O.Kind = OriginKind::Container;
      return O;
    case ExprKind::Call:
      return callOrigin(cast<CallExpr>(E), Depth);
    default:
      return O;
    }
  }

  const Scope &scope() const { return S; }

private:
  const Module &M;
  llvm::BumpPtrAllocator &Arena;
  const Scope &S;
  StringRef Receiver;

  ArrayRef<Origin> copyOrigins(ArrayRef<Origin> Items) const {
    if (Items.empty())
      return {};
    Origin *Mem = Arena.Allocate<Origin>(Items.size());
    std::uninitialized_copy(Items.begin(), Items.end(), Mem);
    return {Mem, Items.size()};
  }

  ArrayRef<StringRef> freeNames(const Scope *Inner) const {
    // Names read inside a nested scope whose binding lives outside it.
    llvm::SmallVector<StringRef, 4> Free;
    llvm::SmallVector<const Scope *, 8> Work{Inner};
    while (!Work.empty()) {
      const Scope *Cur = Work.pop_back_val();
      for (const Scope *Child : Cur->Children)
        Work.push_back(Child);
    }
    for (const Symbol *Sym : S.Symbols) {
      if (!Sym->has(SymCaptured))
        continue;
      for (const NameExpr *Ref : Sym->Refs) {
        const Scope *Where = Ref->InScope;
        while (Where && Where != Inner && Where != &S)
          Where = Where->Parent;
        if (Where == Inner) {
          Free.push_back(Sym->Name);
          break;
        }
      }
    }
    if (Free.empty())
      return {};
    StringRef *Mem = Arena.Allocate<StringRef>(Free.size());
    std::uninitialized_copy(Free.begin(), Free.end(), Mem);
    return {Mem, Free.size()};
  }

  Origin nameOrigin(const NameExpr *N, unsigned Depth) const {
    Origin O;
    O.Node = N;
    const Symbol *Sym = N->Sym;
    if (!Sym)
      return O;
    unsigned Stores = 0;
    const NameExpr *OnlyStore = nullptr;
    for (const NameExpr *Ref : Sym->Refs)
      if (Ref->Ctx != ExprContext::Load) {
        ++Stores;
        OnlyStore = Ref;
      }
    if (Sym->has(SymParameter) && Stores == 0 && Sym->Owner == &S) {
      if (const FunctionDef *F = S.function()) {
        for (unsigned I = 0; I < F->Params.size(); ++I)
          if (F->Params[I].Name == Sym->Name) {
            if (Sym->Name == Receiver && I == 0) {
              O.Kind = OriginKind::Self;
            } else {
              O.Kind = OriginKind::Parameter;
              O.Index = I;
            }
            return O;
          }
      }
      return O;
    }
    if (Sym->has(SymFunction) && Stores == 0 && Sym->Owner == &S && S.Kind == ScopeKind::Function) {
      // A nested `def` bound once: a closure over the names it reads from this function.
      const Scope *Def = nullptr;
      unsigned Defs = 0;
      for (const Scope *Child : S.Children)
        if (const FunctionDef *F = Child->function(); F && F->Name == Sym->Name) {
          Def = Child;
          ++Defs;
        }
      if (Defs == 1) {
        O.Kind = OriginKind::Closure;
        O.Captures = freeNames(Def);
      }
      return O;
    }
    if (Sym->Owner != &S || Stores != 1 || Sym->has(SymParameter))
      return O;
    if (const Origin *Caught = caughtOrigin(OnlyStore)) {
      (void)Caught;
      O.Kind = OriginKind::CaughtException;
      return O;
    }
    if (const Expr *Value = singleAssignedValue(OnlyStore))
      return originOf(Value, Depth + 1);
    return O;
  }

  const Origin *caughtOrigin(const NameExpr *Store) const {
    for (const Event &E : PendingExcepts)
      if (E.Handler && E.Handler->NameNode == Store)
        return &E.ValueOrigin;
    return nullptr;
  }

  const Expr *singleAssignedValue(const NameExpr *Store) const {
    auto It = AssignedValues.find(Store);
    return It == AssignedValues.end() ? nullptr : It->second;
  }

  Origin callOrigin(const CallExpr *C, unsigned Depth) const {
    Origin O;
    O.Node = C;
    O.Kind = OriginKind::Call;
    StringRef Callee = dottedName(M, C->Callee);
    if (Callee.empty())
      return O;
    if (Callee == "weakref.ref" || Callee == "weakref.proxy" || Callee == "weakref.WeakMethod" ||
        Callee == "WeakMethod" || Callee == "weakref.finalize") {
      O.Kind = OriginKind::WeakReference;
      if (!C->Args.empty())
        O.Base = new (Arena.Allocate<Origin>()) Origin(originOf(C->Args[0].Value, Depth + 1));
      return O;
    }
    if (Callee == "functools.partial" || Callee == "partial") {
      // partial(self.method, ...) keeps the bound method (and its arguments) alive.
      if (!C->Args.empty())
        return originOf(C->Args[0].Value, Depth + 1);
      return O;
    }
    StringRef Last = Callee.rsplit('.').second.empty() ? Callee : Callee.rsplit('.').second;
    if (!Last.empty() && (Last.front() >= 'A' && Last.front() <= 'Z')) {
      O.Kind = OriginKind::NewInstance;
      O.Name = Callee;
    }
    return O;
  }

public:
  llvm::DenseMap<const NameExpr *, const Expr *> AssignedValues;
  SmallVector<Event, 2> PendingExcepts;
};

/// Walks one scope's own statements (not nested defs/classes) and records its events.
class EventCollector : public Walker {
public:
  EventCollector(const Module &M, llvm::BumpPtrAllocator &Arena, const Scope &S)
      : Origins(M, Arena, S) {}

  SmallVector<Event, 16> Events;

  void collect(Body Statements) {
    // Single-assignment locals let `child = Child(self); self.kids.append(child)` resolve.
    struct AssignFinder : Walker {
      OriginResolver &O;
      explicit AssignFinder(OriginResolver &O) : O(O) {}
      bool visitStmt(const Stmt *St) override {
        if (isa<FunctionDef>(St) || isa<ClassDef>(St))
          return false;
        if (const auto *A = dyn_cast<AssignStmt>(St)) {
          for (const Expr *T : A->Targets)
            if (const auto *N = dyn_cast<NameExpr>(T))
              O.AssignedValues[N] = A->Value;
        } else if (const auto *A = dyn_cast<AnnAssignStmt>(St)) {
          if (const auto *N = dyn_cast<NameExpr>(A->Target); N && A->Value)
            O.AssignedValues[N] = A->Value;
        } else if (const auto *T = dyn_cast<TryStmt>(St)) {
          for (const ExceptHandler &H : T->Handlers)
            if (H.NameNode) {
              Event E{EventKind::ExceptBinding, H.Range};
              E.Handler = &H;
              E.ValueOrigin.Kind = OriginKind::CaughtException;
              O.PendingExcepts.push_back(E);
            }
        }
        return true;
      }
      bool visitExpr(const Expr *E) override {
        if (const auto *N = dyn_cast<NamedExpr>(E))
          O.AssignedValues[N->Target] = N->Value;
        return !isa<LambdaExpr>(E);
      }
    } Finder(Origins);
    Finder.walk(Statements);
    walk(Statements);
  }

  bool visitStmt(const Stmt *St) override {
    CurrentStmt = St;
    switch (St->Kind) {
    case StmtKind::FunctionDef:
    case StmtKind::ClassDef:
      return false; // their own scopes; decorators/defaults are rare places for events
    case StmtKind::Assign: {
      const auto *A = cast<AssignStmt>(St);
      for (const Expr *T : A->Targets)
        recordStore(T, A->Value);
      return true;
    }
    case StmtKind::AnnAssign: {
      const auto *A = cast<AnnAssignStmt>(St);
      if (A->Value)
        recordStore(A->Target, A->Value);
      return true;
    }
    case StmtKind::AugAssign: {
      const auto *A = cast<AugAssignStmt>(St);
      recordStore(A->Target, A->Value);
      return true;
    }
    case StmtKind::Return: {
      Event E{EventKind::Return, St->Range};
      E.Value = cast<ReturnStmt>(St)->Value;
      E.ValueOrigin = Origins.originOf(E.Value);
      E.Statement = St;
      Events.push_back(E);
      return true;
    }
    case StmtKind::For: {
      const auto *F = cast<ForStmt>(St);
      Event E{EventKind::Loop, St->Range};
      E.Target = F->Iter;
      E.Statement = St;
      Events.push_back(E);
      return true;
    }
    case StmtKind::While: {
      Event E{EventKind::Loop, St->Range};
      E.Target = cast<IfStmt>(St)->Test;
      E.Statement = St;
      Events.push_back(E);
      return true;
    }
    case StmtKind::Try: {
      for (const ExceptHandler &H : cast<TryStmt>(St)->Handlers) {
        if (!H.NameNode)
          continue;
        Event E{EventKind::ExceptBinding, H.Range};
        E.Handler = &H;
        E.Target = H.NameNode;
        E.ValueOrigin.Kind = OriginKind::CaughtException;
        E.Statement = St;
        Events.push_back(E);
      }
      return true;
    }
    default:
      return true;
    }
  }

  bool visitExpr(const Expr *E) override {
    if (const auto *C = dyn_cast<CallExpr>(E)) {
      Event Ev{EventKind::Call, E->Range};
      Ev.Value = C;
      Ev.Statement = CurrentStmt;
      Events.push_back(Ev);
      if (const auto *A = dyn_cast<AttributeExpr>(C->Callee); A && isMutatorMethod(A->Attr)) {
        const Expr *Stored = nullptr;
        if (A->Attr == "insert" || A->Attr == "setdefault")
          Stored = C->Args.size() >= 2 ? C->Args[1].Value : nullptr;
        else if (!C->Args.empty())
          Stored = C->Args[0].Value;
        Event M{EventKind::ContainerMutation, E->Range};
        M.Target = A->Object;
        M.Value = Stored;
        M.Method = A->Attr;
        M.ValueOrigin = Origins.originOf(Stored);
        M.TargetBase = Origins.originOf(ir::rootName(A->Object));
        M.Statement = CurrentStmt;
        Events.push_back(M);
      }
    } else if (const auto *C = dyn_cast<ComprehensionExpr>(E)) {
      Event Ev{EventKind::Comprehension, E->Range};
      Ev.Value = C;
      Ev.Statement = CurrentStmt;
      Events.push_back(Ev);
    }
    return true; // lambdas and comprehensions run on behalf of this scope
  }

private:
  OriginResolver Origins;
  const Stmt *CurrentStmt = nullptr;

  void recordStore(const Expr *Target, const Expr *Value) {
    if (const auto *T = dyn_cast<SequenceExpr>(Target)) {
      const auto *V = dyn_cast_or_null<SequenceExpr>(Value);
      for (size_t I = 0; I < T->Elements.size(); ++I)
        recordStore(T->Elements[I],
                    V && V->Elements.size() == T->Elements.size() ? V->Elements[I] : nullptr);
      return;
    }
    Event E{EventKind::AttributeStore, Target->Range};
    if (const auto *A = dyn_cast<AttributeExpr>(Target)) {
      E.Method = A->Attr;
      E.TargetBase = Origins.originOf(A->Object);
    } else if (const auto *Sub = dyn_cast<SubscriptExpr>(Target)) {
      E.Kind = EventKind::SubscriptStore;
      E.TargetBase = Origins.originOf(ir::rootName(Sub->Value));
    } else {
      return;
    }
    E.Target = Target;
    E.Value = Value;
    E.ValueOrigin = Origins.originOf(Value);
    E.Statement = CurrentStmt;
    Events.push_back(E);
  }
};

bool callsWithoutArguments(const Module &M, const Scope &S, Body Statements) {
  struct Finder : Walker {
    const Module &M;
    bool Found = false;
    explicit Finder(const Module &M) : M(M) {}
    bool visitStmt(const Stmt *St) override { return !isa<FunctionDef>(St) && !isa<ClassDef>(St); }
    bool visitExpr(const Expr *E) override {
      if (const auto *C = dyn_cast<CallExpr>(E))
        if (const auto *N = dyn_cast<NameExpr>(C->Callee))
          if ((N->Id == "locals" || N->Id == "vars" || N->Id == "eval" || N->Id == "exec") &&
              M.isBuiltin(N))
            Found = true;
      return !Found;
    }
  } F(M);
  F.walk(Statements);
  return F.Found;
}

} // namespace

namespace ir {

void Lowering::buildEvents() {
  for (auto &Owned : Builders) {
    Scope *S = Owned->S;
    Body Statements;
    if (S->Kind == ScopeKind::Module)
      Statements = M.TopLevel;
    else if (const FunctionDef *F = S->function())
      Statements = F->Inner;
    else if (const ClassDef *C = S->classDef())
      Statements = C->Inner;
    else
      continue;
    EventCollector Collector(M, Arena, *S);
    Collector.collect(Statements);
    S->Events = copy<Event>(Collector.Events);
    S->UsesLocalsOrVars = callsWithoutArguments(M, *S, Statements);
  }
}

void Lowering::findFirstSyntaxError(TSNode Root) {
  if (!ts_node_has_error(Root))
    return;
  // The first ERROR or MISSING node in document order that contains no other error: an outer
  // ERROR node often spans from the top of the file to well past the real problem.
  TSTreeCursor Cursor = ts_tree_cursor_new(Root);
  TSNode Found = Root;
  while (true) {
    bool Descended = false;
    if (ts_tree_cursor_goto_first_child(&Cursor)) {
      do {
        TSNode N = ts_tree_cursor_current_node(&Cursor);
        if (ts_node_is_missing(N) || ts_node_has_error(N)) {
          Found = N;
          Descended = true;
          break;
        }
      } while (ts_tree_cursor_goto_next_sibling(&Cursor));
    }
    if (!Descended || ts_node_is_missing(Found))
      break;
  }
  ts_tree_cursor_delete(&Cursor);
  TextRange R = rangeOf(Found);
  std::string Message;
  llvm::raw_string_ostream OS(Message);
  // tree-sitter's grammar is not CPython's: it rejects a few valid oddities, so the message
  // says what memlint knows (it could not parse the file) rather than claiming a SyntaxError.
  OS << "memlint cannot parse this file: ";
  if (ts_node_is_missing(Found)) {
    OS << "expected `" << ts_node_type(Found) << "`";
  } else {
    StringRef Snippet = Src.slice(R).take_until([](char C) { return C == '\n' || C == '\r'; }).trim();
    if (Snippet.size() > 40)
      Snippet = Snippet.take_front(40);
    if (Snippet.empty())
      OS << "unexpected end of input";
    else
      OS << "unexpected `" << Snippet << "`";
  }
  noteError({R.Begin, R.Begin}, OS.str());
}

/// Whether a node of this kind can contain the start of a statement or clause: the module, a
/// block, a compound statement, a clause or a definition. Simple statements and expressions
/// (most of the tree) cannot.
static bool mayHoldStatements(SyntaxKind Kind) {
  switch (Kind) {
  case SyntaxKind::Module:
  case SyntaxKind::Block:
  case SyntaxKind::IfStatement:
  case SyntaxKind::ForStatement:
  case SyntaxKind::WhileStatement:
  case SyntaxKind::TryStatement:
  case SyntaxKind::WithStatement:
  case SyntaxKind::MatchStatement:
  case SyntaxKind::ElifClause:
  case SyntaxKind::ElseClause:
  case SyntaxKind::ExceptClause:
  case SyntaxKind::FinallyClause:
  case SyntaxKind::CaseClause:
  case SyntaxKind::FunctionDefinition:
  case SyntaxKind::ClassDefinition:
  case SyntaxKind::DecoratedDefinition:
    return true;
  default:
    return false;
  }
}

void Lowering::checkIndentation(TSNode Root) {
  // tree-sitter's scanner accepts indentation that CPython's tokenizer rejects (an indented
  // line after a simple statement, a dedent to a level never used, tabs and spaces that agree
  // only for one tab size), so such files would be analyzed as if they ran. This replays
  // CPython's algorithm over the lines that start a statement or a clause. Only on a clean
  // tree: inside an ERROR region the block structure says nothing.
  if (ts_node_has_error(Root))
    return;
  std::vector<uint32_t> IndentStack = {0}, AltStack = {0}; // tab = 8 columns / tab = 1 column
  uint32_t Previous = UINT32_MAX;
  auto Visit = [&](uint32_t Start, bool OpensBlock) {
    if (Start == Previous)
      return true; // a decorated definition starts with its first decorator
    Previous = Start;
    uint32_t LineBegin = Src.lineStart(Src.lineOf(Start));
    uint32_t Col = 0, AltCol = 0;
    for (char C : Src.text().slice(LineBegin, Start)) {
      if (C == ' ') {
        ++Col, ++AltCol;
      } else if (C == '\t') {
        Col = (Col / 8 + 1) * 8;
        ++AltCol;
      } else if (C == '\f') {
        Col = AltCol = 0;
      } else {
        return true; // not the first token on its line (`if x: y`, `a; b`)
      }
    }
    auto TabError = [&] {
      noteError({LineBegin, LineBegin},
                "TabError: inconsistent use of tabs and spaces in indentation");
      return false;
    };
    if (Col == IndentStack.back())
      return AltCol == AltStack.back() || TabError();
    if (Col > IndentStack.back()) {
      if (AltCol <= AltStack.back())
        return TabError();
      if (!OpensBlock) {
        noteError({Start - 1, Start - 1}, "IndentationError: unexpected indent");
        return false;
      }
      IndentStack.push_back(Col);
      AltStack.push_back(AltCol);
      return true;
    }
    while (IndentStack.size() > 1 && Col < IndentStack.back()) {
      IndentStack.pop_back();
      AltStack.pop_back();
    }
    if (Col != IndentStack.back()) {
      uint32_t End = Src.lineEnd(Src.lineOf(Start));
      noteError({End, End},
                "IndentationError: unindent does not match any outer indentation level");
      return false;
    }
    return AltCol == AltStack.back() || TabError();
  };
  // Pre-order walk without recursion (blocks nest thousands deep in hostile input). A frame
  // per open node: its kind and whether a statement has been seen in it yet.
  struct Frame {
    SyntaxKind Kind;
    bool SawStatement;
  };
  std::vector<Frame> Parents;
  TSTreeCursor Cursor = ts_tree_cursor_new(Root);
  while (true) {
    TSNode N = ts_tree_cursor_current_node(&Cursor);
    SyntaxKind Kind = kindOf(N);
    bool Continue = true;
    if (!Parents.empty() && ts_node_is_named(N) && Kind != SyntaxKind::Comment) {
      Frame &Parent = Parents.back();
      bool InBlock = Parent.Kind == SyntaxKind::Module || Parent.Kind == SyntaxKind::Block;
      bool Clause = Kind == SyntaxKind::ElseClause || Kind == SyntaxKind::ElifClause ||
                    Kind == SyntaxKind::ExceptClause || Kind == SyntaxKind::FinallyClause;
      bool DecoratedLine = Parent.Kind == SyntaxKind::DecoratedDefinition;
      if (InBlock || Clause || DecoratedLine) {
        bool First = InBlock && Parent.Kind == SyntaxKind::Block && !Parent.SawStatement;
        if (InBlock)
          Parent.SawStatement = true;
        Continue = Visit(ts_node_start_byte(N), First);
      }
    }
    if (!Continue)
      break;
    if (mayHoldStatements(Kind) && ts_tree_cursor_goto_first_child(&Cursor)) {
      Parents.push_back({Kind, false});
      continue;
    }
    bool Done = false;
    while (!ts_tree_cursor_goto_next_sibling(&Cursor)) {
      if (!ts_tree_cursor_goto_parent(&Cursor)) {
        Done = true;
        break;
      }
      Parents.pop_back();
    }
    if (Done)
      break;
  }
  ts_tree_cursor_delete(&Cursor);
}

void Lowering::run() {
  TSNode Root = ts_tree_root_node(Tree);
  findFirstSyntaxError(Root);
  checkIndentation(Root);
  pushScope(ScopeKind::Module, "<module>");
  M.ModuleScope = Current->S;
  M.TopLevel = lowerBlock(Root);
  resolveNames();
  buildEvents();

  SmallVector<const Scope *, 32> All;
  for (auto &B : Builders)
    All.push_back(B->S);
  M.AllScopes = copy<const Scope *>(All);
  M.Classes = copy<const ClassDef *>(Classes);
  M.Functions = copy<const FunctionDef *>(Functions);
  M.Imports = copy<const ImportStmt *>(Imports);
  M.ImportFroms = copy<const ImportFromStmt *>(ImportFroms);
  if (TooDeep)
    FirstError = SyntaxError{{0, 0},
                             "memlint cannot analyze this file: nested more than " +
                                 std::to_string(Options.MaxDepth) + " levels deep"};
  M.Error = std::move(FirstError);
}

} // namespace ir

std::optional<SyntaxError> checkEncoding(const SourceFile &Source) {
  StringRef Text = Source.text();
  if (Text.startswith("\xFF\xFE") || Text.startswith("\xFE\xFF"))
    return SyntaxError{{0, 2}, "file is UTF-16 encoded (byte order mark); Python source must be UTF-8"};
  size_t Bad = findInvalidUtf8(Text);
  if (Bad != StringRef::npos) {
    std::string Message;
    llvm::raw_string_ostream OS(Message);
    OS << "invalid UTF-8 byte 0x"
       << llvm::format_hex_no_prefix(static_cast<unsigned char>(Text[Bad]), 2)
       << "; memlint reads Python source as UTF-8";
    // PEP 263: a coding cookie in the first two lines names another encoding.
    for (uint32_t Line = 1; Line <= std::min(2u, Source.lineCount()); ++Line) {
      StringRef L = Source.lineText(Line);
      size_t At = L.find("coding");
      if (L.ltrim().startswith("#") && At != StringRef::npos && At + 6 < L.size() &&
          (L[At + 6] == ':' || L[At + 6] == '=')) {
        StringRef Encoding = L.substr(At + 7).ltrim().take_while(
            [](char C) { return llvm::isAlnum(C) || C == '-' || C == '_' || C == '.'; });
        OS << " (the file declares `" << Encoding << "`, which memlint does not decode)";
        break;
      }
    }
    return SyntaxError{{static_cast<uint32_t>(Bad), static_cast<uint32_t>(Bad + 1)}, OS.str()};
  }
  size_t Nul = Text.find('\0');
  if (Nul != StringRef::npos)
    return SyntaxError{{static_cast<uint32_t>(Nul), static_cast<uint32_t>(Nul + 1)},
                       "source code cannot contain null bytes"};
  return std::nullopt;
}

std::unique_ptr<Module> lowerModule(std::shared_ptr<const SourceFile> Source, TSTree *Tree,
                                    const LowerOptions &Options) {
  auto M = std::make_unique<Module>(std::move(Source));
  Lowering L(*M, Tree, Options);
  L.run();
  return M;
}

std::unique_ptr<Module> parseAndLower(Parser &P, std::shared_ptr<const SourceFile> Source,
                                      const LowerOptions &Options) {
  TreePtr Tree = P.parse(*Source);
  return lowerModule(std::move(Source), Tree.get(), Options);
}

} // namespace memlint
