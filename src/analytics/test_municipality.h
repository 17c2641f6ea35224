#pragma once

// A small municipality for the analytics tests, with every figure worked out by hand below.
//
//   K Lilleby Kommune ─┬─ D1 Distrikt Nord ─┬─ T1 Team 1: W1 (FTE 1), W2 (FTE 0.5)
//                      │                    └─ T2 Team 2: W3
//                      │   (and L1, a leader in D1 itself)
//                      └─ D2 Distrikt Syd ─── T3 Team 3: W4
//
// Only `notification_assessed_24h` has obligations (no notifier is a professional): due 24 hours
// after the notification. As of 2025-06-30, period 2025-01-01 to 2025-06-30:
//   C1 (W1, T1)  received 03 Feb 10:00, assessed 15:00 the same day        met
//   C2 (W1, T1)  received 03 Mar 09:00, assessed 05 Mar 09:00 (48 h)       met_late
//   C3 (W2, T1)  received 01 Apr 08:00, never assessed; due 02 Apr 08:00   overdue
//   C4 (W3, T2)  received 30 Jun 12:00; due 01 Jul 12:00, after the as-of  open
//   C5 (W4, T3)  received 04 Nov 2024, assessed in 2 h; due before period  met, not counted
//   C6 (none)    received 05 May 10:00, never assessed; the child's T3     overdue, unassigned
//   C7 (W3, T2)  received 20 Jan 10:00; exemption for the rule on 22 Jan   exempted

#include "support/small_dataset.h"

namespace tilsyn {

inline testing_support::DatasetText TestMunicipality() {
  return {
      .units =
          "unit_id,parent_id,kind,name\n"
          "K,,municipality,Lilleby Kommune\n"
          "D1,K,district,Distrikt Nord\n"
          "D2,K,district,Distrikt Syd\n"
          "T1,D1,team,Team 1\n"
          "T2,D1,team,Team 2\n"
          "T3,D2,team,Team 3\n",
      .workers =
          "worker_id,name,unit_id,fte\n"
          "W1,Anne Holm,T1,1\n"
          "W2,Bo Lund,T1,0.5\n"
          "W3,Carla Nørgaard,T2,1\n"
          "W4,Dan Vestergaard,T3,0.8\n"
          "L1,Lis Leder,D1,1\n",
      .children =
          "child_id,birth_date,unit_id\n"
          "C1,2012-05-01,T1\n"
          "C2,2013-06-02,T1\n"
          "C3,2014-07-03,T1\n"
          "C4,2015-08-04,T2\n"
          "C5,2016-09-05,T3\n"
          "C6,2017-10-06,T3\n"
          "C7,2011-11-07,T2\n",
      .events =
          "event_id,child_id,type,at,worker_id,ref,source,professional,acute,rule_id,reason\n"
          "A1,C1,worker_assigned,2025-01-02,W1,,,,,,\n"
          "N1,C1,notification_received,2025-02-03T10:00,,,school,false,,,\n"
          "V1,C1,notification_assessed,2025-02-03T15:00,,N1,,,false,,\n"
          "A2,C2,worker_assigned,2025-01-02,W1,,,,,,\n"
          "N2,C2,notification_received,2025-03-03T09:00,,,police,false,,,\n"
          "V2,C2,notification_assessed,2025-03-05T09:00,,N2,,,false,,\n"
          "A3,C3,worker_assigned,2025-01-02,W2,,,,,,\n"
          "N3,C3,notification_received,2025-04-01T08:00,,,citizen,false,,,\n"
          "A4,C4,worker_assigned,2025-01-02,W3,,,,,,\n"
          "N4,C4,notification_received,2025-06-30T12:00,,,family,false,,,\n"
          "A5,C5,worker_assigned,2024-10-01,W4,,,,,,\n"
          "N5,C5,notification_received,2024-11-04T10:00,,,school,false,,,\n"
          "V5,C5,notification_assessed,2024-11-04T12:00,,N5,,,false,,\n"
          "N6,C6,notification_received,2025-05-05T10:00,,,anonymous,false,,,\n"
          "A7,C7,worker_assigned,2025-01-02,W3,,,,,,\n"
          "N7,C7,notification_received,2025-01-20T10:00,,,other,false,,,\n"
          "X7,C7,exemption,2025-01-22,,N7,,,,notification_assessed_24h,Fejladresseret\n",
  };
}

}  // namespace tilsyn
