#include "server/scope.h"

namespace tilsyn::server {

bool InSubtree(const Dataset& data, uint32_t unit, uint32_t ancestor) {
  // A unit's ancestors are fewer than the units (the import refuses cycles); the bound guards a
  // store changed behind tilsyn's back.
  for (size_t steps = 0; unit != kNone && steps <= data.units.size(); ++steps) {
    if (unit == ancestor) return true;
    unit = data.units[unit].parent;
  }
  return false;
}

Scope::Scope(const User& user, const Dataset& data) : role_(user.role) {
  unit_ = data.FindUnit(user.unit_id);
  in_subtree_.assign(data.units.size(), false);
  has_children_.assign(data.units.size(), false);
  for (uint32_t u = 0; u < data.units.size(); ++u) {
    if (data.units[u].parent != kNone) has_children_[data.units[u].parent] = true;
    if (unit_ != kNone) in_subtree_[u] = InSubtree(data, u, unit_);
  }
}

bool Scope::SeesNamesIn(uint32_t unit) const {
  if (!SeesUnit(unit) || role_ == Role::kCommittee) return false;
  if (role_ == Role::kWorker) return unit == unit_ && !has_children_[unit];
  return true;
}

}  // namespace tilsyn::server
