#include "store/sql_reference.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/calendar.h"
#include "store/sql_reference_text.h"

namespace tilsyn {
namespace {

// The rules the SQL derives (catalogue version 1).
constexpr std::array<std::string_view, 16> kSqlRules = {
    "notification_assessed_24h",
    "notification_receipt_6_weekdays",
    "professional_feedback",
    "assessment_within_4_months",
    "conversation_in_assessment",
    "assessment_made",
    "assessment_before_decision",
    "reasoned_decision",
    "conversation_before_decision",
    "plan_for_measure",
    "plan_states_effort",
    "first_follow_up_3_months",
    "follow_up_6_months",
    "supervision_twice_yearly",
    "supervision_with_conversation",
    "aftercare_decision",
};

// Past the later of the as-of date and the last event, the calendar runs this many more whole
// years: enough for every deadline (the longest reach 12 months past the as-of date).
constexpr int kCalendarYearsAhead = 2;

// The whole statement for a store engine: its prelude, the rules, and `final_select`.
Result<std::string> ReferenceSql(std::string_view engine, std::string_view final_select) {
  std::string_view prelude;
  if (engine == "sqlite") {
    prelude = sql_reference_text::kSqlitePrelude;
  } else if (engine == "postgresql") {
    prelude = sql_reference_text::kPostgresPrelude;
  } else {
    return InvalidArgument(fmt::format("the SQL reference has no {} dialect", engine));
  }
  return fmt::format("{},\n{}\n{}", prelude, sql_reference_text::kObligations, final_select);
}

std::string DayNumber(Date date) { return std::to_string(date.days); }

Result<int64_t> ParseInteger(const std::optional<std::string>& text, std::string_view what) {
  int64_t value = 0;
  if (text) {
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error == std::errc() && end == text->data() + text->size()) return value;
  }
  return Internal(
      fmt::format("the SQL reference gave {} \"{}\", not a number", what, text.value_or("NULL")));
}

// The calendar over the data's range, as the SQL reads it: whole years from the first event (or
// the as-of date) to kCalendarYearsAhead years past the later of the last event and the as-of
// date; each day [day number, 1 if a weekday (hverdag), UTC offset of local midnight in seconds].
Result<std::string> CalendarJson(Store& store, Date as_of) {
  Result<std::vector<QueryRow>> range =
      store.QueryReadOnly("SELECT min(day), max(day) FROM events", {});
  if (!range) return std::move(range).error();
  Date first = as_of;
  Date last = as_of;
  const QueryRow& row = range->front();
  if (row[0] && row[1]) {
    Result<Date> min_day = ParseDate(*row[0]);
    Result<Date> max_day = ParseDate(*row[1]);
    if (!min_day || !max_day) {
      return DataLoss(fmt::format("the stored events have a bad day: {} or {}", *row[0], *row[1]));
    }
    first = std::min(first, *min_day);
    last = std::max(last, *max_day);
  }
  const Calendar& calendar = Calendar::Danish();
  const Date from = std::max(DateFromYmd(ToYmd(first).year, 1, 1), kFirstSupportedDate);
  const Date to =
      std::min(DateFromYmd(ToYmd(last).year + kCalendarYearsAhead, 12, 31), kLastSupportedDate);
  std::string json = "[";
  for (Date day = from; day <= to; day = AddDays(day, 1)) {
    const int64_t offset = int64_t{day.days} * kSecondsPerDay - calendar.StartOfDay(day).seconds;
    fmt::format_to(std::back_inserter(json), "{}[{},{},{}]", day == from ? "" : ",", day.days,
                   calendar.IsWeekday(day) ? 1 : 0, offset);
  }
  json += ']';
  return json;
}

// The service catalogue's follow-up intervals (Barnets Lov § 95), [[measure_type, months], …].
std::string FollowUpIntervalsJson(const Catalogue& catalogue) {
  nlohmann::json intervals = nlohmann::json::array();
  for (const MeasureType& type : catalogue.measure_types) {
    if (type.follow_up_months) intervals.push_back({type.code, *type.follow_up_months});
  }
  return intervals.dump();
}

Result<ObligationStatus> ParseStatus(const std::optional<std::string>& text) {
  if (!text) {
    return Internal(
        "the SQL reference found a due date past its calendar: give it a longer calendar");
  }
  for (int s = 0; s < kObligationStatusCount; ++s) {
    const auto status = static_cast<ObligationStatus>(s);
    if (ObligationStatusName(status) == *text) return status;
  }
  return Internal(fmt::format("the SQL reference gave an unknown status \"{}\"", *text));
}

Result<size_t> RuleIndex(const Catalogue& catalogue, const std::optional<std::string>& id) {
  const int rule = id ? catalogue.FindRule(*id) : -1;
  if (rule < 0) {
    return Internal(fmt::format("the SQL reference gave a rule \"{}\" that is not in the catalogue",
                                id.value_or("NULL")));
  }
  return static_cast<size_t>(rule);
}

Result<SqlReferenceObligation> ParseObligation(const QueryRow& row) {
  SqlReferenceObligation obligation;
  obligation.rule = row[0].value_or("");
  obligation.child = row[1].value_or("");
  obligation.trigger = row[2].value_or("");
  Result<ObligationStatus> status = ParseStatus(row[5]);
  if (!status) return std::move(status).error();
  obligation.status = *status;
  Result<int64_t> due = ParseInteger(row[3], "a due time");
  if (!due) return std::move(due).error();
  Result<int64_t> due_day = ParseInteger(row[4], "a due date");
  if (!due_day) return std::move(due_day).error();
  obligation.due = Instant{*due};
  obligation.due_day = Date{static_cast<int32_t>(*due_day)};
  obligation.fulfilled_by = row[6].value_or("");
  obligation.worker = row[7].value_or("");
  obligation.unit = row[8].value_or("");
  Result<int64_t> time_assumed = ParseInteger(row[9], "time_assumed");
  if (!time_assumed) return std::move(time_assumed).error();
  obligation.time_assumed = *time_assumed != 0;
  return obligation;
}

}  // namespace

Result<SqlReferenceResult> RunSqlReference(Store& store, const Catalogue& catalogue, Date as_of,
                                           const Period& period, bool with_obligations) {
  for (const Rule& rule : catalogue.rules) {
    if (std::find(kSqlRules.begin(), kSqlRules.end(), rule.id) == kSqlRules.end()) {
      return FailedPrecondition(
          fmt::format("the SQL reference does not implement the catalogue's rule \"{}\"", rule.id));
    }
  }
  const int feedback = catalogue.FindRule("professional_feedback");
  const int feedback_months =
      feedback < 0
          ? 0
          : catalogue.DeadlineAmount(
                catalogue.rules[static_cast<size_t>(feedback)].versions.front().deadline, "");
  Result<std::string> calendar = CalendarJson(store, as_of);
  if (!calendar) return std::move(calendar).error();
  const std::array<std::string, 6> params = {
      DayNumber(as_of),     DayNumber(period.from),
      DayNumber(period.to), std::to_string(feedback_months),
      std::move(*calendar), FollowUpIntervalsJson(catalogue)};

  Result<std::string> counts_sql = ReferenceSql(store.EngineName(), sql_reference_text::kCounts);
  if (!counts_sql) return std::move(counts_sql).error();
  Result<std::vector<QueryRow>> counts = store.QueryReadOnly(*counts_sql, params);
  if (!counts) return std::move(counts).error();
  SqlReferenceResult result;
  result.rates.resize(catalogue.rules.size());
  for (const QueryRow& row : *counts) {
    Result<size_t> rule = RuleIndex(catalogue, row[0]);
    if (!rule) return std::move(rule).error();
    Result<ObligationStatus> status = ParseStatus(row[1]);
    if (!status) return std::move(status).error();
    Result<int64_t> count = ParseInteger(row[2], "a count");
    if (!count) return std::move(count).error();
    Result<int64_t> time_assumed = ParseInteger(row[3], "a count");
    if (!time_assumed) return std::move(time_assumed).error();
    StatusCounts& counted = result.rates[*rule];
    counted.count[static_cast<size_t>(*status)] += *count;
    counted.time_assumed += *time_assumed;
  }
  if (!with_obligations) return result;

  Result<std::string> list_sql =
      ReferenceSql(store.EngineName(), sql_reference_text::kObligationList);
  if (!list_sql) return std::move(list_sql).error();
  Result<std::vector<QueryRow>> rows = store.QueryReadOnly(*list_sql, params);
  if (!rows) return std::move(rows).error();
  std::vector<std::pair<size_t, SqlReferenceObligation>> ranked;
  ranked.reserve(rows->size());
  for (const QueryRow& row : *rows) {
    Result<size_t> rule = RuleIndex(catalogue, row[0]);
    if (!rule) return std::move(rule).error();
    Result<SqlReferenceObligation> obligation = ParseObligation(row);
    if (!obligation) return std::move(obligation).error();
    ranked.emplace_back(*rule, std::move(*obligation));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.child, a.second.due.seconds, a.second.trigger) <
           std::tie(b.first, b.second.child, b.second.due.seconds, b.second.trigger);
  });
  result.obligations.reserve(ranked.size());
  for (auto& [rule, obligation] : ranked) result.obligations.push_back(std::move(obligation));
  return result;
}

}  // namespace tilsyn
