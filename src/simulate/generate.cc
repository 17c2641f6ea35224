#include "simulate/generate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "simulate/csv_writer.h"
#include "simulate/municipality.h"
#include "simulate/random.h"
#include "simulate/texts.h"

namespace tilsyn::simulate {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 4> kDataFiles = {"units.csv", "workers.csv", "children.csv",
                                                   "events.csv"};

// Denmark's 98 municipalities hold about 1.15 million children aged 0–17.
constexpr double kNationalChildren = 1150000;
constexpr int kNationalMunicipalities = 98;
constexpr int64_t kMinChildrenPerMunicipality = 100;
constexpr int64_t kMaxChildren = 20000000;
constexpr int kMaxYears = 30;

// The Danish spread of municipality sizes, children aged 0–17 by rank from the largest (0) to the
// smallest (1): one municipality near 100,000 (Copenhagen), a handful of 25,000–70,000 (the other
// cities), the median near 9,500, the smallest islands and rural municipalities a few thousand.
// Read by linear interpolation; scaled so that 98 municipalities sum to kNationalChildren.
struct SizePoint {
  double rank;
  double children;
};
constexpr std::array<SizePoint, 9> kSpread = {{{0.0, 120000},
                                               {0.02, 60000},
                                               {0.05, 38000},
                                               {0.10, 25000},
                                               {0.25, 15000},
                                               {0.50, 9500},
                                               {0.75, 6500},
                                               {0.90, 4500},
                                               {1.0, 2000}}};

double SpreadAt(double rank) {
  for (size_t i = 1; i < kSpread.size(); ++i) {
    if (rank <= kSpread[i].rank) {
      const SizePoint& a = kSpread[i - 1];
      const SizePoint& b = kSpread[i];
      return a.children + (b.children - a.children) * (rank - a.rank) / (b.rank - a.rank);
    }
  }
  return kSpread.back().children;
}

// The municipality at position i of m, largest first: the middle of its share of the ranks.
double SpreadShare(int i, int m) { return SpreadAt((i + 0.5) / m); }

// Children aged 0–17 of each municipality, largest first.
std::vector<int64_t> MunicipalitySizes(const GenerateOptions& options) {
  const int m = options.municipalities;
  std::vector<double> raw(static_cast<size_t>(m));
  double raw_total = 0;
  for (int i = 0; i < m; ++i) {
    raw[static_cast<size_t>(i)] = SpreadShare(i, m);
    raw_total += raw[static_cast<size_t>(i)];
  }
  double total = 0;
  if (options.children) {
    total = static_cast<double>(*options.children);
  } else if (m == 1) {
    total = static_cast<double>(kDefaultChildren);
  } else {
    double national = 0;
    for (int i = 0; i < kNationalMunicipalities; ++i) {
      national += SpreadShare(i, kNationalMunicipalities);
    }
    total = raw_total * kNationalChildren / national;
  }
  // Largest remainders, so that a given total is met exactly.
  std::vector<int64_t> sizes(static_cast<size_t>(m));
  std::vector<std::pair<double, int>> remainders;
  int64_t assigned = 0;
  for (int i = 0; i < m; ++i) {
    const double exact = raw[static_cast<size_t>(i)] * total / raw_total;
    const auto whole = static_cast<int64_t>(exact);
    sizes[static_cast<size_t>(i)] = whole;
    assigned += whole;
    remainders.emplace_back(exact - static_cast<double>(whole), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const int64_t target = std::llround(total);
  for (size_t k = 0; assigned < target && k < remainders.size(); ++k, ++assigned) {
    ++sizes[static_cast<size_t>(remainders[k].second)];
  }
  return sizes;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Error WriteError(const fs::path& path) {
  return FailedPrecondition(
      fmt::format("{}: cannot be written ({})", path.string(), std::strerror(errno)));
}

// An existing directory may be written to when it is empty or holds only what GenerateDataset
// writes, marker included: a real export never carries the marker, so it is never overwritten.
Status CheckOutputDirectory(const fs::path& out) {
  std::error_code error;
  if (!fs::exists(out, error)) return {};
  if (!fs::is_directory(out, error)) {
    return FailedPrecondition(fmt::format("{} is not a directory", out.string()));
  }
  bool marker = false;
  bool data = false;
  std::vector<std::string> foreign;
  for (const fs::directory_entry& entry : fs::directory_iterator(out, error)) {
    const std::string name = entry.path().filename().string();
    if (name == kMarkerFileName) {
      marker = true;
    } else if (std::find(kDataFiles.begin(), kDataFiles.end(), name) != kDataFiles.end()) {
      data = true;
    } else {
      foreign.push_back(name);
    }
  }
  if (error) {
    return FailedPrecondition(
        fmt::format("{}: cannot be read ({})", out.string(), error.message()));
  }
  if (foreign.empty() && (marker || !data)) return {};
  std::sort(foreign.begin(), foreign.end());
  const std::string holds = foreign.empty() ? std::string("a data set")
                                            : foreign.front() + (foreign.size() > 1 ? ", …" : "");
  return FailedPrecondition(
      fmt::format("{} is not empty (it holds {}) and was not written by tilsyn generate; give an "
                  "empty or new directory",
                  out.string(), holds));
}

std::string MarkerText(const GenerateOptions& options, const HistoryWindow& window) {
  std::string text =
      "Syntetiske data fra tilsyn generate. Alle børn, medarbejdere og kommuner er opdigtede.\n";
  text += fmt::format(
      "Kommandoen: tilsyn generate --seed {} --years {} --until {} "
      "--municipalities {}",
      options.seed, options.years, FormatDate(options.until), options.municipalities);
  if (options.children) text += fmt::format(" --children {}", *options.children);
  text += fmt::format("\nPeriode: {} til {}\n", FormatDate(window.first), FormatDate(window.last));
  return text;
}

}  // namespace

Date DefaultUntil() { return DateFromYmd(2026, 9, 30); }

Status ValidateGenerateOptions(const GenerateOptions& options) {
  if (options.municipalities < 1 ||
      options.municipalities > static_cast<int>(kMunicipalityNameCount)) {
    return InvalidArgument(fmt::format("--municipalities {} is out of range (1 to {})",
                                       options.municipalities, kMunicipalityNameCount));
  }
  if (options.children) {
    const int64_t least = kMinChildrenPerMunicipality * options.municipalities;
    if (*options.children < least || *options.children > kMaxChildren) {
      return InvalidArgument(
          fmt::format("--children {} is out of range ({} to {}: at least {} per municipality)",
                      *options.children, least, kMaxChildren, kMinChildrenPerMunicipality));
    }
  }
  if (options.years < 1 || options.years > kMaxYears) {
    return InvalidArgument(
        fmt::format("--years {} is out of range (1 to {})", options.years, kMaxYears));
  }
  // The simulation starts 18 years before the window; the calendar covers 1900–2199.
  const Date earliest = AddMonths(kFirstSupportedDate, (kMaxYears + 18) * 12);
  const Date latest = AddMonths(kLastSupportedDate, -12);
  if (options.until < earliest || options.until > latest) {
    return InvalidArgument(fmt::format("--until {} is out of range ({} to {})",
                                       FormatDate(options.until), FormatDate(earliest),
                                       FormatDate(latest)));
  }
  return {};
}

Result<GenerateSummary> GenerateDataset(const GenerateOptions& options, const Catalogue& catalogue,
                                        const fs::path& out, const ProgressFn& progress) {
  if (Status valid = ValidateGenerateOptions(options); !valid) return valid.error();
  if (Status usable = CheckOutputDirectory(out); !usable) return usable.error();
  std::error_code error;
  fs::create_directories(out, error);
  if (error) {
    return FailedPrecondition(
        fmt::format("{}: cannot be created ({})", out.string(), error.message()));
  }

  const HistoryWindow window{AddDays(AddMonths(options.until, -12 * options.years), 1),
                             options.until};
  const std::vector<int64_t> sizes = MunicipalitySizes(options);
  const int m = options.municipalities;
  Random names_random(DeriveSeed(options.seed, 0));
  const std::vector<std::string> names = MunicipalityNames(static_cast<size_t>(m), names_random);
  std::vector<MunicipalitySpec> specs(static_cast<size_t>(m));
  uint64_t total_work = 0;
  for (int i = 0; i < m; ++i) {
    MunicipalitySpec& spec = specs[static_cast<size_t>(i)];
    spec.code = fmt::format("K{:0{}}", i + 1, m < 100 ? 2 : 3);
    spec.name = names[static_cast<size_t>(i)];
    spec.children = sizes[static_cast<size_t>(i)];
    spec.seed = DeriveSeed(options.seed, static_cast<uint64_t>(i) + 1);
    total_work += SimulationWork(spec, window);
  }

  // The marker first: a run that stops half way leaves a directory the next run may overwrite.
  const fs::path marker_path = out / kMarkerFileName;
  File marker(std::fopen(marker_path.c_str(), "wb"));
  if (!marker) return WriteError(marker_path);
  const std::string marker_text = MarkerText(options, window);
  if (std::fwrite(marker_text.data(), 1, marker_text.size(), marker.get()) != marker_text.size() ||
      std::fclose(marker.release()) != 0) {
    return WriteError(marker_path);
  }
  std::array<File, kDataFiles.size()> files;
  std::array<fs::path, kDataFiles.size()> paths;
  const std::array<std::string_view, kDataFiles.size()> headers = {
      UnitsCsvHeader(), WorkersCsvHeader(), ChildrenCsvHeader(), EventsCsvHeader()};
  for (size_t f = 0; f < files.size(); ++f) {
    paths[f] = out / kDataFiles[f];
    files[f].reset(std::fopen(paths[f].c_str(), "wb"));
    if (!files[f] ||
        std::fwrite(headers[f].data(), 1, headers[f].size(), files[f].get()) != headers[f].size()) {
      return WriteError(paths[f]);
    }
  }

  // Workers simulate and format municipalities, largest first; this thread writes them in order
  // as they come, so that the output never depends on which thread was quicker.
  struct Slot {
    std::optional<CsvRows> rows;
    MunicipalitySummary summary;
  };
  std::vector<Slot> slots(static_cast<size_t>(m));
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<int> next{0};
  std::atomic<uint64_t> work_done{0};
  auto worker = [&] {
    for (int i = next++; i < m; i = next++) {
      const MunicipalitySpec& spec = specs[static_cast<size_t>(i)];
      const Municipality municipality = SimulateMunicipality(spec, window, catalogue, &work_done);
      CsvRows rows = FormatMunicipality(municipality, catalogue);
      MunicipalitySummary summary;
      summary.code = spec.code;
      summary.name = spec.name;
      summary.population = municipality.population;
      summary.children = static_cast<int64_t>(municipality.children.size());
      summary.cases = municipality.cases;
      summary.events = static_cast<int64_t>(municipality.events.size());
      summary.workers = static_cast<int64_t>(municipality.workers.size());
      summary.units = static_cast<int64_t>(municipality.units.size());
      const std::lock_guard<std::mutex> lock(mutex);
      slots[static_cast<size_t>(i)].rows = std::move(rows);
      slots[static_cast<size_t>(i)].summary = std::move(summary);
      ready.notify_all();
    }
  };
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::clamp(threads, 1u, static_cast<unsigned>(m));
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);

  GenerateSummary summary;
  summary.first_day = window.first;
  summary.last_day = window.last;
  std::optional<Error> failure;
  for (int i = 0; i < m; ++i) {
    CsvRows rows;
    {
      std::unique_lock<std::mutex> lock(mutex);
      while (!slots[static_cast<size_t>(i)].rows) {
        ready.wait_for(lock, std::chrono::milliseconds(100));
        if (progress) progress(work_done.load(std::memory_order_relaxed), total_work);
      }
      rows = std::move(*slots[static_cast<size_t>(i)].rows);
      slots[static_cast<size_t>(i)].rows.reset();
    }
    const MunicipalitySummary& s = slots[static_cast<size_t>(i)].summary;
    summary.population += s.population;
    summary.children += s.children;
    summary.cases += s.cases;
    summary.events += s.events;
    summary.workers += s.workers;
    summary.units += s.units;
    summary.municipalities.push_back(s);
    if (failure) continue;
    const std::array<const std::string*, kDataFiles.size()> parts = {&rows.units, &rows.workers,
                                                                     &rows.children, &rows.events};
    for (size_t f = 0; f < files.size() && !failure; ++f) {
      if (std::fwrite(parts[f]->data(), 1, parts[f]->size(), files[f].get()) != parts[f]->size()) {
        failure = WriteError(paths[f]);
      }
    }
  }
  for (std::thread& thread : pool) thread.join();
  for (size_t f = 0; f < files.size() && !failure; ++f) {
    if (std::fclose(files[f].release()) != 0) failure = WriteError(paths[f]);
  }
  if (failure) return *failure;
  if (progress) progress(total_work, total_work);
  return summary;
}

}  // namespace tilsyn::simulate
