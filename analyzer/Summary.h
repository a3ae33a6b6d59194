//===- Summary.h - what the project-wide phase needs from one module -------===//
//
// The per-file phase lowers a module, runs its module rules and distils this summary; the IR is
// then dropped. The project phase (index, reference graph, project rules) reads only summaries,
// so nothing in the per-file phase depends on another file, and a summary can be cached or
// produced elsewhere.
//
// Values are described by where they come from, relative to the method that stores them:
// `self`, a parameter, a new instance of a named class (with the origins of its constructor
// arguments), a bound method or closure over `self`, a caught exception.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Suppress.h"
#include "frontend/IR.h"
#include "frontend/Source.h"

#include <string>
#include <vector>

namespace memlint {

struct SummaryLocation {
  TextRange Range;
  Position Start, End;
};

enum class ValueKind : uint8_t {
  Unknown,
  Self,            // the receiver of the method
  Param,           // a parameter (index into the method's parameters, receiver included)
  Instance,        // a new instance: `TypeName(...)`
  SelfAttribute,   // `self.<Name>` read (an object self already holds)
  Global,          // a module-level name (`Name`) of this module
  BoundMethod,     // `<receiver>.<Method>` not called; receiver described by Receiver*
  Closure,         // lambda / nested def; CapturesSelf if it reads the receiver
  CaughtException, // the name bound by `except ... as name`
  Weak,            // weakref.ref / proxy / WeakMethod / finalize around something
  Other,           // a literal or any value that cannot point back at project objects
};

/// A constructor or method argument reduced to what can flow back: self, a parameter, a new
/// instance of a class, an attribute of self.
struct ArgumentFact {
  int Position = -1;   // positional index (not counting the receiver), or -1 for a keyword
  std::string Keyword;
  ValueKind Kind = ValueKind::Unknown;
  unsigned Param = 0;
  std::string Name; // Instance: class as written; SelfAttribute: attribute
  bool CapturesSelf = false; // Closure: a lambda or nested def that reads the receiver
};

struct ValueFact {
  ValueKind Kind = ValueKind::Unknown;
  unsigned Param = 0;    // Param
  std::string Name;      // Instance: class as written (dotted); SelfAttribute / Global: name;
                         // BoundMethod: method name
  ValueKind Receiver = ValueKind::Unknown; // BoundMethod: Self / Param / SelfAttribute / Global
  unsigned ReceiverParam = 0;
  std::string ReceiverName;
  bool CapturesSelf = false;            // Closure
  std::vector<ArgumentFact> Arguments;  // Instance: constructor arguments
  bool InContainer = false;             // the value sits inside a list/dict/tuple display
  std::string Local; // the single-assignment local it was read through (identity in a method)
};

enum class StoreKind : uint8_t {
  Attribute,    // <target>.<Attr> = value
  ContainerAdd, // <target>.<Attr>.append(value) / add / insert / setdefault / extend / update
  Subscript,    // <target>.<Attr>[key] = value
};

/// The object written to: `self`, a parameter, an attribute of self, or a module-level name.
struct TargetFact {
  ValueKind Kind = ValueKind::Unknown; // Self, Param, SelfAttribute, Global, Instance
  unsigned Param = 0;
  std::string Name;  // SelfAttribute / Global name; Instance class as written
  std::string Local; // for a local bound once to a new instance
};

struct StoreFact {
  StoreKind Kind = StoreKind::Attribute;
  TargetFact Target;
  std::string Attr; // the attribute receiving the value (or holding the container); empty for
                    // a container that is the target itself (`registry.append(x)`)
  ValueFact Value;
  SummaryLocation Where;
};

/// `receiver.method(args)` where the receiver is self, a parameter, an attribute of self or a
/// module-level name: how objects get stored through another object's method. Recorded only
/// when an argument can lead back to the caller (self, a parameter, a bound method or a closure
/// over self); most calls pass nothing of the kind, and keeping them all dominated the memory
/// of a project run.
struct CallFact {
  TargetFact Receiver;
  std::string Method;
  std::vector<ArgumentFact> Arguments;
  SummaryLocation Where;
};

/// An attribute of self set to None, deleted, or cleared (`.clear()`) in this method.
struct ClearFact {
  std::string Attr;
  SummaryLocation Where;
};

/// A caught exception (or anything whose traceback holds this frame) kept where the frame can
/// reach it again: `self.error = exc`, `errors.append(exc)`, `saved = exc`.
struct ExceptionKeepFact {
  std::string Description; // "self.error", "`errors`", ...
  std::string ExceptionName;
  SummaryLocation Where;
  SummaryLocation Handler;
};

/// A module-level `name = ClassName(...)`: a long-lived instance (an event bus, a registry).
struct GlobalInstanceFact {
  std::string Name;
  std::string TypeName;
};

struct ParameterFact {
  std::string Name;
  std::string Annotation; // dotted name when the annotation is one (`EventBus`, `"Node"` too)
};

struct MethodSummary {
  std::string Name;
  ir::FunctionKind Kind = ir::FunctionKind::Method;
  std::vector<ParameterFact> Params; // receiver included
  std::vector<StoreFact> Stores;
  std::vector<CallFact> Calls;
  std::vector<ClearFact> Clears;
  std::vector<std::string> Removes; // attributes of self that get .remove/.discard/.pop/del x[k]
  /// Module-level containers (`NAME`, `Class.attr`) that get .remove/.discard/.pop/.clear/del.
  std::vector<std::string> GlobalRemoves;
  bool IsProperty = false; // @property / @cached_property / @x.setter: `self.name` is a value
  std::vector<ExceptionKeepFact> KeptExceptions;
  SummaryLocation Where;

  bool isTeardown() const; // close, __exit__, __del__, dispose, ...
};

/// A name bound in a class body: `x = 0`, `x: int = 0`, `x: int`, `def x`, `class x`, imports.
struct ClassVariableFact {
  std::string Name;
  bool Annotated = false;    // `x: T`, with or without a value
  bool HasValue = false;     // bound when the class is created (not a bare annotation)
  bool ClassVar = false;     // annotated ClassVar[...] or InitVar[...]: not a dataclass field
  std::string DefaultCallee; // `x: T = f(...)`: `f`, dotted
};

/// A positional base as written. Head is the dotted name at its root: `collections.namedtuple`
/// for `namedtuple("P", "x y")`, `Generic` for `Generic[T]`, `builtins.tuple` for the builtin.
struct BaseShapeFact {
  std::string Head;
  char Form = ' '; // ' ' a dotted name, '(' a call, '[' a subscription, '?' anything else
};

/// `@functools.lru_cache` / `@functools.cache` on a function.
struct CachedFunctionFact {
  std::string Function;
  std::string Decorator;  // as written: `lru_cache(maxsize=None)`
  bool Unbounded = false; // `cache`, `lru_cache(maxsize=None)`
  ir::FunctionKind Kind = ir::FunctionKind::Method;
  SummaryLocation Where; // the decorator
};

/// How a class lays out its instances: what the __slots__ (SLT) and cache (MEM) rules need.
struct ClassShapeFacts {
  std::vector<BaseShapeFact> BaseShapes;  // parallel to ClassSummary::Bases
  std::vector<std::string> ClassKeywords; // `metaclass`, `total`, `*`, `**`
  std::vector<ClassVariableFact> Variables;
  /// Why instances need a `__dict__`, when the class says so (`self.__dict__`, `vars(self)`,
  /// `setattr(...)`, `__getattr__`, `functools.cached_property`, ...); empty otherwise.
  std::string NeedsDict;
  bool ZeroArgSuper = false;         // `super()` or `__class__` in a method
  bool DataclassSlotsGiven = false;  // @dataclass(slots=...) with any value, or **options
  bool DataclassWeakrefSlot = false; // @dataclass(weakref_slot=True)
  /// Fix anchors, valid when the Text is non-empty: inserting DataclassSlotsText at
  /// DataclassSlotsAt adds `slots=True` to the decorator; inserting SlotsLineText at
  /// SlotsLineAt adds an indented `__slots__ = ()` line as the body's first statement.
  SummaryLocation DataclassSlotsAt, SlotsLineAt;
  std::string DataclassSlotsText, SlotsLineText;
  std::vector<SummaryLocation> WeakrefsToSelf; // weakref.ref(self) / proxy / finalize / WeakMethod
  std::vector<CachedFunctionFact> CachedMethods;
};

/// A call of a class-like name where it runs many times: in a loop body, in a comprehension,
/// or as `map(Cls, ...)`. `cls(...)` in a classmethod is recorded as the enclosing class.
struct RepeatedCallFact {
  std::string Callee; // dotted, as written (or the enclosing class's qualified name)
  llvm::StringRef Context = "a loop"; // static text: "a loop", "a comprehension", "map()"
  SummaryLocation Where;
};

struct ClassSummary {
  std::string Name;
  std::string QualifiedName; // within the module
  std::vector<std::string> Bases; // dotted names as written (positional bases only)
  std::vector<std::string> Decorators;
  std::vector<MethodSummary> Methods;
  std::vector<std::string> WeakAttributes; // self.x = WeakSet() / WeakValueDictionary() / ...
  std::vector<GlobalInstanceFact> ClassAttributes; // `name = Factory(...)` in the class body
  /// Attributes that hold a builtin container: `self.x = []` / `{}` / `set()` / `defaultdict()`
  /// in a method, or `x = []` in the class body. `obj[k] = v` on anything else may be
  /// configuration (a Tk widget, a DataFrame), not a store.
  std::vector<std::string> ContainerAttributes;
  std::vector<std::string> ClassLevelAttributes; // names bound in the class body
  /// `self.<Attr>` resolves to a class attribute: bound in the class body, never on self.
  bool isClassLevel(llvm::StringRef Attr) const;
  ir::SlotsKind Slots = ir::SlotsKind::Absent;
  std::vector<std::string> SlotNames;
  bool Dataclass = false, DataclassSlots = false;
  ClassShapeFacts Shape;     // filled by summarizeMemoryFacts (MemoryFacts.h)
  SummaryLocation Where;     // the class statement
  SummaryLocation NameWhere; // the class name

  const MethodSummary *method(llvm::StringRef Name) const;
};

struct ImportFact {
  std::string LocalName; // the name bound in this module
  std::string Module;    // absolute module (relative imports resolved against this module)
  std::string Name;      // imported attribute, empty for `import module`
};

struct ModuleSummary {
  std::string Path;       // display path
  std::string ModuleName; // dotted, from the package layout
  bool IsPackage = false; // an __init__.py
  std::vector<ImportFact> Imports;
  std::vector<ClassSummary> Classes;
  std::vector<MethodSummary> Functions; // module-level functions (Kind == Function)
  std::vector<GlobalInstanceFact> GlobalInstances;
  std::vector<std::string> GlobalContainers; // module-level names bound to a builtin container
  std::vector<std::string> GlobalNames; // every module-level binding
  /// Class-like callees (last part capitalised, a class of this module, or `cls`) called in a
  /// loop or comprehension, and every class-like callee called anywhere (sorted, unique).
  std::vector<RepeatedCallFact> RepeatedInstantiations;
  std::vector<std::string> InstantiatedNames;
  /// Class-like callees whose new instances this module passes to weakref.ref / proxy /
  /// finalize (`obj = Node(); weakref.ref(obj)`), sorted, unique.
  std::vector<std::string> WeakrefTargets;
  /// `# noqa` directives by line, so project findings in this file honour them.
  struct LineNoqa {
    uint32_t Line = 0;
    bool All = false;
    std::vector<std::string> Codes;
  };
  std::vector<LineNoqa> Noqa;
  bool Exempt = false; // `# memlint: noqa`

  bool suppressed(uint32_t Line, llvm::StringRef Code) const;

  const ClassSummary *findClass(llvm::StringRef QualifiedName) const;
};

/// Dotted module name of a file from the package layout: directories with an __init__.py.
std::string moduleNameForPath(llvm::StringRef Path, bool &IsPackage);

/// Distils a lowered module. Does not look at any other file.
ModuleSummary summarizeModule(const ir::Module &M, llvm::StringRef DisplayPath);

} // namespace memlint
