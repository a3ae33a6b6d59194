#include "rules/Registry.h"
#include "rules/wrf/WrfRules.h"

namespace memlint {

void registerWrfRules(RuleRegistry &Registry) {
  Registry.add(wrf::createRegistryKeepsSubscriber());
  Registry.add(wrf::createGlobalInstanceRegistry());
}

} // namespace memlint
