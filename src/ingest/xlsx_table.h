#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ingest/interchange_reader.h"

struct zip;

namespace tilsyn {

// The largest part of a workbook (one file inside its zip archive) that is unpacked: a guard
// against zip bombs, far above what a sheet of case data needs.
inline constexpr uint64_t kMaxXlsxPartSize = uint64_t{4} << 30;

// An XLSX workbook, opened to read its worksheets as tables of the interchange format.
//
// A sheet's header is its first row that is not empty, and a row's number is its number in the
// spreadsheet. Cells are placed by their column letters; a missing cell is an empty one, and rows
// without a value are passed over. Strings (shared, inline or formula results) are taken as they
// are; booleans become "true"/"false"; numbers their shortest decimal text (integers without
// ".0"), except numbers shown as dates or times (built-in formats 14-22 and 45-47, or a format
// whose code has d, m, y, h or s outside quotes and brackets), which become "YYYY-MM-DD" or, when
// they hold a time of day or the format shows one, "YYYY-MM-DDTHH:MM" (":SS" when the seconds are
// not 0), in the workbook's date system (1900 or 1904). A cell holding an error such as #N/A is an
// error that names the cell.
class XlsxWorkbook {
 public:
  // Opens the workbook at `path` and reads what its sheets share: sheet names, shared strings,
  // number formats and date system. Errors are complete "file: message" lines, `display_name`
  // being the file: not found, not a zip archive, not a workbook, a part that is malformed or
  // would unpack to more than `max_part_size` bytes.
  static Result<XlsxWorkbook> Open(const std::filesystem::path& path, std::string display_name,
                                   uint64_t max_part_size = kMaxXlsxPartSize);

  // The names of the sheets in the workbook's order.
  std::span<const std::string> SheetNames() const { return sheet_names_; }

  // Opens the sheet named `sheet_name` (empty: the first sheet) and reads its header. The table
  // is named `display_name` in messages, e.g. "kommune.xlsx[events]"; it keeps what it needs, so
  // it may outlive the workbook. Errors are complete "file: message" lines (no such sheet, the
  // message listing those there are; its part missing or malformed; the sheet empty), or
  // "file:row: message" for a header cell that holds an error.
  Result<std::unique_ptr<TableSource>> OpenSheet(std::string_view sheet_name,
                                                 std::string display_name);

  // What every sheet of the workbook reads: defined in xlsx_table.cc.
  struct Shared;

 private:
  struct ZipCloser {
    void operator()(zip* archive) const;
  };

  XlsxWorkbook() = default;

  std::unique_ptr<zip, ZipCloser> archive_;
  std::string name_;
  uint64_t max_part_size_ = kMaxXlsxPartSize;
  std::vector<std::string> sheet_names_;
  std::vector<std::string> sheet_parts_;  // the zip entry of each sheet, parallel to the names
  std::shared_ptr<const Shared> shared_;
};

// Opens the sheet `sheet_name` (empty: the first sheet) of the workbook at `path` as a table;
// XlsxWorkbook::Open and OpenSheet in one, every error naming `display_name`.
Result<std::unique_ptr<TableSource>> OpenXlsxTable(const std::filesystem::path& path,
                                                   std::string_view sheet_name,
                                                   std::string display_name);

}  // namespace tilsyn
