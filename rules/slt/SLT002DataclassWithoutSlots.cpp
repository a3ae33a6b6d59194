//===- SLT002DataclassWithoutSlots.cpp ---------------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint::slt {

static const RuleInfo Info{"SLT002",
                           "dataclass-without-slots",
                           "SLT",
                           "A dataclass created many times is not declared with `slots=True`",
                           R"md(## What it does
Flags a `@dataclass` without `slots=True` that the project instantiates many times (in a
loop, a comprehension or `map()`, anywhere in the project) and whose instances never need a
`__dict__`.

This rule assumes the project targets Python 3.10 or later, where `slots=True` exists.

## Why is this bad?
A regular dataclass instance keeps its fields in a per-instance `__dict__`. With `slots=True`
the decorator builds a class whose fields are fixed slots: on CPython 3.11 an instance with 2
fields takes 48 instead of 88 bytes, with 5 fields 72 instead of 112 (measured with
`tracemalloc`; see SLT001 for the table). For a million records that is 40 MB.

## Example
```python
from dataclasses import dataclass

@dataclass(frozen=True)
class Sample:
    timestamp: float
    value: float

samples = [Sample(t, v) for t, v in readings]
```

Use instead:
```python
@dataclass(frozen=True, slots=True)
class Sample:
    timestamp: float
    value: float
```

## Fix safety
The fix adds `slots=True` to the decorator. `slots=True` makes the decorator return a new
class, so it is marked unsafe when a method uses `super()` without arguments or `__class__`
(both still refer to the original class: `TypeError: super(type, obj): obj must be an instance
or subtype of type` on CPython 3.11), when the class takes weak references to its instances
(that also needs `weakref_slot=True`, Python 3.11+), and when a field's default is a call other
than `field(...)` (a descriptor default behaves differently). Otherwise it is safe, given that
code outside the project does not add attributes to instances.

## Not flagged
Dataclasses with `slots=` already given (`slots=False` is a decision), `**options`, a
`__slots__` of their own, methods that assign attributes that are not fields (such as
`self._cache = {}` in `__post_init__`), anything that needs an instance dict (`__dict__`,
`vars()`, `setattr()`, `functools.cached_property`, `__getattr__`, ...), a base that is not
itself slotted, other class decorators, and dataclasses never created in a loop.
)md",
                           Severity::Warning,
                           true,
                           FixAvailability::Sometimes,
                           /*ProjectWide=*/true};

namespace {

bool isFieldCall(llvm::StringRef Callee) {
  return Callee == "field" || Callee == "dataclasses.field";
}

class DataclassWithoutSlots : public Rule {
public:
  DataclassWithoutSlots() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    SlotsView View(Ctx.index());
    for (const ClassRef &C : Ctx.index().classes()) {
      const ClassSummary &CS = *C.Class;
      if (!CS.Dataclass)
        continue;
      std::optional<DataHolder> Holder = manyInstanceDataHolder(View, C);
      if (!Holder)
        continue;
      unsigned Own = Holder->Attributes.size();
      InstanceBytes Bytes = estimateInstanceBytes(Own);
      unsigned WithDict = Bytes.WithDict + 8 * Holder->InheritedSlots;
      unsigned WithSlots =
          Bytes.WithSlots + 8 * Holder->InheritedSlots + (Holder->NeedsWeakref ? 8 : 0);
      std::string Unsafe = unsafeReason(CS, *Holder);
      std::string Message = "dataclass `" + CS.Name + "` is instantiated " +
                            describeEvidence(*Holder->Evidence, *Holder->EvidenceModule) +
                            " without `slots=True`: each instance carries a `__dict__` for its " +
                            std::to_string(Own) + (Own == 1 ? " field" : " fields") +
                            "; with `slots=True` (Python 3.10+) it would take about " +
                            std::to_string(WithSlots) + " instead of " + std::to_string(WithDict) +
                            " bytes on CPython 3.11";
      if (!Unsafe.empty())
        Message += "; the fix is unsafe: " + Unsafe;
      Diagnostic &D = Ctx.report(Info, *C.Module, CS.NameWhere, std::move(Message));
      Ctx.addRelated(D, *Holder->EvidenceModule, Holder->Evidence->Where,
                     "instances are created here");
      if (CS.Shape.DataclassSlotsText.empty())
        continue;
      Fix F;
      F.Title = "Add `slots=True` to `@dataclass`";
      F.Safety = Unsafe.empty() ? Applicability::Safe : Applicability::Unsafe;
      std::string Text = CS.Shape.DataclassSlotsText;
      if (Holder->NeedsWeakref)
        Text.insert(Text.find("slots=True") + 10, ", weakref_slot=True");
      Edit E;
      E.Range = CS.Shape.DataclassSlotsAt.Range;
      E.Start = CS.Shape.DataclassSlotsAt.Start;
      E.End = CS.Shape.DataclassSlotsAt.End;
      E.Replacement = std::move(Text);
      F.Edits.push_back(std::move(E));
      D.FixIt = std::move(F);
    }
  }

private:
  static std::string unsafeReason(const ClassSummary &CS, const DataHolder &Holder) {
    if (CS.Shape.ZeroArgSuper)
      return "a method uses `super()` without arguments or `__class__`, which breaks on the "
             "new class `slots=True` creates";
    if (Holder.NeedsWeakref)
      return "it takes weak references to instances: also add `weakref_slot=True` (Python "
             "3.11+)";
    for (const ClassVariableFact &V : CS.Shape.Variables)
      if (V.Annotated && !V.ClassVar && !V.DefaultCallee.empty() && !isFieldCall(V.DefaultCallee))
        return "the default of `" + V.Name + "` is a call that may return a descriptor";
    return {};
  }
};

} // namespace

std::unique_ptr<Rule> createDataclassWithoutSlots() {
  return std::make_unique<DataclassWithoutSlots>();
}

} // namespace memlint::slt
