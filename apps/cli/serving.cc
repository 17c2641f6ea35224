#include "apps/cli/serving.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "apps/cli/commands.h"
#include "core/clock.h"

namespace tilsyn::cli {

std::shared_ptr<spdlog::logger> MakeServerLogger(const server::ServerConfig& config) {
  auto logger =
      std::make_shared<spdlog::logger>("tilsyn", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern(config.log_format == "json"
                          ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","record":%v})"
                          : "time=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(config.log_level));
  logger->flush_on(spdlog::level::info);
  return logger;
}

sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

Result<BoundServer> StartServer(const server::ServerConfig& config,
                                const std::shared_ptr<spdlog::logger>& logger) {
  Result<std::unique_ptr<server::Server>> created =
      server::Server::Create(config, WallClockNow, logger);
  if (!created) return std::move(created).error();
  Result<int> port = (*created)->Bind();
  if (!port) return std::move(port).error();
  return BoundServer{std::move(*created), *port};
}

int ServeUntilSignal(server::Server& server, const sigset_t& signals,
                     const std::shared_ptr<spdlog::logger>& logger) {
  // One thread takes the signal and stops the server; the request threads inherit the mask and
  // never see it.
  std::thread watcher([&server, &signals, logger] {
    int signal = 0;
    sigwait(&signals, &signal);
    logger->info(fmt::format("event=stopping signal={}", signal));
    server.Stop();
  });
  Status ran = server.Run();
  if (!ran) {
    // Wakes the watcher, which is waiting for a signal that will now not come from outside.
    kill(getpid(), SIGTERM);
  }
  watcher.join();
  logger->info("event=stopped");
  if (!ran) return ReportError(ran.error());
  return 0;
}

}  // namespace tilsyn::cli
