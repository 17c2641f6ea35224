// The speed of `tilsyn generate` for one mid-size municipality (15,000 children aged 0–17, ten
// years of history): the simulation, the CSV formatting, and both together with the writing of
// the files. The national data set (98 municipalities, some ten million events) is about 75 such
// municipalities' worth of work, over two cores; the target is under a minute.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "rules/catalogue.h"
#include "simulate/csv_writer.h"
#include "simulate/generate.h"
#include "simulate/municipality.h"

namespace tilsyn::simulate {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMidSize = 15000;
constexpr int kYears = 10;

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

MunicipalitySpec MidSize() {
  MunicipalitySpec spec;
  spec.code = "K01";
  spec.name = "Birkelund Kommune";
  spec.children = kMidSize;
  spec.seed = 1;
  return spec;
}

HistoryWindow Window() {
  const Date until = DefaultUntil();
  return {AddDays(AddMonths(until, -12 * kYears), 1), until};
}

void BM_SimulateMunicipality(benchmark::State& state) {
  size_t events = 0;
  for (auto _ : state) {
    const Municipality municipality =
        SimulateMunicipality(MidSize(), Window(), TheCatalogue(), nullptr);
    events = municipality.events.size();
    benchmark::DoNotOptimize(municipality.events.data());
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["events_per_second"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SimulateMunicipality)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FormatMunicipality(benchmark::State& state) {
  const Municipality municipality =
      SimulateMunicipality(MidSize(), Window(), TheCatalogue(), nullptr);
  size_t bytes = 0;
  for (auto _ : state) {
    const CsvRows rows = FormatMunicipality(municipality, TheCatalogue());
    bytes = rows.events.size() + rows.children.size() + rows.workers.size() + rows.units.size();
    benchmark::DoNotOptimize(rows.events.data());
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(municipality.events.size()),
                         benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_FormatMunicipality)->Unit(benchmark::kMillisecond)->UseRealTime();

// What `tilsyn generate --children 15000 --years 10` does, files included.
void BM_GenerateDataset(benchmark::State& state) {
  const fs::path out = fs::temp_directory_path() / "tilsyn-bench-generate";
  GenerateOptions options;
  options.children = kMidSize;
  options.years = kYears;
  int64_t events = 0;
  for (auto _ : state) {
    fs::remove_all(out);
    const Result<GenerateSummary> summary = GenerateDataset(options, TheCatalogue(), out);
    if (!summary) {
      state.SkipWithError(summary.error().message.c_str());
      break;
    }
    events = summary->events;
  }
  fs::remove_all(out);
  state.counters["events"] = static_cast<double>(events);
  state.counters["events_per_second"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GenerateDataset)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tilsyn::simulate

BENCHMARK_MAIN();
