#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tilsyn {

// Maps strings to dense codes 0, 1, 2, … in order of first appearance, and back. The text lives
// in the interner, so views handed out stay valid as long as it does.
class Interner {
 public:
  Interner() = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  Interner(Interner&&) = default;
  Interner& operator=(Interner&&) = default;

  // The code of `text`, adding it if new.
  uint32_t Intern(std::string_view text);
  // The code of `text`, or kNone (core/event.h) when it was never interned.
  uint32_t Find(std::string_view text) const;
  std::string_view Text(uint32_t code) const { return views_[code]; }
  uint32_t size() const { return static_cast<uint32_t>(views_.size()); }

 private:
  std::deque<std::string> storage_;  // deque: growing never moves the strings the views point at
  std::vector<std::string_view> views_;
  std::unordered_map<std::string_view, uint32_t> codes_;
};

}  // namespace tilsyn
