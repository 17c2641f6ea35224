#include "server/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <set>
#include <string_view>

namespace tilsyn::server {
namespace {

// Reads the keys of one table, refusing any it does not know.
class TableReader {
 public:
  TableReader(const toml::table& root, std::string_view name, std::string file)
      : file_(std::move(file)), name_(name) {
    if (const toml::node* node = root.get(name)) {
      table_ = node->as_table();
      if (table_ == nullptr) Fail(fmt::format("[{}] must be a table", name));
    }
  }

  template <typename T>
  void Read(std::string_view key, T& out) {
    known_.insert(std::string(key));
    if (table_ == nullptr) return;
    const toml::node* node = table_->get(key);
    if (node == nullptr) return;
    if constexpr (std::is_same_v<T, bool>) {
      if (const auto value = node->value<bool>()) {
        out = *value;
        return;
      }
    } else if constexpr (std::is_integral_v<T>) {
      if (const auto value = node->value<int64_t>()) {
        out = static_cast<T>(*value);
        return;
      }
    } else {
      if (const auto value = node->value<std::string>()) {
        out = *value;
        return;
      }
    }
    Fail(fmt::format("{}.{} has the wrong type", name_, key));
  }

  // Errors for keys no Read asked for.
  void CheckUnknown() {
    if (table_ == nullptr) return;
    for (const auto& [key, value] : *table_) {
      if (known_.count(std::string(key.str())) == 0) {
        Fail(fmt::format("unknown setting {}.{}", name_, key.str()));
      }
    }
  }

  std::string errors;

 private:
  void Fail(const std::string& message) { errors += fmt::format("{}: {}\n", file_, message); }

  std::string file_;
  std::string_view name_;
  const toml::table* table_ = nullptr;
  std::set<std::string> known_;
};

}  // namespace

Result<ServerConfig> LoadServerConfig(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    return InvalidArgument(fmt::format("{}:{}:{}: {}", path.string(), error.source().begin.line,
                                       error.source().begin.column, error.description()));
  }
  ServerConfig config;
  std::string errors;
  const std::set<std::string_view> tables = {"server",   "store", "data", "audit",
                                             "sessions", "login", "web",  "log"};
  for (const auto& [key, value] : root) {
    if (tables.count(key.str()) == 0) {
      errors += fmt::format("{}: unknown table or setting \"{}\"\n", path.string(), key.str());
    }
  }
  const auto read = [&](std::string_view table, const auto& body) {
    TableReader reader(root, table, path.string());
    body(reader);
    reader.CheckUnknown();
    errors += reader.errors;
  };
  read("server", [&](TableReader& r) {
    r.Read("listen_address", config.listen_address);
    r.Read("port", config.port);
    r.Read("threads", config.threads);
    r.Read("behind_tls", config.behind_tls);
    r.Read("trust_forwarded_for", config.trust_forwarded_for);
  });
  read("store", [&](TableReader& r) {
    r.Read("sqlite_path", config.sqlite_path);
    r.Read("postgres_url", config.postgres_url);
    r.Read("connections", config.connections);
  });
  std::string rules_dir, cpr_key_file;
  read("data", [&](TableReader& r) {
    r.Read("rules_dir", rules_dir);
    r.Read("cpr_key_file", cpr_key_file);
  });
  config.rules_dir = rules_dir;
  config.cpr_key_file = cpr_key_file;
  std::string audit_key_file;
  read("audit", [&](TableReader& r) { r.Read("key_file", audit_key_file); });
  config.audit_key_file = audit_key_file;
  read("sessions", [&](TableReader& r) {
    r.Read("lifetime_seconds", config.session_lifetime_seconds);
    r.Read("idle_seconds", config.session_idle_seconds);
  });
  read("login", [&](TableReader& r) {
    r.Read("attempts", config.login_attempts);
    r.Read("window_seconds", config.login_window_seconds);
  });
  std::string web_root;
  read("web", [&](TableReader& r) { r.Read("root", web_root); });
  config.web_root = web_root;
  read("log", [&](TableReader& r) {
    r.Read("format", config.log_format);
    r.Read("level", config.log_level);
  });
  const auto fail = [&](std::string_view message) {
    errors += fmt::format("{}: {}\n", path.string(), message);
  };
  if (config.port < 0 || config.port > 65535) fail("server.port must be 0 to 65535");
  if (config.threads < 1) fail("server.threads must be at least 1");
  if (config.connections < 1) fail("store.connections must be at least 1");
  if (config.session_lifetime_seconds < 60 || config.session_idle_seconds < 60) {
    fail("sessions.lifetime_seconds and sessions.idle_seconds must be at least 60");
  }
  if (config.login_attempts < 1 || config.login_window_seconds < 1) {
    fail("login.attempts and login.window_seconds must be at least 1");
  }
  if (config.log_format != "keyvalue" && config.log_format != "json") {
    fail("log.format must be \"keyvalue\" or \"json\"");
  }
  if (!errors.empty()) {
    errors.pop_back();
    return InvalidArgument(errors);
  }
  return config;
}

}  // namespace tilsyn::server
