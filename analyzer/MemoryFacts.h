//===- MemoryFacts.h - per-module facts for the __slots__ and hotspot rules --===//
//
// The SLT rules decide whether a class should have `__slots__` (or must not) by looking at the
// whole hierarchy and at where the project creates instances, so the per-file phase records
// what they need in the summary: the shape of each class (bases as written, class variables,
// whatever makes instances need a `__dict__`, anchors for the fixes) and the class-like calls
// that run many times. The loop-aware walker is shared with the module rules of the MEM family.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Summary.h"
#include "frontend/IR.h"

#include "llvm/ADT/SmallVector.h"

namespace memlint {

/// Fills ClassSummary::Shape for every class and the module's instantiation facts. `Out` must
/// already hold one ClassSummary per class of `M`, in the module's order.
void summarizeMemoryFacts(const ir::Module &M, ModuleSummary &Out);

/// Which functools cache a decorator applies, following `import functools as ft` and
/// `from functools import lru_cache as memo`.
enum class FunctoolsCache : uint8_t { None, LruCache, Cache };

struct CacheDecorator {
  FunctoolsCache Kind = FunctoolsCache::None;
  bool Unbounded = false; // `cache`, `lru_cache(maxsize=None)`, `lru_cache(None)`
};

CacheDecorator classifyCacheDecorator(const ir::Module &M, const ir::Decorator &D);

/// The dotted name `Dotted` (as written in `M`) refers to `Module.Attr`, through an import.
bool refersTo(const ir::Module &M, llvm::StringRef Dotted, llvm::StringRef Module,
              llvm::StringRef Attr);

/// A pre-order walk that knows the loops enclosing each node within its function: the body (and
/// target) of a `for`, the test and body of a `while`, everything of a comprehension after its
/// first iterable. Function, lambda and class bodies start with no enclosing loop; the walker
/// enters them unless onStmt/onExpr says no.
class LoopWalker : public ir::Walker {
public:
  explicit LoopWalker(const ir::Module &M) : M(M) {}

  struct Loop {
    const ir::Stmt *Statement = nullptr; // a ForStmt or WhileStmt
    const ir::ComprehensionExpr *Comprehension = nullptr;
    /// Iterates a literal display or `range()` of a small literal bound: few iterations.
    bool FewIterations = false;
  };

  bool visitStmt(const ir::Stmt *S) final;
  bool visitExpr(const ir::Expr *E) final;

protected:
  const ir::Module &M;

  /// Hooks: return false to skip the node's children.
  virtual bool onStmt(const ir::Stmt *S) { return true; }
  virtual bool onExpr(const ir::Expr *E) { return true; }

  llvm::ArrayRef<Loop> loops() const { return Loops; }
  /// True inside at least one loop that may run many times.
  bool inManyIterationLoop() const { return innermostManyIterationLoop() != nullptr; }
  /// The innermost enclosing loop that may run many times, or null.
  const Loop *innermostManyIterationLoop() const;
  /// The innermost enclosing function, or null at module or class level.
  const ir::FunctionDef *function() const { return Function; }

private:
  llvm::SmallVector<Loop, 4> Loops;
  const ir::FunctionDef *Function = nullptr;

  bool fewIterations(const ir::Expr *Iter) const;
  template <typename Fn> void inNewFrame(const ir::FunctionDef *F, Fn &&Body);
};

} // namespace memlint
