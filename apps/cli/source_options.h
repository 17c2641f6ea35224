#pragma once

#include <CLI/CLI.hpp>

#include "service/data_source.h"

namespace tilsyn::cli {

// Adds --db FILE and --postgres URL (and, with `with_data_dir`, --data DIR) to `command`, exactly
// one of them required.
void AddSourceOptions(CLI::App& command, DataSource& source, bool with_data_dir);

}  // namespace tilsyn::cli
