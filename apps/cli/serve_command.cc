#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "apps/cli/commands.h"
#include "apps/cli/source_options.h"
#include "core/clock.h"
#include "server/config.h"
#include "server/server.h"

namespace tilsyn::cli {
namespace {

struct ServeArgs {
  DataSource store;
  std::string config_file;
  int port = -1;
};

std::shared_ptr<spdlog::logger> MakeLogger(const server::ServerConfig& config) {
  auto logger =
      std::make_shared<spdlog::logger>("tilsyn", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  // One line per record, in UTC: key=value pairs, or a JSON object.
  logger->set_pattern(config.log_format == "json"
                          ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","record":%v})"
                          : "time=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(config.log_level));
  logger->flush_on(spdlog::level::info);
  return logger;
}

int RunServe(const ServeArgs& args) {
  server::ServerConfig config;
  if (!args.config_file.empty()) {
    Result<server::ServerConfig> loaded = server::LoadServerConfig(args.config_file);
    if (!loaded) return ReportError(loaded.error());
    config = std::move(*loaded);
  }
  config.sqlite_path = args.store.sqlite_path;
  config.postgres_url = args.store.postgres_url;
  if (args.port >= 0) config.port = args.port;

  // SIGTERM and SIGINT are taken by one thread, which stops the server; the request threads,
  // started after this, inherit the mask and never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::shared_ptr<spdlog::logger> logger = MakeLogger(config);
  Result<std::unique_ptr<server::Server>> created =
      server::Server::Create(config, WallClockNow, logger);
  if (!created) return ReportError(created.error());
  server::Server& server = **created;
  Result<int> port = server.Bind();
  if (!port) return ReportError(port.error());
  fmt::print("tilsyn serves http://{}:{}/\n", config.listen_address, *port);
  std::fflush(stdout);

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

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("serve", "Serve the JSON API");
  auto args = std::make_shared<ServeArgs>();
  AddSourceOptions(*command, args->store, false);
  command->add_option("--port", args->port, "Port on the listen address (0: any free port)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--config", args->config_file, "The configuration file (TOML)")
      ->check(CLI::ExistingFile);
  command->callback([args, &exit_code] { exit_code = RunServe(*args); });
}

}  // namespace tilsyn::cli
