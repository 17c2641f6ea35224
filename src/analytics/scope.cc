#include "analytics/scope.h"

namespace tilsyn {

UnitSubtree::UnitSubtree(const Dataset& data, uint32_t root)
    : root_(root), member_(data.units.size(), root == kNone ? 1 : 0) {
  if (root == kNone) return;
  for (size_t unit = 0; unit < data.units.size(); ++unit) {
    // Units form a tree (checked when the data set is read), so the walk ends.
    for (uint32_t at = static_cast<uint32_t>(unit); at != kNone; at = data.units[at].parent) {
      if (at == root) {
        member_[unit] = 1;
        break;
      }
    }
  }
}

}  // namespace tilsyn
