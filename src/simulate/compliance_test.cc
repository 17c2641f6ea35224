#include "simulate/compliance.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "rules/catalogue.h"

namespace tilsyn::simulate {
namespace {

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue =
      LoadCatalogue(std::filesystem::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

TEST(ComplianceTest, AnAverageCaseworkerMeetsTheTarget) {
  EXPECT_DOUBLE_EQ(MetProbability(0.5, 0, 27.5, 27.5), 0.5);
  EXPECT_DOUBLE_EQ(MetProbability(0.73, 0, 45, 45), 0.73);
}

TEST(ComplianceTest, BetterCaseworkersAndLighterCaseloadsMeetMore) {
  EXPECT_GT(MetProbability(0.5, 0.1, 27.5, 27.5), 0.5);
  EXPECT_LT(MetProbability(0.5, -0.1, 27.5, 27.5), 0.5);
  // Five cases above the reference cost five points at a 50 % target.
  EXPECT_NEAR(MetProbability(0.5, 0, 32.5, 27.5), 0.45, 1e-12);
  EXPECT_NEAR(MetProbability(0.5, 0, 22.5, 27.5), 0.55, 1e-12);
}

TEST(ComplianceTest, EffectsShrinkTowardsTheEnds) {
  // At 98 % the scale is 2·sqrt(0.98·0.02) = 0.28: a 0.1 effect is 2.8 points, not 10.
  EXPECT_NEAR(MetProbability(0.98, -0.1, 27.5, 27.5), 0.98 - 0.028, 1e-12);
  EXPECT_LE(MetProbability(0.98, 0.5, 0, 27.5), 0.995);
  EXPECT_GE(MetProbability(0.05, -0.5, 80, 27.5), 0.01);
}

TEST(ComplianceTest, TargetsAreTheNewestNationalFigures) {
  const ComplianceTargets targets = TargetsFromCatalogue(TheCatalogue());
  // rules/assessment_within_4_months.toml: 34 (2020), 60 (2021), 34 (2023), 50 (2024).
  EXPECT_DOUBLE_EQ(targets.RateOf(Requirement::kAssessmentWithin4Months), 0.50);
  EXPECT_TRUE(targets.national[static_cast<size_t>(Requirement::kAssessmentWithin4Months)]);
  // rules/notification_assessed_24h.toml: newest is 2023, 96 %.
  EXPECT_DOUBLE_EQ(targets.RateOf(Requirement::kNotificationAssessed24h), 0.96);
  // No national figure for the receipt: the assumed rate.
  EXPECT_FALSE(targets.national[static_cast<size_t>(Requirement::kNotificationReceipt6Weekdays)]);
  EXPECT_DOUBLE_EQ(targets.RateOf(Requirement::kNotificationReceipt6Weekdays),
                   InfoOf(Requirement::kNotificationReceipt6Weekdays).assumed_rate);
}

TEST(ComplianceTest, AssessmentBeforeDecisionIsMeasuredOverEveryGrant) {
  const ComplianceTargets targets = TargetsFromCatalogue(TheCatalogue());
  // 87 % (2020) of the grants with an assessment, and 69 % (2022) have one.
  EXPECT_DOUBLE_EQ(targets.RateOf(Requirement::kAssessmentBeforeDecision), 0.87);
  EXPECT_NEAR(targets.MeasuredRateOf(Requirement::kAssessmentBeforeDecision), 0.87 * 0.69, 1e-12);
}

TEST(ComplianceTest, EveryRequirementNamesARuleOfTheCatalogue) {
  const ComplianceTargets targets = TargetsFromCatalogue(TheCatalogue());
  for (size_t i = 0; i < kRequirementCount; ++i) {
    EXPECT_GE(targets.rule[i], 0) << InfoOf(static_cast<Requirement>(i)).rule;
  }
}

}  // namespace
}  // namespace tilsyn::simulate
