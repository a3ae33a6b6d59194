#include "rules/mem/MemRules.h"
#include "rules/Registry.h"

namespace memlint {

void registerMemRules(RuleRegistry &Registry) {
  Registry.add(mem::createCachedInstanceMethod());
  Registry.add(mem::createUnboundedFunctionCache());
  Registry.add(mem::createUnboundedDictCache());
  Registry.add(mem::createQuadraticConcatenation());
  Registry.add(mem::createReadWholeFileThenSplit());
  Registry.add(mem::createDeepcopyInLoop());
  Registry.add(mem::createParameterSizedListInLoop());
  Registry.add(mem::createGlobalListGrows());
}

} // namespace memlint
