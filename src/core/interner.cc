#include "core/interner.h"

#include "core/event.h"

namespace tilsyn {

uint32_t Interner::Intern(std::string_view text) {
  if (auto it = codes_.find(text); it != codes_.end()) return it->second;
  const std::string_view stored = storage_.emplace_back(text);
  const auto code = static_cast<uint32_t>(views_.size());
  views_.push_back(stored);
  codes_.emplace(stored, code);
  return code;
}

uint32_t Interner::Find(std::string_view text) const {
  auto it = codes_.find(text);
  return it == codes_.end() ? kNone : it->second;
}

}  // namespace tilsyn
