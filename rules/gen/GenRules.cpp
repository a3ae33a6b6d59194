#include "rules/gen/GenRules.h"
#include "rules/Registry.h"

namespace memlint {

void registerGenRules(RuleRegistry &Registry) {
  Registry.add(gen::createListComprehensionInCall());
  Registry.add(gen::createForLoopOverListComprehension());
  Registry.add(gen::createReadlinesInFor());
  Registry.add(gen::createListBuiltForSingleIteration());
}

} // namespace memlint
