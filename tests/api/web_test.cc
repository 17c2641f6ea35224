// The web UI from `tilsyn serve`: its files with their types and caching, the index page for the
// app's own routes, the security headers on every answer, no way out of the web root; and without
// a web root, no web UI at all.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api/api_world.h"

namespace tilsyn::api_test {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

constexpr std::string_view kIndex =
    "<!doctype html><script type=\"module\" src=\"/assets/index-3f2a.js\"></script>";

// The headers every answer carries, the web UI's files included.
void ExpectSecurityHeaders(const httplib::Response& response, const std::string& what) {
  const std::string csp = response.get_header_value("Content-Security-Policy");
  for (const char* directive :
       {"default-src 'self'", "script-src 'self'", "style-src 'self'",
        "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'"}) {
    EXPECT_NE(csp.find(directive), std::string::npos) << what << ": " << directive;
  }
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
  EXPECT_EQ(response.get_header_value("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(response.get_header_value("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(response.get_header_value_count("Cache-Control"), 1u) << what;
}

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("tilsyn-api-web-" + std::to_string(getpid()));
    fs::remove_all(base_);
    Write(base_ / "secret.txt", "not for the web");
    Write(base_ / "dist" / "index.html", std::string(kIndex));
    Write(base_ / "dist" / "assets" / "index-3f2a.js", "console.log('tilsyn');");
    Write(base_ / "dist" / "assets" / "index-3f2a.css", "body{}");
    Write(base_ / "dist" / "favicon.ico", "icon");
    Result<World> world = MakeWorld(testing_support::kSqlite, "web");
    ASSERT_TRUE(world) << world.error().message;
    world_ = std::make_unique<World>(std::move(*world));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(base_);
  }

  httplib::Client Start(const fs::path& web_root) {
    server::ServerConfig config = world_->config;
    config.web_root = web_root;
    Result<std::unique_ptr<TestServer>> server = TestServer::Start(config, clock_);
    EXPECT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    httplib::Client client = server_->Client();
    // Paths go out exactly as written, %2e%2e included.
    client.set_url_encode(false);
    return client;
  }

  fs::path base_;
  std::unique_ptr<World> world_;
  TestClock clock_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(WebTest, ServesTheAppItsFilesAndItsRoutes) {
  httplib::Client client = Start(base_ / "dist");
  for (const char* path : {"/", "/sager", "/overblik", "/sag/B001", "/administration"}) {
    httplib::Result page = client.Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->body, kIndex) << path;
    EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache") << path;
    ExpectSecurityHeaders(*page, path);
  }
  httplib::Result script = client.Get("/assets/index-3f2a.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->body, "console.log('tilsyn');");
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  ExpectSecurityHeaders(*script, "script");
  httplib::Result style = client.Get("/assets/index-3f2a.css");
  ASSERT_TRUE(style);
  EXPECT_EQ(style->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(client.Get("/favicon.ico")->get_header_value("Content-Type"), "image/x-icon");
  // A hashed file of an older build is missing, not the index page.
  EXPECT_EQ(client.Get("/assets/index-0000.js")->status, 404);
}

TEST_F(WebTest, TheApiStaysTheApi) {
  httplib::Client client = Start(base_ / "dist");
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->body, "{\"status\":\"ok\"}");
  EXPECT_EQ(health->get_header_value("Cache-Control"), "no-store");
  for (const char* path : {"/api/nothing", "/api", "/calendar/abc.ics"}) {
    httplib::Result missing = client.Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_EQ(missing->status, 404) << path;
    EXPECT_EQ(missing->get_header_value("Content-Type"), "application/json") << path;
    ExpectSecurityHeaders(*missing, path);
  }
  EXPECT_EQ(client.Get("/api/me")->status, 401);
}

TEST_F(WebTest, NoPathLeavesTheWebRoot) {
  httplib::Client client = Start(base_ / "dist");
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt", "/%2e%2e%5csecret.txt"}) {
    httplib::Result answer = client.Get(path);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(answer->status, 400) << path << ": " << answer->body;
    EXPECT_EQ(answer->body.find("not for the web"), std::string::npos) << path;
    ExpectSecurityHeaders(*answer, path);
  }
}

TEST_F(WebTest, WithoutAWebRootThereIsNoWebUi) {
  httplib::Client client = Start({});
  for (const char* path : {"/", "/sager", "/assets/index-3f2a.js"}) {
    httplib::Result answer = client.Get(path);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(answer->status, 404) << path;
    EXPECT_EQ(answer->get_header_value("Content-Type"), "application/json") << path;
  }
  EXPECT_EQ(client.Get("/healthz")->status, 200);
}

TEST_F(WebTest, AWebRootWithoutABuildStopsTheStart) {
  server::ServerConfig config = world_->config;
  config.web_root = base_ / "dist" / "assets";
  Result<std::unique_ptr<TestServer>> server = TestServer::Start(config, clock_);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("index.html"), std::string::npos);
}

}  // namespace
}  // namespace tilsyn::api_test
