#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/test_municipality.h"
#include "core/calendar.h"
#include "service/case_view.h"
#include "service/obligation_list.h"
#include "service/worklist.h"
#include "support/evaluated_test.h"

namespace tilsyn {
namespace {

using testing_support::ReadDatasetText;
using testing_support::SourceCatalogue;

class ListAndWorklistTest : public testing_support::EvaluatedTest {
 protected:
  ListAndWorklistTest() : EvaluatedTest("views", TestMunicipality(), kAsOf) {}

  ObligationListRequest List(const std::string& status) const {
    ObligationListRequest request;
    request.as_of = kAsOf;
    request.period = {DateFromYmd(2025, 1, 1), kAsOf};
    request.status = status;
    return request;
  }
  static std::vector<std::string> Children(const ObligationList& list) {
    std::vector<std::string> ids;
    for (const ObligationView& row : list.rows) ids.emplace_back(row.child_id);
    return ids;
  }

  static inline const Date kAsOf = DateFromYmd(2025, 6, 30);
};

using Ids = std::vector<std::string>;

TEST_F(ListAndWorklistTest, ListsTheObligationsBehindACountInDanish) {
  // test_municipality.h: C3 (W2, due 2 Apr) and C6 (no caseworker, due 6 May) are overdue.
  Result<ObligationList> list = ListObligations(engine_, obligations_, List("overdue"));
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->total, 2u);
  ASSERT_EQ(Children(*list), (Ids{"C3", "C6"}));
  const ObligationView& c3 = list->rows[0];
  EXPECT_EQ(c3.rule_id, "notification_assessed_24h");
  EXPECT_EQ(c3.rule_name, "Underretning vurderet inden 24 timer");
  // Received in 2025: Barnets Lov, whose section rules.md could not confirm.
  EXPECT_EQ(c3.law, "BL");
  EXPECT_EQ(c3.legal_reference, "BL § 136");
  EXPECT_FALSE(c3.legal_reference_confirmed);
  EXPECT_EQ(c3.trigger_id, "N3");
  EXPECT_EQ(c3.trigger_type, "underretning modtaget");
  EXPECT_EQ(Calendar::Danish().FormatInstant(c3.due), "2025-04-02T08:00:00+02:00");
  EXPECT_EQ(c3.status, ObligationStatus::kOverdue);
  EXPECT_EQ(c3.fulfilled_by_id, "");
  EXPECT_EQ(c3.worker_name, "Bo Lund");
  EXPECT_EQ(c3.unit_name, "Team 1");
  EXPECT_EQ(c3.next_step, "Vurdér underretningen");
  EXPECT_EQ(list->rows[1].worker_id, "");
  EXPECT_EQ(list->rows[1].unit_id, "T3");

  // A met obligation names what fulfilled it and has no next step.
  ObligationListRequest met = List("met");
  met.unit_id = "T1";
  list = ListObligations(engine_, obligations_, met);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(Children(*list), (Ids{"C1"}));
  EXPECT_EQ(list->rows[0].fulfilled_by_id, "V1");
  EXPECT_EQ(list->rows[0].next_step, "");
}

TEST_F(ListAndWorklistTest, ListsByCaseworkerOrWithoutOne) {
  ObligationListRequest request = List("all");
  request.worker_id = "W3";
  EXPECT_EQ(Children(ListObligations(engine_, obligations_, request).value()), (Ids{"C7", "C4"}));
  request.worker_id = "";
  EXPECT_EQ(Children(ListObligations(engine_, obligations_, request).value()), (Ids{"C6"}));
  request.worker_id.reset();
  request.rule_id = "notification_assessed_24h";
  request.page = {1, 2};
  Result<ObligationList> page = ListObligations(engine_, obligations_, request);
  EXPECT_EQ(page->total, 6u);
  EXPECT_EQ(page->offset, 1u);
  EXPECT_EQ(Children(*page), (Ids{"C1", "C2"}));
}

TEST_F(ListAndWorklistTest, ListRefusesWhatItDoesNotKnow) {
  EXPECT_EQ(ListObligations(engine_, obligations_, List("late")).error().code,
            ErrorCode::kInvalidArgument);
  ObligationListRequest request = List("all");
  request.rule_id = "no_such_rule";
  EXPECT_EQ(ListObligations(engine_, obligations_, request).error().code,
            ErrorCode::kInvalidArgument);
  request.rule_id.clear();
  request.worker_id = "W9";
  EXPECT_EQ(ListObligations(engine_, obligations_, request).error().code, ErrorCode::kNotFound);
  request.worker_id.reset();
  request.unit_id = "T9";
  EXPECT_EQ(ListObligations(engine_, obligations_, request).error().code, ErrorCode::kNotFound);
}

TEST_F(ListAndWorklistTest, WorklistWithNextStepsAndDaysToTheDeadline) {
  WorklistRequest request;
  request.as_of = kAsOf;
  request.worker_id = "W3";
  Result<Worklist> worklist = BuildWorklist(engine_, obligations_, request);
  ASSERT_TRUE(worklist) << worklist.error().message;
  EXPECT_EQ(worklist->worker_name, "Carla Nørgaard");
  // C4: due 1 July, tomorrow. C7's is exempted: nothing to do.
  ASSERT_EQ(worklist->items.size(), 1u);
  EXPECT_EQ(worklist->items[0].obligation.child_id, "C4");
  EXPECT_EQ(worklist->items[0].days_to_due, 1);
  EXPECT_EQ(worklist->items[0].obligation.next_step, "Vurdér underretningen");

  request.worker_id = "W2";
  worklist = BuildWorklist(engine_, obligations_, request);
  ASSERT_EQ(worklist->items.size(), 1u);
  // C3: due 2 April; 28 days of April, 31 of May and 30 of June until 30 June.
  EXPECT_EQ(worklist->items[0].days_to_due, -89);

  request.due_within_days = -1;
  EXPECT_EQ(BuildWorklist(engine_, obligations_, request).error().code,
            ErrorCode::kInvalidArgument);
  request.due_within_days.reset();
  request.worker_id = "W9";
  EXPECT_EQ(BuildWorklist(engine_, obligations_, request).error().code, ErrorCode::kNotFound);
}

// One child across the change of law: a grant in 2023 (Serviceloven) and a change in 2024
// (Barnets Lov), a conversation registered and then retracted, and the case closed.
testing_support::DatasetText OneCase() {
  return {
      .units = "unit_id,parent_id,kind,name\nK,,municipality,Kommune\nT1,K,team,Team Øst\n",
      .workers = "worker_id,name,unit_id\nW1,Anne Holm,T1\n",
      .children = "child_id,birth_date,unit_id\nC1,2012-03-04,T1\n",
      .events =
          "event_id,child_id,type,at,worker_id,ref,measure_id,measure_type,placement,"
          "context,decision,reasoned,reason,legal_basis,source,professional\n"
          "E1,C1,worker_assigned,2023-05-01,W1,,,,,,,,,,,\n"
          "E2,C1,decision,2023-06-01,,,M1,family_treatment,false,,grant,true,,SEL § 52,,\n"
          "E3,C1,decision,2024-03-01,,,M1,family_treatment,false,,change,false,,,,\n"
          "E4,C1,child_conversation,2024-02-20,,,,,,decision,,,,,,\n"
          "E5,C1,retraction,2024-02-25,,E4,,,,,,,Fejlregistrering,,,\n"
          "E6,C1,case_closed,2024-06-01,,,,,,,,,Indsatsen er afsluttet,,,\n"
          "E7,C1,notification_received,2025-01-05,,,,,,,,,,,school,false\n",
  };
}

TEST(CaseViewTest, EventsAndObligationsInTimeOrderWithTheLawOfEach) {
  const Dataset data = ReadDatasetText("case-view", OneCase());
  const Engine engine(data, SourceCatalogue(), Calendar::Danish());
  Result<CaseView> view = BuildCaseView(engine, "C1", DateFromYmd(2024, 12, 31));
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->birth_date, DateFromYmd(2012, 3, 4));
  EXPECT_FALSE(view->open);
  EXPECT_EQ(view->opened, DateFromYmd(2023, 5, 1));
  EXPECT_EQ(view->closed, DateFromYmd(2024, 6, 1));
  EXPECT_EQ(view->worker_name, "Anne Holm");
  EXPECT_EQ(view->unit_name, "Team Øst");

  // Known by the end of 2024, in time order (E7 comes in 2025).
  std::vector<std::string> events;
  for (const CaseEventView& e : view->events) {
    events.push_back(
        fmt::format("{} {}{}", e.event_id, e.type_name, e.retracted ? " (annulleret)" : ""));
  }
  EXPECT_EQ(events, (std::vector<std::string>{
                        "E1 sag tildelt rådgiver", "E2 afgørelse om foranstaltning",
                        "E4 børnesamtale (annulleret)", "E5 annullering af en fejlregistrering",
                        "E3 afgørelse om foranstaltning", "E6 sag afsluttet"}));
  const CaseEventView& grant = view->events[1];
  EXPECT_EQ(grant.decision, "bevilling");
  EXPECT_EQ(grant.measure_id, "M1");
  EXPECT_EQ(grant.measure_type_name, "Familiebehandling");
  EXPECT_EQ(grant.placement, false);
  EXPECT_EQ(grant.legal_basis, "SEL § 52");
  EXPECT_EQ(view->events[2].context, "afgørelse");
  EXPECT_EQ(view->events[3].ref_id, "E4");
  EXPECT_EQ(view->events[3].reason, "Fejlregistrering");

  // The grant of 1 June 2023 under Serviceloven: no assessment, conversation or plan before it,
  // but its reasoned position. The change of 1 March 2024 under Barnets Lov: not reasoned, and
  // the conversation before it was retracted.
  std::vector<std::string> obligations;
  for (const ObligationView& o : view->obligations) {
    obligations.push_back(
        fmt::format("{} {} {}", o.rule_id, ObligationStatusName(o.status), o.legal_reference));
  }
  EXPECT_EQ(
      obligations,
      (std::vector<std::string>{
          "assessment_made overdue SEL § 50", "assessment_before_decision overdue SEL § 50",
          "reasoned_decision met SEL § 50", "conversation_before_decision overdue SEL § 48, stk. 1",
          "plan_for_measure overdue SEL § 140", "reasoned_decision overdue BL § 22, stk. 6",
          "conversation_before_decision overdue BL § 5, stk. 3-4"}));
  EXPECT_EQ(view->obligations[5].rule_name, "Begrundet stillingtagen til foranstaltning");
  EXPECT_EQ(view->obligations[5].next_step,
            "Begrund afgørelsens stillingtagen til foranstaltningen");

  EXPECT_EQ(BuildCaseView(engine, "C9", DateFromYmd(2024, 12, 31)).error().code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tilsyn
