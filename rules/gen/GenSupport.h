//===- GenSupport.h - shared facts for the GEN family -----------------------===//
//
// GEN rules suggest replacing a list with a lazy iterator. Two questions decide whether that is
// both true and safe, and every GEN rule asks them the same way:
//  - is the list a snapshot? Iterating a dict while the loop deletes from it needs the list; so
//    a finding needs proof that nothing in the loop can mutate what the list was built from;
//  - would the rewrite change evaluation? A generator evaluates its items later and may stop
//    early (any/all), so a fix is safe only when the items' expressions have no calls.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "frontend/IR.h"
#include "rules/Rule.h"

namespace memlint::gen {

/// `Call` calls the builtin `Name` (not shadowed in the module, no star import).
bool isBuiltinCall(const ir::Module &M, const ir::CallExpr *Call, llvm::StringRef Name);

/// The builtin name a call resolves to, or empty.
llvm::StringRef builtinCallee(const ir::Module &M, const ir::CallExpr *Call);

/// A list comprehension whose semantics survive becoming a generator expression at all: not
/// async, no `await` inside (that would make it an async generator).
bool isConvertibleListComp(const ir::Expr *E);

/// No calls, awaits, yields or walrus in the element, the conditions, or any iterable after the
/// first (the first is evaluated eagerly either way).
bool isSideEffectFree(const ir::ComprehensionExpr *C);

/// `list(<lazy>)` where lazy is a call to builtin range/map/filter/zip/enumerate/reversed or a
/// generator expression: returns the lazy argument.
const ir::Expr *lazyArgumentOfListCall(const ir::Module &M, const ir::Expr *E);

/// The expressions a list is built from: every comprehension iterable, or the arguments of the
/// lazy call inside `list(...)`.
void sourcesOf(const ir::Module &M, const ir::Expr *ListExpr,
               llvm::SmallVectorImpl<const ir::Expr *> &Sources);

/// True if anything in Region (statements, or the part of a function between two offsets) may
/// mutate one of Sources: stores or deletes through them, method calls on them or on an object
/// they hang off, passing them to a call, or any call to project code when a source is a global.
bool mayMutateSources(const ir::Module &M, llvm::ArrayRef<const ir::Expr *> Sources,
                      ir::Body Region, TextRange Window = {0, UINT32_MAX});

/// Fix helpers: `[...]` -> `(...)` and `list(x)` -> `x` (or the bare generator).
void addBracketsToParens(const ModuleContext &Ctx, Fix &F, const ir::Expr *ListComp);
void addUnwrapListCall(const ModuleContext &Ctx, Fix &F, const ir::CallExpr *ListCall);

/// "`sum()`" for messages.
std::string callDisplayName(const ModuleContext &Ctx, const ir::CallExpr *Call);

} // namespace memlint::gen
