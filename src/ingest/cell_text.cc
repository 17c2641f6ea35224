#include "ingest/cell_text.h"

#include <array>
#include <charconv>

namespace tilsyn {

std::string ShortestDecimal(double value) {
  if (value == 0) return "0";  // also -0
  // Written out in full, a finite double takes at most 327 characters (-5e-324).
  std::array<char, 400> text{};
  const std::to_chars_result written =
      std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  return std::string(text.data(), written.ptr);
}

}  // namespace tilsyn
