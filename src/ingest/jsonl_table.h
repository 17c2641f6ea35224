#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "ingest/interchange_reader.h"

namespace tilsyn {

// Opens a JSON Lines file (one JSON object per line, the interchange format's field names as keys)
// as a table, reading the whole file at once. Its columns are the keys in order of first
// appearance over every line; a key missing on a line is an empty cell. Strings are taken as they
// are, numbers as their shortest decimal text (integers without ".0"), true/false as "true"/"false"
// and null as an empty cell. Row numbers are line numbers (first line = 1); blank lines are passed
// over and a UTF-8 byte order mark at the start is skipped. `display_name` names the file in
// messages, e.g. "events.jsonl".
//
// Errors: at open, complete "file: message" lines (file not found, unreadable, no line at all, no
// line that is a JSON object). A line that is not a JSON object ("file:line: not a JSON object:
// reason"), that repeats a key, or whose value is an array or object ("file:line:key: ...") is the
// error of Next() when it reaches that line; the rows before it are read as usual.
Result<std::unique_ptr<TableSource>> OpenJsonlTable(const std::filesystem::path& path,
                                                    std::string display_name);

}  // namespace tilsyn
