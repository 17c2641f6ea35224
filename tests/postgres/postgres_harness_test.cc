// Proves the PostgreSQL test harness works before the store exists: the `postgres` ctest fixture
// (scripts/postgres-test-server.sh) started a real server, and TILSYN_TEST_POSTGRES leads to it.
// Without the variable these tests fail, never skip: a store suite that silently ran against
// nothing would pass while testing nothing.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace tilsyn {
namespace {

constexpr const char* kServerVariable = "TILSYN_TEST_POSTGRES";

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using QueryResult = std::unique_ptr<PGresult, ResultClearer>;

// Success when `result` has the `expected` status; otherwise the server's message.
::testing::AssertionResult HasStatus(const QueryResult& result, ExecStatusType expected) {
  if (result == nullptr) {
    return ::testing::AssertionFailure() << "no result (out of memory or connection lost)";
  }
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == expected) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << PQresStatus(status) << " instead of " << PQresStatus(expected) << ": "
         << PQresultErrorMessage(result.get());
}

class PostgresHarnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv(kServerVariable);
    ASSERT_TRUE(url != nullptr && *url != '\0')
        << kServerVariable
        << " is not set, so there is no PostgreSQL server to test against. Run the test through "
           "ctest (its `postgres` fixture starts one), or by hand:\n"
           "  bash scripts/postgres-test-server.sh start /tmp/pg 54321\n"
           "  export "
        << kServerVariable
        << "=postgresql://tilsyn@127.0.0.1:54321/tilsyn_test\n"
           "  (run the test)\n"
           "  bash scripts/postgres-test-server.sh stop /tmp/pg";

    // The URL is expanded into its parts; the timeout keeps a dead server from hanging the test.
    const char* const keywords[] = {"dbname", "connect_timeout", nullptr};
    const char* const values[] = {url, "10", nullptr};
    connection_.reset(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
    ASSERT_NE(connection_, nullptr) << "libpq could not allocate a connection";
    ASSERT_EQ(PQstatus(connection_.get()), CONNECTION_OK)
        << "cannot connect to " << url
        << " (did the postgres_start test fail?): " << PQerrorMessage(connection_.get());
  }

  // Runs one SQL statement with text parameters ($1, $2, ...).
  QueryResult Run(const std::string& sql, const std::vector<std::string>& parameters = {}) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const std::string& parameter : parameters) {
      values.push_back(parameter.c_str());
    }
    return QueryResult(PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()),
                                    /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                                    /*paramFormats=*/nullptr, /*resultFormat=*/0));
  }

  Connection connection_;
};

TEST_F(PostgresHarnessTest, RoundTripsARowThroughATemporaryTable) {
  ASSERT_TRUE(HasStatus(
      Run("CREATE TEMPORARY TABLE harness_probe (id integer PRIMARY KEY, name text NOT NULL)"),
      PGRES_COMMAND_OK));
  // A Danish name: the database must store UTF-8 unchanged.
  ASSERT_TRUE(HasStatus(Run("INSERT INTO harness_probe (id, name) VALUES ($1, $2)",
                            {"7", "Ærø Kommune, Børn og Unge"}),
                        PGRES_COMMAND_OK));

  const QueryResult rows = Run("SELECT id, name FROM harness_probe");
  ASSERT_TRUE(HasStatus(rows, PGRES_TUPLES_OK));
  ASSERT_EQ(PQntuples(rows.get()), 1);
  EXPECT_STREQ(PQgetvalue(rows.get(), 0, 0), "7");
  EXPECT_STREQ(PQgetvalue(rows.get(), 0, 1), "Ærø Kommune, Børn og Unge");
}

TEST_F(PostgresHarnessTest, IsTheDurableTestServerTheStoreExpects) {
  const QueryResult settings =
      Run("SELECT current_user, current_database(), current_setting('fsync'),"
          " current_setting('server_version_num')::integer >= 150000");
  ASSERT_TRUE(HasStatus(settings, PGRES_TUPLES_OK));
  ASSERT_EQ(PQntuples(settings.get()), 1);
  EXPECT_STREQ(PQgetvalue(settings.get(), 0, 0), "tilsyn");
  EXPECT_STREQ(PQgetvalue(settings.get(), 0, 1), "tilsyn_test");
  // Crash tests rely on real durability.
  EXPECT_STREQ(PQgetvalue(settings.get(), 0, 2), "on");
  EXPECT_STREQ(PQgetvalue(settings.get(), 0, 3), "t") << "PostgreSQL 15 or newer";
}

}  // namespace
}  // namespace tilsyn
