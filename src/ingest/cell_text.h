#pragma once

#include <string>

namespace tilsyn {

// The shortest decimal text that reads back as `value`, as a cell of a table source: never in
// exponent form, which validation does not read (an amount of 1000000 must not become "1e+06");
// integers come without ".0". For the formats whose numbers are not text (JSON Lines, XLSX).
std::string ShortestDecimal(double value);

}  // namespace tilsyn
