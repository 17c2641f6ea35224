#include "core/interner.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "core/event.h"

namespace tilsyn {

uint64_t Interner::Hash(std::string_view text) {
  // FNV-1a over 8-byte words, then a final mix: ids are short, and std::hash's murmur costs more.
  uint64_t hash = 0xcbf29ce484222325ull ^ text.size();
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    hash = (hash ^ word) * 0x100000001b3ull;
  }
  if (i < text.size()) {
    uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
    hash = (hash ^ tail) * 0x100000001b3ull;
  }
  hash ^= hash >> 32;
  hash *= 0xd6e8feb86659fd93ull;
  hash ^= hash >> 32;
  return hash;
}

size_t Interner::Home(uint64_t hash) const {
  // Maps the hash onto any table size, not only powers of two, so that the table can be sized
  // to what it holds.
  __extension__ using Wide = unsigned __int128;
  return static_cast<size_t>((static_cast<Wide>(hash) * slots_.size()) >> 64);
}

size_t Interner::Probe(std::string_view text, uint64_t hash) const {
  for (size_t i = Home(hash);; i = i + 1 == slots_.size() ? 0 : i + 1) {
    const uint32_t code = slots_[i];
    if (code == kNone || Text(code) == text) return i;
  }
}

void Interner::Rehash(size_t slot_count) {
  slots_.assign(slot_count, kNone);
  slots_.shrink_to_fit();
  for (uint32_t code = 0; code < size(); ++code) {
    size_t i = Home(Hash(Text(code)));
    while (slots_[i] != kNone) i = i + 1 == slots_.size() ? 0 : i + 1;
    slots_[i] = code;
  }
}

size_t Interner::SlotsFor(size_t count) { return std::max<size_t>(16, (4 * count + 2) / 3 + 1); }

void Interner::Reserve(size_t count, size_t text_bytes) {
  text_.reserve(text_bytes);
  offsets_.reserve(count + 1);
  const size_t wanted = SlotsFor(count);
  if (wanted > slots_.size()) Rehash(wanted);
}

void Interner::ShrinkToFit() {
  text_.shrink_to_fit();
  offsets_.shrink_to_fit();
  // Room for an eighth more before the table grows: growing rehashes every string.
  Rehash(SlotsFor(size_t{size()} + size() / 8));
}

void Interner::ReserveText(size_t count, size_t text_bytes) {
  text_.reserve(text_.size() + text_bytes);
  offsets_.reserve(offsets_.size() + count);
}

uint32_t Interner::Intern(std::string_view text) {
  // Load factor at most three quarters: linear probes stay short, and the table stays small.
  if (4 * (size_t{size()} + 1) > 3 * slots_.size()) Rehash(SlotsFor(2 * (size_t{size()} + 1)));
  const size_t slot = Probe(text, Hash(text));
  if (slots_[slot] != kNone) return slots_[slot];
  if (text_.size() + text.size() > UINT32_MAX) {
    throw std::length_error("an Interner holds at most 4 GiB of text");
  }
  const uint32_t code = size();
  text_.append(text);
  offsets_.push_back(static_cast<uint32_t>(text_.size()));
  slots_[slot] = code;
  return code;
}

uint32_t Interner::Find(std::string_view text) const {
  if (slots_.empty()) return kNone;
  return slots_[Probe(text, Hash(text))];
}

size_t Interner::MemoryBytes() const {
  return text_.capacity() + offsets_.capacity() * sizeof(uint32_t) +
         slots_.capacity() * sizeof(uint32_t);
}

}  // namespace tilsyn
