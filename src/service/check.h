#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

struct CheckOptions {
  Date as_of;
  Period period;
  unsigned threads = 0;  // 0 = all cores
};

// The answer of `tilsyn check`: rates per rule and the obligations behind them.
struct CheckReport {
  Date as_of;
  Period period;
  std::vector<StatusCounts> rates;      // [catalogue rule]
  std::vector<Obligation> obligations;  // those due in the period plus every open one, sorted by
                                        // rule (catalogue order), child id, due, trigger id
};

// The default period of cli.md: `to` = as-of; `from` = one year before `to`, plus one day.
Period DefaultPeriod(Date to);

// Evaluates every child as of `options.as_of` and counts per rule over `options.period`.
CheckReport RunCheck(const Engine& engine, const CheckOptions& options);

// The JSON of shared/spec/cli.md ("rates", and "obligations" when `with_obligations`).
std::string RenderCheckJson(const CheckReport& report, const Engine& engine, bool with_obligations);
// CSV: the rates, one row per rule; or, with `with_obligations`, one row per obligation.
std::string RenderCheckCsv(const CheckReport& report, const Engine& engine, bool with_obligations);
// A table for people, in Danish: the rates with the national figure, and with `with_obligations`
// the obligations below.
std::string RenderCheckTable(const CheckReport& report, const Engine& engine,
                             bool with_obligations);

}  // namespace tilsyn
