// The cost of one answer of the service's use cases on a synthetic municipality, with the
// obligations already evaluated (a server keeps them for its as-of date): what a request to the
// rates, list, worklist, case, caseload and trend endpoints costs before HTTP and JSON.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "rules/engine.h"
#include "service/case_view.h"
#include "service/export.h"
#include "service/obligation_list.h"
#include "service/overview.h"
#include "service/tables.h"
#include "service/worklist.h"
#include "support/small_dataset.h"

namespace tilsyn {
namespace {

const Date kAsOf = DateFromYmd(2025, 6, 30);

struct Fixture {
  Dataset data;
  std::unique_ptr<Engine> engine;
  std::vector<Obligation> obligations;
};

// Built once per size; generating, reading and evaluating are not what is measured here.
const Fixture& FixtureFor(int children) {
  static std::map<int, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[children];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  slot->data = testing_support::ReadSyntheticDataset("analytics-bench-" + std::to_string(children),
                                                     testing_support::Synthetic(children, 42));
  slot->engine =
      std::make_unique<Engine>(slot->data, testing_support::SourceCatalogue(), Calendar::Danish());
  slot->obligations = slot->engine->EvaluateAll(kAsOf);
  return *slot;
}

void Describe(benchmark::State& state, const Fixture& fixture) {
  state.counters["obligations"] = static_cast<double>(fixture.obligations.size());
  state.counters["workers"] = static_cast<double>(fixture.data.workers.size());
}

void BM_RatesReport(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  RatesRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2024, 7, 1), kAsOf};
  request.unit_id = "K";
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildRatesReport(*fixture.engine, fixture.obligations, request));
  }
  Describe(state, fixture);
}
BENCHMARK(BM_RatesReport)
    ->Arg(10000)
    ->Arg(50000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond);

void BM_AnonymousRatesReport(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  RatesRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2025, 1, 1), DateFromYmd(2025, 3, 31)};
  request.unit_id = "K";
  request.by_worker = false;
  request.suppress_small_counts = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildRatesReport(*fixture.engine, fixture.obligations, request));
  }
  state.counters["units"] = static_cast<double>(fixture.data.units.size());
}
BENCHMARK(BM_AnonymousRatesReport)
    ->Arg(10000)
    ->Arg(50000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond);

void BM_ObligationList(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  ObligationListRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2024, 7, 1), kAsOf};
  request.status = "denominator";
  request.unit_id = "K";
  request.page = {0, 50};
  size_t total = 0;
  for (auto _ : state) {
    total = ListObligations(*fixture.engine, fixture.obligations, request)->total;
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_ObligationList)
    ->Arg(10000)
    ->Arg(50000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond);

void BM_Worklist(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  WorklistRequest request;
  request.as_of = kAsOf;
  request.worker_id = "W7";
  size_t items = 0;
  for (auto _ : state) {
    items = BuildWorklist(*fixture.engine, fixture.obligations, request)->items.size();
  }
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_Worklist)->Arg(10000)->Arg(50000)->ArgName("children")->Unit(benchmark::kMillisecond);

void BM_CaseView(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  const std::string child = "C" + std::to_string(fixture.data.children.size() / 2);
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildCaseView(*fixture.engine, child, kAsOf));
  }
}
BENCHMARK(BM_CaseView)->Arg(10000)->Arg(50000)->ArgName("children")->Unit(benchmark::kMicrosecond);

void BM_CaseloadReport(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildCaseloadReport(*fixture.engine, CaseloadRequest{kAsOf, "K"}));
  }
}
BENCHMARK(BM_CaseloadReport)
    ->Arg(10000)
    ->Arg(50000)
    ->ArgName("children")
    ->Unit(benchmark::kMillisecond);

void BM_TrendReport(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(static_cast<int>(state.range(0)));
  const TrendRequest request{kAsOf, "K", 8, state.range(1) != 0};
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildTrendReport(*fixture.engine, fixture.obligations, request));
  }
}
BENCHMARK(BM_TrendReport)
    ->ArgsProduct({{10000, 50000}, {0, 1}})
    ->ArgNames({"children", "anonymous"})
    ->Unit(benchmark::kMillisecond);

void BM_XlsxOfAThousandObligations(benchmark::State& state) {
  const Fixture& fixture = FixtureFor(10000);
  ObligationListRequest request;
  request.as_of = kAsOf;
  request.period = {DateFromYmd(2024, 7, 1), kAsOf};
  request.page = {0, 1000};
  const std::vector<Table> tables = {
      ObligationsTable(ListObligations(*fixture.engine, fixture.obligations, request)->rows)};
  for (auto _ : state) {
    benchmark::DoNotOptimize(RenderXlsx(tables, Calendar::Danish()));
  }
}
BENCHMARK(BM_XlsxOfAThousandObligations)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tilsyn

BENCHMARK_MAIN();
