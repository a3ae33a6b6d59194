//===- SummaryIO.h - one field list per summary type, for every traversal --===//
//
// The cache writes and reads module summaries and diagnostics; the summarizer compacts them.
// Each type lists its fields once, in mapFields, and every traversal (Writer, Reader,
// Compactor) walks that list, so a new field cannot be cached but forgotten on the way back.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analyzer/Diagnostic.h"
#include "analyzer/Summary.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace memlint::summary_io {

template <typename T> constexpr bool IsScalar = std::is_integral_v<T> || std::is_enum_v<T>;

/// Appends values in a fixed little-endian-as-the-host layout; the cache never leaves the machine.
class Writer {
public:
  static constexpr bool Reading = false;
  explicit Writer(std::string &Out) : Out(Out) {}

  template <typename T> std::enable_if_t<IsScalar<T>> io(T &V) {
    Out.append(reinterpret_cast<const char *>(&V), sizeof(T));
  }
  void io(llvm::StringRef &S) {
    auto N = static_cast<uint32_t>(S.size());
    io(N);
    Out += S;
  }
  void io(std::string &S) {
    llvm::StringRef Bytes = S;
    io(Bytes);
  }
  template <typename T> void io(std::vector<T> &V) {
    auto N = static_cast<uint32_t>(V.size());
    io(N);
    for (T &E : V)
      io(E);
  }
  template <typename T> void io(std::optional<T> &V) {
    bool Has = V.has_value();
    io(Has);
    if (Has)
      io(*V);
  }
  template <typename T> std::enable_if_t<!IsScalar<T>> io(T &V) { mapFields(*this, V); }
  template <typename... Ts> void fields(Ts &...Vs) { (io(Vs), ...); }

  void fail() {}

private:
  std::string &Out;
};

/// Reads what Writer wrote, bounds-checked: a short or inconsistent buffer sets failed() and
/// leaves the rest default-initialised, never reads past the end.
class Reader {
public:
  static constexpr bool Reading = true;
  Reader(llvm::StringRef Data, const RuleRegistry &Rules) : Data(Data), Rules(Rules) {}

  bool failed() const { return Failed; }
  bool atEnd() const { return Data.empty(); }
  const RuleRegistry &rules() const { return Rules; }
  void fail() { Failed = true; }

  void io(bool &V) {
    uint8_t Byte = 0;
    io(Byte);
    V = Byte != 0;
  }
  template <typename T> std::enable_if_t<IsScalar<T> && !std::is_same_v<T, bool>> io(T &V) {
    if (Failed || Data.size() < sizeof(T))
      return fail();
    std::memcpy(&V, Data.data(), sizeof(T));
    Data = Data.drop_front(sizeof(T));
  }
  void io(std::string &S) {
    llvm::StringRef Bytes;
    io(Bytes);
    S = Bytes.str();
  }
  void io(llvm::StringRef &S) {
    uint32_t N = 0;
    io(N);
    if (Failed || N > Data.size())
      return fail();
    S = Data.take_front(N);
    Data = Data.drop_front(N);
  }
  template <typename T> void io(std::vector<T> &V) {
    uint32_t N = 0;
    io(N);
    // Every element takes at least a byte: a count larger than what is left is corruption,
    // caught before it turns into a huge allocation.
    if (Failed || N > Data.size())
      return fail();
    V.resize(N);
    for (T &E : V) {
      io(E);
      if (Failed)
        return;
    }
  }
  template <typename T> void io(std::optional<T> &V) {
    bool Has = false;
    io(Has);
    if (Has && !Failed)
      io(V.emplace());
  }
  template <typename T> std::enable_if_t<!IsScalar<T>> io(T &V) { mapFields(*this, V); }
  template <typename... Ts> void fields(Ts &...Vs) { (io(Vs), ...); }

private:
  llvm::StringRef Data;
  const RuleRegistry &Rules;
  bool Failed = false;
};

/// Gives back the growth slack of every vector and string: summaries live until the project
/// phase, and push_back leaves up to half of each buffer unused.
class Compactor {
public:
  static constexpr bool Reading = false;
  template <typename T> std::enable_if_t<IsScalar<T>> io(T &) {}
  void io(llvm::StringRef &) {}
  void io(std::string &S) {
    if (S.capacity() > S.size())
      S.shrink_to_fit();
  }
  template <typename T> void io(std::vector<T> &V) {
    if (V.capacity() > V.size())
      V.shrink_to_fit();
    for (T &E : V)
      io(E);
  }
  template <typename T> void io(std::optional<T> &V) {
    if (V)
      io(*V);
  }
  template <typename T> std::enable_if_t<!IsScalar<T>> io(T &V) { mapFields(*this, V); }
  template <typename... Ts> void fields(Ts &...Vs) { (io(Vs), ...); }
  void fail() {}
};

// One field list per type, shared by every traversal, so they cannot drift apart.

template <typename Traversal> void mapFields(Traversal &IO, Position &P) {
  IO.fields(P.Line, P.Column);
}
template <typename Traversal> void mapFields(Traversal &IO, TextRange &R) {
  IO.fields(R.Begin, R.End);
}
template <typename Traversal> void mapFields(Traversal &IO, SummaryLocation &L) {
  IO.fields(L.Range, L.Start, L.End);
}

template <typename Traversal> void mapFields(Traversal &IO, Edit &E) {
  IO.fields(E.Range, E.Replacement, E.Start, E.End);
}
template <typename Traversal> void mapFields(Traversal &IO, Fix &F) {
  IO.fields(F.Title, F.Safety, F.Edits);
}
template <typename Traversal> void mapFields(Traversal &IO, RelatedLocation &R) {
  IO.fields(R.Path, R.Range, R.Start, R.End, R.Message);
}
template <typename Traversal> void mapFields(Traversal &IO, Diagnostic &D) {
  // Code and name point at the rule's static metadata: store the code, find the rule again.
  std::string Code = D.Code.str();
  IO.fields(D.Path, Code, D.Message, D.Level, D.Range, D.Start, D.End, D.Related, D.FixIt);
  if constexpr (Traversal::Reading) {
    const RuleInfo *Info = IO.rules().findInfo(Code);
    if (!Info)
      return IO.fail();
    D.Code = Info->Code;
    D.Name = Info->Name;
  }
}

template <typename Traversal> void mapFields(Traversal &IO, ArgumentFact &A) {
  IO.fields(A.Position, A.Keyword, A.Kind, A.Param, A.Name, A.CapturesSelf);
}
template <typename Traversal> void mapFields(Traversal &IO, ValueFact &V) {
  IO.fields(V.Kind, V.Param, V.Name, V.Receiver, V.ReceiverParam, V.ReceiverName, V.CapturesSelf,
            V.Arguments, V.InContainer, V.Local);
}
template <typename Traversal> void mapFields(Traversal &IO, TargetFact &T) {
  IO.fields(T.Kind, T.Param, T.Name, T.Local);
}
template <typename Traversal> void mapFields(Traversal &IO, StoreFact &S) {
  IO.fields(S.Kind, S.Target, S.Attr, S.Value, S.Where);
}
template <typename Traversal> void mapFields(Traversal &IO, CallFact &C) {
  IO.fields(C.Receiver, C.Method, C.Arguments, C.Where);
}
template <typename Traversal> void mapFields(Traversal &IO, ClearFact &C) {
  IO.fields(C.Attr, C.Where);
}
template <typename Traversal> void mapFields(Traversal &IO, ExceptionKeepFact &E) {
  IO.fields(E.Description, E.ExceptionName, E.Where, E.Handler);
}
template <typename Traversal> void mapFields(Traversal &IO, GlobalInstanceFact &G) {
  IO.fields(G.Name, G.TypeName);
}
template <typename Traversal> void mapFields(Traversal &IO, ParameterFact &P) {
  IO.fields(P.Name, P.Annotation);
}
template <typename Traversal> void mapFields(Traversal &IO, MethodSummary &M) {
  IO.fields(M.Name, M.Kind, M.Params, M.Stores, M.Calls, M.Clears, M.Removes, M.GlobalRemoves,
            M.IsProperty, M.KeptExceptions, M.Where);
}
template <typename Traversal> void mapFields(Traversal &IO, ClassVariableFact &V) {
  IO.fields(V.Name, V.Annotated, V.HasValue, V.ClassVar, V.DefaultCallee);
}
template <typename Traversal> void mapFields(Traversal &IO, BaseShapeFact &B) {
  IO.fields(B.Head, B.Form);
}
template <typename Traversal> void mapFields(Traversal &IO, CachedFunctionFact &C) {
  IO.fields(C.Function, C.Decorator, C.Unbounded, C.Kind, C.Where);
}
template <typename Traversal> void mapFields(Traversal &IO, ClassShapeFacts &S) {
  IO.fields(S.BaseShapes, S.ClassKeywords, S.Variables, S.NeedsDict, S.ZeroArgSuper,
            S.DataclassSlotsGiven, S.DataclassWeakrefSlot, S.DataclassSlotsAt, S.SlotsLineAt,
            S.DataclassSlotsText, S.SlotsLineText, S.WeakrefsToSelf, S.CachedMethods);
}
template <typename Traversal> void mapFields(Traversal &IO, RepeatedCallFact &R) {
  // Context is one of a few static texts; store which.
  static constexpr llvm::StringLiteral Contexts[] = {"a loop", "a comprehension", "map()"};
  uint8_t Index = 0;
  if constexpr (!Traversal::Reading)
    Index = static_cast<uint8_t>(llvm::find(Contexts, R.Context) - std::begin(Contexts));
  IO.fields(R.Callee, Index, R.Where);
  if constexpr (Traversal::Reading) {
    if (Index >= std::size(Contexts))
      return IO.fail();
    R.Context = Contexts[Index];
  }
}
template <typename Traversal> void mapFields(Traversal &IO, ClassSummary &C) {
  IO.fields(C.Name, C.QualifiedName, C.Bases, C.Decorators, C.Methods, C.WeakAttributes,
            C.ClassAttributes, C.ContainerAttributes, C.ClassLevelAttributes, C.Slots, C.SlotNames,
            C.Dataclass, C.DataclassSlots, C.Shape, C.Where, C.NameWhere);
}
template <typename Traversal> void mapFields(Traversal &IO, ImportFact &I) {
  IO.fields(I.LocalName, I.Module, I.Name);
}
template <typename Traversal> void mapFields(Traversal &IO, ModuleSummary::LineNoqa &N) {
  IO.fields(N.Line, N.All, N.Codes);
}
template <typename Traversal> void mapFields(Traversal &IO, ModuleSummary &M) {
  IO.fields(M.Path, M.ModuleName, M.IsPackage, M.Imports, M.Classes, M.Functions, M.GlobalInstances,
            M.GlobalContainers, M.GlobalNames, M.RepeatedInstantiations, M.InstantiatedNames,
            M.WeakrefTargets, M.Noqa, M.Exempt);
}

template <typename T> void serializeInto(std::string &Out, const T &Value) {
  Writer W(Out);
  W.io(const_cast<T &>(Value)); // Writer only reads through the reference
}

template <typename T>
std::optional<T> deserialize(llvm::StringRef Bytes, const RuleRegistry &Rules) {
  Reader R(Bytes, Rules);
  T Value;
  R.io(Value);
  if (R.failed() || !R.atEnd())
    return std::nullopt;
  return Value;
}

} // namespace memlint::summary_io
