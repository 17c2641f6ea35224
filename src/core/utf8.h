#pragma once

#include <cstddef>
#include <string_view>

namespace tilsyn {

// The length of the well-formed UTF-8 sequence at text[pos] (1 for ASCII), or 0 when the bytes
// there are not one (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t pos);

// Whether all of `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// The columns well-formed UTF-8 text takes in a table of plain text: one per code point.
size_t DisplayWidth(std::string_view text);

}  // namespace tilsyn
