#include "server/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tilsyn::server {
namespace {

namespace fs = std::filesystem;

fs::path Write(const std::string& name, const std::string& text) {
  fs::path path = fs::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

// The example of README.md and examples/ holds the defaults.
TEST(ConfigTest, ExampleFileHoldsTheDefaults) {
  Result<ServerConfig> config =
      LoadServerConfig(fs::path(TILSYN_SOURCE_DIR) / "examples" / "serve.toml");
  ASSERT_TRUE(config) << config.error().message;
  const ServerConfig defaults;
  EXPECT_EQ(config->listen_address, defaults.listen_address);
  EXPECT_EQ(config->port, defaults.port);
  EXPECT_EQ(config->threads, defaults.threads);
  EXPECT_EQ(config->behind_tls, defaults.behind_tls);
  EXPECT_EQ(config->connections, defaults.connections);
  EXPECT_EQ(config->session_lifetime_seconds, defaults.session_lifetime_seconds);
  EXPECT_EQ(config->session_idle_seconds, defaults.session_idle_seconds);
  EXPECT_EQ(config->login_attempts, defaults.login_attempts);
  EXPECT_EQ(config->login_window_seconds, defaults.login_window_seconds);
  EXPECT_EQ(config->web_root, defaults.web_root);
  EXPECT_EQ(config->audit_key_file, defaults.audit_key_file);
  EXPECT_EQ(config->log_format, defaults.log_format);
}

TEST(ConfigTest, ReadsSettings) {
  Result<ServerConfig> config = LoadServerConfig(
      Write("tilsyn-config-settings.toml",
            "[server]\nport = 9090\nbehind_tls = true\n[sessions]\nidle_seconds = 600\n"
            "[web]\nroot = \"web/dist\"\n[audit]\nkey_file = \"/etc/tilsyn/audit.key\"\n"
            "[log]\nformat = \"json\"\n"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 9090);
  EXPECT_TRUE(config->behind_tls);
  EXPECT_EQ(config->session_idle_seconds, 600);
  EXPECT_EQ(config->web_root, "web/dist");
  EXPECT_EQ(config->audit_key_file, "/etc/tilsyn/audit.key");
  EXPECT_EQ(config->log_format, "json");
}

TEST(ConfigTest, NamesEveryMistake) {
  const fs::path path = Write("tilsyn-config-mistakes.toml",
                              "[server]\nprot = 1\nthreads = \"many\"\n[sesions]\n"
                              "[login]\nattempts = 0\n");
  Result<ServerConfig> config = LoadServerConfig(path);
  ASSERT_FALSE(config);
  const std::string& message = config.error().message;
  EXPECT_NE(message.find(path.string() + ": unknown setting server.prot"), std::string::npos)
      << message;
  EXPECT_NE(message.find("server.threads has the wrong type"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown table or setting \"sesions\""), std::string::npos) << message;
  EXPECT_NE(message.find("login.attempts and login.window_seconds must be at least 1"),
            std::string::npos)
      << message;
}

TEST(ConfigTest, SyntaxErrorsNameLineAndColumn) {
  const fs::path path = Write("tilsyn-config-syntax.toml", "[server]\nport = = 1\n");
  Result<ServerConfig> config = LoadServerConfig(path);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message.rfind(path.string() + ":2:", 0), 0u) << config.error().message;
}

}  // namespace
}  // namespace tilsyn::server
