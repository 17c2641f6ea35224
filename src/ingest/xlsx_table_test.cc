#include "ingest/xlsx_table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

using Row = std::pair<uint32_t, std::vector<std::string>>;

// Every row a table hands out (row number and cells), and the error that ended it, if any.
struct TableContents {
  std::vector<Row> rows;
  std::string error;
};

TableContents ReadRows(TableSource& table) {
  TableContents contents;
  while (true) {
    Result<bool> next = table.Next();
    if (!next) {
      contents.error = next.error().message;
      return contents;
    }
    if (!*next) return contents;
    contents.rows.emplace_back(
        table.Row(), std::vector<std::string>(table.Cells().begin(), table.Cells().end()));
  }
}

std::vector<std::string> ColumnsOf(const TableSource& table) {
  return {table.Columns().begin(), table.Columns().end()};
}

// A workbook written by libxlsxwriter, as a spreadsheet program writes one. Rows and columns
// are 0-based here, as in libxlsxwriter: row 0 is the spreadsheet's row 1.
class Workbook {
 public:
  explicit Workbook(const fs::path& path, bool constant_memory = false) {
    lxw_workbook_options options = {.constant_memory = static_cast<uint8_t>(constant_memory),
                                    .tmpdir = nullptr,
                                    .use_zip64 = 0};
    workbook_ = workbook_new_opt(path.c_str(), &options);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  ~Workbook() {
    if (workbook_ != nullptr) workbook_close(workbook_);
  }

  lxw_worksheet* Sheet(const char* name) { return workbook_add_worksheet(workbook_, name); }
  lxw_format* Format(const char* code) {
    lxw_format* format = workbook_add_format(workbook_);
    format_set_num_format(format, code);
    return format;
  }
  lxw_format* BuiltInFormat(uint8_t id) {
    lxw_format* format = workbook_add_format(workbook_);
    format_set_num_format_index(format, id);
    return format;
  }
  lxw_error Close() {
    const lxw_error error = workbook_close(workbook_);
    workbook_ = nullptr;
    return error;
  }

 private:
  lxw_workbook* workbook_ = nullptr;
};

// The parts of a hand-made workbook: what libxlsxwriter cannot write (error cells, the 1904 date
// system, prefixed names, cells without references) or should never write (broken parts).
using Parts = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelationships =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string WorkbookXml(std::string_view inside) {
  return fmt::format("<workbook xmlns=\"{}\" xmlns:r=\"{}\">{}</workbook>", kMain, kRelationships,
                     inside);
}

constexpr std::string_view kOneSheet =
    "<sheets><sheet name=\"events\" sheetId=\"1\" r:id=\"rId1\"/></sheets>";

std::string RelsXml(std::string_view shared_strings_target, std::string_view styles_target) {
  std::string rels = fmt::format(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"{}/worksheet\" Target=\"worksheets/sheet1.xml\"/>",
      kRelationships);
  if (!shared_strings_target.empty()) {
    rels += fmt::format("<Relationship Id=\"rId2\" Type=\"{}/sharedStrings\" Target=\"{}\"/>",
                        kRelationships, shared_strings_target);
  }
  if (!styles_target.empty()) {
    rels += fmt::format("<Relationship Id=\"rId3\" Type=\"{}/styles\" Target=\"{}\"/>",
                        kRelationships, styles_target);
  }
  return rels + "</Relationships>";
}

std::string SheetXml(std::string_view rows) {
  return fmt::format("<worksheet xmlns=\"{}\"><sheetData>{}</sheetData></worksheet>", kMain, rows);
}

// A hand-made workbook with one sheet, "events", whose <sheetData> holds `rows`; the shared
// strings are `strings` (one <si> each, no part when empty).
Parts HandMade(std::string_view rows, const std::vector<std::string>& strings = {}) {
  Parts parts = {
      {"xl/workbook.xml", WorkbookXml(kOneSheet)},
      {"xl/_rels/workbook.xml.rels", RelsXml(strings.empty() ? "" : "sharedStrings.xml", "")},
      {"xl/worksheets/sheet1.xml", SheetXml(rows)}};
  if (!strings.empty()) {
    std::string items;
    for (const std::string& text : strings) items += fmt::format("<si><t>{}</t></si>", text);
    parts.emplace_back("xl/sharedStrings.xml",
                       fmt::format("<sst xmlns=\"{}\">{}</sst>", kMain, items));
  }
  return parts;
}

// An inline string cell, as the header rows of the hand-made workbooks use.
std::string Text(std::string_view reference, std::string_view text) {
  return fmt::format("<c r=\"{}\" t=\"inlineStr\"><is><t>{}</t></is></c>", reference, text);
}

class XlsxTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tilsyn_xlsx_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Path(std::string_view file) const { return dir_ / file; }

  // Writes the parts deflated, as spreadsheet programs do, or `stored` without compression.
  void WriteZip(std::string_view file, const Parts& parts, bool stored = false) const {
    int error = 0;
    zip_t* archive = zip_open(Path(file).c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    ASSERT_NE(archive, nullptr) << error;
    for (const auto& [name, content] : parts) {
      zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
      ASSERT_NE(source, nullptr);
      const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
      ASSERT_GE(index, 0);
      if (stored) {
        ASSERT_EQ(
            zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0),
            0);
      }
    }
    ASSERT_EQ(zip_close(archive), 0);
  }

  // Changes a 32-bit little-endian field of `file` by `delta`: damage no zip writer makes.
  void AddToField(std::string_view file, size_t (*locate)(const std::string& bytes),
                  int64_t delta) const {
    std::string bytes;
    {
      std::ifstream in(Path(file), std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const size_t at = locate(bytes);
    ASSERT_LE(at + 4, bytes.size());
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
      value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    value = static_cast<uint32_t>(value + delta);
    for (size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
    std::ofstream(Path(file), std::ios::binary | std::ios::trunc) << bytes;
  }

  // Opens the first sheet of `file` as "h.xlsx" would be named.
  Result<std::unique_ptr<TableSource>> Open(std::string_view file) const {
    return OpenXlsxTable(Path(file), "", "h.xlsx");
  }
  std::string OpenError(std::string_view file) const {
    Result<std::unique_ptr<TableSource>> table = Open(file);
    return table ? "(opened)" : table.error().message;
  }

  fs::path dir_;
};

// The sheet of the first two tests, written with shared strings (the default) or inline strings
// (libxlsxwriter's constant-memory mode). Rows are written in order, as that mode needs.
void WriteMixedSheet(Workbook& workbook) {
  lxw_worksheet* sheet = workbook.Sheet("events");
  lxw_format* date = workbook.Format("yyyy-mm-dd");
  // Row 1 stays empty: the header is the first row with a value.
  const std::array<const char*, 5> header = {"event_id", "amount", "fte", "placement", "reason"};
  for (size_t column = 0; column < header.size(); ++column) {
    worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(column), header[column], nullptr);
  }
  worksheet_write_string(sheet, 2, 0, "E1", nullptr);
  worksheet_write_number(sheet, 2, 1, 21000, nullptr);
  worksheet_write_number(sheet, 2, 2, 0.8, nullptr);
  worksheet_write_boolean(sheet, 2, 3, 1, nullptr);
  worksheet_write_string(sheet, 2, 4, "ja  ", nullptr);
  // A formatted cell without a value: the row holds nothing.
  worksheet_write_blank(sheet, 3, 0, date);
  worksheet_write_string(sheet, 4, 0, "E2", nullptr);
  worksheet_write_number(sheet, 4, 2, 1e6, nullptr);
  worksheet_write_boolean(sheet, 4, 3, 0, nullptr);
  worksheet_write_string(sheet, 5, 0, "E3", nullptr);
  worksheet_write_number(sheet, 5, 1, -3.25, nullptr);
  worksheet_write_number(sheet, 5, 2, 1.0 / 3, nullptr);
  worksheet_write_string(sheet, 5, 6, "beyond", nullptr);
  worksheet_write_string(sheet, 6, 0, "E4", nullptr);
  worksheet_write_string(sheet, 6, 1, "  ", nullptr);
  worksheet_write_string(sheet, 6, 4, "ja  \x01", nullptr);
}

void ExpectMixedSheet(TableSource& table) {
  EXPECT_EQ(table.Name(), "h.xlsx");
  EXPECT_EQ(ColumnsOf(table),
            (std::vector<std::string>{"event_id", "amount", "fte", "placement", "reason"}));
  EXPECT_EQ(table.Row(), 2u);
  EXPECT_EQ(table.RowCountHint(), 5u);  // rows 3 to 7, the blank row 4 included
  const TableContents contents = ReadRows(table);
  EXPECT_EQ(contents.error, "");
  // Row 4 has no value and is passed over. Missing cells are empty. A cell beyond the header
  // makes the row wider (validation reports it). 1e6 is written out, 1/3 keeps the 16 digits
  // libxlsxwriter wrote and gains no others, spaces are kept, and libxlsxwriter's _x0001_ for the
  // control character is undone.
  EXPECT_EQ(contents.rows, (std::vector<Row>{
                               {3, {"E1", "21000", "0.8", "true", "ja  "}},
                               {5, {"E2", "", "1000000", "false", ""}},
                               {6, {"E3", "-3.25", "0.3333333333333333", "", "", "", "beyond"}},
                               {7, {"E4", "  ", "", "", "ja  \x01"}},
                           }));
}

TEST_F(XlsxTableTest, ReadsSharedStringsNumbersBooleansAndSparseCells) {
  Workbook workbook(Path("w.xlsx"));
  WriteMixedSheet(workbook);
  ASSERT_EQ(workbook.Close(), LXW_NO_ERROR);
  Result<std::unique_ptr<TableSource>> table = Open("w.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ExpectMixedSheet(**table);
}

TEST_F(XlsxTableTest, ReadsInlineStringsAlike) {
  Workbook workbook(Path("w.xlsx"), /*constant_memory=*/true);
  WriteMixedSheet(workbook);
  ASSERT_EQ(workbook.Close(), LXW_NO_ERROR);
  Result<std::unique_ptr<TableSource>> table = Open("w.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ExpectMixedSheet(**table);
}

TEST_F(XlsxTableTest, NumbersInDateFormatsBecomeDatesAndTimes) {
  Workbook workbook(Path("d.xlsx"));
  lxw_worksheet* sheet = workbook.Sheet("dates");
  worksheet_write_string(sheet, 0, 0, "value", nullptr);
  lxw_row_t row = 0;
  const auto write_datetime = [&](lxw_format* format, lxw_datetime value) {
    worksheet_write_datetime(sheet, ++row, 0, &value, format);
  };
  const auto write_number = [&](lxw_format* format, double value) {
    worksheet_write_number(sheet, ++row, 0, value, format);
  };
  lxw_format* date = workbook.Format("yyyy-mm-dd");
  lxw_format* date_time = workbook.Format("dd/mm/yyyy hh:mm");
  write_datetime(date, {2025, 3, 14, 0, 0, 0});
  write_datetime(date, {2025, 3, 14, 10, 20, 0});
  write_datetime(date_time, {2025, 3, 14, 0, 0, 0});
  write_datetime(date_time, {2025, 3, 14, 10, 20, 30});
  write_datetime(workbook.BuiltInFormat(14), {2024, 2, 29, 0, 0, 0});
  write_datetime(workbook.BuiltInFormat(22), {2024, 12, 31, 23, 59, 0});
  write_number(workbook.BuiltInFormat(47), 45000.25);
  write_datetime(workbook.Format("[$-406]d. mmmm yyyy;@"), {2025, 6, 30, 0, 0, 0});
  write_datetime(date, {9999, 12, 31, 0, 0, 0});
  write_number(date, 1);
  write_number(date, 59);
  write_number(date, 60);
  write_number(date, 61);
  write_number(workbook.Format("0.00"), 45000);
  write_number(workbook.Format("0 \"days\""), 7);
  write_number(workbook.Format("[Red]0.0"), 1.5);
  write_number(workbook.Format("0\\d"), 3);
  write_number(workbook.Format("_-* #,##0.00 \"kr.\"_-;-* #,##0.00 \"kr.\"_-"), 21000.5);
  ASSERT_EQ(workbook.Close(), LXW_NO_ERROR);

  Result<std::unique_ptr<TableSource>> table = Open("d.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.error, "");
  const std::vector<std::string> expected = {
      "2025-03-14",           // a date format, a whole day
      "2025-03-14T10:20",     // a date format hides the time; the value still has it
      "2025-03-14T00:00",     // a format with hours shows midnight: a time, not a date alone
      "2025-03-14T10:20:30",  // seconds only when there are some
      "2024-02-29",           // built-in 14 (m/d/yyyy)
      "2024-12-31T23:59",     // built-in 22 (m/d/yyyy h:mm)
      "2023-03-15T06:00",     // built-in 47 (mmss.0); serial 45000 is 15 March 2023
      "2025-06-30",           // the [$-406] locale is not read; d, mmmm and yyyy are
      "9999-12-31",           // the last date Excel has
      "1900-01-01",           // serial 1
      "1900-02-28",           // serial 59
      "1900-02-29",           // serial 60: Excel's day that never was, for validation to reject
      "1900-03-01",           // serial 61
      "45000",                // 0.00: no date
      "7",                    // the d of "days" is quoted text
      "1.5",                  // the d of [Red] is a colour
      "3",                    // \d is a literal d
      "21000.5",              // the Danish accounting format: quoted "kr." and padding
  };
  ASSERT_EQ(contents.rows.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(contents.rows[i], Row(static_cast<uint32_t>(i + 2), {expected[i]}));
  }
}

TEST_F(XlsxTableTest, NumberInADateFormatOutsideExcelsDates) {
  for (const double serial : {-1.0, 2958466.0}) {
    Workbook workbook(Path("d.xlsx"));
    lxw_worksheet* sheet = workbook.Sheet("dates");
    worksheet_write_string(sheet, 0, 0, "id", nullptr);
    worksheet_write_string(sheet, 0, 1, "at", nullptr);
    worksheet_write_string(sheet, 1, 0, "E1", nullptr);
    worksheet_write_number(sheet, 1, 1, serial, workbook.Format("yyyy-mm-dd"));
    ASSERT_EQ(workbook.Close(), LXW_NO_ERROR);
    Result<std::unique_ptr<TableSource>> table = Open("d.xlsx");
    ASSERT_TRUE(table.has_value()) << table.error().message;
    const TableContents contents = ReadRows(**table);
    EXPECT_TRUE(contents.rows.empty());
    EXPECT_EQ(contents.error,
              fmt::format("h.xlsx:2:at: cell B2 holds {} in a date format, outside the dates a "
                          "workbook can show",
                          serial < 0 ? "-1" : "2958466"));
  }
}

TEST_F(XlsxTableTest, FindsSheetsByNameOrTakesTheFirst) {
  {
    Workbook workbook(Path("w.xlsx"));
    lxw_worksheet* units = workbook.Sheet("units");
    worksheet_write_string(units, 0, 0, "unit_id", nullptr);
    worksheet_write_string(units, 1, 0, "K", nullptr);
    lxw_worksheet* events = workbook.Sheet("events");
    worksheet_write_string(events, 0, 0, "event_id", nullptr);
    worksheet_write_string(events, 1, 0, "E1", nullptr);
    ASSERT_EQ(workbook.Close(), LXW_NO_ERROR);
  }
  Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(Path("w.xlsx"), "w.xlsx");
  ASSERT_TRUE(workbook.has_value()) << workbook.error().message;
  EXPECT_EQ(std::vector<std::string>(workbook->SheetNames().begin(), workbook->SheetNames().end()),
            (std::vector<std::string>{"units", "events"}));

  Result<std::unique_ptr<TableSource>> first = workbook->OpenSheet("", "w.xlsx[units]");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ((*first)->Name(), "w.xlsx[units]");
  EXPECT_EQ(ColumnsOf(**first), std::vector<std::string>{"unit_id"});

  Result<std::unique_ptr<TableSource>> events = workbook->OpenSheet("events", "w.xlsx[events]");
  ASSERT_TRUE(events.has_value()) << events.error().message;
  // The table keeps what it needs: the workbook may go first.
  workbook = InvalidArgument("closed");
  EXPECT_EQ(ReadRows(**events).rows, (std::vector<Row>{{2, {"E1"}}}));

  Result<std::unique_ptr<TableSource>> missing =
      OpenXlsxTable(Path("w.xlsx"), "children", "w.xlsx");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message,
            "w.xlsx: no sheet named \"children\" (the sheets are: units, events)");
}

TEST_F(XlsxTableTest, CellsHoldingErrorsNameTheCell) {
  const std::string header =
      fmt::format("<row r=\"1\">{}{}</row>", Text("A1", "id"), Text("B1", "at"));
  WriteZip("h.xlsx",
           HandMade(header + fmt::format("<row r=\"2\">{}<c r=\"B2\"><v>1</v></c></row>"
                                         "<row r=\"3\">{}<c r=\"B3\" t=\"e\"><v>#N/A</v></c></row>",
                                         Text("A2", "E1"), Text("A3", "E2"))));
  Result<std::unique_ptr<TableSource>> table = Open("h.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.rows, (std::vector<Row>{{2, {"E1", "1"}}}));
  EXPECT_EQ(contents.error, "h.xlsx:3:at: cell B3 holds the error #N/A");

  // Beyond the header the column has no name; in the header no column has one yet.
  WriteZip("h.xlsx",
           HandMade(header + "<row r=\"2\"><c r=\"D2\" t=\"e\"><v>#DIV/0!</v></c></row>"));
  table = Open("h.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ReadRows(**table).error, "h.xlsx:2: cell D2 holds the error #DIV/0!");

  WriteZip("h.xlsx", HandMade("<row r=\"1\"><c r=\"A1\" t=\"e\"><v>#REF!</v></c></row>"));
  EXPECT_EQ(OpenError("h.xlsx"), "h.xlsx:1: cell A1 holds the error #REF!");
}

TEST_F(XlsxTableTest, MalformedCellsAndRows) {
  const std::string header =
      fmt::format("<row r=\"1\">{}{}</row>", Text("A1", "id"), Text("B1", "at"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>7</v></c></row>",
       "h.xlsx:2:at: cell B2 refers to shared string 7, which the workbook does not have"},
      {"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>x</v></c></row>",
       "h.xlsx:2:at: cell B2 refers to shared string x, which the workbook does not have"},
      {"<row r=\"2\"><c r=\"B2\" t=\"b\"><v>2</v></c></row>",
       "h.xlsx:2:at: cell B2 holds the boolean \"2\", which is neither 0 nor 1"},
      {"<row r=\"2\"><c r=\"B2\"><v>abc</v></c></row>",
       "h.xlsx:2:at: cell B2 holds \"abc\", which is not a number"},
      {"<row r=\"2\"><c r=\"B2\" t=\"n\"><v>nan</v></c></row>",
       "h.xlsx:2:at: cell B2 holds \"nan\", which is not a number"},
      {"<row r=\"2\"><c r=\"B2\"><v>1x</v></c></row>",
       "h.xlsx:2:at: cell B2 holds \"1x\", which is not a number"},
      {"<row r=\"2\"><c r=\"B2\" t=\"x\"><v>1</v></c></row>",
       "h.xlsx:2:at: cell B2 has the unknown type \"x\""},
      {"<row r=\"2\"><c r=\"2B\"><v>1</v></c></row>",
       "h.xlsx:2: \"2B\" is not a cell reference (A1 to XFD1048576)"},
      {"<row r=\"2\"><c r=\"B\"><v>1</v></c></row>",
       "h.xlsx:2: \"B\" is not a cell reference (A1 to XFD1048576)"},
      {"<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>",
       "h.xlsx:2: \"XFE2\" is not a cell reference (A1 to XFD1048576)"},
      {"<row r=\"2\"><c r=\"XFD2\"><v>1</v></c><c><v>2</v></c></row>",
       "h.xlsx:2: the row has more than 16384 cells"},
      {"<row r=\"0\"><c r=\"B2\"><v>1</v></c></row>",
       "h.xlsx: \"0\" is not a row number (1 to 1048576)"},
      {"<row r=\"1048577\"><c r=\"B2\"><v>1</v></c></row>",
       "h.xlsx: \"1048577\" is not a row number (1 to 1048576)"},
  };
  for (const auto& [row, expected] : cases) {
    SCOPED_TRACE(row);
    WriteZip("h.xlsx", HandMade(header + row, {"id"}));
    Result<std::unique_ptr<TableSource>> table = Open("h.xlsx");
    ASSERT_TRUE(table.has_value()) << table.error().message;
    const TableContents contents = ReadRows(**table);
    EXPECT_TRUE(contents.rows.empty());
    EXPECT_EQ(contents.error, expected);
  }
}

TEST_F(XlsxTableTest, PrefixedNamesRichTextEscapesAndCellsWithoutReferences) {
  // As some writers make them: every name with a prefix, rows and cells without numbers, rich
  // text, phonetic runs, _xHHHH_ escapes, the 1904 date system, absolute relationship targets and
  // a format defined under a built-in id.
  const std::string_view ns = kMain;
  const std::string workbook = fmt::format(
      "<x:workbook xmlns:x=\"{}\" xmlns:rel=\"{}\"><x:workbookPr date1904=\"true\"/>"
      "<x:sheets><x:sheet name=\"events\" sheetId=\"1\" rel:id=\"rId1\"/></x:sheets>"
      "</x:workbook>",
      ns, kRelationships);
  const std::string strings = fmt::format(
      "<x:sst xmlns:x=\"{}\"><x:si><x:t>event_id</x:t></x:si>"
      "<x:si><x:r><x:t>a</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>t</x:t></x:r>"
      "<x:rPh sb=\"0\" eb=\"1\"><x:t>phonetic</x:t></x:rPh></x:si>"
      "<x:si><x:t>_x005F_x0041_ _x0041_ _xD800_ _x00e6_ _x12_ _xGGGG_ _x0041</x:t></x:si>"
      "</x:sst>",
      ns);
  const std::string styles = fmt::format(
      "<x:styleSheet xmlns:x=\"{}\"><x:numFmts count=\"2\">"
      "<x:numFmt numFmtId=\"14\" formatCode=\"0.0\"/>"
      "<x:numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/></x:numFmts>"
      "<x:cellXfs count=\"3\"><x:xf numFmtId=\"0\"/><x:xf numFmtId=\"164\"/>"
      "<x:xf numFmtId=\"14\"/></x:cellXfs></x:styleSheet>",
      ns);
  const std::string sheet = fmt::format(
      "<x:worksheet xmlns:x=\"{}\"><x:sheetData>"
      "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
      "<x:c t=\"inlineStr\"><x:is><x:t>note</x:t></x:is></x:c>"
      "<x:c t=\"inlineStr\"><x:is><x:t>when</x:t></x:is></x:c>"
      "<x:c t=\"inlineStr\"><x:is><x:t>n</x:t></x:is></x:c></x:row>"
      "<x:row><x:c t=\"s\"><x:v>2</x:v></x:c><x:c s=\"1\"><x:v>0</x:v></x:c>"
      "<x:c t=\"str\"><x:f>A1</x:f><x:v>a_x000A_b</x:v></x:c>"
      "<x:c s=\"1\"><x:v>43538.5</x:v></x:c><x:c s=\"2\"><x:v>14</x:v></x:c></x:row>"
      "<x:row r=\"5\"><x:c r=\"B5\" t=\"inlineStr\"><x:is><x:r><x:t>Børn </x:t></x:r>"
      "<x:r><x:t>og Unge</x:t></x:r></x:is></x:c><x:c t=\"b\"><x:v>1</x:v></x:c>"
      "<x:c t=\"d\"><x:v>2025-03-14T10:00:00</x:v></x:c><x:c s=\"9\"><x:v>2957003.5</x:v></x:c>"
      "</x:row>"
      "<x:row r=\"6\"><x:c r=\"A6\" t=\"s\"/><x:c r=\"B6\" t=\"str\"><x:v></x:v></x:c>"
      "<x:c r=\"E6\" s=\"1\"><x:v>2957003.5</x:v></x:c></x:row>"
      "</x:sheetData></x:worksheet>",
      ns);
  const std::string rels = fmt::format(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"{0}/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"{0}/sharedStrings\" Target=\"sharedStrings.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"{0}/styles\" Target=\"styles.xml\"/>"
      "</Relationships>",
      kRelationships);
  WriteZip("p.xlsx", {{"xl/workbook.xml", workbook},
                      {"xl/_rels/workbook.xml.rels", rels},
                      {"xl/worksheets/sheet1.xml", sheet},
                      {"xl/sharedStrings.xml", strings},
                      {"xl/styles.xml", styles}});
  Result<std::unique_ptr<TableSource>> table = Open("p.xlsx");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ColumnsOf(**table), (std::vector<std::string>{"event_id", "at", "note", "when", "n"}));
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.error, "");
  EXPECT_EQ(
      contents.rows,
      (std::vector<Row>{
          // Row 2 follows row 1; its cells follow one another from A. _x005F_ is the "_" of a
          // literal "_x0041_"; a lone surrogate is no character; a malformed escape stays as it
          // is. In the 1904 system day 0 is 1904-01-01 and day 43538 is 2023-03-15. Id 14 is the
          // workbook's own "0.0" here, not a date.
          {2,
           {"_x0041_ A \xEF\xBF\xBD \xC3\xA6 _x12_ _xGGGG_ _x0041", "1904-01-01T00:00", "a\nb",
            "2023-03-15T12:00", "14"}},
          // Row 5: C5 follows B5. Runs are joined and the phonetic run left out. A date as text
          // (t="d") is taken as it is; a style the workbook does not have shows a number.
          {5, {"", "Børn og Unge", "true", "2025-03-14T10:00:00", "2957003.5"}},
          // Row 6: cells without a value are empty; the 1904 system ends at serial 2957003.
          {6, {"", "", "", "", "9999-12-31T12:00"}},
      }));
}

TEST_F(XlsxTableTest, WorkbookThatCannotBeOpened) {
  EXPECT_EQ(OpenError("none.xlsx"), fmt::format("h.xlsx: file not found in {}", dir_.string()));
  fs::create_directory(Path("d.xlsx"));
  EXPECT_EQ(OpenError("d.xlsx"), "h.xlsx: not a regular file");
  std::ofstream(Path("t.xlsx")) << "event_id,at\nE1,2025-03-14\n";
  EXPECT_EQ(OpenError("t.xlsx"), "h.xlsx: not an XLSX workbook (not a zip archive)");

  WriteZip("z.xlsx", {{"hello.txt", "hello"}});
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: not an XLSX workbook (it has no xl/workbook.xml)");
  WriteZip("z.xlsx", {{"xl/workbook.xml", WorkbookXml(kOneSheet)}});
  EXPECT_EQ(OpenError("z.xlsx"),
            "h.xlsx: not an XLSX workbook (it has no xl/_rels/workbook.xml.rels)");

  // The relationship of the sheet names another id.
  Parts parts = HandMade("");
  parts[0].second =
      WorkbookXml("<sheets><sheet name=\"events\" sheetId=\"1\" r:id=\"rId9\"/></sheets>");
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"),
            "h.xlsx: not an XLSX workbook (sheet \"events\" has no relationship \"rId9\" in "
            "xl/_rels/workbook.xml.rels)");

  // Byte 21 is the name of </workbook>, where </sheets> was due.
  parts = HandMade("");
  parts[0].second = "<workbook><sheets></workbook>";
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"),
            "h.xlsx: xl/workbook.xml is not well-formed XML (Start-end tags mismatch at byte 21)");

  // A relationship to shared strings that are not there.
  parts = HandMade("");
  parts[1].second = RelsXml("sharedStrings.xml", "");
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: not an XLSX workbook (it has no xl/sharedStrings.xml)");

  // Byte 12 is the last, and <styleSheet> is still open.
  parts = HandMade("");
  parts[1].second = RelsXml("", "styles.xml");
  parts.emplace_back("xl/styles.xml", "<styleSheet>");
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"),
            "h.xlsx: xl/styles.xml is not well-formed XML (Start-end tags mismatch at byte 12)");
}

// Offsets into a zip archive (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16) whose first entry, the first
// central directory record, is xl/workbook.xml.
size_t FirstEntryFlags(const std::string& bytes) { return bytes.find("PK\1\2") + 8; }
size_t FirstEntryUnpackedSize(const std::string& bytes) { return bytes.find("PK\1\2") + 24; }
size_t FirstEntryData(const std::string& bytes) {
  // After the 30 bytes of the first local header, its name and its extra field.
  const auto length = [&](size_t at) {
    return static_cast<size_t>(static_cast<unsigned char>(bytes[at])) +
           256 * static_cast<size_t>(static_cast<unsigned char>(bytes[at + 1]));
  };
  return 30 + length(26) + length(28);
}
size_t CentralDirectoryOffset(const std::string& bytes) { return bytes.rfind("PK\5\6") + 16; }

TEST_F(XlsxTableTest, DamagedArchive) {
  const Parts parts = HandMade(fmt::format("<row r=\"1\">{}</row>", Text("A1", "id")));
  WriteZip("z.xlsx", parts);
  AddToField("z.xlsx", CentralDirectoryOffset, 1);
  EXPECT_EQ(OpenError("z.xlsx"),
            "h.xlsx: cannot be read as a zip archive (Zip archive inconsistent)");

  // An entry that says it unpacks to fewer bytes than it does (a zip bomb would), or to more.
  for (const int64_t delta : {-1, 1}) {
    WriteZip("z.xlsx", parts);
    AddToField("z.xlsx", FirstEntryUnpackedSize, delta);
    EXPECT_EQ(OpenError("z.xlsx"),
              "h.xlsx: xl/workbook.xml unpacks to another size than the archive says");
  }

  // A changed byte of stored data fails the entry's checksum.
  WriteZip("z.xlsx", parts, /*stored=*/true);
  AddToField("z.xlsx", FirstEntryData, 1);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: xl/workbook.xml cannot be read (CRC error)");

  // Flag bit 0 marks the entry as encrypted.
  WriteZip("z.xlsx", parts);
  AddToField("z.xlsx", FirstEntryFlags, 1);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: xl/workbook.xml cannot be read (No password provided)");
}

TEST_F(XlsxTableTest, RefusesAPartLargerThanAllowed) {
  std::string rows = fmt::format("<row r=\"1\">{}</row>", Text("A1", "id"));
  for (int row = 2; row < 100; ++row) {
    rows += fmt::format("<row r=\"{0}\">{1}</row>", row, Text(fmt::format("A{}", row), "E"));
  }
  const Parts parts = HandMade(rows);
  WriteZip("z.xlsx", parts);
  const size_t workbook_size = parts[0].second.size();
  const size_t limit = std::max(workbook_size, parts[1].second.size());
  Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(Path("z.xlsx"), "z.xlsx", workbook_size - 1);
  ASSERT_FALSE(workbook.has_value());
  EXPECT_EQ(
      workbook.error().message,
      fmt::format("z.xlsx: xl/workbook.xml would unpack to {} bytes, more than the {} allowed",
                  workbook_size, workbook_size - 1));
  // A part of exactly the limit is read; the sheet, larger, is refused when it is opened.
  workbook = XlsxWorkbook::Open(Path("z.xlsx"), "z.xlsx", limit);
  ASSERT_TRUE(workbook.has_value()) << workbook.error().message;
  Result<std::unique_ptr<TableSource>> sheet = workbook->OpenSheet("", "z.xlsx");
  ASSERT_FALSE(sheet.has_value());
  EXPECT_EQ(sheet.error().message,
            fmt::format("z.xlsx: xl/worksheets/sheet1.xml would unpack to {} bytes, more than the "
                        "{} allowed",
                        parts[2].second.size(), limit));
}

TEST_F(XlsxTableTest, SheetThatCannotBeRead) {
  Parts parts = HandMade("");
  parts.pop_back();  // the sheet's part
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: xl/worksheets/sheet1.xml is missing");

  parts = HandMade("");
  parts[0].second = WorkbookXml("<sheets/>");
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: the workbook has no sheets");

  WriteZip("z.xlsx", HandMade(""));
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: the sheet is empty (its first row must be the header)");
  // Rows whose cells hold nothing are no header either.
  WriteZip("z.xlsx", HandMade("<row r=\"1\"><c r=\"A1\" s=\"1\"/></row><row r=\"2\"/>"));
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: the sheet is empty (its first row must be the header)");
  // A worksheet without <sheetData> at all.
  parts = HandMade("");
  parts[2].second = fmt::format("<worksheet xmlns=\"{}\"/>", kMain);
  WriteZip("z.xlsx", parts);
  EXPECT_EQ(OpenError("z.xlsx"), "h.xlsx: the sheet is empty (its first row must be the header)");
}

}  // namespace
}  // namespace tilsyn
