#include "simulate/municipality.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

#include "core/calendar.h"
#include "simulate/compliance.h"
#include "simulate/measures.h"
#include "simulate/random.h"

namespace tilsyn::simulate {
namespace {

constexpr int kYearsToAdulthood = 18;
constexpr int kMonthsToAdulthood = kYearsToAdulthood * 12;
constexpr double kDaysPerYear = 365.2425;

// A child's vulnerability, fixed at birth. Most children never meet the authority; a few meet it
// again and again, so repeat notifications gather on the same children. The rates give about 0.1
// notifications per child and year over all children, a little below Denmark's 0.12 (some 140,000
// a year for 1.15 million children), which keeps the national data set near the ten million
// events the benchmarks are sized for.
struct RiskClass {
  double notifications_per_year;  // at an age factor of 1
  std::array<double, 3> outcome;  // after screening: close, assess without support, support
  double further_support;         // a further measure when one ends
  double placement_factor;        // on the weight of placements among grants
};
constexpr std::array<RiskClass, 3> kRiskClasses = {{
    {0.02, {0.80, 0.10, 0.10}, 0.20, 0.3},
    {0.22, {0.55, 0.20, 0.25}, 0.35, 1.0},
    {0.95, {0.30, 0.20, 0.50}, 0.55, 4.0},
}};
// The shares of children in each class.
constexpr std::array<double, 3> kRiskShares = {0.78, 0.17, 0.05};

// Notifications by age, as a factor on the yearly rate: many around birth (hospitals, health
// visitors), fewer for toddlers, most for teenagers (police, school absence).
constexpr std::array<double, 18> kAgeFactor = {1.3, 0.6, 0.6, 0.6, 0.7, 0.7, 0.8, 0.8, 0.8,
                                               0.9, 0.9, 1.0, 1.2, 1.4, 1.5, 1.5, 1.4, 1.3};
constexpr double kMaxAgeFactor = 1.5;

// Who notifies, nationally (as a share of all notifications, about as Danmarks Statistik's
// statistics on notifications show them: police and schools each about a fifth), and how that
// shifts with the child's age (factors for 0–5, 6–12 and 13–17 years).
struct SourceProfile {
  NotificationSource source;
  double share;
  std::array<double, 3> by_age;
  double professional;  // the chance the notifier has a duty to notify
  double acute;         // the chance the notification is judged acute
  bool office_hours;    // sent on weekdays in office hours
};
constexpr std::array<SourceProfile, 11> kSources = {{
    {NotificationSource::kSchool, 0.20, {0.1, 1.5, 1.15}, 1.0, 0.01, true},
    {NotificationSource::kDaycare, 0.06, {3.5, 0.3, 0.0}, 1.0, 0.01, true},
    {NotificationSource::kHealth, 0.08, {2.5, 0.9, 0.6}, 1.0, 0.02, true},
    {NotificationSource::kPolice, 0.21, {0.5, 0.6, 1.5}, 1.0, 0.10, false},
    {NotificationSource::kHospital, 0.06, {2.2, 0.7, 0.6}, 1.0, 0.08, false},
    {NotificationSource::kOtherAuthority, 0.14, {0.9, 1.0, 1.05}, 1.0, 0.02, true},
    {NotificationSource::kCitizen, 0.05, {1.2, 1.1, 0.85}, 0.0, 0.02, false},
    {NotificationSource::kFamily, 0.08, {0.8, 1.1, 1.0}, 0.0, 0.03, false},
    {NotificationSource::kAnonymous, 0.05, {1.1, 1.1, 0.9}, 0.0, 0.01, false},
    {NotificationSource::kChild, 0.02, {0.0, 0.5, 1.8}, 0.0, 0.05, false},
    {NotificationSource::kOther, 0.05, {1.0, 1.0, 1.0}, 0.4, 0.02, true},
}};

// Behaviour that no rule measures, so that no figure constrains it.
constexpr double kOptionalAssessment = 0.5;  // a BFU where Barnets Lov asks for none
constexpr double kOptionalPlan = 0.5;        // a plan where Barnets Lov asks for none
constexpr double kPlacementWithoutConsent = 0.12;
constexpr double kLateRatherThanMissing = 0.75;  // an unmet step is done late, else never
constexpr double kExemption = 0.02;              // an unmet step gets an exemption
constexpr double kDuplicate = 0.003;             // a registration is made twice, then retracted
constexpr double kWrongEnd = 0.002;              // a follow-up also ends the measure by mistake
constexpr double kPlanRevision = 0.12;           // at a follow-up
constexpr double kChangeDecision = 0.05;         // at a follow-up
constexpr double kSecondMeasure = 0.03;          // at a follow-up of the only measure
constexpr double kAcutePlacement = 0.3;          // an acute notification on a child at risk
constexpr double kRefusal = 0.12;                // an assessment without support ends in a refusal
constexpr double kDeclinedConversation = 0.03;   // a child from 12 declines the conversation
constexpr int kReopenWithinDays = 365;           // a case closed less long ago is reopened
// About one child in ten moves to another municipality before 18, and its case goes along.
// Children moving in are left out: births alone make up the population.
constexpr double kMeanDaysToMove = 170 * kDaysPerYear;

// Staff: yearly turnover of about 20 %, a leave every eight years or so.
constexpr double kMeanTenureDays = 5 * kDaysPerYear;
constexpr double kMeanDaysBetweenLeaves = 8 * kDaysPerYear;
constexpr int kSubstituteFromLeaveDays = 120;

enum class ActionKind : uint8_t {
  kNotification,
  kScreeningEnd,
  kAssessmentCompleted,
  kGrant,
  kMeasureStart,
  kFollowUp,
  kSupervisionYear,
  kSupervisionVisit,
  kMeasureEnd,
  kYouth,
  kAftercare,
  kAdult,
  kMove,
  kTeamReview,
  kHire,
  kQuit,
  kLeaveStart,
  kLeaveEnd,
};

// Something that happens on a day: to a child (its index), a team or a caseworker.
struct Action {
  uint32_t subject = 0;
  uint32_t tag = 0;  // what it concerns: an event position, a measure number
  ActionKind kind = ActionKind::kNotification;
};

struct Measure {
  uint16_t number = 0;
  uint16_t type = 0;
  bool placement = false;
  bool started = false;
  bool running = false;  // granted and not ended (perhaps not yet started)
  Date planned_end;
  uint32_t start_event = kNone;
};

// A grant decided on but not yet made.
struct PendingGrant {
  uint16_t type = 0;
  bool placement = false;
  bool without_consent = false;
  // Whether its basis (below) was drawn when the path to it was chosen; else at the decision.
  bool planned = false;
  bool assessed = false;          // rests on an assessment started or updated for it
  bool completed_before = false;  // which is completed (or updated) before the decision
};

struct ChildState {
  Date birth;
  Date adult;  // the 18th birthday
  uint8_t risk = 0;
  uint32_t district = 0;
  bool gone = false;  // moved away or grown up: no more events
  bool open = false;
  bool in_screening = false;
  uint32_t worker = kNone;  // caseworker index
  uint32_t team = kNone;    // the team of the current or last caseworker
  int episodes = 0;         // case episodes in `events`
  Date opened_on;
  Date closed_on{kFirstSupportedDate};
  uint32_t last_notification = kNone;
  Date last_notification_day;
  NotificationSource last_source = NotificationSource::kUnspecified;
  // The running assessment (børnefaglig undersøgelse).
  bool assessment_running = false;
  bool assessment_unregistered = false;  // its completion will never be registered
  uint32_t assessment_event = kNone;
  Date assessment_start;
  // Windows of the decision rules.
  bool has_decision = false;
  Date last_decision_day;
  bool has_grant = false;
  Date last_grant_day;
  // What the decision rules' window holds since the previous grant (or ever): an assessment
  // started or updated, and one completed or updated.
  bool assessed_since_grant = false;
  bool completed_since_grant = false;
  // A grant decided on: its decision is scheduled, or will be when the assessment completes.
  std::optional<PendingGrant> pending;
  bool grant_after_completion = false;
  bool aftercare_planned = false;
  bool aftercare = false;  // support after 18 was granted
  uint16_t measure_count = 0;
  std::vector<Measure> measures;
  std::vector<CaseEvent> events;
};

int AgeAt(Date birth, Date day) {
  const YearMonthDay b = ToYmd(birth);
  const YearMonthDay d = ToYmd(day);
  int age = d.year - b.year;
  if (d.month < b.month || (d.month == b.month && d.day < b.day)) --age;
  return age;
}

class Simulation {
 public:
  Simulation(const MunicipalitySpec& spec, const HistoryWindow& window, const Catalogue& catalogue,
             std::atomic<uint64_t>* progress)
      : spec_(spec),
        window_(window),
        catalogue_(catalogue),
        calendar_(Calendar::Danish()),
        random_(spec.seed),
        progress_(progress),
        organisation_(spec.code, spec.name, spec.children, random_),
        targets_(TargetsFromCatalogue(catalogue)),
        profiles_(MeasureProfiles(catalogue)),
        start_(AddMonths(window.first, -kMonthsToAdulthood)),
        barnets_lov_from_(BarnetsLovFrom(catalogue)) {
    buckets_.resize(static_cast<size_t>(window_.last.days - start_.days + 1));
  }

  Municipality Run();

 private:
  static Date BarnetsLovFrom(const Catalogue& catalogue);

  // Time.
  Date NextWeekday(Date day) const {
    while (day <= kLastSupportedDate && !calendar_.IsWeekday(day)) day = AddDays(day, 1);
    return day;
  }
  // A weekday from `first` to `last` (or `first` itself when the range holds none).
  Date WeekdayBetween(Date first, Date last) {
    if (last < first) return first;
    const Date drawn = AddDays(first, random_.Between(0, last.days - first.days));
    for (Date d = drawn; d <= last; d = AddDays(d, 1)) {
      if (calendar_.IsWeekday(d)) return d;
    }
    for (Date d = drawn; d >= first; d = AddDays(d, -1)) {
      if (calendar_.IsWeekday(d)) return d;
    }
    return first;
  }
  void Schedule(Date day, ActionKind kind, uint32_t subject, uint32_t tag = 0) {
    if (day > window_.last) return;
    if (day < today_) day = today_;
    buckets_[static_cast<size_t>(day.days - start_.days)].push_back(Action{subject, tag, kind});
  }

  // Rules.
  const RuleVersion* VersionOf(Requirement requirement, Date trigger) const {
    const int rule = targets_.RuleOf(requirement);
    if (rule < 0) return nullptr;
    return catalogue_.rules[static_cast<size_t>(rule)].VersionAt(trigger);
  }
  bool Applies(Requirement requirement, Date trigger, bool placement) const {
    if (targets_.RuleOf(requirement) < 0) return true;
    const RuleVersion* version = VersionOf(requirement, trigger);
    if (version == nullptr) return false;
    return !version->applies_placement || *version->applies_placement == placement;
  }
  int DeadlineAmount(Requirement requirement, Date trigger, uint16_t measure_type,
                     int fallback) const {
    const RuleVersion* version = VersionOf(requirement, trigger);
    if (version == nullptr) return fallback;
    const std::string_view code =
        measure_type == kNoCode ? std::string_view() : catalogue_.measure_types[measure_type].code;
    return catalogue_.DeadlineAmount(version->deadline, code);
  }
  bool BarnetsLov(Date day) const { return day >= barnets_lov_from_; }
  // Whether the child's caseworker meets a requirement this time.
  bool Meets(const ChildState& child, Requirement requirement) {
    return random_.Chance(
        MetProbabilityFor(child.worker, targets_.RateOf(requirement), InfoOf(requirement).domain));
  }
  // The workload is the team's: a caseworker's own caseload says more about when they started
  // (new cases go to whoever has fewest) than about how pressed they are.
  double MetProbabilityFor(uint32_t caseworker, double target, Domain domain) {
    if (caseworker == kNone) {
      return MetProbability(target, 0, kReferenceCaseload, kReferenceCaseload);
    }
    const Caseworker& worker = organisation_.caseworker(caseworker);
    const auto d = static_cast<size_t>(domain);
    const Team& team = organisation_.team(worker.team);
    // Against the authority's usual caseload; intake screenings are not comparable, so an intake
    // team's load neither helps nor hurts.
    double load = team.Load();
    double usual = team.intake ? load : organisation_.UsualCaseload();
    if (!std::isfinite(load)) load = usual = kReferenceCaseload;
    return MetProbability(target, worker.effect[d] + team.effect[d], load, usual);
  }

  // Events.
  uint32_t Emit(uint32_t child, CaseEvent event);
  uint32_t EmitSimple(uint32_t child, EventType type, Date day, uint16_t measure = 0) {
    CaseEvent event;
    event.type = type;
    event.day = day;
    event.measure = measure;
    return Emit(child, event);
  }
  void MaybeDuplicate(uint32_t child, uint32_t event);
  void Retract(uint32_t child, uint32_t event, Date day, Text reason);
  void Exempt(uint32_t child, Requirement requirement, uint32_t trigger, Date day, Text reason);
  void Conversation(uint32_t child, ConversationContext context, Date day, uint16_t measure);
  void Plan(uint32_t child, Date day, uint16_t measure);
  uint32_t Decision(uint32_t child, Date day, DecisionKind kind, const Measure& measure,
                    bool without_consent);

  // Organisation.
  uint32_t HireCaseworker(uint32_t team, Title title, Date day, double tenure_days);
  void Transfer(uint32_t child, uint32_t caseworker, Date day);
  void AssignTo(uint32_t child, uint32_t team, Date day);
  uint32_t TeamForAge(const ChildState& child, Date day) const {
    return organisation_.TeamFor(
        child.district, AgeAt(child.birth, day) >= 14 ? TeamRole::kYouth : TeamRole::kChildren);
  }
  // Gives all of a caseworker's cases to colleagues (leave, leaving); when nobody else in the team
  // is available, to a substitute hired for `absence_days`.
  void HandOver(uint32_t caseworker, Date day, int absence_days);
  // A caseworker who starts or comes back takes cases from the busiest colleagues until the team's
  // caseloads are even.
  void TakeOver(uint32_t caseworker, Date day);

  // The case.
  void Birth(Date day);
  std::optional<Date> NextNotification(const ChildState& child, Date after);
  void OpenCase(uint32_t child, Date day);
  void CloseCase(uint32_t child, Date day, Text reason);
  std::optional<PendingGrant> ChooseGrant(const ChildState& child, Date day,
                                          bool placement_allowed);
  // Draws the basis of a grant: whether it rests on an assessment, completed before the decision.
  void PlanBasis(const ChildState& child, Date decision, PendingGrant& grant);
  // Keeps a drawn share at its target when case histories force some outcomes: an earlier
  // assessment still counts for a grant drawn without one, an acute placement cannot wait for a
  // completed one. `surplus` counts the outcomes forced up less those forced down; the next draws
  // that could go either way pay it back.
  static bool Settle(bool drawn, int& surplus);
  // Starts an assessment; with a grant to follow, schedules it after the completion or before it,
  // as the grant's basis says.
  void StartAssessment(uint32_t child, Date day, std::optional<PendingGrant> grant);
  void EndMeasure(uint32_t child, Measure& measure, Date day, bool with_decision);
  Measure* FindMeasure(ChildState& child, uint32_t number) {
    for (Measure& measure : child.measures) {
      if (measure.number == number) return &measure;
    }
    return nullptr;
  }
  bool HasRunningMeasure(const ChildState& child) const {
    return std::any_of(child.measures.begin(), child.measures.end(),
                       [](const Measure& m) { return m.running; });
  }
  Measure* RunningPlacement(ChildState& child) {
    for (Measure& measure : child.measures) {
      if (measure.running && measure.placement) return &measure;
    }
    return nullptr;
  }
  void ScheduleGrant(uint32_t child, Date day, PendingGrant grant) {
    ChildState& c = children_[child];
    c.pending = grant;
    // Two decisions never share a day: the rules' windows run from the previous decision's day.
    if (c.has_decision && day <= c.last_decision_day) day = AddDays(c.last_decision_day, 1);
    Schedule(NextWeekday(day), ActionKind::kGrant, child);
  }

  // When a notification received on `day` at `minute` is assessed, within 24 hours or not, and
  // whether by the leader on call (out of office hours) or the caseworker.
  struct AssessmentTime {
    Date day;
    int minute = 0;
    bool on_call = false;
  };
  AssessmentTime AssessNotification(Date day, int minute, bool in_time);
  void OnNotification(uint32_t child);
  void OnScreeningEnd(uint32_t child);
  void OnAssessmentCompleted(uint32_t child, uint32_t started);
  void OnGrant(uint32_t child);
  void OnMeasureStart(uint32_t child, uint32_t number);
  void OnFollowUp(uint32_t child, uint32_t number);
  void OnSupervisionYear(uint32_t child, uint32_t number);
  void OnSupervisionVisit(uint32_t child, uint32_t number);
  void OnMeasureEnd(uint32_t child, uint32_t number);
  void OnYouth(uint32_t child);
  void OnAftercare(uint32_t child);
  // Decides on support after 18 for a young person whose placement runs at 17½, if not yet done.
  void PlanAftercare(uint32_t child, const Measure& placement);
  void OnAdult(uint32_t child);
  void OnMove(uint32_t child);
  void OnTeamReview(uint32_t team);
  // Moves a caseworker from `team` to the team most over its staffing norm, if any is over it.
  void MoveToBusiestTeam(uint32_t team);
  void OnHire(uint32_t team);
  void OnQuit(uint32_t caseworker);
  void OnLeaveStart(uint32_t caseworker);
  void OnLeaveEnd(uint32_t caseworker);
  void Handle(const Action& action);

  Municipality Collect();

  const MunicipalitySpec& spec_;
  const HistoryWindow window_;
  const Catalogue& catalogue_;
  const Calendar& calendar_;
  Random random_;
  std::atomic<uint64_t>* progress_;
  Organisation organisation_;
  const ComplianceTargets targets_;
  const std::vector<MeasureProfile> profiles_;
  const Date start_;
  const Date barnets_lov_from_;
  Date today_;
  std::vector<std::vector<Action>> buckets_;
  std::vector<ChildState> children_;
  std::array<double, kSources.size()> source_weights_{};
  int made_surplus_ = 0;
  int before_surplus_ = 0;
  int64_t population_ = 0;
};

Date Simulation::BarnetsLovFrom(const Catalogue& catalogue) {
  std::optional<Date> from;
  for (const Rule& rule : catalogue.rules) {
    for (const RuleVersion& version : rule.versions) {
      if (version.law == Law::kBarnetsLov && (!from || version.from < *from)) from = version.from;
    }
  }
  // Without a Barnets Lov version in the catalogue, every decision states Serviceloven.
  return from.value_or(kLastSupportedDate);
}

uint32_t Simulation::Emit(uint32_t child, CaseEvent event) {
  ChildState& c = children_[child];
  if (event.day > window_.last) return kNone;
  if (event.day < c.birth) event.day = c.birth;
  // After 18 the case is closed; only letters to notifiers and corrections may still follow.
  if (event.day > c.adult && event.type != EventType::kCaseClosed &&
      event.type != EventType::kNotifierFeedback &&
      event.type != EventType::kNotificationAcknowledged && event.type != EventType::kRetraction) {
    return kNone;
  }
  c.events.push_back(event);
  return static_cast<uint32_t>(c.events.size() - 1);
}

void Simulation::MaybeDuplicate(uint32_t child, uint32_t event) {
  if (event == kNone || !random_.Chance(kDuplicate)) return;
  ChildState& c = children_[child];
  const CaseEvent copy = c.events[event];
  const uint32_t duplicate = Emit(child, copy);
  Retract(child, duplicate, WeekdayBetween(AddDays(copy.day, 1), AddDays(copy.day, 45)),
          Text::kRetractedDuplicate);
}

void Simulation::Retract(uint32_t child, uint32_t event, Date day, Text reason) {
  if (event == kNone) return;
  CaseEvent retraction;
  retraction.type = EventType::kRetraction;
  retraction.day = day;
  retraction.ref = event;
  retraction.reason = reason;
  Emit(child, retraction);
}

void Simulation::Exempt(uint32_t child, Requirement requirement, uint32_t trigger, Date day,
                        Text reason) {
  const int rule = targets_.RuleOf(requirement);
  if (rule < 0 || trigger == kNone) return;
  ChildState& c = children_[child];
  CaseEvent exemption;
  exemption.type = EventType::kExemption;
  exemption.day = std::max(day, c.events[trigger].day);
  exemption.rule = static_cast<uint16_t>(rule);
  exemption.ref = trigger;
  exemption.reason = reason;
  exemption.worker = c.team == kNone ? kNone : organisation_.LeaderOf(c.team);
  Emit(child, exemption);
}

void Simulation::Conversation(uint32_t child, ConversationContext context, Date day,
                              uint16_t measure) {
  const ChildState& c = children_[child];
  const int age = AgeAt(c.birth, day);
  CaseEvent event;
  event.day = day;
  event.context = context;
  event.measure = measure;
  event.type = EventType::kConversationWaived;
  if (age < 3) {
    // Too young to talk: the child's perspective is seen by observation instead.
    const int base = context == ConversationContext::kAssessment ? 0
                     : context == ConversationContext::kDecision ? 3
                                                                 : 6;
    event.reason = static_cast<Text>(static_cast<int>(Text::kWaivedAssessmentUnder1) + base + age);
  } else if (age >= 12 && random_.Chance(kDeclinedConversation)) {
    event.reason = Text::kWaivedDeclined;
  } else {
    event.type = EventType::kChildConversation;
  }
  MaybeDuplicate(child, Emit(child, event));
}

void Simulation::Plan(uint32_t child, Date day, uint16_t measure) {
  CaseEvent plan;
  plan.type = EventType::kPlanMade;
  plan.day = day;
  plan.measure = measure;
  plan.Set(EventFlag::kStatesEffort, Meets(children_[child], Requirement::kPlanStatesEffort));
  MaybeDuplicate(child, Emit(child, plan));
}

uint32_t Simulation::Decision(uint32_t child, Date day, DecisionKind kind, const Measure& measure,
                              bool without_consent) {
  ChildState& c = children_[child];
  CaseEvent decision;
  decision.type = EventType::kDecision;
  decision.day = day;
  decision.decision = kind;
  decision.measure = measure.number;
  decision.measure_type = measure.type;
  decision.Set(EventFlag::kPlacement, measure.placement);
  const bool reasoned = kind == DecisionKind::kGrant || kind == DecisionKind::kChange
                            ? Meets(c, Requirement::kReasonedDecision)
                            : true;
  decision.Set(EventFlag::kReasoned, reasoned);
  if (BarnetsLov(day)) {
    decision.legal_basis =
        without_consent ? LegalBasis::kBarnetsLovWithoutConsent : LegalBasis::kBarnetsLov;
  } else {
    decision.legal_basis =
        without_consent ? LegalBasis::kServicelovenWithoutConsent : LegalBasis::kServiceloven;
  }
  c.has_decision = true;
  c.last_decision_day = day;
  return Emit(child, decision);
}

uint32_t Simulation::HireCaseworker(uint32_t team, Title title, Date day, double tenure_days) {
  const uint32_t caseworker = organisation_.Hire(team, title, random_);
  Schedule(AddDays(day, 30 + static_cast<int>(tenure_days)), ActionKind::kQuit, caseworker);
  if (title == Title::kCaseworker) {
    const auto until_leave =
        static_cast<int>(std::min(random_.Exponential(kMeanDaysBetweenLeaves), 40000.0));
    Schedule(NextWeekday(AddDays(day, 30 + until_leave)), ActionKind::kLeaveStart, caseworker);
  }
  return caseworker;
}

void Simulation::Transfer(uint32_t child, uint32_t caseworker, Date day) {
  ChildState& c = children_[child];
  if (c.worker != kNone) organisation_.RemoveCase(c.worker, child);
  organisation_.AddCase(caseworker, child);
  c.worker = caseworker;
  c.team = organisation_.caseworkers()[caseworker].team;
  CaseEvent assigned;
  assigned.type = EventType::kWorkerAssigned;
  assigned.day = day;
  assigned.worker = organisation_.caseworkers()[caseworker].staff;
  Emit(child, assigned);
}

void Simulation::AssignTo(uint32_t child, uint32_t team, Date day) {
  const ChildState& c = children_[child];
  if (c.worker != kNone) {
    const Caseworker& current = organisation_.caseworkers()[c.worker];
    if (current.team == team && current.Available()) return;
  }
  uint32_t receiver = organisation_.Receiver(team);
  if (receiver == kNone) {
    receiver = HireCaseworker(team, Title::kSubstitute, day, 90 + 90 * random_.Uniform());
  }
  Transfer(child, receiver, day);
}

void Simulation::HandOver(uint32_t caseworker, Date day, int absence_days) {
  const uint32_t team = organisation_.caseworkers()[caseworker].team;
  if (organisation_.AvailableCount(team) <= 1) {
    HireCaseworker(team, Title::kSubstitute, day, absence_days - 30);
  }
  const std::vector<uint32_t> cases = organisation_.caseworkers()[caseworker].cases;
  for (const uint32_t child : cases) {
    const uint32_t receiver = organisation_.Receiver(team, caseworker);
    if (receiver != kNone) Transfer(child, receiver, day);
  }
}

void Simulation::TakeOver(uint32_t caseworker, Date day) {
  const uint32_t team = organisation_.caseworkers()[caseworker].team;
  for (;;) {
    const uint32_t busiest = organisation_.MostLoaded(team);
    if (busiest == kNone || busiest == caseworker) return;
    const Caseworker& from = organisation_.caseworkers()[busiest];
    const Caseworker& to = organisation_.caseworkers()[caseworker];
    const double after_from = static_cast<double>(from.cases.size() - 1) / from.fte;
    const double after_to = static_cast<double>(to.cases.size() + 1) / to.fte;
    if (from.cases.empty() || after_to > after_from) return;
    Transfer(from.cases.back(), caseworker, day);
  }
}

void Simulation::Birth(Date day) {
  ChildState child;
  child.birth = day;
  child.adult = AddMonths(day, kMonthsToAdulthood);
  child.risk = static_cast<uint8_t>(random_.Pick(kRiskShares));
  child.district = organisation_.DrawDistrict(random_);
  if (child.adult > window_.last) ++population_;
  const std::optional<Date> first = NextNotification(child, AddDays(day, -1));
  if (!first) return;
  const auto index = static_cast<uint32_t>(children_.size());
  children_.push_back(std::move(child));
  const ChildState& c = children_.back();
  Schedule(*first, ActionKind::kNotification, index);
  Schedule(AddMonths(c.birth, 14 * 12), ActionKind::kYouth, index);
  Schedule(AddMonths(c.birth, 17 * 12), ActionKind::kAftercare, index);
  Schedule(c.adult, ActionKind::kAdult, index);
  const double move_after = random_.Exponential(kMeanDaysToMove);
  if (move_after < c.adult.days - c.birth.days) {
    Schedule(AddDays(c.birth, static_cast<int>(move_after)), ActionKind::kMove, index);
  }
}

std::optional<Date> Simulation::NextNotification(const ChildState& child, Date after) {
  // Thinning: candidates at the highest rate, each kept with the age factor's share of it.
  const double max_per_day =
      kRiskClasses[child.risk].notifications_per_year * kMaxAgeFactor / kDaysPerYear;
  Date candidate = after;
  for (;;) {
    const double gap = std::min(random_.Exponential(1 / max_per_day), 50000.0);
    candidate = AddDays(candidate, 1 + static_cast<int>(gap));
    if (candidate >= child.adult || candidate > window_.last) return std::nullopt;
    const int age = AgeAt(child.birth, candidate);
    if (random_.Chance(kAgeFactor[static_cast<size_t>(age)] / kMaxAgeFactor)) return candidate;
  }
}

void Simulation::OpenCase(uint32_t child, Date day) {
  ChildState& c = children_[child];
  if (c.episodes > 0 && day.days - c.closed_on.days <= kReopenWithinDays) {
    EmitSimple(child, EventType::kCaseReopened, day);
  } else if (c.closed_on < window_.first) {
    // A history that ended before the window is not part of the data set, and the rules' windows
    // start afresh with it.
    c.events.clear();
    c.episodes = 0;
    c.has_decision = false;
    c.has_grant = false;
    c.assessed_since_grant = false;
    c.completed_since_grant = false;
  }
  c.measures.clear();
  c.open = true;
  c.in_screening = true;
  c.opened_on = day;
  ++c.episodes;
  AssignTo(child, organisation_.TeamFor(c.district, TeamRole::kIntake), day);
}

void Simulation::CloseCase(uint32_t child, Date day, Text reason) {
  ChildState& c = children_[child];
  c.pending.reset();
  c.grant_after_completion = false;
  c.assessment_running = false;
  c.in_screening = false;
  // Closed by date only, so never on the day of a notification: it would seem to come first.
  if (c.last_notification != kNone && c.last_notification_day >= day) {
    day = NextWeekday(AddDays(c.last_notification_day, 1));
  }
  CaseEvent closed;
  closed.type = EventType::kCaseClosed;
  closed.day = day;
  closed.reason = reason;
  Emit(child, closed);
  if (c.worker != kNone) organisation_.RemoveCase(c.worker, child);
  c.worker = kNone;
  c.open = false;
  c.closed_on = day;
}

std::optional<PendingGrant> Simulation::ChooseGrant(const ChildState& child, Date day,
                                                    bool placement_allowed) {
  const int age = AgeAt(child.birth, day);
  std::vector<double> weights(profiles_.size(), 0.0);
  bool any = false;
  for (size_t i = 0; i < profiles_.size(); ++i) {
    const MeasureProfile& profile = profiles_[i];
    if (age < profile.min_age || age > profile.max_age) continue;
    if (profile.placement && !placement_allowed) continue;
    weights[i] =
        profile.weight * (profile.placement ? kRiskClasses[child.risk].placement_factor : 1.0);
    any = any || weights[i] > 0;
  }
  if (!any) return std::nullopt;
  const MeasureProfile& chosen = profiles_[random_.Pick(weights)];
  PendingGrant grant;
  grant.type = chosen.type;
  grant.placement = chosen.placement;
  grant.without_consent = chosen.placement && random_.Chance(kPlacementWithoutConsent);
  return grant;
}

bool Simulation::Settle(bool drawn, int& surplus) {
  if (drawn && surplus > 0) {
    --surplus;
    return false;
  }
  if (!drawn && surplus < 0) {
    ++surplus;
    return true;
  }
  return drawn;
}

void Simulation::PlanBasis(const ChildState& child, Date decision, PendingGrant& grant) {
  grant.planned = true;
  if (!Applies(Requirement::kAssessmentMade, decision, grant.placement)) {
    grant.assessed = random_.Chance(kOptionalAssessment);
    grant.completed_before = grant.assessed;
    return;
  }
  grant.assessed = Settle(Meets(child, Requirement::kAssessmentMade), made_surplus_);
  // An assessment from before counts as one for this grant: its completion is drawn alike.
  grant.completed_before =
      (grant.assessed || child.assessed_since_grant) &&
      Settle(Meets(child, Requirement::kAssessmentBeforeDecision), before_surplus_);
}

void Simulation::StartAssessment(uint32_t child, Date day, std::optional<PendingGrant> grant) {
  ChildState& c = children_[child];
  CaseEvent started;
  started.type = EventType::kAssessmentStarted;
  started.day = day;
  // The clock starts at the notification that led to the assessment, when there is one.
  Date clock = day;
  if (c.last_notification != kNone && c.last_notification_day >= c.opened_on &&
      day.days - c.last_notification_day.days <= 60) {
    started.ref = c.last_notification;
    clock = c.last_notification_day;
  }
  const uint32_t event = Emit(child, started);
  c.assessment_running = true;
  c.assessment_unregistered = false;
  c.assessment_event = event;
  c.assessment_start = day;
  c.assessed_since_grant = true;

  const Date deadline =
      AddMonths(clock, DeadlineAmount(Requirement::kAssessmentWithin4Months, day, kNoCode, 4));
  const Date earliest = AddDays(day, 20);
  Date completion;
  if (earliest <= deadline && Meets(c, Requirement::kAssessmentWithin4Months)) {
    completion = WeekdayBetween(earliest, deadline);
  } else {
    const Date base = std::max(deadline, earliest);
    completion =
        NextWeekday(AddDays(base, 1 + static_cast<int>(std::min(random_.Exponential(45), 300.0))));
    if (random_.Chance(kExemption)) {
      Exempt(child, Requirement::kAssessmentWithin4Months, event,
             WeekdayBetween(AddDays(deadline, -30), deadline), Text::kExemptAssessmentPsychiatry);
    }
    // A case that goes on to a decision may never have its assessment registered as completed.
    c.assessment_unregistered = grant.has_value() && random_.Chance(1 - kLateRatherThanMissing);
  }

  if (grant) {
    c.pending = grant;
    c.grant_after_completion = grant->completed_before;
    if (c.grant_after_completion && c.assessment_unregistered) {
      // Decided when the work was done; the completion was never registered.
      ScheduleGrant(child, WeekdayBetween(AddDays(completion, 3), AddDays(completion, 30)), *grant);
    } else if (!c.grant_after_completion) {
      // Decided before the assessment was completed.
      const Date first = AddDays(day, 14);
      const Date last = AddDays(completion, -1);
      ScheduleGrant(child, first <= last ? WeekdayBetween(first, last) : last, *grant);
    }
  }
  if (!c.assessment_unregistered) {
    Schedule(completion, ActionKind::kAssessmentCompleted, child, event);
  }
}

void Simulation::EndMeasure(uint32_t child, Measure& measure, Date day, bool with_decision) {
  ChildState& c = children_[child];
  if (!measure.started) {
    measure.running = false;
    return;
  }
  if (with_decision && (!c.has_decision || c.last_decision_day < day)) {
    if (Meets(c, Requirement::kConversationBeforeDecision)) {
      const Date first = c.has_decision ? AddDays(c.last_decision_day, 1) : c.birth;
      Conversation(child, ConversationContext::kDecision,
                   WeekdayBetween(std::max(first, AddDays(day, -30)), day), measure.number);
    }
    Decision(child, day, DecisionKind::kEnd, measure, false);
  }
  EmitSimple(child, EventType::kMeasureEnded, day, measure.number);
  measure.running = false;
}

Simulation::AssessmentTime Simulation::AssessNotification(Date day, int minute, bool in_time) {
  constexpr int kOfficeOpens = 8 * 60;
  constexpr int kOfficeCloses = 16 * 60;
  AssessmentTime assessed;
  if (!in_time) {
    // On the second weekday after or later: more than 24 hours in any case.
    assessed.day = NextWeekday(AddDays(day, 2 + (random_.Chance(0.3) ? random_.Between(1, 6) : 0)));
    assessed.minute = random_.Between(kOfficeOpens, kOfficeCloses - 30);
    return assessed;
  }
  const Date next_day = AddDays(day, 1);
  if (calendar_.IsWeekday(day) && minute < kOfficeCloses - 30) {
    assessed.day = day;
    assessed.minute = random_.Between(std::max(minute, kOfficeOpens) + 20, kOfficeCloses);
  } else if (calendar_.IsWeekday(next_day) && minute > kOfficeOpens + 30 && random_.Chance(0.7)) {
    // The next morning, within the 24 hours.
    assessed.day = next_day;
    assessed.minute = random_.Between(kOfficeOpens, minute - 10);
  } else {
    // Nights, weekends and holidays: the leader on call.
    const int at = minute + random_.Between(30, 6 * 60);
    assessed.day = AddDays(day, at / (24 * 60));
    assessed.minute = at % (24 * 60);
    assessed.on_call = true;
  }
  return assessed;
}

void Simulation::OnNotification(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone) return;
  const int age = AgeAt(c.birth, today_);
  const size_t band = age < 6 ? 0 : age < 13 ? 1 : 2;
  for (size_t i = 0; i < kSources.size(); ++i) {
    source_weights_[i] = kSources[i].share * kSources[i].by_age[band];
  }
  const SourceProfile& source = kSources[random_.Pick(source_weights_)];

  Date day = today_;
  int minute = 0;
  if (source.office_hours) {
    day = NextWeekday(day);
    minute = random_.Between(8 * 60, 15 * 60 + 30);
  } else {
    minute = random_.Between(0, 24 * 60 - 1);
  }
  if (day > window_.last || day >= c.adult) return;

  const bool new_case = !c.open;
  if (new_case) OpenCase(child, day);

  CaseEvent received;
  received.type = EventType::kNotificationReceived;
  received.day = day;
  received.minute = static_cast<int16_t>(minute);
  received.source = source.source;
  const bool professional = random_.Chance(source.professional);
  received.Set(EventFlag::kProfessional, professional);
  const uint32_t notification = Emit(child, received);
  c.last_notification = notification;
  c.last_notification_day = day;
  c.last_source = source.source;
  MaybeDuplicate(child, notification);

  const bool acute = random_.Chance(source.acute);
  const AssessmentTime time =
      AssessNotification(day, minute, Meets(c, Requirement::kNotificationAssessed24h));
  CaseEvent assessed;
  assessed.type = EventType::kNotificationAssessed;
  assessed.day = time.day;
  assessed.minute = static_cast<int16_t>(time.minute);
  assessed.ref = notification;
  assessed.Set(EventFlag::kAcute, acute);
  assessed.worker =
      time.on_call ? organisation_.LeaderOf(c.team) : organisation_.caseworkers()[c.worker].staff;
  Emit(child, assessed);

  if (professional) {
    const int weekdays =
        DeadlineAmount(Requirement::kNotificationReceipt6Weekdays, day, kNoCode, 6);
    std::optional<Date> receipt;
    if (Meets(c, Requirement::kNotificationReceipt6Weekdays)) {
      receipt = calendar_.AddWeekdays(day, random_.Between(1, weekdays));
    } else if (random_.Chance(kLateRatherThanMissing)) {
      receipt = calendar_.AddWeekdays(day, random_.Between(weekdays + 1, weekdays + 15));
    }
    if (receipt) {
      CaseEvent acknowledged;
      acknowledged.type = EventType::kNotificationAcknowledged;
      acknowledged.day = *receipt;
      acknowledged.ref = notification;
      Emit(child, acknowledged);
    }
    const Date deadline =
        AddMonths(day, DeadlineAmount(Requirement::kProfessionalFeedback, day, kNoCode, 3));
    std::optional<Date> feedback;
    if (Meets(c, Requirement::kProfessionalFeedback)) {
      feedback = WeekdayBetween(AddDays(day, 10), deadline);
    } else if (random_.Chance(kLateRatherThanMissing)) {
      feedback = WeekdayBetween(AddDays(deadline, 1), AddDays(deadline, 90));
    }
    if (feedback) {
      CaseEvent sent;
      sent.type = EventType::kNotifierFeedback;
      sent.day = *feedback;
      sent.ref = notification;
      Emit(child, sent);
    }
  }

  if (new_case) {
    Schedule(acute ? day : WeekdayBetween(AddDays(day, 5), AddDays(day, 40)),
             ActionKind::kScreeningEnd, child);
  } else if (!c.in_screening) {
    if (acute && c.risk > 0 && age < 17 && RunningPlacement(c) == nullptr && !c.pending &&
        random_.Chance(kAcutePlacement)) {
      // An acute placement, decided at once.
      std::optional<PendingGrant> grant = ChooseGrant(c, day, true);
      if (grant && grant->placement) {
        // The assessment, if any, is started with the decision; it cannot be completed before.
        PlanBasis(c, day, *grant);
        if (grant->assessed && !c.assessment_running) StartAssessment(child, day, std::nullopt);
        ScheduleGrant(child, day, *grant);
      }
    }
  }
  if (const std::optional<Date> next = NextNotification(c, day)) {
    Schedule(*next, ActionKind::kNotification, child);
  }
}

void Simulation::OnScreeningEnd(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone || !c.open || !c.in_screening) return;
  c.in_screening = false;
  const size_t outcome = random_.Pick(kRiskClasses[c.risk].outcome);
  if (outcome == 0) {
    const int option = random_.Between(0, 4);
    const Text reason =
        c.last_source == NotificationSource::kAnonymous
            ? Text::kClosedScreeningAnonymous
            : static_cast<Text>(static_cast<int>(Text::kClosedScreeningNoConcern) + option);
    CloseCase(child, today_, reason);
    return;
  }
  AssignTo(child, TeamForAge(c, today_), today_);
  if (outcome == 1) {
    StartAssessment(child, today_, std::nullopt);
    return;
  }
  std::optional<PendingGrant> grant = ChooseGrant(c, today_, true);
  if (!grant) {
    StartAssessment(child, today_, std::nullopt);
    return;
  }
  // Whether the grant will rest on an assessment is decided now (under the law in force when the
  // decision is likely to fall).
  PlanBasis(c, AddMonths(today_, 4), *grant);
  if (grant->assessed) {
    StartAssessment(child, today_, grant);
  } else {
    ScheduleGrant(child, WeekdayBetween(AddDays(today_, 3), AddDays(today_, 21)), *grant);
  }
}

void Simulation::OnAssessmentCompleted(uint32_t child, uint32_t started) {
  ChildState& c = children_[child];
  if (c.gone || !c.open || !c.assessment_running || c.assessment_event != started) return;
  if (Meets(c, Requirement::kConversationInAssessment)) {
    Conversation(child, ConversationContext::kAssessment,
                 WeekdayBetween(c.assessment_start, today_), 0);
  }
  EmitSimple(child, EventType::kAssessmentCompleted, today_);
  c.assessment_running = false;
  c.completed_since_grant = true;
  if (c.pending) {
    if (c.grant_after_completion) {
      ScheduleGrant(child, WeekdayBetween(AddDays(today_, 3), AddDays(today_, 30)), *c.pending);
    }
    return;
  }
  if (HasRunningMeasure(c)) return;
  // No support needed, or support refused.
  if (random_.Chance(kRefusal)) {
    if (const std::optional<PendingGrant> applied = ChooseGrant(c, today_, false)) {
      Measure measure;
      measure.number = ++c.measure_count;
      measure.type = applied->type;
      Decision(child, today_, DecisionKind::kRefuse, measure, false);
      CloseCase(child, today_, Text::kClosedRefused);
      return;
    }
  }
  CloseCase(
      child, today_,
      random_.Chance(0.6) ? Text::kClosedAssessmentNoNeed : Text::kClosedAssessmentGeneralSupport);
}

void Simulation::OnGrant(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone || !c.open || !c.pending) return;
  if (c.has_decision && c.last_decision_day >= today_) {
    // Another decision took the day meanwhile.
    Schedule(NextWeekday(AddDays(c.last_decision_day, 1)), ActionKind::kGrant, child);
    return;
  }
  PendingGrant grant = *c.pending;
  c.pending.reset();
  c.grant_after_completion = false;
  if (c.assessment_running && c.assessment_unregistered) c.assessment_running = false;
  const Date day = today_;

  if (!grant.planned) {
    // A further grant: an update of the assessment, or a new one, if the caseworker sees to it.
    PlanBasis(c, day, grant);
    const Date since = c.has_grant ? std::max(AddDays(c.last_grant_day, 1), AddDays(day, -20))
                                   : std::max(c.opened_on, AddDays(day, -20));
    if (grant.completed_before && !c.completed_since_grant) {
      EmitSimple(child, EventType::kAssessmentUpdated, WeekdayBetween(since, day));
      c.assessed_since_grant = true;
      c.completed_since_grant = true;
    } else if (grant.assessed && !c.assessed_since_grant && !c.assessment_running) {
      StartAssessment(child, WeekdayBetween(since, day), std::nullopt);
    }
  }
  // What the case's history made of the drawn basis is settled with later draws.
  if (Applies(Requirement::kAssessmentMade, day, grant.placement)) {
    made_surplus_ += static_cast<int>(c.assessed_since_grant) - static_cast<int>(grant.assessed);
  }
  if (Applies(Requirement::kAssessmentBeforeDecision, day, grant.placement)) {
    before_surplus_ +=
        static_cast<int>(c.completed_since_grant) - static_cast<int>(grant.completed_before);
  }

  // A placement replaces the support at home.
  if (grant.placement) {
    for (Measure& measure : c.measures) {
      if (measure.running && !measure.placement) EndMeasure(child, measure, day, false);
    }
  }

  Measure measure;
  measure.number = ++c.measure_count;
  measure.type = grant.type;
  measure.placement = grant.placement;
  measure.running = true;
  if (Meets(c, Requirement::kConversationBeforeDecision)) {
    const Date first = c.has_decision ? AddDays(c.last_decision_day, 1) : c.opened_on;
    Conversation(child, ConversationContext::kDecision,
                 WeekdayBetween(std::max(first, AddDays(day, -30)), day), measure.number);
  }
  Decision(child, day, DecisionKind::kGrant, measure, grant.without_consent);
  c.has_grant = true;
  c.last_grant_day = day;
  c.assessed_since_grant = false;
  c.completed_since_grant = false;

  // The plan (handleplan, barnets plan).
  std::optional<Date> plan;
  if (Applies(Requirement::kPlanForMeasure, day, grant.placement)) {
    const RuleVersion* version = VersionOf(Requirement::kPlanForMeasure, day);
    const bool months = version != nullptr && version->deadline.kind == DeadlineKind::kMonths;
    const Date deadline =
        months ? AddMonths(day, catalogue_.DeadlineAmount(version->deadline, "")) : day;
    if (Meets(c, Requirement::kPlanForMeasure)) {
      plan = months ? WeekdayBetween(day, deadline)
                    : WeekdayBetween(std::max(c.opened_on, AddDays(day, -10)), day);
    } else if (random_.Chance(kLateRatherThanMissing)) {
      plan = WeekdayBetween(AddDays(deadline, 1), AddDays(deadline, 90));
    }
  } else if (random_.Chance(kOptionalPlan)) {
    plan = WeekdayBetween(day, AddMonths(day, 3));
  }
  if (plan) Plan(child, *plan, measure.number);

  c.measures.push_back(measure);
  Schedule(WeekdayBetween(day, AddDays(day, grant.placement ? 7 : 21)), ActionKind::kMeasureStart,
           child, measure.number);
}

void Simulation::OnMeasureStart(uint32_t child, uint32_t number) {
  ChildState& c = children_[child];
  Measure* measure = FindMeasure(c, number);
  if (c.gone || !c.open || measure == nullptr || !measure->running || measure->started) return;
  const MeasureProfile& profile = profiles_[measure->type];
  const Date day = today_;
  CaseEvent started;
  started.type = EventType::kMeasureStarted;
  started.day = day;
  started.measure = measure->number;
  started.measure_type = measure->type;
  started.Set(EventFlag::kPlacement, measure->placement);
  // Whole hundreds of kroner a month.
  started.amount =
      static_cast<uint32_t>(random_.Between(profile.min_cost / 100, profile.max_cost / 100) * 100);
  measure->start_event = Emit(child, started);
  measure->started = true;
  measure->running = true;
  const Date planned = AddMonths(day, random_.Between(profile.min_months, profile.max_months));
  measure->planned_end =
      NextWeekday(std::max(AddDays(day, 30), std::min(planned, AddDays(c.adult, -1))));
  if (measure->placement) {
    AssignTo(child, organisation_.TeamFor(c.district, TeamRole::kPlacement), day);
  }

  const Date deadline =
      AddMonths(day, DeadlineAmount(Requirement::kFirstFollowUp3Months, day, measure->type, 3));
  // A measure planned to end before a follow-up is due gets none: its end is its evaluation.
  if (measure->planned_end > deadline) {
    Date first;
    if (Meets(c, Requirement::kFirstFollowUp3Months)) {
      first = WeekdayBetween(std::min(AddDays(day, 21), deadline), deadline);
    } else {
      first = WeekdayBetween(AddDays(deadline, 1), AddDays(deadline, 100));
      if (random_.Chance(kExemption)) {
        Exempt(child, Requirement::kFirstFollowUp3Months, measure->start_event, deadline,
               Text::kExemptFollowUpAbroad);
      }
    }
    Schedule(first, ActionKind::kFollowUp, child, number);
  }
  if (measure->placement) {
    Schedule(day, ActionKind::kSupervisionYear, child, number);
    if (day >= AddMonths(c.birth, 17 * 12)) PlanAftercare(child, *measure);
  }
  Schedule(measure->planned_end, ActionKind::kMeasureEnd, child, number);
}

void Simulation::OnFollowUp(uint32_t child, uint32_t number) {
  ChildState& c = children_[child];
  Measure* measure = FindMeasure(c, number);
  if (c.gone || !c.open || measure == nullptr || !measure->running) return;
  const Date day = today_;
  const uint32_t follow_up = EmitSimple(child, EventType::kFollowUp, day, measure->number);
  MaybeDuplicate(child, follow_up);
  if (random_.Chance(kPlanRevision)) Plan(child, day, measure->number);
  if (random_.Chance(kChangeDecision) && (!c.has_decision || c.last_decision_day < day)) {
    if (Meets(c, Requirement::kConversationBeforeDecision)) {
      const Date first = c.has_decision ? AddDays(c.last_decision_day, 1) : c.opened_on;
      Conversation(child, ConversationContext::kDecision,
                   WeekdayBetween(std::max(first, AddDays(day, -30)), day), measure->number);
    }
    Decision(child, day, DecisionKind::kChange, *measure, false);
  }
  if (random_.Chance(kWrongEnd)) {
    // Registered as ended by mistake, and retracted when someone notices.
    const Date wrong = WeekdayBetween(AddDays(day, 1), AddDays(day, 20));
    const uint32_t ended = EmitSimple(child, EventType::kMeasureEnded, wrong, measure->number);
    Retract(child, ended, WeekdayBetween(AddDays(wrong, 1), AddDays(wrong, 40)),
            Text::kRetractedWrongEnd);
  }
  if (!measure->placement && !c.pending && random_.Chance(kSecondMeasure)) {
    const int running = static_cast<int>(std::count_if(c.measures.begin(), c.measures.end(),
                                                       [](const Measure& m) { return m.running; }));
    if (running == 1) {
      if (const std::optional<PendingGrant> grant = ChooseGrant(c, day, false)) {
        ScheduleGrant(child, WeekdayBetween(AddDays(day, 7), AddDays(day, 40)), *grant);
      }
    }
  }

  const Date deadline =
      AddMonths(day, DeadlineAmount(Requirement::kFollowUp6Months, day, measure->type, 6));
  if (measure->planned_end <= deadline) return;  // the end is the next evaluation
  Date next;
  if (Meets(c, Requirement::kFollowUp6Months)) {
    next = WeekdayBetween(std::max(AddDays(day, 30), AddDays(deadline, -45)), deadline);
  } else {
    next = WeekdayBetween(AddDays(deadline, 1), AddDays(deadline, 120));
    if (random_.Chance(kExemption)) {
      Exempt(child, Requirement::kFollowUp6Months, follow_up, deadline,
             Text::kExemptFollowUpAbroad);
    }
  }
  Schedule(next, ActionKind::kFollowUp, child, number);
}

void Simulation::OnSupervisionYear(uint32_t child, uint32_t number) {
  ChildState& c = children_[child];
  Measure* measure = FindMeasure(c, number);
  if (c.gone || !c.open || measure == nullptr || !measure->running) return;
  const int year = ToYmd(today_).year;
  const Date year_end = DateFromYmd(year, 12, 31);
  const Date from = today_;
  const Date to = std::min(year_end, measure->planned_end);
  // As the rule counts: two visits for a whole year, pro rata (rounded up) for part of one.
  const int days = to.days - from.days + 1;
  const int required = (2 * days + DaysInYear(year) - 1) / DaysInYear(year);
  int visits = required;
  if (!Meets(c, Requirement::kSupervisionTwiceYearly)) {
    visits = std::max(0, required - 1 - (random_.Chance(0.2) ? 1 : 0));
    if (random_.Chance(kExemption)) {
      Exempt(child, Requirement::kSupervisionTwiceYearly, measure->start_event, to,
             Text::kExemptSupervisionAbroad);
    }
  }
  for (int k = 0; k < visits; ++k) {
    // Spread over the period, each within its own share of it.
    const Date first = AddDays(from, days * k / visits);
    const Date last = AddDays(from, days * (k + 1) / visits - 1);
    Schedule(WeekdayBetween(first, last), ActionKind::kSupervisionVisit, child, number);
  }
  if (measure->planned_end > year_end) {
    Schedule(DateFromYmd(year + 1, 1, 1), ActionKind::kSupervisionYear, child, number);
  }
}

void Simulation::OnSupervisionVisit(uint32_t child, uint32_t number) {
  ChildState& c = children_[child];
  Measure* measure = FindMeasure(c, number);
  if (c.gone || !c.open || measure == nullptr || !measure->running) return;
  MaybeDuplicate(child, EmitSimple(child, EventType::kSupervisionVisit, today_, measure->number));
  if (Meets(c, Requirement::kSupervisionWithConversation)) {
    Conversation(child, ConversationContext::kSupervision, today_, measure->number);
  }
}

void Simulation::OnMeasureEnd(uint32_t child, uint32_t number) {
  ChildState& c = children_[child];
  Measure* measure = FindMeasure(c, number);
  if (c.gone || !c.open || measure == nullptr || !measure->running) return;
  const bool placement = measure->placement;
  const Date day = today_;
  EndMeasure(child, *measure, day, random_.Chance(placement ? 0.9 : 0.6));
  if (placement) AssignTo(child, TeamForAge(c, day), day);
  if (HasRunningMeasure(c) || c.pending || c.assessment_running) return;
  if (c.last_notification != kNone && c.last_notification_day >= AddDays(day, -30)) {
    // A fresh concern is looked into before the case can close.
    StartAssessment(child, day, std::nullopt);
    return;
  }
  if (day >= AddMonths(c.adult, -6)) {
    CloseCase(child, day, c.aftercare ? Text::kClosedAdultWithSupport : Text::kClosedAdultDeclined);
    return;
  }
  if (random_.Chance(kRiskClasses[c.risk].further_support)) {
    // After a placement, support at home; after support, anything.
    if (const std::optional<PendingGrant> grant = ChooseGrant(c, day, !placement)) {
      ScheduleGrant(child, WeekdayBetween(AddDays(day, 1), AddDays(day, 30)), *grant);
      return;
    }
  }
  Text reason = Text::kClosedGoalReached;
  if (placement) {
    reason = Text::kClosedReturnedHome;
  } else if (AgeAt(c.birth, day) >= 14 && random_.Chance(0.3)) {
    reason = Text::kClosedYoungPersonDeclines;
  } else if (random_.Chance(0.5)) {
    reason = Text::kClosedPlanGoalsMet;
  }
  CloseCase(child, day, reason);
}

void Simulation::OnYouth(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone || !c.open || c.in_screening || RunningPlacement(c) != nullptr) return;
  AssignTo(child, TeamForAge(c, today_), NextWeekday(today_));
}

void Simulation::OnAftercare(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone || !c.open) return;
  if (const Measure* placement = RunningPlacement(c)) PlanAftercare(child, *placement);
}

void Simulation::PlanAftercare(uint32_t child, const Measure& placement) {
  ChildState& c = children_[child];
  const int rule = targets_.RuleOf(Requirement::kAftercareDecision);
  const int months = rule < 0 ? 210 : catalogue_.rules[static_cast<size_t>(rule)].age_months;
  const Date due = AddMonths(c.birth, months);
  // Only for a placement that will still run when the decision is due, and once.
  if (c.aftercare_planned || placement.planned_end < due || today_ > due) return;
  c.aftercare_planned = true;
  std::optional<Date> decided;
  if (Meets(c, Requirement::kAftercareDecision)) {
    decided = WeekdayBetween(today_, due);
  } else if (random_.Chance(kLateRatherThanMissing)) {
    decided = WeekdayBetween(AddDays(due, 1), AddDays(c.adult, -1));
  }
  if (decided) {
    EmitSimple(child, EventType::kAftercareDecision, *decided);
    c.aftercare = random_.Chance(0.7);
  }
}

void Simulation::OnAdult(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone) return;
  if (c.open) {
    for (Measure& measure : c.measures) {
      if (measure.running) EndMeasure(child, measure, today_, false);
    }
    CloseCase(child, NextWeekday(today_),
              c.aftercare ? Text::kClosedAdultWithSupport : Text::kClosedAdultDeclined);
  }
  c.gone = true;
  if (c.events.empty() || c.events.back().day < window_.first) {
    std::vector<CaseEvent>().swap(c.events);
  }
}

void Simulation::OnMove(uint32_t child) {
  ChildState& c = children_[child];
  if (c.gone) return;
  if (c.open) {
    const Date day = NextWeekday(today_);
    for (Measure& measure : c.measures) {
      if (measure.running) EndMeasure(child, measure, day, false);
    }
    CloseCase(child, day, Text::kClosedMoved);
  }
  c.gone = true;
  if (c.events.empty() || c.events.back().day < window_.first) {
    std::vector<CaseEvent>().swap(c.events);
  }
}

void Simulation::OnTeamReview(uint32_t team) {
  Team& t = organisation_.team(team);
  // Posts follow the work, but not its peaks: a team overloaded two months running gets a post,
  // one with too little to do two months running gives a caseworker to the busiest team.
  const double load = organisation_.TeamLoad(team);
  const bool overloaded = load > t.staffing_norm + 2;
  const bool underloaded = load < t.staffing_norm - 4 && organisation_.AvailableCount(team) > 1;
  if (organisation_.AvailableCount(team) == 0) {
    HireCaseworker(team, Title::kSubstitute, today_, 90 + 90 * random_.Uniform());
  } else if (t.hires_pending == 0 && overloaded && t.overloaded_last_review) {
    ++t.hires_pending;
    Schedule(NextWeekday(AddDays(today_, random_.Between(30, 90))), ActionKind::kHire, team);
  } else if (underloaded && t.underloaded_last_review) {
    MoveToBusiestTeam(team);
  }
  t.overloaded_last_review = overloaded;
  t.underloaded_last_review = underloaded;
  Schedule(NextWeekday(AddMonths(today_, 1)), ActionKind::kTeamReview, team);
}

void Simulation::MoveToBusiestTeam(uint32_t team) {
  uint32_t busiest = kNone;
  double busiest_excess = 0;
  const std::vector<Team>& teams = organisation_.teams();
  for (uint32_t other = 0; other < teams.size(); ++other) {
    const double excess = organisation_.TeamLoad(other) - teams[other].staffing_norm;
    if (other != team && excess > busiest_excess) {
      busiest = other;
      busiest_excess = excess;
    }
  }
  const uint32_t moving = organisation_.LeastLoaded(team);
  if (busiest == kNone || moving == kNone) return;
  const Date day = NextWeekday(today_);
  HandOver(moving, day, 0);
  organisation_.Move(moving, busiest);
  TakeOver(moving, day);
}

void Simulation::OnHire(uint32_t team) {
  --organisation_.team(team).hires_pending;
  const uint32_t hired =
      HireCaseworker(team, Title::kCaseworker, today_, random_.Exponential(kMeanTenureDays));
  TakeOver(hired, today_);
}

void Simulation::OnQuit(uint32_t caseworker) {
  const Caseworker& worker = organisation_.caseworkers()[caseworker];
  if (!worker.employed) return;
  const uint32_t team = worker.team;
  const bool on_leave = worker.on_leave;
  const Date day = NextWeekday(today_);
  // Until a successor starts.
  if (!on_leave) HandOver(caseworker, day, random_.Between(60, 120));
  organisation_.EndEmployment(caseworker);
  Team& t = organisation_.team(team);
  // The post is filled again unless the team has more hands than it is staffed for.
  if (t.hires_pending == 0 && organisation_.TeamLoad(team) > t.staffing_norm) {
    ++t.hires_pending;
    Schedule(NextWeekday(AddDays(day, random_.Between(30, 120))), ActionKind::kHire, team);
  }
}

void Simulation::OnLeaveStart(uint32_t caseworker) {
  const Caseworker& worker = organisation_.caseworker(caseworker);
  if (!worker.employed || worker.on_leave) return;
  // Short sick leave, parental leave, long sick leave.
  const size_t kind = random_.Pick(std::array<double, 3>{0.5, 0.35, 0.15});
  const int days = kind == 0   ? random_.Between(14, 90)
                   : kind == 1 ? random_.Between(180, 330)
                               : random_.Between(90, 180);
  // A long leave is covered by a substitute, a short one by the colleagues.
  if (days > kSubstituteFromLeaveDays) {
    HireCaseworker(organisation_.caseworkers()[caseworker].team, Title::kSubstitute, today_,
                   days - 30);
  }
  HandOver(caseworker, today_, days);
  organisation_.SetOnLeave(caseworker, true);
  Schedule(NextWeekday(AddDays(today_, days)), ActionKind::kLeaveEnd, caseworker);
}

void Simulation::OnLeaveEnd(uint32_t caseworker) {
  if (!organisation_.caseworker(caseworker).employed) return;
  organisation_.SetOnLeave(caseworker, false);
  TakeOver(caseworker, today_);
  const auto until_leave =
      static_cast<int>(std::min(random_.Exponential(kMeanDaysBetweenLeaves), 40000.0));
  Schedule(NextWeekday(AddDays(today_, 30 + until_leave)), ActionKind::kLeaveStart, caseworker);
}

void Simulation::Handle(const Action& action) {
  switch (action.kind) {
    case ActionKind::kNotification:
      return OnNotification(action.subject);
    case ActionKind::kScreeningEnd:
      return OnScreeningEnd(action.subject);
    case ActionKind::kAssessmentCompleted:
      return OnAssessmentCompleted(action.subject, action.tag);
    case ActionKind::kGrant:
      return OnGrant(action.subject);
    case ActionKind::kMeasureStart:
      return OnMeasureStart(action.subject, action.tag);
    case ActionKind::kFollowUp:
      return OnFollowUp(action.subject, action.tag);
    case ActionKind::kSupervisionYear:
      return OnSupervisionYear(action.subject, action.tag);
    case ActionKind::kSupervisionVisit:
      return OnSupervisionVisit(action.subject, action.tag);
    case ActionKind::kMeasureEnd:
      return OnMeasureEnd(action.subject, action.tag);
    case ActionKind::kYouth:
      return OnYouth(action.subject);
    case ActionKind::kAftercare:
      return OnAftercare(action.subject);
    case ActionKind::kAdult:
      return OnAdult(action.subject);
    case ActionKind::kMove:
      return OnMove(action.subject);
    case ActionKind::kTeamReview:
      return OnTeamReview(action.subject);
    case ActionKind::kHire:
      return OnHire(action.subject);
    case ActionKind::kQuit:
      return OnQuit(action.subject);
    case ActionKind::kLeaveStart:
      return OnLeaveStart(action.subject);
    case ActionKind::kLeaveEnd:
      return OnLeaveEnd(action.subject);
  }
}

Municipality Simulation::Run() {
  today_ = start_;
  for (uint32_t team = 0; team < organisation_.teams().size(); ++team) {
    for (int i = 0; i < 2; ++i) {
      HireCaseworker(team, Title::kCaseworker, start_, random_.Exponential(kMeanTenureDays));
    }
    Schedule(NextWeekday(AddMonths(start_, 1)), ActionKind::kTeamReview, team);
  }
  // Births spread evenly: the population aged 0–17 at the end is the spec's.
  const double births_per_day =
      static_cast<double>(spec_.children) / (kYearsToAdulthood * kDaysPerYear);
  double births_due = 0;
  uint64_t unreported_days = 0;
  for (Date day = start_; day <= window_.last; day = AddDays(day, 1)) {
    today_ = day;
    births_due += births_per_day;
    for (; births_due >= 1; births_due -= 1) Birth(day);
    std::vector<Action>& bucket = buckets_[static_cast<size_t>(day.days - start_.days)];
    // Handlers may add actions for today: the bucket grows (and moves) while it is read, so it is
    // read by index, not by iterator.
    for (size_t i = 0; i < bucket.size(); ++i) {  // NOLINT(modernize-loop-convert)
      const Action action = bucket[i];
      Handle(action);
    }
    std::vector<Action>().swap(buckets_[static_cast<size_t>(day.days - start_.days)]);
    if (progress_ != nullptr && ++unreported_days == 30) {
      progress_->fetch_add(unreported_days * static_cast<uint64_t>(spec_.children),
                           std::memory_order_relaxed);
      unreported_days = 0;
    }
  }
  if (progress_ != nullptr) {
    progress_->fetch_add(unreported_days * static_cast<uint64_t>(spec_.children),
                         std::memory_order_relaxed);
  }
  return Collect();
}

Municipality Simulation::Collect() {
  Municipality out;
  out.code = spec_.code;
  out.name = spec_.name;
  out.population = population_;
  out.units = organisation_.units();

  // The staff written: leaders, everyone employed at the end, and whoever the events name.
  const std::vector<StaffMember>& staff = organisation_.staff();
  std::vector<uint32_t> written(staff.size(), kNone);
  std::vector<uint8_t> wanted(staff.size(), 0);
  for (size_t i = 0; i < staff.size(); ++i) wanted[i] = staff[i].title >= Title::kTeamLeader;
  for (const Caseworker& caseworker : organisation_.caseworkers()) {
    if (caseworker.employed) wanted[caseworker.staff] = 1;
  }

  std::vector<uint32_t> order;
  std::vector<uint32_t> position;
  for (ChildState& c : children_) {
    const bool in_window =
        std::any_of(c.events.begin(), c.events.end(),
                    [this](const CaseEvent& e) { return e.day >= window_.first; });
    if (!in_window) continue;
    // The engine's order: time, then type; registration order among equals.
    order.resize(c.events.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&c](uint32_t a, uint32_t b) {
      const CaseEvent& x = c.events[a];
      const CaseEvent& y = c.events[b];
      if (x.day != y.day) return x.day < y.day;
      const int xm = std::max<int>(x.minute, 0);
      const int ym = std::max<int>(y.minute, 0);
      if (xm != ym) return xm < ym;
      return x.type < y.type;
    });
    position.assign(c.events.size(), 0);
    for (uint32_t i = 0; i < order.size(); ++i) position[order[i]] = i;
    SimulatedChild written_child;
    written_child.birth = c.birth;
    written_child.unit = organisation_.teams()[c.team].unit;
    written_child.number = static_cast<uint32_t>(out.children.size() + 1);
    written_child.first_event = static_cast<uint32_t>(out.events.size());
    for (const uint32_t index : order) {
      CaseEvent event = c.events[index];
      if (event.ref != kNone) event.ref = position[event.ref];
      if (event.worker != kNone) wanted[event.worker] = 1;
      out.events.push_back(event);
    }
    written_child.end_event = static_cast<uint32_t>(out.events.size());
    out.children.push_back(written_child);
    out.cases += c.episodes;
    std::vector<CaseEvent>().swap(c.events);
  }

  for (size_t i = 0; i < staff.size(); ++i) {
    if (!wanted[i]) continue;
    written[i] = static_cast<uint32_t>(out.workers.size());
    out.workers.push_back(staff[i]);
  }
  for (CaseEvent& event : out.events) {
    if (event.worker != kNone) event.worker = written[event.worker];
  }
  return out;
}

}  // namespace

Municipality SimulateMunicipality(const MunicipalitySpec& spec, const HistoryWindow& window,
                                  const Catalogue& catalogue, std::atomic<uint64_t>* progress) {
  Simulation simulation(spec, window, catalogue, progress);
  return simulation.Run();
}

double NationalSourceShare(NotificationSource source) {
  for (const SourceProfile& profile : kSources) {
    if (profile.source == source) return profile.share;
  }
  return 0;
}

uint64_t SimulationWork(const MunicipalitySpec& spec, const HistoryWindow& window) {
  const Date start = AddMonths(window.first, -kMonthsToAdulthood);
  return static_cast<uint64_t>(window.last.days - start.days + 1) *
         static_cast<uint64_t>(spec.children);
}

}  // namespace tilsyn::simulate
