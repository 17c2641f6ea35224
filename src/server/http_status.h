#pragma once

#include "core/result.h"

namespace tilsyn::server {

// The one table from error codes to HTTP statuses.
int HttpStatusOf(ErrorCode code);

}  // namespace tilsyn::server
