#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/dataset.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/catalogue.h"
#include "service/data_source.h"

namespace tilsyn::cli {

// Adds --db FILE and --postgres URL (and, with `with_data_dir`, --data DIR) to `command`, exactly
// one of them required.
void AddSourceOptions(CLI::App& command, DataSource& source, bool with_data_dir);

// The date an option gives (`name` for the message), or `fallback` when it was not given.
Result<Date> DateOption(const std::string& name, const std::string& text, Date fallback);

// The rule catalogue (from `rules_dir`, else the built-in one) and the data set from `source`,
// its exemptions' rule ids checked against that catalogue.
struct CatalogueAndData {
  Catalogue catalogue;
  Dataset data;
};
Result<CatalogueAndData> LoadCatalogueAndData(const std::string& rules_dir,
                                              const DataSource& source);

}  // namespace tilsyn::cli
