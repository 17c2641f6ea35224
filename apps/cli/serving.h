#pragma once

#include <csignal>
#include <memory>

#include "core/result.h"
#include "server/config.h"
#include "server/server.h"

namespace spdlog {
class logger;
}

namespace tilsyn::cli {

// The server's log on standard error: one line per record, in UTC, key=value or JSON.
std::shared_ptr<spdlog::logger> MakeServerLogger(const server::ServerConfig& config);

// Blocks SIGTERM and SIGINT in the calling thread, and so in every thread it starts after this, so
// that only ServeUntilSignal takes them. Call before anything starts threads.
sigset_t BlockStopSignals();

// A server for `config`, bound to its port (the one the system chose when config.port is 0).
struct BoundServer {
  std::unique_ptr<server::Server> server;
  int port = 0;
};
Result<BoundServer> StartServer(const server::ServerConfig& config,
                                const std::shared_ptr<spdlog::logger>& logger);

// Serves on `server` (bound) until SIGTERM or SIGINT, then answers the requests in flight and
// returns the exit code.
int ServeUntilSignal(server::Server& server, const sigset_t& signals,
                     const std::shared_ptr<spdlog::logger>& logger);

}  // namespace tilsyn::cli
