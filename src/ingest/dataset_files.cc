#include "ingest/dataset_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/jsonl_table.h"
#include "ingest/xlsx_table.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

// The tables in the order their errors are listed.
constexpr std::array<std::string_view, 4> kTables = {"units", "workers", "children", "events"};

bool IsTableName(std::string_view name) {
  return std::find(kTables.begin(), kTables.end(), name) != kTables.end();
}

// Whether `file` is `<table>.xlsx` for one of the tables.
bool IsTableWorkbook(std::string_view file) {
  return file.ends_with(".xlsx") && IsTableName(file.substr(0, file.size() - 5));
}

bool HasTableSheet(const XlsxWorkbook& workbook) {
  const std::span<const std::string> sheets = workbook.SheetNames();
  return std::any_of(sheets.begin(), sheets.end(),
                     [](const std::string& sheet) { return IsTableName(sheet); });
}

bool HasSheet(const XlsxWorkbook& workbook, std::string_view sheet) {
  const std::span<const std::string> sheets = workbook.SheetNames();
  return std::find(sheets.begin(), sheets.end(), sheet) != sheets.end();
}

// "a", "a and b", "a, b and c".
std::string ListInWords(std::span<const std::string> items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? " and " : ", ";
    text += items[i];
  }
  return text;
}

// Opens `<table>.xlsx`: its sheet named like the table, else its first sheet. Messages name the
// sheet only when the workbook has others.
Result<std::unique_ptr<TableSource>> OpenTableWorkbook(const fs::path& path,
                                                       const std::string& file,
                                                       std::string_view table) {
  Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(path, file);
  if (!workbook) return workbook.error();
  const std::span<const std::string> sheets = workbook->SheetNames();
  const std::string_view sheet = HasSheet(*workbook, table) ? table : std::string_view();
  const std::string_view shown = !sheet.empty() || sheets.empty() ? sheet : sheets.front();
  return workbook->OpenSheet(sheet, sheets.size() > 1 ? fmt::format("{}[{}]", file, shown) : file);
}

// Opens `<table>.csv`, `<table>.jsonl` or `<table>.xlsx`, as its extension says.
Result<std::unique_ptr<TableSource>> OpenTableFile(const fs::path& dir, const std::string& file,
                                                   std::string_view table) {
  if (file.ends_with(".csv")) return OpenCsvTable(dir, file);
  if (file.ends_with(".jsonl")) return OpenJsonlTable(dir / file, file);
  return OpenTableWorkbook(dir / file, file, table);
}

}  // namespace

Result<InterchangeTables> OpenInterchangeTables(const std::filesystem::path& dir) {
  // Sorted, so that errors come in the same order whatever order the directory lists files in.
  std::set<std::string, std::less<>> files;
  std::error_code list_error;
  for (fs::directory_iterator entry(dir, list_error);
       !list_error && entry != fs::directory_iterator(); entry.increment(list_error)) {
    files.insert(entry->path().filename().string());
  }
  if (list_error) {
    return InvalidArgument(fmt::format("{}: cannot read the data set directory ({})", dir.string(),
                                       list_error.message()));
  }

  std::vector<std::string> errors;
  // The other workbook, the one whose sheets may hold any of the tables.
  std::optional<XlsxWorkbook> book;
  std::string book_file;
  for (const std::string& file : files) {
    if (!file.ends_with(".xlsx") || file.starts_with('.') || file.starts_with("~$") ||
        IsTableWorkbook(file)) {
      continue;
    }
    Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(dir / file, file);
    if (!workbook) {
      errors.push_back(workbook.error().message);
    } else if (!HasTableSheet(*workbook)) {
      continue;
    } else if (book) {
      errors.push_back(fmt::format(
          "{}: a second workbook with sheets named units, workers, children or events, beside {}; "
          "a data set may hold only one",
          file, book_file));
    } else {
      book.emplace(std::move(workbook).value());
      book_file = file;
    }
  }

  InterchangeTables tables;
  const std::array<std::unique_ptr<TableSource>*, 4> slots = {&tables.units, &tables.workers,
                                                              &tables.children, &tables.events};
  for (size_t i = 0; i < kTables.size(); ++i) {
    const std::string_view table = kTables[i];
    const std::string csv = fmt::format("{}.csv", table);
    const std::string jsonl = fmt::format("{}.jsonl", table);
    const std::string xlsx = fmt::format("{}.xlsx", table);
    std::vector<std::string> found;
    for (const std::string& file : {csv, jsonl, xlsx}) {
      if (files.contains(file)) found.push_back(file);
    }
    const bool in_book = book && HasSheet(*book, table);
    if (in_book) found.push_back(fmt::format("{}[{}]", book_file, table));

    if (found.empty()) {
      errors.push_back(
          fmt::format("{}: not found in {} (looked for {}, {}, {} and a sheet named {} in {})",
                      table, dir.string(), csv, jsonl, xlsx, table,
                      book ? book_file : std::string("another .xlsx workbook")));
      continue;
    }
    if (found.size() > 1) {
      errors.push_back(fmt::format(
          "{}: the {} table is also in {}; a data set must hold each table in one form only",
          found.front(), table, ListInWords(std::span(found).subspan(1))));
      continue;
    }
    Result<std::unique_ptr<TableSource>> opened =
        in_book ? book->OpenSheet(table, found.front()) : OpenTableFile(dir, found.front(), table);
    if (opened) {
      *slots[i] = std::move(opened).value();
    } else {
      errors.push_back(opened.error().message);
    }
  }

  if (!errors.empty()) return InvalidArgument(fmt::format("{}", fmt::join(errors, "\n")));
  return tables;
}

}  // namespace tilsyn
