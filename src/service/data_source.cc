#include "service/data_source.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <utility>

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

namespace {

// A secret key from `key_file`, else from the environment variable `env`, else none; `what`
// names it in messages.
Result<std::optional<std::string>> SecretKey(const std::filesystem::path& key_file,
                                             const char* env_name, std::string_view what) {
  std::string key;
  std::string origin;
  if (!key_file.empty()) {
    std::ifstream in(key_file, std::ios::binary);
    if (!in) {
      return InvalidArgument(fmt::format("{}: cannot read the {} file", key_file.string(), what));
    }
    key.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (key.ends_with('\n')) key.pop_back();
    if (key.ends_with('\r')) key.pop_back();
    origin = key_file.string();
  } else if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') {
    key = env;
    origin = env_name;
  } else {
    return std::optional<std::string>();
  }
  if (key.size() < 16) {
    return InvalidArgument(
        fmt::format("{}: the {} has {} bytes; it must have at least 16 (e.g. 32 random bytes, "
                    "`head -c 32 /dev/urandom | base64`)",
                    origin, what, key.size()));
  }
  return std::optional<std::string>(std::move(key));
}

}  // namespace

Result<std::optional<std::string>> CprKey(const std::filesystem::path& key_file) {
  return SecretKey(key_file, "TILSYN_CPR_KEY", "CPR key");
}

Result<std::optional<std::string>> AuditKeyOf(const std::filesystem::path& key_file) {
  return SecretKey(key_file, "TILSYN_AUDIT_KEY", "audit key");
}

namespace {

ImportOptions DirectoryImportOptions(const std::filesystem::path& dir, const ProgressFn& progress) {
  ImportOptions options;
  options.source = dir.string();
  options.progress = progress;
  return options;
}

// Reads the data set in `dir`, handing its events to the store's sink while the rest is read.
DatasetReader DirectoryReader(const std::filesystem::path& dir, ReadOptions read_options) {
  read_options.cpr_needs_key = true;
  return [dir, read_options](const EventSink& sink) {
    ReadOptions with_sink = read_options;
    with_sink.on_event = sink;
    return ReadInterchangeDirectory(dir, with_sink);
  };
}

}  // namespace

Result<ImportSummary> ImportDirectory(Store& store, const std::filesystem::path& dir,
                                      ReadOptions read_options, const ProgressFn& progress) {
  return store.ImportWhileReading(DirectoryReader(dir, std::move(read_options)),
                                  DirectoryImportOptions(dir, progress));
}

Result<ImportSummary> ImportDirectoryInto(const DataSource& target,
                                          const std::filesystem::path& dir,
                                          ReadOptions read_options, const ProgressFn& progress) {
  if (!target.sqlite_path.empty() && IsNewSqliteFile(target.sqlite_path)) {
    return ImportIntoNewSqliteFile(target.sqlite_path,
                                   DirectoryReader(dir, std::move(read_options)),
                                   DirectoryImportOptions(dir, progress));
  }
  Result<std::unique_ptr<Store>> store = OpenStore(target);
  if (!store) return std::move(store).error();
  return ImportDirectory(**store, dir, std::move(read_options), progress);
}

}  // namespace tilsyn
