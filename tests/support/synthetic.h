#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace tilsyn::testing_support {

struct SyntheticOptions {
  int children = 1000;
  uint64_t seed = 1;
  // Cases open between these dates; events may run a little past `last_day`.
  Date first_day = DateFromYmd(2021, 1, 1);
  Date last_day = DateFromYmd(2025, 6, 30);
  // Extra columns and rows that exercise retractions and exemptions.
  bool corrections = true;
  // Prefix of child, event and measure ids, so that two data sets can be merged.
  std::string id_prefix;
};

// Options for `children` children from `seed`, the rest default.
inline SyntheticOptions Synthetic(int children, uint64_t seed) {
  SyntheticOptions options;
  options.children = children;
  options.seed = seed;
  return options;
}

// Writes units.csv, workers.csv, children.csv and events.csv to `dir`: case stories with every
// event type and a random mix of compliance, deterministic for a seed. For tests and benchmarks
// until the simulation of `tilsyn generate` exists.
Status WriteSyntheticDataset(const std::filesystem::path& dir, const SyntheticOptions& options);

// For benchmarks: the data set of `children` children from seed 42, written once per process into
// a temporary directory named after `tag` and the size. Aborts when it cannot be written.
const std::filesystem::path& BenchmarkDataset(std::string_view tag, int children);

}  // namespace tilsyn::testing_support
