#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/store.h"

namespace tilsyn::server {

// What a user may do and see; each user is bound to one organisational unit (DESIGN.md).
enum class Role : uint8_t { kWorker, kLeader, kHead, kCommittee, kReviewer, kAdmin };
inline constexpr int kRoleCount = 6;
std::string_view RoleName(Role role);  // "worker"
std::optional<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string login;
  std::string name;
  Role role = Role::kWorker;
  std::string unit_id;
  std::string worker_id;  // the caseworker this user is, for role worker; may be empty
  bool disabled = false;
  Instant created;
};

// A new user: everything but the id, and the password in clear (hashed before it is stored).
struct NewUser {
  std::string login, name;
  Role role = Role::kWorker;
  std::string unit_id, worker_id;
  std::string password;
};

// The users of the server, kept in the store. A password must have at least 12 characters.
Result<User> AddUser(Store& store, const NewUser& user, Instant now);
Status SetPassword(Store& store, std::string_view login, std::string_view password);
// Disabling also ends the user's sessions.
Status DisableUser(Store& store, std::string_view login);
Result<std::vector<User>> ListUsers(Store& store);
// The user of `login`, or none.
Result<std::optional<User>> FindUser(Store& store, std::string_view login);

// Limits on logins, from the configuration.
struct LoginPolicy {
  int attempts = 5;              // failed logins allowed per login name and per client address
  int64_t window_seconds = 900;  // … within this many seconds
  int64_t lifetime_seconds = int64_t{8} * 3600;
  int64_t idle_seconds = 1800;
};

// A session as the client holds it: the cookie's token (only its hash is stored) and the token
// every state-changing request must carry in the X-CSRF-Token header.
struct NewSession {
  std::string token;
  std::string csrf_token;
  User user;
  Instant expires;
};

// The signed-in user of a request.
struct SessionUser {
  User user;
  std::string csrf_token;
  std::string token_hash;
};

// Checks a password and opens a session. Failed attempts are counted in the store per login name
// and per client address, so the limit holds across server instances: past it, every attempt is
// refused (kResourceExhausted) until the window has passed. Wrong name, wrong password and a
// disabled user give the same kUnauthenticated error.
Result<NewSession> Login(Store& store, const LoginPolicy& policy, std::string_view login,
                         std::string_view password, std::string_view client, Instant now);
// The session of a cookie token; kUnauthenticated when there is none, it expired or its user was
// disabled. Notes the request's time now and then, for the idle limit.
Result<SessionUser> FindSession(Store& store, const LoginPolicy& policy, std::string_view token,
                                Instant now);
Status EndSession(Store& store, std::string_view token_hash);

}  // namespace tilsyn::server
