#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tilsyn {

// Maps strings to dense codes 0, 1, 2, … in order of first appearance, and back. All text sits in
// one buffer (at most 4 GiB) and the table holds only codes, so ten million ids cost their bytes
// plus about 10 bytes each, with no allocation per string. A view from Text() is valid until the
// next Intern().
class Interner {
 public:
  Interner() = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  Interner(Interner&&) = default;
  Interner& operator=(Interner&&) = default;

  // Makes room for `count` strings of `text_bytes` bytes in all, so that interning them grows
  // nothing.
  void Reserve(size_t count, size_t text_bytes);
  // The code of `text`, adding it if new.
  uint32_t Intern(std::string_view text);
  // The code of `text`, or kNone (core/event.h) when it was never interned.
  uint32_t Find(std::string_view text) const;
  std::string_view Text(uint32_t code) const {
    return {text_.data() + offsets_[code], offsets_[code + 1] - offsets_[code]};
  }
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size() - 1); }
  // Bytes held, for memory reports.
  size_t MemoryBytes() const;

 private:
  static uint64_t Hash(std::string_view text);
  // The slot holding `text`, or the empty slot where it would go.
  size_t Probe(std::string_view text, uint64_t hash) const;
  void Rehash(size_t slot_count);

  std::string text_;
  std::vector<uint32_t> offsets_ = {0};  // size() + 1 offsets into text_
  std::vector<uint32_t> slots_;          // codes; kNone marks an empty slot
  size_t mask_ = 0;
};

}  // namespace tilsyn
