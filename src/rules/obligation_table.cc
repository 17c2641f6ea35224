#include "rules/obligation_table.h"

#include <algorithm>

namespace tilsyn {

std::vector<Obligation> ObligationTable::ToVector() const {
  std::vector<Obligation> all;
  all.reserve(size_);
  for (size_t b = 0; b < block_count(); ++b) {
    all.insert(all.end(), blocks_[b].obligations.begin(), blocks_[b].obligations.end());
  }
  return all;
}

void ObligationTable::Reset(Date as_of, uint32_t children) {
  as_of_ = as_of;
  children_ = children;
  size_ = 0;
  const size_t blocks = block_count();
  if (blocks_.size() < blocks) blocks_.resize(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    blocks_[b].obligations.clear();
    blocks_[b].end.clear();
  }
}

void ObligationTable::Replace(uint32_t child, std::span<const Obligation> fresh) {
  BlockData& block = blocks_[child / kBlockChildren];
  const uint32_t i = child % kBlockChildren;
  const uint32_t begin = i == 0 ? 0 : block.end[i - 1];
  const uint32_t old_size = block.end[i] - begin;
  const auto at = block.obligations.begin() + begin;
  if (fresh.size() > old_size) {
    block.obligations.insert(at + old_size, fresh.size() - old_size, Obligation{});
  } else {
    block.obligations.erase(at + static_cast<std::ptrdiff_t>(fresh.size()), at + old_size);
  }
  std::copy(fresh.begin(), fresh.end(), block.obligations.begin() + begin);
  const auto delta = static_cast<int64_t>(fresh.size()) - old_size;
  for (uint32_t k = i; k < block.end.size(); ++k) {
    block.end[k] = static_cast<uint32_t>(block.end[k] + delta);
  }
  size_ = static_cast<size_t>(static_cast<int64_t>(size_) + delta);
}

void ObligationTable::Recount() {
  size_ = 0;
  for (size_t b = 0; b < block_count(); ++b) size_ += blocks_[b].obligations.size();
}

}  // namespace tilsyn
