#include "analytics/case_state.h"

#include <gtest/gtest.h>

#include <string>

#include "support/small_dataset.h"

namespace tilsyn {
namespace {

// C1: assigned to W1, notified, closed 1 Mar; a new notification on 1 May opens a new case (still
// W1's), W2 takes over on 2 May, the case is closed on 1 Aug, and that closure is retracted on
// 5 Aug. C2: closed, then an exemption, which is no case step. C3: W1 assigned, then W2, and the
// assignment of W2 retracted. C4: no events. C5: a notification from a school and the case closed
// on 1 Mar; after it the school gets its feedback, the end of measure M1 is registered and W2
// takes over; the case is reopened on 1 Jun.
testing_support::DatasetText Cases() {
  return {
      .units = "unit_id,parent_id,kind,name\nK,,municipality,K\nT1,K,team,T1\nT2,K,team,T2\n",
      .workers = "worker_id,name,unit_id\nW1,Anne,T1\nW2,Bo,T2\n",
      .children =
          "child_id,birth_date,unit_id\nC1,2015-01-01,T1\nC2,2015-01-01,T1\n"
          "C3,2015-01-01,T2\nC4,2015-01-01,T2\nC5,2015-01-01,T1\n",
      .events =
          "event_id,child_id,type,at,worker_id,ref,source,professional,rule_id,reason,measure_id\n"
          "E1,C1,worker_assigned,2024-01-10,W1,,,,,,\n"
          "E2,C1,notification_received,2024-01-10,,,school,false,,,\n"
          "E3,C1,case_closed,2024-03-01,,,,,,Afsluttet,\n"
          "E4,C1,notification_received,2024-05-01,,,school,false,,,\n"
          "E5,C1,worker_assigned,2024-05-02,W2,,,,,,\n"
          "E6,C1,case_closed,2024-08-01,,,,,,Afsluttet,\n"
          "E7,C1,retraction,2024-08-05,,E6,,,,Fejl,\n"
          "F1,C2,notification_received,2024-01-10,,,school,false,,,\n"
          "F2,C2,case_closed,2024-02-01,,,,,,Afsluttet,\n"
          "F3,C2,exemption,2024-02-10,,F1,,,notification_assessed_24h,Fejl,\n"
          "G1,C3,worker_assigned,2024-01-10,W1,,,,,,\n"
          "G2,C3,worker_assigned,2024-02-10,W2,,,,,,\n"
          "G3,C3,retraction,2024-02-11,,G2,,,,Forkert rådgiver,\n"
          "H1,C5,worker_assigned,2024-01-10,W1,,,,,,\n"
          "H2,C5,notification_received,2024-01-10,,,school,true,,,\n"
          "H3,C5,notification_acknowledged,2024-01-12,,H2,,,,,\n"
          "H4,C5,case_closed,2024-03-01,,,,,,Afsluttet,\n"
          "H5,C5,notifier_feedback,2024-03-05,,H2,,,,,\n"
          "H6,C5,measure_ended,2024-03-10,,,,,,,M1\n"
          "H7,C5,worker_assigned,2024-04-01,W2,,,,,,\n"
          "H8,C5,case_reopened,2024-06-01,,,,,,,\n",
  };
}

class CaseStateTest : public testing::Test {
 protected:
  CaseStateTest() : data_(testing_support::ReadDatasetText("case-state", Cases())) {}

  // "open since D" or "closed D (opened D)" or "none", with the worker and unit ids.
  std::string State(const std::string& child, int year, int month, int day) const {
    const CaseState state =
        ChildCaseState(data_, data_.FindChild(child), DateFromYmd(year, month, day));
    std::string text;
    if (!state.opened) {
      text = "none";
    } else if (state.open()) {
      text = "open since " + FormatDate(*state.opened);
    } else {
      text = "closed " + FormatDate(*state.closed) + " (opened " + FormatDate(*state.opened) + ")";
    }
    text += state.worker == kNone ? " -" : " " + data_.workers[state.worker].id;
    return text + " " + data_.units[state.unit].id;
  }

  Dataset data_;
};

TEST_F(CaseStateTest, OpensWithTheFirstStepAndClosesWithCaseClosed) {
  EXPECT_EQ(State("C1", 2024, 1, 9), "none - T1");  // nothing known yet: the child's unit
  EXPECT_EQ(State("C1", 2024, 1, 10), "open since 2024-01-10 W1 T1");
  EXPECT_EQ(State("C1", 2024, 3, 1), "closed 2024-03-01 (opened 2024-01-10) W1 T1");
  // The first step after the closure opens a new case; W1 is still the caseworker.
  EXPECT_EQ(State("C1", 2024, 5, 1), "open since 2024-05-01 W1 T1");
  EXPECT_EQ(State("C1", 2024, 5, 2), "open since 2024-05-01 W2 T2");  // W2's unit
  EXPECT_EQ(State("C1", 2024, 8, 4), "closed 2024-08-01 (opened 2024-05-01) W2 T2");
  // Once its retraction is known, the closure never happened.
  EXPECT_EQ(State("C1", 2024, 8, 5), "open since 2024-05-01 W2 T2");
}

TEST_F(CaseStateTest, OldWorkFinishedAfterClosureDoesNotReopen) {
  EXPECT_EQ(State("C5", 2024, 3, 5), "closed 2024-03-01 (opened 2024-01-10) W1 T1");   // feedback
  EXPECT_EQ(State("C5", 2024, 3, 10), "closed 2024-03-01 (opened 2024-01-10) W1 T1");  // the end
  // A handover of the closed case: W2 has it when it reopens, but it stays closed until then.
  EXPECT_EQ(State("C5", 2024, 4, 1), "closed 2024-03-01 (opened 2024-01-10) W2 T2");
  EXPECT_EQ(State("C5", 2024, 6, 1), "open since 2024-06-01 W2 T2");
}

TEST_F(CaseStateTest, AnExemptionAfterClosureDoesNotReopen) {
  EXPECT_EQ(State("C2", 2024, 3, 1), "closed 2024-02-01 (opened 2024-01-10) - T1");
}

TEST_F(CaseStateTest, ARetractedAssignmentGivesTheCaseBack) {
  EXPECT_EQ(State("C3", 2024, 2, 10), "open since 2024-01-10 W2 T2");
  EXPECT_EQ(State("C3", 2024, 2, 11), "open since 2024-01-10 W1 T1");
}

TEST_F(CaseStateTest, AChildWithoutEventsHasNoCase) {
  EXPECT_EQ(State("C4", 2025, 1, 1), "none - T2");
}

}  // namespace
}  // namespace tilsyn
