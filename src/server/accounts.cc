#include "server/accounts.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "server/crypto.h"

namespace tilsyn::server {
namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {"worker",    "leader",   "head",
                                                                 "committee", "reviewer", "admin"};
constexpr size_t kMinPasswordLength = 12;
// How often a session's last request time is written: not on every request.
constexpr int64_t kTouchEverySeconds = 60;

int64_t ToInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

constexpr std::string_view kUserColumns =
    "user_id, login, name, role, unit_id, worker_id, disabled, created_at";

Result<User> UserFromRow(const SqlRow& row, size_t first = 0) {
  User user;
  user.id = ToInt(row[first]);
  user.login = row[first + 1].value_or("");
  user.name = row[first + 2].value_or("");
  const std::optional<Role> role = ParseRole(row[first + 3].value_or(""));
  if (!role) return DataLoss(fmt::format("user \"{}\" has an unknown role", user.login));
  user.role = *role;
  user.unit_id = row[first + 4].value_or("");
  user.worker_id = row[first + 5].value_or("");
  user.disabled = ToInt(row[first + 6]) != 0;
  user.created = Instant{ToInt(row[first + 7])};
  return user;
}

Status CheckPassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument(
        fmt::format("the password must have at least {} characters", kMinPasswordLength));
  }
  return {};
}

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return {};
}

Result<User> AddUser(Store& store, const NewUser& user, Instant now) {
  if (user.login.empty() || user.login.size() > 64) {
    return InvalidArgument("the login must have 1 to 64 characters");
  }
  if (Status ok = CheckPassword(user.password); !ok) return ok.error();
  Result<std::optional<User>> existing = FindUser(store, user.login);
  if (!existing) return std::move(existing).error();
  if (*existing) return AlreadyExists(fmt::format("there is already a user \"{}\"", user.login));
  Result<std::vector<SqlRow>> unit =
      store.Query("SELECT 1 FROM units WHERE unit_id = $1", {user.unit_id});
  if (!unit) return std::move(unit).error();
  if (unit->empty()) {
    return NotFound(
        fmt::format("there is no unit \"{}\" (import the organisation first)", user.unit_id));
  }
  if (!user.worker_id.empty()) {
    Result<std::vector<SqlRow>> worker =
        store.Query("SELECT unit_id FROM workers WHERE worker_id = $1", {user.worker_id});
    if (!worker) return std::move(worker).error();
    if (worker->empty()) return NotFound(fmt::format("there is no worker \"{}\"", user.worker_id));
  }
  Result<std::string> hash = HashPassword(user.password);
  if (!hash) return std::move(hash).error();
  Result<std::vector<SqlRow>> inserted = store.Query(
      fmt::format("INSERT INTO users (login, name, role, unit_id, worker_id, password_hash, "
                  "disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING {}",
                  kUserColumns),
      {user.login, user.name, std::string(RoleName(user.role)), user.unit_id,
       user.worker_id.empty() ? SqlValue() : SqlValue(user.worker_id), *hash, now.seconds});
  if (!inserted) return std::move(inserted).error();
  return UserFromRow(inserted->front());
}

Status SetPassword(Store& store, std::string_view login, std::string_view password) {
  if (Status ok = CheckPassword(password); !ok) return ok;
  Result<std::string> hash = HashPassword(password);
  if (!hash) return hash.error();
  Result<std::vector<SqlRow>> updated =
      store.Query("UPDATE users SET password_hash = $1 WHERE login = $2 RETURNING user_id",
                  {*hash, std::string(login)});
  if (!updated) return updated.error();
  if (updated->empty()) return NotFound(fmt::format("there is no user \"{}\"", login));
  return {};
}

Status DisableUser(Store& store, std::string_view login) {
  return store.InTransaction("", [&]() -> Status {
    Result<std::vector<SqlRow>> updated = store.Query(
        "UPDATE users SET disabled = 1 WHERE login = $1 RETURNING user_id", {std::string(login)});
    if (!updated) return updated.error();
    if (updated->empty()) return NotFound(fmt::format("there is no user \"{}\"", login));
    Result<std::vector<SqlRow>> ended =
        store.Query("DELETE FROM sessions WHERE user_id = $1", {ToInt(updated->front()[0])});
    if (!ended) return ended.error();
    return {};
  });
}

Result<std::vector<User>> ListUsers(Store& store) {
  Result<std::vector<SqlRow>> rows =
      store.Query(fmt::format("SELECT {} FROM users ORDER BY login", kUserColumns));
  if (!rows) return std::move(rows).error();
  std::vector<User> users;
  for (const SqlRow& row : *rows) {
    Result<User> user = UserFromRow(row);
    if (!user) return std::move(user).error();
    users.push_back(std::move(*user));
  }
  return users;
}

Result<std::optional<User>> FindUser(Store& store, std::string_view login) {
  Result<std::vector<SqlRow>> rows = store.Query(
      fmt::format("SELECT {} FROM users WHERE login = $1", kUserColumns), {std::string(login)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<User>();
  Result<User> user = UserFromRow(rows->front());
  if (!user) return std::move(user).error();
  return std::optional<User>(std::move(*user));
}

Result<NewSession> Login(Store& store, const LoginPolicy& policy, std::string_view login,
                         std::string_view password, std::string_view client, Instant now) {
  const std::string login_key = fmt::format("login:{}", login);
  const std::string client_key = fmt::format("client:{}", client);
  const int64_t since = now.seconds - policy.window_seconds;
  Result<std::vector<SqlRow>> pruned =
      store.Query("DELETE FROM login_attempts WHERE at <= $1", {since});
  if (!pruned) return std::move(pruned).error();
  Result<std::vector<SqlRow>> failures = store.Query(
      "SELECT (SELECT count(*) FROM login_attempts WHERE attempt_key = $1 AND at > $3), "
      "(SELECT count(*) FROM login_attempts WHERE attempt_key = $2 AND at > $3)",
      {login_key, client_key, since});
  if (!failures) return std::move(failures).error();
  if (ToInt(failures->front()[0]) >= policy.attempts ||
      ToInt(failures->front()[1]) >= policy.attempts) {
    return ResourceExhausted(fmt::format("For mange mislykkede login; prøv igen om {} minutter",
                                         (policy.window_seconds + 59) / 60));
  }

  Result<std::vector<SqlRow>> rows =
      store.Query(fmt::format("SELECT {}, password_hash FROM users WHERE login = $1", kUserColumns),
                  {std::string(login)});
  if (!rows) return std::move(rows).error();
  std::optional<User> user;
  // An unknown login is checked against a hash too, so the answer takes as long either way.
  static const std::string unknown_user_hash = HashPassword(RandomToken()).value();
  const std::string& hash = rows->empty() ? unknown_user_hash : *rows->front()[8];
  const bool password_ok = VerifyPassword(hash, password);
  if (!rows->empty()) {
    Result<User> found = UserFromRow(rows->front());
    if (!found) return std::move(found).error();
    user = std::move(*found);
  }
  if (!user || !password_ok || user->disabled) {
    Status recorded = store.InTransaction("", [&]() -> Status {
      for (const std::string& key : {login_key, client_key}) {
        Result<std::vector<SqlRow>> inserted = store.Query(
            "INSERT INTO login_attempts (attempt_key, at) VALUES ($1, $2)", {key, now.seconds});
        if (!inserted) return inserted.error();
      }
      return {};
    });
    if (!recorded) return recorded.error();
    return Unauthenticated("Forkert brugernavn eller adgangskode");
  }
  Result<std::vector<SqlRow>> cleared =
      store.Query("DELETE FROM login_attempts WHERE attempt_key = $1", {login_key});
  if (!cleared) return std::move(cleared).error();

  NewSession session;
  session.token = RandomToken();
  session.csrf_token = RandomToken();
  session.user = std::move(*user);
  session.expires = Instant{now.seconds + policy.lifetime_seconds};
  Result<std::vector<SqlRow>> created = store.Query(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, client, created_at, last_seen, "
      "expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
      {Sha256Hex(session.token), session.user.id, session.csrf_token, std::string(client),
       now.seconds, session.expires.seconds});
  if (!created) return std::move(created).error();
  return session;
}

Result<SessionUser> FindSession(Store& store, const LoginPolicy& policy, std::string_view token,
                                Instant now) {
  const Error unauthenticated = Unauthenticated("Log ind for at fortsætte");
  if (token.empty()) return unauthenticated;
  SessionUser session;
  session.token_hash = Sha256Hex(token);
  Result<std::vector<SqlRow>> rows = store.Query(
      "SELECT s.csrf_token, s.last_seen, s.expires_at, u.user_id, u.login, u.name, u.role, "
      "u.unit_id, u.worker_id, u.disabled, u.created_at FROM sessions s JOIN users u ON u.user_id "
      "= s.user_id "
      "WHERE s.token_hash = $1",
      {session.token_hash});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return unauthenticated;
  const SqlRow& row = rows->front();
  const int64_t last_seen = ToInt(row[1]);
  const int64_t expires_at = ToInt(row[2]);
  Result<User> user = UserFromRow(row, 3);
  if (!user) return std::move(user).error();
  if (now.seconds >= expires_at || now.seconds >= last_seen + policy.idle_seconds ||
      user->disabled) {
    if (Status ended = EndSession(store, session.token_hash); !ended) return ended.error();
    return unauthenticated;
  }
  if (now.seconds - last_seen >= kTouchEverySeconds) {
    Result<std::vector<SqlRow>> touched =
        store.Query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2",
                    {now.seconds, session.token_hash});
    if (!touched) return std::move(touched).error();
  }
  session.user = std::move(*user);
  session.csrf_token = row[0].value_or("");
  return session;
}

Status EndSession(Store& store, std::string_view token_hash) {
  Result<std::vector<SqlRow>> deleted =
      store.Query("DELETE FROM sessions WHERE token_hash = $1", {std::string(token_hash)});
  if (!deleted) return deleted.error();
  return {};
}

}  // namespace tilsyn::server
