//===- SLT007ImmutableSubclassWithoutSlots.cpp -------------------------------===//
#include "rules/slt/SltRules.h"
#include "rules/slt/SltSupport.h"

namespace memlint::slt {

static const RuleInfo Info{
    "SLT007",
    "immutable-subclass-without-slots",
    "SLT",
    "A subclass of str, bytes, int, tuple or a namedtuple does not set `__slots__ = ()`",
    R"md(## What it does
Flags a class whose only base is `str`, `bytes`, `int`, `tuple`, a `collections.namedtuple(...)`
/ `typing.NamedTuple(...)` call, a name bound to one (in any module of the project), a
`class P(typing.NamedTuple)` class, or a slotted project class that derives from one of these,
when the class does not set `__slots__` and never assigns attributes on its instances
(flake8-slots SLOT000-SLOT002, made hierarchy-aware).

## Why is this bad?
These bases keep their value in the object itself and have no `__dict__`; a subclass without
`__slots__` adds one. On CPython 3.11 that is 8 more bytes per instance (24 for `str`
subclasses, which also gain a `__weakref__` slot), measured with `tracemalloc` over 100,000
instances, and a whole dict (over 300 bytes) as soon as something sets an attribute. Value types
like these are typically created by the million. A `namedtuple` subclass without `__slots__`
also silently accepts typos such as `p.lenght = 3`.

## Example
```python
from collections import namedtuple

class Point(namedtuple("Point", "x y")):
    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5
```

Use instead:
```python
class Point(namedtuple("Point", "x y")):
    __slots__ = ()

    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5
```

## Fix safety
The fix inserts `__slots__ = ()` as the first statement of the body (after the docstring). It
is safe for `bytes`, `int`, `tuple` and namedtuple subclasses, which cannot be weakly referenced
either way, given that no code outside the project sets attributes on instances. It is unsafe
for `str` subclasses: without the `__weakref__` slot, `weakref.ref(instance)` stops working.

## Not flagged
Classes that assign attributes on `self` or otherwise use the instance dict, classes with more
bases (an `Enum` mixin such as `class Color(str, Enum)`, or another base that keeps a dict
anyway), a metaclass or a class decorator, and `class P(typing.NamedTuple)` itself: the class
that `NamedTuple` builds already has `__slots__ = ()` (and may not set it).
)md",
    Severity::Warning,
    true,
    FixAvailability::Sometimes,
    /*ProjectWide=*/true};

namespace {

enum class BaseKind : uint8_t { None, Str, Bytes, Int, Tuple, NamedTuple };

llvm::StringRef describe(BaseKind K) {
  switch (K) {
  case BaseKind::Str:
    return "`str`";
  case BaseKind::Bytes:
    return "`bytes`";
  case BaseKind::Int:
    return "`int`";
  case BaseKind::Tuple:
    return "`tuple`";
  case BaseKind::NamedTuple:
    return "a namedtuple";
  case BaseKind::None:
    break;
  }
  return "";
}

bool isNamedTupleFactory(const ModuleSummary &M, llvm::StringRef Callee) {
  return importedName(M, Callee, "collections", "namedtuple") ||
         importedName(M, Callee, "typing", "NamedTuple") ||
         importedName(M, Callee, "typing_extensions", "NamedTuple");
}

class ImmutableSubclassWithoutSlots : public Rule {
public:
  ImmutableSubclassWithoutSlots() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    SlotsView View(Ctx.index());
    for (const ClassRef &C : Ctx.index().classes())
      check(Ctx, View, C);
  }

private:
  void check(ProjectContext &Ctx, const SlotsView &View, const ClassRef &C) const {
    const ClassSummary &CS = *C.Class;
    if (CS.Slots != ir::SlotsKind::Absent || CS.Dataclass || !CS.Shape.ClassKeywords.empty() ||
        !CS.Shape.NeedsDict.empty() || CS.Shape.BaseShapes.size() != CS.Bases.size())
      return;
    for (const std::string &D : CS.Decorators)
      if (!isLayoutNeutralDecorator(D))
        return;
    for (const MethodSummary &M : CS.Methods)
      if (!selfAttributeStores(M).empty())
        return;
    BaseKind Kind = BaseKind::None;
    for (size_t I = 0; I < CS.Bases.size(); ++I) {
      const BaseShapeFact &B = CS.Shape.BaseShapes[I];
      if (B.Form == '[' && View.isEmptySlottedLibraryBase(*C.Module, B))
        continue; // Generic[T]
      if (Kind != BaseKind::None)
        return; // a second base: an Enum mixin or one that keeps a dict anyway
      Kind = kindOf(View, *C.Module, B, CS.Bases[I], 0);
      if (Kind == BaseKind::None)
        return;
    }
    if (Kind == BaseKind::None)
      return;
    unsigned Extra = Kind == BaseKind::Str ? 24 : 8;
    std::string Message = "`" + CS.Name + "` subclasses " + describe(Kind).str() +
                          " without `__slots__ = ()`: every instance gets a `__dict__` the "
                          "immutable base does not need (" +
                          std::to_string(Extra) +
                          " more bytes per instance on CPython 3.11, and a whole dict once "
                          "anything sets an attribute)";
    Diagnostic &D = Ctx.report(Info, *C.Module, CS.NameWhere, std::move(Message));
    if (CS.Shape.SlotsLineText.empty())
      return;
    Fix F;
    F.Title = "Add `__slots__ = ()`";
    F.Safety = Kind == BaseKind::Str ? Applicability::Unsafe : Applicability::Safe;
    Edit E;
    E.Range = CS.Shape.SlotsLineAt.Range;
    E.Start = CS.Shape.SlotsLineAt.Start;
    E.End = CS.Shape.SlotsLineAt.End;
    E.Replacement = CS.Shape.SlotsLineText;
    F.Edits.push_back(std::move(E));
    D.FixIt = std::move(F);
  }

  static BaseKind kindOf(const SlotsView &View, const ModuleSummary &M, const BaseShapeFact &B,
                         llvm::StringRef Written, unsigned Depth) {
    if (Depth > 8)
      return BaseKind::None;
    if (B.Form == '(')
      return isNamedTupleFactory(M, B.Head) ? BaseKind::NamedTuple : BaseKind::None;
    if (B.Form != ' ')
      return BaseKind::None;
    if (B.Head == "builtins.str")
      return BaseKind::Str;
    if (B.Head == "builtins.bytes")
      return BaseKind::Bytes;
    if (B.Head == "builtins.int")
      return BaseKind::Int;
    if (B.Head == "builtins.tuple")
      return BaseKind::Tuple;
    if (isNamedTupleGlobal(View.index(), M, Written, 0))
      return BaseKind::NamedTuple;
    const ClassRef *P = View.index().resolveClass(M, Written);
    if (!P || P->Class->Shape.BaseShapes.size() != P->Class->Bases.size())
      return BaseKind::None;
    const ClassSummary &PS = *P->Class;
    // class P(typing.NamedTuple): P is the namedtuple class itself (slotted by NamedTuple).
    for (size_t I = 0; I < PS.Bases.size(); ++I)
      if (PS.Shape.BaseShapes[I].Form == ' ' &&
          (importedName(*P->Module, PS.Shape.BaseShapes[I].Head, "typing", "NamedTuple") ||
           importedName(*P->Module, PS.Shape.BaseShapes[I].Head, "typing_extensions",
                        "NamedTuple")))
        return BaseKind::NamedTuple;
    // A slotted project class over one of these: C is the only hole.
    if (PS.Slots != ir::SlotsKind::Static || !PS.Shape.ClassKeywords.empty())
      return BaseKind::None;
    BaseKind Found = BaseKind::None;
    for (size_t I = 0; I < PS.Bases.size(); ++I) {
      if (PS.Shape.BaseShapes[I].Form == '[' &&
          View.isEmptySlottedLibraryBase(*P->Module, PS.Shape.BaseShapes[I]))
        continue;
      if (Found != BaseKind::None)
        return BaseKind::None;
      Found = kindOf(View, *P->Module, PS.Shape.BaseShapes[I], PS.Bases[I], Depth + 1);
    }
    return Found;
  }

  /// `Name` is a module-level `Name = namedtuple(...)` in M or, through imports, elsewhere.
  static bool isNamedTupleGlobal(const ProjectIndex &Index, const ModuleSummary &M,
                                 llvm::StringRef Name, unsigned Depth) {
    if (Depth > 8)
      return false;
    for (const GlobalInstanceFact &G : M.GlobalInstances)
      if (G.Name == Name)
        return isNamedTupleFactory(M, G.TypeName);
    auto [Head, Rest] = Name.split('.');
    for (const ImportFact &I : M.Imports) {
      if (I.LocalName != Head)
        continue;
      if (I.Name.empty()) { // import pkg.types as t -> t.Point
        if (const ModuleSummary *Target = Index.module(I.Module); Target && !Rest.empty())
          return isNamedTupleGlobal(Index, *Target, Rest, Depth + 1);
        return false;
      }
      if (const ModuleSummary *Target = Index.module(I.Module); Target && Rest.empty())
        return isNamedTupleGlobal(Index, *Target, I.Name, Depth + 1);
      return false;
    }
    return false;
  }
};

} // namespace

std::unique_ptr<Rule> createImmutableSubclassWithoutSlots() {
  return std::make_unique<ImmutableSubclassWithoutSlots>();
}

} // namespace memlint::slt
