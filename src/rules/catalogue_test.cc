#include "rules/catalogue.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <tuple>

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

const fs::path kRules = fs::path(TILSYN_SOURCE_DIR) / "rules";

TEST(CatalogueTest, LoadsTheSixteenVersionOneRulesInOrder) {
  Result<Catalogue> catalogue = LoadCatalogue(kRules);
  ASSERT_TRUE(catalogue) << catalogue.error().message;
  ASSERT_EQ(catalogue->rules.size(), 16u);
  EXPECT_EQ(catalogue->rules.front().id, "notification_assessed_24h");
  EXPECT_EQ(catalogue->rules.back().id, "aftercare_decision");
  for (const Rule& rule : catalogue->rules) {
    ASSERT_EQ(rule.versions.size(), 2u) << rule.id;
    EXPECT_EQ(rule.versions[0].law, Law::kServiceloven) << rule.id;
    EXPECT_EQ(rule.versions[0].until, DateFromYmd(2023, 12, 31)) << rule.id;
    EXPECT_EQ(rule.versions[1].law, Law::kBarnetsLov) << rule.id;
    EXPECT_EQ(rule.versions[1].from, DateFromYmd(2024, 1, 1)) << rule.id;
    EXPECT_FALSE(rule.name.empty());
    EXPECT_FALSE(rule.next_step.empty());
  }
}

TEST(CatalogueTest, VersionsCarryTheirOwnDeadlineAndApplicability) {
  const Catalogue catalogue = LoadCatalogue(kRules).value();
  const Rule& plan = catalogue.rules[static_cast<size_t>(catalogue.FindRule("plan_for_measure"))];
  const RuleVersion* sel = plan.VersionAt(DateFromYmd(2023, 12, 31));
  const RuleVersion* bl = plan.VersionAt(DateFromYmd(2024, 1, 1));
  ASSERT_NE(sel, nullptr);
  ASSERT_NE(bl, nullptr);
  EXPECT_EQ(sel->deadline.kind, DeadlineKind::kAtTrigger);
  EXPECT_FALSE(sel->applies_placement);
  EXPECT_EQ(bl->deadline.kind, DeadlineKind::kMonths);
  EXPECT_EQ(bl->deadline.amount, 3);
  EXPECT_EQ(bl->applies_placement, true);
}

TEST(CatalogueTest, LocalStandardsAndServiceCatalogueSetAmounts) {
  Catalogue catalogue = LoadCatalogue(kRules).value();
  const Rule& feedback =
      catalogue.rules[static_cast<size_t>(catalogue.FindRule("professional_feedback"))];
  EXPECT_EQ(catalogue.DeadlineAmount(feedback.versions[1].deadline, ""), 3);
  catalogue.local_standards["professional_feedback_months"] = 2;
  EXPECT_EQ(catalogue.DeadlineAmount(feedback.versions[1].deadline, ""), 2);

  const Rule& follow_up =
      catalogue.rules[static_cast<size_t>(catalogue.FindRule("follow_up_6_months"))];
  const Deadline& bl = follow_up.versions[1].deadline;
  EXPECT_EQ(catalogue.DeadlineAmount(bl, "foster_care"), 6);
  catalogue.measure_types.push_back({"intensive", "Intensiv støtte", false, 3, 4});
  EXPECT_EQ(catalogue.DeadlineAmount(bl, "intensive"), 4);
  EXPECT_EQ(catalogue.DeadlineAmount(follow_up.versions[0].deadline, "intensive"), 6);  // SEL
}

TEST(CatalogueTest, NationalFiguresAreTheBarometerSeriesOldestFirst) {
  const Catalogue catalogue = LoadCatalogue(kRules).value();
  const auto rule = [&](std::string_view id) -> const Rule& {
    return catalogue.rules[static_cast<size_t>(catalogue.FindRule(id))];
  };
  // national-figures.md: 2019 pilot 69, 2020 71, 2021 73, the 2020-22 round 69; none since.
  const Rule& made = rule("assessment_made");
  ASSERT_EQ(made.national_figures.size(), 4u);
  EXPECT_EQ(made.national_figures[0].Period(), "2019");
  EXPECT_EQ(made.national_figures[1].Period(), "2020");
  EXPECT_EQ(made.national_figures[2].Period(), "2021");
  EXPECT_EQ(made.national_figures[3].Period(), "2020-2022");
  EXPECT_EQ(made.LatestNationalFigure()->percent, 69);
  // The round 2020-22 ends before 2023 and 2024, the latest measurement (65 %).
  const Rule& conversation = rule("conversation_before_decision");
  ASSERT_EQ(conversation.national_figures.size(), 6u);
  EXPECT_EQ(conversation.national_figures[3].Period(), "2020-2022");
  EXPECT_EQ(conversation.national_figures[3].percent, 57);
  EXPECT_EQ(conversation.LatestNationalFigure()->Period(), "2024");
  EXPECT_EQ(conversation.LatestNationalFigure()->percent, 65);
  // The barometer does not measure the receipt to professional notifiers.
  EXPECT_EQ(rule("notification_receipt_6_weekdays").LatestNationalFigure(), nullptr);
}

// A copy of the real catalogue with one rule file replaced.
fs::path CatalogueWith(const std::string& rule_id, const std::string& text) {
  fs::path dir = fs::temp_directory_path() /
                 ("tilsyn-catalogue-" +
                  std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
  fs::remove_all(dir);
  fs::copy(kRules, dir, fs::copy_options::recursive);
  std::ofstream(dir / (rule_id + ".toml")) << text;
  return dir;
}

std::string LoadError(const fs::path& dir) {
  Result<Catalogue> catalogue = LoadCatalogue(dir);
  return catalogue ? "" : catalogue.error().message;
}

constexpr const char* kValidRule = R"(id = "reasoned_decision"
name = "Begrundet stillingtagen"
next_step = "Begrund"
[trigger]
event = "decision"
[fulfilment]
attribute = "reasoned"
[deadline]
at = "trigger"
[[versions]]
law = "SEL"
reference = "SEL § 50"
)";

TEST(CatalogueTest, AcceptsAMinimalRule) {
  EXPECT_EQ(LoadError(CatalogueWith("reasoned_decision", kValidRule)), "");
}

TEST(CatalogueTest, RejectsAMisspeltKey) {
  std::string text = kValidRule;
  text.replace(text.find("attribute"), 9, "atribute");
  const fs::path dir = CatalogueWith("reasoned_decision", text);
  EXPECT_EQ(LoadError(dir),
            (dir / "reasoned_decision.toml").string() + ": fulfilment.atribute: unknown key");
}

TEST(CatalogueTest, RejectsAnUnknownEventType) {
  std::string text = kValidRule;
  text.replace(text.find("\"decision\""), 10, "\"decisoin\"");
  const fs::path dir = CatalogueWith("reasoned_decision", text);
  EXPECT_EQ(LoadError(dir), (dir / "reasoned_decision.toml").string() +
                                ": trigger.event: unknown event type \"decisoin\"");
}

TEST(CatalogueTest, RejectsTwoDeadlines) {
  std::string text = kValidRule;
  text.replace(text.find("at = \"trigger\""), 14, "at = \"trigger\"\nhours = 24");
  const fs::path dir = CatalogueWith("reasoned_decision", text);
  EXPECT_EQ(LoadError(dir),
            (dir / "reasoned_decision.toml").string() +
                ": deadline: give exactly one of hours, days, weekdays, months or at");
}

TEST(CatalogueTest, RejectsOverlappingVersions) {
  std::string text = kValidRule;
  text += "[[versions]]\nlaw = \"BL\"\nreference = \"BL § 22\"\nfrom = \"2023-06-01\"\n";
  const fs::path dir = CatalogueWith("reasoned_decision", text);
  EXPECT_EQ(LoadError(dir),
            (dir / "reasoned_decision.toml").string() +
                ": versions[1]: versions must be in date order and must not overlap");
}

TEST(CatalogueTest, RejectsANationalFigureWithoutAYearOrPercent) {
  for (const auto& [figure, field, message] :
       {std::tuple{"\"2022-2020\" = 50", "2022-2020", "must be named by a year"},
        std::tuple{"\"2020-2020\" = 50", "2020-2020", "must be named by a year"},
        std::tuple{"\"20\" = 50", "20", "must be named by a year"},
        std::tuple{"\"2020\" = 101", "2020", "must be a whole percent from 0 to 100"}}) {
    std::string text = kValidRule;
    text.insert(text.find("[trigger]"), fmt::format("national_percent = {{ {} }}\n", figure));
    const fs::path dir = CatalogueWith("reasoned_decision", text);
    EXPECT_TRUE(LoadError(dir).starts_with((dir / "reasoned_decision.toml").string() +
                                           ": national_percent." + field + ": " + message))
        << LoadError(dir);
  }
}

TEST(CatalogueTest, RejectsAnIdThatDoesNotMatchItsFile) {
  std::string text = kValidRule;
  text.replace(text.find("reasoned_decision"), 17, "reasoned");
  const fs::path dir = CatalogueWith("reasoned_decision", text);
  EXPECT_EQ(LoadError(dir), (dir / "reasoned_decision.toml").string() +
                                ": id: is \"reasoned\", expected \"reasoned_decision\"");
}

TEST(CatalogueTest, ReportsTomlSyntaxErrorsWithLineAndColumn) {
  const fs::path dir = CatalogueWith("reasoned_decision", "id = \"x\nname = 1\n");
  const std::string error = LoadError(dir);
  EXPECT_TRUE(error.starts_with((dir / "reasoned_decision.toml").string() + ":1:")) << error;
}

}  // namespace
}  // namespace tilsyn
