#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "analytics/caseload.h"
#include "apps/cli/commands.h"
#include "apps/cli/progress.h"
#include "apps/cli/serving.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "server/accounts.h"
#include "server/config.h"
#include "server/crypto.h"
#include "server/server.h"
#include "service/data_source.h"
#include "service/overview.h"
#include "simulate/generate.h"

namespace tilsyn::cli {
namespace {

namespace fs = std::filesystem;

// A mid-size municipality: about 3,000 children with a case in three years.
constexpr int64_t kDemoChildren = 15000;
constexpr int kDemoYears = 3;
constexpr size_t kPasswordLength = 16;
// "Mine sager" shows what falls due within 14 days.
constexpr int kDueSoonDays = 14;

// The web UI to serve: --web-root; else $TILSYN_WEB_ROOT; else this source tree's built UI
// (web/dist) when it has been built; else none (the API only).
std::string DemoWebRoot(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* dir = std::getenv("TILSYN_WEB_ROOT"); dir != nullptr && *dir != '\0') return dir;
  const std::filesystem::path built = TILSYN_DEFAULT_WEB_ROOT;
  std::error_code ignored;
  return std::filesystem::exists(built / "index.html", ignored) ? built.string() : std::string();
}

struct DemoArgs {
  std::string db = "tilsyn-demo.db";
  int port = 8080;
  std::string web_root;
  uint64_t seed = 1;
  int64_t children = kDemoChildren;
};

// One demo login per role, bound to a unit (and for the caseworker, to the caseworker).
struct DemoUser {
  std::string login;
  server::Role role;
  std::string_view role_name;  // Danish
  uint32_t unit = kNone;
  uint32_t worker = kNone;
  std::string password;
};

// Generates the demo municipality up to `today` and imports it into `db`. It is built under a
// temporary name and renamed when whole, so an interrupted demo leaves no half file.
Status CreateDemoDatabase(const DemoArgs& args, Date today, const Catalogue& catalogue) {
  const fs::path db = fs::absolute(args.db);
  const fs::path work =
      db.parent_path() / fmt::format(".{}.tmp-{}", db.filename().string(), getpid());
  const fs::path data = work / "data";
  const fs::path building = work / "demo.db";
  std::error_code ignored;
  fs::remove_all(work, ignored);
  fs::create_directories(work);
  simulate::GenerateOptions options;
  options.children = args.children;
  options.years = kDemoYears;
  options.seed = args.seed;
  options.until = today;
  if (Status valid = simulate::ValidateGenerateOptions(options); !valid) return valid;
  const Status built = [&]() -> Status {
    Result<simulate::GenerateSummary> summary = [&] {
      ProgressBar bar("Simulerer en demokommune");
      return simulate::GenerateDataset(
          options, catalogue, data,
          [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
    }();
    if (!summary) return summary.error();
    ReadOptions read_options;
    read_options.known_rule_ids = catalogue.RuleIds();
    ProgressBar bar("Gemmer hændelser");
    Result<ImportSummary> imported =
        ImportDirectoryInto({"", building.string(), ""}, data, read_options,
                            [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); });
    if (!imported) return imported.error();
    return {};
  }();
  Status moved = built;
  if (built) {
    std::error_code error;
    fs::rename(building, db, error);
    if (error) {
      moved = Unavailable(fmt::format("cannot write {}: {}", db.string(), error.message()));
    }
  }
  fs::remove_all(work, ignored);
  return moved;
}

// The unit of `kind` at or above `unit`, else the top of its tree.
uint32_t AncestorOfKind(const Dataset& data, uint32_t unit, UnitKind kind) {
  uint32_t at = unit;
  while (data.units[at].kind != kind && data.units[at].parent != kNone) at = data.units[at].parent;
  return at;
}

// The demo's users: a typical caseworker of a team (a caseload within the recommended band, and
// the most steps due in the next 14 days, so that "Mine sager" shows what is coming as well as
// what is overdue), their leader, the head of department, and the committee, the reviewer and
// the admin of the whole municipality.
Result<std::vector<DemoUser>> ChooseDemoUsers(const Dataset& data, const Catalogue& catalogue,
                                              Date today) {
  const Engine engine(data, catalogue, Calendar::Danish());
  Result<CaseloadReport> caseloads = BuildCaseloadReport(engine, {today, ""});
  if (!caseloads) return std::move(caseloads).error();
  std::vector<int64_t> due_soon(data.workers.size(), 0);
  for (const Obligation& o : engine.EvaluateAll(today)) {
    if (o.status == ObligationStatus::kOpen && o.worker != kNone &&
        o.due_day <= AddDays(today, kDueSoonDays)) {
      ++due_soon[o.worker];
    }
  }
  // Ranked by: in a team, caseload within the band, steps due soon, open cases.
  uint32_t worker = kNone;
  std::tuple<bool, bool, int64_t, int64_t> best{false, false, -1, -1};
  for (const WorkerCaseloadView& view : caseloads->workers) {
    const uint32_t w = data.FindWorker(view.worker_id);
    const std::tuple<bool, bool, int64_t, int64_t> rank{
        data.units[data.workers[w].unit].kind == UnitKind::kTeam,
        view.level == CaseloadLevel::kWithin, due_soon[w], view.open_cases};
    if (std::get<0>(rank) && rank > best) {
      worker = w;
      best = rank;
    }
  }
  if (worker == kNone)
    return FailedPrecondition("the demo municipality has no caseworker in a team");
  const uint32_t team = data.workers[worker].unit;
  const uint32_t leader_unit = data.units[data.units[team].parent].kind == UnitKind::kDistrict
                                   ? data.units[team].parent
                                   : team;
  const uint32_t top = AncestorOfKind(data, team, UnitKind::kMunicipality);
  return std::vector<DemoUser>{
      {"raadgiver", server::Role::kWorker, "rådgiver", team, worker, ""},
      {"leder", server::Role::kLeader, "leder", leader_unit, kNone, ""},
      {"chef", server::Role::kHead, "afdelingsleder",
       AncestorOfKind(data, team, UnitKind::kDepartment), kNone, ""},
      {"udvalg", server::Role::kCommittee, "udvalg", top, kNone, ""},
      {"kvalitet", server::Role::kReviewer, "kvalitetsmedarbejder", top, kNone, ""},
      {"admin", server::Role::kAdmin, "administrator", top, kNone, ""},
  };
}

// Creates the demo users, or gives the existing ones new passwords.
Status SetUpDemoUsers(Store& store, const Dataset& data, std::vector<DemoUser>& users,
                      Instant now) {
  for (DemoUser& user : users) {
    user.password = server::RandomPassword(kPasswordLength);
    Result<std::optional<server::User>> existing = server::FindUser(store, user.login);
    if (!existing) return existing.error();
    if (*existing) {
      if (Status set = server::SetPassword(store, user.login, user.password); !set) return set;
      continue;
    }
    server::NewUser added{user.login,
                          user.worker == kNone ? user.login : data.workers[user.worker].name,
                          user.role,
                          data.units[user.unit].id,
                          user.worker == kNone ? "" : data.workers[user.worker].id,
                          user.password};
    if (Result<server::User> created = server::AddUser(store, added, now); !created) {
      return created.error();
    }
  }
  return {};
}

void PrintLogins(const std::string& url, const Dataset& data, const std::vector<DemoUser>& users,
                 bool with_web) {
  fmt::print("tilsyn demo kører på {}\n", url);
  if (!with_web) {
    fmt::print(
        "(web-brugerfladen er ikke bygget: kør npm ci && npm run build i web/, eller angiv "
        "--web-root; indtil da kun JSON-API'et, se {}api/openapi.json)\n",
        url);
  }
  fmt::print("Alle data er opdigtede. Log ind som en af disse brugere:\n\n");
  fmt::print("{:<10} {:<17} {:<21} {}\n", "Bruger", "Adgangskode", "Rolle", "Enhed");
  for (const DemoUser& user : users) {
    std::string unit = fmt::format("{} ({})", data.units[user.unit].name, data.units[user.unit].id);
    if (user.worker != kNone) {
      unit += fmt::format(", rådgiver {} ({})", data.workers[user.worker].name,
                          data.workers[user.worker].id);
    }
    fmt::print("{:<10} {:<17} {:<21} {}\n", user.login, user.password, user.role_name, unit);
  }
  fmt::print("\nAdgangskoderne er nye ved hver start. Stop med Ctrl-C.\n");
  std::fflush(stdout);
}

int RunDemo(const DemoArgs& args) {
  const sigset_t signals = BlockStopSignals();
  if (Status crypto = server::InitCrypto(); !crypto) return ReportError(crypto.error());
  const Instant now = WallClockNow();
  const Date today = Calendar::Danish().LocalDate(now);
  Result<Catalogue> catalogue = LoadCatalogue(DefaultRulesDirectory());
  if (!catalogue) return ReportError(catalogue.error());
  if (fs::exists(args.db)) {
    fmt::print(stderr, "Bruger demodatabasen {} igen\n", args.db);
  } else {
    fmt::print(stderr, "Opretter demodatabasen {} ...\n", args.db);
    if (Status created = CreateDemoDatabase(args, today, *catalogue); !created) {
      return ReportError(created.error());
    }
  }
  const DataSource source{"", args.db, ""};
  std::vector<DemoUser> users;
  Dataset data;
  {
    Result<std::unique_ptr<Store>> store = OpenStore(source);
    if (!store) return ReportError(store.error());
    Result<Dataset> loaded = (*store)->Load();
    if (!loaded) return ReportError(loaded.error());
    data = std::move(*loaded);
    Result<std::vector<DemoUser>> chosen = ChooseDemoUsers(data, *catalogue, today);
    if (!chosen) return ReportError(chosen.error());
    users = std::move(*chosen);
    if (Status set = SetUpDemoUsers(**store, data, users, now); !set)
      return ReportError(set.error());
  }

  server::ServerConfig config;
  config.sqlite_path = args.db;
  config.port = args.port;
  config.web_root = DemoWebRoot(args.web_root);
  std::shared_ptr<spdlog::logger> logger = MakeServerLogger(config);
  Result<BoundServer> started = StartServer(config, logger);
  if (!started) return ReportError(started.error());
  PrintLogins(fmt::format("http://{}:{}/", config.listen_address, started->port), data, users,
              !config.web_root.empty());
  return ServeUntilSignal(*started->server, signals, logger);
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "demo",
      "Serve a demo: a synthetic municipality in a SQLite file (made once, then reused), one "
      "login per role with new passwords, the web UI and the API");
  auto args = std::make_shared<DemoArgs>();
  command->add_option("--db", args->db,
                      "The demo's SQLite file; made when missing (default tilsyn-demo.db)");
  command->add_option("--port", args->port, "Port on 127.0.0.1 (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  command
      ->add_option("--web-root", args->web_root,
                   "The web UI's built files (default: $TILSYN_WEB_ROOT, else this source tree's "
                   "web/dist when built; without any, the API only)")
      ->check(CLI::ExistingDirectory);
  command->add_option("--seed", args->seed, "The seed of the simulated municipality (default 1)");
  command->add_option("--children", args->children,
                      "Children aged 0-17 in the simulated municipality (default 15000)");
  command->callback([args, &exit_code] { exit_code = RunDemo(*args); });
}

}  // namespace tilsyn::cli
