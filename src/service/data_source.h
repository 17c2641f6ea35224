#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/dataset.h"
#include "core/result.h"
#include "ingest/interchange_reader.h"
#include "store/store.h"

namespace tilsyn {

// Where a command takes case data from: exactly one of a data set directory (--data), a SQLite
// file (--db) or a PostgreSQL server (--postgres).
struct DataSource {
  std::string data_dir;
  std::string sqlite_path;
  std::string postgres_url;
};

// The store a source names; an Error when it names a directory or nothing.
Result<std::unique_ptr<Store>> OpenStore(const DataSource& source);

// The data set of a source: read and validated from the directory, or loaded from the store.
Result<Dataset> LoadDataset(const DataSource& source, const ReadOptions& read_options);

// The key for hashing CPR numbers: the contents of `key_file` (one trailing newline dropped) when
// given, else the environment variable TILSYN_CPR_KEY, else none. A key shorter than 16 bytes is an
// error: HMAC is only as strong as its key.
Result<std::optional<std::string>> CprKey(const std::filesystem::path& key_file);
// The audit log's key: read from `key_file` when given, else $TILSYN_AUDIT_KEY, else none; at
// least 16 bytes.
Result<std::optional<std::string>> AuditKeyOf(const std::filesystem::path& key_file);

// Reads the data set in `dir` (CPR numbers only with a key) and imports it into `store`: all or
// nothing.
Result<ImportSummary> ImportDirectory(Store& store, const std::filesystem::path& dir,
                                      ReadOptions read_options, const ProgressFn& progress);
// The same into the store `target` names; a SQLite database that does not exist yet is built
// by ImportIntoNewSqliteFile, and exists afterwards only when the import succeeded.
Result<ImportSummary> ImportDirectoryInto(const DataSource& target,
                                          const std::filesystem::path& dir,
                                          ReadOptions read_options, const ProgressFn& progress);

}  // namespace tilsyn
