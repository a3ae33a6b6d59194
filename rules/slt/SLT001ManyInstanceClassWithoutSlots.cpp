//===- SLT001ManyInstanceClassWithoutSlots.cpp -------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

namespace memlint::slt {

static const RuleInfo Info{"SLT001",
                           "many-instance-class-without-slots",
                           "SLT",
                           "A plain data-holder class created many times has no `__slots__`",
                           R"md(## What it does
Flags a class without `__slots__` that only holds a fixed set of attributes and that the
project instantiates many times: inside a loop, a comprehension or `map(Class, ...)`, anywhere
in the project (the class and its use may live in different modules). The message names the
attributes the `__slots__` would list and estimates the saving per instance.

## Why is this bad?
Every instance of a class without `__slots__` can grow new attributes, so CPython gives it a
per-instance attribute dictionary (and a `__weakref__` slot). With `__slots__` the attributes
are fixed-offset fields in the object itself. Measured on CPython 3.11 with `tracemalloc` over
100,000 instances whose `__init__` sets N attributes:

| N | with `__dict__` | with `__slots__` |
|---|---|---|
| 2 | 88 bytes | 48 bytes |
| 5 | 112 bytes | 72 bytes |
| 10 | 160 bytes | 112 bytes |
| 30 or more | 1640 bytes (no more key sharing) | 272 bytes and up |

(3.11 already stores the values of a not-yet-materialised `__dict__` compactly; touching
`obj.__dict__` or `vars(obj)` costs about 64 bytes more per instance.) A million 2-attribute
points are 40 MB smaller with slots; slotted attribute access is also slightly faster.

## Example
```python
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

points = [Point(x, y) for x, y in rows]
```

Use instead:
```python
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y
```

## Not flagged
- Classes whose instances need a `__dict__`: anything in the class uses `__dict__`,
  `vars(obj)`, `setattr`/`delattr`, defines `__getattr__`, `__setattr__`, `__getattribute__`,
  `__getstate__`/`__setstate__`/`__reduce__`, or a `functools.cached_property`; methods other
  than `__init__` that assign new attributes; code elsewhere in the project that sets other
  attributes on instances.
- Classes with a base that is not slotted or not known (a library class, `Exception`, `Enum`,
  `Protocol`, `NamedTuple`, `TypedDict`, ...), a metaclass or class keyword, or decorators other
  than `functools.total_ordering` / `typing.final`: `object`, `abc.ABC` and `typing.Generic`
  are fine. A project base without `__slots__` would keep the dict anyway.
- Classes with a subclass that needs a dict, or that is combined with another base that has
  non-empty slots (`__slots__` in both raises "multiple bases have instance lay-out conflict").
- Attributes that share a name with a class variable, property or method (slots would clash).
- Dataclasses: see SLT002.
- Classes never created in a loop or comprehension: a handful of instances saves nothing.
)md",
                           Severity::Warning,
                           true,
                           FixAvailability::None,
                           /*ProjectWide=*/true};

namespace {

class ManyInstanceClassWithoutSlots : public Rule {
public:
  ManyInstanceClassWithoutSlots() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    SlotsView View(Ctx.index());
    for (const ClassRef &C : Ctx.index().classes()) {
      if (C.Class->Dataclass)
        continue;
      std::optional<DataHolder> Holder = manyInstanceDataHolder(View, C);
      if (!Holder)
        continue;
      std::vector<std::string> Slots = Holder->Attributes;
      if (Holder->NeedsWeakref)
        Slots.push_back("__weakref__");
      unsigned Own = Holder->Attributes.size();
      InstanceBytes Bytes = estimateInstanceBytes(Own);
      unsigned WithDict = Bytes.WithDict + 8 * Holder->InheritedSlots;
      unsigned WithSlots =
          Bytes.WithSlots + 8 * Holder->InheritedSlots + (Holder->NeedsWeakref ? 8 : 0);
      std::string Message = "`" + C.Class->Name + "` is instantiated " +
                            describeEvidence(*Holder->Evidence, *Holder->EvidenceModule) +
                            " but has no `__slots__`: each instance carries a `__dict__` for its " +
                            std::to_string(Own) + (Own == 1 ? " attribute" : " attributes") +
                            "; `__slots__ = " + slotsTuple(Slots) + "` would make it about " +
                            std::to_string(WithSlots) + " instead of " + std::to_string(WithDict) +
                            " bytes on CPython 3.11";
      Diagnostic &D = Ctx.report(Info, *C.Module, C.Class->NameWhere, std::move(Message));
      Ctx.addRelated(D, *Holder->EvidenceModule, Holder->Evidence->Where,
                     "instances are created here");
    }
  }
};

} // namespace

std::unique_ptr<Rule> createManyInstanceClassWithoutSlots() {
  return std::make_unique<ManyInstanceClassWithoutSlots>();
}

} // namespace memlint::slt
