#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/serving.h"
#include "apps/cli/source_options.h"
#include "server/config.h"
#include "server/server.h"

namespace tilsyn::cli {
namespace {

struct ServeArgs {
  DataSource store;
  std::string config_file;
  std::string web_root;
  int port = -1;
};

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
  if (!args.web_root.empty()) config.web_root = args.web_root;

  const sigset_t signals = BlockStopSignals();
  std::shared_ptr<spdlog::logger> logger = MakeServerLogger(config);
  Result<BoundServer> started = StartServer(config, logger);
  if (!started) return ReportError(started.error());
  fmt::print("tilsyn serves http://{}:{}/\n", config.listen_address, started->port);
  std::fflush(stdout);
  return ServeUntilSignal(*started->server, signals, logger);
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
  command->add_option("--web-root", args->web_root,
                      "The web UI's built files (web/dist), served outside /api; wins over "
                      "[web] root");
  command->callback([args, &exit_code] { exit_code = RunServe(*args); });
}

}  // namespace tilsyn::cli
