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
  // Gives back the room reserved beyond what is held (after loading), keeping the lookup table
  // an eighth larger than needed, so that the next strings do not rehash at once.
  void ShrinkToFit();
  // Makes room for `count` more strings of `text_bytes` more bytes, without the lookup table:
  // address space, not memory, until used.
  void ReserveText(size_t count, size_t text_bytes);
  // The code of `text`, adding it if new.
  uint32_t Intern(std::string_view text);
  // The code of `text`, or kNone (core/event.h) when it was never interned.
  uint32_t Find(std::string_view text) const;
  std::string_view Text(uint32_t code) const {
    return {text_.data() + offsets_[code], offsets_[code + 1] - offsets_[code]};
  }
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size() - 1); }
  // Bytes of all strings held.
  size_t TextBytes() const { return text_.size(); }
  // Bytes held, for memory reports.
  size_t MemoryBytes() const;

 private:
  static uint64_t Hash(std::string_view text);
  // Lookup-table slots for `count` strings: a load of at most three quarters.
  static size_t SlotsFor(size_t count);
  // The slot where a string of `hash` belongs, if free.
  size_t Home(uint64_t hash) const;
  // The slot holding `text`, or the empty slot where it would go.
  size_t Probe(std::string_view text, uint64_t hash) const;
  void Rehash(size_t slot_count);

  std::string text_;
  std::vector<uint32_t> offsets_ = {0};  // size() + 1 offsets into text_
  std::vector<uint32_t> slots_;          // codes; kNone marks an empty slot
};

}  // namespace tilsyn
