// The generated data look like a Danish authority's: compliance per rule near the national figures
// (as `tilsyn check` measures it), caseloads in the usual range, notifications from the usual
// sources, every kind of event, and decisions citing the law in force on their date.
//
// One data set serves every test: 20 municipalities, 100,000 children aged 0–17, two years, seed
// 1. Twenty municipalities, because teams and caseworkers differ on purpose (dashboards are to
// find them), and a figure over a handful of teams strays further from the national mean.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/engine.h"
#include "service/check.h"
#include "simulate/compliance.h"
#include "simulate/generate.h"
#include "simulate/municipality.h"

namespace tilsyn::simulate {
namespace {

namespace fs = std::filesystem;

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

struct Generated {
  GenerateOptions options;
  Dataset data;
};

const Generated& TheData() {
  static const Generated generated = [] {
    Generated g;
    g.options.municipalities = 20;
    g.options.children = 100000;
    g.options.years = 2;
    g.options.seed = 1;
    const fs::path dir = fs::temp_directory_path() / ("tilsyn-realism-" + std::to_string(getpid()));
    fs::remove_all(dir);
    const Result<GenerateSummary> summary = GenerateDataset(g.options, TheCatalogue(), dir);
    EXPECT_TRUE(summary) << summary.error().message;
    ReadOptions read;
    read.known_rule_ids = TheCatalogue().RuleIds();
    Result<Dataset> data = ReadInterchangeDirectory(dir, read);
    EXPECT_TRUE(data) << data.error().message;
    if (data) g.data = std::move(*data);
    fs::remove_all(dir);
    return g;
  }();
  return generated;
}

// The rates as `tilsyn check --as-of <until>` gives them: obligations due in the last year.
TEST(RealismTest, RatesPerRuleAreNearTheTargets) {
  const Generated& g = TheData();
  const Engine engine(g.data, TheCatalogue(), Calendar::Danish());
  const CheckReport report = RunCheck(engine, {g.options.until, DefaultPeriod(g.options.until), 0});
  const ComplianceTargets targets = TargetsFromCatalogue(TheCatalogue());
  for (size_t r = 0; r < kRequirementCount; ++r) {
    const auto requirement = static_cast<Requirement>(r);
    const int rule = targets.RuleOf(requirement);
    ASSERT_GE(rule, 0);
    const StatusCounts& counts = report.rates[static_cast<size_t>(rule)];
    const std::optional<double> rate = counts.Rate();
    ASSERT_TRUE(rate) << InfoOf(requirement).rule << " has no obligations due in the year";
    // The target is where an average team lands. Teams differ on purpose (a team's effect has a
    // standard deviation of about eight points at a 50 % target), and the largest of these
    // municipalities weighs most, so their mean strays from the national one by a few points: up
    // to seven where the rate rests on 400 obligations or more (its own standard error is then at
    // most 2.5 points), twelve below that.
    const double tolerance = counts.Denominator() >= 400 ? 0.07 : 0.12;
    EXPECT_NEAR(*rate, targets.MeasuredRateOf(requirement), tolerance)
        << InfoOf(requirement).rule << " over " << counts.Denominator() << " obligations";
  }
}

// Open cases per full-time caseworker on the last day, from the assignments and closures.
TEST(RealismTest, MostCaseloadsAreBetween20And35PerFullTimeCaseworker) {
  const Generated& g = TheData();
  const Dataset& data = g.data;
  std::vector<int> cases(data.workers.size(), 0);
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    bool open = false;
    uint32_t worker = kNone;
    for (const Event& event : data.EventsOf(child)) {
      if (Calendar::Danish().LocalDate(event.at) > g.options.until) break;
      switch (event.type) {
        case EventType::kWorkerAssigned:
          worker = event.worker;
          open = true;
          break;
        case EventType::kNotificationReceived:
        case EventType::kCaseReopened:
          open = true;
          break;
        case EventType::kCaseClosed:
          open = false;
          break;
        default:
          break;
      }
    }
    if (open && worker != kNone) ++cases[worker];
  }
  int holding = 0;
  int within = 0;
  for (size_t w = 0; w < cases.size(); ++w) {
    if (cases[w] == 0) continue;
    ++holding;
    const double load = cases[w] / data.workers[w].fte;
    within += load >= 20 && load <= 35 ? 1 : 0;
  }
  ASSERT_GT(holding, 100);
  EXPECT_GE(static_cast<double>(within) / holding, 0.75)
      << within << " of " << holding << " caseworkers carry 20 to 35 cases per FTE";
}

TEST(RealismTest, NotificationsComeFromTheUsualSources) {
  const Dataset& data = TheData().data;
  std::array<int64_t, kNotificationSourceCount> by_source{};
  int64_t total = 0;
  for (const Event& event : data.events) {
    if (event.type != EventType::kNotificationReceived) continue;
    ++by_source[static_cast<size_t>(event.source)];
    ++total;
  }
  ASSERT_GT(total, 10000);
  EXPECT_EQ(by_source[static_cast<size_t>(NotificationSource::kUnspecified)], 0);
  for (int s = 1; s < kNotificationSourceCount; ++s) {
    const auto source = static_cast<NotificationSource>(s);
    const double share =
        static_cast<double>(by_source[static_cast<size_t>(s)]) / static_cast<double>(total);
    // The children's ages shift the national shares a little (daycare for toddlers, police for
    // teenagers), never by more than four points.
    EXPECT_NEAR(share, NationalSourceShare(source), 0.04) << NotificationSourceName(source);
  }
}

TEST(RealismTest, EveryKindOfEventOccurs) {
  const Dataset& data = TheData().data;
  std::array<int64_t, kEventTypeCount> by_type{};
  for (const Event& event : data.events) ++by_type[static_cast<size_t>(event.type)];
  for (int t = 0; t < kEventTypeCount; ++t) {
    EXPECT_GT(by_type[static_cast<size_t>(t)], 0) << EventTypeName(static_cast<EventType>(t));
  }
}

TEST(RealismTest, DecisionsCiteTheLawInForceOnTheirDate) {
  const Dataset& data = TheData().data;
  const Date barnets_lov = DateFromYmd(2024, 1, 1);
  int64_t before = 0;
  int64_t after = 0;
  for (size_t i = 0; i < data.events.size(); ++i) {
    const Event& event = data.events[i];
    if (event.type != EventType::kDecision || event.id == kNone) continue;
    const std::string_view basis = data.LegalBasisOf(static_cast<uint32_t>(i));
    const Date day = Calendar::Danish().LocalDate(event.at);
    if (day < barnets_lov) {
      EXPECT_EQ(basis.rfind("SEL §", 0), 0u) << FormatDate(day) << " " << basis;
      ++before;
    } else {
      EXPECT_EQ(basis.rfind("BL §", 0), 0u) << FormatDate(day) << " " << basis;
      ++after;
    }
  }
  // Two years to 2026-09-30 and the histories before them hold both.
  EXPECT_GT(before, 100);
  EXPECT_GT(after, 100);
}

TEST(RealismTest, ChildrenAreUnder18AtEveryEventButAftercare) {
  const Dataset& data = TheData().data;
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    const Date adult = AddMonths(data.children[child].birth_date, 18 * 12);
    for (const Event& event : data.EventsOf(child)) {
      const Date day = Calendar::Danish().LocalDate(event.at);
      ASSERT_GE(day, data.children[child].birth_date) << data.children[child].id;
      // Closing the case on the first weekday after the 18th birthday is the last step.
      if (event.type == EventType::kCaseClosed || event.type == EventType::kRetraction ||
          event.type == EventType::kNotifierFeedback ||
          event.type == EventType::kNotificationAcknowledged) {
        continue;
      }
      ASSERT_LE(day, adult) << data.children[child].id << " " << EventTypeName(event.type);
    }
  }
}

}  // namespace
}  // namespace tilsyn::simulate
