#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/progress.h"
#include "rules/catalogue.h"
#include "simulate/generate.h"

namespace tilsyn::cli {
namespace {

struct GenerateArgs {
  std::string out;
  std::optional<int64_t> children;
  int years = simulate::kDefaultYears;
  uint64_t seed = 1;
  int municipalities = 1;
  std::string until;
  unsigned threads = 0;
  std::string rules_dir;
};

// 1234567 as "1.234.567", as Danish text writes it.
std::string Thousands(int64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') text += '.';
    text += digits[i];
  }
  return text;
}

// 2.5 as "2,5": one decimal, with the Danish decimal comma.
std::string Decimal(double value) {
  std::string text = fmt::format("{:.1f}", value);
  text[text.size() - 2] = ',';
  return text;
}

int RunGenerate(const GenerateArgs& args) {
  simulate::GenerateOptions options;
  options.children = args.children;
  options.years = args.years;
  options.seed = args.seed;
  options.municipalities = args.municipalities;
  options.threads = args.threads;
  if (!args.until.empty()) {
    Result<Date> until = ParseDate(args.until);
    if (!until) {
      fmt::print(stderr, "tilsyn generate: --until: {}\n", until.error().message);
      return 2;
    }
    options.until = *until;
  }
  if (Status valid = simulate::ValidateGenerateOptions(options); !valid) {
    fmt::print(stderr, "tilsyn generate: {}\n", valid.error().message);
    return 2;
  }
  Result<Catalogue> catalogue = LoadCatalogue(
      args.rules_dir.empty() ? DefaultRulesDirectory() : std::filesystem::path(args.rules_dir));
  if (!catalogue) return ReportError(catalogue.error());

  const auto started = std::chrono::steady_clock::now();
  Result<simulate::GenerateSummary> summary = [&] {
    ProgressBar bar("Simulerer kommuner");
    return simulate::GenerateDataset(
        options, *catalogue, args.out,
        [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
  }();
  if (!summary) return ReportError(summary.error());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const simulate::GenerateSummary& s = *summary;
  fmt::print(
      "Skrev {} til {}: {} børn på 0–17 år, heraf {} med en sag i perioden {} til {}; {} sager, "
      "{} hændelser, {} medarbejdere og {} enheder. Tid: {} s. Alle data er opdigtede.\n",
      s.municipalities.size() == 1 ? s.municipalities.front().name
                                   : fmt::format("{} kommuner", s.municipalities.size()),
      args.out, Thousands(s.population), Thousands(s.children), FormatDate(s.first_day),
      FormatDate(s.last_day), Thousands(s.cases), Thousands(s.events), Thousands(s.workers),
      Thousands(s.units), Decimal(seconds));
  return 0;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write a synthetic data set: simulated municipalities in the interchange format. The same "
      "options give the same bytes");
  auto args = std::make_shared<GenerateArgs>();
  command
      ->add_option("--out", args->out,
                   "The directory to write; it must be new, empty, or an earlier output of "
                   "generate (which is replaced)")
      ->required();
  command->add_option("--children", args->children,
                      "Children aged 0-17: of the one municipality (default 10000), or of all "
                      "municipalities together (default: each its size in the Danish spread)");
  command->add_option("--years", args->years, "Years of history, ending at --until (default 5)");
  command->add_option("--seed", args->seed, "The seed of the simulation (default 1)");
  command->add_option("--municipalities", args->municipalities,
                      "How many municipalities, of sizes in the Danish spread (default 1)");
  command->add_option("--until", args->until,
                      "The last day of the history, YYYY-MM-DD (default 2026-09-30, never today)");
  command->add_option("--threads", args->threads,
                      "Worker threads (default: all cores); does not change the output");
  command->add_option("--rules", args->rules_dir,
                      "The rule catalogue directory (default: built in, or $TILSYN_RULES)");
  command->callback([args, &exit_code] { exit_code = RunGenerate(*args); });
}

}  // namespace tilsyn::cli
