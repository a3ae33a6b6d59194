//===- CycSupport.h - shared pieces of the CYC family ---------------------===//
#pragma once

#include "analyzer/ReferenceGraph.h"
#include "rules/Rule.h"

#include <functional>

namespace memlint::cyc {

/// What every cycle finding says about the cost, so none says "leak".
extern const char *const CycleCost;

/// A store on `self` whose value refers back to `self`: a bound method, a closure over self, or
/// self itself. These are cycles of one object (plus the method or closure object).
enum class SelfLoopKind { BoundMethod, Closure, Self };

struct SelfLoop {
  const ClassRef *Class;
  const MethodSummary *Method;
  const StoreFact *Store;
  SelfLoopKind Kind;
};

/// Every self-loop store in the project, skipping weak containers and attributes the class
/// clears on teardown (close, __exit__, __del__, ...).
void forEachSelfLoop(const ReferenceGraph &Graph, const std::function<void(const SelfLoop &)> &Fn);

/// `self.handlers` / `self.handlers[...]` / `self.handlers.append(...)`, for messages.
std::string describeStoreTarget(const StoreFact &S);

/// "`Parent` → .children → `Child` → .parent → `Parent`".
std::string describeCycle(const ReferenceCycle &Cycle);

} // namespace memlint::cyc
