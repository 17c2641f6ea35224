#include "support/small_dataset.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "ingest/interchange_reader.h"

namespace tilsyn::testing_support {

namespace fs = std::filesystem;

const Catalogue& SourceCatalogue() {
  static const Catalogue catalogue = [] {
    Result<Catalogue> loaded = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules");
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return catalogue;
}

namespace {

// A fresh directory for one data set. The process id keeps test programs that run at once
// (ctest -j) out of each other's way.
fs::path FreshDirectory(std::string_view name) {
  fs::path dir = fs::temp_directory_path() /
                 ("tilsyn-" + std::string(name) + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Reads the data set in `dir` and removes the directory.
Dataset ReadAndRemove(std::string_view name, const fs::path& dir) {
  ReadOptions options;
  options.known_rule_ids = SourceCatalogue().RuleIds();
  Result<Dataset> data = ReadInterchangeDirectory(dir, options);
  fs::remove_all(dir);
  if (!data) {
    throw std::runtime_error("test data set " + std::string(name) + ":\n" + data.error().message);
  }
  return std::move(data).value();
}

}  // namespace

Dataset ReadDatasetText(std::string_view name, const DatasetText& text) {
  const fs::path dir = FreshDirectory(name);
  std::ofstream(dir / "units.csv") << text.units;
  std::ofstream(dir / "workers.csv") << text.workers;
  std::ofstream(dir / "children.csv") << text.children;
  std::ofstream(dir / "events.csv") << text.events;
  return ReadAndRemove(name, dir);
}

Dataset ReadSyntheticDataset(std::string_view name, const SyntheticOptions& options) {
  const fs::path dir = FreshDirectory(name);
  if (Status written = WriteSyntheticDataset(dir, options); !written) {
    throw std::runtime_error(written.error().message);
  }
  return ReadAndRemove(name, dir);
}

}  // namespace tilsyn::testing_support
