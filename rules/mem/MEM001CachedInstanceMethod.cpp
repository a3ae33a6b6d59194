//===- MEM001CachedInstanceMethod.cpp ----------------------------------------===//
#include "rules/mem/MemRules.h"

namespace memlint::mem {

static const RuleInfo Info{
    "MEM001",
    "cached-instance-method",
    "MEM",
    "`functools.lru_cache` / `functools.cache` on an instance method keeps every `self` alive",
    R"md(## What it does
Flags `@functools.lru_cache` (with or without `maxsize`) and `@functools.cache` on instance
methods, also when imported under another name (`from functools import lru_cache as memo`).

## Why is this bad?
The cache belongs to the function, not to the instance: it is shared by all instances and
lives as long as the class. `self` is part of every cache key, so each instance the method was
called on stays alive (with everything it references) until its entries are evicted: after
`maxsize` (128 by default) newer calls, or never for `maxsize=None` / `@cache`. Objects that
should have been freed after a request or a test keep their memory; `__del__` and weakref
callbacks do not run. pytest (#9148), flake8 (#1573), airflow (#37757) and others removed such
caches for this reason.

## Example
```python
from functools import lru_cache

class Repository:
    def __init__(self, path):
        self.path = path

    @lru_cache(maxsize=None)
    def load(self, name):
        return parse(self.path / name)
```

Use instead:
```python
class Repository:
    def __init__(self, path):
        self.path = path
        self._loaded = {}

    def load(self, name):
        if name not in self._loaded:
            self._loaded[name] = parse(self.path / name)
        return self._loaded[name]
```
(or `functools.cached_property` for a value without arguments, or a module-level cached
function taking only the hashable data it needs).

## Not flagged
`@staticmethod` and `@classmethod` methods (no instance in the key), methods of `Enum`
classes, including enums whose `Enum` base is in another module of the project (their
instances are singletons that live forever anyway), and other caching decorators.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class CachedInstanceMethod : public Rule {
public:
  CachedInstanceMethod() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    const ProjectIndex &Index = Ctx.index();
    for (const ClassRef &C : Index.classes()) {
      const ClassSummary &CS = *C.Class;
      if (CS.Shape.CachedMethods.empty() || isEnum(Index, C))
        continue;
      for (const CachedFunctionFact &F : CS.Shape.CachedMethods) {
        if (F.Kind != ir::FunctionKind::Method)
          continue;
        std::string Message =
            "`@" + F.Decorator + "` on the method `" + CS.Name + "." + F.Function +
            "` puts `self` in every cache key: each instance it is called on stays alive, with "
            "everything it references, ";
        Message += F.Unbounded ? "for as long as the program runs (the cache is unbounded)"
                               : "until its entries are evicted from a cache shared by all "
                                 "instances";
        Message += "; cache per instance instead";
        Ctx.report(Info, *C.Module, F.Where, std::move(Message));
      }
    }
  }

private:
  static bool isEnum(const ProjectIndex &Index, const ClassRef &C) {
    for (llvm::StringRef Base : {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"})
      if (Index.derivesFrom(C, Base))
        return true;
    return false;
  }
};

} // namespace

std::unique_ptr<Rule> createCachedInstanceMethod() {
  return std::make_unique<CachedInstanceMethod>();
}

} // namespace memlint::mem
