#include "server/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <tuple>

#include "analytics/case_state.h"
#include "analytics/trend.h"
#include "core/calendar.h"
#include "rules/rates.h"
#include "server/audit_log.h"
#include "server/calendar_feed.h"
#include "server/intake.h"
#include "server/json_writer.h"
#include "server/openapi.h"
#include "server/scope.h"
#include "service/case_view.h"
#include "service/check.h"
#include "service/export.h"
#include "service/obligation_list.h"
#include "service/overview.h"
#include "service/tables.h"
#include "service/worklist.h"

namespace tilsyn::server {
namespace {

using Json = nlohmann::ordered_json;

constexpr int64_t kMaxPageSize = 1000;
constexpr int64_t kDefaultPageSize = 100;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Reply JsonReply(const Json& json, int status = 200) {
  Reply reply;
  reply.status = status;
  reply.body = Dump(json);
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

// The start of every handler that reads case data: the dates asked for, a snapshot of the case
// data (no import changes it meanwhile) and the user's scope in it.
struct CaseRead {
  Dates dates;
  LiveData::Snapshot snapshot;
  Scope scope;
  const Dataset& data() const { return snapshot.data(); }
};

Result<CaseRead> ReadCases(RequestContext& ctx) {
  Result<Dates> dates = DatesParams(ctx);
  if (!dates) return std::move(dates).error();
  LiveData::Snapshot snapshot = ctx.state.Read();
  Scope scope(ctx.session->user, snapshot.data());
  return CaseRead{*dates, std::move(snapshot), std::move(scope)};
}

using CaseHandler = Result<Reply> (*)(RequestContext& ctx, const CaseRead& read);

// A route's handler that reads case data: ReadCases first.
Handler WithCases(CaseHandler handler) {
  return [handler](RequestContext& ctx) -> Result<Reply> {
    Result<CaseRead> read = ReadCases(ctx);
    if (!read) return std::move(read).error();
    return handler(ctx, *read);
  };
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

// A list as JSON text and as the tables of its export (several sheets in XLSX; the first in
// CSV). The long lists fill `tables` only for an export (see Exports).
struct Listing {
  std::string json;
  std::vector<Table> tables;
  // Names everything the JSON answer depends on, so that it can be kept until the data changes;
  // empty: not kept.
  std::string cache_key;
};

// Whether the request asks for a file (?format=csv|xlsx) rather than JSON.
bool Exports(const RequestContext& ctx) {
  const std::string format = Param(ctx, "format");
  return !format.empty() && format != "json";
}

// The JSON answer kept for `key`, when the request asks for JSON and one is kept.
std::optional<Reply> CachedJson(const RequestContext& ctx, const LiveData::Snapshot& snapshot,
                                const std::string& key) {
  if (Exports(ctx)) return std::nullopt;
  std::shared_ptr<const std::string> body = snapshot.CachedAnswer(key);
  if (body == nullptr) return std::nullopt;
  Reply reply;
  reply.body = *body;
  return reply;
}

// The listing in the format the request asks for (?format=json|csv|xlsx); an export is audited.
Result<Reply> Render(RequestContext& ctx, const LiveData::Snapshot& snapshot, Listing listing) {
  const std::string format = Param(ctx, "format");
  if (format.empty() || format == "json") {
    Reply reply;
    reply.body = std::move(listing.json);
    if (!listing.cache_key.empty()) snapshot.CacheAnswer(listing.cache_key, reply.body);
    return reply;
  }
  if (format != "csv" && format != "xlsx") {
    return InvalidArgument(fmt::format("format must be json, csv or xlsx, not \"{}\"", format));
  }
  Reply reply;
  size_t rows = 0;
  for (const Table& table : listing.tables) rows += table.rows.size();
  if (format == "csv") {
    reply.body = RenderCsv(listing.tables.front(), Cal());
    reply.content_type = "text/csv; charset=utf-8";
  } else {
    Result<std::string> xlsx = RenderXlsx(listing.tables, Cal());
    if (!xlsx) return std::move(xlsx).error();
    reply.body = std::move(*xlsx);
    reply.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  // The file is named by the endpoint, in ASCII: /api/rates/quarterly → tilsyn-rates-quarterly.
  std::string file = "tilsyn" + ctx.request.path.substr(4);
  for (char& c : file) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') c = '-';
  }
  reply.headers.emplace_back("Content-Disposition",
                             fmt::format("attachment; filename=\"{}.{}\"", file, format));
  const AuditRecord record{ctx.session->user.login, ctx.client, "export", ctx.request.target,
                           fmt::format("{} rows as {}", rows, format)};
  reply.audit.push_back(ctx.audit.Submit({record, ctx.now}));
  return reply;
}

// A paged request: the whole list for an export.
PageRequest PageOf(const RequestContext& ctx, const Paging& paging) {
  if (Exports(ctx)) return {0, std::numeric_limits<size_t>::max()};
  return {static_cast<size_t>((paging.page - 1) * paging.page_size),
          static_cast<size_t>(paging.page_size)};
}

// ---- JSON of the service's views

Json Nullable(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json CountJson(const ShownCount& count) { return count.value ? Json(*count.value) : Json(nullptr); }

Json RateJson(const ShownRate& rate) {
  return rate.value ? Json(std::round(*rate.value * 10000) / 10000) : Json(nullptr);
}

// Counts by status, the denominator and what was done, and the rates; null where suppressed (or,
// for a rate, where there is nothing to measure).
Json CountsJson(const ShownCounts& counts) {
  Json json = Json::object();
  for (int s = 0; s < kObligationStatusCount; ++s) {
    const auto status = static_cast<ObligationStatus>(s);
    json[std::string(ObligationStatusName(status))] = CountJson(counts.Of(status));
  }
  json["denominator"] = CountJson(counts.denominator);
  json["done"] = CountJson(counts.done);
  json["time_assumed"] = CountJson(counts.time_assumed);
  json["rate"] = RateJson(counts.rate);
  json["done_rate"] = RateJson(counts.done_rate);
  return json;
}

Json NationalJson(const std::optional<NationalFigure>& figure) {
  if (!figure) return nullptr;
  return Json{{"first_year", figure->first_year},
              {"last_year", figure->last_year},
              {"percent", figure->percent}};
}

// An obligation's members, in an object the caller opened.
void WriteObligationMembers(JsonWriter& w, const ObligationView& o) {
  w.StringField("rule", o.rule_id);
  w.StringField("rule_name", o.rule_name);
  w.StringField("law", o.law);
  w.StringField("reference", o.legal_reference);
  w.BoolField("reference_confirmed", o.legal_reference_confirmed);
  w.StringField("child", o.child_id);
  w.StringField("trigger", o.trigger_id);
  w.StringField("trigger_type", o.trigger_type);
  w.StringField("trigger_at", Cal().FormatInstant(o.trigger_at));
  w.StringField("due", Cal().FormatInstant(o.due));
  w.StringField("status", ObligationStatusName(o.status));
  w.StringField("status_name", ObligationStatusDanish(o.status));
  w.StringOrNullField("fulfilled_by", o.fulfilled_by_id);
  w.StringOrNullField("worker", o.worker_id);
  w.StringOrNullField("worker_name", o.worker_name);
  w.StringField("unit", o.unit_id);
  w.StringField("unit_name", o.unit_name);
  w.BoolField("time_assumed", o.time_assumed);
  w.StringOrNullField("next_step", o.next_step);
}

// The member `key`: the obligations as an array.
void WriteObligations(JsonWriter& w, std::string_view key,
                      std::span<const ObligationView> obligations) {
  w.Key(key);
  w.BeginArray();
  for (const ObligationView& o : obligations) {
    w.BeginObject();
    WriteObligationMembers(w, o);
    w.EndObject();
  }
  w.EndArray();
}

// ---- records

Json UserJson(const User& user, const Dataset& data) {
  const uint32_t unit = data.FindUnit(user.unit_id);
  return Json{{"login", user.login},
              {"name", user.name},
              {"role", RoleName(user.role)},
              {"unit", user.unit_id},
              {"unit_name", unit == kNone ? Json(nullptr) : Json(data.units[unit].name)},
              {"worker", Nullable(user.worker_id)}};
}

Cell TextCell(const std::string& text) {
  if (text.empty()) return std::monostate{};
  return text;
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
  if (Status audited =
          ctx.audit.Append({{session->user.login, ctx.client, "login", "session", ""}, ctx.now});
      !audited) {
    return audited.error();
  }
  const LiveData::Snapshot snapshot = ctx.state.Read();
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
  const LiveData::Snapshot snapshot = ctx.state.Read();
  Json json = UserJson(ctx.session->user, snapshot.data());
  json["csrf_token"] = ctx.session->csrf_token;
  return JsonReply(json);
}

Result<Reply> Units(RequestContext& ctx, const CaseRead& read) {
  Listing listing;
  Table table{"Enheder", {"Enhed", "Enhedens id", "Overordnet enhed", "Art"}, {}};
  Json units = Json::array();
  for (uint32_t u = 0; u < read.data().units.size(); ++u) {
    if (!read.scope.SeesUnit(u)) continue;
    const Unit& unit = read.data().units[u];
    const std::string parent = unit.parent == kNone ? "" : read.data().units[unit.parent].id;
    units.push_back(Json{{"id", unit.id},
                         {"parent", Nullable(parent)},
                         {"kind", UnitKindName(unit.kind)},
                         {"name", unit.name}});
    table.rows.push_back(
        {unit.name, unit.id, TextCell(parent), std::string(UnitKindName(unit.kind))});
  }
  listing.json = Dump(Json{{"units", std::move(units)}});
  listing.tables.push_back(std::move(table));
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> UnitWorkers(RequestContext& ctx, const CaseRead& read) {
  if (Status ok = NeedWorkers(read.scope); !ok) return ok.error();
  const std::string id = ctx.request.matches[1];
  const uint32_t unit = read.data().FindUnit(id);
  if (unit == kNone) return NotFound(fmt::format("Enheden \"{}\" findes ikke", id));
  if (!read.scope.SeesUnit(unit)) return OutOfScope(fmt::format("enheden {}", id));
  Listing listing;
  Table table{"Rådgivere", {"Rådgiver", "Rådgiverens id", "Enhed", "Normering"}, {}};
  Json workers = Json::array();
  for (const Worker& worker : read.data().workers) {
    if (!InSubtree(read.data(), worker.unit, unit)) continue;
    const std::string& unit_id = read.data().units[worker.unit].id;
    workers.push_back(
        Json{{"id", worker.id}, {"name", worker.name}, {"unit", unit_id}, {"fte", worker.fte}});
    table.rows.push_back({worker.name, worker.id, unit_id, worker.fte});
  }
  listing.json = Dump(Json{{"unit", id}, {"workers", std::move(workers)}});
  listing.tables.push_back(std::move(table));
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> Rules(RequestContext& ctx) {
  const LiveData::Snapshot snapshot = ctx.state.Read();
  Json rules = Json::array();
  for (const Rule& rule : snapshot.catalogue().rules) {
    Json versions = Json::array();
    for (const RuleVersion& version : rule.versions) {
      versions.push_back(Json{{"law", LawName(version.law)},
                              {"reference", version.reference},
                              {"reference_confirmed", version.reference_confirmed},
                              {"from", FormatDate(version.from)},
                              {"until", FormatDate(version.until)}});
    }
    const NationalFigure* latest = rule.LatestNationalFigure();
    rules.push_back(Json{{"id", rule.id},
                         {"name", rule.name},
                         {"next_step", rule.next_step},
                         {"national_measure", Nullable(rule.national_measure)},
                         {"national", NationalJson(latest ? std::optional(*latest) : std::nullopt)},
                         {"versions", versions}});
  }
  return JsonReply(Json{{"rules", rules}});
}

Result<Reply> Rates(RequestContext& ctx, const CaseRead& read) {
  Result<uint32_t> unit = UnitParam(ctx, read.data(), read.scope);
  if (!unit) return std::move(unit).error();
  RatesRequest request;
  request.as_of = read.dates.as_of;
  request.period = read.dates.period;
  request.unit_id = read.data().units[*unit].id;
  // The split by caseworker unless by_worker=false; never for the committee.
  request.by_worker = read.scope.SeesWorkers() && Param(ctx, "by_worker") != "false";
  request.suppress_small_counts = read.scope.Suppressed();
  // Anonymous figures come per whole quarter: by default the one holding the as-of date.
  if (read.scope.Suppressed() && Param(ctx, "from").empty() && Param(ctx, "to").empty()) {
    request.period = QuarterOf(read.dates.as_of).period();
  }
  const std::string key =
      fmt::format("rates|{}|{}|{}|{}|{}|{}", request.unit_id, FormatDate(request.as_of),
                  FormatDate(request.period.from), FormatDate(request.period.to), request.by_worker,
                  request.suppress_small_counts);
  if (std::optional<Reply> cached = CachedJson(ctx, read.snapshot, key)) return std::move(*cached);
  const auto evaluation = read.snapshot.EvaluationAsOf(read.dates.as_of);
  Result<RatesReport> report =
      BuildRatesReport(read.snapshot.engine(), evaluation->obligations, request);
  if (!report) return std::move(report).error();
  Json rules = Json::array();
  for (const RuleRates& rule : report->rules) {
    Json entry = Json{{"rule", rule.rule_id},
                      {"name", rule.rule_name},
                      {"national_measure", Nullable(rule.national_measure)},
                      {"national", NationalJson(rule.national_latest)}};
    entry.update(CountsJson(rule.counts));
    rules.push_back(std::move(entry));
  }
  Listing listing;
  Json json = Json{{"unit", report->unit_id},
                   {"unit_name", report->unit_name},
                   {"as_of", FormatDate(report->as_of)},
                   {"from", FormatDate(report->period.from)},
                   {"to", FormatDate(report->period.to)},
                   {"suppressed", report->suppressed},
                   {"rates", std::move(rules)}};
  listing.cache_key = key;
  listing.tables.push_back(RatesTable(*report));
  if (request.by_worker) {
    Json workers = Json::array();
    for (const WorkerRates& worker : report->workers) {
      // Only the rules the caseworker has obligations of: most have few.
      Json by_rule = Json::array();
      for (size_t r = 0; r < worker.by_rule.size(); ++r) {
        const ShownCounts& counts = worker.by_rule[r];
        if (std::none_of(counts.status.begin(), counts.status.end(),
                         [](const ShownCount& count) { return count.value.value_or(0) > 0; })) {
          continue;
        }
        Json entry = Json{{"rule", report->rules[r].rule_id}};
        entry.update(CountsJson(counts));
        by_rule.push_back(std::move(entry));
      }
      workers.push_back(Json{{"worker", Nullable(worker.worker_id)},
                             {"name", Nullable(worker.worker_name)},
                             {"unit", worker.unit_id},
                             {"unit_name", worker.unit_name},
                             {"rates", by_rule}});
    }
    json["workers"] = std::move(workers);
    listing.tables.push_back(WorkerRatesTable(*report));
  }
  listing.json = Dump(json);
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> Quarterly(RequestContext& ctx, const CaseRead& read) {
  Result<int64_t> quarters = IntParam(ctx, "quarters", 8, 1, kMaxTrendQuarters);
  if (!quarters) return std::move(quarters).error();
  Result<uint32_t> unit = UnitParam(ctx, read.data(), read.scope);
  if (!unit) return std::move(unit).error();
  TrendRequest request;
  request.as_of = read.dates.as_of;
  request.unit_id = read.data().units[*unit].id;
  request.quarters = static_cast<int>(*quarters);
  request.suppress_small_counts = read.scope.Suppressed();
  const std::string key =
      fmt::format("quarterly|{}|{}|{}|{}", request.unit_id, FormatDate(request.as_of),
                  request.quarters, request.suppress_small_counts);
  if (std::optional<Reply> cached = CachedJson(ctx, read.snapshot, key)) return std::move(*cached);
  const auto evaluation = read.snapshot.EvaluationAsOf(read.dates.as_of);
  Result<TrendReport> report =
      BuildTrendReport(read.snapshot.engine(), evaluation->obligations, request);
  if (!report) return std::move(report).error();
  Json json_quarters = Json::array();
  for (const QuarterInfo& quarter : report->quarters) {
    json_quarters.push_back(Json{{"quarter", quarter.label},
                                 {"from", FormatDate(quarter.period.from)},
                                 {"to", FormatDate(quarter.period.to)},
                                 {"complete", quarter.complete}});
  }
  Json rules = Json::array();
  for (const RuleTrend& rule : report->rules) {
    Json by_quarter = Json::array();
    for (const ShownCounts& counts : rule.by_quarter) by_quarter.push_back(CountsJson(counts));
    rules.push_back(Json{{"rule", rule.rule_id},
                         {"name", rule.rule_name},
                         {"national", NationalJson(rule.national_latest)},
                         {"by_quarter", by_quarter}});
  }
  Listing listing;
  listing.json = Dump(Json{{"unit", report->unit_id},
                           {"unit_name", report->unit_name},
                           {"as_of", FormatDate(report->as_of)},
                           {"suppressed", report->suppressed},
                           {"quarters", std::move(json_quarters)},
                           {"rates", std::move(rules)}});
  listing.cache_key = key;
  listing.tables.push_back(TrendTable(*report));
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> Obligations(RequestContext& ctx, const CaseRead& read) {
  Result<Paging> paging = PagingParams(ctx);
  if (!paging) return std::move(paging).error();
  Result<uint32_t> unit = UnitParam(ctx, read.data(), read.scope);
  if (!unit) return std::move(unit).error();
  if (!read.scope.SeesNamesIn(*unit)) return OutOfScope("navngivne sager i denne enhed");
  ObligationListRequest request;
  request.as_of = read.dates.as_of;
  request.period = read.dates.period;
  request.rule_id = Param(ctx, "rule");
  if (const std::string status = Param(ctx, "status"); !status.empty()) request.status = status;
  request.unit_id = read.data().units[*unit].id;
  // worker=W: that caseworker's; worker= (empty): those without a caseworker.
  if (ctx.request.has_param("worker")) request.worker_id = Param(ctx, "worker");
  request.page = PageOf(ctx, *paging);
  const std::string key = fmt::format(
      "obligations|{}|{}|{}|{}|{}|{}|{}|{}|{}", request.unit_id, FormatDate(request.as_of),
      FormatDate(request.period.from), FormatDate(request.period.to), request.rule_id,
      request.status, request.worker_id.has_value(), request.worker_id.value_or(""),
      request.page.offset, request.page.limit);
  if (std::optional<Reply> cached = CachedJson(ctx, read.snapshot, key)) return std::move(*cached);
  const auto evaluation = read.snapshot.EvaluationAsOf(read.dates.as_of);
  Result<ObligationList> list =
      ListObligations(read.snapshot.engine(), evaluation->obligations, request);
  if (!list) return std::move(list).error();
  JsonWriter w;
  w.BeginObject();
  w.StringField("unit", request.unit_id);
  w.StringField("as_of", FormatDate(read.dates.as_of));
  w.StringField("from", FormatDate(read.dates.period.from));
  w.StringField("to", FormatDate(read.dates.period.to));
  w.IntField("total", static_cast<int64_t>(list->total));
  w.IntField("page", paging->page);
  w.IntField("page_size", paging->page_size);
  WriteObligations(w, "obligations", list->rows);
  w.EndObject();
  Listing listing;
  listing.json = w.Take();
  listing.cache_key = key;
  if (Exports(ctx)) listing.tables.push_back(ObligationsTable(list->rows));
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> WorkerWorklist(RequestContext& ctx, const CaseRead& read) {
  const std::string id = ctx.request.matches[1];
  const uint32_t worker = read.data().FindWorker(id);
  if (worker == kNone) return NotFound(fmt::format("Rådgiveren \"{}\" findes ikke", id));
  if (!read.scope.SeesNamesIn(read.data().workers[worker].unit)) {
    return OutOfScope(fmt::format("arbejdslisten for {}", id));
  }
  WorklistRequest request;
  request.as_of = read.dates.as_of;
  request.worker_id = id;
  request.rule_id = Param(ctx, "rule");
  if (ctx.request.has_param("due_within_days")) {
    Result<int64_t> days = IntParam(ctx, "due_within_days", 0, 0, 3660);
    if (!days) return std::move(days).error();
    request.due_within_days = static_cast<int>(*days);
  }
  request.overdue_only = Param(ctx, "overdue_only") == "true";
  const std::string key =
      fmt::format("worklist|{}|{}|{}|{}|{}", id, FormatDate(request.as_of), request.rule_id,
                  request.due_within_days.value_or(-1), request.overdue_only);
  if (std::optional<Reply> cached = CachedJson(ctx, read.snapshot, key)) return std::move(*cached);
  const auto evaluation = read.snapshot.EvaluationAsOf(read.dates.as_of);
  Result<Worklist> worklist =
      BuildWorklist(read.snapshot.engine(), evaluation->OfWorkersChildren(worker), request);
  if (!worklist) return std::move(worklist).error();
  JsonWriter w;
  w.BeginObject();
  w.StringField("worker", worklist->worker_id);
  w.StringField("name", worklist->worker_name);
  w.StringField("as_of", FormatDate(worklist->as_of));
  w.Key("items");
  w.BeginArray();
  for (const WorklistItem& item : worklist->items) {
    w.BeginObject();
    WriteObligationMembers(w, item.obligation);
    w.IntField("days_to_due", item.days_to_due);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  Listing listing;
  listing.json = w.Take();
  listing.cache_key = key;
  if (Exports(ctx)) listing.tables.push_back(WorklistTable(*worklist));
  return Render(ctx, read.snapshot, std::move(listing));
}

void WriteCaseEvent(JsonWriter& w, const CaseEventView& e) {
  w.BeginObject();
  w.StringField("id", e.event_id);
  w.StringField("type", EventTypeName(e.type));
  w.StringField("type_name", e.type_name);
  w.StringField("at", e.date_only ? FormatDate(e.day) : Cal().FormatInstant(e.at));
  w.BoolField("date_only", e.date_only);
  w.StringOrNullField("worker", e.worker_id);
  w.StringOrNullField("worker_name", e.worker_name);
  w.StringOrNullField("ref", e.ref_id);
  w.StringOrNullField("measure", e.measure_id);
  w.StringOrNullField("measure_type", e.measure_type);
  w.StringOrNullField("measure_type_name", e.measure_type_name);
  w.StringOrNullField("decision", e.decision);
  w.StringOrNullField("context", e.context);
  w.Key("placement");
  if (e.placement) {
    w.Bool(*e.placement);
  } else {
    w.Null();
  }
  w.StringOrNullField("rule", e.rule_id);
  w.StringOrNullField("reason", e.reason);
  w.StringOrNullField("legal_basis", e.legal_basis);
  w.BoolField("retracted", e.retracted);
  w.EndObject();
}

Result<Reply> ChildCase(RequestContext& ctx, const CaseRead& read) {
  const std::string id = ctx.request.matches[1];
  const uint32_t child = read.snapshot.FindChild(id);
  if (child == kNone) return NotFound(fmt::format("Barnet \"{}\" findes ikke", id));
  // The child's own unit or its current caseworker's: a caseworker opens every case on their
  // worklist, also of a child registered in a district or another team.
  if (!read.scope.SeesNamesIn(read.data().children[child].unit) &&
      !read.scope.SeesNamesIn(ChildCaseState(read.data(), child, read.dates.as_of).unit)) {
    return OutOfScope(fmt::format("sagen {}", id));
  }
  const CaseView view = BuildCaseView(read.snapshot.engine(), child, read.dates.as_of);
  // The read is recorded before anything is shown: the row is written while the answer is
  // prepared, and the answer waits for it.
  AuditQueue::Ticket read_row =
      ctx.audit.Submit({{ctx.session->user.login, ctx.client, "read_case",
                         fmt::format("child:{}", id), FormatDate(read.dates.as_of)},
                        ctx.now});
  JsonWriter w;
  // About what an event or an obligation takes as JSON.
  w.Reserve((view.events.size() + view.obligations.size() + 1) * 512);
  w.BeginObject();
  w.StringField("child", view.child_id);
  w.StringField("birth_date", FormatDate(view.birth_date));
  w.StringField("as_of", FormatDate(view.as_of));
  w.BoolField("open", view.open);
  w.StringOrNullField("opened", view.opened ? FormatDate(*view.opened) : "");
  w.StringOrNullField("closed", view.closed ? FormatDate(*view.closed) : "");
  w.StringOrNullField("worker", view.worker_id);
  w.StringOrNullField("worker_name", view.worker_name);
  w.StringField("unit", view.unit_id);
  w.StringField("unit_name", view.unit_name);
  w.Key("events");
  w.BeginArray();
  for (const CaseEventView& event : view.events) WriteCaseEvent(w, event);
  w.EndArray();
  WriteObligations(w, "obligations", view.obligations);
  w.EndObject();
  Listing listing;
  listing.json = w.Take();
  if (Exports(ctx)) {
    listing.tables.push_back(CaseEventsTable(view));
    listing.tables.push_back(ObligationsTable(view.obligations));
  }
  Result<Reply> reply = Render(ctx, read.snapshot, std::move(listing));
  if (!reply) {
    if (Status audited = read_row.Wait(); !audited) return audited.error();
    return reply;
  }
  reply->audit.insert(reply->audit.begin(), std::move(read_row));
  return reply;
}

Result<Reply> Caseloads(RequestContext& ctx, const CaseRead& read) {
  if (Status ok = NeedWorkers(read.scope); !ok) return ok.error();
  Result<uint32_t> unit = UnitParam(ctx, read.data(), read.scope);
  if (!unit) return std::move(unit).error();
  const std::string key =
      fmt::format("caseloads|{}|{}", read.data().units[*unit].id, FormatDate(read.dates.as_of));
  if (std::optional<Reply> cached = CachedJson(ctx, read.snapshot, key)) return std::move(*cached);
  Result<CaseloadReport> report =
      BuildCaseloadReport(read.snapshot.engine(), {read.dates.as_of, read.data().units[*unit].id});
  if (!report) return std::move(report).error();
  Json workers = Json::array();
  for (const WorkerCaseloadView& w : report->workers) {
    workers.push_back(Json{{"worker", w.worker_id},
                           {"name", w.worker_name},
                           {"unit", w.unit_id},
                           {"unit_name", w.unit_name},
                           {"open_cases", w.open_cases},
                           {"fte", w.fte},
                           {"cases_per_full_time", std::round(w.cases_per_full_time * 10) / 10},
                           {"level", CaseloadLevelName(w.level)},
                           {"level_name", CaseloadLevelDanish(w.level)}});
  }
  Listing listing;
  listing.json = Dump(Json{
      {"unit", report->unit_id},
      {"unit_name", report->unit_name},
      {"as_of", FormatDate(report->as_of)},
      {"band", Json{{"min_cases", report->band.min_cases}, {"max_cases", report->band.max_cases}}},
      {"open_cases", report->open_cases},
      {"unassigned", report->unassigned},
      {"fte", report->fte},
      {"workers", std::move(workers)}});
  listing.cache_key = key;
  listing.tables.push_back(CaseloadTable(*report));
  return Render(ctx, read.snapshot, std::move(listing));
}

Result<Reply> PostEvents(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("at indsende hændelser");
  Result<Dataset> incoming = [&] {
    const LiveData::Snapshot snapshot = ctx.state.Read();
    return ReadPostedRecords(ctx.request.body, snapshot.data(), ctx.read_options);
  }();
  if (!incoming) return std::move(incoming).error();
  Result<ImportSummary> summary =
      ctx.state.Import(ctx.store, *incoming, fmt::format("api:{}", ctx.session->user.login));
  if (!summary) return std::move(summary).error();
  const std::string counts =
      fmt::format("import {}: {} events added, {} unchanged", summary->import_id,
                  summary->events.added, summary->events.unchanged);
  if (Status audited = ctx.audit.Append({{ctx.session->user.login, ctx.client, "import_events",
                                          fmt::format("import:{}", summary->import_id), counts},
                                         ctx.now});
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
  const LiveData::Snapshot snapshot = ctx.state.Read();
  if (!page) return std::move(page).error();
  Table table{"Revisionsspor",
              {"Nr.", "Tidspunkt", "Bruger", "Klientadresse", "Handling", "Hvad", "Detaljer"},
              {}};
  Json entries = Json::array();
  for (const AuditEntry& entry : page->entries) {
    entries.push_back(Json{{"seq", entry.seq},
                           {"at", Cal().FormatInstant(entry.at)},
                           {"user", entry.record.user},
                           {"client", entry.record.client},
                           {"action", entry.record.action},
                           {"object", entry.record.object},
                           {"detail", entry.record.detail}});
    table.rows.push_back({entry.seq, entry.at, entry.record.user, entry.record.client,
                          entry.record.action, entry.record.object, TextCell(entry.record.detail)});
  }
  Listing listing;
  listing.tables.push_back(std::move(table));
  listing.json = Dump(Json{{"total", page->total},
                           {"page", paging->page},
                           {"page_size", paging->page_size},
                           {"entries", std::move(entries)}});
  return Render(ctx, snapshot, std::move(listing));
}

// ---- users (role admin, within the admin's unit subtree)

Json AccountJson(const User& user, const Dataset& data) {
  Json json = UserJson(user, data);
  json["disabled"] = user.disabled;
  json["created"] = Cal().FormatInstant(user.created);
  return json;
}

bool UserInScope(const User& user, const Dataset& data, const Scope& scope) {
  const uint32_t unit = data.FindUnit(user.unit_id);
  return unit != kNone && scope.SeesUnit(unit);
}

Result<Reply> Users(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("brugerne");
  Result<std::vector<User>> users = ListUsers(ctx.store);
  if (!users) return std::move(users).error();
  const LiveData::Snapshot snapshot = ctx.state.Read();
  const Scope scope(ctx.session->user, snapshot.data());
  Json list = Json::array();
  for (const User& user : *users) {
    if (UserInScope(user, snapshot.data(), scope))
      list.push_back(AccountJson(user, snapshot.data()));
  }
  return JsonReply(Json{{"users", list}});
}

// The text field `key` of a posted object: required, or empty when missing or null.
Result<std::string> TextField(const Json& body, const char* key, bool required) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) {
    if (required) return InvalidArgument(fmt::format("the body has no \"{}\"", key));
    return std::string();
  }
  if (!found->is_string()) return InvalidArgument(fmt::format("\"{}\" must be text", key));
  return found->get<std::string>();
}

// A new user, as `tilsyn user add` takes it: with a role, a unit and optionally the caseworker the
// user is, all inside the admin's subtree.
Result<Reply> CreateUser(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("at oprette brugere");
  const Json body = Json::parse(ctx.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgument(
        "the body must be {\"login\", \"name\", \"role\", \"unit\", \"worker\", \"password\"}");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "login" && key != "name" && key != "role" && key != "unit" && key != "worker" &&
        key != "password") {
      return InvalidArgument(fmt::format("unknown field \"{}\"", key));
    }
  }
  NewUser user;
  std::string role;
  for (const auto& [key, out, required] :
       {std::tuple<const char*, std::string*, bool>{"login", &user.login, true},
        {"name", &user.name, false},
        {"role", &role, true},
        {"unit", &user.unit_id, true},
        {"worker", &user.worker_id, false},
        {"password", &user.password, true}}) {
    Result<std::string> text = TextField(body, key, required);
    if (!text) return std::move(text).error();
    *out = std::move(*text);
  }
  const std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return InvalidArgument(
        fmt::format("role {}: use worker, leader, head, committee, reviewer or admin", role));
  }
  user.role = *parsed;
  if (user.name.empty()) user.name = user.login;
  {
    const LiveData::Snapshot snapshot = ctx.state.Read();
    const Dataset& data = snapshot.data();
    const Scope scope(ctx.session->user, data);
    const uint32_t unit = data.FindUnit(user.unit_id);
    if (unit == kNone) return NotFound(fmt::format("Enheden \"{}\" findes ikke", user.unit_id));
    if (!scope.SeesUnit(unit)) return OutOfScope(fmt::format("enheden {}", user.unit_id));
    if (!user.worker_id.empty()) {
      const uint32_t worker = data.FindWorker(user.worker_id);
      if (worker == kNone) {
        return NotFound(fmt::format("Rådgiveren \"{}\" findes ikke", user.worker_id));
      }
      if (!scope.SeesUnit(data.workers[worker].unit)) {
        return OutOfScope(fmt::format("rådgiveren {}", user.worker_id));
      }
    }
  }
  Result<User> added = AddUser(ctx.store, user, ctx.now);
  if (!added) return std::move(added).error();
  if (Status audited = ctx.audit.Append(
          {{ctx.session->user.login, ctx.client, "create_user",
            fmt::format("user:{}", added->login),
            fmt::format("role {}, unit {}", RoleName(added->role), added->unit_id)},
           ctx.now});
      !audited) {
    return audited.error();
  }
  const LiveData::Snapshot snapshot = ctx.state.Read();
  return JsonReply(AccountJson(*added, snapshot.data()), 201);
}

Result<Reply> DisableUserHandler(RequestContext& ctx) {
  if (ctx.session->user.role != Role::kAdmin) return OutOfScope("at spærre brugere");
  const std::string login = ctx.request.matches[1];
  Result<std::optional<User>> found = FindUser(ctx.store, login);
  if (!found) return std::move(found).error();
  if (!*found) return NotFound(fmt::format("Brugeren \"{}\" findes ikke", login));
  {
    const LiveData::Snapshot snapshot = ctx.state.Read();
    if (!UserInScope(**found, snapshot.data(), Scope(ctx.session->user, snapshot.data()))) {
      return OutOfScope(fmt::format("brugeren {}", login));
    }
  }
  // An admin who shut themselves out could not undo it.
  if (login == ctx.session->user.login) return InvalidArgument("Du kan ikke spærre dig selv");
  if (Status disabled = DisableUser(ctx.store, login); !disabled) return disabled.error();
  if (Status audited = ctx.audit.Append(
          {{ctx.session->user.login, ctx.client, "disable_user", fmt::format("user:{}", login), ""},
           ctx.now});
      !audited) {
    return audited.error();
  }
  User user = std::move(**found);
  user.disabled = true;
  const LiveData::Snapshot snapshot = ctx.state.Read();
  return JsonReply(AccountJson(user, snapshot.data()));
}

// ---- the calendar feed of the signed-in user's caseworker

// Only a worklist's owner has deadlines to subscribe to.
Status NeedWorklist(const User& user) {
  if (user.role != Role::kWorker && user.role != Role::kLeader) {
    return OutOfScope("en kalender: kun rådgivere og ledere har en arbejdsliste");
  }
  if (user.worker_id.empty()) {
    return FailedPrecondition(
        "Din bruger er ikke knyttet til en rådgiver, så der er ingen frister");
  }
  return {};
}

Result<Reply> MyCalendar(RequestContext& ctx) {
  Result<std::optional<Instant>> created = CalendarFeedCreated(ctx.store, ctx.session->user.id);
  if (!created) return std::move(created).error();
  return JsonReply(
      Json{{"exists", created->has_value()},
           {"created", *created ? Json(Cal().FormatInstant(**created)) : Json(nullptr)}});
}

Result<Reply> CreateMyCalendar(RequestContext& ctx) {
  if (Status ok = NeedWorklist(ctx.session->user); !ok) return ok.error();
  Result<std::string> token = CreateCalendarFeed(ctx.store, ctx.session->user.id, ctx.now);
  if (!token) return std::move(token).error();
  if (Status audited =
          ctx.audit.Append({{ctx.session->user.login, ctx.client, "create_calendar_feed",
                             fmt::format("worker:{}", ctx.session->user.worker_id), ""},
                            ctx.now});
      !audited) {
    return audited.error();
  }
  // The token is shown this once; the store keeps only its hash.
  const std::string path = fmt::format("/calendar/{}.ics", *token);
  const std::string host = ctx.request.get_header_value("Host");
  return JsonReply(
      Json{{"url", fmt::format("{}://{}{}", ctx.config.behind_tls ? "https" : "http", host, path)},
           {"path", path}},
      201);
}

Result<Reply> RevokeMyCalendar(RequestContext& ctx) {
  if (Status revoked = RevokeCalendarFeed(ctx.store, ctx.session->user.id); !revoked) {
    return revoked.error();
  }
  if (Status audited =
          ctx.audit.Append({{ctx.session->user.login, ctx.client, "revoke_calendar_feed",
                             fmt::format("worker:{}", ctx.session->user.worker_id), ""},
                            ctx.now});
      !audited) {
    return audited.error();
  }
  Reply reply;
  reply.status = 204;
  reply.content_type.clear();
  return reply;
}

// GET /calendar/<token>.ics: no session; the token is the credential. It reads the names of the
// caseworker's children and their next steps, so each fetch is audited.
Result<Reply> CalendarFeed(RequestContext& ctx) {
  const Error unknown = NotFound("Kalenderen findes ikke (eller er tilbagekaldt)");
  Result<std::optional<User>> found = FindCalendarFeedUser(ctx.store, ctx.request.matches[1].str());
  if (!found) return std::move(found).error();
  if (!*found || (*found)->disabled || !NeedWorklist(**found)) return unknown;
  const User& user = **found;
  if (Status caught_up = ctx.state.CatchUp(ctx.store); !caught_up) return caught_up.error();
  const LiveData::Snapshot snapshot = ctx.state.Read();
  const uint32_t worker = snapshot.data().FindWorker(user.worker_id);
  if (worker == kNone) return unknown;
  if (!Scope(user, snapshot.data()).SeesNamesIn(snapshot.data().workers[worker].unit)) {
    return OutOfScope(fmt::format("arbejdslisten for {}", user.worker_id));
  }
  WorklistRequest request;
  request.as_of = Cal().LocalDate(ctx.now);
  request.worker_id = user.worker_id;
  const auto evaluation = snapshot.EvaluationAsOf(request.as_of);
  Result<Worklist> worklist =
      BuildWorklist(snapshot.engine(), evaluation->OfWorkersChildren(worker), request);
  if (!worklist) return std::move(worklist).error();
  if (Status audited = ctx.audit.Append(
          {{user.login, ctx.client, "calendar_feed", fmt::format("worker:{}", user.worker_id),
            fmt::format("{} frister as of {}", worklist->items.size(), FormatDate(request.as_of))},
           ctx.now});
      !audited) {
    return audited.error();
  }
  Reply reply;
  reply.body = RenderICalendar(*worklist, Cal(), ctx.now);
  reply.content_type = "text/calendar; charset=utf-8";
  return reply;
}

}  // namespace

std::string ErrorBody(const Error& error) {
  return Dump(Json{{"error", {{"code", ErrorCodeName(error.code)}, {"message", error.message}}}});
}

std::vector<Route> ApiRoutes() {
  return {
      {"GET", "/healthz", Access::kPublic, Health},
      {"GET", "/api/openapi.json", Access::kPublic, OpenApi},
      {"POST", "/api/login", Access::kPublic, LoginHandler},
      {"POST", "/api/logout", Access::kSignedInChange, LogoutHandler},
      {"GET", "/api/me", Access::kSignedIn, Me},
      {"GET", "/api/rules", Access::kSignedIn, Rules},
      {"GET", "/api/units", Access::kSignedIn, WithCases(Units)},
      {"GET", "/api/units/([^/]+)/workers", Access::kSignedIn, WithCases(UnitWorkers)},
      {"GET", "/api/rates", Access::kSignedIn, WithCases(Rates)},
      {"GET", "/api/rates/quarterly", Access::kSignedIn, WithCases(Quarterly)},
      {"GET", "/api/obligations", Access::kSignedIn, WithCases(Obligations)},
      {"GET", "/api/workers/([^/]+)/worklist", Access::kSignedIn, WithCases(WorkerWorklist)},
      {"GET", "/api/children/([^/]+)", Access::kSignedIn, WithCases(ChildCase)},
      {"GET", "/api/caseloads", Access::kSignedIn, WithCases(Caseloads)},
      {"POST", "/api/events", Access::kSignedInChange, PostEvents},
      {"GET", "/api/audit", Access::kSignedIn, Audit},
      {"GET", "/api/users", Access::kSignedIn, Users},
      {"POST", "/api/users", Access::kSignedInChange, CreateUser},
      {"POST", "/api/users/([^/]+)/disable", Access::kSignedInChange, DisableUserHandler},
      {"GET", "/api/me/calendar", Access::kSignedIn, MyCalendar},
      {"POST", "/api/me/calendar", Access::kSignedInChange, CreateMyCalendar},
      {"DELETE", "/api/me/calendar", Access::kSignedInChange, RevokeMyCalendar},
      {"GET", "/calendar/([^/]+)\\.ics", Access::kPublic, CalendarFeed},
  };
}

}  // namespace tilsyn::server
