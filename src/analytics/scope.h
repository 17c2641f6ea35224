#pragma once

#include <cstdint>
#include <vector>

#include "core/dataset.h"

namespace tilsyn {

// The units of one unit's subtree: the unit itself and every unit below it. Built in
// O(units × depth); Contains is O(1).
class UnitSubtree {
 public:
  // The subtree of `root` (an index in data.units), or every unit when `root` is kNone.
  UnitSubtree(const Dataset& data, uint32_t root);

  bool Contains(uint32_t unit) const { return unit < member_.size() && member_[unit] != 0; }
  uint32_t root() const { return root_; }

 private:
  uint32_t root_;
  std::vector<uint8_t> member_;  // [unit] 1 when in the subtree
};

}  // namespace tilsyn
