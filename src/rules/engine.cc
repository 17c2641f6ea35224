#include "rules/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <thread>

namespace tilsyn {
namespace {

constexpr std::array<std::string_view, kObligationStatusCount> kStatusNames = {
    "met", "met_late", "overdue", "open", "exempted", "not_applicable"};
constexpr std::array<std::string_view, kObligationStatusCount> kStatusDanish = {
    "overholdt", "overholdt for sent", "overskredet", "åben", "undtaget", "ikke relevant"};

}  // namespace

std::string_view ObligationStatusName(ObligationStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::string_view ObligationStatusDanish(ObligationStatus status) {
  return kStatusDanish[static_cast<size_t>(status)];
}

// What the engine knows about one measure of the child being evaluated.
struct Engine::Measure {
  uint32_t code = kNone;  // Dataset::measure_ids
  uint32_t end = kNone;   // child-local position of its first live measure_ended
  uint16_t type = kNoCode;
  bool type_from_start = false;
};

// Buffers reused from child to child, so evaluation allocates nothing per event.
struct Engine::Scratch {
  std::vector<uint8_t> live;
  std::vector<Measure> measures;
  // The live known worker_assigned events with a worker, in time order.
  struct Assignment {
    Instant at;
    uint32_t worker;
  };
  std::vector<Assignment> assignments;
  std::vector<uint32_t> exemptions;
  std::vector<uint32_t> retractions;
  // For each known position, the first live known event that refers to it (kNone if none), and
  // for each event, the next one after it that refers to the same event: the events that can
  // fulfil a rule whose fulfilment must refer to its trigger, without a search.
  std::vector<uint32_t> first_referrer;
  std::vector<uint32_t> next_referrer;
  // The live known events' positions grouped by type, ascending within a type: positions of type
  // t are by_type[type_begin[t], type_begin[t + 1]).
  std::array<uint32_t, kEventTypeCount + 1> type_begin{};
  std::vector<uint32_t> by_type;
  // The same for the catalogue's sets of several types (Engine::type_sets_): set s is
  // by_set[set_begin[s], set_begin[s + 1]), ascending.
  std::vector<uint32_t> set_begin;
  std::vector<uint32_t> set_cursor;
  std::vector<uint32_t> by_set;
  std::vector<Date> day;  // the local date of each known event
};

// The evaluation of one child as of one date. Positions are child-local (0 = the child's first
// event); only events before `known_` exist for the computation.
class Engine::ChildEvaluation {
 public:
  ChildEvaluation(const Engine& engine, uint32_t child, Date as_of, Scratch& scratch,
                  std::vector<Obligation>& out)
      : engine_(engine),
        data_(engine.data_),
        calendar_(engine.calendar_),
        child_(child),
        base_(engine.data_.FirstEventOf(child)),
        events_(engine.data_.EventsOf(child)),
        as_of_(as_of),
        known_end_(engine.calendar_.EndOfDay(as_of)),
        child_unit_(engine.data_.children[child].unit),
        scratch_(scratch),
        out_(out) {}

  void Run() {
    Prepare();
    const size_t first_out = out_.size();
    const std::vector<Rule>& rules = engine_.catalogue_.rules;
    for (size_t r = 0; r < rules.size(); ++r) {
      // Most children have few kinds of event: a rule none of whose triggers occur yields nothing.
      if ((rules[r].trigger.type_mask & live_types_) == 0) continue;
      switch (rules[r].trigger_kind) {
        case TriggerKind::kEvent:
          EvaluateEventRule(r);
          break;
        case TriggerKind::kPerYear:
          EvaluatePerYearRule(r);
          break;
        case TriggerKind::kAge:
          EvaluateAgeRule(r);
          break;
      }
    }
    SortByRuleAndTrigger(first_out);
  }

 private:
  // One obligation's inputs once its trigger is fixed.
  struct Candidate {
    size_t rule;
    const RuleVersion* version;
    uint32_t trigger;
    Instant due;
    Date due_day;
    uint32_t fulfilment;
    bool clock_date_only;
  };

  void Prepare() {
    // The known events and their dates. A forward scan, not a binary search: the events come in
    // from memory in order. (Locals, not members, in the loops: a store through a uint8_t or
    // uint32_t pointer could otherwise change a member, which the compiler must then read again.)
    const Event* events = events_.data();
    const auto size = static_cast<uint32_t>(events_.size());
    const uint32_t base = base_;
    const Instant known_end = known_end_;
    const Calendar& calendar = calendar_;
    scratch_.day.resize(size);
    Date* day = scratch_.day.data();
    std::vector<uint32_t>& retractions = scratch_.retractions;
    retractions.clear();
    uint32_t known = 0;
    for (; known < size && !(known_end < events[known].at); ++known) {
      day[known] = calendar.LocalDate(events[known].at);
      if (events[known].type == EventType::kRetraction) retractions.push_back(known);
    }
    known_ = known;
    // A retraction takes itself and what it retracts out.
    scratch_.live.assign(known, 1);
    uint8_t* live = scratch_.live.data();
    for (const uint32_t r : retractions) {
      live[r] = 0;
      const uint32_t target = events[r].ref - base;
      if (events[r].ref != kNone && target < known) live[target] = 0;
    }
    // Backwards, so that each chain of referrers comes out ascending: the referrers, and the
    // number of live events of each type.
    scratch_.first_referrer.assign(known, kNone);
    scratch_.next_referrer.resize(known);
    uint32_t* first_referrer = scratch_.first_referrer.data();
    uint32_t* next_referrer = scratch_.next_referrer.data();
    std::array<uint32_t, kEventTypeCount + 1> type_begin{};
    for (uint32_t j = known; j-- > 0;) {
      if (live[j] == 0) continue;
      const Event& event = events[j];
      ++type_begin[static_cast<size_t>(event.type) + 1];
      const uint32_t target = event.ref - base;
      if (event.ref == kNone || target >= known) continue;
      next_referrer[j] = first_referrer[target];
      first_referrer[target] = j;
    }
    uint32_t live_types = 0;
    for (size_t t = 0; t < kEventTypeCount; ++t) {
      if (type_begin[t + 1] != 0) live_types |= 1u << t;
    }
    live_types_ = live_types;
    const std::vector<uint32_t>& sets = engine_.type_sets_;
    std::vector<uint32_t>& set_begin = scratch_.set_begin;
    set_begin.assign(sets.size() + 1, 0);
    for (size_t k = 0; k < sets.size(); ++k) {
      uint32_t count = 0;
      for (uint32_t m = sets[k]; m != 0; m &= m - 1) count += type_begin[std::countr_zero(m) + 1];
      set_begin[k + 1] = set_begin[k] + count;
    }
    for (size_t t = 1; t <= kEventTypeCount; ++t) type_begin[t] += type_begin[t - 1];
    scratch_.type_begin = type_begin;
    scratch_.by_type.resize(type_begin[kEventTypeCount]);
    scratch_.by_set.resize(set_begin.back());
    uint32_t* by_type = scratch_.by_type.data();
    uint32_t* by_set = scratch_.by_set.data();
    std::array<uint32_t, kEventTypeCount> cursor;
    std::copy(type_begin.begin(), type_begin.end() - 1, cursor.begin());
    scratch_.set_cursor.assign(set_begin.begin(), set_begin.end() - 1);
    uint32_t* set_cursor = scratch_.set_cursor.data();
    scratch_.measures.clear();
    scratch_.assignments.clear();
    scratch_.exemptions.clear();
    for (uint32_t i = 0; i < known; ++i) {
      if (live[i] == 0) continue;
      const Event& event = events[i];
      const auto type = static_cast<size_t>(event.type);
      by_type[cursor[type]++] = i;
      for (const uint32_t k : engine_.sets_of_type_[type]) by_set[set_cursor[k]++] = i;
      if (event.type == EventType::kWorkerAssigned && event.worker != kNone) {
        scratch_.assignments.push_back({event.at, event.worker});
      } else if (event.type == EventType::kExemption) {
        scratch_.exemptions.push_back(i);
      }
      // Only these say something about a measure; for the others, a measure without a record
      // reads as one without a type or an end.
      if (event.measure == kNone ||
          (event.type != EventType::kMeasureStarted && event.type != EventType::kDecision &&
           event.type != EventType::kMeasureEnded)) {
        continue;
      }
      Measure* measure = FindMeasure(event.measure);
      if (measure == nullptr) {
        measure = &scratch_.measures.emplace_back();
        measure->code = event.measure;
      }
      if (event.type == EventType::kMeasureStarted && !measure->type_from_start &&
          event.measure_type() != kNoCode) {
        measure->type = event.measure_type();
        measure->type_from_start = true;
      } else if (event.type == EventType::kDecision && measure->type == kNoCode) {
        measure->type = event.measure_type();
      } else if (event.type == EventType::kMeasureEnded && measure->end == kNone) {
        measure->end = i;
      }
    }
  }

  Measure* FindMeasure(uint32_t code) const {
    for (Measure& measure : scratch_.measures) {
      if (measure.code == code) return &measure;
    }
    return nullptr;
  }

  const Event* MeasureEnd(uint32_t code) const {
    const Measure* measure = code == kNone ? nullptr : FindMeasure(code);
    return measure == nullptr || measure->end == kNone ? nullptr : &events_[measure->end];
  }

  bool Applies(const RuleVersion& version, const Event& trigger) const {
    return !version.applies_placement ||
           trigger.Is(EventFlag::kPlacement) == *version.applies_placement;
  }

  // The local date of a known event of this child.
  Date DayOf(const Event& event) const {
    return scratch_.day[static_cast<size_t>(&event - events_.data())];
  }

  // The positions of the live known events of a type.
  std::span<const uint32_t> OfType(size_t type) const {
    return {scratch_.by_type.data() + scratch_.type_begin[type],
            scratch_.by_type.data() + scratch_.type_begin[type + 1]};
  }

  // The positions of the live known events whose type is in `mask`, ascending: the list of a
  // type, or of one of the catalogue's sets of several types.
  std::span<const uint32_t> OfTypes(uint32_t mask) const {
    if ((mask & (mask - 1)) == 0) {
      if (mask == 0) return {};
      return OfType(static_cast<size_t>(std::countr_zero(mask)));
    }
    const std::vector<uint32_t>& sets = engine_.type_sets_;
    const auto k = static_cast<size_t>(std::find(sets.begin(), sets.end(), mask) - sets.begin());
    return {scratch_.by_set.data() + scratch_.set_begin[k],
            scratch_.by_set.data() + scratch_.set_begin[k + 1]};
  }

  // Calls f(position) for the live known events whose type is in `mask`, from position `from` on,
  // in position order, until f returns true. The list is entered by binary search, so looking at
  // the events after a trigger costs no more in a long case than in a short one.
  template <typename F>
  void ForEachOfTypes(uint32_t mask, uint32_t from, F f) const {
    const std::span<const uint32_t> list = OfTypes(mask);
    for (auto it = std::lower_bound(list.begin(), list.end(), from); it != list.end(); ++it) {
      if (f(*it)) return;
    }
  }

  void EvaluateEventRule(size_t r) {
    const Rule& rule = engine_.catalogue_.rules[r];
    ForEachOfTypes(rule.trigger.type_mask, 0, [&](uint32_t i) {
      EvaluateEventTrigger(r, rule, i);
      return false;
    });
  }

  void EvaluateEventTrigger(size_t r, const Rule& rule, uint32_t i) {
    const Event& trigger = events_[i];
    if (!rule.trigger.Matches(trigger)) return;
    if (rule.trigger_needs_running_measure) {
      const Event* end = MeasureEnd(trigger.measure);
      if (end != nullptr && end->at < trigger.at) return;
    }
    const RuleVersion* version = rule.VersionAt(DayOf(trigger));
    if (version == nullptr || !Applies(*version, trigger)) return;
    const Event& clock = ClockStart(rule, trigger);
    const DueTime due = Due(r, *version, clock, DayOf(trigger), DayOf(trigger), trigger.measure);
    Emit({r, version, i, due.at, due.day, FindFulfilment(rule, i), clock.date_only()});
  }

  // Rules with several trigger types emit type by type; the table's order is by rule, then
  // trigger position (then year, for per-year rules: kept, as the sort is stable). Few and
  // nearly sorted: an insertion sort, allocating nothing.
  void SortByRuleAndTrigger(size_t first) {
    const auto before = [](const Obligation& a, const Obligation& b) {
      return a.rule != b.rule ? a.rule < b.rule : a.trigger < b.trigger;
    };
    for (size_t i = first + 1; i < out_.size(); ++i) {
      if (!before(out_[i], out_[i - 1])) continue;
      const Obligation moving = out_[i];
      size_t j = i;
      for (; j > first && before(moving, out_[j - 1]); --j) out_[j] = out_[j - 1];
      out_[j] = moving;
    }
  }

  void EvaluatePerYearRule(size_t r) {
    const Rule& rule = engine_.catalogue_.rules[r];
    const int as_of_year = ToYmd(as_of_).year;
    ForEachOfTypes(rule.trigger.type_mask, 0, [&](uint32_t i) {
      const Event& start = events_[i];
      if (!rule.trigger.Matches(start)) return false;
      const Event* end = MeasureEnd(start.measure);
      const int last_year =
          end != nullptr ? std::min(ToYmd(DayOf(*end)).year, as_of_year) : as_of_year;
      for (int year = ToYmd(DayOf(start)).year; year <= last_year; ++year) {
        const Date first_day = std::max(DayOf(start), DateFromYmd(year, 1, 1));
        const Date last_day = end != nullptr ? std::min(DayOf(*end), DateFromYmd(year, 12, 31))
                                             : DateFromYmd(year, 12, 31);
        if (last_day < first_day) continue;
        const RuleVersion* version = rule.VersionAt(first_day);
        if (version == nullptr || !Applies(*version, start)) continue;
        const int days_placed = last_day.days - first_day.days + 1;
        const int days_in_year = DaysInYear(year);
        const int required =
            (rule.required_per_year * days_placed + days_in_year - 1) / days_in_year;
        const DueTime due = Due(r, *version, start, first_day, last_day, start.measure);
        Emit({r, version, i, due.at, due.day, NthInYear(rule, start, year, required),
              start.date_only()});
      }
      return false;
    });
  }

  void EvaluateAgeRule(size_t r) {
    const Rule& rule = engine_.catalogue_.rules[r];
    const Date age_day = calendar_.AddMonths(data_.children[child_].birth_date, rule.age_months);
    // Years before the day, the obligation does not exist yet; it shows from the notice period on.
    if (as_of_ < calendar_.AddMonths(age_day, -rule.notice_months)) return;
    ForEachOfTypes(rule.trigger.type_mask, 0, [&](uint32_t i) {
      const Event& start = events_[i];
      if (!rule.trigger.Matches(start) || age_day < DayOf(start)) return false;
      const Event* end = MeasureEnd(start.measure);
      if (end != nullptr && DayOf(*end) < age_day) return false;
      const RuleVersion* version = rule.VersionAt(age_day);
      if (version == nullptr || !Applies(*version, start)) return false;
      const DueTime due = Due(r, *version, start, age_day, age_day, start.measure);
      Emit({r, version, i, due.at, due.day, FindFulfilment(rule, i), start.date_only()});
      return true;
    });
  }

  const Event& ClockStart(const Rule& rule, const Event& trigger) const {
    if (rule.clock == ClockStart::kRefNotification && trigger.ref != kNone) {
      const uint32_t ref = trigger.ref - base_;
      if (ref < known_ && scratch_.live[ref] != 0 &&
          events_[ref].type == EventType::kNotificationReceived) {
        return events_[ref];
      }
    }
    return trigger;
  }

  // A deadline, and the local date it falls on.
  struct DueTime {
    Instant at;
    Date day;
  };

  // The end of a local day as a deadline.
  DueTime EndOf(Date day) const { return {calendar_.EndOfDay(day), day}; }

  DueTime Due(size_t r, const RuleVersion& version, const Event& clock, Date trigger_day,
              Date period_end, uint32_t measure_code) const {
    const Deadline& deadline = version.deadline;
    int amount = engine_.base_amount_[r][static_cast<size_t>(
        &version - engine_.catalogue_.rules[r].versions.data())];
    if (!deadline.per_measure_type.empty() && measure_code != kNone) {
      const Measure* measure = FindMeasure(measure_code);
      if (measure != nullptr && measure->type != kNoCode &&
          engine_.follow_up_months_of_type_[measure->type] > 0) {
        amount = engine_.follow_up_months_of_type_[measure->type];
      }
    }
    switch (deadline.kind) {
      case DeadlineKind::kHours: {
        const Instant at{clock.at.seconds + int64_t{amount} * 3600};
        return {at, calendar_.LocalDate(at)};
      }
      case DeadlineKind::kDays:
        return EndOf(AddDays(DayOf(clock), amount));
      case DeadlineKind::kWeekdays:
        return EndOf(calendar_.AddWeekdays(DayOf(clock), amount));
      case DeadlineKind::kMonths:
        return EndOf(calendar_.AddMonths(DayOf(clock), amount));
      case DeadlineKind::kAtTrigger:
        return EndOf(trigger_day);
      case DeadlineKind::kPeriodEnd:
        return EndOf(period_end);
    }
    return EndOf(trigger_day);
  }

  bool IsCandidate(const Rule& rule, const Event& trigger, uint32_t trigger_pos, uint32_t j) const {
    if (scratch_.live[j] == 0 || j == trigger_pos) return false;
    const Event& event = events_[j];
    if (!rule.fulfilment.Matches(event)) return false;
    if (rule.fulfilment_refs_trigger && event.ref != base_ + trigger_pos) return false;
    switch (rule.measure) {
      case MeasureMatch::kAny:
        return true;
      case MeasureMatch::kSame:
        return trigger.measure != kNone && event.measure == trigger.measure;
      case MeasureMatch::kSameIfGiven:
        return event.measure == kNone || event.measure == trigger.measure;
    }
    return false;
  }

  uint32_t FirstCandidate(const Rule& rule, uint32_t trigger_pos, uint32_t from,
                          uint32_t to) const {
    const Event& trigger = events_[trigger_pos];
    if (rule.fulfilment_refs_trigger) {
      for (uint32_t j = scratch_.first_referrer[trigger_pos]; j != kNone && j < to;
           j = scratch_.next_referrer[j]) {
        if (j >= from && IsCandidate(rule, trigger, trigger_pos, j)) return j;
      }
      return kNone;
    }
    uint32_t found = kNone;
    ForEachOfTypes(rule.fulfilment.type_mask, from, [&](uint32_t j) {
      if (j >= to) return true;
      if (!IsCandidate(rule, trigger, trigger_pos, j)) return false;
      found = j;
      return true;
    });
    return found;
  }

  uint32_t FindFulfilment(const Rule& rule, uint32_t i) const {
    const Event& trigger = events_[i];
    if (rule.fulfilled_by_attribute) return trigger.Is(*rule.fulfilled_by_attribute) ? i : kNone;
    switch (rule.window) {
      case Window::kAny:
        return FirstCandidate(rule, i, 0, known_);
      case Window::kAfterTrigger:
        return FirstCandidate(rule, i, i + 1, known_);
      case Window::kSincePrevious: {
        uint32_t from = 0;
        const std::span<const uint32_t> anchors = OfTypes(rule.anchor.type_mask);
        for (auto it = std::lower_bound(anchors.begin(), anchors.end(), i);
             it != anchors.begin();) {
          const uint32_t a = *--it;
          const Event& anchor = events_[a];
          if (rule.anchor.Matches(anchor) &&
              (anchor.type != trigger.type || anchor.at < trigger.at)) {
            from = a + 1;
            break;
          }
        }
        return FirstCandidate(rule, i, from, i);
      }
      case Window::kSameDay: {
        uint32_t from = i;
        const Date day = scratch_.day[i];
        while (from > 0 && scratch_.day[from - 1] == day) --from;
        uint32_t to = i + 1;
        while (to < known_ && scratch_.day[to] == day) ++to;
        return FirstCandidate(rule, i, from, to);
      }
      case Window::kInPeriod:
        break;  // per-year rules count with NthInYear
    }
    return kNone;
  }

  // The `required`-th fulfilling event dated in `year`, or kNone.
  uint32_t NthInYear(const Rule& rule, const Event& start, int year, int required) const {
    const Date first = DateFromYmd(year, 1, 1);
    const Date last = DateFromYmd(year, 12, 31);
    const uint32_t start_pos = static_cast<uint32_t>(&start - events_.data());
    // Local dates rise with position: the year's events are one stretch of positions.
    const auto from = static_cast<uint32_t>(
        std::lower_bound(scratch_.day.begin(), scratch_.day.begin() + known_, first) -
        scratch_.day.begin());
    int seen = 0;
    uint32_t found = kNone;
    ForEachOfTypes(rule.fulfilment.type_mask, from, [&](uint32_t j) {
      const Date day = scratch_.day[j];
      if (last < day) return true;
      if (!IsCandidate(rule, start, start_pos, j)) return false;
      if (++seen < required) return false;
      found = j;
      return true;
    });
    return found;
  }

  bool Exempted(size_t r, uint32_t trigger) const {
    for (const uint32_t x : scratch_.exemptions) {
      const Event& exemption = events_[x];
      if (exemption.ref == base_ + trigger && exemption.rule() != kNoCode &&
          engine_.rule_of_code_[exemption.rule()] == static_cast<int>(r)) {
        return true;
      }
    }
    return false;
  }

  // The worker of the latest assignment at or before `at`, or kNone. A rule's deadlines mostly
  // rise with its triggers, so the search goes on from where the last one ended.
  uint32_t WorkerAt(Instant at) {
    const std::vector<Scratch::Assignment>& assignments = scratch_.assignments;
    if (assignments.empty()) return kNone;
    size_t k = assignment_hint_;
    if (assignments[k].at <= at) {
      while (k + 1 < assignments.size() && assignments[k + 1].at <= at) ++k;
    } else {
      while (k > 0 && at < assignments[k].at) --k;
      if (at < assignments[k].at) return kNone;
    }
    assignment_hint_ = k;
    return assignments[k].worker;
  }

  void Emit(const Candidate& c) {
    const Rule& rule = engine_.catalogue_.rules[c.rule];
    const Event& trigger = events_[c.trigger];
    const Event* fulfilment = c.fulfilment == kNone ? nullptr : &events_[c.fulfilment];
    const bool on_time =
        fulfilment != nullptr &&
        (fulfilment->date_only() ? DayOf(*fulfilment) <= c.due_day : fulfilment->at <= c.due);
    const Event* end = rule.ceases_when_measure_ends ? MeasureEnd(trigger.measure) : nullptr;
    const bool ceased = end != nullptr && end->at <= c.due;

    Obligation o;
    o.due = c.due;
    o.due_day = c.due_day;
    o.child = child_;
    o.trigger = base_ + c.trigger;
    o.rule = static_cast<uint16_t>(c.rule);
    o.version = static_cast<uint8_t>(c.version - rule.versions.data());
    if (on_time) {
      o.status = ObligationStatus::kMet;
    } else if (Exempted(c.rule, c.trigger)) {
      o.status = ObligationStatus::kExempted;
    } else if (ceased) {
      o.status = ObligationStatus::kNotApplicable;
    } else if (fulfilment != nullptr) {
      o.status = ObligationStatus::kMetLate;
    } else {
      o.status = c.due < known_end_ ? ObligationStatus::kOverdue : ObligationStatus::kOpen;
    }
    if (o.status == ObligationStatus::kMet || o.status == ObligationStatus::kMetLate) {
      o.fulfilled_by = base_ + c.fulfilment;
    }
    o.time_assumed = c.version->deadline.kind == DeadlineKind::kHours &&
                     (c.clock_date_only || (fulfilment != nullptr && fulfilment->date_only()));
    o.worker = WorkerAt(c.due);
    o.unit = o.worker == kNone                           ? child_unit_
             : o.worker < engine_.unit_of_worker_.size() ? engine_.unit_of_worker_[o.worker]
                                                         : data_.workers[o.worker].unit;
    out_.push_back(o);
  }

  const Engine& engine_;
  const Dataset& data_;
  const Calendar& calendar_;
  uint32_t child_;
  uint32_t base_;
  std::span<const Event> events_;
  Date as_of_;
  Instant known_end_;
  uint32_t child_unit_;
  uint32_t known_ = 0;
  uint32_t live_types_ = 0;     // bit per EventType among the live known events
  size_t assignment_hint_ = 0;  // where WorkerAt last found the assignment
  Scratch& scratch_;
  std::vector<Obligation>& out_;
};

Engine::Engine(const Dataset& data, const Catalogue& catalogue, const Calendar& calendar)
    : data_(data), catalogue_(catalogue), calendar_(calendar) {
  rule_of_code_.resize(data.rule_ids.size());
  for (uint32_t code = 0; code < data.rule_ids.size(); ++code) {
    rule_of_code_[code] = catalogue.FindRule(data.rule_ids.Text(code));
  }
  follow_up_months_of_type_.resize(data.measure_types.size());
  for (uint32_t code = 0; code < data.measure_types.size(); ++code) {
    const MeasureType* type = catalogue.FindMeasureType(data.measure_types.Text(code));
    follow_up_months_of_type_[code] =
        type != nullptr && type->follow_up_months ? *type->follow_up_months : 0;
  }
  for (const Rule& rule : catalogue.rules) {
    for (const uint32_t mask :
         {rule.trigger.type_mask, rule.fulfilment.type_mask, rule.anchor.type_mask}) {
      if ((mask & (mask - 1)) != 0 &&
          std::find(type_sets_.begin(), type_sets_.end(), mask) == type_sets_.end()) {
        type_sets_.push_back(mask);
      }
    }
  }
  for (uint32_t k = 0; k < type_sets_.size(); ++k) {
    for (uint32_t m = type_sets_[k]; m != 0; m &= m - 1) {
      sets_of_type_[static_cast<size_t>(std::countr_zero(m))].push_back(k);
    }
  }
  unit_of_worker_.reserve(data.workers.size());
  for (const Worker& worker : data.workers) unit_of_worker_.push_back(worker.unit);
  base_amount_.resize(catalogue.rules.size());
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    for (const RuleVersion& version : catalogue.rules[r].versions) {
      Deadline without_type = version.deadline;
      without_type.per_measure_type.clear();
      base_amount_[r].push_back(catalogue.DeadlineAmount(without_type, ""));
    }
  }
}

void Engine::EvaluateChild(uint32_t child, Date as_of, std::vector<Obligation>& out) const {
  thread_local Scratch scratch;
  ChildEvaluation(*this, child, as_of, scratch, out).Run();
}

void Engine::EvaluateAll(Date as_of, ObligationTable& table, unsigned threads) const {
  const auto children = static_cast<uint32_t>(data_.children.size());
  table.Reset(as_of, children);
  const auto blocks = static_cast<uint32_t>(table.block_count());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max(1u, blocks));
  std::atomic<uint32_t> next{0};
  auto work = [&] {
    for (uint32_t b = next++; b < blocks; b = next++) {
      ObligationTable::BlockData& block = table.blocks_[b];
      const uint32_t first = b * ObligationTable::kBlockChildren;
      const uint32_t end = std::min(children, first + ObligationTable::kBlockChildren);
      for (uint32_t child = first; child < end; ++child) {
        // Most children of a municipality have no case, so no events and no obligations.
        if (data_.child_begin[child] != data_.child_end[child]) {
          EvaluateChild(child, as_of, block.obligations);
        }
        block.end.push_back(static_cast<uint32_t>(block.obligations.size()));
      }
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  }
  table.Recount();
}

std::vector<Obligation> Engine::EvaluateAll(Date as_of, unsigned threads) const {
  ObligationTable table;
  EvaluateAll(as_of, table, threads);
  return table.ToVector();
}

void Engine::Update(std::span<const uint32_t> children, ObligationTable& table) const {
  std::vector<Obligation> fresh;
  for (const uint32_t child : children) {
    if (child >= table.children_) continue;
    fresh.clear();
    EvaluateChild(child, table.as_of_, fresh);
    table.Replace(child, fresh);
  }
  const auto total = static_cast<uint32_t>(data_.children.size());
  if (total <= table.children_) return;
  const uint32_t first = table.children_;
  table.children_ = total;
  table.blocks_.resize(table.block_count());
  for (uint32_t child = first; child < total; ++child) {
    ObligationTable::BlockData& block = table.blocks_[child / ObligationTable::kBlockChildren];
    const size_t before = block.obligations.size();
    EvaluateChild(child, table.as_of_, block.obligations);
    block.end.push_back(static_cast<uint32_t>(block.obligations.size()));
    table.size_ += block.obligations.size() - before;
  }
}

}  // namespace tilsyn
