#include "server/table_export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ingest/xlsx_table.h"

namespace tilsyn::server {
namespace {

TEST(TableExportTest, CsvQuotesAndDefusesFormulas) {
  const Table table{"liste",
                    {"id", "navn", "tal"},
                    {{"B001", "Søren, \"Bo\"", "-3"},
                     {"=HYPERLINK(\"x\")", "+45 1234", "@SUM"},
                     {"linje\nto", "", "0.25"}}};
  // A byte order mark, CRLF rows; a cell with a comma, quote or newline is quoted; a cell a
  // spreadsheet would run as a formula gets an apostrophe, a negative number does not.
  EXPECT_EQ(TableCsv(table),
            "\xEF\xBB\xBFid,navn,tal\r\n"
            "B001,\"Søren, \"\"Bo\"\"\",-3\r\n"
            "\"'=HYPERLINK(\"\"x\"\")\",'+45 1234,'@SUM\r\n"
            "\"linje\nto\",,0.25\r\n");
}

// The workbook reads back, through tilsyn's own XLSX reader, as the table it was made from.
TEST(TableExportTest, XlsxReadsBackAsTheTable) {
  const Table table{"liste", {"id", "navn", "tal"}, {{"B001", "Søren", "3"}, {"B002", "", "0.5"}}};
  Result<std::string> xlsx = TableXlsx(table);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "tilsyn-table-export-test.xlsx";
  std::ofstream(path, std::ios::binary) << *xlsx;
  Result<std::unique_ptr<TableSource>> sheet = OpenXlsxTable(path, "liste", "liste.xlsx");
  ASSERT_TRUE(sheet) << sheet.error().message;
  const std::vector<std::string> columns((*sheet)->Columns().begin(), (*sheet)->Columns().end());
  EXPECT_EQ(columns, table.columns);
  for (const std::vector<std::string>& expected : table.rows) {
    Result<bool> more = (*sheet)->Next();
    ASSERT_TRUE(more && *more);
    const std::span<const std::string_view> cells = (*sheet)->Cells();
    for (size_t c = 0; c < expected.size(); ++c) EXPECT_EQ(cells[c], expected[c]) << c;
  }
  Result<bool> more = (*sheet)->Next();
  ASSERT_TRUE(more);
  EXPECT_FALSE(*more);
}

}  // namespace
}  // namespace tilsyn::server
