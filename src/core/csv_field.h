#pragma once

#include <string>
#include <string_view>

namespace tilsyn {

// `text` as one CSV field (RFC 4180): as it is, or in double quotes (inner quotes doubled) when it
// holds a comma, a quote or a line break.
std::string CsvField(std::string_view text);

}  // namespace tilsyn
