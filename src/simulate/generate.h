#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "rules/catalogue.h"

namespace tilsyn::simulate {

// Reports how far a generation has come: `done` of `total` units of work. Called on the thread
// that called GenerateDataset, never from two threads at once.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// The last day of the history when none is given. Fixed, never today, so that the same options
// give the same bytes on any day.
Date DefaultUntil();  // 2026-09-30

inline constexpr int64_t kDefaultChildren = 10000;
inline constexpr int kDefaultYears = 5;

// What to simulate. Every option changes the output; nothing else does (not the clock, not the
// number of threads).
struct GenerateOptions {
  // Children aged 0–17 on `until`: of the one municipality or, with several, of all of them
  // together, divided after the Danish spread of municipality sizes. Empty: kDefaultChildren for
  // one municipality; for several, each its own size in the Danish spread (98 municipalities hold
  // about 1.15 million children).
  std::optional<int64_t> children;
  // Years of history written, ending at `until`: every case open at some time in them, with its
  // whole history.
  int years = kDefaultYears;
  uint64_t seed = 1;
  int municipalities = 1;
  // The last day with events.
  Date until = DefaultUntil();
  // Worker threads; 0 = one per core. Does not change the output.
  unsigned threads = 0;
};

// One municipality of a generated data set.
struct MunicipalitySummary {
  std::string code;        // the prefix of its ids, e.g. "K07"
  std::string name;        // "Birkelund Kommune"
  int64_t population = 0;  // children aged 0–17 on the last day
  int64_t children = 0;    // children in the data set (a case open in the window)
  int64_t cases = 0;       // case episodes (opened or reopened) of those children
  int64_t events = 0;
  int64_t workers = 0;  // caseworkers and leaders in workers.csv
  int64_t units = 0;
};

// What GenerateDataset wrote: the totals and each municipality.
struct GenerateSummary {
  Date first_day;  // the window: `until` - `years` + 1 day …
  Date last_day;   // … `until`
  int64_t population = 0;
  int64_t children = 0;
  int64_t cases = 0;
  int64_t events = 0;
  int64_t workers = 0;
  int64_t units = 0;
  std::vector<MunicipalitySummary> municipalities;
};

// The name of the file GenerateDataset writes beside the data set, saying that the data are
// synthetic and how they were made. Its presence marks a directory as generated.
inline constexpr const char* kMarkerFileName = "tilsyn-generate.txt";

// Checks the options: an InvalidArgument naming the option and its allowed range, or nothing.
Status ValidateGenerateOptions(const GenerateOptions& options);

// Simulates the municipalities and writes units.csv, workers.csv, children.csv and events.csv in
// the interchange format (shared/spec/interchange.md) to `out`, with the marker file. The same
// options and catalogue give the same bytes. `out` is created if missing; an existing `out` must
// be empty or hold only what an earlier GenerateDataset wrote (its marker file and data files),
// which is then replaced; anything else is a FailedPrecondition, and nothing is written.
Result<GenerateSummary> GenerateDataset(const GenerateOptions& options, const Catalogue& catalogue,
                                        const std::filesystem::path& out,
                                        const ProgressFn& progress = {});

}  // namespace tilsyn::simulate
