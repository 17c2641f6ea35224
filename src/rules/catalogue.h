#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/time.h"

namespace tilsyn {

enum class Law : uint8_t { kServiceloven, kBarnetsLov, kLocal };
std::string_view LawName(Law law);  // "SEL", "BL", "local"

// Which events a rule reacts to, or which events count as its anchor. Unset fields match all.
struct EventFilter {
  uint32_t type_mask = 0;      // bit per EventType
  uint32_t decision_mask = 0;  // bit per DecisionKind; 0 = any
  std::optional<bool> placement;
  std::optional<bool> professional;
  ConversationContext context = ConversationContext::kUnspecified;  // kNone = any

  bool Matches(const Event& event) const;
};

// How an obligation comes into being.
enum class TriggerKind : uint8_t {
  kEvent,    // one obligation per matching event
  kPerYear,  // one per calendar year in which a matching measure runs
  kAge,      // one per child: a matching measure runs on the day the child reaches an age
};

// Where the clock starts.
enum class ClockStart : uint8_t {
  kTrigger,
  kRefNotification,  // at the notification_received the trigger names in `ref`, if any
};

// Which candidate events can fulfil an obligation.
enum class Window : uint8_t {
  kAny,            // anywhere in the child's history
  kAfterTrigger,   // after the trigger
  kSincePrevious,  // after the latest anchor event before the trigger, and before the trigger
  kSameDay,        // on the trigger's date
  kInPeriod,       // dated in the obligation's calendar year (per-year rules)
};

enum class MeasureMatch : uint8_t { kAny, kSame, kSameIfGiven };

enum class DeadlineKind : uint8_t {
  kHours,      // clock start + n hours, to the second
  kDays,       // end of clock-start date + n days
  kWeekdays,   // end of the n-th weekday after the clock-start date
  kMonths,     // end of clock-start date + n months (month-end clamped)
  kAtTrigger,  // end of the trigger's date
  kPeriodEnd,  // end of the obligation's period (the year, or the measure's last day)
};

struct Deadline {
  DeadlineKind kind = DeadlineKind::kAtTrigger;
  int amount = 0;
  // Name of a local standard (rules/local_standards.toml) that overrides `amount`, or empty.
  std::string local_standard;
  // Name of a service-catalogue field that overrides `amount` for the measure's type, or empty.
  std::string per_measure_type;
};

// One legal basis of a rule, in force for triggers dated from `from` to `until`.
struct RuleVersion {
  Law law = Law::kServiceloven;
  std::string reference;            // "SEL § 50, stk. 7"
  bool reference_confirmed = true;  // false where rules.md marks the section "(?)"
  Date from = kFirstSupportedDate;
  Date until = kLastSupportedDate;
  std::optional<bool> applies_placement;  // narrows the trigger: only placements (or only not)
  Deadline deadline;
};

// One figure of Ankestyrelsen's Børnesagsbarometer: the percent of the reviewed cases that met the
// requirement, in a measurement of one year or of a round over several years ("2020-2022").
struct NationalFigure {
  int first_year = 0;
  int last_year = 0;
  int percent = 0;

  // "2020", or "2020-2022" for a round over several years: the key in the rule file.
  std::string Period() const;
};

// A rule of the catalogue, as data (rules/<id>.toml). The engine is generic over these fields.
struct Rule {
  std::string id;
  std::string name;              // Danish: "Børnefaglig undersøgelse afsluttet inden 4 måneder"
  std::string next_step;         // Danish worklist text: what the caseworker must do
  std::string national_measure;  // Ankestyrelsen's wording, where the barometer measures it
  // The barometer's figures for this rule, oldest first (by last year, then first year); empty
  // where the barometer does not measure it.
  std::vector<NationalFigure> national_figures;

  TriggerKind trigger_kind = TriggerKind::kEvent;
  EventFilter trigger;
  bool trigger_needs_running_measure = false;  // e.g. follow-ups of a measure not yet ended
  ClockStart clock = ClockStart::kTrigger;
  int age_months = 0;     // kAge: the age that triggers the obligation
  int notice_months = 0;  // kAge: shown as open from this many months before that age

  std::optional<EventFlag> fulfilled_by_attribute;  // the trigger's own flag fulfils it
  EventFilter fulfilment;
  bool fulfilment_refs_trigger = false;
  MeasureMatch measure = MeasureMatch::kAny;
  Window window = Window::kAny;
  EventFilter anchor;         // kSincePrevious
  int required_per_year = 0;  // kPerYear: visits for a whole year, pro rata for part of one

  bool ceases_when_measure_ends = false;

  std::vector<RuleVersion> versions;

  // The version in force on `trigger_date`, or nullptr.
  const RuleVersion* VersionAt(Date trigger_date) const;
  // The most recent national figure, or nullptr when there is none.
  const NationalFigure* LatestNationalFigure() const;
};

// A measure type of the service catalogue (servicekatalog).
struct MeasureType {
  std::string code;
  std::string name;  // Danish
  bool placement = false;
  int staircase_step = 0;               // indsatstrappe: 1 least intrusive
  std::optional<int> follow_up_months;  // local follow-up interval (Barnets Lov § 95)
};

// The whole catalogue: rules in report order, the service catalogue and local standards.
struct Catalogue {
  std::vector<Rule> rules;
  std::vector<MeasureType> measure_types;
  std::map<std::string, int> local_standards;

  // Index of a rule, or -1.
  int FindRule(std::string_view id) const;
  const MeasureType* FindMeasureType(std::string_view code) const;
  // The amount of a deadline for a trigger whose measure has type `measure_type` (may be empty).
  int DeadlineAmount(const Deadline& deadline, std::string_view measure_type) const;
  std::vector<std::string> RuleIds() const;
};

// Loads rules/catalogue.toml (the rule order), rules/<id>.toml for each rule,
// rules/service_catalogue.toml and rules/local_standards.toml from `dir`, with errors as
// "file: field: message".
Result<Catalogue> LoadCatalogue(const std::filesystem::path& dir);

// The directory of the rule catalogue: $TILSYN_RULES if set, else the one built in.
std::filesystem::path DefaultRulesDirectory();

}  // namespace tilsyn
