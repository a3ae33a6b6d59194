//===- SLT005AssignmentToUndeclaredSlot.cpp ----------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

#include "llvm/ADT/StringSet.h"

namespace memlint::slt {

static const RuleInfo Info{
    "SLT005",
    "assignment-to-undeclared-slot",
    "SLT",
    "A method assigns `self.x` but no class in the slotted hierarchy declares `x`",
    R"md(## What it does
Flags `self.name = value` in a method when the class and every base (across modules) declare
`__slots__`, none of them lists `name` (or `__dict__`), and nothing else in the hierarchy
defines `name` (a property, a descriptor, a class variable).

## Why is this bad?
Instances of a fully slotted hierarchy have no `__dict__`, so the assignment raises
`AttributeError: 'Order' object has no attribute 'total'` when the method runs. Often the slot
was forgotten when the attribute was added, or a base lost its `__slots__` entry in a refactor
(the bug spack fixed in spack/spack#52775 surfaced exactly this way). Private names are
compared after name mangling: `self.__x` in class `B` needs the slot `__x` declared in `B`
itself, not in a base.

## Example
```python
class Order:
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items
        self.total = sum(i.price for i in items)
```

Use instead:
```python
class Order:
    __slots__ = ("items", "total")
    ...
```

## Not flagged
Hierarchies with a base outside the project or without `__slots__` (instances then have a
`__dict__`), a dynamic `__slots__`, `__dict__` among the slots, a class that defines
`__setattr__` or otherwise redirects attribute access, names that are properties, methods or
class variables somewhere in the hierarchy, and classes that the project never instantiates
and that look like abstract bases or mixins (a subclass may add the slot), or that have project
subclasses.
)md",
    Severity::Error,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

bool looksAbstract(llvm::StringRef Name) {
  return Name.contains("Mixin") || Name.contains("Base") || Name.contains("Abstract") ||
         Name.contains("Interface") || Name.startswith("_");
}

class AssignmentToUndeclaredSlot : public Rule {
public:
  AssignmentToUndeclaredSlot() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    SlotsView View(Ctx.index());
    for (const ClassRef &C : Ctx.index().classes())
      check(Ctx, View, C);
  }

private:
  void check(ProjectContext &Ctx, const SlotsView &View, const ClassRef &C) const {
    const ClassSummary &CS = *C.Class;
    if (CS.Slots != ir::SlotsKind::Static && !(CS.Dataclass && CS.DataclassSlots))
      return;
    // Instances of C itself must exist: the project creates them, or C is a concrete leaf.
    if (!View.isInstantiated(C) &&
        (SlotsView::ownSlots(CS).empty() || looksAbstract(CS.Name) || !View.subclasses(C).empty()))
      return;
    std::vector<const ClassRef *> Line;
    if (!View.ancestry(C, Line))
      return;
    llvm::StringSet<> Declared, Defined;
    std::vector<std::string> DeclaredList;
    for (const ClassRef *A : Line) {
      const ClassSummary &AS = *A->Class;
      if (!AS.Shape.ClassKeywords.empty() || !AS.Shape.NeedsDict.empty())
        return;
      if (AS.Slots == ir::SlotsKind::Dynamic || !SlotsView::declaresSlots(AS))
        return;
      for (const std::string &D : AS.Decorators)
        if (!isLayoutNeutralDecorator(D) &&
            !(AS.Dataclass && (D == "dataclass" || D == "dataclasses.dataclass")))
          return;
      for (const std::string &S : SlotsView::ownSlots(AS)) {
        if (S == "__dict__")
          return;
        if (Declared.insert(S).second && S != "__weakref__")
          DeclaredList.push_back(S);
      }
      for (const ClassVariableFact &V : AS.Shape.Variables)
        Defined.insert(V.Name);
      for (const MethodSummary &M : AS.Methods)
        Defined.insert(M.Name);
    }
    // A method other than __init__ may only ever run on subclass instances that have the slot
    // (or a dict).
    llvm::StringSet<> SubclassSlots;
    bool SubclassHasDict = false;
    for (const ClassRef *Sub : View.subclasses(C)) {
      SubclassHasDict |= !SlotsView::declaresSlots(*Sub->Class);
      for (const std::string &S : SlotsView::ownSlots(*Sub->Class))
        SubclassSlots.insert(S);
    }
    llvm::StringSet<> Reported;
    for (const MethodSummary &M : CS.Methods)
      for (const StoreFact *S : selfAttributeStores(M)) {
        std::string Name = mangle(S->Attr, CS.Name);
        if (Declared.count(Name) || Defined.count(S->Attr) || Defined.count(Name))
          continue;
        if (M.Name != "__init__" && (SubclassHasDict || SubclassSlots.count(Name)))
          continue;
        if (!Reported.insert(Name).second)
          continue;
        std::string Message = "`self." + S->Attr + "` is not a slot: `" + CS.Name + "`" +
                              (Line.size() > 1 ? " and its bases declare" : " declares") +
                              " `__slots__` without `" + Name + "`";
        if (!DeclaredList.empty())
          Message += " (declared: " + listNames(DeclaredList) + ")";
        Message += ", so this assignment raises AttributeError";
        Ctx.report(Info, *C.Module, S->Where, std::move(Message));
      }
  }
};

} // namespace

std::unique_ptr<Rule> createAssignmentToUndeclaredSlot() {
  return std::make_unique<AssignmentToUndeclaredSlot>();
}

} // namespace memlint::slt
