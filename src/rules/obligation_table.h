#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/time.h"
#include "rules/obligation.h"

namespace tilsyn {

// Every child's obligations as of one date, in child order (and within a child in the engine's
// order). Held in blocks of consecutive children: a parallel evaluation writes each block once,
// with no final copy; evaluating again reuses the blocks' memory, so a long-running program's
// daily recompute neither allocates nor touches fresh pages; and one child's obligations are
// replaced at the cost of its block, not of the table.
class ObligationTable {
  struct BlockData {
    std::vector<Obligation> obligations;
    std::vector<uint32_t> end;  // end[i]: where child (first of block + i) ends in obligations
  };

 public:
  static constexpr uint32_t kBlockChildren = 256;

  Date as_of() const { return as_of_; }
  uint32_t children() const { return children_; }
  size_t size() const { return size_; }

  std::span<const Obligation> OfChild(uint32_t child) const {
    const BlockData& block = blocks_[child / kBlockChildren];
    const uint32_t i = child % kBlockChildren;
    const uint32_t begin = i == 0 ? 0 : block.end[i - 1];
    return {block.obligations.data() + begin, block.obligations.data() + block.end[i]};
  }

  // The blocks in child order; together they hold every obligation once.
  size_t block_count() const { return (children_ + kBlockChildren - 1) / kBlockChildren; }
  std::span<const Obligation> Block(size_t index) const { return blocks_[index].obligations; }

  // All obligations in one vector, in table order.
  std::vector<Obligation> ToVector() const;

 private:
  friend class Engine;

  // Sizes the table for `children` children as of `as_of`, keeping allocated memory.
  void Reset(Date as_of, uint32_t children);
  // Replaces one child's obligations with `fresh`.
  void Replace(uint32_t child, std::span<const Obligation> fresh);
  void Recount();

  Date as_of_;
  uint32_t children_ = 0;
  size_t size_ = 0;
  std::vector<BlockData> blocks_;
};

}  // namespace tilsyn
