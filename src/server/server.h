#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "core/time.h"
#include "server/config.h"

namespace spdlog {
class logger;
}

namespace tilsyn::server {

// The clock the server reads "now" from; the wall clock in `tilsyn serve`, a fixed one in tests.
using Clock = std::function<Instant()>;

// `tilsyn serve`: the JSON API over one store, for as long as Run runs. Every response carries
// the security headers; every request is logged as one structured line.
class Server {
 public:
  // Opens the store of `config`, migrates it and loads its case data.
  static Result<std::unique_ptr<Server>> Create(const ServerConfig& config, Clock clock,
                                                std::shared_ptr<spdlog::logger> logger);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the configured address and port (0: any free port) and returns the port bound.
  Result<int> Bind();
  // Serves until Stop; returns once the requests in flight have been answered.
  Status Run();
  // Stops accepting connections. Safe to call from another thread (a signal watcher).
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tilsyn::server
