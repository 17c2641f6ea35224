#include "service/export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "ingest/xlsx_table.h"
#include "service/case_view.h"
#include "service/obligation_list.h"
#include "service/tables.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using testing_support::ReadDatasetText;
using testing_support::SourceCatalogue;

const Calendar& Danish() { return Calendar::Danish(); }

// Friday 14 March 2025 at 23:59:59 in Copenhagen (UTC+1 in winter).
Instant EndOf14March() { return Danish().EndOfDay(DateFromYmd(2025, 3, 14)); }

Table Sample() {
  return {"Lovmedholdelighed",
          {"Navn", "Antal", "Andel", "Dato", "Frist", "Skjult", "Tom", "Decimal"},
          {{std::string("Ærø, \"Syd\""), int64_t{3}, PercentCell{0.5195}, DateFromYmd(2025, 3, 14),
            EndOf14March(), SuppressedCell{}, std::monostate{}, 1.25},
           {std::string("To\nlinjer"), int64_t{-2}, PercentCell{1.0}, DateFromYmd(2024, 2, 29),
            Danish().FromLocal(DateFromYmd(2024, 7, 1), 8 * 3600 + 30 * 60), int64_t{0},
            std::string("x"), 1000000.0}}};
}

TEST(CsvTest, Rfc4180WithAByteOrderMark) {
  EXPECT_EQ(RenderCsv(Sample(), Danish()),
            "\xEF\xBB\xBF"
            "Navn,Antal,Andel,Dato,Frist,Skjult,Tom,Decimal\r\n"
            "\"Ærø, \"\"Syd\"\"\",3,0.5195,2025-03-14,2025-03-14T23:59:59+01:00,diskretioneret,,"
            "1.25\r\n"
            "\"To\nlinjer\",-2,1.0000,2024-02-29,2024-07-01T08:30:00+02:00,0,x,1000000\r\n");
}

// Every cell of a sheet as the interchange reader sees it, row by row.
std::vector<std::vector<std::string>> ReadSheet(const fs::path& path, std::string_view sheet) {
  Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(path, "export.xlsx");
  EXPECT_TRUE(workbook) << workbook.error().message;
  Result<std::unique_ptr<TableSource>> table = workbook->OpenSheet(sheet, std::string(sheet));
  EXPECT_TRUE(table) << table.error().message;
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back((*table)->Columns().begin(), (*table)->Columns().end());
  while (true) {
    Result<bool> next = (*table)->Next();
    EXPECT_TRUE(next) << next.error().message;
    if (!next || !*next) break;
    rows.emplace_back((*table)->Cells().begin(), (*table)->Cells().end());
  }
  return rows;
}

TEST(XlsxTest, ReadsBackWithTheIngestReader) {
  const fs::path path =
      fs::temp_directory_path() / ("tilsyn-export-" + std::to_string(::getpid()) + ".xlsx");
  Table second{"Krav", {"Barn"}, {{std::string("C1")}}};
  const std::vector<Table> tables = {Sample(), second};
  ASSERT_TRUE(WriteXlsx(tables, Danish(), path));

  const std::vector<std::vector<std::string>> rows = ReadSheet(path, "Lovmedholdelighed");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Navn", "Antal", "Andel", "Dato", "Frist", "Skjult",
                                               "Tom", "Decimal"}));
  // Numbers, percentages and dates are real cells: the reader gives their values back; the
  // instant is the local wall-clock time.
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"Ærø, \"Syd\"", "3", "0.5195", "2025-03-14",
                                      "2025-03-14T23:59:59", "diskretioneret", "", "1.25"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"To\nlinjer", "-2", "1", "2024-02-29",
                                               "2024-07-01T08:30", "0", "x", "1000000"}));
  EXPECT_EQ(ReadSheet(path, "Krav"), (std::vector<std::vector<std::string>>{{"Barn"}, {"C1"}}));
  fs::remove(path);

  Result<std::string> bytes = RenderXlsx(tables, Danish());
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip archive
}

TEST(XlsxTest, RefusesSheetNamesExcelRefuses) {
  const fs::path path = fs::temp_directory_path() / "tilsyn-export-refused.xlsx";
  for (const std::string& name :
       {std::string("Krav/Sager"), std::string(""), std::string(32, 'a'), std::string("'Krav")}) {
    const std::vector<Table> tables = {Table{name, {"A"}, {}}};
    EXPECT_EQ(WriteXlsx(tables, Danish(), path).error().code, ErrorCode::kInvalidArgument) << name;
  }
  const std::vector<Table> twice = {Table{"Krav", {"A"}, {}}, Table{"KRAV", {"A"}, {}}};
  EXPECT_EQ(WriteXlsx(twice, Danish(), path).error().message, "two sheets are named \"KRAV\"");
  EXPECT_FALSE(WriteXlsx({}, Danish(), path));
  EXPECT_FALSE(fs::exists(path));
}

// The lines of a table as CSV, without the byte order mark.
std::vector<std::string> CsvLines(const Table& table) {
  const std::string csv = RenderCsv(table, Danish()).substr(3);
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = csv.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  return lines;
}

class TablesTest : public testing::Test {
 protected:
  TablesTest()
      : data_(ReadDatasetText("tables", TestMunicipality())),
        engine_(data_, SourceCatalogue(), Danish()),
        obligations_(engine_.EvaluateAll(kAsOf, 1)) {}

  static inline const Date kAsOf = DateFromYmd(2025, 6, 30);
  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
};

TEST_F(TablesTest, RatesWithDanishHeadersAndTheNationalFigure) {
  RatesRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2025, 1, 1), kAsOf};
  request.unit_id = "K";
  const RatesReport report = BuildRatesReport(engine_, obligations_, request).value();
  const std::vector<std::string> lines = CsvLines(RatesTable(report));
  ASSERT_EQ(lines.size(), 17u);  // the header and 16 rules
  EXPECT_EQ(lines[0],
            "Krav,Kravets id,Rettidigt,For sent,Overskredet,Åbne,Undtaget,Ikke relevant,"
            "Opgjort i alt,Andel rettidig,Udført i alt,Andel udført,Klokkeslæt antaget,Landstal,"
            "Landstal fra");
  // test_municipality.h: 1 met, 1 late, 2 overdue, 1 open, 1 exempted; 96 % in 2023.
  EXPECT_EQ(lines[1],
            "Underretning vurderet inden 24 timer,notification_assessed_24h,1,1,2,1,1,0,4,0.2500,2,"
            "0.5000,0,0.9600,2023");
  // No obligation: no rate; no national figure.
  EXPECT_EQ(lines[2],
            "Kvittering til fagperson inden 6 hverdage,notification_receipt_6_weekdays,0,0,0,0,0,0,"
            "0,,0,,0,,");

  const std::vector<std::string> workers = CsvLines(WorkerRatesTable(report));
  ASSERT_EQ(workers.size(), 1u + 6 * 16);  // W1, W2, W3, W4, L1 and the unassigned
  EXPECT_EQ(workers[1],
            "Anne Holm,W1,Team 1,Underretning vurderet inden 24 timer,notification_assessed_24h,"
            "1,1,0,0,0,0,2,0.5000,2,1.0000,0");
  EXPECT_TRUE(
      workers[1 + 5 * 16].starts_with("Uden rådgiver,,,Underretning vurderet inden 24 "
                                      "timer,notification_assessed_24h,0,0,1,"))
      << workers[1 + 5 * 16];
}

TEST_F(TablesTest, SuppressedCellsSaySo) {
  RatesRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2025, 1, 1), DateFromYmd(2025, 3, 31)};
  request.unit_id = "K";
  request.by_worker = false;
  request.suppress_small_counts = true;
  const RatesReport report = BuildRatesReport(engine_, obligations_, request).value();
  // Q1 2025: 1 met, 1 late, 0 overdue, 1 open, 1 exempted: the ones hidden, and what they give.
  EXPECT_EQ(CsvLines(RatesTable(report))[1],
            "Underretning vurderet inden 24 timer,notification_assessed_24h,diskretioneret,"
            "diskretioneret,0,diskretioneret,diskretioneret,0,diskretioneret,diskretioneret,"
            "diskretioneret,diskretioneret,0,0.9600,2023");
}

TEST_F(TablesTest, WorklistAndCaseload) {
  WorklistRequest request;
  request.as_of = kAsOf;
  request.worker_id = "W2";
  EXPECT_EQ(CsvLines(WorklistTable(BuildWorklist(engine_, obligations_, request).value())),
            (std::vector<std::string>{
                "Frist,Dage til frist,Status,Barn,Krav,Næste skridt,Lovgrundlag,Udløst af,"
                "Sagsskridt,Udløst",
                "2025-04-02T08:00:00+02:00,-89,overskredet,C3,Underretning vurderet inden 24 "
                "timer,Vurdér underretningen,BL § 136,underretning modtaget,N3,"
                "2025-04-01T08:00:00+02:00"}));

  const std::vector<std::string> caseload =
      CsvLines(CaseloadTable(BuildCaseloadReport(engine_, {kAsOf, "T1"}).value()));
  const std::string header =
      "Rådgiver,Rådgiverens id,Enhed,Åbne sager,Stillingsbrøk,Sager pr. fuldtidsstilling,"
      "Ift. anbefalet 20-30 sager";
  EXPECT_EQ(caseload, (std::vector<std::string>{header, "Anne Holm,W1,Team 1,2,1,2,under anbefalet",
                                                "Bo Lund,W2,Team 1,1,0.5,2,under anbefalet",
                                                "Uden rådgiver,,,0,,,", "I alt,,Team 1,3,1.5,,"}));
}

TEST_F(TablesTest, TrendAndObligations) {
  const TrendReport trend =
      BuildTrendReport(engine_, obligations_, {kAsOf, "T1", 2, false}).value();
  const std::vector<std::string> lines = CsvLines(TrendTable(trend));
  ASSERT_EQ(lines.size(), 1u + 2 * 16);  // two quarters of 16 rules
  EXPECT_EQ(lines[0],
            "Kvartal,Fra,Til,Afsluttet,Krav,Kravets id,Rettidigt,For sent,Overskredet,Åbne,"
            "Undtaget,Ikke relevant,Opgjort i alt,Andel rettidig,Udført i alt,Andel udført,"
            "Klokkeslæt antaget");
  // T1 in Q1 2025: C1 met, C2 late; in Q2: C3 overdue.
  EXPECT_EQ(lines[1],
            "K1 2025,2025-01-01,2025-03-31,ja,Underretning vurderet inden 24 timer,"
            "notification_assessed_24h,1,1,0,0,0,0,2,0.5000,2,1.0000,0");
  EXPECT_EQ(lines[17],
            "K2 2025,2025-04-01,2025-06-30,ja,Underretning vurderet inden 24 timer,"
            "notification_assessed_24h,0,0,1,0,0,0,1,0.0000,0,0.0000,0");

  ObligationListRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2025, 1, 1), kAsOf};
  request.status = "done";
  const ObligationList list = ListObligations(engine_, obligations_, request).value();
  EXPECT_EQ(CsvLines(ObligationsTable(list.rows)),
            (std::vector<std::string>{
                "Krav,Lovgrundlag,Barn,Udløst af,Sagsskridt,Udløst,Frist,Status,Opfyldt af,"
                "Rådgiver,Enhed,Næste skridt",
                "Underretning vurderet inden 24 timer,BL § 136,C1,underretning modtaget,N1,"
                "2025-02-03T10:00:00+01:00,2025-02-04T10:00:00+01:00,overholdt,V1,Anne Holm,"
                "Team 1,",
                "Underretning vurderet inden 24 timer,BL § 136,C2,underretning modtaget,N2,"
                "2025-03-03T09:00:00+01:00,2025-03-04T09:00:00+01:00,overholdt for sent,V2,"
                "Anne Holm,Team 1,"}));
}

TEST_F(TablesTest, CaseEvents) {
  const CaseView view = BuildCaseView(engine_, "C7", kAsOf).value();
  // A date-only registration is a date; a timed one a time.
  EXPECT_EQ(CsvLines(CaseEventsTable(view)),
            (std::vector<std::string>{
                "Tidspunkt,Sagsskridt,Id,Rådgiver,Henviser til,Foranstaltning,"
                "Foranstaltningstype,Afgørelse,Samtale ifm.,Anbringelse,Undtaget krav,"
                "Begrundelse,Lovgrundlag,Annulleret",
                "2025-01-02,sag tildelt rådgiver,A7,Carla Nørgaard,,,,,,,,,,nej",
                "2025-01-20T10:00:00+01:00,underretning modtaget,N7,,,,,,,,,,,nej",
                "2025-01-22,undtagelse,X7,,N7,,,,,,notification_assessed_24h,Fejladresseret,,"
                "nej"}));
  EXPECT_EQ(ObligationsTable(view.obligations, "Krav i sagen").rows.size(), 1u);
}

}  // namespace
}  // namespace tilsyn
