//===- SLT003SlotsDefeatedByBase.cpp -----------------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace memlint::slt {

static const RuleInfo Info{
    "SLT003",
    "slots-defeated-by-base",
    "SLT",
    "A class declares `__slots__` but a project base has none, so instances keep a `__dict__`",
    R"md(## What it does
Flags a class that declares `__slots__` (or `@dataclass(slots=True)`) while one of its bases in
the project, direct or further up, does not. The base may live in another module; the message
names it and its file.

## Why is this bad?
`__slots__` only removes the per-instance `__dict__` when every class in the hierarchy
declares `__slots__`. One base without it gives every instance of every subclass a `__dict__`
(and a `__weakref__` slot) again, so the author pays for `__slots__` (no dynamic attributes)
without the memory saving: the subclass's own slot attributes leave the dict, but the dict
itself, 104 bytes or more once materialised, stays.

## Example
```python
# shapes/base.py
class Shape:
    def area(self): ...

# shapes/circle.py
from shapes.base import Shape

class Circle(Shape):
    __slots__ = ("r",)
```

Use instead:
```python
class Shape:
    __slots__ = ()

    def area(self): ...
```

## Not flagged
Classes that list `__dict__` in their own `__slots__` (they ask for the dict), bases outside
the project (the fix would not be in your code), and project bases whose layout memlint cannot
know: with a metaclass, a class decorator, or a library base (`typing.NamedTuple` classes have
no `__dict__` although their body has no `__slots__`).
When the unslotted base needs its dict itself (it uses `__dict__`, `setattr`,
`__getattr__`, ...), the message says so instead of suggesting `__slots__ = ()`.
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class SlotsDefeatedByBase : public Rule {
public:
  SlotsDefeatedByBase() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    const ProjectIndex &Index = Ctx.index();
    SlotsView View(Index);
    for (const ClassRef &C : Index.classes()) {
      const ClassSummary &CS = *C.Class;
      if (!SlotsView::declaresSlots(CS) || llvm::is_contained(CS.SlotNames, "__dict__"))
        continue;
      const ClassRef *Culprit = firstUnslottedAncestor(Index, C);
      if (!Culprit || !isPlainClass(View, *Culprit))
        continue;
      const ClassSummary &B = *Culprit->Class;
      std::string Where = Culprit->Module->Path + ":" + std::to_string(B.NameWhere.Start.Line);
      std::string Message = "`__slots__` in `" + CS.Name + "` does not remove the instance " +
                            "`__dict__`: its base `" + B.Name + "` (" + Where +
                            ") has no `__slots__`, so every `" + CS.Name + "` still carries a dict";
      if (B.Shape.NeedsDict.empty())
        Message += "; add `__slots__ = ()` (or the attributes it sets) to `" + B.Name + "`";
      else
        Message += ", which `" + B.Name + "` needs (" + B.Shape.NeedsDict + ")";
      Diagnostic &D = Ctx.report(Info, *C.Module, CS.NameWhere, std::move(Message));
      Ctx.addRelated(D, *Culprit->Module, B.NameWhere, "`" + B.Name + "` has no `__slots__`");
    }
  }

private:
  /// A class whose instances certainly have a `__dict__` because it lacks `__slots__`: no
  /// metaclass or class decorator that could build it differently (typing.NamedTuple,
  /// attrs), and only bases whose layout is known.
  static bool isPlainClass(const SlotsView &View, const ClassRef &B) {
    const ClassSummary &BS = *B.Class;
    if (!BS.Shape.ClassKeywords.empty())
      return false;
    for (const std::string &D : BS.Decorators)
      if (!isLayoutNeutralDecorator(D) && D != "dataclass" && D != "dataclasses.dataclass")
        return false;
    std::vector<const ClassRef *> Bases;
    return View.resolveBases(B, Bases);
  }

  /// The nearest project ancestor (breadth-first, as the MRO mostly is) without slots.
  static const ClassRef *firstUnslottedAncestor(const ProjectIndex &Index, const ClassRef &C) {
    llvm::SmallVector<const ClassRef *, 8> Work{&C};
    llvm::SmallPtrSet<const ClassSummary *, 8> Seen{C.Class};
    for (size_t I = 0; I < Work.size() && I < 64; ++I)
      for (const ClassRef *B : Index.bases(*Work[I])) {
        if (!Seen.insert(B->Class).second)
          continue;
        if (!SlotsView::declaresSlots(*B->Class))
          return B;
        Work.push_back(B);
      }
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Rule> createSlotsDefeatedByBase() {
  return std::make_unique<SlotsDefeatedByBase>();
}

} // namespace memlint::slt
