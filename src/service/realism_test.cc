// The realism report against independent counts on a small generated municipality: the rates are
// check's, the distributions are what a direct count gives, the source shares add up.

#include "service/realism.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analytics/case_state.h"
#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "service/check.h"
#include "simulate/generate.h"
#include "simulate/municipality.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

// One municipality of 4,000 children aged 0–17, two years to 2026-09-30.
const Dataset& TheData() {
  static const Dataset data = [] {
    simulate::GenerateOptions options;
    options.children = 4000;
    options.years = 2;
    options.seed = 7;
    const fs::path dir =
        fs::temp_directory_path() / ("tilsyn-realism-report-" + std::to_string(getpid()));
    fs::remove_all(dir);
    const Result<simulate::GenerateSummary> summary =
        simulate::GenerateDataset(options, TheCatalogue(), dir);
    EXPECT_TRUE(summary) << summary.error().message;
    ReadOptions read;
    read.known_rule_ids = TheCatalogue().RuleIds();
    Result<Dataset> read_back = ReadInterchangeDirectory(dir, read);
    fs::remove_all(dir);
    if (!read_back) throw std::runtime_error(read_back.error().message);
    return std::move(*read_back);
  }();
  return data;
}

const Date kAsOf = simulate::DefaultUntil();

const RealismReport& TheReport() {
  static const RealismReport report = [] {
    const Engine engine(TheData(), TheCatalogue(), Calendar::Danish());
    Result<RealismReport> computed = ComputeRealism(engine, {kAsOf, 0});
    if (!computed) throw std::runtime_error(computed.error().message);
    return std::move(*computed);
  }();
  return report;
}

TEST(RealismSummariseTest, InterpolatesBetweenRanks) {
  const Distribution d = Summarise({4, 1, 3, 2});
  EXPECT_EQ(d.count, 4);
  EXPECT_DOUBLE_EQ(d.min, 1);
  EXPECT_DOUBLE_EQ(d.median, 2.5);
  EXPECT_DOUBLE_EQ(d.p10, 1.3);  // rank 0.3
  EXPECT_DOUBLE_EQ(d.p90, 3.7);  // rank 2.7
  EXPECT_DOUBLE_EQ(d.max, 4);
  EXPECT_DOUBLE_EQ(d.mean, 2.5);
  EXPECT_DOUBLE_EQ(Summarise({5}).p99, 5);
  EXPECT_EQ(Summarise({}).count, 0);
}

TEST(RealismReportTest, RatesAreWhatCheckComputes) {
  const Engine engine(TheData(), TheCatalogue(), Calendar::Danish());
  const CheckReport check = RunCheck(engine, {kAsOf, DefaultPeriod(kAsOf), 0});
  const RealismReport& report = TheReport();
  EXPECT_EQ(report.period.from, check.period.from);
  EXPECT_EQ(report.period.to, check.period.to);
  ASSERT_EQ(report.rates.size(), check.rates.size());
  for (size_t r = 0; r < check.rates.size(); ++r) {
    EXPECT_EQ(report.rates[r].count, check.rates[r].count) << TheCatalogue().rules[r].id;
  }
  int64_t measured = 0;
  for (const StatusCounts& counts : report.rates) measured += counts.Denominator();
  EXPECT_GT(measured, 500);
}

TEST(RealismReportTest, EventsPerChildAreADirectCount) {
  const Dataset& data = TheData();
  std::vector<size_t> counts;
  size_t total = 0;
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    const size_t n = data.child_end[child] - data.child_begin[child];
    if (n == 0) continue;
    counts.push_back(n);
    total += n;
  }
  ASSERT_GT(counts.size(), 100u);
  std::sort(counts.begin(), counts.end());
  const size_t mid = counts.size() / 2;
  const double median =
      counts.size() % 2 == 1
          ? static_cast<double>(counts[mid])
          : (static_cast<double>(counts[mid - 1]) + static_cast<double>(counts[mid])) / 2.0;
  const Distribution& d = TheReport().events_per_child;
  EXPECT_EQ(d.count, static_cast<int64_t>(counts.size()));
  EXPECT_DOUBLE_EQ(d.median, median);
  EXPECT_DOUBLE_EQ(d.max, static_cast<double>(counts.back()));
  EXPECT_NEAR(d.mean, static_cast<double>(total) / static_cast<double>(counts.size()), 1e-9);
  EXPECT_LE(d.median, d.p90);
  EXPECT_LE(d.p90, d.p99);
  EXPECT_LE(d.p99, d.max);
  EXPECT_EQ(TheReport().children, static_cast<int64_t>(data.children.size()));
}

TEST(RealismReportTest, CaseloadsCountEachOpenCaseOnce) {
  const Dataset& data = TheData();
  std::map<uint32_t, int> cases;
  int64_t open = 0;
  int64_t with_case = 0;
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    const CaseState state = ChildCaseState(data, child, kAsOf);
    with_case += state.opened ? 1 : 0;
    if (!state.open()) continue;
    ++open;
    if (state.worker != kNone) ++cases[state.worker];
  }
  int64_t within = 0;
  std::vector<double> loads;
  for (const auto& [worker, n] : cases) {
    const double load = n / data.workers[worker].fte;
    loads.push_back(load);
    within += load >= kGeneratorCaseloadRange.min_cases && load <= kGeneratorCaseloadRange.max_cases
                  ? 1
                  : 0;
  }
  const RealismReport& report = TheReport();
  EXPECT_EQ(report.open_cases, open);
  EXPECT_EQ(report.children_with_open_case, open);
  EXPECT_EQ(report.children_with_case, with_case);
  EXPECT_EQ(report.caseload.count, static_cast<int64_t>(cases.size()));
  EXPECT_EQ(report.within_generator_range, within);
  ASSERT_FALSE(loads.empty());
  EXPECT_DOUBLE_EQ(report.caseload.max, *std::max_element(loads.begin(), loads.end()));
  EXPECT_DOUBLE_EQ(report.caseload.min, *std::min_element(loads.begin(), loads.end()));
  EXPECT_EQ(report.recommended.min_cases, RecommendedCaseload(TheCatalogue())->min_cases);
  EXPECT_EQ(report.recommended.max_cases, RecommendedCaseload(TheCatalogue())->max_cases);
}

TEST(RealismReportTest, SourceSharesAddUpToAllNotifications) {
  const Dataset& data = TheData();
  int64_t notifications = 0;
  for (const Event& event : data.events) {
    notifications += event.type == EventType::kNotificationReceived ? 1 : 0;
  }
  const RealismReport& report = TheReport();
  ASSERT_GT(notifications, 100);
  EXPECT_EQ(report.notifications, notifications);
  int64_t sum = 0;
  double national = 0;
  for (int s = 0; s < kNotificationSourceCount; ++s) {
    sum += report.notifications_by_source[static_cast<size_t>(s)];
    national += simulate::NationalSourceShare(static_cast<NotificationSource>(s));
  }
  EXPECT_EQ(sum, notifications);
  EXPECT_NEAR(national, 1.0, 1e-9);
}

TEST(RealismReportTest, RendersEveryPartWithTheNationalFigures) {
  const std::string text = RenderRealismReport(TheReport(), TheCatalogue());
  for (const char* heading :
       {"# Realisme pr. 2026-09-30", "## 1. Lovmedholdelighed pr. krav",
        "## 2. Sagsstamme pr. rådgiver", "## 3. Sagsskridt pr. barn",
        "## 4. Underretninger efter underretter", "Danmarks Statistik", "Børnesagsbarometer"}) {
    EXPECT_NE(text.find(heading), std::string::npos) << heading;
  }
  for (const Rule& rule : TheCatalogue().rules) {
    const size_t row = text.find("| " + rule.name + " ");
    ASSERT_NE(row, std::string::npos) << rule.id;
    const std::string line = text.substr(row, text.find('\n', row) - row);
    const NationalFigure* national = rule.LatestNationalFigure();
    if (national == nullptr) {
      EXPECT_NE(line.find("—"), std::string::npos) << line;
    } else {
      EXPECT_NE(line.find(national->Period()), std::string::npos) << line;
    }
  }
  for (const char* source : {"| Skole", "| Politi", "| Anden myndighed", "| Barnet selv"}) {
    EXPECT_NE(text.find(source), std::string::npos) << source;
  }
  // Generated data name a source for every notification.
  EXPECT_EQ(text.find("Ikke angivet"), std::string::npos);
}

TEST(RealismReportTest, ACatalogueWithoutACaseloadBandIsAnError) {
  Catalogue catalogue = TheCatalogue();
  catalogue.local_standards.erase("caseload_recommended_max");
  const Engine engine(TheData(), catalogue, Calendar::Danish());
  const Result<RealismReport> report = ComputeRealism(engine, {kAsOf, 0});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tilsyn
