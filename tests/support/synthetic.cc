#include "support/synthetic.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "support/random.h"

namespace tilsyn::testing_support {
namespace {

struct MeasureKind {
  const char* code;
  bool placement;
  int monthly_cost;
};
constexpr std::array<MeasureKind, 4> kMeasures = {{{"contact_person", false, 8000},
                                                   {"family_treatment", false, 25000},
                                                   {"foster_care", true, 35000},
                                                   {"residential_care", true, 90000}}};
constexpr std::array<const char*, 8> kSources = {"school",   "daycare", "health",    "police",
                                                 "hospital", "citizen", "anonymous", "family"};

class Writer {
 public:
  Writer(const SyntheticOptions& options, std::ofstream& events)
      : options_(options), random_(options.seed), events_(events) {}

  std::string Event(const std::string& child, const char* type, Date day,
                    const std::string& fields) {
    std::string id = fmt::format("{}E{}", options_.id_prefix, ++next_event_);
    events_ << id << ',' << child << ',' << type << ',' << FormatDate(day) << fields << '\n';
    return id;
  }

  std::string TimedEvent(const std::string& child, const char* type, Date day, int minute_of_day,
                         const std::string& fields) {
    std::string id = fmt::format("{}E{}", options_.id_prefix, ++next_event_);
    events_ << id << ',' << child << ',' << type << ',' << FormatDate(day)
            << fmt::format("T{:02}:{:02}", minute_of_day / 60, minute_of_day % 60) << fields
            << '\n';
    return id;
  }

  // Columns after `at`: worker_id,ref,measure_id,measure_type,placement,source,professional,
  // acute,context,decision,reasoned,states_effort,rule_id,reason,amount
  static std::string Fields(const std::string& worker = "", const std::string& ref = "",
                            const std::string& measure = "", const std::string& measure_type = "",
                            const std::string& placement = "", const std::string& source = "",
                            const std::string& professional = "", const std::string& acute = "",
                            const std::string& context = "", const std::string& decision = "",
                            const std::string& reasoned = "", const std::string& states_effort = "",
                            const std::string& rule = "", const std::string& reason = "",
                            const std::string& amount = "") {
    return fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", worker, ref, measure,
                       measure_type, placement, source, professional, acute, context, decision,
                       reasoned, states_effort, rule, reason, amount);
  }

  void Child(int index, const std::string& child, Date birth, int workers) {
    Random& r = random_;
    const std::string worker = fmt::format("W{}", r.Between(1, workers));
    Date day = AddDays(options_.first_day,
                       r.Between(0, options_.last_day.days - options_.first_day.days - 30));
    Event(child, "worker_assigned", day, Fields(worker));
    std::string last_notification;
    const int notifications = r.Between(1, 3);
    for (int n = 0; n < notifications; ++n) {
      const bool professional = r.Chance(0.7);
      const int minute = r.Between(0, 24 * 60 - 1);
      const std::string received =
          TimedEvent(child, "notification_received", day, minute,
                     Fields(worker, "", "", "", "", kSources[r.Next() % kSources.size()],
                            professional ? "true" : "false"));
      last_notification = received;
      const int delay = r.Chance(0.85) ? r.Between(10, 23 * 60) : r.Between(24 * 60, 72 * 60);
      const int at = minute + delay;
      TimedEvent(child, "notification_assessed", AddDays(day, at / (24 * 60)), at % (24 * 60),
                 Fields(worker, received, "", "", "", "", "", r.Chance(0.1) ? "true" : "false"));
      if (professional && r.Chance(0.9)) {
        Event(child, "notification_acknowledged", AddDays(day, r.Between(0, 12)),
              Fields(worker, received));
      }
      if (professional && r.Chance(0.6)) {
        Event(child, "notifier_feedback", AddDays(day, r.Between(10, 120)),
              Fields(worker, received));
      }
      day = AddDays(day, r.Between(1, 60));
    }
    if (!r.Chance(0.7)) return;
    const Date started = day;
    Event(child, "assessment_started", started, Fields(worker, last_notification));
    const Date completed = AddDays(started, r.Between(30, 200));
    if (r.Chance(0.9)) {
      Event(child, "child_conversation", AddDays(started, r.Between(5, 25)),
            Fields(worker, "", "", "", "", "", "", "", "assessment"));
    }
    if (completed > options_.last_day) return;
    Event(child, "assessment_completed", completed, Fields(worker));
    if (!r.Chance(0.6)) return;
    const MeasureKind& kind = kMeasures[r.Next() % kMeasures.size()];
    const std::string measure = fmt::format("{}M{}", options_.id_prefix, index);
    const Date decided = AddDays(completed, r.Between(0, 20));
    if (r.Chance(0.6)) {
      Event(child, "child_conversation", AddDays(decided, -r.Between(0, 10)),
            Fields(worker, "", "", "", "", "", "", "", "decision"));
    }
    const std::string placement = kind.placement ? "true" : "false";
    const std::string decision = Event(child, "decision", decided,
                                       Fields(worker, "", measure, kind.code, placement, "", "", "",
                                              "", "grant", r.Chance(0.92) ? "true" : "false"));
    if (r.Chance(0.8)) {
      Event(child, "plan_made", AddDays(decided, r.Chance(0.7) ? 0 : r.Between(1, 120)),
            Fields(worker, "", measure, "", "", "", "", "", "", "", "",
                   r.Chance(0.95) ? "true" : "false"));
    }
    const Date measure_start = AddDays(decided, r.Between(0, 30));
    Event(child, "measure_started", measure_start,
          Fields(worker, "", measure, kind.code, placement, "", "", "", "", "", "", "", "", "",
                 std::to_string(kind.monthly_cost)));
    const Date measure_end = AddDays(measure_start, r.Between(60, 1500));
    Date follow_up = AddDays(measure_start, r.Between(60, 130));
    while (follow_up < measure_end && follow_up <= options_.last_day) {
      Event(child, "follow_up", follow_up, Fields(worker, "", measure));
      follow_up = AddDays(follow_up, r.Between(100, 220));
    }
    if (kind.placement) {
      Date visit = AddDays(measure_start, r.Between(20, 200));
      while (visit < measure_end && visit <= options_.last_day) {
        Event(child, "supervision_visit", visit, Fields(worker, "", measure));
        if (r.Chance(0.8)) {
          Event(child, "child_conversation", visit,
                Fields(worker, "", "", "", "", "", "", "", "supervision"));
        }
        visit = AddDays(visit, r.Between(90, 240));
      }
      const Date age_17_6 = AddMonths(birth, 210);
      if (measure_start <= age_17_6 && age_17_6 <= measure_end && r.Chance(0.6)) {
        Event(child, "aftercare_decision", AddDays(age_17_6, -r.Between(-30, 120)), Fields(worker));
      }
    }
    if (measure_end <= options_.last_day) {
      if (r.Chance(0.5)) {
        Event(child, "child_conversation", AddDays(measure_end, -3),
              Fields(worker, "", measure, "", "", "", "", "", "decision"));
      }
      Event(child, "decision", AddDays(measure_end, -1),
            Fields(worker, "", measure, kind.code, placement, "", "", "", "", "end", "true"));
      Event(child, "measure_ended", measure_end, Fields(worker, "", measure));
      if (r.Chance(0.7)) {
        Event(child, "case_closed", AddDays(measure_end, 5),
              Fields(worker, "", "", "", "", "", "", "", "", "", "", "", "",
                     "Indsatsen er afsluttet"));
      }
    }
    if (options_.corrections && r.Chance(0.02)) {
      Event(
          child, "retraction", AddDays(decided, 2),
          Fields(worker, decision, "", "", "", "", "", "", "", "", "", "", "", "Fejlregistrering"));
    } else if (options_.corrections && r.Chance(0.02)) {
      Event(child, "exemption", AddDays(decided, 1),
            Fields(worker, decision, "", "", "", "", "", "", "", "", "", "",
                   "conversation_before_decision", "Barnet er under 1 år"));
    }
  }

  Random& random() { return random_; }

 private:
  const SyntheticOptions& options_;
  Random random_;
  std::ofstream& events_;
  uint64_t next_event_ = 0;
};

}  // namespace

Status WriteSyntheticDataset(const std::filesystem::path& dir, const SyntheticOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return InvalidArgument(fmt::format("{}: {}", dir.string(), ec.message()));
  const int teams = std::max(1, options.children / 120);
  const int workers = std::max(1, options.children / 25);
  {
    std::ofstream units(dir / "units.csv");
    units << "unit_id,parent_id,kind,name\nK,,municipality,Syntetisk Kommune\n";
    for (int t = 1; t <= teams; ++t) units << fmt::format("T{},K,team,Team {}\n", t, t);
  }
  {
    std::ofstream out(dir / "workers.csv");
    out << "worker_id,name,unit_id,fte\n";
    for (int w = 1; w <= workers; ++w) {
      out << fmt::format("W{},Rådgiver {},T{},{}\n", w, w, (w - 1) % teams + 1,
                         w % 5 == 0 ? "0.8" : "1");
    }
  }
  std::ofstream children(dir / "children.csv");
  std::ofstream events(dir / "events.csv");
  children << "child_id,cpr,birth_date,unit_id\n";
  events << "event_id,child_id,type,at,worker_id,ref,measure_id,measure_type,placement,source,"
            "professional,acute,context,decision,reasoned,states_effort,rule_id,reason,amount\n";
  Writer writer(options, events);
  for (int c = 1; c <= options.children; ++c) {
    const std::string child = fmt::format("{}C{}", options.id_prefix, c);
    const Date birth = AddDays(DateFromYmd(2004, 1, 1), writer.random().Between(0, 20 * 365));
    children << fmt::format("{},,{},T{}\n", child, FormatDate(birth), (c - 1) % teams + 1);
    writer.Child(c, child, birth, workers);
  }
  if (!events || !children)
    return InvalidArgument(fmt::format("{}: could not write", dir.string()));
  return {};
}

const std::filesystem::path& BenchmarkDataset(std::string_view tag, int children) {
  static std::map<std::pair<std::string, int>, std::filesystem::path> dirs;
  std::filesystem::path& dir = dirs[{std::string(tag), children}];
  if (!dir.empty()) return dir;
  dir = std::filesystem::temp_directory_path() / fmt::format("tilsyn-{}-{}", tag, children);
  std::filesystem::remove_all(dir);
  if (!WriteSyntheticDataset(dir, Synthetic(children, 42))) std::abort();
  return dir;
}

}  // namespace tilsyn::testing_support
