#pragma once

#include "core/time.h"

namespace tilsyn {

// The wall clock. Only `main`s call it; everything else is given "now" so that it is testable.
Instant WallClockNow();

}  // namespace tilsyn
