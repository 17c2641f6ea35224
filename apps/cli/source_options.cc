#include "apps/cli/source_options.h"

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

}  // namespace tilsyn::cli
