#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "server/accounts.h"
#include "server/config.h"
#include "server/server.h"
#include "service/data_source.h"
#include "support/test_store.h"

namespace tilsyn::api_test {

// The time the tests' servers start at: 30 June 2025, 10:00 in Copenhagen (08:00 UTC), so that
// "today" is the example municipality's last day.
inline constexpr int64_t kStartSeconds = 1751270400;

// A clock the test moves by hand.
class TestClock {
 public:
  Instant Now() const { return Instant{seconds_.load()}; }
  void Advance(int64_t seconds) { seconds_ += seconds; }

 private:
  std::atomic<int64_t> seconds_{kStartSeconds};
};

// One `tilsyn serve` running in the test process on 127.0.0.1, on a port of its own choosing.
class TestServer {
 public:
  static Result<std::unique_ptr<TestServer>> Start(server::ServerConfig config,
                                                   const TestClock& clock);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  // A client of this server.
  httplib::Client Client() const;

 private:
  TestServer() = default;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// A signed-in client: the session cookie and the CSRF token from the login.
struct Session {
  std::string cookie;  // "tilsyn_session=..."
  std::string csrf;
  std::string set_cookie;  // the Set-Cookie header as sent
};

// Logs in; the status of a failure in `status`.
Result<Session> LogIn(httplib::Client& client, std::string_view login, std::string_view password,
                      int* status = nullptr);
httplib::Result Get(httplib::Client& client, const std::string& path, const Session* session);
httplib::Result Post(httplib::Client& client, const std::string& path, const std::string& body,
                     const Session* session, bool with_csrf = true);

// The number of audit rows with `action` and, unless empty, `object`; -1 (and a test failure)
// when the log cannot be searched.
int64_t AuditRows(Store& store, const std::string& action, const std::string& object = "");

// The users every test world has, one per role; the password of each is kPassword.
inline constexpr std::string_view kPassword = "a long test password";
struct RoleUser {
  server::Role role;
  std::string login;
  std::string unit;
  std::string worker;  // for role worker
};
const std::vector<RoleUser>& RoleUsers();

// A store of one engine with the example municipality (examples/kommune, municipality M1) and a
// second municipality M2 (unit X1, worker WX1, child X001) that no test user's scope includes,
// and the users of RoleUsers().
struct World {
  testing_support::TestDatabase database;
  server::ServerConfig config;  // store set, port 0
};
Result<World> MakeWorld(std::string_view engine, std::string_view name);

// A world with a server started on it: what most API tests begin with. The clock outlives the
// server that reads it.
struct Running {
  World world;
  TestClock clock;
  std::unique_ptr<TestServer> server;
};
Result<std::unique_ptr<Running>> StartWorld(std::string_view engine, std::string_view name);

// Parameters of the suites that run on both engines.
inline auto BothEngines() {
  return ::testing::Values(std::string(testing_support::kSqlite),
                           std::string(testing_support::kPostgres));
}
inline std::string EngineName(const ::testing::TestParamInfo<std::string>& param_info) {
  return param_info.param;
}

// The key for CPR numbers in the example data.
inline constexpr std::string_view kCprKey = "a test key of thirty-two bytes!!";

}  // namespace tilsyn::api_test
