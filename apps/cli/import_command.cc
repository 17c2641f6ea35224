#include <fmt/format.h>

#include <memory>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/progress.h"
#include "apps/cli/source_options.h"
#include "rules/catalogue.h"
#include "service/data_source.h"

namespace tilsyn::cli {
namespace {

struct ImportArgs {
  DataSource target;
  std::string data_dir;
  std::string cpr_key_file;
  std::string rules_dir;
};

std::string Counts(const ImportCounts& counts) {
  return fmt::format("{} nye, {} ændrede, {} uændrede", counts.added, counts.updated,
                     counts.unchanged);
}

int RunImport(const ImportArgs& args) {
  Result<std::optional<std::string>> key = CprKey(args.cpr_key_file);
  if (!key) return ReportError(key.error());
  Result<Catalogue> catalogue = LoadCatalogue(
      args.rules_dir.empty() ? DefaultRulesDirectory() : std::filesystem::path(args.rules_dir));
  if (!catalogue) return ReportError(catalogue.error());
  ReadOptions read_options;
  read_options.known_rule_ids = catalogue->RuleIds();
  read_options.cpr_key = *key;
  Result<ImportSummary> summary = [&] {
    ProgressBar bar("Gemmer hændelser");
    return ImportDirectoryInto(args.target, args.data_dir, read_options,
                               [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
  }();
  if (!summary) {
    const int code = ReportError(summary.error());
    fmt::print(stderr, "tilsyn: nothing was imported; the database is as it was\n");
    return code;
  }
  const ImportSummary& s = *summary;
  if (s.import_id == 0) {
    fmt::print("Intet nyt: alt i {} findes allerede i databasen ({} hændelser).\n", args.data_dir,
               s.events.unchanged);
  } else {
    fmt::print("Import {} fra {}:\n", s.import_id, args.data_dir);
    fmt::print("  enheder:       {}\n", Counts(s.units));
    fmt::print("  medarbejdere:  {}\n", Counts(s.workers));
    fmt::print("  børn:          {}\n", Counts(s.children));
    fmt::print("  hændelser:     {} nye, {} uændrede\n", s.events.added, s.events.unchanged);
  }
  if (s.stored_events_not_in_import > 0) {
    fmt::print("  {} hændelser i databasen er ikke med i denne eksport; de bevares.\n",
               s.stored_events_not_in_import);
  }
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "import", "Validate a data set and load it into a database, all or nothing");
  auto args = std::make_shared<ImportArgs>();
  AddSourceOptions(*command, args->target, false);
  command->add_option("dir", args->data_dir, "The data set (directory of CSV, XLSX or JSONL files)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--cpr-key-file", args->cpr_key_file,
                   "The key for hashing CPR numbers (default: $TILSYN_CPR_KEY)")
      ->check(CLI::ExistingFile);
  command->add_option("--rules", args->rules_dir,
                      "The rule catalogue directory (default: built in, or $TILSYN_RULES)");
  command->callback([args, &exit_code] { exit_code = RunImport(*args); });
}

}  // namespace tilsyn::cli
