#include <cstdio>
#include <exception>

#include "apps/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tilsyn: ledelsestilsyn og ledelsesinformation for udsatte børn og unge"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tilsyn 0.1.0");
  int exit_code = 0;
  tilsyn::cli::AddDemoCommand(app, exit_code);
  tilsyn::cli::AddImportCommand(app, exit_code);
  tilsyn::cli::AddCheckCommand(app, exit_code);
  tilsyn::cli::AddRealismCommand(app, exit_code);
  tilsyn::cli::AddRulesCommand(app, exit_code);
  tilsyn::cli::AddCalendarCommand(app, exit_code);
  tilsyn::cli::AddGenerateCommand(app, exit_code);
  tilsyn::cli::AddBenchCommand(app, exit_code);
  tilsyn::cli::AddServeCommand(app, exit_code);
  tilsyn::cli::AddUserCommand(app, exit_code);
  tilsyn::cli::AddAuditCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // cli.md: usage errors exit 2; --help and --version exit 0.
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tilsyn: internal error: %s\n", e.what());
    return 3;
  }
  return exit_code;
}
