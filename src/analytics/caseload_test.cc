#include "analytics/caseload.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/small_dataset.h"

namespace tilsyn {
namespace {

using testing_support::SourceCatalogue;

// As of 30 June 2025, with a band of 2 to 3 cases per full-time caseworker:
//   W1 (T1, FTE 1):   C1, C2, C3 (closed and reopened by a new notification); C4 is closed
//                     → 3 per FTE, within
//   W2 (T1, FTE 0.5): C5, C6 → 2 ÷ 0.5 = 4 per FTE, above
//   W3 (T2, FTE 1):   C7 → 1, below; C9's first event comes after the as-of date
//   C8 has no caseworker: an open case of its own unit, T2
testing_support::DatasetText CaseloadData() {
  std::string events =
      "event_id,child_id,type,at,worker_id,source,professional,reason\n"
      "E3c,C3,case_closed,2025-02-01,,,,Afsluttet\n"
      "E3n,C3,notification_received,2025-03-01,,school,false,\n"
      "E4c,C4,case_closed,2025-02-01,,,,Afsluttet\n"
      "E8,C8,notification_received,2025-03-01,,school,false,\n"
      "E9,C9,worker_assigned,2025-07-05,W3,,,\n";
  for (const auto& [child, worker] :
       {std::pair{"C1", "W1"}, std::pair{"C2", "W1"}, std::pair{"C3", "W1"}, std::pair{"C4", "W1"},
        std::pair{"C5", "W2"}, std::pair{"C6", "W2"}, std::pair{"C7", "W3"}}) {
    events +=
        std::string("A") + child + "," + child + ",worker_assigned,2025-01-10," + worker + ",,,\n";
  }
  return {
      .units = "unit_id,parent_id,kind,name\nK,,municipality,K\nT1,K,team,T1\nT2,K,team,T2\n",
      .workers = "worker_id,name,unit_id,fte\nW1,Anne,T1,1\nW2,Bo,T1,0.5\nW3,Carla,T2,1\n",
      .children =
          "child_id,birth_date,unit_id\nC1,2015-01-01,T1\nC2,2015-01-01,T1\n"
          "C3,2015-01-01,T1\nC4,2015-01-01,T1\nC5,2015-01-01,T1\nC6,2015-01-01,T1\n"
          "C7,2015-01-01,T2\nC8,2015-01-01,T2\nC9,2015-01-01,T2\n",
      .events = events,
  };
}

class CaseloadTest : public testing::Test {
 protected:
  CaseloadTest() : data_(testing_support::ReadDatasetText("caseload", CaseloadData())) {}

  Caseloads For(const std::string& unit) const {
    return ComputeCaseloads(data_, UnitSubtree(data_, data_.FindUnit(unit)),
                            DateFromYmd(2025, 6, 30), CaseloadBand{2, 3});
  }
  // "worker cases per-FTE level" per worker.
  std::vector<std::string> Workers(const Caseloads& caseloads) const {
    std::vector<std::string> rows;
    for (const WorkerCaseload& w : caseloads.workers) {
      rows.push_back(data_.workers[w.worker].id + " " + std::to_string(w.open_cases) + " " +
                     std::to_string(w.cases_per_full_time).substr(0, 4) + " " +
                     std::string(CaseloadLevelName(w.level)));
    }
    return rows;
  }

  Dataset data_;
};

using Rows = std::vector<std::string>;

TEST_F(CaseloadTest, CountsOpenCasesPerCaseworkerAgainstTheBand) {
  const Caseloads all = For("K");
  EXPECT_EQ(Workers(all), (Rows{"W1 3 3.00 within", "W2 2 4.00 above", "W3 1 1.00 below"}));
  EXPECT_EQ(all.open_cases, 7);  // C1, C2, C3, C5, C6, C7, C8
  EXPECT_EQ(all.unassigned, 1);  // C8
  EXPECT_DOUBLE_EQ(all.fte, 2.5);
}

TEST_F(CaseloadTest, KeepsToTheSubtree) {
  const Caseloads t1 = For("T1");
  EXPECT_EQ(Workers(t1), (Rows{"W1 3 3.00 within", "W2 2 4.00 above"}));
  EXPECT_EQ(t1.open_cases, 5);
  EXPECT_EQ(t1.unassigned, 0);
  EXPECT_DOUBLE_EQ(t1.fte, 1.5);
  const Caseloads t2 = For("T2");
  EXPECT_EQ(t2.open_cases, 2);  // C7, and C8 in the child's own unit
  EXPECT_EQ(t2.unassigned, 1);
}

TEST(CaseloadBandTest, TheBandIsInclusive) {
  const CaseloadBand band{20, 30};
  EXPECT_EQ(LevelOf(19.9, band), CaseloadLevel::kBelow);
  EXPECT_EQ(LevelOf(20.0, band), CaseloadLevel::kWithin);
  EXPECT_EQ(LevelOf(30.0, band), CaseloadLevel::kWithin);
  EXPECT_EQ(LevelOf(30.1, band), CaseloadLevel::kAbove);
  EXPECT_EQ(CaseloadLevelDanish(CaseloadLevel::kAbove), "over anbefalet");
}

TEST(CaseloadBandTest, ComesFromTheLocalStandards) {
  // rules/local_standards.toml: Dansk Socialrådgiverforening's 20 to 30 cases.
  Result<CaseloadBand> band = RecommendedCaseload(SourceCatalogue());
  ASSERT_TRUE(band) << band.error().message;
  EXPECT_EQ(band->min_cases, 20);
  EXPECT_EQ(band->max_cases, 30);

  Catalogue catalogue;
  catalogue.local_standards = {{"caseload_recommended_min", 30}, {"caseload_recommended_max", 20}};
  EXPECT_EQ(RecommendedCaseload(catalogue).error().code, ErrorCode::kFailedPrecondition);
  catalogue.local_standards.erase("caseload_recommended_min");
  EXPECT_FALSE(RecommendedCaseload(catalogue));
}

}  // namespace
}  // namespace tilsyn
