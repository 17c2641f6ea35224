#include "analytics/worklist.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/calendar.h"
#include "support/small_dataset.h"

namespace tilsyn {
namespace {

using testing_support::SourceCatalogue;

// As of Monday 30 June 2025. Notifications are due 24 hours after receipt; an assessment is due 4
// months after it started.
//   C1 (W1)  notification 20 Jun 10:00, not assessed: due 21 Jun 10:00         overdue
//            assessment started 1 May, not completed: due end of 1 Sep         open
//   C2 (W1)  notification 30 Jun 08:00: due 1 Jul 08:00                        open
//   C3 (W1, then W2 from 1 Jun)  notification 10 May 10:00: due 11 May, W1's   overdue
//   C4 (W1)  notification 1 Apr 10:00: due 2 Apr 10:00; case closed 1 May      overdue, closed
//   C5 (W1)  notification 2 Jun 09:00, assessed 11:00                          met
testing_support::DatasetText Worklists() {
  return {
      .units = "unit_id,parent_id,kind,name\nK,,municipality,K\nT1,K,team,T1\nT2,K,team,T2\n",
      .workers = "worker_id,name,unit_id\nW1,Anne,T1\nW2,Bo,T2\n",
      .children =
          "child_id,birth_date,unit_id\nC1,2015-01-01,T1\nC2,2015-01-01,T1\n"
          "C3,2015-01-01,T1\nC4,2015-01-01,T1\nC5,2015-01-01,T1\n",
      .events =
          "event_id,child_id,type,at,worker_id,ref,source,professional,acute,reason\n"
          "A1,C1,worker_assigned,2025-01-05,W1,,,,,\n"
          "S1,C1,assessment_started,2025-05-01,,,,,,\n"
          "N1,C1,notification_received,2025-06-20T10:00,,,school,false,,\n"
          "A2,C2,worker_assigned,2025-01-05,W1,,,,,\n"
          "N2,C2,notification_received,2025-06-30T08:00,,,school,false,,\n"
          "A3,C3,worker_assigned,2025-01-05,W1,,,,,\n"
          "N3,C3,notification_received,2025-05-10T10:00,,,school,false,,\n"
          "B3,C3,worker_assigned,2025-06-01,W2,,,,,\n"
          "A4,C4,worker_assigned,2025-01-05,W1,,,,,\n"
          "N4,C4,notification_received,2025-04-01T10:00,,,school,false,,\n"
          "Z4,C4,case_closed,2025-05-01,,,,,,Flyttet\n"
          "A5,C5,worker_assigned,2025-01-05,W1,,,,,\n"
          "N5,C5,notification_received,2025-06-02T09:00,,,school,false,,\n"
          "V5,C5,notification_assessed,2025-06-02T11:00,,N5,,,false,\n",
  };
}

class WorklistTest : public testing::Test {
 protected:
  WorklistTest()
      : data_(testing_support::ReadDatasetText("worklist", Worklists())),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        obligations_(engine_.EvaluateAll(kAsOf, 1)) {}

  // "child trigger status" per item, in order.
  std::vector<std::string> Items(const std::string& worker, const WorklistFilter& filter = {}) {
    std::vector<std::string> items;
    for (const Obligation& o :
         ComputeWorklist(obligations_, data_, data_.FindWorker(worker), kAsOf, filter)) {
      items.push_back(data_.children[o.child].id + " " +
                      std::string(data_.event_ids.Text(data_.events[o.trigger].id)) + " " +
                      std::string(ObligationStatusName(o.status)));
    }
    return items;
  }

  static inline const Date kAsOf = DateFromYmd(2025, 6, 30);
  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
};

using List = std::vector<std::string>;

TEST_F(WorklistTest, OverdueFirstThenByDueTime) {
  EXPECT_EQ(Items("W1"), (List{"C1 N1 overdue", "C2 N2 open", "C1 S1 open"}));
}

TEST_F(WorklistTest, AnOverdueObligationFollowsTheChildToTheNewCaseworker) {
  EXPECT_EQ(Items("W2"), (List{"C3 N3 overdue"}));
  // Its rates stay with W1, the caseworker when it fell due.
  const std::vector<Obligation> list =
      ComputeWorklist(obligations_, data_, data_.FindWorker("W2"), kAsOf, {});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(data_.workers[list[0].worker].id, "W1");
}

TEST_F(WorklistTest, Filters) {
  WorklistFilter filter;
  // Due by the end of 14 July: the assessment (1 Sep) is not.
  filter.due_within_days = 14;
  EXPECT_EQ(Items("W1", filter), (List{"C1 N1 overdue", "C2 N2 open"}));
  // Due by the end of today: only what is overdue (N2 is due tomorrow).
  filter.due_within_days = 0;
  EXPECT_EQ(Items("W1", filter), (List{"C1 N1 overdue"}));
  filter = {};
  filter.overdue_only = true;
  EXPECT_EQ(Items("W1", filter), (List{"C1 N1 overdue"}));
  filter = {};
  filter.rule = static_cast<uint16_t>(SourceCatalogue().FindRule("assessment_within_4_months"));
  EXPECT_EQ(Items("W1", filter), (List{"C1 S1 open"}));
  // The closed case of C4 on request.
  filter = {};
  filter.include_closed_cases = true;
  EXPECT_EQ(Items("W1", filter),
            (List{"C4 N4 overdue", "C1 N1 overdue", "C2 N2 open", "C1 S1 open"}));
}

}  // namespace
}  // namespace tilsyn
