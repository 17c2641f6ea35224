#include "support/test_store.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <cctype>
#include <cstdlib>
#include <functional>
#include <memory>

namespace tilsyn::testing_support {
namespace {

struct PgCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultCloser {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgConnection = std::unique_ptr<PGconn, PgCloser>;
using PgResult = std::unique_ptr<PGresult, PgResultCloser>;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteConnection = std::unique_ptr<sqlite3, SqliteCloser>;

Result<PgConnection> ConnectPostgres(const std::string& url) {
  PgConnection connection(PQconnectdb(url.c_str()));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return Unavailable(fmt::format("cannot connect to the test PostgreSQL server: {}",
                                   PQerrorMessage(connection.get())));
  }
  return connection;
}

Result<SqliteConnection> ConnectSqlite(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  SqliteConnection connection(db);
  if (rc != SQLITE_OK) return Unavailable(fmt::format("cannot open {}", path.string()));
  return connection;
}

Result<std::string> RunPostgres(const std::string& url, const std::string& sql) {
  Result<PgConnection> connection = ConnectPostgres(url);
  if (!connection) return connection.error();
  PgResult result(PQexec(connection->get(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return InvalidArgument(PQresultErrorMessage(result.get()));
  }
  if (status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0) {
    return std::string(PQgetvalue(result.get(), 0, 0));
  }
  return std::string();
}

Result<std::string> RunSqlite(const std::filesystem::path& path, const std::string& sql) {
  Result<SqliteConnection> connection = ConnectSqlite(path);
  if (!connection) return connection.error();
  std::string first;
  char* message = nullptr;
  const int rc = sqlite3_exec(
      connection->get(), sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        auto* text = static_cast<std::string*>(out);
        if (text->empty() && columns > 0 && values[0] != nullptr) *text = values[0];
        return 0;
      },
      &first, &message);
  if (rc != SQLITE_OK) {
    std::string error = message != nullptr ? message : "error";
    sqlite3_free(message);
    return InvalidArgument(error);
  }
  return first;
}

}  // namespace

Result<TestDatabase> TestDatabase::Create(std::string_view engine, std::string_view name) {
  TestDatabase database;
  if (engine == kSqlite) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / fmt::format("tilsyn-store-{}", name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    database.sqlite_path_ = dir / "tilsyn.db";
    database.source_.sqlite_path = database.sqlite_path_.string();
    return database;
  }
  const char* server = std::getenv("TILSYN_TEST_POSTGRES");
  if (server == nullptr || *server == '\0') {
    return FailedPrecondition(
        "TILSYN_TEST_POSTGRES is not set: run the tests with ctest, whose `postgres` fixture "
        "starts the test server (scripts/postgres-test-server.sh)");
  }
  // A schema per test: the store's tables go wherever search_path points.
  std::string schema = fmt::format("test_{}", name);
  for (char& c : schema) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  // PostgreSQL cuts identifiers at 63 bytes; keep long names apart with a hash of the whole.
  if (schema.size() > 48) {
    schema = fmt::format("{}_{:016x}", schema.substr(0, 30), std::hash<std::string>()(schema));
  }
  if (Result<std::string> created = RunPostgres(
          server, fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", schema));
      !created) {
    return created.error();
  }
  const std::string_view url(server);
  database.source_.postgres_url =
      fmt::format("{}{}options=-csearch_path%3D{}", url,
                  url.find('?') == std::string_view::npos ? "?" : "&", schema);
  return database;
}

Status TestDatabase::Execute(const std::string& sql) const {
  Result<std::string> result = QueryText(sql);
  if (!result) return result.error();
  return {};
}

Result<std::string> TestDatabase::QueryText(const std::string& sql) const {
  if (!sqlite_path_.empty()) return RunSqlite(sqlite_path_, sql);
  return RunPostgres(source_.postgres_url, sql);
}

}  // namespace tilsyn::testing_support
