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

/// What a list is built from. Iterables are what the loop must not change at all (a list of a
/// dict's keys is a snapshot the loop may delete from); values read by the element or the
/// conditions only matter if something really mutates them, not merely if they are passed on.
struct ListSource {
  const ir::Expr *Read;
  bool Iterated;
};

/// Every name or attribute chain the list reads whose binding lives outside the list expression:
/// comprehension iterables, conditions and element, the arguments of a lazy call and what its
/// lambda reads.
void sourcesOf(const ir::Module &M, const ir::Expr *ListExpr,
               llvm::SmallVectorImpl<ListSource> &Sources);

/// True if anything in Region (restricted to Window) may change a source: stores or deletes
/// through it, calls of its methods other than read-only ones (or of methods of an object it
/// hangs off), passing an iterated source to a call, or any call of project code when an iterated
/// source is module-level state.
bool mayMutateSources(const ir::Module &M, llvm::ArrayRef<ListSource> Sources, ir::Body Region,
                      TextRange Window = {0, UINT32_MAX});

/// Fix helpers: `[...]` -> `(...)` and `list(x)` -> `x` (or the bare generator).
void addBracketsToParens(const ModuleContext &Ctx, Fix &F, const ir::Expr *ListComp);
void addUnwrapListCall(const ModuleContext &Ctx, Fix &F, const ir::CallExpr *ListCall);

/// "`sum()`" for messages.
std::string callDisplayName(const ModuleContext &Ctx, const ir::CallExpr *Call);

} // namespace memlint::gen
