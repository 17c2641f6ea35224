#include "server/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/calendar.h"
#include "rules/rates.h"
#include "server/audit_log.h"
#include "server/intake.h"
#include "server/openapi.h"
#include "server/scope.h"
#include "server/table_export.h"
#include "service/check.h"

namespace tilsyn::server {
namespace {

using Json = nlohmann::ordered_json;

// The band of open cases per full-time caseworker that the social workers' union recommends.
constexpr double kCaseloadLow = 20;
constexpr double kCaseloadHigh = 30;
// Committee figures: counts below this are not shown.
constexpr int64_t kSuppressBelow = 5;
constexpr int64_t kMaxPageSize = 1000;
constexpr int64_t kDefaultPageSize = 100;
constexpr int kMaxQuarters = 40;

Reply JsonReply(const Json& json, int status = 200) {
  Reply reply;
  reply.status = status;
  reply.body = json.dump(-1, ' ', false, Json::error_handler_t::replace);
  return reply;
}

const Calendar& Cal() { return Calendar::Danish(); }

// ---- query parameters

std::string Param(const RequestContext& ctx, const char* name) {
  return ctx.request.has_param(name) ? ctx.request.get_param_value(name) : std::string();
}

Result<std::optional<Date>> DateParam(const RequestContext& ctx, const char* name) {
  const std::string text = Param(ctx, name);
  if (text.empty()) return std::optional<Date>();
  Result<Date> date = ParseDate(text);
  if (!date) return InvalidArgument(fmt::format("{}: {}", name, date.error().message));
  return std::optional<Date>(*date);
}

Result<int64_t> IntParam(const RequestContext& ctx, const char* name, int64_t fallback, int64_t low,
                         int64_t high) {
  const std::string text = Param(ctx, name);
  if (text.empty()) return fallback;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return InvalidArgument(
        fmt::format("{} must be a whole number from {} to {}, not \"{}\"", name, low, high, text));
  }
  return value;
}

// as_of (default: today) and the period from..to (default: the year up to as_of).
struct Dates {
  Date as_of;
  Period period;
};

Result<Dates> DatesParams(const RequestContext& ctx) {
  Result<std::optional<Date>> as_of = DateParam(ctx, "as_of");
  if (!as_of) return std::move(as_of).error();
  Result<std::optional<Date>> from = DateParam(ctx, "from");
  if (!from) return std::move(from).error();
  Result<std::optional<Date>> to = DateParam(ctx, "to");
  if (!to) return std::move(to).error();
  Dates dates;
  dates.as_of = as_of->value_or(Cal().LocalDate(ctx.now));
  const Date end = to->value_or(dates.as_of);
  dates.period = DefaultPeriod(end);
  if (*from) dates.period.from = **from;
  if (dates.period.from > dates.period.to) return InvalidArgument("from must not be after to");
  return dates;
}

struct Paging {
  int64_t page = 1;
  int64_t page_size = kDefaultPageSize;
};

Result<Paging> PagingParams(const RequestContext& ctx) {
  Result<int64_t> page = IntParam(ctx, "page", 1, 1, 1'000'000'000);
  if (!page) return std::move(page).error();
  Result<int64_t> size = IntParam(ctx, "page_size", kDefaultPageSize, 1, kMaxPageSize);
  if (!size) return std::move(size).error();
  return Paging{*page, *size};
}

// ---- scope

Error OutOfScope(std::string_view what) {
  return PermissionDenied(fmt::format("Du har ikke adgang til {}", what));
}

// The unit a request names (default: the user's own), which the user must see.
Result<uint32_t> UnitParam(const RequestContext& ctx, const Dataset& data, const Scope& scope) {
  const std::string id = Param(ctx, "unit");
  const uint32_t unit = id.empty() ? scope.unit() : data.FindUnit(id);
  if (unit == kNone) {
    return NotFound(
        fmt::format("Enheden \"{}\" findes ikke", id.empty() ? ctx.session->user.unit_id : id));
  }
  if (!scope.SeesUnit(unit)) return OutOfScope(fmt::format("enheden {}", data.units[unit].id));
  return unit;
}

Status NeedWorkers(const Scope& scope) {
  if (!scope.SeesWorkers()) return OutOfScope("tal pr. medarbejder");
  return {};
}

// ---- lists and exports

// A list as JSON and as a table for export.
struct Listing {
  Json json;
  Table table;
};

// The listing in the format the request asks for (?format=json|csv|xlsx); an export is audited.
Result<Reply> Render(RequestContext& ctx, Listing listing) {
  const std::string format = Param(ctx, "format");
  if (format.empty() || format == "json") return JsonReply(listing.json);
  if (format != "csv" && format != "xlsx") {
    return InvalidArgument(fmt::format("format must be json, csv or xlsx, not \"{}\"", format));
  }
  Reply reply;
  if (format == "csv") {
    reply.body = TableCsv(listing.table);
    reply.content_type = "text/csv; charset=utf-8";
  } else {
    Result<std::string> xlsx = TableXlsx(listing.table);
    if (!xlsx) return std::move(xlsx).error();
    reply.body = std::move(*xlsx);
    reply.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  reply.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"",
                                                                listing.table.name, format));
  const AuditRecord record{ctx.session->user.login, ctx.client, "export", ctx.request.target,
                           fmt::format("{} rows as {}", listing.table.rows.size(), format)};
  if (Status audited = AppendAudit(ctx.store, record, ctx.now); !audited) return audited.error();
  return reply;
}

// ---- counts

constexpr std::array<ObligationStatus, kObligationStatusCount> kStatuses = {
    ObligationStatus::kMet,  ObligationStatus::kMetLate,  ObligationStatus::kOverdue,
    ObligationStatus::kOpen, ObligationStatus::kExempted, ObligationStatus::kNotApplicable};

Json CountValue(int64_t count, bool suppressed) {
  if (suppressed && count < kSuppressBelow) return nullptr;
  return count;
}

// Counts and rate of one rule as JSON; with suppression, counts under 5 are null, and so is the
// rate when any count it rests on is.
Json CountsJson(const StatusCounts& counts, bool suppressed) {
  Json json = Json::object();
  for (const ObligationStatus status : kStatuses) {
    json[std::string(ObligationStatusName(status))] = CountValue(counts.Of(status), suppressed);
  }
  const std::optional<double> rate = counts.Rate();
  const bool hide_rate =
      suppressed && (counts.Denominator() < kSuppressBelow ||
                     counts.Of(ObligationStatus::kMet) < kSuppressBelow ||
                     counts.Denominator() - counts.Of(ObligationStatus::kMet) < kSuppressBelow);
  json["rate"] = rate && !hide_rate ? Json(std::round(*rate * 10000) / 10000) : Json(nullptr);
  return json;
}

std::vector<std::string> CountsCells(const Json& counts) {
  std::vector<std::string> cells;
  for (const ObligationStatus status : kStatuses) {
    const Json& value = counts[std::string(ObligationStatusName(status))];
    cells.push_back(value.is_null() ? "" : std::to_string(value.get<int64_t>()));
  }
  const Json& rate = counts["rate"];
  cells.push_back(rate.is_null() ? "" : fmt::format("{:.4f}", rate.get<double>()));
  return cells;
}

std::vector<std::string> CountsColumns() {
  std::vector<std::string> columns;
  columns.reserve(kStatuses.size() + 1);
  for (const ObligationStatus status : kStatuses) {
    columns.emplace_back(ObligationStatusName(status));
  }
  columns.emplace_back("rate");
  return columns;
}

Json National(const Rule& rule) {
  if (rule.national_percent.empty()) return nullptr;
  const auto& [year, percent] = *rule.national_percent.rbegin();
  return Json{{"year", year}, {"percent", percent}};
}

// Whether an obligation is one of those a unit's figures for a period count.
bool InFigures(const Dataset& data, const Obligation& obligation, uint32_t unit,
               const Period& period) {
  return CountsFor(obligation, period) && InSubtree(data, obligation.unit, unit);
}

// ---- JSON of records

Json UserJson(const User& user, const Dataset& data) {
  const uint32_t unit = data.FindUnit(user.unit_id);
  return Json{{"login", user.login},
              {"name", user.name},
              {"role", RoleName(user.role)},
              {"unit", user.unit_id},
              {"unit_name", unit == kNone ? Json(nullptr) : Json(data.units[unit].name)},
              {"worker", user.worker_id.empty() ? Json(nullptr) : Json(user.worker_id)}};
}

std::string WorkerId(const Dataset& data, uint32_t worker) {
  return worker == kNone ? std::string() : data.workers[worker].id;
}

std::string EventId(const Dataset& data, uint32_t event) {
  return event == kNone ? std::string() : std::string(data.event_ids.Text(data.events[event].id));
}

// ---- handlers

Result<Reply> Health(RequestContext& /*ctx*/) { return JsonReply(Json{{"status", "ok"}}); }

Result<Reply> OpenApi(RequestContext& /*ctx*/) {
  Reply reply;
  reply.body = std::string(OpenApiDocument());
  return reply;
}

std::string SessionCookie(const RequestContext& ctx, std::string_view token, int64_t max_age) {
  return fmt::format("tilsyn_session={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", token,
                     max_age, ctx.config.behind_tls ? "; Secure" : "");
}

Result<Reply> LoginHandler(RequestContext& ctx) {
  const Json body = Json::parse(ctx.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("login") ||
      !body.contains("password") || !body["login"].is_string() || !body["password"].is_string()) {
    return InvalidArgument("the body must be {\"login\": \"...\", \"password\": \"...\"}");
  }
  Result<NewSession> session = Login(ctx.store, ctx.policy, body["login"].get<std::string>(),
                                     body["password"].get<std::string>(), ctx.client, ctx.now);
  if (!session) return std::move(session).error();
  if (Status audited = AppendAudit(
          ctx.store, {session->user.login, ctx.client, "login", "session", ""}, ctx.now);
      !audited) {
    return audited.error();
  }
  const CaseState::Snapshot snapshot = ctx.state.Read();
  Json json = UserJson(session->user, snapshot.data());
  json["csrf_token"] = session->csrf_token;
  Reply reply = JsonReply(json);
  reply.headers.emplace_back("Set-Cookie",
                             SessionCookie(ctx, session->token, ctx.policy.lifetime_seconds));
  return reply;
}

Result<Reply> LogoutHandler(RequestContext& ctx) {
  if (Status ended = EndSession(ctx.store, ctx.session->token_hash); !ended) return ended.error();
  Reply reply;
  reply.status = 204;
  reply.content_type.clear();
  reply.headers.emplace_back("Set-Cookie", SessionCookie(ctx, "", 0));
  return reply;
}

Result<Reply> Me(RequestContext& ctx) {
  const CaseState::Snapshot snapshot = ctx.state.Read();
  Json json = UserJson(ctx.session->user, snapshot.data());
  json["csrf_token"] = ctx.session->csrf_token;
  return JsonReply(json);
}

Result<Reply> Units(RequestContext& ctx) {
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Scope scope(ctx.session->user, data);
  Listing listing;
  listing.table = {"enheder", {"unit", "parent", "kind", "name"}, {}};
  Json units = Json::array();
  for (uint32_t u = 0; u < data.units.size(); ++u) {
    if (!scope.SeesUnit(u)) continue;
    const Unit& unit = data.units[u];
    const std::string parent = unit.parent == kNone ? "" : data.units[unit.parent].id;
    units.push_back(Json{{"id", unit.id},
                         {"parent", parent.empty() ? Json(nullptr) : Json(parent)},
                         {"kind", UnitKindName(unit.kind)},
                         {"name", unit.name}});
    listing.table.rows.push_back(
        {unit.id, parent, std::string(UnitKindName(unit.kind)), unit.name});
  }
  listing.json = Json{{"units", units}};
  return Render(ctx, std::move(listing));
}

Result<Reply> UnitWorkers(RequestContext& ctx) {
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Scope scope(ctx.session->user, data);
  if (Status ok = NeedWorkers(scope); !ok) return ok.error();
  const std::string id = ctx.request.matches[1];
  const uint32_t unit = data.FindUnit(id);
  if (unit == kNone) return NotFound(fmt::format("Enheden \"{}\" findes ikke", id));
  if (!scope.SeesUnit(unit)) return OutOfScope(fmt::format("enheden {}", id));
  Listing listing;
  listing.table = {"medarbejdere", {"worker", "name", "unit", "fte"}, {}};
  Json workers = Json::array();
  for (const Worker& worker : data.workers) {
    if (!InSubtree(data, worker.unit, unit)) continue;
    const std::string& unit_id = data.units[worker.unit].id;
    workers.push_back(
        Json{{"id", worker.id}, {"name", worker.name}, {"unit", unit_id}, {"fte", worker.fte}});
    listing.table.rows.push_back({worker.id, worker.name, unit_id, fmt::format("{}", worker.fte)});
  }
  listing.json = Json{{"unit", id}, {"workers", workers}};
  return Render(ctx, std::move(listing));
}

Result<Reply> Rules(RequestContext& ctx) {
  const CaseState::Snapshot snapshot = ctx.state.Read();
  Json rules = Json::array();
  for (const Rule& rule : snapshot.catalogue().rules) {
    Json versions = Json::array();
    for (const RuleVersion& version : rule.versions) {
      versions.push_back(Json{{"law", LawName(version.law)},
                              {"reference", version.reference},
                              {"from", FormatDate(version.from)},
                              {"until", FormatDate(version.until)}});
    }
    rules.push_back(Json{{"id", rule.id},
                         {"name", rule.name},
                         {"next_step", rule.next_step},
                         {"national", National(rule)},
                         {"versions", versions}});
  }
  return JsonReply(Json{{"rules", rules}});
}

Result<Reply> Rates(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Catalogue& catalogue = snapshot.catalogue();
  const Scope scope(ctx.session->user, data);
  Result<uint32_t> unit = UnitParam(ctx, data, scope);
  if (!unit) return std::move(unit).error();
  const auto obligations = snapshot.ObligationsAsOf(dates->as_of);
  std::vector<StatusCounts> by_rule(catalogue.rules.size());
  std::vector<std::map<uint32_t, StatusCounts>> by_worker(catalogue.rules.size());
  for (const Obligation& obligation : *obligations) {
    if (!InFigures(data, obligation, *unit, dates->period)) continue;
    by_rule[obligation.rule].Add(obligation);
    by_worker[obligation.rule][obligation.worker].Add(obligation);
  }
  const bool suppressed = scope.Suppressed();
  Listing listing;
  listing.table.name = "rater";
  listing.table.columns = {"rule", "name", "worker"};
  for (std::string& column : CountsColumns()) listing.table.columns.push_back(std::move(column));
  listing.table.columns.emplace_back("national_percent");
  Json rates = Json::array();
  for (size_t r = 0; r < catalogue.rules.size(); ++r) {
    const Rule& rule = catalogue.rules[r];
    Json entry = Json{{"rule", rule.id}, {"name", rule.name}};
    const Json counts = CountsJson(by_rule[r], suppressed);
    entry.update(counts);
    entry["national"] = National(rule);
    const std::string national =
        rule.national_percent.empty() ? "" : std::to_string(rule.national_percent.rbegin()->second);
    std::vector<std::string> row = {rule.id, rule.name, ""};
    for (std::string& cell : CountsCells(counts)) row.push_back(std::move(cell));
    row.push_back(national);
    listing.table.rows.push_back(std::move(row));
    if (scope.SeesWorkers()) {
      Json workers = Json::array();
      for (const auto& [worker, worker_counts] : by_worker[r]) {
        Json worker_entry =
            Json{{"worker", worker == kNone ? Json(nullptr) : Json(data.workers[worker].id)},
                 {"name", worker == kNone ? Json(nullptr) : Json(data.workers[worker].name)}};
        const Json wc = CountsJson(worker_counts, false);
        worker_entry.update(wc);
        workers.push_back(std::move(worker_entry));
        std::vector<std::string> worker_row = {rule.id, rule.name, WorkerId(data, worker)};
        for (std::string& cell : CountsCells(wc)) worker_row.push_back(std::move(cell));
        worker_row.emplace_back();
        listing.table.rows.push_back(std::move(worker_row));
      }
      entry["by_worker"] = std::move(workers);
    }
    rates.push_back(std::move(entry));
  }
  listing.json = Json{{"unit", data.units[*unit].id},
                      {"as_of", FormatDate(dates->as_of)},
                      {"from", FormatDate(dates->period.from)},
                      {"to", FormatDate(dates->period.to)},
                      {"suppressed", suppressed},
                      {"rates", rates}};
  return Render(ctx, std::move(listing));
}

// The quarter (1–4) and year of a date, and its first and last day.
Period QuarterOf(Date day) {
  const YearMonthDay ymd = ToYmd(day);
  const int first_month = (ymd.month - 1) / 3 * 3 + 1;
  const Date from = DateFromYmd(ymd.year, first_month, 1);
  return {from, AddDays(AddMonths(from, 3), -1)};
}

Result<Reply> Quarterly(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  Result<int64_t> quarters = IntParam(ctx, "quarters", 8, 1, kMaxQuarters);
  if (!quarters) return std::move(quarters).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Catalogue& catalogue = snapshot.catalogue();
  const Scope scope(ctx.session->user, data);
  Result<uint32_t> unit = UnitParam(ctx, data, scope);
  if (!unit) return std::move(unit).error();
  const auto obligations = snapshot.ObligationsAsOf(dates->as_of);
  std::vector<Period> periods;
  Period quarter = QuarterOf(dates->as_of);
  for (int64_t q = 0; q < *quarters; ++q) {
    periods.insert(periods.begin(), quarter);
    quarter = QuarterOf(AddDays(quarter.from, -1));
  }
  // [quarter][rule], by due date only: an open obligation belongs to the quarter it falls due in.
  std::vector<std::vector<StatusCounts>> counts(periods.size(),
                                                std::vector<StatusCounts>(catalogue.rules.size()));
  for (const Obligation& obligation : *obligations) {
    if (!InSubtree(data, obligation.unit, *unit)) continue;
    for (size_t q = 0; q < periods.size(); ++q) {
      if (periods[q].Contains(obligation.due_day)) counts[q][obligation.rule].Add(obligation);
    }
  }
  const bool suppressed = scope.Suppressed();
  Listing listing;
  listing.table.name = "kvartaler";
  listing.table.columns = {"quarter", "from", "to", "rule"};
  for (std::string& column : CountsColumns()) listing.table.columns.push_back(std::move(column));
  Json json_quarters = Json::array();
  for (size_t q = 0; q < periods.size(); ++q) {
    const YearMonthDay ymd = ToYmd(periods[q].from);
    const std::string label = fmt::format("{}K{}", ymd.year, (ymd.month - 1) / 3 + 1);
    Json rates = Json::array();
    for (size_t r = 0; r < catalogue.rules.size(); ++r) {
      Json entry = Json{{"rule", catalogue.rules[r].id}};
      const Json c = CountsJson(counts[q][r], suppressed);
      entry.update(c);
      rates.push_back(std::move(entry));
      std::vector<std::string> row = {label, FormatDate(periods[q].from), FormatDate(periods[q].to),
                                      catalogue.rules[r].id};
      for (std::string& cell : CountsCells(c)) row.push_back(std::move(cell));
      listing.table.rows.push_back(std::move(row));
    }
    json_quarters.push_back(Json{{"quarter", label},
                                 {"from", FormatDate(periods[q].from)},
                                 {"to", FormatDate(periods[q].to)},
                                 {"rates", rates}});
  }
  listing.json = Json{{"unit", data.units[*unit].id},
                      {"as_of", FormatDate(dates->as_of)},
                      {"suppressed", suppressed},
                      {"quarters", json_quarters}};
  return Render(ctx, std::move(listing));
}

Json ObligationJson(const Dataset& data, const Catalogue& catalogue, const Obligation& o) {
  const Rule& rule = catalogue.rules[o.rule];
  const RuleVersion& version = rule.versions[o.version];
  return Json{{"rule", rule.id},
              {"rule_name", rule.name},
              {"reference", fmt::format("{} ({})", version.reference, LawName(version.law))},
              {"child", data.children[o.child].id},
              {"trigger", EventId(data, o.trigger)},
              {"due", Cal().FormatInstant(o.due)},
              {"status", ObligationStatusName(o.status)},
              {"status_name", ObligationStatusDanish(o.status)},
              {"fulfilled_by",
               o.fulfilled_by == kNone ? Json(nullptr) : Json(EventId(data, o.fulfilled_by))},
              {"worker", o.worker == kNone ? Json(nullptr) : Json(data.workers[o.worker].id)},
              {"unit", data.units[o.unit].id},
              {"time_assumed", o.time_assumed}};
}

const std::vector<std::string> kObligationColumns = {
    "rule",   "rule_name",   "reference",    "child",  "trigger", "due",
    "status", "status_name", "fulfilled_by", "worker", "unit",    "time_assumed"};

std::vector<std::string> ObligationCells(const Json& json) {
  std::vector<std::string> cells;
  for (const std::string& column : kObligationColumns) {
    const Json& value = json[column];
    if (value.is_null()) {
      cells.emplace_back();
    } else if (value.is_boolean()) {
      cells.emplace_back(value.get<bool>() ? "true" : "false");
    } else {
      cells.push_back(value.get<std::string>());
    }
  }
  return cells;
}

Result<Reply> Obligations(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  Result<Paging> paging = PagingParams(ctx);
  if (!paging) return std::move(paging).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Catalogue& catalogue = snapshot.catalogue();
  const Scope scope(ctx.session->user, data);
  Result<uint32_t> unit = UnitParam(ctx, data, scope);
  if (!unit) return std::move(unit).error();
  if (!scope.SeesNamesIn(*unit)) return OutOfScope("navngivne sager i denne enhed");
  int rule = -1;
  if (const std::string id = Param(ctx, "rule"); !id.empty()) {
    rule = catalogue.FindRule(id);
    if (rule < 0) return NotFound(fmt::format("Reglen \"{}\" findes ikke", id));
  }
  std::optional<ObligationStatus> status;
  if (const std::string name = Param(ctx, "status"); !name.empty()) {
    for (const ObligationStatus s : kStatuses) {
      if (ObligationStatusName(s) == name) status = s;
    }
    if (!status) return InvalidArgument(fmt::format("status \"{}\" is not a status", name));
  }
  uint32_t worker = kNone;
  if (const std::string id = Param(ctx, "worker"); !id.empty()) {
    worker = data.FindWorker(id);
    if (worker == kNone) return NotFound(fmt::format("Medarbejderen \"{}\" findes ikke", id));
  }
  const auto obligations = snapshot.ObligationsAsOf(dates->as_of);
  std::vector<const Obligation*> selected;
  for (const Obligation& o : *obligations) {
    if (!InFigures(data, o, *unit, dates->period)) continue;
    if (rule >= 0 && o.rule != rule) continue;
    if (status && o.status != *status) continue;
    if (worker != kNone && o.worker != worker) continue;
    selected.push_back(&o);
  }
  std::sort(selected.begin(), selected.end(), [&](const Obligation* a, const Obligation* b) {
    if (a->rule != b->rule) return a->rule < b->rule;
    if (a->child != b->child) return data.children[a->child].id < data.children[b->child].id;
    if (a->due != b->due) return a->due < b->due;
    return a->trigger < b->trigger;
  });
  const bool export_all = !Param(ctx, "format").empty() && Param(ctx, "format") != "json";
  const auto total = static_cast<int64_t>(selected.size());
  const int64_t first = export_all ? 0 : std::min(total, (paging->page - 1) * paging->page_size);
  const int64_t last = export_all ? total : std::min(total, first + paging->page_size);
  Listing listing;
  listing.table = {"forpligtelser", kObligationColumns, {}};
  Json items = Json::array();
  for (int64_t i = first; i < last; ++i) {
    Json item = ObligationJson(data, catalogue, *selected[static_cast<size_t>(i)]);
    listing.table.rows.push_back(ObligationCells(item));
    items.push_back(std::move(item));
  }
  listing.json = Json{{"unit", data.units[*unit].id},
                      {"as_of", FormatDate(dates->as_of)},
                      {"from", FormatDate(dates->period.from)},
                      {"to", FormatDate(dates->period.to)},
                      {"total", total},
                      {"page", paging->page},
                      {"page_size", paging->page_size},
                      {"obligations", items}};
  return Render(ctx, std::move(listing));
}

Result<Reply> Worklist(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Catalogue& catalogue = snapshot.catalogue();
  const Scope scope(ctx.session->user, data);
  const std::string id = ctx.request.matches[1];
  const uint32_t worker = data.FindWorker(id);
  if (worker == kNone) return NotFound(fmt::format("Medarbejderen \"{}\" findes ikke", id));
  if (!scope.SeesNamesIn(data.workers[worker].unit)) {
    return OutOfScope(fmt::format("arbejdslisten for {}", id));
  }
  const auto obligations = snapshot.ObligationsAsOf(dates->as_of);
  std::vector<const Obligation*> items;
  for (const Obligation& o : *obligations) {
    if (o.worker != worker) continue;
    if (o.status == ObligationStatus::kOpen || o.status == ObligationStatus::kOverdue) {
      items.push_back(&o);
    }
  }
  std::sort(items.begin(), items.end(), [](const Obligation* a, const Obligation* b) {
    const bool a_overdue = a->status == ObligationStatus::kOverdue;
    const bool b_overdue = b->status == ObligationStatus::kOverdue;
    if (a_overdue != b_overdue) return a_overdue;
    if (a->due != b->due) return a->due < b->due;
    return a->trigger < b->trigger;
  });
  Listing listing;
  listing.table = {
      "arbejdsliste", {"child", "rule", "rule_name", "next_step", "due", "status", "days"}, {}};
  Json json_items = Json::array();
  for (const Obligation* o : items) {
    const Rule& rule = catalogue.rules[o->rule];
    // Days left (negative: days overdue), by local dates.
    const int days = o->due_day.days - dates->as_of.days;
    json_items.push_back(Json{{"child", data.children[o->child].id},
                              {"rule", rule.id},
                              {"rule_name", rule.name},
                              {"next_step", rule.next_step},
                              {"due", Cal().FormatInstant(o->due)},
                              {"status", ObligationStatusName(o->status)},
                              {"days", days}});
    listing.table.rows.push_back({data.children[o->child].id, rule.id, rule.name, rule.next_step,
                                  Cal().FormatInstant(o->due),
                                  std::string(ObligationStatusName(o->status)),
                                  std::to_string(days)});
  }
  listing.json = Json{{"worker", id},
                      {"name", data.workers[worker].name},
                      {"as_of", FormatDate(dates->as_of)},
                      {"items", json_items}};
  return Render(ctx, std::move(listing));
}

Json EventJson(const Dataset& data, uint32_t e) {
  const Event& event = data.events[e];
  Json json =
      Json{{"id", EventId(data, e)},
           {"type", EventTypeName(event.type)},
           {"type_name", EventTypeDanish(event.type)},
           {"at", event.date_only() ? FormatDate(event.day) : Cal().FormatInstant(event.at)},
           {"worker", event.worker == kNone ? Json(nullptr) : Json(WorkerId(data, event.worker))},
           {"ref", event.ref == kNone ? Json(nullptr) : Json(EventId(data, event.ref))},
           {"measure", event.measure == kNone
                           ? Json(nullptr)
                           : Json(std::string(data.measure_ids.Text(event.measure)))}};
  if (!data.details.empty() && !data.details[e].reason.empty()) {
    json["reason"] = data.details[e].reason;
  }
  return json;
}

Result<Reply> Case(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Catalogue& catalogue = snapshot.catalogue();
  const Scope scope(ctx.session->user, data);
  const std::string id = ctx.request.matches[1];
  const uint32_t child = data.FindChild(id);
  if (child == kNone) return NotFound(fmt::format("Barnet \"{}\" findes ikke", id));
  if (!scope.SeesNamesIn(data.children[child].unit)) {
    return OutOfScope(fmt::format("sagen {}", id));
  }
  // The read is recorded before anything is shown.
  if (Status audited = AppendAudit(ctx.store,
                                   {ctx.session->user.login, ctx.client, "read_case",
                                    fmt::format("child:{}", id), FormatDate(dates->as_of)},
                                   ctx.now);
      !audited) {
    return audited.error();
  }
  Json events = Json::array();
  for (uint32_t e = data.child_begin[child]; e < data.child_end[child]; ++e) {
    events.push_back(EventJson(data, e));
  }
  std::vector<Obligation> obligations;
  snapshot.engine().EvaluateChild(child, dates->as_of, obligations);
  std::stable_sort(obligations.begin(), obligations.end(),
                   [](const Obligation& a, const Obligation& b) { return a.due < b.due; });
  Json json_obligations = Json::array();
  for (const Obligation& o : obligations) {
    json_obligations.push_back(ObligationJson(data, catalogue, o));
  }
  const Child& record = data.children[child];
  return JsonReply(Json{{"child", record.id},
                        {"birth_date", FormatDate(record.birth_date)},
                        {"unit", data.units[record.unit].id},
                        {"as_of", FormatDate(dates->as_of)},
                        {"events", events},
                        {"obligations", json_obligations}});
}

Result<Reply> Caseloads(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  const CaseState::Snapshot snapshot = ctx.state.Read();
  const Dataset& data = snapshot.data();
  const Scope scope(ctx.session->user, data);
  if (Status ok = NeedWorkers(scope); !ok) return ok.error();
  Result<uint32_t> unit = UnitParam(ctx, data, scope);
  if (!unit) return std::move(unit).error();
  // A case is open as of the date when it has had an event by then and was not closed (or was
  // reopened since); it is the caseworker's assigned last by then. Retracted events do not count.
  std::vector<int64_t> open_cases(data.workers.size(), 0);
  std::vector<bool> retracted;
  for (uint32_t c = 0; c < data.children.size(); ++c) {
    const uint32_t begin = data.child_begin[c];
    const uint32_t end = data.child_end[c];
    retracted.assign(end - begin, false);
    for (uint32_t e = begin; e < end; ++e) {
      const Event& event = data.events[e];
      if (event.type == EventType::kRetraction && event.ref != kNone && event.day <= dates->as_of &&
          event.ref >= begin && event.ref < end) {
        retracted[event.ref - begin] = true;
      }
    }
    bool open = false;
    uint32_t worker = kNone;
    for (uint32_t e = begin; e < end; ++e) {
      const Event& event = data.events[e];
      if (event.day > dates->as_of) break;
      if (retracted[e - begin] || event.type == EventType::kRetraction) continue;
      open = event.type != EventType::kCaseClosed;
      if (event.type == EventType::kWorkerAssigned) worker = event.worker;
    }
    if (open && worker != kNone) ++open_cases[worker];
  }
  Listing listing;
  listing.table = {
      "sagsstammer", {"worker", "name", "unit", "fte", "open_cases", "per_fte", "band"}, {}};
  Json workers = Json::array();
  for (uint32_t w = 0; w < data.workers.size(); ++w) {
    const Worker& worker = data.workers[w];
    if (!InSubtree(data, worker.unit, *unit)) continue;
    const double per_fte = static_cast<double>(open_cases[w]) / worker.fte;
    const std::string band = per_fte < kCaseloadLow    ? "under"
                             : per_fte > kCaseloadHigh ? "over"
                                                       : "within";
    const double rounded = std::round(per_fte * 10) / 10;
    workers.push_back(Json{{"worker", worker.id},
                           {"name", worker.name},
                           {"unit", data.units[worker.unit].id},
                           {"fte", worker.fte},
                           {"open_cases", open_cases[w]},
                           {"per_fte", rounded},
                           {"band", band}});
    listing.table.rows.push_back({worker.id, worker.name, data.units[worker.unit].id,
                                  fmt::format("{}", worker.fte), std::to_string(open_cases[w]),
                                  fmt::format("{}", rounded), band});
  }
  listing.json = Json{{"unit", data.units[*unit].id},
                      {"as_of", FormatDate(dates->as_of)},
                      {"recommended", Json{{"low", kCaseloadLow}, {"high", kCaseloadHigh}}},
                      {"workers", workers}};
  return Render(ctx, std::move(listing));
}

Result<Reply> PostEvents(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("at indsende hændelser");
  Result<Dataset> incoming = [&] {
    const CaseState::Snapshot snapshot = ctx.state.Read();
    return ReadPostedRecords(ctx.request.body, snapshot.data(), ctx.read_options);
  }();
  if (!incoming) return std::move(incoming).error();
  Result<ImportSummary> summary =
      ctx.state.Import(ctx.store, *incoming, fmt::format("api:{}", ctx.session->user.login));
  if (!summary) return std::move(summary).error();
  const std::string counts =
      fmt::format("import {}: {} events added, {} unchanged", summary->import_id,
                  summary->events.added, summary->events.unchanged);
  if (Status audited = AppendAudit(ctx.store,
                                   {ctx.session->user.login, ctx.client, "import_events",
                                    fmt::format("import:{}", summary->import_id), counts},
                                   ctx.now);
      !audited) {
    return audited.error();
  }
  const auto counts_json = [](const ImportCounts& c) {
    return Json{{"added", c.added}, {"updated", c.updated}, {"unchanged", c.unchanged}};
  };
  return JsonReply(Json{{"import_id", summary->import_id},
                        {"units", counts_json(summary->units)},
                        {"workers", counts_json(summary->workers)},
                        {"children", counts_json(summary->children)},
                        {"events", counts_json(summary->events)}});
}

Result<Reply> Audit(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("revisionssporet");
  Result<Paging> paging = PagingParams(ctx);
  if (!paging) return std::move(paging).error();
  AuditQuery query;
  query.user = Param(ctx, "user");
  query.action = Param(ctx, "action");
  query.object = Param(ctx, "object");
  Result<std::optional<Date>> from = DateParam(ctx, "from");
  if (!from) return std::move(from).error();
  Result<std::optional<Date>> to = DateParam(ctx, "to");
  if (!to) return std::move(to).error();
  if (*from) query.from = Cal().StartOfDay(**from);
  if (*to) query.to = Cal().EndOfDay(**to);
  query.page = paging->page;
  query.page_size = paging->page_size;
  const bool export_all = !Param(ctx, "format").empty() && Param(ctx, "format") != "json";
  if (export_all) {
    query.page = 1;
    query.page_size = std::numeric_limits<int32_t>::max();
  }
  Result<AuditPage> page = SearchAudit(ctx.store, query);
  if (!page) return std::move(page).error();
  Listing listing;
  listing.table = {
      "revisionsspor", {"seq", "at", "user", "client", "action", "object", "detail"}, {}};
  Json entries = Json::array();
  for (const AuditEntry& entry : page->entries) {
    const std::string at = Cal().FormatInstant(entry.at);
    entries.push_back(Json{{"seq", entry.seq},
                           {"at", at},
                           {"user", entry.record.user},
                           {"client", entry.record.client},
                           {"action", entry.record.action},
                           {"object", entry.record.object},
                           {"detail", entry.record.detail}});
    listing.table.rows.push_back({std::to_string(entry.seq), at, entry.record.user,
                                  entry.record.client, entry.record.action, entry.record.object,
                                  entry.record.detail});
  }
  listing.json = Json{{"total", page->total},
                      {"page", paging->page},
                      {"page_size", paging->page_size},
                      {"entries", entries}};
  return Render(ctx, std::move(listing));
}

}  // namespace

std::string ErrorBody(const Error& error) {
  return Json{{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
}

std::vector<Route> ApiRoutes() {
  return {
      {"GET", "/healthz", Access::kPublic, Health},
      {"GET", "/api/openapi.json", Access::kPublic, OpenApi},
      {"POST", "/api/login", Access::kPublic, LoginHandler},
      {"POST", "/api/logout", Access::kSignedInChange, LogoutHandler},
      {"GET", "/api/me", Access::kSignedIn, Me},
      {"GET", "/api/rules", Access::kSignedIn, Rules},
      {"GET", "/api/units", Access::kSignedIn, Units},
      {"GET", "/api/units/([^/]+)/workers", Access::kSignedIn, UnitWorkers},
      {"GET", "/api/rates", Access::kSignedIn, Rates},
      {"GET", "/api/rates/quarterly", Access::kSignedIn, Quarterly},
      {"GET", "/api/obligations", Access::kSignedIn, Obligations},
      {"GET", "/api/workers/([^/]+)/worklist", Access::kSignedIn, Worklist},
      {"GET", "/api/children/([^/]+)", Access::kSignedIn, Case},
      {"GET", "/api/caseloads", Access::kSignedIn, Caseloads},
      {"POST", "/api/events", Access::kSignedInChange, PostEvents},
      {"GET", "/api/audit", Access::kSignedIn, Audit},
  };
}

}  // namespace tilsyn::server
