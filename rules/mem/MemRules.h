//===- MemRules.h - the MEM family: memory hotspots -------------------------===//
#pragma once

#include "rules/Rule.h"

#include <memory>

namespace memlint::mem {

std::unique_ptr<Rule> createCachedInstanceMethod();     // MEM001
std::unique_ptr<Rule> createUnboundedFunctionCache();   // MEM002
std::unique_ptr<Rule> createUnboundedDictCache();       // MEM003
std::unique_ptr<Rule> createQuadraticConcatenation();   // MEM004
std::unique_ptr<Rule> createReadWholeFileThenSplit();   // MEM005
std::unique_ptr<Rule> createDeepcopyInLoop();           // MEM006
std::unique_ptr<Rule> createParameterSizedListInLoop(); // MEM007
std::unique_ptr<Rule> createGlobalListGrows();          // MEM008

} // namespace memlint::mem
