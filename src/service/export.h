#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/calendar.h"
#include "core/result.h"
#include "core/time.h"

namespace tilsyn {

// A count or rate hidden by small-number suppression: written as kSuppressedText.
struct SuppressedCell {};
// A share from 0 to 1: a percentage in a spreadsheet, a decimal fraction in CSV.
struct PercentCell {
  double fraction = 0.0;
};

// One cell of an exported table. Empty (monostate) for a value that is absent.
using Cell = std::variant<std::monostate, std::string, int64_t, double, PercentCell, Date, Instant,
                          SuppressedCell>;

// What a suppressed cell says (Danish statistics' word for a figure withheld for discretion).
inline constexpr std::string_view kSuppressedText = "diskretioneret";

// A list or table as it is exported: Danish column headers and typed cells, one row per record.
struct Table {
  std::string name;  // Danish; the sheet's name in a workbook (31 characters at most)
  std::vector<std::string> headers;  // Danish
  std::vector<std::vector<Cell>> rows;
};

// CSV by RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
// double quotes (quotes doubled), the header first. UTF-8 with a byte order mark, so that Excel
// reads æ, ø and å right when the file is opened with a double click (tilsyn's own reader, and
// most others, skip the mark). Dates as YYYY-MM-DD, instants as ISO 8601 with the local offset,
// percentages as fractions with 4 decimals (0.5195), other decimals in their shortest form.
std::string RenderCsv(const Table& table, const Calendar& calendar);

// An XLSX workbook with one sheet per table (libxlsxwriter): a bold, frozen header row and real
// numbers, dates (dd-mm-yyyy), local times (dd-mm-yyyy hh:mm) and percentages (0.0 %), so that
// the figures can be sorted and summed in Excel. kInvalidArgument for a sheet name Excel refuses;
// kInternal when the workbook cannot be written.
Status WriteXlsx(std::span<const Table> tables, const Calendar& calendar,
                 const std::filesystem::path& path);

// The same workbook as bytes, for a download: written to a temporary file (libxlsxwriter writes
// only files), read back and removed.
Result<std::string> RenderXlsx(std::span<const Table> tables, const Calendar& calendar);

}  // namespace tilsyn
