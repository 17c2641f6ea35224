#pragma once

#include <filesystem>

#include "core/result.h"
#include "ingest/interchange_reader.h"

namespace tilsyn {

// Finds and opens the four tables of a data set in `dir` (shared/spec/interchange.md). A table is
// `<table>.csv`, `<table>.jsonl` or `<table>.xlsx` (its sheet named like the table, else its first
// sheet), or the sheet named like the table in the directory's one other .xlsx workbook that has
// such sheets; messages name a sheet of a workbook as e.g. "kommune.xlsx[events]". Files whose
// names start with "." or "~$" (Excel's lock files) are left alone.
//
// All or nothing: on any error the result is an Error of kind kInvalidArgument that lists every
// error found, one "file: message" per line: a table in none of the forms or in more than one, a
// second workbook with table sheets, a file that cannot be opened or whose header is malformed.
Result<InterchangeTables> OpenInterchangeTables(const std::filesystem::path& dir);

}  // namespace tilsyn
