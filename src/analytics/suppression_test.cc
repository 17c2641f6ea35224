#include "analytics/suppression.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/dataset.h"

namespace tilsyn {
namespace {

using Hidden = std::vector<bool>;

TEST(SuppressCellsTest, HidesSmallCountsAndOneMoreBesideThem) {
  // 20 = 3 + 9 + 8: 3 is under 5; 20 - 9 - 8 would give it away, so the smallest other part (8)
  // goes too.
  const std::vector<int64_t> values = {20, 3, 9, 8};
  const std::vector<CellRelation> relations = {{0, {1, 2, 3}}};
  EXPECT_EQ(SuppressCells(values, relations), (Hidden{false, true, false, true}));
}

TEST(SuppressCellsTest, ShowsZerosAndCountsOfFiveOrMore) {
  EXPECT_EQ(SuppressCells(std::vector<int64_t>{7, 7, 0}, std::vector<CellRelation>{{0, {1, 2}}}),
            (Hidden{false, false, false}));
  EXPECT_EQ(SuppressCells(std::vector<int64_t>{0, 4, 5, 1}, {}),
            (Hidden{false, true, false, true}));
  // A small total and its one small part hide each other; the 0 reveals nothing.
  EXPECT_EQ(SuppressCells(std::vector<int64_t>{3, 3, 0}, std::vector<CellRelation>{{0, {1, 2}}}),
            (Hidden{true, true, false}));
}

TEST(SuppressCellsTest, HidesTheTotalWhenNoPartCanBeHidden) {
  // A = x + y: 10 = 3 + 7, and B = y + z: 7 = 7 + 0. x is small, so y goes (A would reveal x);
  // then B would reveal y, and its other part is 0, so B itself goes.
  const std::vector<int64_t> values = {10, 3, 7, 7, 0};  // A, x, y, B, z
  const std::vector<CellRelation> relations = {{0, {1, 2}}, {3, {2, 4}}};
  EXPECT_EQ(SuppressCells(values, relations), (Hidden{false, true, true, true, false}));
}

TEST(SuppressCellsTest, ATableWithMarginsLosesARectangle) {
  //        C1  C2
  //  R1     2  10 | 12        a = 2 is small; R1 then needs b hidden, C1 needs c, C2 needs d.
  //  R2     8   9 | 17        With all four inner cells hidden, the margins leave one degree of
  //        10  19 | 29        freedom: a could be anything from 0 to 10.
  const std::vector<int64_t> values = {2, 10, 8, 9, 12, 17, 10, 19, 29};  // a b c d R1 R2 C1 C2 G
  const std::vector<CellRelation> relations = {{4, {0, 1}}, {5, {2, 3}}, {6, {0, 2}},
                                               {7, {1, 3}}, {8, {4, 5}}, {8, {6, 7}}};
  EXPECT_EQ(SuppressCells(values, relations),
            (Hidden{true, true, true, true, false, false, false, false, false}));
}

TEST(SuppressCellsTest, TheAuditCatchesWhatNoSingleRelationReveals) {
  // x + y = 5, y + z = 7, x + z = 6 with x, y, z = 2, 3, 4 all hidden: every relation has two
  // hidden cells, yet x = (5 + 6 - 7) / 2. Hiding 5 (the smallest shown cell beside x) leaves
  // x = 6 - z and y = 7 - z: nothing is determined.
  const std::vector<int64_t> values = {2, 3, 4, 5, 7, 6};  // x y z, then the three sums
  const std::vector<CellRelation> relations = {{3, {0, 1}}, {4, {1, 2}}, {5, {0, 2}}};
  EXPECT_EQ(SuppressCells(values, relations), (Hidden{true, true, true, true, false, false}));
}

StatusCounts Counts(int64_t met, int64_t met_late, int64_t overdue, int64_t open) {
  StatusCounts counts;
  counts.count = {met, met_late, overdue, open, 0, 0};
  return counts;
}

TEST(SuppressCountRowsTest, KeepsTheRateWhenItsCountsAreShown) {
  // 30 met, 3 late, 7 overdue = 40. The 3 is hidden, and with it the smallest other part of 40:
  // the 7 overdue. Met and the denominator stay, so does the rate; "done" (met + late) would
  // reveal the 3. The 2 open are hidden; the zeros are shown.
  const std::vector<ShownCounts> shown =
      SuppressCountRows(std::vector<StatusCounts>{Counts(30, 3, 7, 2)}, {});
  ASSERT_EQ(shown.size(), 1u);
  const ShownCounts& row = shown[0];
  EXPECT_EQ(row.Of(ObligationStatus::kMet).value, 30);
  EXPECT_TRUE(row.Of(ObligationStatus::kMetLate).suppressed());
  EXPECT_TRUE(row.Of(ObligationStatus::kOverdue).suppressed());
  EXPECT_TRUE(row.Of(ObligationStatus::kOpen).suppressed());
  EXPECT_EQ(row.Of(ObligationStatus::kExempted).value, 0);
  EXPECT_EQ(row.denominator.value, 40);
  EXPECT_EQ(row.rate.value, 0.75);
  EXPECT_FALSE(row.rate.suppressed);
  EXPECT_TRUE(row.done.suppressed());
  EXPECT_TRUE(row.done_rate.suppressed);
}

TEST(SuppressCountRowsTest, RowsThatAddUpProtectEachOther) {
  // A unit (row 0) = caseworker A (row 1) + caseworker B (row 2):
  //            met  overdue  denominator
  //   unit      12        6           18
  //   A          9        3           12     A's 3 is small: A's 9 goes too (12 - 9 = 3)
  //   B          3        3            6     B's are small, each hiding the other
  // The unit's row shows everything: 12 = A + B and 6 = A + B leave one degree of freedom.
  const std::vector<ShownCounts> shown = SuppressCountRows(
      std::vector<StatusCounts>{Counts(12, 0, 6, 0), Counts(9, 0, 3, 0), Counts(3, 0, 3, 0)},
      std::vector<RowRelation>{{0, {1, 2}}});
  EXPECT_EQ(shown[0].Of(ObligationStatus::kMet).value, 12);
  EXPECT_EQ(shown[0].rate.value, 12.0 / 18.0);
  EXPECT_EQ(shown[0].done.value, 12);
  for (const size_t worker : {1u, 2u}) {
    EXPECT_TRUE(shown[worker].Of(ObligationStatus::kMet).suppressed()) << worker;
    EXPECT_TRUE(shown[worker].Of(ObligationStatus::kOverdue).suppressed()) << worker;
    EXPECT_FALSE(shown[worker].denominator.suppressed()) << worker;
    EXPECT_TRUE(shown[worker].rate.suppressed) << worker;
    EXPECT_EQ(shown[worker].Of(ObligationStatus::kMetLate).value, 0) << worker;
  }
}

TEST(SuppressUnitTreeTest, NoDifferenceBetweenUnitsRevealsAHiddenCount) {
  // K ─┬─ D1 ─┬─ T1     met  overdue      T1's 3 met is small. Shown alone, D1 - T2 = 13 - 10
  //    │      └─ T2     T1    3    6       would reveal it, so T2's 10 goes too; T1's 3 also
  //    └─ D2            T2   10    5       makes T1's 6 overdue go (9 - 3 = 6), and then T2's 5
  //                     D1   13   11       (11 - 6 = 5). D1, D2 and K show everything: the four
  //                     D2   20    8       hidden cells leave one degree of freedom.
  //                     K    33   19
  Dataset data;
  data.units = {{"K", "Kommune", kNone, UnitKind::kMunicipality},
                {"D1", "Nord", 0, UnitKind::kDistrict},
                {"T1", "Team 1", 1, UnitKind::kTeam},
                {"T2", "Team 2", 1, UnitKind::kTeam},
                {"D2", "Syd", 0, UnitKind::kDistrict}};
  const std::vector<std::vector<StatusCounts>> by_unit = {{Counts(33, 0, 19, 0)},
                                                          {Counts(13, 0, 11, 0)},
                                                          {Counts(3, 0, 6, 0)},
                                                          {Counts(10, 0, 5, 0)},
                                                          {Counts(20, 0, 8, 0)}};
  const std::vector<std::vector<ShownCounts>> shown = SuppressUnitTree(data, by_unit);
  ASSERT_EQ(shown.size(), 5u);
  for (const size_t team : {2u, 3u}) {
    EXPECT_TRUE(shown[team][0].Of(ObligationStatus::kMet).suppressed()) << team;
    EXPECT_TRUE(shown[team][0].Of(ObligationStatus::kOverdue).suppressed()) << team;
    EXPECT_FALSE(shown[team][0].denominator.suppressed()) << team;
  }
  for (const size_t unit : {0u, 1u, 4u}) {
    EXPECT_FALSE(shown[unit][0].Of(ObligationStatus::kMet).suppressed()) << unit;
    EXPECT_FALSE(shown[unit][0].Of(ObligationStatus::kOverdue).suppressed()) << unit;
    EXPECT_FALSE(shown[unit][0].rate.suppressed) << unit;
  }
  EXPECT_EQ(shown[1][0].Of(ObligationStatus::kMet).value, 13);
}

TEST(ShowAllTest, ShowsEverythingAndNoRateWithoutADenominator) {
  const ShownCounts shown = ShowAll(Counts(1, 1, 2, 3));
  EXPECT_EQ(shown.denominator.value, 4);
  EXPECT_EQ(shown.done.value, 2);
  EXPECT_EQ(shown.rate.value, 0.25);
  EXPECT_EQ(shown.done_rate.value, 0.5);
  const ShownCounts empty = ShowAll(Counts(0, 0, 0, 3));
  EXPECT_FALSE(empty.rate.value);
  EXPECT_FALSE(empty.rate.suppressed);
}

}  // namespace
}  // namespace tilsyn
