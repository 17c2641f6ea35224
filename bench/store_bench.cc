// Storage speed on a synthetic municipality: import from CSV (read, validate, write in one
// transaction) into SQLite and into PostgreSQL, in events per second; and the start-up cost of
// loading the engine's in-memory index from the store, for about a million events.
// PostgreSQL is measured when TILSYN_BENCH_POSTGRES names a server (postgresql://…) whose
// database may be emptied; otherwise those benchmarks report an error and are skipped.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "ingest/interchange_reader.h"
#include "service/data_source.h"
#include "store/store.h"
#include "support/synthetic.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

// A synthetic data set written once per size; about 13 events per child.
const fs::path& DatasetFor(int children) {
  return testing_support::BenchmarkDataset("store-bench", children);
}

const char* PostgresUrl() {
  const char* url = std::getenv("TILSYN_BENCH_POSTGRES");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// An empty database of the named engine.
Result<std::unique_ptr<Store>> EmptyStore(std::string_view engine) {
  if (engine == "sqlite") {
    const fs::path path = fs::temp_directory_path() / "tilsyn-store-bench.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
    return OpenSqliteStore(path.string());
  }
  const char* url = PostgresUrl();
  if (url == nullptr) return FailedPrecondition("TILSYN_BENCH_POSTGRES is not set");
  PGconn* connection = PQconnectdb(url);
  PGresult* result = PQexec(connection, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  PQfinish(connection);
  if (!ok) return FailedPrecondition("cannot empty the benchmark database");
  return OpenPostgresStore(url);
}

void ImportCsv(benchmark::State& state, std::string_view engine) {
  const fs::path& dir = DatasetFor(static_cast<int>(state.range(0)));
  size_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Result<std::unique_ptr<Store>> store = EmptyStore(engine);
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    state.ResumeTiming();
    Result<ImportSummary> summary = ImportDirectory(**store, dir, {}, nullptr);
    if (!summary) {
      state.SkipWithError(summary.error().message.c_str());
      return;
    }
    events = summary->events.added;
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

// The import's first phase alone: reading and validating the files into a data set.
void BM_ReadCsv(benchmark::State& state) {
  const fs::path& dir = DatasetFor(static_cast<int>(state.range(0)));
  size_t events = 0;
  for (auto _ : state) {
    Result<Dataset> data = ReadInterchangeDirectory(dir, {});
    if (!data) {
      state.SkipWithError(data.error().message.c_str());
      return;
    }
    events = data->events.size();
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_ImportCsvSqlite(benchmark::State& state) { ImportCsv(state, "sqlite"); }
void BM_ImportCsvPostgres(benchmark::State& state) { ImportCsv(state, "postgresql"); }

void LoadIndex(benchmark::State& state, std::string_view engine) {
  const fs::path& dir = DatasetFor(static_cast<int>(state.range(0)));
  Result<std::unique_ptr<Store>> store = EmptyStore(engine);
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  if (!ImportDirectory(**store, dir, {}, nullptr)) {
    state.SkipWithError("import failed");
    return;
  }
  size_t events = 0;
  for (auto _ : state) {
    Result<Dataset> data = (*store)->Load();
    if (!data) {
      state.SkipWithError(data.error().message.c_str());
      return;
    }
    events = data->events.size();
    benchmark::DoNotOptimize(data->events.data());
  }
  state.counters["events"] = static_cast<double>(events);
}

void BM_LoadIndexSqlite(benchmark::State& state) { LoadIndex(state, "sqlite"); }
void BM_LoadIndexPostgres(benchmark::State& state) { LoadIndex(state, "postgresql"); }

// 77,000 children: about a million events.
BENCHMARK(BM_ReadCsv)->Arg(77000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportCsvSqlite)->Arg(77000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportCsvPostgres)->Arg(77000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadIndexSqlite)->Arg(77000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadIndexPostgres)->Arg(77000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tilsyn

BENCHMARK_MAIN();
