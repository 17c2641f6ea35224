// The audit log: every read of a case leaves one row; the hash chain names an edited, a deleted
// and a moved row, through the library and through `tilsyn audit verify`; on both engines.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/api_world.h"
#include "server/audit_log.h"
#include "server/crypto.h"

namespace tilsyn::api_test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using server::AuditProblem;
using server::AuditVerification;

class AuditTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool sqlite() const { return GetParam() == testing_support::kSqlite; }
};

TEST_P(AuditTest, EveryReadOfACaseLeavesOneRow) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "audit_reads");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> leader = LogIn(client, "leader", kPassword);
  Result<Session> admin = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(leader && admin);
  Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
  ASSERT_TRUE(store);

  for (int read = 1; read <= 3; ++read) {
    (*running)->clock.Advance(7);
    ASSERT_EQ(Get(client, "/api/children/B001", &*leader)->status, 200);
    EXPECT_EQ(AuditRows(**store, "read_case", "child:B001"), read);
  }
  ASSERT_EQ(Get(client, "/api/children/B002?as_of=2024-12-31", &*leader)->status, 200);
  EXPECT_EQ(AuditRows(**store, "read_case", "child:B002"), 1);
  EXPECT_EQ(AuditRows(**store, "read_case", "child:B001"), 3);
  // A refused read shows nothing, so it records no read.
  EXPECT_EQ(Get(client, "/api/children/X001", &*leader)->status, 403);
  EXPECT_EQ(AuditRows(**store, "read_case", "child:X001"), 0);
  // Exports and event intake are recorded too; plain lists are not.
  ASSERT_EQ(Get(client, "/api/obligations?unit=DN&format=csv", &*leader)->status, 200);
  ASSERT_EQ(Get(client, "/api/obligations?unit=DN", &*leader)->status, 200);
  EXPECT_EQ(AuditRows(**store, "export", "/api/obligations?unit=DN&format=csv"), 1);
  EXPECT_EQ(AuditRows(**store, "export", "/api/obligations?unit=DN"), 0);

  // The admin searches the log through the API: who read B001, when and from where.
  httplib::Result found = Get(client, "/api/audit?object=child:B001&page_size=2", &*admin);
  ASSERT_EQ(found->status, 200) << found->body;
  const Json page = Json::parse(found->body);
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["entries"].size(), 2);
  EXPECT_EQ(page["entries"][0]["user"], "leader");
  EXPECT_EQ(page["entries"][0]["client"], "127.0.0.1");
  EXPECT_EQ(page["entries"][0]["action"], "read_case");
  EXPECT_EQ(page["entries"][0]["at"], "2025-06-30T10:00:21+02:00");  // newest first
  EXPECT_EQ(
      Json::parse(
          Get(client, "/api/audit?object=child:B001&page=2&page_size=2", &*admin)->body)["entries"]
          .size(),
      1);
  Result<AuditVerification> verified = server::VerifyAudit(**store);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->problems.empty());
}

// The read is recorded before anything is shown: when its row cannot be written, the case is
// not sent, and neither is an export.
TEST_P(AuditTest, ACaseWhoseReadCannotBeRecordedIsNotShown) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "audit_refused");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> leader = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(leader);
  ASSERT_EQ(Get(client, "/api/children/B001", &*leader)->status, 200);
  // The log's table refuses every new row, as a full disk would.
  ASSERT_TRUE((*running)->world.database.Execute(
      sqlite() ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'no room'); END"
               : "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                 "$$ BEGIN RAISE EXCEPTION 'no room'; END $$; "
                 "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                 "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"));
  for (const char* path : {"/api/children/B001", "/api/children/B001?format=csv",
                           "/api/obligations?unit=DN&format=csv"}) {
    SCOPED_TRACE(path);
    httplib::Result refused = Get(client, path, &*leader);
    ASSERT_TRUE(refused);
    EXPECT_GE(refused->status, 500);
    EXPECT_EQ(refused->body.find("B001-E"), std::string::npos) << refused->body;
    EXPECT_NE(Json::parse(refused->body, nullptr, false).value("error", Json()).type(),
              Json::value_t::null)
        << refused->body;
  }
  // Plain lists, which are not audited, are still answered.
  EXPECT_EQ(Get(client, "/api/obligations?unit=DN", &*leader)->status, 200);
}

// Runs `tilsyn audit verify` on the database, with `options` added; its exit code and output.
std::pair<int, std::string> RunVerify(const testing_support::TestDatabase& database,
                                      const std::string& options = "") {
  const std::string target = database.sqlite_path().empty()
                                 ? "--postgres '" + database.source().postgres_url + "'"
                                 : "--db '" + database.sqlite_path().string() + "'";
  const std::string command =
      std::string(TILSYN_BINARY) + " audit verify " + target + " " + options + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 512> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// Drops the log's append-only triggers, as someone with the database's owner rights could.
void DropAppendOnlyTriggers(const testing_support::TestDatabase& database, bool sqlite) {
  ASSERT_TRUE(database.Execute(sqlite ? "DROP TRIGGER audit_log_append_only_update; DROP "
                                        "TRIGGER audit_log_append_only_delete"
                                      : "DROP TRIGGER audit_log_append_only ON audit_log"));
}

struct Tampering {
  std::string name;
  std::string sql;    // run behind tilsyn's back, with the append-only triggers dropped
  int64_t row;        // the row the first problem names
  std::string words;  // in its message
};

TEST_P(AuditTest, VerifyNamesTheEditedDeletedAndMovedRow) {
  ASSERT_TRUE(server::InitCrypto());
  const std::vector<Tampering> cases = {
      {"edited", "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4", 4,
       "row 4 was edited"},
      {"deleted", "DELETE FROM audit_log WHERE seq = 7", 8, "before row 8 was deleted"},
      {"moved",
       "UPDATE audit_log SET seq = 100 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = 6; "
       "UPDATE audit_log SET seq = 6 WHERE seq = 100",
       5, "row 5 was moved: it was written after row 6"},
      {"cut", "DELETE FROM audit_log WHERE seq >= 9", 10, "rows 9 to 10 were deleted"},
  };
  for (const Tampering& tampering : cases) {
    SCOPED_TRACE(tampering.name);
    Result<testing_support::TestDatabase> database =
        testing_support::TestDatabase::Create(GetParam(), "audit_verify_" + tampering.name);
    ASSERT_TRUE(database) << database.error().message;
    Result<std::unique_ptr<Store>> store = database->Open();
    ASSERT_TRUE(store) << store.error().message;
    for (int i = 1; i <= 10; ++i) {
      ASSERT_TRUE(server::AppendAudit(
          **store, {"leader", "10.0.0.1", "read_case", "child:B00" + std::to_string(i % 4), ""},
          Instant{kStartSeconds + i}));
    }
    EXPECT_EQ(RunVerify(*database).first, 0);
    // The log refuses changes through SQL while its triggers stand.
    EXPECT_FALSE(database->Execute("UPDATE audit_log SET detail = 'x' WHERE seq = 1"));
    EXPECT_FALSE(database->Execute("DELETE FROM audit_log WHERE seq = 1"));
    ASSERT_NO_FATAL_FAILURE(DropAppendOnlyTriggers(*database, sqlite()));
    ASSERT_TRUE(database->Execute(tampering.sql));

    Result<AuditVerification> verified = server::VerifyAudit(**store);
    ASSERT_TRUE(verified) << verified.error().message;
    ASSERT_FALSE(verified->problems.empty());
    const AuditProblem& first = verified->problems.front();
    EXPECT_EQ(first.seq, tampering.row) << first.message;
    EXPECT_NE(first.message.find(tampering.words), std::string::npos) << first.message;
    const auto [code, output] = RunVerify(*database);
    EXPECT_EQ(code, 1) << output;
    EXPECT_NE(output.find(tampering.words), std::string::npos) << output;
  }
}

// With a key, rows are hashed under it, and someone who writes rows again without the key (or
// with another) is caught even after recomputing every later hash; a server appends only with the
// key the log was written with.
TEST_P(AuditTest, AKeyedLogCatchesRowsWrittenAgainWithoutItsKey) {
  ASSERT_TRUE(server::InitCrypto());
  const std::string key = "the audit key of this test, 32 b";
  const std::string other = "another key, also long enough!!";
  struct Rewrite {
    std::string name;
    server::AuditKey key;  // of whoever writes rows 4 to 6 again
    std::string words;
  };
  const std::vector<Rewrite> rewrites = {
      {"without_key", std::nullopt,
       "row 4 has no key, though row 1 before it has: the log was rewritten from row 4 on"},
      {"other_key", other, "row 4 was edited"},
  };
  for (const Rewrite& rewrite : rewrites) {
    SCOPED_TRACE(rewrite.name);
    Result<testing_support::TestDatabase> database =
        testing_support::TestDatabase::Create(GetParam(), "audit_keyed_" + rewrite.name);
    ASSERT_TRUE(database) << database.error().message;
    Result<std::unique_ptr<Store>> store = database->Open();
    ASSERT_TRUE(store) << store.error().message;
    for (int i = 1; i <= 6; ++i) {
      ASSERT_TRUE(server::AppendAudit(
          **store, {"leader", "10.0.0.1", "read_case", "child:B00" + std::to_string(i), ""},
          Instant{kStartSeconds + i}, key));
    }
    Result<AuditVerification> verified = server::VerifyAudit(**store, key);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_TRUE(verified->problems.empty());
    EXPECT_EQ(verified->keyed_rows, 6);
    EXPECT_TRUE(verified->notices.empty());
    // Without the key, only the order is checked, and the check says so.
    verified = server::VerifyAudit(**store);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_TRUE(verified->problems.empty());
    ASSERT_EQ(verified->notices.size(), 1u);
    EXPECT_NE(verified->notices[0].find("6 rows carry the audit key"), std::string::npos);
    // A server appends only with the log's own key.
    EXPECT_TRUE(server::CheckAuditKey(**store, key));
    Status none = server::CheckAuditKey(**store, std::nullopt);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("kept with a key"), std::string::npos);
    Status wrong = server::CheckAuditKey(**store, other);
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("not the one"), std::string::npos);

    // Rows 4 to 6 are written again, row 4 changed, with every later hash recomputed.
    ASSERT_NO_FATAL_FAILURE(DropAppendOnlyTriggers(*database, sqlite()));
    ASSERT_TRUE(database->Execute("DELETE FROM audit_log WHERE seq >= 4"));
    ASSERT_TRUE(database->Execute(
        "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)"));
    for (int i = 4; i <= 6; ++i) {
      const std::string object = i == 4 ? "child:B999" : "child:B00" + std::to_string(i);
      ASSERT_TRUE(server::AppendAudit(**store, {"leader", "10.0.0.1", "read_case", object, ""},
                                      Instant{kStartSeconds + i}, rewrite.key));
    }
    verified = server::VerifyAudit(**store, key);
    ASSERT_TRUE(verified) << verified.error().message;
    ASSERT_FALSE(verified->problems.empty());
    EXPECT_EQ(verified->problems.front().seq, 4);
    EXPECT_NE(verified->problems.front().message.find(rewrite.words), std::string::npos)
        << verified->problems.front().message;
    // `tilsyn audit verify` takes the key from a file, or from TILSYN_AUDIT_KEY.
    const fs::path key_file = fs::temp_directory_path() / ("tilsyn-audit-key-" + rewrite.name);
    std::ofstream(key_file) << key << "\n";
    const auto [code, output] = RunVerify(*database, "--key-file '" + key_file.string() + "'");
    EXPECT_EQ(code, 1) << output;
    EXPECT_NE(output.find(rewrite.words), std::string::npos) << output;
    fs::remove(key_file);
  }
}

// A server with a key writes every row under it, and one without the key does not start on the
// log.
TEST_P(AuditTest, AServerWithAKeyWritesKeyedRowsAndNoneStartsWithoutIt) {
  ASSERT_TRUE(server::InitCrypto());
  Result<World> world = MakeWorld(GetParam(), "audit_keyed_server");
  ASSERT_TRUE(world) << world.error().message;
  const fs::path key_file = fs::temp_directory_path() / ("tilsyn-audit-key-" + GetParam());
  const std::string key = "the server's audit key, 32 bytes";
  std::ofstream(key_file) << key;
  TestClock clock;
  {
    server::ServerConfig config = world->config;
    config.audit_key_file = key_file;
    Result<std::unique_ptr<TestServer>> running = TestServer::Start(config, clock);
    ASSERT_TRUE(running) << running.error().message;
    httplib::Client client = (*running)->Client();
    Result<Session> leader = LogIn(client, "leader", kPassword);
    ASSERT_TRUE(leader);
    ASSERT_EQ(Get(client, "/api/children/B001", &*leader)->status, 200);
  }
  Result<std::unique_ptr<Store>> store = world->database.Open();
  ASSERT_TRUE(store);
  Result<AuditVerification> verified = server::VerifyAudit(**store, key);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->problems.empty());
  EXPECT_EQ(verified->rows, 2);  // the login and the read
  EXPECT_EQ(verified->keyed_rows, 2);
  Result<std::unique_ptr<TestServer>> keyless = TestServer::Start(world->config, clock);
  ASSERT_FALSE(keyless);
  EXPECT_NE(keyless.error().message.find("kept with a key"), std::string::npos)
      << keyless.error().message;
  fs::remove(key_file);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTest, BothEngines(), EngineName);

}  // namespace
}  // namespace tilsyn::api_test
