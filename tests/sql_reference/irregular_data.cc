#include "sql_reference/irregular_data.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <string>
#include <vector>

#include "core/time.h"
#include "support/random.h"

namespace tilsyn::testing_support {
namespace {

template <typename T, size_t N>
const T& Pick(Random& random, const std::array<T, N>& items) {
  return items[random.Next() % N];
}

// Days where deadlines turn: clock changes, the change of law, leap days, month ends, holidays.
const std::array<Date, 16> kSpecialDays = {
    DateFromYmd(2023, 3, 26),  DateFromYmd(2023, 10, 29), DateFromYmd(2024, 3, 31),
    DateFromYmd(2024, 10, 27), DateFromYmd(2025, 3, 30),  DateFromYmd(2023, 12, 31),
    DateFromYmd(2024, 1, 1),   DateFromYmd(2024, 2, 29),  DateFromYmd(2023, 6, 5),
    DateFromYmd(2024, 12, 24), DateFromYmd(2025, 4, 17),  DateFromYmd(2023, 5, 5),
    DateFromYmd(2023, 8, 31),  DateFromYmd(2024, 10, 31), DateFromYmd(2023, 12, 22),
    DateFromYmd(2025, 6, 30)};

// Minutes of the day for timed events: midnight, the hour the clocks skip or repeat, the last
// minute of the day.
const std::array<int, 8> kMinutes = {0, 30, 119, 150, 12 * 60, 23 * 60, 23 * 60 + 59, 9 * 60 + 15};

const std::array<const char*, 5> kMeasureTypes = {"family_treatment", "contact_person",
                                                  "foster_care", "residential_care", "own_room"};
const std::array<const char*, 5> kContexts = {"assessment", "decision", "supervision", "follow_up",
                                              "other"};
const std::array<const char*, 4> kDecisions = {"grant", "refuse", "change", "end"};
// Event types by weight: the ones rules read most, often.
const std::array<const char*, 32> kTypes = {"worker_assigned",
                                            "notification_received",
                                            "notification_received",
                                            "notification_assessed",
                                            "notification_acknowledged",
                                            "notifier_feedback",
                                            "assessment_started",
                                            "assessment_started",
                                            "assessment_updated",
                                            "assessment_completed",
                                            "assessment_completed",
                                            "child_conversation",
                                            "child_conversation",
                                            "conversation_waived",
                                            "decision",
                                            "decision",
                                            "decision",
                                            "plan_made",
                                            "plan_made",
                                            "measure_started",
                                            "measure_started",
                                            "measure_ended",
                                            "follow_up",
                                            "follow_up",
                                            "follow_up",
                                            "supervision_visit",
                                            "supervision_visit",
                                            "aftercare_decision",
                                            "case_closed",
                                            "exemption",
                                            "exemption",
                                            "retraction"};

std::string Bool(Random& r) { return r.Chance(0.5) ? "true" : "false"; }

class ChildWriter {
 public:
  ChildWriter(Random& random, std::ofstream& out, int child,
              const std::vector<std::string>& rule_ids)
      : r_(random), out_(out), child_(fmt::format("C{}", child)), rule_ids_(rule_ids) {}

  void Write() {
    std::vector<Date> days;
    const Date first = DateFromYmd(2023, 1, 1);
    for (int i = 0, n = r_.Between(3, 7); i < n; ++i) {
      const Date day =
          r_.Chance(0.40) ? Pick(r_, kSpecialDays) : AddDays(first, r_.Between(0, 960));
      days.push_back(day);
      days.push_back(AddDays(day, r_.Between(1, 3)));
    }
    // Measure ids are the case system's: another child may have one by the same name.
    const std::array<std::string, 3> measures = {child_ + "M1", child_ + "M2", "M1"};
    for (int i = 0, n = r_.Between(6, 30); i < n; ++i) {
      const Date day = days[r_.Next() % days.size()];
      std::string at = FormatDate(day);
      if (r_.Chance(0.10)) {
        at += "T23:59:59";  // the last second: on the as-of date still known, a due time open
      } else if (r_.Chance(0.50)) {
        const int minute = r_.Chance(0.70) ? Pick(r_, kMinutes) : r_.Between(0, 24 * 60 - 1);
        at += fmt::format("T{:02}:{:02}", minute / 60, minute % 60);
      }
      Event(Pick(r_, kTypes), at, measures[r_.Next() % measures.size()]);
    }
  }

 private:
  // Columns after `at`: worker_id,ref,measure_id,measure_type,placement,source,professional,
  // acute,context,decision,reasoned,states_effort,rule_id,reason
  void Event(std::string type, const std::string& at, const std::string& measure) {
    std::array<std::string, 14> f;
    const auto pick = [&](const std::vector<std::string>& ids) {
      return ids[r_.Next() % ids.size()];
    };
    const bool answer = type == "notification_assessed" || type == "notification_acknowledged" ||
                        type == "notifier_feedback";
    if ((answer && notifications_.empty()) || (type == "retraction" && events_.empty()) ||
        (type == "exemption" && events_.empty())) {
      type = "notification_received";
    }
    if (type == "worker_assigned") {
      f[0] = fmt::format("W{}", r_.Between(1, 4));
    } else if (type == "notification_received") {
      f[5] = "school";
      f[6] = r_.Chance(0.70) ? "true" : "false";
    } else if (answer) {
      f[1] = pick(notifications_);
      if (type == "notification_assessed") f[7] = Bool(r_);
    } else if (type == "assessment_started") {
      if (!notifications_.empty() && r_.Chance(0.60)) f[1] = pick(notifications_);
    } else if (type == "child_conversation" || type == "conversation_waived") {
      f[8] = Pick(r_, kContexts);
      if (r_.Chance(0.30)) f[2] = measure;
      if (type == "conversation_waived") f[13] = "Barnet ønsker ikke samtale";
    } else if (type == "decision") {
      f[2] = measure;
      f[3] = Pick(r_, kMeasureTypes);
      f[4] = Bool(r_);
      f[9] = Pick(r_, kDecisions);
      f[10] = r_.Chance(0.80) ? "true" : "false";
    } else if (type == "plan_made") {
      f[2] = measure;
      f[11] = r_.Chance(0.80) ? "true" : "false";
    } else if (type == "measure_started") {
      f[2] = measure;
      f[3] = Pick(r_, kMeasureTypes);
      f[4] = r_.Chance(0.60) ? "true" : "false";
    } else if (type == "measure_ended" || type == "follow_up" || type == "supervision_visit") {
      f[2] = measure;
    } else if (type == "case_closed") {
      f[13] = "Sagen er afsluttet";
    } else if (type == "exemption") {
      // Mostly a rule the named event can trigger, so that exemptions take effect.
      const size_t named = r_.Next() % events_.size();
      f[1] = events_[named];
      const std::vector<const char*> rules = RulesTriggeredBy(types_[named]);
      f[12] = rules.empty() || r_.Chance(0.20) ? rule_ids_[r_.Next() % rule_ids_.size()]
                                               : rules[r_.Next() % rules.size()];
      f[13] = "Undtaget";
    } else if (type == "retraction") {
      f[1] = events_[r_.Next() % events_.size()];
      f[13] = "Fejlregistrering";
    }
    const std::string id = fmt::format("{}E{}", child_, ++count_);
    out_ << id << ',' << child_ << ',' << type << ',' << at;
    for (const std::string& field : f) out_ << ',' << field;
    out_ << '\n';
    if (type == "notification_received") notifications_.push_back(id);
    if (type != "retraction") {
      events_.push_back(id);
      types_.push_back(type);
    }
  }

  static std::vector<const char*> RulesTriggeredBy(const std::string& type) {
    if (type == "notification_received") {
      return {"notification_assessed_24h", "notification_receipt_6_weekdays",
              "professional_feedback"};
    }
    if (type == "assessment_started") return {"assessment_within_4_months"};
    if (type == "assessment_completed") return {"conversation_in_assessment"};
    if (type == "decision") {
      return {"assessment_made", "assessment_before_decision", "reasoned_decision",
              "conversation_before_decision", "plan_for_measure"};
    }
    if (type == "plan_made") return {"plan_states_effort"};
    if (type == "measure_started") {
      return {"first_follow_up_3_months", "supervision_twice_yearly", "aftercare_decision"};
    }
    if (type == "follow_up") return {"follow_up_6_months"};
    if (type == "supervision_visit") return {"supervision_with_conversation"};
    return {};
  }

  Random& r_;
  std::ofstream& out_;
  std::string child_;
  const std::vector<std::string>& rule_ids_;
  int count_ = 0;
  std::vector<std::string> notifications_;
  std::vector<std::string> events_;  // every event but retractions, which nothing may retract
  std::vector<std::string> types_;   // their types
};

}  // namespace

Status WriteIrregularDataset(const std::filesystem::path& dir, int children, uint64_t seed,
                             const std::vector<std::string>& rule_ids) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return InvalidArgument(fmt::format("{}: {}", dir.string(), error.message()));
  Random random(seed);
  std::ofstream(dir / "units.csv") << "unit_id,parent_id,kind,name\n"
                                      "K,,municipality,Uregelmæssig Kommune\n"
                                      "T1,K,team,Team 1\nT2,K,team,Team 2\n";
  std::ofstream(dir / "workers.csv") << "worker_id,name,unit_id,fte\n"
                                        "W1,Rådgiver 1,T1,1\nW2,Rådgiver 2,T1,1\n"
                                        "W3,Rådgiver 3,T2,1\nW4,Rådgiver 4,T2,0.5\n";
  std::ofstream children_csv(dir / "children.csv");
  std::ofstream events(dir / "events.csv");
  children_csv << "child_id,cpr,birth_date,unit_id\n";
  events << "event_id,child_id,type,at,worker_id,ref,measure_id,measure_type,placement,source,"
            "professional,acute,context,decision,reasoned,states_effort,rule_id,reason\n";
  for (int c = 1; c <= children; ++c) {
    const Date birth = AddDays(DateFromYmd(2006, 1, 1), random.Between(0, 7 * 365));
    children_csv << fmt::format("C{},,{},T{}\n", c, FormatDate(birth), random.Between(1, 2));
    ChildWriter(random, events, c, rule_ids).Write();
  }
  if (!events || !children_csv) {
    return InvalidArgument(fmt::format("{}: could not write", dir.string()));
  }
  return {};
}

}  // namespace tilsyn::testing_support
