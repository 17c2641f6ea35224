#include "ingest/dataset_files.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset.h"
#include "ingest/csv.h"
#include "ingest/interchange_reader.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 4> kTables = {"units", "workers", "children", "events"};

// A table as rows of cells, the header first.
using Rows = std::vector<std::vector<std::string>>;

Rows ReadCsv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CsvTokenizer tokenizer(text);
  Rows rows;
  while (tokenizer.Next() == CsvStatus::kRow) {
    rows.emplace_back(tokenizer.cells().begin(), tokenizer.cells().end());
  }
  return rows;
}

// How a converted data set types a column, as a case system's export would.
enum class Kind : uint8_t { kText, kNumber, kBoolean, kTime };

Kind KindOf(std::string_view column) {
  if (column == "fte" || column == "amount") return Kind::kNumber;
  if (column == "at" || column == "birth_date") return Kind::kTime;
  for (const std::string_view flag :
       {"placement", "professional", "acute", "reasoned", "states_effort"}) {
    if (column == flag) return Kind::kBoolean;
  }
  return Kind::kText;
}

// One JSON object per row: numbers and booleans as JSON numbers and booleans, an empty cell as
// null on every other row and as a missing key on the rest.
void WriteJsonl(const fs::path& path, const Rows& rows) {
  std::ofstream out(path, std::ios::binary);
  const std::vector<std::string>& header = rows.front();
  for (size_t r = 1; r < rows.size(); ++r) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = rows[r][c];
      if (cell.empty()) {
        if (r % 2 == 0) object[header[c]] = nullptr;
        continue;
      }
      switch (KindOf(header[c])) {
        case Kind::kNumber:
          object[header[c]] = std::stod(cell);
          break;
        case Kind::kBoolean:
          object[header[c]] = cell == "true";
          break;
        case Kind::kText:
        case Kind::kTime:
          object[header[c]] = cell;
          break;
      }
    }
    out << object.dump() << '\n';
  }
}

// Writes a workbook with libxlsxwriter, as a spreadsheet program would, and closes it.
class WorkbookWriter {
 public:
  explicit WorkbookWriter(const fs::path& path)
      : workbook_(workbook_new(path.c_str())),
        date_(workbook_add_format(workbook_)),
        time_(workbook_add_format(workbook_)) {
    format_set_num_format(date_, "yyyy-mm-dd");
    format_set_num_format(time_, "dd-mm-yyyy hh:mm");
  }
  WorkbookWriter(const WorkbookWriter&) = delete;
  WorkbookWriter& operator=(const WorkbookWriter&) = delete;
  ~WorkbookWriter() { EXPECT_EQ(workbook_close(workbook_), LXW_NO_ERROR); }

  // A sheet of typed cells: numbers, booleans, dates and times as a spreadsheet holds them;
  // empty cells are not written at all.
  void AddSheet(std::string_view name, const Rows& rows) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, std::string(name).c_str());
    const std::vector<std::string>& header = rows.front();
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < header.size(); ++c) {
        const std::string& cell = rows[r][c];
        const auto row = static_cast<lxw_row_t>(r);
        const auto column = static_cast<lxw_col_t>(c);
        if (cell.empty()) continue;
        if (r == 0) {
          worksheet_write_string(sheet, row, column, cell.c_str(), nullptr);
          continue;
        }
        switch (KindOf(header[c])) {
          case Kind::kNumber:
            worksheet_write_number(sheet, row, column, std::stod(cell), nullptr);
            break;
          case Kind::kBoolean:
            worksheet_write_boolean(sheet, row, column, cell == "true" ? 1 : 0, nullptr);
            break;
          case Kind::kTime:
            WriteTime(sheet, row, column, cell);
            break;
          case Kind::kText:
            worksheet_write_string(sheet, row, column, cell.c_str(), nullptr);
            break;
        }
      }
    }
  }

 private:
  // "YYYY-MM-DD" as a date cell, "YYYY-MM-DDTHH:MM" as a date-time cell.
  void WriteTime(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const std::string& cell) {
    lxw_datetime value = {};
    if (cell.size() == 10 &&
        std::sscanf(cell.c_str(), "%d-%d-%d", &value.year, &value.month, &value.day) == 3) {
      worksheet_write_datetime(sheet, row, column, &value, date_);
      return;
    }
    ASSERT_EQ(cell.size(), 16u) << cell;
    ASSERT_EQ(std::sscanf(cell.c_str(), "%d-%d-%dT%d:%d", &value.year, &value.month, &value.day,
                          &value.hour, &value.min),
              5)
        << cell;
    worksheet_write_datetime(sheet, row, column, &value, time_);
  }

  lxw_workbook* workbook_;
  lxw_format* date_;
  lxw_format* time_;
};

void ExpectSameInterner(const Interner& expected, const Interner& actual) {
  ASSERT_EQ(actual.size(), expected.size());
  for (uint32_t code = 0; code < expected.size(); ++code) {
    EXPECT_EQ(actual.Text(code), expected.Text(code));
  }
}

// Every record and every field of two data sets, and the texts behind their codes.
void ExpectSameDataset(const Dataset& expected, const Dataset& actual) {
  ASSERT_EQ(actual.units.size(), expected.units.size());
  for (size_t i = 0; i < expected.units.size(); ++i) {
    SCOPED_TRACE(expected.units[i].id);
    EXPECT_EQ(actual.units[i].id, expected.units[i].id);
    EXPECT_EQ(actual.units[i].name, expected.units[i].name);
    EXPECT_EQ(actual.units[i].parent, expected.units[i].parent);
    EXPECT_EQ(actual.units[i].kind, expected.units[i].kind);
  }
  ASSERT_EQ(actual.workers.size(), expected.workers.size());
  for (size_t i = 0; i < expected.workers.size(); ++i) {
    SCOPED_TRACE(expected.workers[i].id);
    EXPECT_EQ(actual.workers[i].id, expected.workers[i].id);
    EXPECT_EQ(actual.workers[i].name, expected.workers[i].name);
    EXPECT_EQ(actual.workers[i].unit, expected.workers[i].unit);
    EXPECT_EQ(actual.workers[i].fte, expected.workers[i].fte);
  }
  ASSERT_EQ(actual.children.size(), expected.children.size());
  for (size_t i = 0; i < expected.children.size(); ++i) {
    SCOPED_TRACE(expected.children[i].id);
    EXPECT_EQ(actual.children[i].id, expected.children[i].id);
    EXPECT_EQ(actual.children[i].birth_date, expected.children[i].birth_date);
    EXPECT_EQ(actual.children[i].unit, expected.children[i].unit);
    EXPECT_EQ(actual.children[i].cpr_hash, expected.children[i].cpr_hash);
  }
  ASSERT_EQ(actual.events.size(), expected.events.size());
  ASSERT_EQ(actual.detail_links.size(), expected.detail_links.size());
  for (uint32_t i = 0; i < expected.events.size(); ++i) {
    const Event& want = expected.events[i];
    const Event& got = actual.events[i];
    SCOPED_TRACE(expected.event_ids.Text(want.id));
    EXPECT_EQ(got.at, want.at);
    EXPECT_EQ(got.worker, want.worker);
    EXPECT_EQ(got.ref, want.ref);
    EXPECT_EQ(got.measure, want.measure);
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.code, want.code);
    EXPECT_EQ(got.type, want.type);
    EXPECT_EQ(got.source, want.source);
    EXPECT_EQ(got.context, want.context);
    EXPECT_EQ(got.decision, want.decision);
    EXPECT_EQ(got.flags, want.flags);
    EXPECT_EQ(actual.LegalBasisOf(i), expected.LegalBasisOf(i));
    EXPECT_EQ(actual.ReasonOf(i), expected.ReasonOf(i));
    EXPECT_EQ(actual.AmountOreOf(i), expected.AmountOreOf(i));
  }
  EXPECT_EQ(actual.child_begin, expected.child_begin);
  EXPECT_EQ(actual.child_end, expected.child_end);
  ExpectSameInterner(expected.event_ids, actual.event_ids);
  ExpectSameInterner(expected.measure_ids, actual.measure_ids);
  ExpectSameInterner(expected.measure_types, actual.measure_types);
  ExpectSameInterner(expected.rule_ids, actual.rule_ids);
}

class DatasetFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tilsyn_dataset_files_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(std::string_view file, std::string_view text) const {
    std::ofstream(dir_ / file, std::ios::binary) << text;
  }
  // A workbook of one-row sheets, each named and headed by its name.
  void WriteWorkbook(std::string_view file, const std::vector<std::string_view>& sheets) const {
    WorkbookWriter writer(dir_ / file);
    for (const std::string_view sheet : sheets) {
      writer.AddSheet(sheet, {{std::string(sheet)}, {"x"}});
    }
  }
  std::string OpenError() const {
    Result<InterchangeTables> tables = OpenInterchangeTables(dir_);
    return tables ? "(opened)" : tables.error().message;
  }

  fs::path dir_;
};

TEST_F(DatasetFilesTest, FindsEachTableInAnyForm) {
  Write("units.csv", "unit_id\nK\n");
  Write("workers.jsonl", "{\"worker_id\":\"W1\"}\n");
  WriteWorkbook("children.xlsx", {"Ark1"});
  WriteWorkbook("kommune.xlsx", {"notes", "events"});
  // Left alone: a workbook without table sheets, Excel's lock file, a hidden file, other files.
  WriteWorkbook("budget.xlsx", {"Ark1"});
  Write("~$kommune.xlsx", "locked");
  Write(".units.xlsx", "hidden");
  Write("README.txt", "notes");

  Result<InterchangeTables> tables = OpenInterchangeTables(dir_);
  ASSERT_TRUE(tables.has_value()) << tables.error().message;
  EXPECT_EQ(tables->units->Name(), "units.csv");
  EXPECT_EQ(tables->workers->Name(), "workers.jsonl");
  EXPECT_EQ(tables->children->Name(), "children.xlsx");
  EXPECT_EQ(tables->events->Name(), "kommune.xlsx[events]");
  EXPECT_EQ(tables->events->Columns()[0], "events");
}

TEST_F(DatasetFilesTest, TableWorkbookWithSeveralSheets) {
  Write("units.csv", "unit_id\nK\n");
  Write("workers.csv", "worker_id\nW1\n");
  // The sheet named like the table, wherever it is; else the first.
  WriteWorkbook("children.xlsx", {"info", "children"});
  WriteWorkbook("events.xlsx", {"first", "second"});
  Result<InterchangeTables> tables = OpenInterchangeTables(dir_);
  ASSERT_TRUE(tables.has_value()) << tables.error().message;
  EXPECT_EQ(tables->children->Name(), "children.xlsx[children]");
  EXPECT_EQ(tables->children->Columns()[0], "children");
  EXPECT_EQ(tables->events->Name(), "events.xlsx[first]");
  EXPECT_EQ(tables->events->Columns()[0], "first");
}

TEST_F(DatasetFilesTest, TableInMoreThanOneForm) {
  Write("units.csv", "unit_id\nK\n");
  Write("units.jsonl", "{\"unit_id\":\"K\"}\n");
  WriteWorkbook("kommune.xlsx", {"units", "workers", "children"});
  Write("events.csv", "event_id\nE1\n");
  WriteWorkbook("events.xlsx", {"events"});
  EXPECT_EQ(OpenError(),
            "units.csv: the units table is also in units.jsonl and kommune.xlsx[units]; a data "
            "set must hold each table in one form only\n"
            "events.csv: the events table is also in events.xlsx; a data set must hold each "
            "table in one form only");
}

TEST_F(DatasetFilesTest, MissingTablesNameTheFormsLookedFor) {
  Write("workers.csv", "worker_id\nW1\n");
  Write("children.csv", "child_id\nC1\n");
  EXPECT_EQ(OpenError(),
            fmt::format("units: not found in {0} (looked for units.csv, units.jsonl, units.xlsx "
                        "and a sheet named units in another .xlsx workbook)\n"
                        "events: not found in {0} (looked for events.csv, events.jsonl, "
                        "events.xlsx and a sheet named events in another .xlsx workbook)",
                        dir_.string()));

  WriteWorkbook("kommune.xlsx", {"units"});
  EXPECT_EQ(OpenError(),
            fmt::format("events: not found in {} (looked for events.csv, events.jsonl, "
                        "events.xlsx and a sheet named events in kommune.xlsx)",
                        dir_.string()));
}

TEST_F(DatasetFilesTest, OnlyOneOtherWorkbookMayHoldTables) {
  WriteWorkbook("a.xlsx", {"units", "workers", "children", "events"});
  WriteWorkbook("b.xlsx", {"events"});
  WriteWorkbook("c.xlsx", {"children"});
  EXPECT_EQ(OpenError(),
            "b.xlsx: a second workbook with sheets named units, workers, children or events, "
            "beside a.xlsx; a data set may hold only one\n"
            "c.xlsx: a second workbook with sheets named units, workers, children or events, "
            "beside a.xlsx; a data set may hold only one");
}

TEST_F(DatasetFilesTest, CollectsEveryErrorOfEveryFile) {
  Write("broken.xlsx", "not a workbook");
  Write("units.csv", "");
  Write("workers.jsonl", "");
  Write("children.xlsx", "not a workbook either");
  fs::create_directory(dir_ / "events.xlsx");
  EXPECT_EQ(OpenError(),
            "broken.xlsx: not an XLSX workbook (not a zip archive)\n"
            "units.csv: the file is empty (its first row must be the header)\n"
            "workers.jsonl: the file is empty (it must hold at least one JSON object)\n"
            "children.xlsx: not an XLSX workbook (not a zip archive)\n"
            "events.xlsx: not a regular file");
}

TEST_F(DatasetFilesTest, SheetOfTheOtherWorkbookThatCannotBeRead) {
  Write("units.csv", "unit_id\nK\n");
  Write("workers.csv", "worker_id\nW1\n");
  Write("children.csv", "child_id\nC1\n");
  {
    WorkbookWriter writer(dir_ / "kommune.xlsx");
    writer.AddSheet("events", {{""}});
  }
  EXPECT_EQ(OpenError(),
            "kommune.xlsx[events]: the sheet is empty (its first row must be the header)");
}

TEST_F(DatasetFilesTest, DirectoryThatCannotBeRead) {
  const fs::path missing = dir_ / "missing";
  Result<InterchangeTables> tables = OpenInterchangeTables(missing);
  ASSERT_FALSE(tables.has_value());
  EXPECT_EQ(tables.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(tables.error().message,
            fmt::format("{}: cannot read the data set directory (No such file or directory)",
                        missing.string()));
}

// examples/kommune converted, as a case system would export it, into JSON Lines, into one
// workbook with four sheets and into four workbooks (typed cells: numbers, booleans, dates and
// times, empty cells left out) reads as the very same data set as the CSV files.
TEST_F(DatasetFilesTest, ExampleMunicipalityReadsAlikeInEveryForm) {
  const fs::path examples = fs::path(TILSYN_SOURCE_DIR) / "examples" / "kommune";
  ReadOptions options;
  options.cpr_key = "test key";
  Result<Dataset> from_csv = ReadInterchangeDirectory(examples, options);
  ASSERT_TRUE(from_csv.has_value()) << from_csv.error().message;
  ASSERT_EQ(from_csv->events.size(), 587u);  // examples/kommune/README.md

  const fs::path jsonl = dir_ / "jsonl";
  const fs::path one_workbook = dir_ / "one_workbook";
  const fs::path workbooks = dir_ / "workbooks";
  for (const fs::path& dir : {jsonl, one_workbook, workbooks}) fs::create_directories(dir);
  {
    WorkbookWriter kommune(one_workbook / "kommune.xlsx");
    for (const std::string_view table : kTables) {
      const Rows rows = ReadCsv(examples / fmt::format("{}.csv", table));
      WriteJsonl(jsonl / fmt::format("{}.jsonl", table), rows);
      kommune.AddSheet(table, rows);
      WorkbookWriter(workbooks / fmt::format("{}.xlsx", table)).AddSheet(table, rows);
    }
  }

  const std::vector<std::pair<fs::path, std::string>> forms = {
      {jsonl, "events.jsonl"},
      {one_workbook, "kommune.xlsx[events]"},
      {workbooks, "events.xlsx"},
  };
  for (const auto& [dir, events_file] : forms) {
    SCOPED_TRACE(dir.filename().string());
    Result<Dataset> read = ReadInterchangeDirectory(dir, options);
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(read->source.events_file, events_file);
    ExpectSameDataset(*from_csv, *read);
  }
}

}  // namespace
}  // namespace tilsyn
