#include "ingest/interchange_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/event.h"
#include "core/time.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUnits =
    "unit_id,parent_id,kind,name\n"
    "K,,municipality,Aarhus Kommune\n"
    "D1,K,department,Børn og Unge\n"
    "T1,D1,team,Team Nord\n"
    "T2,D1,team,Team Syd\n";

constexpr std::string_view kWorkers =
    "worker_id,name,unit_id,fte\n"
    "W1,Anna Hansen,T1,1\n"
    "W2,Bo Jensen,T2,\"0,5\"\n";

constexpr std::string_view kChildren =
    "child_id,cpr,birth_date,unit_id\n"
    "C1,,2015-03-01,T1\n"
    "C2,,2012-11-30,T2\n";

// Rows appended by a test start on line 5.
constexpr std::string_view kEvents =
    "event_id,child_id,type,at,worker_id,ref,source,professional,acute,reason\n"
    "E1,C1,notification_received,2025-03-14T10:00,W1,,school,true,,\n"
    "E2,C1,notification_assessed,2025-03-14T15:00,W1,E1,,,false,\n"
    "E3,C2,worker_assigned,2025-01-02,W2,,,,,\n";

Instant Utc(int year, int month, int day, int hour, int minute) {
  return Instant{DateFromYmd(year, month, day).days * kSecondsPerDay + int64_t{hour} * 3600 +
                 int64_t{minute} * 60};
}

// Each test gets a data-set directory of its own, filled with the small valid data set above;
// a test changes one file to make the case it checks.
class InterchangeReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tilsyn_ingest_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("units.csv", kUnits);
    Write("workers.csv", kWorkers);
    Write("children.csv", kChildren);
    Write("events.csv", kEvents);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& file, std::string_view text) {
    std::ofstream out(dir_ / file, std::ios::binary);
    out << text;
  }
  void Append(const std::string& file, std::string_view text) {
    std::ofstream out(dir_ / file, std::ios::binary | std::ios::app);
    out << text;
  }

  Result<Dataset> Read(const ReadOptions& options = {}) {
    return ReadInterchangeDirectory(dir_, options);
  }

  // The message of the rejection; fails the test when a data set came back.
  std::string Rejection(const ReadOptions& options = {}) {
    Result<Dataset> result = Read(options);
    if (result.has_value()) {
      ADD_FAILURE() << "the data set was accepted";
      return "";
    }
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    return result.error().message;
  }

  fs::path dir_;
};

TEST_F(InterchangeReaderTest, TheBaseDataSetIsValid) {
  Result<Dataset> data = Read();
  ASSERT_TRUE(data.has_value()) << data.error().message;
  EXPECT_EQ(data->units.size(), 4u);
  EXPECT_EQ(data->workers.size(), 2u);
  EXPECT_EQ(data->children.size(), 2u);
  EXPECT_EQ(data->events.size(), 3u);
}

TEST_F(InterchangeReaderTest, UnknownEventType) {
  Append("events.csv", "E4,C1,visit,2025-03-15,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:type: unknown event type \"visit\"");
}

TEST_F(InterchangeReaderTest, MissingFieldThatTheTypeNeeds) {
  Append("events.csv", "E4,C2,notification_received,2025-03-15,,,school,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:professional: required for type notification_received but missing");
}

TEST_F(InterchangeReaderTest, NeededColumnAbsentFromTheHeader) {
  // A decision needs five columns this file does not have at all.
  Append("events.csv", "E4,C2,decision,2025-03-15,,,,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:measure_id: required for type decision but missing\n"
            "events.csv:5:measure_type: required for type decision but missing\n"
            "events.csv:5:placement: required for type decision but missing\n"
            "events.csv:5:decision: required for type decision but missing\n"
            "events.csv:5:reasoned: required for type decision but missing");
}

TEST_F(InterchangeReaderTest, MissingRequiredValue) {
  Append("events.csv", "E4,C2,assessment_started,,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:at: required value is missing");
}

TEST_F(InterchangeReaderTest, DateThatDoesNotExist) {
  Append("events.csv", "E4,C1,assessment_started,2025-13-01,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:at: \"2025-13-01\" is not a real calendar date");
}

TEST_F(InterchangeReaderTest, TimeInTheWrongForm) {
  Append("events.csv", "E4,C1,assessment_started,14/03/2025,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:at: \"14/03/2025\" is not a date (YYYY-MM-DD)");
}

TEST_F(InterchangeReaderTest, UnknownChild) {
  Append("events.csv", "E4,C9,assessment_started,2025-03-15,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:child_id: no child \"C9\" in children.csv");
}

TEST_F(InterchangeReaderTest, UnknownUnitOfWorker) {
  Append("workers.csv", "W3,Cai Holm,T9,1\n");
  EXPECT_EQ(Rejection(), "workers.csv:4:unit_id: no unit \"T9\" in units.csv");
}

TEST_F(InterchangeReaderTest, UnknownUnitOfChild) {
  Append("children.csv", "C3,,2016-01-01,T9\n");
  EXPECT_EQ(Rejection(), "children.csv:4:unit_id: no unit \"T9\" in units.csv");
}

TEST_F(InterchangeReaderTest, UnknownWorker) {
  Append("events.csv", "E4,C1,worker_assigned,2025-03-15,W9,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:worker_id: no worker \"W9\" in workers.csv");
}

TEST_F(InterchangeReaderTest, DuplicateEventId) {
  Append("events.csv", "E2,C2,assessment_started,2025-03-15,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:5:event_id: duplicate event id \"E2\" (first on row 3)");
}

TEST_F(InterchangeReaderTest, DuplicateUnitWorkerAndChildIds) {
  Append("units.csv", "T1,D1,team,Team Nord igen\n");
  Append("workers.csv", "W1,Anna Hansen,T1,1\n");
  Append("children.csv", "C2,,2012-11-30,T2\n");
  EXPECT_EQ(Rejection(),
            "units.csv:6:unit_id: duplicate unit id \"T1\" (first on row 4)\n"
            "workers.csv:4:worker_id: duplicate worker id \"W1\" (first on row 2)\n"
            "children.csv:4:child_id: duplicate child id \"C2\" (first on row 3)");
}

TEST_F(InterchangeReaderTest, CycleInUnits) {
  // X1's parent is X3, X3's is X2 and X2's is X1: named from X1, the first of them in the file.
  Append("units.csv",
         "X1,X3,district,Distrikt 1\n"
         "X2,X1,team,Team 2\n"
         "X3,X2,team,Team 3\n");
  EXPECT_EQ(Rejection(), "units.csv:6:parent_id: units form a cycle: X1 → X3 → X2 → X1");
}

TEST_F(InterchangeReaderTest, UnitThatIsItsOwnParent) {
  Append("units.csv", "X1,X1,team,Team X\n");
  EXPECT_EQ(Rejection(), "units.csv:6:parent_id: units form a cycle: X1 → X1");
}

TEST_F(InterchangeReaderTest, UnitParentRules) {
  Write("units.csv",
        "unit_id,parent_id,kind,name\n"
        "K,D1,municipality,Kommune\n"
        "D1,,department,Afdeling\n"
        "T1,Q,team,Team Nord\n"
        "T2,D1,squad,Team Syd\n");
  EXPECT_EQ(Rejection(),
            "units.csv:2:parent_id: a municipality has no parent unit\n"
            "units.csv:3:parent_id: required for a department but missing\n"
            "units.csv:4:parent_id: no unit \"Q\" in units.csv\n"
            "units.csv:5:kind: unknown kind \"squad\" (municipality, department, district or "
            "team)");
}

TEST_F(InterchangeReaderTest, NoMunicipality) {
  Write("units.csv",
        "unit_id,parent_id,kind,name\n"
        "T1,,team,Team Nord\n");
  EXPECT_EQ(Rejection(),
            "units.csv: no unit of kind municipality (a data set needs at least one)\n"
            "units.csv:2:parent_id: required for a team but missing\n"
            "workers.csv:3:unit_id: no unit \"T2\" in units.csv\n"
            "children.csv:3:unit_id: no unit \"T2\" in units.csv");
}

TEST_F(InterchangeReaderTest, RetractionOfAnUnknownEvent) {
  Append("events.csv", "E4,C1,retraction,2025-03-15,,E99,,,,fejlregistrering\n");
  EXPECT_EQ(Rejection(), "events.csv:5:ref: no event \"E99\" in events.csv");
}

TEST_F(InterchangeReaderTest, RetractionOfARetraction) {
  Append("events.csv",
         "E4,C1,retraction,2025-03-15,,E2,,,,fejl\n"
         "E5,C1,retraction,2025-03-16,,E4,,,,fejl i annulleringen\n");
  EXPECT_EQ(Rejection(),
            "events.csv:6:ref: event \"E4\" is a retraction, and a retraction cannot be retracted");
}

TEST_F(InterchangeReaderTest, EventThatRefersToItself) {
  Append("events.csv", "E4,C1,retraction,2025-03-15,,E4,,,,fejl\n");
  EXPECT_EQ(Rejection(), "events.csv:5:ref: an event cannot refer to itself");
}

TEST_F(InterchangeReaderTest, AcknowledgementMustReferToANotification) {
  Append("events.csv", "E4,C1,notification_acknowledged,2025-03-15,,E2,,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:ref: event \"E2\" is a notification_assessed, but a "
            "notification_acknowledged must refer to a notification_received");
}

TEST_F(InterchangeReaderTest, AssessmentMayOnlyReferToANotification) {
  // Checked when the target comes later in the file, too.
  Append("events.csv",
         "E4,C2,assessment_started,2025-03-15,,E5,,,,\n"
         "E5,C2,worker_assigned,2025-03-16,W2,,,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:ref: event \"E5\" is a worker_assigned, but a assessment_started must "
            "refer to a notification_received");
}

TEST_F(InterchangeReaderTest, RefToAnotherChildsEvent) {
  Append("events.csv", "E4,C2,notification_acknowledged,2025-03-15,,E1,,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:ref: event \"E1\" belongs to child \"C1\", not to child \"C2\"");
}

TEST_F(InterchangeReaderTest, UnknownColumn) {
  Write("events.csv",
        "event_id,child_id,type,at,colour,x_colour\n"
        "E1,C1,case_reopened,2025-03-14,blue,blue\n");
  EXPECT_EQ(Rejection(), "events.csv:1:colour: unknown column (extra columns must start with x_)");
}

TEST_F(InterchangeReaderTest, MissingAndRepeatedColumns) {
  Write("events.csv",
        "event_id,type,type,x_a,x_a,\n"
        "E1,case_reopened,case_reopened,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:1:type: the column appears more than once\n"
            "events.csv:1:x_a: the column appears more than once\n"
            "events.csv:1: column 6 has no name\n"
            "events.csv:1: missing required columns: child_id, at");
}

TEST_F(InterchangeReaderTest, ChildrenNeedBirthDateOrCprColumn) {
  Write("children.csv", "child_id,unit_id\nC1,T1\n");
  EXPECT_EQ(Rejection(), "children.csv:1: missing required column: birth_date (or cpr)");
}

TEST_F(InterchangeReaderTest, MissingFiles) {
  fs::remove(dir_ / "children.csv");
  fs::remove(dir_ / "units.csv");
  EXPECT_EQ(Rejection(),
            fmt::format("units: not found in {0} (looked for units.csv, units.jsonl, units.xlsx "
                        "and a sheet named units in another .xlsx workbook)\n"
                        "children: not found in {0} (looked for children.csv, children.jsonl, "
                        "children.xlsx and a sheet named children in another .xlsx workbook)",
                        dir_.string()));
}

TEST_F(InterchangeReaderTest, EmptyFile) {
  Write("workers.csv", "");
  EXPECT_EQ(Rejection(), "workers.csv: the file is empty (its first row must be the header)");
}

TEST_F(InterchangeReaderTest, RowWithTheWrongNumberOfCells) {
  Append("events.csv", "E4,C1,case_reopened,2025-03-15\n");
  EXPECT_EQ(Rejection(), "events.csv:5: 4 cells but the header has 10 columns");
}

TEST_F(InterchangeReaderTest, MalformedQuotingStopsTheFile) {
  Append("events.csv",
         "E4,C1,case_closed,2025-03-15,,,,,,\"flyttet\nto lines\"\n"
         "E5,C1,case_closed,2025-03-16,,,,,,\"ok\"x\n"
         "E6,C9,case_reopened,2025-03-17,,,,,,\n");
  EXPECT_EQ(Rejection(), "events.csv:7:reason: text follows the closing quote of a quoted field");
}

TEST_F(InterchangeReaderTest, BadBoolean) {
  Append("events.csv", "E4,C2,notification_received,2025-03-15,,,school,maybe,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:professional: \"maybe\" is not a boolean (true/false, ja/nej or 1/0)");
}

TEST_F(InterchangeReaderTest, BadValueInAColumnTheTypeDoesNotUseIsStillAnError) {
  Append("events.csv", "E4,C1,case_reopened,2025-03-15,,,tv,maybe,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:source: unknown source \"tv\" (school, daycare, health, police, "
            "hospital, other_authority, citizen, family, anonymous, child or other)\n"
            "events.csv:5:professional: \"maybe\" is not a boolean (true/false, ja/nej or 1/0)");
}

TEST_F(InterchangeReaderTest, BadCprNeverShowsTheNumber) {
  // 31 13 80: there is no 13th month. 12345: too short. 010203-12x4: not digits.
  Append("children.csv",
         "C3,3113801234,,T1\n"
         "C4,12345,,T1\n"
         "C5,010203-12x4,,T1\n");
  const std::string message = Rejection();
  EXPECT_EQ(message,
            "children.csv:4:cpr: not a CPR number: its first six digits are not a real date "
            "(DDMMYY)\n"
            "children.csv:5:cpr: not a CPR number (10 digits, optionally with '-' after the "
            "sixth)\n"
            "children.csv:6:cpr: not a CPR number (10 digits, optionally with '-' after the "
            "sixth)");
  EXPECT_EQ(message.find("311380"), std::string::npos);
}

TEST_F(InterchangeReaderTest, BirthDateMustAgreeWithCpr) {
  Append("children.csv", "C3,150320-4123,2020-03-16,T1\nC4,,,T1\n");
  EXPECT_EQ(Rejection(),
            "children.csv:4:birth_date: \"2020-03-16\" differs from the birth date that cpr "
            "gives\n"
            "children.csv:5:birth_date: required when cpr is empty, but missing");
}

TEST_F(InterchangeReaderTest, FteOutOfRange) {
  Append("workers.csv",
         "W3,Cai Holm,T1,1.5\n"
         "W4,Dorte Lund,T1,0\n"
         "W5,Ebbe Mik,T1,halv\n");
  EXPECT_EQ(Rejection(),
            "workers.csv:4:fte: \"1.5\" is out of range (0 < fte ≤ 1)\n"
            "workers.csv:5:fte: \"0\" is out of range (0 < fte ≤ 1)\n"
            "workers.csv:6:fte: \"halv\" is not a number (such as 1, 0.5 or 0,5)");
}

TEST_F(InterchangeReaderTest, MalformedIds) {
  Append("events.csv", "E 4,C1,case_reopened,2025-03-15,,,,,,\n");
  EXPECT_EQ(Rejection(),
            "events.csv:5:event_id: \"E 4\" is not a valid id (1 to 64 characters from A-Z a-z "
            "0-9 _ . : -)");
}

TEST_F(InterchangeReaderTest, UnknownRuleOfAnExemption) {
  Write("events.csv",
        "event_id,child_id,type,at,ref,rule_id,reason\n"
        "E1,C1,case_closed,2025-03-14,,,flyttet\n"
        "E2,C1,exemption,2025-03-15,E1,no_such_rule,fordi\n");
  ReadOptions options;
  options.known_rule_ids = {"notification_assessed_24h"};
  EXPECT_EQ(Rejection(options), "events.csv:3:rule_id: unknown rule \"no_such_rule\"");
  // Without a list of rules any well-formed id is accepted.
  EXPECT_TRUE(Read().has_value());
}

TEST_F(InterchangeReaderTest, BadAmount) {
  Write("events.csv",
        "event_id,child_id,type,at,measure_id,measure_type,placement,amount\n"
        "E1,C1,measure_started,2025-03-14,M1,contact_person,false,-100\n"
        "E2,C1,measure_started,2025-03-14,M2,contact_person,false,\"12.345\"\n");
  EXPECT_EQ(Rejection(),
            "events.csv:2:amount: \"-100\" is not an amount in DKK (a number ≥ 0 with at most two "
            "decimals, such as 12500 or 12500,50)\n"
            "events.csv:3:amount: \"12.345\" is not an amount in DKK (a number ≥ 0 with at most "
            "two decimals, such as 12500 or 12500,50)");
}

TEST_F(InterchangeReaderTest, TextThatIsNotUtf8) {
  Append("workers.csv", "W3,Caf\xE9,T1,1\n");
  EXPECT_EQ(Rejection(), "workers.csv:4:name: not valid UTF-8");
}

TEST_F(InterchangeReaderTest, ErrorsAreListedInFileOrderAndCapped) {
  // Written in the opposite order to the order they are listed in.
  Append("events.csv", "E4,C9,case_reopened,2025-03-15,,,,,,\n");
  Append("events.csv", "E5,C1,case_reopened,2025-02-30,,,,,,\n");
  Append("children.csv", "C3,,2016-01-01,T9\n");
  Append("workers.csv", "W3,Cai Holm,T1,2\n");
  Append("units.csv", "T3,D1,team,\n");
  EXPECT_EQ(Rejection(),
            "units.csv:6:name: required value is missing\n"
            "workers.csv:4:fte: \"2\" is out of range (0 < fte ≤ 1)\n"
            "children.csv:4:unit_id: no unit \"T9\" in units.csv\n"
            "events.csv:5:child_id: no child \"C9\" in children.csv\n"
            "events.csv:6:at: \"2025-02-30\" is not a real calendar date");
  ReadOptions options;
  options.max_errors = 3;
  EXPECT_EQ(Rejection(options),
            "units.csv:6:name: required value is missing\n"
            "workers.csv:4:fte: \"2\" is out of range (0 < fte ≤ 1)\n"
            "children.csv:4:unit_id: no unit \"T9\" in units.csv\n"
            "… and 2 more errors");
  options.max_errors = 4;
  EXPECT_EQ(Rejection(options),
            "units.csv:6:name: required value is missing\n"
            "workers.csv:4:fte: \"2\" is out of range (0 < fte ≤ 1)\n"
            "children.csv:4:unit_id: no unit \"T9\" in units.csv\n"
            "events.csv:5:child_id: no child \"C9\" in children.csv\n"
            "… and 1 more error");
}

TEST_F(InterchangeReaderTest, ManyErrorsAreCountedButNotAllKept) {
  std::string rows;
  for (int i = 0; i < 5000; ++i) rows += fmt::format("X{},C9,case_reopened,2025-03-15,,,,,,\n", i);
  // A forward ref resolved after the last row sorts by its own row, before the unknown children.
  Write("events.csv", std::string(kEvents) + "R1,C1,retraction,2025-03-20,,Z9,,,,fejl\n" + rows);
  ReadOptions options;
  options.max_errors = 2;
  EXPECT_EQ(Rejection(options),
            "events.csv:5:ref: no event \"Z9\" in events.csv\n"
            "events.csv:6:child_id: no child \"C9\" in children.csv\n"
            "… and 4999 more errors");
}

TEST_F(InterchangeReaderTest, ReadsEveryFieldSortsEventsAndRemapsRefs) {
  Write("children.csv",
        "child_id,cpr,birth_date,unit_id,x_note\n"
        "C1,,2015-03-01,T1,\"has a note, with a comma\"\n"
        "C2,150320-4123,,T2,\n"
        "C3,,2010-06-30,T1,\n");
  // Rows out of order; E2 refers forward to E1. Columns scoped to other types (source on E3,
  // acute on E5) are ignored; measure_id applies to every type.
  Write("events.csv",
        "event_id,child_id,type,at,worker_id,ref,measure_id,measure_type,placement,legal_basis,"
        "source,professional,acute,context,decision,reasoned,states_effort,rule_id,reason,amount,"
        "x_system\n"
        "E9,C2,measure_started,2025-04-01,W2,,M1,foster_care,true,\"BL §32, stk. 1, nr. 3\","
        ",,,,,,,,,\"12500,5\",DUBU\n"
        "E2,C1,notification_assessed,2025-03-14T15:00+01:00,W1,E1,,,,,,,false,,,,,,,,\n"
        "E1,C1,notification_received,2025-03-14T10:00,W1,,,,,,school,ja,,,,,,,,,\n"
        "E5,C1,child_conversation,2025-03-20,W1,,M7,,,,,,true,assessment,,,,,,,\n"
        "E4,C1,assessment_started,2025-03-20,W1,E1,,,,,,,,,,,,,,,\n"
        "E3,C1,worker_assigned,2025-03-14T10:00,W1,,,,,,school,,,,,,,,,,\n"
        "E8,C2,decision,2025-03-31,W2,,M1,foster_care,1,BL §32,,,,,grant,TRUE,,,,,\n"
        "E7,C2,worker_assigned,2025-03-01,W2,,,,,,,,,,,,,,,,\n"
        "E6,C1,retraction,2025-03-21,W1,E5,,,,,,,,,,,,,\"registreret på \"\"forkert\"\" barn\",,\n"
        "E10,C1,exemption,2025-03-21,W1,E2,,,,,,,,,,,,notification_assessed_24h,Indlagt,,\n"
        "E11,C2,notification_received,2025-04-01,,,,,,,police,nej,,,,,,,,,\n"
        "F2,C2,follow_up,2025-05-01,W2,,M1,,,,,,,,,,,,,,\n"
        "F10,C2,follow_up,2025-05-01,W2,,M1,,,,,,,,,,,,,,\n");
  ReadOptions options;
  options.known_rule_ids = {"notification_assessed_24h"};
  options.cpr_key = "test-key";
  Result<Dataset> result = Read(options);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const Dataset& data = *result;

  ASSERT_EQ(data.units.size(), 4u);
  EXPECT_EQ(data.units[1].id, "D1");
  EXPECT_EQ(data.units[1].name, "Børn og Unge");
  EXPECT_EQ(data.units[1].kind, UnitKind::kDepartment);
  EXPECT_EQ(data.units[0].parent, kNone);
  EXPECT_EQ(data.units[3].parent, 1u);
  ASSERT_EQ(data.workers.size(), 2u);
  EXPECT_EQ(data.workers[0].fte, 1.0);
  EXPECT_EQ(data.workers[1].fte, 0.5);  // "0,5"
  EXPECT_EQ(data.workers[1].unit, 3u);
  ASSERT_EQ(data.children.size(), 3u);
  EXPECT_EQ(data.children[0].birth_date, DateFromYmd(2015, 3, 1));
  EXPECT_EQ(data.children[0].cpr_hash, "");
  EXPECT_EQ(data.children[1].birth_date, DateFromYmd(2020, 3, 15));  // 7th digit 4, YY 20
  // HMAC-SHA256("test-key", "1503204123"), worked out with Python's hmac module.
  EXPECT_EQ(data.children[1].cpr_hash,
            "8e3a50748b407633111dbc91fdecda6377339ff70fbc35531310a8a215b67d0c");

  // C1: E3 and E1 at 10:00 sort by type (worker_assigned first); the date-only 20 March puts the
  // assessment start before the conversation; on 21 March the exemption precedes the retraction.
  // C2: on 1 April the notification precedes the measure; "F10" sorts before "F2" as text.
  // C3 has no events.
  std::vector<std::string_view> order;
  for (const Event& event : data.events) order.push_back(data.event_ids.Text(event.id));
  EXPECT_EQ(order, (std::vector<std::string_view>{"E3", "E1", "E2", "E4", "E5", "E10", "E6", "E7",
                                                  "E8", "E11", "E9", "F10", "F2"}));
  EXPECT_EQ(data.child_begin, (std::vector<uint32_t>{0, 7, 13}));
  EXPECT_EQ(data.child_end, (std::vector<uint32_t>{7, 13, 13}));
  EXPECT_EQ(data.EventsOf(2).size(), 0u);
  // The events with a legal basis, reason or amount, and none other, have details.
  for (uint32_t i = 0; i < data.events.size(); ++i) {
    EXPECT_EQ(data.events[i].has_details(), !data.LegalBasisOf(i).empty() ||
                                                !data.ReasonOf(i).empty() ||
                                                data.AmountOreOf(i).has_value())
        << data.event_ids.Text(data.events[i].id);
  }
  for (uint32_t child = 0; child < 3; ++child) {
    for (uint32_t i = data.child_begin[child]; i < data.child_end[child]; ++i) {
      EXPECT_EQ(data.ChildAt(i), child);
    }
  }

  const Event& e3 = data.events[0];
  EXPECT_EQ(e3.type, EventType::kWorkerAssigned);
  EXPECT_EQ(e3.worker, 0u);
  EXPECT_EQ(e3.source,
            NotificationSource::kUnspecified);  // source does not apply to worker_assigned
  EXPECT_FALSE(e3.date_only());
  EXPECT_TRUE(e3.Has(EventFlag::kDateOnly));

  const Event& e1 = data.events[1];
  EXPECT_EQ(e1.at, Utc(2025, 3, 14, 9, 0));  // 10:00 CET = 09:00 UTC
  EXPECT_EQ(Calendar::Danish().LocalDate(e1.at), DateFromYmd(2025, 3, 14));
  EXPECT_EQ(e1.source, NotificationSource::kSchool);
  EXPECT_TRUE(e1.Has(EventFlag::kProfessional));
  EXPECT_TRUE(e1.Is(EventFlag::kProfessional));  // "ja"
  EXPECT_FALSE(e1.Has(EventFlag::kAcute));
  EXPECT_EQ(e1.ref, kNone);

  const Event& e2 = data.events[2];
  EXPECT_EQ(e2.at, Utc(2025, 3, 14, 14, 0));
  EXPECT_EQ(e2.ref, 1u);  // E1
  EXPECT_TRUE(e2.Has(EventFlag::kAcute));
  EXPECT_FALSE(e2.Is(EventFlag::kAcute));

  const Event& e4 = data.events[3];
  EXPECT_TRUE(e4.date_only());
  EXPECT_EQ(e4.at, Utc(2025, 3, 19, 23, 0));  // local midnight, CET
  EXPECT_EQ(Calendar::Danish().LocalDate(e4.at), DateFromYmd(2025, 3, 20));
  EXPECT_EQ(e4.ref, 1u);

  const Event& e5 = data.events[4];
  EXPECT_EQ(e5.context, ConversationContext::kAssessment);
  EXPECT_FALSE(e5.Has(EventFlag::kAcute));  // acute is for notification assessments
  EXPECT_EQ(data.measure_ids.Text(e5.measure), "M7");

  const Event& e10 = data.events[5];
  EXPECT_EQ(e10.type, EventType::kExemption);
  EXPECT_EQ(e10.ref, 2u);  // E2
  ASSERT_NE(e10.rule(), kNoCode);
  EXPECT_EQ(e10.measure_type(), kNoCode);
  EXPECT_EQ(data.rule_ids.Text(e10.rule()), "notification_assessed_24h");
  EXPECT_EQ(data.ReasonOf(5), "Indlagt");

  const Event& e6 = data.events[6];
  EXPECT_EQ(e6.ref, 4u);  // E5
  EXPECT_EQ(data.ReasonOf(6), "registreret på \"forkert\" barn");

  const Event& e8 = data.events[8];
  EXPECT_EQ(e8.decision, DecisionKind::kGrant);
  EXPECT_TRUE(e8.Is(EventFlag::kPlacement));
  EXPECT_TRUE(e8.Is(EventFlag::kReasoned));
  EXPECT_FALSE(e8.Has(EventFlag::kStatesEffort));
  EXPECT_EQ(data.measure_ids.Text(e8.measure), "M1");
  EXPECT_EQ(data.measure_types.Text(e8.measure_type()), "foster_care");
  EXPECT_EQ(e8.rule(), kNoCode);
  EXPECT_EQ(data.LegalBasisOf(8), "BL §32");

  const Event& e11 = data.events[9];
  EXPECT_EQ(e11.source, NotificationSource::kPolice);
  EXPECT_FALSE(e11.Is(EventFlag::kProfessional));
  EXPECT_TRUE(e11.Has(EventFlag::kProfessional));
  EXPECT_EQ(e11.worker, kNone);

  const Event& e9 = data.events[10];
  EXPECT_EQ(e9.measure, e8.measure);
  EXPECT_EQ(e9.measure_type(), e8.measure_type());
  EXPECT_EQ(data.AmountOreOf(10), 1250050);  // 12500,5 DKK
  EXPECT_EQ(data.LegalBasisOf(10), "BL §32, stk. 1, nr. 3");
  EXPECT_FALSE(data.AmountOreOf(8).has_value());
}

TEST_F(InterchangeReaderTest, SummerTimeAndExplicitOffsets) {
  Write("events.csv",
        "event_id,child_id,type,at,reason\n"
        "E1,C1,case_reopened,2025-07-01T12:00,\n"
        "E2,C1,case_closed,2025-07-01T12:00:30Z,flyttet\n"
        "E3,C2,case_reopened,2025-10-26T23:30-02:00,\n");
  Result<Dataset> data = Read();
  ASSERT_TRUE(data.has_value()) << data.error().message;
  ASSERT_EQ(data->events.size(), 3u);
  // 12:00 CEST is 10:00 UTC, before 12:00:30 UTC.
  EXPECT_EQ(data->events[0].at, Utc(2025, 7, 1, 10, 0));
  EXPECT_EQ(data->events[1].at.seconds, Utc(2025, 7, 1, 12, 0).seconds + 30);
  // 23:30 at -02:00 is 01:30 UTC on the 27th, 02:30 CET: the local date is the 27th.
  EXPECT_EQ(data->events[2].at, Utc(2025, 10, 27, 1, 30));
  EXPECT_EQ(Calendar::Danish().LocalDate(data->events[2].at), DateFromYmd(2025, 10, 27));
}

TEST_F(InterchangeReaderTest, AcceptsBomCrLfQuotedHeadersAndBooleanSpellings) {
  Write("workers.csv",
        "\xEF\xBB\xBF\"worker_id\",name,unit_id\r\n"
        "W1,\"Hansen, Anna\",T1\r\n"
        "W2,Bo,T2\r\n");
  Write("events.csv",
        "event_id,child_id,type,at,source,professional\n"
        "E1,C1,notification_received,2025-03-14,school,TRUE\n"
        "E2,C1,notification_received,2025-03-15,school,Nej\n"
        "E3,C1,notification_received,2025-03-16,school,0\n"
        "E4,C1,notification_received,2025-03-17,school,JA\n");
  Result<Dataset> data = Read();
  ASSERT_TRUE(data.has_value()) << data.error().message;
  EXPECT_EQ(data->workers[0].name, "Hansen, Anna");
  EXPECT_EQ(data->workers[0].fte, 1.0);  // no fte column: full time
  ASSERT_EQ(data->events.size(), 4u);
  EXPECT_TRUE(data->events[0].Is(EventFlag::kProfessional));
  EXPECT_FALSE(data->events[1].Is(EventFlag::kProfessional));
  EXPECT_FALSE(data->events[2].Is(EventFlag::kProfessional));
  EXPECT_TRUE(data->events[3].Is(EventFlag::kProfessional));
}

struct CprCase {
  std::string_view cpr;
  Date birth_date;
  std::string_view why;
};

TEST_F(InterchangeReaderTest, CprGivesTheBirthDateByTheCenturyRules) {
  const std::vector<CprCase> cases = {
      {"0102030123", DateFromYmd(1903, 2, 1), "7th digit 0: 1900s"},
      {"311299-3123", DateFromYmd(1999, 12, 31), "7th digit 3: 1900s"},
      {"150320-4123", DateFromYmd(2020, 3, 15), "7th digit 4, YY 20 <= 36: 2000s"},
      {"010136-4123", DateFromYmd(2036, 1, 1), "7th digit 4, YY 36 <= 36: 2000s"},
      {"010137-4123", DateFromYmd(1937, 1, 1), "7th digit 4, YY 37 > 36: 1900s"},
      {"290200-9123", DateFromYmd(2000, 2, 29), "7th digit 9, YY 00: 2000, a leap year"},
      {"010150-9123", DateFromYmd(1950, 1, 1), "7th digit 9, YY 50 > 36: 1900s"},
      {"010157-5123", DateFromYmd(2057, 1, 1), "7th digit 5, YY 57 <= 57: 2000s"},
      {"010158-8123", DateFromYmd(1858, 1, 1), "7th digit 8, YY 58 > 57: 1800s"},
      {"150699-6123", DateFromYmd(1899, 6, 15), "7th digit 6, YY 99 > 57: 1800s"},
      {"150612-7123", DateFromYmd(2012, 6, 15), "7th digit 7, YY 12 <= 57: 2000s"},
  };
  std::string children = "child_id,cpr,unit_id\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    children += fmt::format("C{},{},T1\n", i + 1, cases[i].cpr);
  }
  Write("children.csv", children);
  ReadOptions options;
  options.cpr_key = "another key";
  Result<Dataset> result = Read(options);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const Dataset& data = *result;
  ASSERT_EQ(data.children.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(data.children[i].birth_date, cases[i].birth_date)
        << cases[i].cpr << ": " << cases[i].why;
    EXPECT_EQ(data.children[i].cpr_hash.size(), 64u);
  }
  // 29 February 1900 does not exist (1900 was no leap year), although 29 February 2000 does.
  Append("children.csv", "C99,2902000123,T1\n");
  EXPECT_EQ(Rejection(options),
            "children.csv:13:cpr: not a CPR number: its first six digits are not a real date "
            "(DDMMYY)");
}

// Every string the data set holds, wherever it is kept.
std::vector<std::string_view> AllStrings(const Dataset& data) {
  std::vector<std::string_view> strings;
  for (const Unit& unit : data.units) strings.insert(strings.end(), {unit.id, unit.name});
  for (const Worker& worker : data.workers) strings.insert(strings.end(), {worker.id, worker.name});
  for (const Child& child : data.children) {
    strings.insert(strings.end(), {child.id, child.cpr_hash});
  }
  for (const Interner* interner : {&data.event_ids, &data.measure_ids, &data.measure_types,
                                   &data.rule_ids, &data.detail_texts}) {
    for (uint32_t code = 0; code < interner->size(); ++code)
      strings.push_back(interner->Text(code));
  }
  return strings;
}

TEST_F(InterchangeReaderTest, CprIsKeptOnlyAsAKeyedHash) {
  Write("children.csv",
        "child_id,cpr,birth_date,unit_id\n"
        "C1,150320-4123,,T1\n"
        "C2,1503204123,2020-03-15,T2\n"
        "C3,010137-4321,,T2\n");
  ReadOptions options;
  options.cpr_key = "test-key";
  Result<Dataset> result = Read(options);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const Dataset& data = *result;
  // One person with and without the dash: one hash.
  EXPECT_EQ(data.children[0].cpr_hash,
            "8e3a50748b407633111dbc91fdecda6377339ff70fbc35531310a8a215b67d0c");
  EXPECT_EQ(data.children[1].cpr_hash, data.children[0].cpr_hash);
  // Computed here with libsodium's one-shot HMAC, independently of the reader's keyed state.
  ASSERT_GE(sodium_init(), 0);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  const std::string_view key = "test-key";
  const std::string_view digits = "0101374321";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(digits.data()),
                                digits.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::array<char, 2 * crypto_auth_hmacsha256_BYTES + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  EXPECT_EQ(data.children[2].cpr_hash, std::string(hex.data()));

  for (const std::string_view text : AllStrings(data)) {
    for (const std::string_view cpr : {"1503204123", "150320-4123", "0101374321", "010137-4321"}) {
      EXPECT_EQ(text.find(cpr), std::string_view::npos) << text;
    }
  }

  // Without a key the birth dates are still derived and no hash is kept.
  Result<Dataset> without_key = Read();
  ASSERT_TRUE(without_key.has_value()) << without_key.error().message;
  EXPECT_EQ(without_key->children[0].birth_date, DateFromYmd(2020, 3, 15));
  EXPECT_EQ(without_key->children[2].birth_date, DateFromYmd(1937, 1, 1));
  for (const Child& child : without_key->children) EXPECT_EQ(child.cpr_hash, "");
}

// A table held in memory, as a future XLSX or JSON Lines reader would hand one over.
class MemoryTable final : public TableSource {
 public:
  MemoryTable(std::string name, std::vector<std::string> columns,
              std::vector<std::vector<std::string>> rows)
      : name_(std::move(name)), columns_(std::move(columns)), rows_(std::move(rows)) {}

  std::string_view Name() const override { return name_; }
  std::span<const std::string> Columns() const override { return columns_; }
  Result<bool> Next() override {
    if (next_ == rows_.size()) return false;
    cells_.assign(rows_[next_].begin(), rows_[next_].end());
    ++next_;
    return true;
  }
  std::span<const std::string_view> Cells() const override { return cells_; }
  uint32_t Row() const override { return static_cast<uint32_t>(next_ + 1); }

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string_view> cells_;
  size_t next_ = 0;
};

TEST(ReadInterchangeTablesTest, ValidatesTablesOfAnyFormatAlike) {
  InterchangeTables tables;
  tables.units = std::make_unique<MemoryTable>(
      "units.jsonl", std::vector<std::string>{"unit_id", "kind", "name"},
      std::vector<std::vector<std::string>>{{"K", "municipality", "Kommune"}});
  tables.workers = std::make_unique<MemoryTable>(
      "workers.jsonl", std::vector<std::string>{"worker_id", "name", "unit_id"},
      std::vector<std::vector<std::string>>{{"W1", "Anna", "K"}});
  tables.children = std::make_unique<MemoryTable>(
      "children.jsonl", std::vector<std::string>{"child_id", "birth_date", "unit_id"},
      std::vector<std::vector<std::string>>{{"C1", "2015-03-01", "K"}});
  tables.events = std::make_unique<MemoryTable>(
      "events.jsonl", std::vector<std::string>{"event_id", "child_id", "type", "at"},
      std::vector<std::vector<std::string>>{{"E1", "C1", "case_reopened", "2025-03-14"},
                                            {"E2", "C1", "case_closed", "2025-03-15"},
                                            {"E3", "C9", "case_reopened", "2025-03-16"}});
  Result<Dataset> result = ReadInterchangeTables(std::move(tables), ReadOptions{});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message,
            "events.jsonl:3:reason: required for type case_closed but missing\n"
            "events.jsonl:4:child_id: no child \"C9\" in children.jsonl");
}

}  // namespace
}  // namespace tilsyn
