//===- MEM002UnboundedFunctionCache.cpp --------------------------------------===//
#include "rules/mem/MemRules.h"
#include "rules/mem/MemSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::mem {

using namespace ir;

static const RuleInfo Info{
    "MEM002",
    "unbounded-function-cache",
    "MEM",
    "`@functools.cache` / `@lru_cache(maxsize=None)` on a function with open-ended arguments",
    R"md(## What it does
Flags `@functools.cache`, `@functools.lru_cache(maxsize=None)` and `@lru_cache(None)` on a
module-level function that takes arguments, unless every argument is annotated `bool` or
`Literal[...]` (a small, fixed set of keys).

## Why is this bad?
An unbounded cache never forgets: every distinct argument tuple and its result stay in memory
for the life of the process. For arguments drawn from an open-ended set (strings, paths,
objects, numbers) the cache grows with the input, and it keeps the argument objects alive too.
That is the right trade-off only when the set of arguments is known to be small.

This rule is informational: it cannot know how many distinct arguments a program uses.

## Example
```python
from functools import cache

@cache
def parse_header(raw: str) -> Header:
    ...
```

Use instead:
```python
from functools import lru_cache

@lru_cache(maxsize=1024)
def parse_header(raw: str) -> Header:
    ...
```

## Not flagged
Bounded `lru_cache` (the default `maxsize=128` or any number), functions without parameters (one
entry), functions whose parameters are all `bool` or `Literal[...]`, methods (see MEM001 for
the worse problem there), and functions nested in other functions.
)md",
    Severity::Info,
    true,
    FixAvailability::None};

namespace {

bool isBoundedAnnotation(const Module &M, const Expr *A) {
  if (!A)
    return false;
  llvm::StringRef Text = M.text(A).trim();
  return Text == "bool" || Text.startswith("Literal[") || Text.startswith("typing.Literal[");
}

class UnboundedFunctionCache : public Rule {
public:
  UnboundedFunctionCache() : Rule(Info) {}

  void checkModule(ModuleContext &Ctx) const override {
    const Module &M = Ctx.module();
    for (const FunctionDef *F : M.functions()) {
      if (F->EnclosingClass || !F->OwnScope->Parent ||
          F->OwnScope->Parent->Kind != ScopeKind::Module || F->Params.empty())
        continue;
      if (llvm::all_of(F->Params,
                       [&](const Parameter &P) { return isBoundedAnnotation(M, P.Annotation); }))
        continue;
      for (const Decorator &D : F->Decorators) {
        CacheDecorator Cache = classifyCacheDecorator(M, D);
        if (Cache.Kind == FunctoolsCache::None || !Cache.Unbounded)
          continue;
        Ctx.report(Info, D.Range,
                   "`@" + M.text(D.Value).str() + "` on `" + F->Name.str() +
                       "` grows without bound: the result for every distinct argument "
                       "combination, and the arguments themselves, stay in memory for the life "
                       "of the process; use `lru_cache(maxsize=N)` unless the arguments come "
                       "from a small fixed set");
      }
    }
  }
};

} // namespace

std::unique_ptr<Rule> createUnboundedFunctionCache() {
  return std::make_unique<UnboundedFunctionCache>();
}

} // namespace memlint::mem
