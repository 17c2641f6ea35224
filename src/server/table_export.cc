#include "server/table_export.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace tilsyn::server {
namespace {

void AppendCsvCell(std::string& out, const std::string& cell) {
  const bool formula = !cell.empty() &&
                       (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@') &&
                       !(cell.size() > 1 && cell[0] == '-' && std::isdigit(cell[1]) != 0);
  const std::string text = formula ? "'" + cell : cell;
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvCell(out, cells[i]);
  }
  out += "\r\n";
}

bool IsNumber(const std::string& text, double& value) {
  if (text.empty() || text.size() > 20) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string TableCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  AppendCsvRow(out, table.columns);
  for (const std::vector<std::string>& row : table.rows) AppendCsvRow(out, row);
  return out;
}

Result<std::string> TableXlsx(const Table& table) {
  // libxlsxwriter writes to a file: a private temporary one, removed again.
  std::string path = (std::filesystem::temp_directory_path() / "tilsyn-export-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return Internal("cannot create a temporary file for the XLSX export");
  close(fd);
  const auto remove = [&path] { std::filesystem::remove(path); };
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    remove();
    return Internal("cannot create the XLSX workbook");
  }
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, table.name.c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < table.rows[r].size(); ++c) {
      const std::string& cell = table.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      double number = 0;
      if (IsNumber(cell, number)) {
        worksheet_write_number(sheet, row, col, number, nullptr);
      } else if (!cell.empty()) {
        worksheet_write_string(sheet, row, col, cell.c_str(), nullptr);
      }
    }
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    remove();
    return Internal(fmt::format("writing the XLSX export failed: {}", lxw_strerror(closed)));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  remove();
  return bytes;
}

}  // namespace tilsyn::server
