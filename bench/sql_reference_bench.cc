// The engine against its performance peer, the SQL reference (tests/sql_reference/): the figures
// of `tilsyn check` (every rule's obligations counted by status over a year) for a synthetic
// municipality of about a million events, by the engine (RunCheck on the loaded data) and by the
// SQL inside SQLite and inside PostgreSQL, on the same data. PostgreSQL is measured when
// TILSYN_BENCH_POSTGRES names a server (postgresql://…) whose database may be emptied; otherwise
// that benchmark reports an error and is skipped. Loading and importing are not measured here
// (store_bench measures them).
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "service/check.h"
#include "service/data_source.h"
#include "store/sql_reference.h"
#include "store/store.h"
#include "support/synthetic.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

const Date kAsOf = DateFromYmd(2025, 6, 30);

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(DefaultRulesDirectory()).value();
  return catalogue;
}

// A synthetic data set written once per size; about 13 events per child.
const fs::path& DatasetFor(int children) {
  return testing_support::BenchmarkDataset("sql-reference-bench", children);
}

const char* PostgresUrl() {
  const char* url = std::getenv("TILSYN_BENCH_POSTGRES");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

fs::path SqlitePath(int children) {
  return fs::temp_directory_path() /
         ("tilsyn-sql-reference-bench-" + std::to_string(children) + ".db");
}

// Runs `sql` on the benchmark's PostgreSQL database; false when it fails.
bool ExecutePostgres(const char* url, const char* sql) {
  PGconn* connection = PQconnectdb(url);
  PGresult* result = PQexec(connection, sql);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  PQfinish(connection);
  return ok;
}

// Table statistics, as a database keeps them after a bulk load (autovacuum, or an ANALYZE in the
// load job): PostgreSQL plans the SQL from them, and without them its first run after the import
// is many times slower than the rest.
Status Analyze(std::string_view engine, int children) {
  if (engine == "sqlite") {
    sqlite3* db = nullptr;
    const bool ok = sqlite3_open(SqlitePath(children).c_str(), &db) == SQLITE_OK &&
                    sqlite3_exec(db, "ANALYZE", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    if (!ok) return Internal("ANALYZE failed on the SQLite benchmark database");
    return {};
  }
  if (!ExecutePostgres(PostgresUrl(), "ANALYZE")) {
    return Internal("ANALYZE failed on the PostgreSQL benchmark database");
  }
  return {};
}

// A store of the named engine holding the data set for `children`, imported (and analysed) once
// per run.
Result<Store*> StoreFor(std::string_view engine, int children) {
  static std::map<std::pair<std::string, int>, std::unique_ptr<Store>> stores;
  std::unique_ptr<Store>& slot = stores[{std::string(engine), children}];
  if (slot) return slot.get();
  Result<std::unique_ptr<Store>> store = FailedPrecondition("no store");
  if (engine == "sqlite") {
    const fs::path path = SqlitePath(children);
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
    store = OpenSqliteStore(path.string());
  } else {
    const char* url = PostgresUrl();
    if (url == nullptr) return FailedPrecondition("TILSYN_BENCH_POSTGRES is not set");
    if (!ExecutePostgres(url,
                         "SET client_min_messages = warning; DROP SCHEMA public CASCADE; "
                         "CREATE SCHEMA public")) {
      return FailedPrecondition("cannot empty the benchmark database");
    }
    store = OpenPostgresStore(url);
  }
  if (!store) return store.error();
  if (Result<ImportSummary> imported = ImportDirectory(**store, DatasetFor(children), {}, nullptr);
      !imported) {
    return imported.error();
  }
  if (Status analyzed = Analyze(engine, children); !analyzed) return analyzed.error();
  slot = std::move(*store);
  return slot.get();
}

void SqlReference(benchmark::State& state, std::string_view engine) {
  const int children = static_cast<int>(state.range(0));
  Result<Store*> store = StoreFor(engine, children);
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  int64_t obligations = 0;
  for (auto _ : state) {
    Result<SqlReferenceResult> result =
        RunSqlReference(**store, TheCatalogue(), kAsOf, DefaultPeriod(kAsOf));
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
    obligations = 0;
    for (const StatusCounts& counts : result->rates) {
      for (const int64_t count : counts.count) obligations += count;
    }
  }
  state.counters["obligations_counted"] = static_cast<double>(obligations);
}

void BM_SqlReferenceSqlite(benchmark::State& state) { SqlReference(state, "sqlite"); }
void BM_SqlReferencePostgres(benchmark::State& state) { SqlReference(state, "postgresql"); }

// RunCheck on the data as the store loads it, with `threads` threads (0: all cores).
void BM_EngineRunCheck(benchmark::State& state) {
  const int children = static_cast<int>(state.range(0));
  static std::map<int, Dataset> loaded;
  if (!loaded.contains(children)) {
    Result<Store*> store = StoreFor("sqlite", children);
    Result<Dataset> data = store ? (*store)->Load() : Result<Dataset>(store.error());
    if (!data) {
      state.SkipWithError(data.error().message.c_str());
      return;
    }
    loaded.emplace(children, std::move(*data));
  }
  const Dataset& data = loaded.at(children);
  const Engine engine(data, TheCatalogue(), Calendar::Danish());
  const CheckOptions options{kAsOf, DefaultPeriod(kAsOf), static_cast<unsigned>(state.range(1))};
  int64_t obligations = 0;
  for (auto _ : state) {
    const CheckReport report = RunCheck(engine, options);
    obligations = 0;
    for (const StatusCounts& counts : report.rates) {
      for (const int64_t count : counts.count) obligations += count;
    }
    benchmark::DoNotOptimize(report.rates.data());
  }
  state.counters["events"] = static_cast<double>(data.events.size());
  state.counters["obligations_counted"] = static_cast<double>(obligations);
}

// 77,000 children: about a million events.
BENCHMARK(BM_EngineRunCheck)
    ->Args({77000, 1})
    ->Args({77000, 0})
    ->ArgNames({"children", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SqlReferenceSqlite)
    ->Arg(77000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SqlReferencePostgres)
    ->Arg(77000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace tilsyn

BENCHMARK_MAIN();
