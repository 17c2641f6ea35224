#pragma once

#include <cstdint>
#include <vector>

#include "core/dataset.h"
#include "server/accounts.h"

namespace tilsyn::server {

// What one user may see of one data set (DESIGN.md, issue 5): the subtree of their unit;
// `worker` sees named children only in their own unit (a unit with no units below it); `committee`
// sees aggregates only, with small cells suppressed, and nothing per worker.
class Scope {
 public:
  Scope(const User& user, const Dataset& data);

  Role role() const { return role_; }
  // The user's unit in the data set, kNone when the data set does not have it (then they see
  // nothing).
  uint32_t unit() const { return unit_; }
  // Aggregates of `unit` (its subtree).
  bool SeesUnit(uint32_t unit) const { return unit < in_subtree_.size() && in_subtree_[unit]; }
  // Named children (cases, obligation lists, worklists) of `unit`'s subtree.
  bool SeesNamesIn(uint32_t unit) const;
  // Figures per worker (breakdowns, caseloads, worklists).
  bool SeesWorkers() const { return role_ != Role::kCommittee; }
  // Counts under 5 are suppressed.
  bool Suppressed() const { return role_ == Role::kCommittee; }

 private:
  Role role_;
  uint32_t unit_ = kNone;
  std::vector<bool> in_subtree_;    // [unit]
  std::vector<bool> has_children_;  // [unit]
};

// Whether `unit` is `ancestor` or below it.
bool InSubtree(const Dataset& data, uint32_t unit, uint32_t ancestor);

}  // namespace tilsyn::server
