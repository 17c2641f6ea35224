#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "service/data_source.h"
#include "store/store.h"

namespace tilsyn::testing_support {

// The database engines every storage test runs against.
inline constexpr std::string_view kSqlite = "sqlite";
inline constexpr std::string_view kPostgres = "postgresql";

// A fresh, empty database of one engine for one test: a SQLite file in a new temporary directory,
// or a new schema in the test PostgreSQL server named by TILSYN_TEST_POSTGRES (started by the
// ctest fixture `postgres`; without it, Create fails, so the test fails rather than skips).
class TestDatabase {
 public:
  static Result<TestDatabase> Create(std::string_view engine, std::string_view name);

  // The source for OpenStore / LoadDataset, and the same as tilsyn's command-line options.
  const DataSource& source() const { return source_; }
  Result<std::unique_ptr<Store>> Open() const { return OpenStore(source_); }
  // The SQLite file (empty for PostgreSQL).
  const std::filesystem::path& sqlite_path() const { return sqlite_path_; }
  // Runs SQL directly on the database, behind the store's back.
  Status Execute(const std::string& sql) const;
  // The first column of the first row of a query, as text.
  Result<std::string> QueryText(const std::string& sql) const;

 private:
  DataSource source_;
  std::filesystem::path sqlite_path_;
};

}  // namespace tilsyn::testing_support
