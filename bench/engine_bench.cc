// The engine's speed on a synthetic municipality: full evaluation of every child (events per
// second) and the evaluation of one child, which is what one new event costs.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
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

// Built once per size; generating and reading are not what is measured here.
const Fixture& FixtureFor(int children) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[children];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  slot->catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  const fs::path dir = fs::temp_directory_path() / ("tilsyn-bench-" + std::to_string(children));
  fs::remove_all(dir);
  if (!testing_support::WriteSyntheticDataset(dir, testing_support::Synthetic(children, 42)))
    std::abort();
  ReadOptions options;
  options.known_rule_ids = slot->catalogue.RuleIds();
  slot->data = ReadInterchangeDirectory(dir, options).value();
  fs::remove_all(dir);
  slot->engine = std::make_unique<Engine>(slot->data, slot->catalogue, Calendar::Danish());
  return *slot;
}

void BM_EvaluateAll(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  const auto threads = static_cast<unsigned>(state.range(1));
  const Date as_of = DateFromYmd(2025, 6, 30);
  const Period period{DateFromYmd(2024, 7, 1), as_of};
  size_t obligations = 0;
  for (auto _ : state) {
    const std::vector<Obligation> all = fixture.engine->EvaluateAll(as_of, threads);
    const std::vector<StatusCounts> rates =
        RatesByRule(all, fixture.catalogue.rules.size(), period);
    benchmark::DoNotOptimize(rates.data());
    obligations = all.size();
  }
  const auto events = static_cast<double>(fixture.data.events.size());
  state.counters["events"] = events;
  state.counters["obligations"] = static_cast<double>(obligations);
  state.counters["events_per_second"] =
      benchmark::Counter(events, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EvaluateAll)
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

}  // namespace
}  // namespace tilsyn

BENCHMARK_MAIN();
