#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace tilsyn::server {

// A list as an export holds it: a header and rows of text.
struct Table {
  std::string name;  // the sheet's name, e.g. "forpligtelser"
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// RFC 4180 CSV with a UTF-8 byte order mark (so that spreadsheets read the Danish letters). A
// cell that a spreadsheet would take for a formula (=, +, -, @ first) gets a leading apostrophe.
std::string TableCsv(const Table& table);
// An XLSX workbook with one sheet; numeric cells are numbers.
Result<std::string> TableXlsx(const Table& table);

}  // namespace tilsyn::server
