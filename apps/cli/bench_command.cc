// tilsyn bench: the performance figures of issue 4 measured in one run on one generated data set —
// generate, import into SQLite (and PostgreSQL), load the engine's index, recompute every
// obligation and rate, take one new event, and the same rates through the SQL reference — with
// the ratios engine ÷ SQL from that same run.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/cli/commands.h"
#include "apps/cli/progress.h"
#include "rules/compliance.h"
#include "service/check.h"
#include "service/data_source.h"
#include "simulate/generate.h"
#include "store/sql_reference.h"

namespace tilsyn::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct BenchArgs {
  int municipalities = 98;
  int64_t children = 0;  // 0: the simulation's own sizes
  int years = 10;
  uint64_t seed = 1;
  int runs = 5;
  int new_events = 1000;
  std::string work_dir = "tilsyn-bench";
  std::string postgres_url;
  bool skip_sqlite_reference = false;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
  return values[index];
}

double PeakResidentMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

// Whether the SQL reference's counts are exactly the engine's, rule by rule and status by status.
bool SameCounts(const std::vector<StatusCounts>& a, const std::vector<StatusCounts>& b) {
  if (a.size() != b.size()) return false;
  for (size_t rule = 0; rule < a.size(); ++rule) {
    if (a[rule].count != b[rule].count || a[rule].time_assumed != b[rule].time_assumed) {
      return false;
    }
  }
  return true;
}

// Imports the data set into `store` with a progress bar; the seconds it took.
// The import as `tilsyn import` makes it into `target` (for SQLite, a file that does not exist
// yet).
Result<double> TimeImport(const DataSource& target, const fs::path& data_dir,
                          const Catalogue& catalogue, std::string_view label) {
  const Clock::time_point start = Clock::now();
  ProgressBar bar(fmt::format("Importerer i {}", label));
  ReadOptions read;
  read.known_rule_ids = catalogue.RuleIds();
  Result<ImportSummary> summary = ImportDirectoryInto(
      target, data_dir, read, [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
  if (!summary) return std::move(summary).error();
  return SecondsSince(start);
}

// The SQL reference's rates on one store: the median seconds of `runs`, and whether every run
// gave exactly the engine's counts.
struct SqlFigures {
  double seconds = 0;
  bool agrees = true;
};

Result<SqlFigures> TimeSqlReference(Store& store, const Catalogue& catalogue, Date as_of,
                                    const Period& period, int runs,
                                    const std::vector<StatusCounts>& engine_rates) {
  SqlFigures figures;
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    const Clock::time_point start = Clock::now();
    Result<SqlReferenceResult> sql = RunSqlReference(store, catalogue, as_of, period);
    if (!sql) return std::move(sql).error();
    times.push_back(SecondsSince(start));
    figures.agrees = figures.agrees && SameCounts(sql->rates, engine_rates);
  }
  figures.seconds = Median(times);
  return figures;
}

int RunBench(const BenchArgs& args) {
  const fs::path work(args.work_dir);
  const fs::path data_dir = work / "data";
  const fs::path sqlite_path = work / "bench.db";
  Result<Catalogue> catalogue = LoadCatalogue(DefaultRulesDirectory());
  if (!catalogue) return ReportError(catalogue.error());

  std::unique_ptr<Store> postgres;
  if (!args.postgres_url.empty()) {
    Result<std::unique_ptr<Store>> opened = OpenPostgresStore(args.postgres_url);
    if (!opened) return ReportError(opened.error());
    Result<int64_t> last = (*opened)->LastImportId();
    if (!last) return ReportError(last.error());
    if (*last != 0) {
      return ReportError(FailedPrecondition(
          "--postgres: the database already holds imported data; bench needs an empty database, "
          "since it imports the generated data set into it"));
    }
    postgres = std::move(*opened);
  }

  // 1. Generate.
  simulate::GenerateOptions options;
  if (args.children > 0) options.children = args.children;
  options.years = args.years;
  options.seed = args.seed;
  options.municipalities = args.municipalities;
  if (Status valid = simulate::ValidateGenerateOptions(options); !valid) {
    fmt::print(stderr, "tilsyn bench: {}\n", valid.error().message);
    return 2;
  }
  std::error_code ignored;
  fs::remove_all(data_dir, ignored);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(sqlite_path.string() + suffix, ignored);
  Clock::time_point start = Clock::now();
  Result<simulate::GenerateSummary> generated = [&] {
    ProgressBar bar("Simulerer kommuner");
    return simulate::GenerateDataset(
        options, *catalogue, data_dir,
        [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
  }();
  if (!generated) return ReportError(generated.error());
  const double generate_seconds = SecondsSince(start);
  const auto events = static_cast<double>(generated->events);
  const Date as_of = generated->last_day;
  const Period period = DefaultPeriod(as_of);

  // 2. Import into SQLite, and load the engine's index from it (as the server does at start).
  Result<double> sqlite_import_seconds =
      TimeImport({"", sqlite_path.string(), ""}, data_dir, *catalogue, "SQLite");
  if (!sqlite_import_seconds) return ReportError(sqlite_import_seconds.error());
  Result<std::unique_ptr<Store>> sqlite = OpenSqliteStore(sqlite_path.string());
  if (!sqlite) return ReportError(sqlite.error());
  start = Clock::now();
  Result<Dataset> loaded = (*sqlite)->Load(LoadOptions{.details = true});
  if (!loaded) return ReportError(loaded.error());
  Dataset& data = *loaded;
  const double load_seconds = SecondsSince(start);
  const auto live_events = static_cast<double>(LiveEventCount(data));
  // Measured before reserving room for insertions: that room is address space, not memory.
  const double index_bytes = static_cast<double>(MemoryBytes(data));
  const double detail_bytes = static_cast<double>(
      data.detail_links.capacity() * sizeof(Dataset::DetailLink) +
      data.detail_records.capacity() * sizeof(EventDetails) + data.detail_texts.MemoryBytes());
  ReserveForInsertions(data);

  // 3. The engine: every obligation and rate, median of several full recomputes.
  Engine engine(data, *catalogue, Calendar::Danish());
  Compliance compliance;
  std::vector<double> recompute;
  for (int run = 0; run < std::max(1, args.runs); ++run) {
    start = Clock::now();
    compliance.Recompute(engine, as_of, period);
    recompute.push_back(SecondsSince(start));
  }
  const double recompute_seconds = Median(recompute);
  const std::vector<StatusCounts> engine_rates = compliance.rates().by_rule;
  const double table_bytes =
      static_cast<double>(compliance.obligations().size() * sizeof(Obligation));

  // 3b. One new event at a time, each for another child: into the index, then that child's
  // obligations and every count they touch.
  std::vector<double> one_event;
  const auto children = static_cast<uint32_t>(data.children.size());
  for (int n = 0, child = 0; n < args.new_events && children > 0; ++n) {
    child = static_cast<int>((static_cast<uint32_t>(child) + 7919u) % children);
    const auto c = static_cast<uint32_t>(child);
    if (data.child_begin[c] == data.child_end[c]) continue;
    Event event = data.events[data.child_end[c] - 1];
    event.type = EventType::kFollowUp;
    event.at = Instant{event.at.seconds + 3600};
    event.ref = kNone;
    start = Clock::now();
    InsertEvent(data, c, event);
    compliance.Update(engine, std::span<const uint32_t>(&c, 1));
    one_event.push_back(SecondsSince(start));
  }

  fmt::print("tilsyn bench: {} kommuner, {} år til {}, frø {}\n", generated->municipalities.size(),
             args.years, FormatDate(as_of), args.seed);
  fmt::print("  data: {:.0f} hændelser, {} børn, {} forpligtelser\n", events, data.children.size(),
             compliance.obligations().size());
  fmt::print("  generate:                  {:8.2f} s  ({:.0f} hændelser/s)\n", generate_seconds,
             events / generate_seconds);
  fmt::print("  import CSV → SQLite:       {:8.2f} s  ({:.0f} hændelser/s)\n",
             *sqlite_import_seconds, events / *sqlite_import_seconds);
  fmt::print("  index load (SQLite):       {:8.2f} s\n", load_seconds);
  std::vector<std::string> runs;
  runs.reserve(recompute.size());
  for (const double run : recompute) runs.push_back(fmt::format("{:.0f}", run * 1e3));
  fmt::print("  full recompute, median of {}: {:8.1f} ms  (runs: {} ms)\n", recompute.size(),
             recompute_seconds * 1e3, fmt::join(runs, ", "));
  if (!one_event.empty()) {
    fmt::print("  one new event: median {:.1f} µs, p99 {:.1f} µs, max {:.1f} µs ({} events)\n",
               Median(one_event) * 1e6, Percentile(one_event, 0.99) * 1e6,
               *std::max_element(one_event.begin(), one_event.end()) * 1e6, one_event.size());
  }
  fmt::print(
      "  memory: index {:.1f} B/hændelse ({:.1f} B uden hændelsesdetaljer), "
      "obligations {:.1f} B/hændelse, peak resident {:.0f} MiB\n",
      index_bytes / live_events, (index_bytes - detail_bytes) / live_events,
      table_bytes / live_events, PeakResidentMiB());
  std::fflush(stdout);

  // 4. The SQL reference on each store, against the engine's counts from before the new events.
  const int sql_runs = std::max(1, std::min(args.runs, 3));
  std::optional<SqlFigures> sqlite_sql;
  if (!args.skip_sqlite_reference) {
    Result<SqlFigures> sql =
        TimeSqlReference(**sqlite, *catalogue, as_of, period, sql_runs, engine_rates);
    if (!sql) return ReportError(sql.error());
    sqlite_sql = *sql;
  }
  std::optional<double> postgres_import_seconds;
  std::optional<SqlFigures> postgres_sql;
  if (postgres) {
    Result<double> imported =
        TimeImport({"", "", args.postgres_url}, data_dir, *catalogue, "PostgreSQL");
    if (!imported) return ReportError(imported.error());
    postgres_import_seconds = *imported;
    Result<SqlFigures> sql =
        TimeSqlReference(*postgres, *catalogue, as_of, period, sql_runs, engine_rates);
    if (!sql) return ReportError(sql.error());
    postgres_sql = *sql;
  }

  if (postgres_import_seconds) {
    fmt::print("  import CSV → PostgreSQL:   {:8.2f} s  ({:.0f} hændelser/s)\n",
               *postgres_import_seconds, events / *postgres_import_seconds);
  }
  if (sqlite_sql) {
    fmt::print("  SQL reference on SQLite, median of {}: {:8.2f} s  (agrees with the engine: {})\n",
               sql_runs, sqlite_sql->seconds, sqlite_sql->agrees ? "yes" : "NO");
    fmt::print("    engine ÷ SQLite SQL: {:.0f}× faster\n",
               sqlite_sql->seconds / recompute_seconds);
  }
  if (postgres_sql) {
    fmt::print(
        "  SQL reference on PostgreSQL, median of {}: {:8.2f} s  (agrees with the engine: {})\n",
        sql_runs, postgres_sql->seconds, postgres_sql->agrees ? "yes" : "NO");
    fmt::print("    engine ÷ PostgreSQL SQL: {:.0f}× faster\n",
               postgres_sql->seconds / recompute_seconds);
  }
  const bool agree = (!sqlite_sql || sqlite_sql->agrees) && (!postgres_sql || postgres_sql->agrees);
  if (!agree) {
    fmt::print(stderr, "tilsyn bench: the SQL reference and the engine disagree\n");
    return 1;
  }
  return 0;
}

}  // namespace

void AddBenchCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* command = app.add_subcommand(
      "bench",
      "Measures tilsyn on a generated data set: generate, import, index load, full recompute, one "
      "new event, and the same rates through the SQL reference, with the ratios");
  command->add_option("--municipalities", args->municipalities, "Municipalities (default 98)")
      ->check(CLI::Range(1, 98));
  command
      ->add_option("--children", args->children,
                   "Children aged 0-17 in all (default: the Danish municipalities' sizes)")
      ->check(CLI::PositiveNumber);
  command->add_option("--years", args->years, "Years of history (default 10)")
      ->check(CLI::Range(1, 30));
  command->add_option("--seed", args->seed, "Seed of the simulation (default 1)");
  command->add_option("--runs", args->runs, "Runs of each timed step; the median is shown")
      ->check(CLI::Range(1, 100));
  command->add_option("--new-events", args->new_events, "New events to time one by one")
      ->check(CLI::Range(0, 1000000));
  command->add_option(
      "--work", args->work_dir,
      "Directory for the generated data and the SQLite file (default tilsyn-bench)");
  command->add_option("--postgres", args->postgres_url,
                      "An empty PostgreSQL database to import into and run the SQL reference on");
  command->add_flag("--skip-sqlite-reference", args->skip_sqlite_reference,
                    "Leave out the SQL reference on SQLite (it takes hours on the national data "
                    "set; the PostgreSQL one is the peer the targets name)");
  command->callback([args, &exit_code] { exit_code = RunBench(*args); });
}

}  // namespace tilsyn::cli
