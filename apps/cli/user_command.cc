#include <fmt/format.h>

#include <memory>
#include <string>

#include "apps/cli/commands.h"
#include "apps/cli/password_input.h"
#include "apps/cli/source_options.h"
#include "core/clock.h"
#include "server/accounts.h"
#include "server/crypto.h"
#include "service/data_source.h"

namespace tilsyn::cli {
namespace {

struct UserArgs {
  DataSource store;
  std::string login, name, role, unit, worker;
};

// Opens the store and runs `body` on it, reporting its error.
int WithStore(const UserArgs& args, const std::function<Status(Store&)>& body) {
  if (Status crypto = server::InitCrypto(); !crypto) return ReportError(crypto.error());
  Result<std::unique_ptr<Store>> store = OpenStore(args.store);
  if (!store) return ReportError(store.error());
  if (Status status = body(**store); !status) return ReportError(status.error());
  return 0;
}

int RunAdd(const UserArgs& args) {
  const std::optional<server::Role> role = server::ParseRole(args.role);
  if (!role) {
    return ReportError(InvalidArgument(fmt::format(
        "--role {}: use worker, leader, head, committee, reviewer or admin", args.role)));
  }
  Result<std::string> password = ReadNewPassword();
  if (!password) return ReportError(password.error());
  return WithStore(args, [&](Store& store) -> Status {
    server::NewUser user{args.login,  args.name.empty() ? args.login : args.name,
                         *role,       args.unit,
                         args.worker, *password};
    Result<server::User> added = server::AddUser(store, user, WallClockNow());
    if (!added) return added.error();
    fmt::print("Bruger {} oprettet: {}, enhed {}\n", added->login, server::RoleName(added->role),
               added->unit_id);
    return {};
  });
}

int RunPasswd(const UserArgs& args) {
  Result<std::string> password = ReadNewPassword();
  if (!password) return ReportError(password.error());
  return WithStore(args, [&](Store& store) -> Status {
    if (Status set = server::SetPassword(store, args.login, *password); !set) return set;
    fmt::print("Adgangskoden for {} er skiftet\n", args.login);
    return {};
  });
}

int RunList(const UserArgs& args) {
  return WithStore(args, [&](Store& store) -> Status {
    Result<std::vector<server::User>> users = server::ListUsers(store);
    if (!users) return users.error();
    fmt::print("{:<20} {:<10} {:<10} {:<10} {:<9} {}\n", "login", "rolle", "enhed", "rådgiver",
               "status", "navn");
    for (const server::User& user : *users) {
      fmt::print("{:<20} {:<10} {:<10} {:<10} {:<9} {}\n", user.login, server::RoleName(user.role),
                 user.unit_id, user.worker_id.empty() ? "-" : user.worker_id,
                 user.disabled ? "spærret" : "aktiv", user.name);
    }
    return {};
  });
}

int RunDisable(const UserArgs& args) {
  return WithStore(args, [&](Store& store) -> Status {
    if (Status disabled = server::DisableUser(store, args.login); !disabled) return disabled;
    fmt::print("Bruger {} er spærret, og sessionerne er lukket\n", args.login);
    return {};
  });
}

}  // namespace

void AddUserCommand(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("user", "Manage the server's users");
  command->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();

  CLI::App* add = command->add_subcommand(
      "add", "Add a user; the password is read from standard input (or asked for)");
  AddSourceOptions(*add, args->store, false);
  add->add_option("login", args->login, "The user's login name")->required();
  add->add_option("--name", args->name, "Full name (default: the login)");
  add->add_option("--role", args->role, "worker, leader, head, committee, reviewer or admin")
      ->required();
  add->add_option("--unit", args->unit, "The unit the user belongs to (unit_id)")->required();
  add->add_option("--worker", args->worker, "The caseworker the user is (worker_id)");
  add->callback([args, &exit_code] { exit_code = RunAdd(*args); });

  CLI::App* passwd = command->add_subcommand(
      "passwd", "Set a user's password, read from standard input (or asked for)");
  AddSourceOptions(*passwd, args->store, false);
  passwd->add_option("login", args->login, "The user's login name")->required();
  passwd->callback([args, &exit_code] { exit_code = RunPasswd(*args); });

  CLI::App* list = command->add_subcommand("list", "List the users");
  AddSourceOptions(*list, args->store, false);
  list->callback([args, &exit_code] { exit_code = RunList(*args); });

  CLI::App* disable = command->add_subcommand("disable", "Disable a user and end their sessions");
  AddSourceOptions(*disable, args->store, false);
  disable->add_option("login", args->login, "The user's login name")->required();
  disable->callback([args, &exit_code] { exit_code = RunDisable(*args); });
}

}  // namespace tilsyn::cli
