//===- GenRules.h - the GEN family: a list where a generator would do ------===//
#pragma once

#include "rules/Rule.h"

#include <memory>

namespace memlint::gen {

std::unique_ptr<Rule> createListComprehensionInCall();      // GEN001
std::unique_ptr<Rule> createForLoopOverListComprehension(); // GEN002
std::unique_ptr<Rule> createReadlinesInFor();               // GEN003
std::unique_ptr<Rule> createListBuiltForSingleIteration();  // GEN004

} // namespace memlint::gen
