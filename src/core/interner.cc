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

size_t Interner::Probe(std::string_view text, uint64_t hash) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const uint32_t code = slots_[i];
    if (code == kNone || Text(code) == text) return i;
  }
}

void Interner::Rehash(size_t slot_count) {
  slots_.assign(slot_count, kNone);
  mask_ = slot_count - 1;
  for (uint32_t code = 0; code < size(); ++code) {
    size_t i = Hash(Text(code)) & mask_;
    while (slots_[i] != kNone) i = (i + 1) & mask_;
    slots_[i] = code;
  }
}

void Interner::Reserve(size_t count, size_t text_bytes) {
  text_.reserve(text_bytes);
  offsets_.reserve(count + 1);
  const size_t wanted = std::bit_ceil(std::max<size_t>(16, (4 * count + 2) / 3));
  if (wanted > slots_.size()) Rehash(wanted);
}

uint32_t Interner::Intern(std::string_view text) {
  // Load factor at most three quarters: linear probes stay short, and the table stays small.
  if (4 * (size_t{size()} + 1) > 3 * slots_.size()) {
    Rehash(std::max<size_t>(16, 2 * slots_.size()));
  }
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
