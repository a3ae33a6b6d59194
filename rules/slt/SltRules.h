//===- SltRules.h - the SLT family: __slots__ missing, defeated or broken ---===//
#pragma once

#include "rules/Rule.h"

#include <memory>

namespace memlint::slt {

std::unique_ptr<Rule> createManyInstanceClassWithoutSlots();  // SLT001
std::unique_ptr<Rule> createDataclassWithoutSlots();          // SLT002
std::unique_ptr<Rule> createSlotsDefeatedByBase();            // SLT003
std::unique_ptr<Rule> createSlotConflictsWithClassVariable(); // SLT004
std::unique_ptr<Rule> createAssignmentToUndeclaredSlot();     // SLT005
std::unique_ptr<Rule> createWeakrefToSlottedInstance();       // SLT006
std::unique_ptr<Rule> createImmutableSubclassWithoutSlots();  // SLT007

} // namespace memlint::slt
