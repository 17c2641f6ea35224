#include "apps/cli/source_options.h"

#include <fmt/format.h>

#include <filesystem>
#include <utility>

namespace tilsyn::cli {

void AddSourceOptions(CLI::App& command, DataSource& source, bool with_data_dir) {
  CLI::Option_group* group = command.add_option_group("data source", "Where the case data is");
  if (with_data_dir) {
    group
        ->add_option("--data", source.data_dir,
                     "A data set in the interchange format (directory), read without a database")
        ->check(CLI::ExistingDirectory);
  }
  group->add_option("--db", source.sqlite_path, "A SQLite database file");
  group->add_option("--postgres", source.postgres_url,
                    "A PostgreSQL connection (postgresql://user@host:port/database)");
  group->require_option(1);
}

Result<Date> DateOption(const std::string& name, const std::string& text, Date fallback) {
  if (text.empty()) return fallback;
  Result<Date> date = ParseDate(text);
  if (!date) return InvalidArgument(fmt::format("{}: {}", name, date.error().message));
  return date;
}

Result<CatalogueAndData> LoadCatalogueAndData(const std::string& rules_dir,
                                              const DataSource& source) {
  Result<Catalogue> catalogue =
      LoadCatalogue(rules_dir.empty() ? DefaultRulesDirectory() : std::filesystem::path(rules_dir));
  if (!catalogue) return std::move(catalogue).error();
  ReadOptions read_options;
  read_options.known_rule_ids = catalogue->RuleIds();
  Result<Dataset> data = LoadDataset(source, read_options);
  if (!data) return std::move(data).error();
  return CatalogueAndData{std::move(*catalogue), std::move(*data)};
}

}  // namespace tilsyn::cli
