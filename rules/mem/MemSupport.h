//===- MemSupport.h - shared facts for the MEM (memory hotspot) family ------===//
//
// MEM rules ask two kinds of questions. "Does this run many times?" is answered by the
// loop-aware walker (analyzer/MemoryFacts.h) plus which names a loop rebinds on every pass.
// "What happens to this container?" is answered by classifying every use of a name or an
// attribute chain by its immediate context: a method call, a subscript store, a membership
// test, `len()`, passed to a call, returned, ... so a rule can say "nothing here ever removes
// entries" only when every use is one it understands.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/MemoryFacts.h"
#include "frontend/IR.h"
#include "rules/Rule.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace memlint::mem {

/// How an expression (a Name or an Attribute chain) is used by its parent.
enum class UseKind : uint8_t {
  Other,          // anything not listed: treated as "may do anything"
  Load,           // read as a value where nothing below applies (an alias, an operand, ...)
  Store,          // assignment target
  Delete,         // `del x`
  AugTarget,      // `x += ...`
  MethodCall,     // `x.method(...)`: Method, Call
  AttributeRead,  // `x.attr` not called
  SubscriptLoad,  // `x[k]`: Subscript
  SubscriptStore, // `x[k] = v`: Subscript, Statement
  SubscriptDel,   // `del x[k]`
  Membership,     // `k in x` / `k not in x`
  Len,            // `len(x)`
  Argument,       // passed to a call other than len(): Call
  Iterated,       // `for ... in x` or a comprehension's iterable
  Returned,       // `return x` / `yield x`
};

struct Use {
  UseKind Kind = UseKind::Other;
  llvm::StringRef Method;             // MethodCall, AttributeRead
  const ir::CallExpr *Call = nullptr; // MethodCall, Argument
  const ir::SubscriptExpr *Subscript = nullptr;
  const ir::Stmt *Statement = nullptr;       // the statement holding the use
  const ir::FunctionDef *Function = nullptr; // the enclosing function, if any
};

/// Every Name and Attribute node of a module, classified by its parent.
class UseMap {
public:
  explicit UseMap(const ir::Module &M);
  /// The use of E; Other for nodes it did not see.
  const Use &of(const ir::Expr *E) const;

private:
  llvm::DenseMap<const ir::Expr *, Use> Uses;
  Use Unknown;
  friend class UseCollector;
};

/// Symbols bound inside a loop on every pass: its targets, and every name the body assigns.
void collectLoopBindings(const LoopWalker::Loop &L, llvm::SmallPtrSetImpl<const ir::Symbol *> &Out);

/// True if E reads a name whose symbol is in Bound.
bool readsAny(const ir::Expr *E, const llvm::SmallPtrSetImpl<const ir::Symbol *> &Bound);

/// Whether an expression evidently produces text or bytes: a literal, an f-string, `str()`,
/// `"...".join()`, `.format()`, `%` on a literal, `.encode()`, `bytes()`, ...
enum class TextKind : uint8_t { Unknown, Str, Bytes };
TextKind textKindOf(const ir::Module &M, const ir::Expr *E);

/// `Call` calls the builtin `Name` (not shadowed, no star import).
bool isBuiltinCall(const ir::Module &M, const ir::CallExpr *Call, llvm::StringRef Name);

/// An expression that is a file object: `open(...)` / `io.open(...)` itself, `sys.stdin`, or a
/// name every binding of which is `open(...)` (assignment or `with open(...) as name`).
bool isOpenFile(const ir::Module &M, const ir::Expr *E);

/// Number of store/delete references of a symbol.
unsigned bindingsOf(const ir::Symbol *S);

/// "`text`" for short expressions, otherwise `Fallback`.
std::string quoteCode(llvm::StringRef Text, llvm::StringRef Fallback);

} // namespace memlint::mem
