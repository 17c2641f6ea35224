#include "service/export.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "ingest/cell_text.h"

namespace tilsyn {
namespace {

constexpr size_t kMaxSheetName = 31;      // Excel's limit, in characters
constexpr double kMaxColumnWidth = 60.0;  // in characters; longer text wraps off-screen
constexpr int kSecondsPerMinute = 60;

// Characters (code points) in UTF-8 text.
size_t Characters(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string CsvText(const Cell& cell, const Calendar& calendar) {
  struct Visitor {
    const Calendar& calendar;
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& text) const { return CsvField(text); }
    std::string operator()(int64_t value) const { return std::to_string(value); }
    std::string operator()(double value) const { return ShortestDecimal(value); }
    std::string operator()(PercentCell percent) const {
      return fmt::format("{:.4f}", percent.fraction);
    }
    std::string operator()(Date date) const { return FormatDate(date); }
    std::string operator()(Instant at) const { return calendar.FormatInstant(at); }
    std::string operator()(SuppressedCell) const { return std::string(kSuppressedText); }
  };
  return std::visit(Visitor{calendar}, cell);
}

// Excel's rules for a sheet name, checked before anything is written.
Status CheckSheetNames(std::span<const Table> tables) {
  if (tables.empty()) return InvalidArgument("a workbook needs at least one table");
  std::vector<std::string> seen;
  for (const Table& table : tables) {
    const std::string& name = table.name;
    if (name.empty() || Characters(name) > kMaxSheetName ||
        name.find_first_of("[]:*?/\\") != std::string::npos || name.front() == '\'' ||
        name.back() == '\'') {
      return InvalidArgument(fmt::format(
          "\"{}\" cannot name a sheet: 1 to 31 characters, none of [ ] : * ? / \\, and no ' first "
          "or last",
          name));
    }
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      return InvalidArgument(fmt::format("two sheets are named \"{}\"", name));
    }
    seen.push_back(std::move(lower));
  }
  return {};
}

lxw_datetime ExcelTime(Date date, int seconds_of_day) {
  const YearMonthDay ymd = ToYmd(date);
  return lxw_datetime{ymd.year,
                      ymd.month,
                      ymd.day,
                      seconds_of_day / 3600,
                      seconds_of_day / kSecondsPerMinute % 60,
                      static_cast<double>(seconds_of_day % kSecondsPerMinute)};
}

// Writes one sheet; returns the first error of libxlsxwriter, or LXW_NO_ERROR.
class SheetWriter {
 public:
  SheetWriter(lxw_workbook* workbook, const Calendar& calendar) : calendar_(calendar) {
    header_ = workbook_add_format(workbook);
    format_set_bold(header_);
    date_ = workbook_add_format(workbook);
    format_set_num_format(date_, "dd-mm-yyyy");
    time_ = workbook_add_format(workbook);
    format_set_num_format(time_, "dd-mm-yyyy hh:mm");
    percent_ = workbook_add_format(workbook);
    format_set_num_format(percent_, "0.0%");
  }

  lxw_error Write(lxw_worksheet* sheet, const Table& table) {
    std::vector<double> widths(table.headers.size(), 8.0);
    for (size_t c = 0; c < table.headers.size(); ++c) {
      Keep(worksheet_write_string(sheet, 0, Column(c), table.headers[c].c_str(), header_));
      Widen(widths, c, Characters(table.headers[c]));
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < table.rows[r].size() && c < table.headers.size(); ++c) {
        Widen(widths, c, WriteCell(sheet, row, Column(c), table.rows[r][c]));
      }
    }
    worksheet_freeze_panes(sheet, 1, 0);
    for (size_t c = 0; c < widths.size(); ++c) {
      Keep(worksheet_set_column(sheet, Column(c), Column(c),
                                std::min(widths[c] + 2, kMaxColumnWidth), nullptr));
    }
    return error_;
  }

 private:
  static lxw_col_t Column(size_t c) { return static_cast<lxw_col_t>(c); }
  static void Widen(std::vector<double>& widths, size_t c, size_t characters) {
    widths[c] = std::max(widths[c], static_cast<double>(characters));
  }
  void Keep(lxw_error error) {
    if (error_ == LXW_NO_ERROR) error_ = error;
  }

  // Writes a cell and returns its width in characters.
  size_t WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const Cell& cell) {
    if (const auto* text = std::get_if<std::string>(&cell)) {
      Keep(worksheet_write_string(sheet, row, col, text->c_str(), nullptr));
      return Characters(*text);
    }
    if (const auto* value = std::get_if<int64_t>(&cell)) {
      Keep(worksheet_write_number(sheet, row, col, static_cast<double>(*value), nullptr));
      return std::to_string(*value).size();
    }
    if (const auto* value = std::get_if<double>(&cell)) {
      Keep(worksheet_write_number(sheet, row, col, *value, nullptr));
      return ShortestDecimal(*value).size();
    }
    if (const auto* percent = std::get_if<PercentCell>(&cell)) {
      Keep(worksheet_write_number(sheet, row, col, percent->fraction, percent_));
      return 7;
    }
    if (const auto* date = std::get_if<Date>(&cell)) {
      lxw_datetime time = ExcelTime(*date, 0);
      Keep(worksheet_write_datetime(sheet, row, col, &time, date_));
      return 10;
    }
    if (const auto* at = std::get_if<Instant>(&cell)) {
      // Excel has no time zones: the local wall-clock time, as the calendar gives it.
      const int64_t local = at->seconds + calendar_.UtcOffsetSeconds(*at);
      const int64_t seconds_of_day = ((local % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay;
      lxw_datetime time = ExcelTime(calendar_.LocalDate(*at), static_cast<int>(seconds_of_day));
      Keep(worksheet_write_datetime(sheet, row, col, &time, time_));
      return 16;
    }
    if (std::holds_alternative<SuppressedCell>(cell)) {
      Keep(worksheet_write_string(sheet, row, col, std::string(kSuppressedText).c_str(), nullptr));
      return kSuppressedText.size();
    }
    return 0;  // empty
  }

  const Calendar& calendar_;
  lxw_format* header_;
  lxw_format* date_;
  lxw_format* time_;
  lxw_format* percent_;
  lxw_error error_ = LXW_NO_ERROR;
};

}  // namespace

std::string RenderCsv(const Table& table, const Calendar& calendar) {
  std::string out = "\xEF\xBB\xBF";
  for (size_t c = 0; c < table.headers.size(); ++c) {
    if (c > 0) out += ',';
    out += CsvField(table.headers[c]);
  }
  out += "\r\n";
  for (const std::vector<Cell>& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += CsvText(row[c], calendar);
    }
    out += "\r\n";
  }
  return out;
}

Status WriteXlsx(std::span<const Table> tables, const Calendar& calendar,
                 const std::filesystem::path& path) {
  if (Status names = CheckSheetNames(tables); !names) return names.error();
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    return Internal(fmt::format("{}: could not start a workbook", path.string()));
  }
  SheetWriter writer(workbook, calendar);
  lxw_error error = LXW_NO_ERROR;
  for (const Table& table : tables) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, table.name.c_str());
    if (sheet == nullptr) {
      error = LXW_ERROR_MEMORY_MALLOC_FAILED;
      break;
    }
    error = writer.Write(sheet, table);
    if (error != LXW_NO_ERROR) break;
  }
  // workbook_close writes the file and frees the workbook, also after an error.
  const lxw_error closed = workbook_close(workbook);
  if (error == LXW_NO_ERROR) error = closed;
  if (error != LXW_NO_ERROR) {
    return Internal(
        fmt::format("{}: could not write the workbook: {}", path.string(), lxw_strerror(error)));
  }
  return {};
}

Result<std::string> RenderXlsx(std::span<const Table> tables, const Calendar& calendar) {
  std::string name = (std::filesystem::temp_directory_path() / "tilsyn-export-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return Internal("could not create a temporary file for the workbook");
  ::close(fd);
  const std::filesystem::path path = name;
  Status written = WriteXlsx(tables, calendar, path);
  std::string bytes;
  if (written) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) written = Internal(fmt::format("{}: could not read the workbook back", name));
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  if (!written) return written.error();
  return bytes;
}

}  // namespace tilsyn
