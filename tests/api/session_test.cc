// Sessions, CSRF protection, login rate limiting and security headers, on both engines.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/api_world.h"
#include "server/accounts.h"

namespace tilsyn::api_test {
namespace {

using Json = nlohmann::json;

class SessionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("session_") + info->name();
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    Result<World> world = MakeWorld(GetParam(), name);
    ASSERT_TRUE(world) << world.error().message;
    world_ = std::make_unique<World>(std::move(*world));
  }

  std::unique_ptr<TestServer> Start(server::ServerConfig config) {
    Result<std::unique_ptr<TestServer>> server = TestServer::Start(std::move(config), clock_);
    EXPECT_TRUE(server) << server.error().message;
    return server ? std::move(*server) : nullptr;
  }

  std::unique_ptr<World> world_;
  TestClock clock_;
};

TEST_P(SessionTest, CookieIsHttpOnlyStrictAndSecureOnlyBehindTls) {
  std::unique_ptr<TestServer> server = Start(world_->config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();
  Result<Session> session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  EXPECT_NE(session->set_cookie.find("; HttpOnly"), std::string::npos) << session->set_cookie;
  EXPECT_NE(session->set_cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_EQ(session->set_cookie.find("Secure"), std::string::npos);
  server.reset();

  server::ServerConfig tls = world_->config;
  tls.behind_tls = true;
  server = Start(tls);
  ASSERT_TRUE(server);
  httplib::Client tls_client = server->Client();
  Result<Session> secure = LogIn(tls_client, "leader", kPassword);
  ASSERT_TRUE(secure);
  EXPECT_NE(secure->set_cookie.find("; Secure"), std::string::npos) << secure->set_cookie;
  EXPECT_EQ(Get(tls_client, "/api/me", &*secure)->get_header_value("Strict-Transport-Security"),
            "max-age=31536000; includeSubDomains");
}

TEST_P(SessionTest, WrongPasswordUnknownUserAndDisabledUserAreRefusedAlike) {
  std::unique_ptr<TestServer> server = Start(world_->config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();
  int status = 0;
  EXPECT_FALSE(LogIn(client, "leader", "not the password", &status));
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(LogIn(client, "nobody", kPassword, &status));
  EXPECT_EQ(status, 401);
  Result<Session> session = LogIn(client, "head", kPassword);
  ASSERT_TRUE(session);
  Result<std::unique_ptr<Store>> store = world_->database.Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(server::DisableUser(**store, "head"));
  EXPECT_EQ(Get(client, "/api/me", &*session)->status, 401);  // its sessions ended
  EXPECT_FALSE(LogIn(client, "head", kPassword, &status));
  EXPECT_EQ(status, 401);
}

TEST_P(SessionTest, SessionsEndOnLogoutIdleAndLifetime) {
  server::ServerConfig config = world_->config;
  config.session_idle_seconds = 600;
  config.session_lifetime_seconds = 3600;
  std::unique_ptr<TestServer> server = Start(config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();

  Result<Session> session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  EXPECT_EQ(Get(client, "/api/me", &*session)->status, 200);
  EXPECT_EQ(Post(client, "/api/logout", "", &*session, false)->status, 403);  // no CSRF token
  EXPECT_EQ(Post(client, "/api/logout", "", &*session)->status, 204);
  EXPECT_EQ(Get(client, "/api/me", &*session)->status, 401);

  // Idle: a request every 9 minutes keeps the session; 10 minutes without one ends it.
  session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(540);
    EXPECT_EQ(Get(client, "/api/me", &*session)->status, 200) << i;
  }
  clock_.Advance(600);
  EXPECT_EQ(Get(client, "/api/me", &*session)->status, 401);

  // Lifetime: however active, an hour after login it ends.
  session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(590);
    EXPECT_EQ(Get(client, "/api/me", &*session)->status, 200) << i;
  }
  clock_.Advance(60);
  EXPECT_EQ(Get(client, "/api/me", &*session)->status, 401);
  // A made-up token is no session.
  Session forged = *session;
  forged.cookie = "tilsyn_session=made-up";
  EXPECT_EQ(Get(client, "/api/me", &forged)->status, 401);
}

TEST_P(SessionTest, StateChangesNeedTheSessionsCsrfToken) {
  std::unique_ptr<TestServer> server = Start(world_->config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();
  Result<Session> admin = LogIn(client, "admin", kPassword);
  Result<Session> other = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(admin && other);
  const std::string body = "{\"events\": []}";
  EXPECT_EQ(Post(client, "/api/events", body, &*admin, false)->status, 403);
  Session wrong = *admin;
  wrong.csrf = other->csrf;  // another session's token
  EXPECT_EQ(Post(client, "/api/events", body, &wrong)->status, 403);
  EXPECT_EQ(Post(client, "/api/events", body, &*admin)->status, 200);
  // A form post (not JSON) is refused before it is read.
  httplib::Headers headers = {{"Cookie", admin->cookie}, {"X-CSRF-Token", admin->csrf}};
  EXPECT_EQ(
      client.Post("/api/events", headers, "events=1", "application/x-www-form-urlencoded")->status,
      400);
}

TEST_P(SessionTest, FailedLoginsAreLimitedPerLoginAndPerClientAcrossInstances) {
  server::ServerConfig config = world_->config;
  config.login_attempts = 3;
  config.login_window_seconds = 900;
  std::unique_ptr<TestServer> first = Start(config);
  std::unique_ptr<TestServer> second = Start(config);
  ASSERT_TRUE(first && second);
  httplib::Client a = first->Client();
  httplib::Client b = second->Client();
  int status = 0;
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(LogIn(a, "leader", "wrong password", &status));
    EXPECT_EQ(status, 401);
  }
  // The third failure, on the other instance, reaches the limit the store keeps for both.
  EXPECT_FALSE(LogIn(b, "leader", "wrong password", &status));
  EXPECT_EQ(status, 401);
  EXPECT_FALSE(LogIn(a, "leader", kPassword, &status));
  EXPECT_EQ(status, 429);
  // The same client address is limited for every login, too.
  EXPECT_FALSE(LogIn(b, "head", kPassword, &status));
  EXPECT_EQ(status, 429);
  clock_.Advance(901);
  EXPECT_TRUE(LogIn(b, "leader", kPassword, &status));
}

TEST_P(SessionTest, EveryResponseHasTheSecurityHeaders) {
  std::unique_ptr<TestServer> server = Start(world_->config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();
  Result<Session> session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  for (const auto& [path, status] :
       std::vector<std::pair<std::string, int>>{{"/healthz", 200},
                                                {"/api/me", 200},
                                                {"/api/nothing-here", 404},
                                                {"/api/children/X001", 403},
                                                {"/api/rates?as_of=31-12-2024", 400}}) {
    httplib::Result result = Get(client, path, &*session);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, status) << path;
    const std::string csp = result->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(result->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store") << path;
    if (status != 200) {
      EXPECT_TRUE(Json::parse(result->body)["error"]["message"].is_string()) << path;
    }
  }
  EXPECT_EQ(Get(client, "/api/me", nullptr)->status, 401);
}

// Browsers offer Brotli; cpp-httplib's Brotli is so slow (its highest quality) that a large
// answer took a second. Answers are gzip, or plain when gzip is not offered either.
TEST_P(SessionTest, AnswersAreGzipEvenWhenBrotliIsOffered) {
  std::unique_ptr<TestServer> server = Start(world_->config);
  ASSERT_TRUE(server);
  httplib::Client client = server->Client();
  Result<Session> session = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(session);
  for (const auto& [accept, coding] :
       std::vector<std::pair<std::string, std::string>>{{"gzip, deflate, br, zstd", "gzip"},
                                                        {"br;q=1.0, gzip;q=0.8", "gzip"},
                                                        {"br", ""},
                                                        {"gzip", "gzip"}}) {
    const httplib::Result result = client.Get(
        "/api/rules", httplib::Headers{{"Cookie", session->cookie}, {"Accept-Encoding", accept}});
    ASSERT_TRUE(result) << accept;
    EXPECT_EQ(result->status, 200) << accept;
    EXPECT_EQ(result->get_header_value("Content-Encoding"), coding) << accept;
    EXPECT_TRUE(Json::parse(result->body)["rules"].is_array()) << accept;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, SessionTest, BothEngines(), EngineName);

}  // namespace
}  // namespace tilsyn::api_test
