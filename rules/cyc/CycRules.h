//===- CycRules.h - the CYC family: reference cycles the code creates ------===//
#pragma once

#include "rules/Rule.h"

#include <memory>

namespace memlint::cyc {

std::unique_ptr<Rule> createReferenceCycle();          // CYC001
std::unique_ptr<Rule> createBoundMethodStoredOnSelf(); // CYC002
std::unique_ptr<Rule> createClosureStoredOnSelf();     // CYC003
std::unique_ptr<Rule> createExceptionKeptInFrame();    // CYC004
std::unique_ptr<Rule> createObjectStoredInItself();    // CYC005
std::unique_ptr<Rule> createFinalizerInCycle();        // CYC006

} // namespace memlint::cyc
