#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace tilsyn::server {

// How `tilsyn serve` runs: read from a TOML file (README.md shows one), every key optional.
struct ServerConfig {
  // [server]
  std::string listen_address = "127.0.0.1";
  int port = 8080;   // 0: any free port, printed at start
  int threads = 64;  // each keep-alive connection holds a thread while it is open
  // Whether clients reach the server over HTTPS through a proxy: session cookies get Secure, and
  // responses Strict-Transport-Security.
  bool behind_tls = false;
  // The client address to log and audit is the proxy's X-Forwarded-For when this is set.
  bool trust_forwarded_for = false;

  // [store]: one of them (the command line's --db or --postgres wins).
  std::string sqlite_path;
  std::string postgres_url;
  int connections = 8;  // connections to the store, shared by the request threads (the audit
                        // log has one more of its own)

  // [data]
  std::filesystem::path rules_dir;     // empty: the built-in catalogue
  std::filesystem::path cpr_key_file;  // for CPR numbers in posted events; empty: none accepted

  // [audit]: the key of the audit log's hash chain (at least 16 bytes); empty: $TILSYN_AUDIT_KEY,
  // else no key (a plain SHA-256 chain).
  std::filesystem::path audit_key_file;

  // [sessions]
  int64_t session_lifetime_seconds = int64_t{8} * 3600;  // from login, however active
  int64_t session_idle_seconds = int64_t{30} * 60;       // without a request

  // [login]: failed logins allowed per login name and per client address within the window.
  int login_attempts = 5;
  int64_t login_window_seconds = int64_t{15} * 60;

  // [web]: the web UI's built files (web/dist), served for every GET outside the API; empty: none.
  std::filesystem::path web_root;

  // [log]
  std::string log_format = "keyvalue";  // or "json"
  std::string log_level = "info";
};

// Reads `path` (TOML). Unknown keys are errors, so that a misspelt setting is not silently lost.
Result<ServerConfig> LoadServerConfig(const std::filesystem::path& path);

}  // namespace tilsyn::server
