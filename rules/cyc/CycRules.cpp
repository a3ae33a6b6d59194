#include "rules/Registry.h"
#include "rules/cyc/CycRules.h"

namespace memlint {

void registerCycRules(RuleRegistry &Registry) {
  Registry.add(cyc::createReferenceCycle());
  Registry.add(cyc::createBoundMethodStoredOnSelf());
  Registry.add(cyc::createClosureStoredOnSelf());
  Registry.add(cyc::createExceptionKeptInFrame());
  Registry.add(cyc::createObjectStoredInItself());
  Registry.add(cyc::createFinalizerInCycle());
}

} // namespace memlint
