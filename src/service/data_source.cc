#include "service/data_source.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace tilsyn {

Result<std::unique_ptr<Store>> OpenStore(const DataSource& source) {
  if (!source.sqlite_path.empty()) return OpenSqliteStore(source.sqlite_path);
  if (!source.postgres_url.empty()) return OpenPostgresStore(source.postgres_url);
  return InvalidArgument("no database given: use --db FILE or --postgres URL");
}

Result<Dataset> LoadDataset(const DataSource& source, const ReadOptions& read_options) {
  if (!source.data_dir.empty()) return ReadInterchangeDirectory(source.data_dir, read_options);
  Result<std::unique_ptr<Store>> store = OpenStore(source);
  if (!store) return std::move(store).error();
  return (*store)->Load();
}

Result<std::optional<std::string>> CprKey(const std::filesystem::path& key_file) {
  std::string key;
  std::string origin;
  if (!key_file.empty()) {
    std::ifstream in(key_file, std::ios::binary);
    if (!in) {
      return InvalidArgument(fmt::format("{}: cannot read the CPR key file", key_file.string()));
    }
    key.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (key.ends_with('\n')) key.pop_back();
    if (key.ends_with('\r')) key.pop_back();
    origin = key_file.string();
  } else if (const char* env = std::getenv("TILSYN_CPR_KEY"); env != nullptr && *env != '\0') {
    key = env;
    origin = "TILSYN_CPR_KEY";
  } else {
    return std::optional<std::string>();
  }
  if (key.size() < 16) {
    return InvalidArgument(
        fmt::format("{}: the CPR key has {} bytes; it must have at least 16 (e.g. 32 random bytes, "
                    "`head -c 32 /dev/urandom | base64`)",
                    origin, key.size()));
  }
  return std::optional<std::string>(std::move(key));
}

Result<ImportSummary> ImportDirectory(Store& store, const std::filesystem::path& dir,
                                      ReadOptions read_options, const ProgressFn& progress) {
  read_options.cpr_needs_key = true;
  ImportOptions options;
  options.source = dir.string();
  options.progress = progress;
  // The store may write events while the rest of the files is still being read.
  return store.ImportWhileReading(
      [&](const EventSink& sink) {
        ReadOptions with_sink = read_options;
        with_sink.on_event = sink;
        return ReadInterchangeDirectory(dir, with_sink);
      },
      options);
}

}  // namespace tilsyn
