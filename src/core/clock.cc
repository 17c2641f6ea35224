#include "core/clock.h"

#include <chrono>

namespace tilsyn {

Instant WallClockNow() {
  return Instant{std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count()};
}

}  // namespace tilsyn
