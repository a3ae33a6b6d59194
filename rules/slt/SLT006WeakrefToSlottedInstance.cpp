//===- SLT006WeakrefToSlottedInstance.cpp ------------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

#include "llvm/ADT/DenseSet.h"

namespace memlint::slt {

static const RuleInfo Info{
    "SLT006",
    "weakref-to-slotted-instance",
    "SLT",
    "A method takes a weak reference to `self` but the slotted class has no `__weakref__` slot",
    R"md(## What it does
Flags `weakref.ref(self)`, `weakref.proxy(self)`, `weakref.finalize(self, ...)` and
`weakref.WeakMethod(self.method)` in a method of a class that the project instantiates when
the class and all its bases (across modules) declare `__slots__` and none lists `__weakref__`
(or, for `@dataclass(slots=True)`, none sets `weakref_slot=True`).

## Why is this bad?
Without a `__dict__` CPython also drops the `__weakref__` slot unless `__slots__` names it,
so the call raises `TypeError: cannot create weak reference to 'Node' object` (CPython 3.11)
when the method runs on an instance. This often appears right after adding `__slots__` to save
memory, or after replacing a strong back-reference by a weak one (WRF rules) in a slotted
class.

## Example
```python
import weakref

class Node:
    __slots__ = ("parent", "children")

    def add(self, child):
        child.parent = weakref.ref(self)
        self.children.append(child)
```

Use instead:
```python
class Node:
    __slots__ = ("parent", "children", "__weakref__")
```
(`@dataclass(slots=True, weakref_slot=True)` for a dataclass, Python 3.11+.)

## Not flagged
Classes with a base outside the project or without `__slots__` (instances then support weak
references), a dynamic `__slots__`, class keywords or decorators that may change the layout,
and classes the project never instantiates itself (a subclass may add `__weakref__`).
)md",
    Severity::Error,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class WeakrefToSlottedInstance : public Rule {
public:
  WeakrefToSlottedInstance() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    SlotsView View(Ctx.index());
    llvm::DenseSet<std::pair<const ModuleSummary *, uint32_t>> Reported;
    for (const ClassRef &C : Ctx.index().classes()) {
      if (!View.isInstantiated(C))
        continue;
      std::vector<const ClassRef *> Line;
      if (!View.ancestry(C, Line) || !fullySlottedWithoutWeakref(Line))
        continue;
      for (const ClassRef *A : Line)
        for (const SummaryLocation &At : A->Class->Shape.WeakrefsToSelf) {
          if (!Reported.insert({A->Module, At.Range.Begin}).second)
            continue;
          bool Dataclass = C.Class->Dataclass && C.Class->DataclassSlots;
          std::string Message =
              "this weak reference to `self` raises TypeError for `" + C.Class->Name +
              "` instances (cannot create weak reference): `" + C.Class->Name + "`" +
              (Line.size() > 1 ? " and its bases declare" : " declares") +
              " `__slots__` without `__weakref__`; " +
              (Dataclass ? "add `weakref_slot=True` to its `@dataclass`"
                         : "add \"__weakref__\" to the `__slots__` of `" + C.Class->Name + "`");
          Ctx.report(Info, *A->Module, At, std::move(Message));
        }
    }
  }

private:
  static bool fullySlottedWithoutWeakref(const std::vector<const ClassRef *> &Line) {
    for (const ClassRef *A : Line) {
      const ClassSummary &AS = *A->Class;
      if (!SlotsView::declaresSlots(AS) || AS.Slots == ir::SlotsKind::Dynamic ||
          !AS.Shape.ClassKeywords.empty())
        return false;
      for (const std::string &D : AS.Decorators)
        if (!isLayoutNeutralDecorator(D) && D != "dataclass" && D != "dataclasses.dataclass")
          return false;
      for (const std::string &S : SlotsView::ownSlots(AS))
        if (S == "__weakref__")
          return false;
    }
    return true;
  }
};

} // namespace

std::unique_ptr<Rule> createWeakrefToSlottedInstance() {
  return std::make_unique<WeakrefToSlottedInstance>();
}

} // namespace memlint::slt
