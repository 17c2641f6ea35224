// The engine's speed on a synthetic municipality: full evaluation of every child (events per
// second) and the evaluation of one child, which is what one new event costs.
#include <benchmark/benchmark.h>

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

// Generating and reading are not what is measured here.
std::unique_ptr<Fixture> MakeFixture(int children) {
  auto fixture = std::make_unique<Fixture>();
  fixture->catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  const fs::path dir = fs::temp_directory_path() / ("tilsyn-bench-" + std::to_string(children));
  fs::remove_all(dir);
  if (!testing_support::WriteSyntheticDataset(dir, testing_support::Synthetic(children, 42)))
    std::abort();
  ReadOptions options;
  options.known_rule_ids = fixture->catalogue.RuleIds();
  fixture->data = ReadInterchangeDirectory(dir, options).value();
  fs::remove_all(dir);
  fixture->engine = std::make_unique<Engine>(fixture->data, fixture->catalogue, Calendar::Danish());
  return fixture;
}

// Built once per size and shared by the benchmarks that only read it.
const Fixture& FixtureFor(int children) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[children];
  if (!slot) slot = MakeFixture(children);
  return *slot;
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
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  const auto threads = static_cast<unsigned>(state.range(1));
  const Date as_of = DateFromYmd(2025, 6, 30);
  const Period period{DateFromYmd(2024, 7, 1), as_of};
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
BENCHMARK(BM_Recompute)
    ->ArgsProduct({{10000, 100000}, {1, 2}})
    ->ArgNames({"children", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

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
    InsertEvent(fixture.data, event);
    compliance.Update(*fixture.engine, std::span<const uint32_t>(&child, 1));
    benchmark::DoNotOptimize(compliance.rates().by_rule.data());
  }
}
BENCHMARK(BM_OneNewEvent)->Arg(100000)->ArgName("children")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tilsyn

BENCHMARK_MAIN();
