// The engine against the SQL reference (tests/sql_reference/*.sql, see README.md): on SQLite and on
// the real PostgreSQL server of the ctest fixture, for every data set below at several as-of dates
// and periods, both must derive the same figures per rule and status and the same obligations.

#include "store/sql_reference.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "service/check.h"
#include "sql_reference/irregular_data.h"
#include "store/records.h"
#include "support/synthetic.h"
#include "support/test_store.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using testing_support::TestDatabase;

constexpr std::string_view kKey = "a test key of thirty-two bytes!!";

// A data set to compare on: a directory in the interchange format, used as it is, or made by
// `write` in a fresh directory. To compare on another data set (a municipality from `tilsyn
// generate`, say), add it to DataSets().
struct DataSet {
  std::string name;
  fs::path dir;
  std::function<Status(const fs::path&)> write;
};

Catalogue TheCatalogue() {
  Result<Catalogue> catalogue = LoadCatalogue(DefaultRulesDirectory());
  EXPECT_TRUE(catalogue) << catalogue.error().message;
  return catalogue ? std::move(*catalogue) : Catalogue{};
}

// For gtest's messages: the data set's name.
void PrintTo(const DataSet& data_set, std::ostream* out) { *out << data_set.name; }

std::vector<DataSet> DataSets() {
  std::vector<DataSet> sets = {
      {"kommune", fs::path(TILSYN_SOURCE_DIR) / "examples" / "kommune", {}}};
  for (const uint64_t seed : {1, 2, 3}) {
    sets.push_back({fmt::format("synthetic_seed_{}", seed), {}, [seed](const fs::path& dir) {
                      return testing_support::WriteSyntheticDataset(
                          dir, testing_support::Synthetic(300, seed));
                    }});
  }
  for (const uint64_t seed : {1, 2, 3}) {
    sets.push_back({fmt::format("irregular_seed_{}", seed), {}, [seed](const fs::path& dir) {
                      return testing_support::WriteIrregularDataset(dir, 300, seed,
                                                                    TheCatalogue().RuleIds());
                    }});
  }
  return sets;
}

// The as-of dates and periods every data set is compared at: the default year up to the end of
// the data, a half year across 2024-01-01 (Serviceloven → Barnets Lov) and both DST changes with
// the as-of date on the spring change, a period reaching past an as-of date on the autumn change,
// an early year, and a date after the last event.
struct Evaluation {
  Date as_of;
  Period period;
};
const std::vector<Evaluation>& Evaluations() {
  static const std::vector<Evaluation> evaluations = {
      {DateFromYmd(2025, 6, 30), DefaultPeriod(DateFromYmd(2025, 6, 30))},
      {DateFromYmd(2024, 3, 31), {DateFromYmd(2023, 10, 1), DateFromYmd(2024, 3, 31)}},
      {DateFromYmd(2023, 10, 29), {DateFromYmd(2023, 1, 1), DateFromYmd(2023, 12, 31)}},
      {DateFromYmd(2022, 12, 31), {DateFromYmd(2022, 1, 1), DateFromYmd(2022, 12, 31)}},
      {DateFromYmd(2026, 3, 1), {DateFromYmd(2025, 3, 30), DateFromYmd(2026, 3, 1)}},
  };
  return evaluations;
}

std::string Describe(const StatusCounts& counts) {
  std::string text;
  for (int s = 0; s < kObligationStatusCount; ++s) {
    const auto status = static_cast<ObligationStatus>(s);
    text += fmt::format("{} {}, ", ObligationStatusName(status), counts.Of(status));
  }
  return text + fmt::format("time_assumed {}", counts.time_assumed);
}

std::string Line(std::string_view rule, std::string_view child, std::string_view trigger,
                 Instant due, ObligationStatus status, std::string_view fulfilled_by,
                 std::string_view worker, std::string_view unit, bool time_assumed) {
  return fmt::format("{} {} {} due {} {} by {} worker {} unit {}{}", rule, child, trigger,
                     Calendar::Danish().FormatInstant(due), ObligationStatusName(status),
                     fulfilled_by.empty() ? "-" : fulfilled_by, worker.empty() ? "-" : worker, unit,
                     time_assumed ? " time_assumed" : "");
}

std::vector<std::string> EngineLines(const CheckReport& report, const Engine& engine) {
  const Dataset& data = engine.data();
  std::vector<std::string> lines;
  for (const Obligation& o : report.obligations) {
    const auto id_of = [&](uint32_t event) {
      return event == kNone ? std::string_view() : data.event_ids.Text(data.events[event].id);
    };
    lines.push_back(Line(engine.catalogue().rules[o.rule].id, data.children[o.child].id,
                         id_of(o.trigger), o.due, o.status, id_of(o.fulfilled_by),
                         o.worker == kNone ? std::string_view() : data.workers[o.worker].id,
                         data.units[o.unit].id, o.time_assumed));
  }
  return lines;
}

std::vector<std::string> SqlLines(const SqlReferenceResult& result) {
  std::vector<std::string> lines;
  for (const SqlReferenceObligation& o : result.obligations) {
    lines.push_back(Line(o.rule, o.child, o.trigger, o.due, o.status, o.fulfilled_by, o.worker,
                         o.unit, o.time_assumed));
  }
  return lines;
}

// The lines of `a` that `b` lacks (both sorted the same way, not by text), at most `limit`.
std::string Missing(std::vector<std::string> a, std::vector<std::string> b, size_t limit) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> only;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only));
  std::string text = fmt::format("{} lines", only.size());
  for (size_t i = 0; i < only.size() && i < limit; ++i) text += "\n  " + only[i];
  return text;
}

Result<Dataset> ReadKeyed(const fs::path& dir) {
  ReadOptions keyed;
  keyed.cpr_key = std::string(kKey);
  return ReadInterchangeDirectory(dir, keyed);
}

// Stores `data` in a fresh database of `engine_name` and compares the engine's check of what the
// store holds with the SQL reference's at each of `evaluations`; adds the engine's figures to
// `seen` ([rule]).
void Compare(std::string_view engine_name, const std::string& name, const Dataset& data,
             const std::vector<Evaluation>& evaluations, const Catalogue& catalogue,
             std::vector<StatusCounts>& seen) {
  Result<TestDatabase> database =
      TestDatabase::Create(engine_name, fmt::format("sql_reference_{}", name));
  ASSERT_TRUE(database) << database.error().message;
  Result<std::unique_ptr<Store>> store = database->Open();
  ASSERT_TRUE(store) << store.error().message;
  ImportOptions options;
  options.source = name;
  Result<ImportSummary> imported = (*store)->Import(data, options);
  ASSERT_TRUE(imported) << imported.error().message;
  Result<Dataset> stored = (*store)->Load();
  ASSERT_TRUE(stored) << stored.error().message;
  const Engine engine(*stored, catalogue, Calendar::Danish());

  for (const Evaluation& evaluation : evaluations) {
    SCOPED_TRACE(fmt::format("as of {}, period {} to {}", FormatDate(evaluation.as_of),
                             FormatDate(evaluation.period.from), FormatDate(evaluation.period.to)));
    const CheckReport report = RunCheck(engine, {evaluation.as_of, evaluation.period, 0});
    Result<SqlReferenceResult> sql =
        RunSqlReference(**store, catalogue, evaluation.as_of, evaluation.period, true);
    ASSERT_TRUE(sql) << sql.error().message;
    for (size_t rule = 0; rule < catalogue.rules.size(); ++rule) {
      EXPECT_EQ(Describe(report.rates[rule]), Describe(sql->rates[rule]))
          << catalogue.rules[rule].id << " (engine, then SQL)";
      seen[rule] += report.rates[rule];
    }
    const std::vector<std::string> engine_lines = EngineLines(report, engine);
    const std::vector<std::string> sql_lines = SqlLines(*sql);
    EXPECT_TRUE(engine_lines == sql_lines)
        << "only the engine's: " << Missing(engine_lines, sql_lines, 20)
        << "\nonly the SQL's: " << Missing(sql_lines, engine_lines, 20);
  }
}

class SqlReferenceTest : public ::testing::TestWithParam<std::tuple<std::string_view, DataSet>> {};

TEST_P(SqlReferenceTest, EngineAndSqlDeriveTheSameFiguresAndObligations) {
  const auto& [engine_name, data_set] = GetParam();
  fs::path dir = data_set.dir;
  if (data_set.write) {
    dir = fs::temp_directory_path() /
          fmt::format("tilsyn-sql-reference-{}-{}", engine_name, data_set.name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    ASSERT_TRUE(data_set.write(dir)) << dir;
  }
  Result<Dataset> data = ReadKeyed(dir);
  ASSERT_TRUE(data) << data.error().message;
  const Catalogue catalogue = TheCatalogue();
  std::vector<StatusCounts> seen(catalogue.rules.size());
  Compare(engine_name, data_set.name, *data, Evaluations(), catalogue, seen);
  if (HasFatalFailure()) return;
  // The comparison means something only where the data gives every rule obligations to count.
  for (size_t rule = 0; rule < catalogue.rules.size(); ++rule) {
    EXPECT_GT(seen[rule].Denominator() + seen[rule].Of(ObligationStatus::kOpen), 0)
        << catalogue.rules[rule].id;
  }
}

INSTANTIATE_TEST_SUITE_P(DataSets, SqlReferenceTest,
                         ::testing::Combine(::testing::Values(testing_support::kSqlite,
                                                              testing_support::kPostgres),
                                            ::testing::ValuesIn(DataSets())),
                         [](const auto& param_info) {
                           return fmt::format("{}_{}", std::get<0>(param_info.param),
                                              std::get<1>(param_info.param).name);
                         });

// A catalogue with the municipality's own settings changed: a shorter feedback standard and
// follow-up intervals for some measure types (Barnets Lov § 95), in a copy of rules/.
Result<Catalogue> CatalogueWithLocalSettings(const fs::path& copy) {
  fs::remove_all(copy);
  fs::copy(DefaultRulesDirectory(), copy, fs::copy_options::recursive);
  const auto replace = [](const fs::path& file, const std::string& from, const std::string& to) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find(from);
    if (at == std::string::npos) return false;
    text.replace(at, from.size(), to);
    std::ofstream(file) << text;
    return true;
  };
  if (!replace(copy / "local_standards.toml", "professional_feedback_months = 3",
               "professional_feedback_months = 1") ||
      !replace(copy / "service_catalogue.toml", "code = \"foster_care\"",
               "code = \"foster_care\"\nfollow_up_months = 3") ||
      !replace(copy / "service_catalogue.toml", "code = \"contact_person\"",
               "code = \"contact_person\"\nfollow_up_months = 4")) {
    return Internal("rules/ no longer has the settings this test changes");
  }
  return LoadCatalogue(copy);
}

class SqlReferenceSettingsTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(SqlReferenceSettingsTest, EngineAndSqlFollowTheMunicipalitysOwnSettings) {
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("tilsyn-sql-reference-settings-{}", GetParam());
  fs::remove_all(dir);
  ASSERT_TRUE(
      testing_support::WriteIrregularDataset(dir / "data", 300, 11, TheCatalogue().RuleIds()));
  Result<Catalogue> catalogue = CatalogueWithLocalSettings(dir / "rules");
  ASSERT_TRUE(catalogue) << catalogue.error().message;
  Result<Dataset> data = ReadKeyed(dir / "data");
  ASSERT_TRUE(data) << data.error().message;
  std::vector<StatusCounts> seen(catalogue->rules.size());
  Compare(GetParam(), "settings", *data, Evaluations(), *catalogue, seen);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlReferenceSettingsTest,
                         ::testing::Values(testing_support::kSqlite, testing_support::kPostgres),
                         [](const auto& param_info) { return std::string(param_info.param); });

// A rule the SQL does not implement (a municipality's own, say) would silently count nothing.
TEST(SqlReference, RefusesACatalogueWithARuleItDoesNotImplement) {
  Result<TestDatabase> database = TestDatabase::Create(testing_support::kSqlite, "sql_reference");
  ASSERT_TRUE(database) << database.error().message;
  Result<std::unique_ptr<Store>> store = database->Open();
  ASSERT_TRUE(store) << store.error().message;
  Catalogue catalogue = TheCatalogue();
  Rule local = catalogue.rules.front();
  local.id = "local_home_visit_monthly";
  catalogue.rules.push_back(local);
  const Date as_of = DateFromYmd(2025, 6, 30);
  Result<SqlReferenceResult> result =
      RunSqlReference(**store, catalogue, as_of, DefaultPeriod(as_of));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(result.error().message.find("local_home_visit_monthly"), std::string::npos)
      << result.error().message;
}

// The hand-worked scenarios (tests/scenarios/*) as one data set, each scenario's ids prefixed with
// its number ("S7-C1"), and their as-of dates.
struct Scenarios {
  Dataset data;
  std::vector<Date> as_of_dates;
};

Result<Scenarios> MergedScenarios() {
  const fs::path root = fs::path(TILSYN_SOURCE_DIR) / "tests" / "scenarios";
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (fs::exists(entry.path() / "expected.toml")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  Scenarios scenarios;
  std::vector<Dataset> parts;
  for (const fs::path& dir : dirs) {
    const toml::table expected = toml::parse_file((dir / "expected.toml").string());
    Result<Date> as_of = ParseDate(expected["as_of"].value<std::string>().value_or(""));
    if (!as_of) return as_of.error();
    scenarios.as_of_dates.push_back(*as_of);
    Result<Dataset> part = ReadKeyed(dir);
    if (!part) return part.error();
    parts.push_back(std::move(*part));
  }
  std::sort(scenarios.as_of_dates.begin(), scenarios.as_of_dates.end());
  scenarios.as_of_dates.erase(
      std::unique(scenarios.as_of_dates.begin(), scenarios.as_of_dates.end()),
      scenarios.as_of_dates.end());

  DatasetLoader loader(true);
  std::deque<std::string> ids;  // the prefixed ids, alive until Finish
  const auto prefixed = [&](size_t part, std::string_view id) -> std::string_view {
    return id.empty() ? id : ids.emplace_back(fmt::format("S{}-{}", part + 1, id));
  };
  for (size_t p = 0; p < parts.size(); ++p) {
    for (uint32_t u = 0; u < parts[p].units.size(); ++u) {
      UnitRow row = MakeUnitRow(parts[p], u);
      row.unit_id = prefixed(p, row.unit_id);
      row.parent_id = prefixed(p, row.parent_id);
      if (Status status = loader.AddUnit(row); !status) return status.error();
    }
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    for (uint32_t w = 0; w < parts[p].workers.size(); ++w) {
      WorkerRow row = MakeWorkerRow(parts[p], w);
      row.worker_id = prefixed(p, row.worker_id);
      row.unit_id = prefixed(p, row.unit_id);
      if (Status status = loader.AddWorker(row); !status) return status.error();
    }
    for (uint32_t c = 0; c < parts[p].children.size(); ++c) {
      ChildRow row = MakeChildRow(parts[p], c);
      row.child_id = prefixed(p, row.child_id);
      row.unit_id = prefixed(p, row.unit_id);
      if (Status status = loader.AddChild(row); !status) return status.error();
    }
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    for (uint32_t e = 0; e < parts[p].events.size(); ++e) {
      EventRow row = MakeEventRow(parts[p], e);
      for (std::string_view* id :
           {&row.event_id, &row.child_id, &row.worker_id, &row.ref, &row.measure_id}) {
        *id = prefixed(p, *id);
      }
      if (Status status = loader.AddEvent(row); !status) return status.error();
    }
  }
  Result<Dataset> merged = loader.Finish();
  if (!merged) return merged.error();
  scenarios.data = std::move(*merged);
  return scenarios;
}

// The scenarios hold the edge cases of every rule. All of them are compared at every scenario's
// as-of date and at the dates above, counting every obligation whatever its due date.
class SqlReferenceScenarioTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(SqlReferenceScenarioTest, EngineAndSqlAgreeOnEveryScenario) {
  Result<Scenarios> scenarios = MergedScenarios();
  ASSERT_TRUE(scenarios) << scenarios.error().message;
  ASSERT_GT(scenarios->as_of_dates.size(), 1u);
  const Period every_due_date{DateFromYmd(2000, 1, 1), DateFromYmd(2040, 12, 31)};
  std::vector<Evaluation> evaluations = Evaluations();
  for (const Date as_of : scenarios->as_of_dates) evaluations.push_back({as_of, every_due_date});
  const Catalogue catalogue = TheCatalogue();
  std::vector<StatusCounts> seen(catalogue.rules.size());
  Compare(GetParam(), "scenarios", scenarios->data, evaluations, catalogue, seen);
  if (HasFatalFailure()) return;
  for (size_t rule = 0; rule < catalogue.rules.size(); ++rule) {
    EXPECT_GT(seen[rule].Denominator() + seen[rule].Of(ObligationStatus::kOpen), 0)
        << catalogue.rules[rule].id;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlReferenceScenarioTest,
                         ::testing::Values(testing_support::kSqlite, testing_support::kPostgres),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace tilsyn
