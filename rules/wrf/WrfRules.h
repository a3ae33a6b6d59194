//===- WrfRules.h - the WRF family: strong references where weak ones are the idiom
#pragma once

#include "rules/Rule.h"

#include <memory>

namespace memlint::wrf {

std::unique_ptr<Rule> createRegistryKeepsSubscriber(); // WRF001
std::unique_ptr<Rule> createGlobalInstanceRegistry();  // WRF002

} // namespace memlint::wrf
