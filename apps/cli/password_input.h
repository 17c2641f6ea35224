#pragma once

#include <string>

#include "core/result.h"

namespace tilsyn::cli {

// A password from standard input: asked for twice without echo when it is a terminal, else read
// as one line (for scripts). Never from the command line, where other users could see it.
Result<std::string> ReadNewPassword();

}  // namespace tilsyn::cli
