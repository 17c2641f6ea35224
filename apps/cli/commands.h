#pragma once

#include <CLI/CLI.hpp>

#include "core/result.h"

namespace tilsyn::cli {

// Each subcommand registers itself on the app; its callback leaves the process exit code in
// `exit_code`.
void AddCheckCommand(CLI::App& app, int& exit_code);
void AddRealismCommand(CLI::App& app, int& exit_code);
void AddRulesCommand(CLI::App& app, int& exit_code);
void AddCalendarCommand(CLI::App& app, int& exit_code);
void AddImportCommand(CLI::App& app, int& exit_code);
void AddBenchCommand(CLI::App& app, int& exit_code);
void AddGenerateCommand(CLI::App& app, int& exit_code);
void AddServeCommand(CLI::App& app, int& exit_code);
void AddUserCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);

// The exit code for an error (cli.md: 1 for errors the user can fix), after printing it.
int ReportError(const Error& error);

}  // namespace tilsyn::cli
