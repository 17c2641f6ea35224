// The engine's speed on a synthetic municipality: full evaluation of every child (events per
// second) and the evaluation of one child, which is what one new event costs. With
// TILSYN_BENCH_DATA=DIR (an interchange directory, e.g. the national set of `tilsyn generate
// --municipalities 98 --years 10`), the full recompute also runs on that data set.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/compliance.h"
#include "rules/engine.h"
#include "rules/rates.h"
#include "support/synthetic.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  Catalogue catalogue;
  Dataset data;
  std::unique_ptr<Engine> engine;
};

// Reading is not what is measured here.
std::unique_ptr<Fixture> ReadFixture(const fs::path& dir) {
  auto fixture = std::make_unique<Fixture>();
  fixture->catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  ReadOptions options;
  options.known_rule_ids = fixture->catalogue.RuleIds();
  fixture->data = ReadInterchangeDirectory(dir, options).value();
  fixture->engine = std::make_unique<Engine>(fixture->data, fixture->catalogue, Calendar::Danish());
  return fixture;
}

// Generating is not what is measured here either.
std::unique_ptr<Fixture> MakeFixture(int children) {
  const fs::path dir = fs::temp_directory_path() / ("tilsyn-bench-" + std::to_string(children));
  fs::remove_all(dir);
  if (!testing_support::WriteSyntheticDataset(dir, testing_support::Synthetic(children, 42)))
    std::abort();
  auto fixture = ReadFixture(dir);
  fs::remove_all(dir);
  return fixture;
}

// Built once per size and shared by the benchmarks that only read it.
const Fixture& FixtureFor(int children) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[children];
  if (!slot) slot = MakeFixture(children);
  return *slot;
}

// The recompute of BM_Recompute and its counters.
void RunRecompute(benchmark::State& state, const Fixture& fixture, Date as_of, unsigned threads) {
  const Period period{AddDays(AddMonths(as_of, -12), 1), as_of};
  Compliance compliance;
  compliance.Recompute(*fixture.engine, as_of, period, threads);
  for (auto _ : state) {
    compliance.Recompute(*fixture.engine, as_of, period, threads);
    benchmark::DoNotOptimize(compliance.rates().by_rule.data());
  }
  const auto events = static_cast<double>(fixture.data.events.size());
  state.counters["events"] = events;
  state.counters["obligations"] = static_cast<double>(compliance.obligations().size());
  state.counters["data_bytes_per_event"] = static_cast<double>(MemoryBytes(fixture.data)) / events;
  state.counters["events_per_second"] =
      benchmark::Counter(events, benchmark::Counter::kIsIterationInvariantRate);
}

// A fixture of its own for a benchmark that changes the data set.
Fixture& MutableFixtureFor(int children) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[children];
  if (!slot) slot = MakeFixture(children);
  return *slot;
}

// A full recompute as a long-running program does it: every child's obligations and the counts
// per rule, unit and worker, into the memory of the previous recompute.
void BM_Recompute(benchmark::State& state) {
  RunRecompute(state, FixtureFor(static_cast<int>(state.range(0))), DateFromYmd(2025, 6, 30),
               static_cast<unsigned>(state.range(1)));
}
BENCHMARK(BM_Recompute)
    ->ArgsProduct({{10000, 100000}, {1, 2}})
    ->ArgNames({"children", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The full recompute on the data set in $TILSYN_BENCH_DATA, as of the generator's last day.
void BM_RecomputeDirectory(benchmark::State& state) {
  static const std::unique_ptr<Fixture> fixture = ReadFixture(std::getenv("TILSYN_BENCH_DATA"));
  RunRecompute(state, *fixture, DateFromYmd(2026, 9, 30), static_cast<unsigned>(state.range(0)));
}

void RegisterDirectoryBenchmark() {
  if (std::getenv("TILSYN_BENCH_DATA") == nullptr) return;
  benchmark::RegisterBenchmark("BM_RecomputeDirectory", BM_RecomputeDirectory)
      ->DenseRange(1, 2)
      ->ArgName("threads")
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

void BM_EvaluateOneChild(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(10000);
  const Date as_of = DateFromYmd(2025, 6, 30);
  std::vector<Obligation> out;
  uint32_t child = 0;
  for (auto _ : state) {
    out.clear();
    fixture.engine->EvaluateChild(child, as_of, out);
    benchmark::DoNotOptimize(out.data());
    child = (child + 1) % static_cast<uint32_t>(fixture.data.children.size());
  }
}
BENCHMARK(BM_EvaluateOneChild)->Unit(benchmark::kMicrosecond);

// One new event: into the data set (InsertEvent), then that child's obligations and every count
// they touch (Compliance::Update). Includes the occasional compaction and full recompute.
void BM_OneNewEvent(benchmark::State& state) {
  Fixture& fixture = MutableFixtureFor(static_cast<int>(state.range(0)));
  const Date as_of = DateFromYmd(2025, 6, 30);
  const Period period{DateFromYmd(2024, 7, 1), as_of};
  Compliance compliance;
  compliance.Recompute(*fixture.engine, as_of, period);
  const auto children = static_cast<uint32_t>(fixture.data.children.size());
  uint32_t child = 0;
  for (auto _ : state) {
    child = (child + 7919) % children;
    const auto events = fixture.data.EventsOf(child);
    if (events.empty()) continue;
    Event event = events.back();
    event.type = EventType::kFollowUp;
    event.at = Instant{event.at.seconds + 86400};
    event.ref = kNone;
    InsertEvent(fixture.data, child, event);
    compliance.Update(*fixture.engine, std::span<const uint32_t>(&child, 1));
    benchmark::DoNotOptimize(compliance.rates().by_rule.data());
  }
}
BENCHMARK(BM_OneNewEvent)->Arg(100000)->ArgName("children")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tilsyn

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  tilsyn::RegisterDirectoryBenchmark();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
