#include "rules/slt/SltRules.h"
#include "rules/Registry.h"

namespace memlint {

void registerSltRules(RuleRegistry &Registry) {
  Registry.add(slt::createManyInstanceClassWithoutSlots());
  Registry.add(slt::createDataclassWithoutSlots());
  Registry.add(slt::createSlotsDefeatedByBase());
  Registry.add(slt::createSlotConflictsWithClassVariable());
  Registry.add(slt::createAssignmentToUndeclaredSlot());
  Registry.add(slt::createWeakrefToSlottedInstance());
  Registry.add(slt::createImmutableSubclassWithoutSlots());
}

} // namespace memlint
