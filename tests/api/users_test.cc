// The admin's user management through the API: the list of the admin's subtree, creating a user
// with `tilsyn user add`'s validation and errors, disabling one; each change audited.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/api_world.h"

namespace tilsyn::api_test {
namespace {

using Json = nlohmann::json;

class UsersTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UsersTest, ListShowsEveryFieldOfTheSubtreesUsers) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "users_list");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> admin = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(admin);
  httplib::Result listed = Get(client, "/api/users", &*admin);
  ASSERT_EQ(listed->status, 200) << listed->body;
  const Json users = Json::parse(listed->body)["users"];
  ASSERT_EQ(users.size(), RoleUsers().size());
  const Json& worker = users[users.size() - 1];  // by login: admin, committee, …, worker
  EXPECT_EQ(worker["login"], "worker");
  EXPECT_EQ(worker["name"], "worker");
  EXPECT_EQ(worker["role"], "worker");
  EXPECT_EQ(worker["unit"], "T06");
  EXPECT_EQ(worker["worker"], "W03");
  EXPECT_EQ(worker["disabled"], false);
  EXPECT_EQ(worker["created"], "2025-06-30T10:00:00+02:00");  // kStartSeconds in Copenhagen
}

TEST_P(UsersTest, CreateValidatesAsUserAddAndIsAudited) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "users_create");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> admin = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(admin);
  const auto post = [&](const Json& body) {
    return Post(client, "/api/users", body.dump(), &*admin);
  };
  const Json good = {{"login", "birthe"}, {"name", "Birthe Rådgiver"},
                     {"role", "worker"},  {"unit", "T06"},
                     {"worker", "W03"},   {"password", "twelve chars!"}};
  struct Mistake {
    const char* key;
    Json value;
    int status;
    const char* message;
  };
  const Mistake mistakes[] = {
      {"password", "too short", 400, "at least 12 characters"},
      {"role", "boss", 400, "use worker, leader, head, committee, reviewer or admin"},
      {"unit", "T99", 404, "T99"},
      {"worker", "W99", 404, "W99"},
      {"worker", "WX1", 403, "WX1"},  // the other municipality's
      {"login", "", 400, "1 to 64 characters"},
      {"login", 7, 400, "must be text"},
      {"colour", "blue", 400, "unknown field"},
  };
  for (const Mistake& mistake : mistakes) {
    Json body = good;
    body[mistake.key] = mistake.value;
    httplib::Result answer = post(body);
    EXPECT_EQ(answer->status, mistake.status) << mistake.key << ": " << answer->body;
    EXPECT_NE(answer->body.find(mistake.message), std::string::npos) << answer->body;
  }
  Json without_password = good;
  without_password.erase("password");
  EXPECT_EQ(post(without_password)->status, 400);

  httplib::Result created = post(good);
  ASSERT_EQ(created->status, 201) << created->body;
  const Json user = Json::parse(created->body);
  EXPECT_EQ(user["login"], "birthe");
  EXPECT_EQ(user["name"], "Birthe Rådgiver");
  EXPECT_EQ(user["unit_name"], "Team 0–6 år");
  EXPECT_EQ(user["worker"], "W03");
  EXPECT_EQ(post(good)->status, 409);  // the login is taken
  // The new user signs in with the password given.
  EXPECT_TRUE(LogIn(client, "birthe", "twelve chars!"));

  Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(AuditRows(**store, "create_user", "user:birthe"), 1);
  // The password is kept only as an Argon2id hash.
  Result<std::vector<SqlRow>> hash =
      (*store)->Query("SELECT password_hash FROM users WHERE login = 'birthe'");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->front()[0]->rfind("$argon2id$", 0), 0u);
}

TEST_P(UsersTest, DisableEndsTheSessionsAndIsAudited) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "users_disable");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> admin = LogIn(client, "admin", kPassword);
  Result<Session> leader = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(admin && leader);
  ASSERT_EQ(Get(client, "/api/me", &*leader)->status, 200);
  httplib::Result disabled = Post(client, "/api/users/leader/disable", "", &*admin);
  ASSERT_EQ(disabled->status, 200) << disabled->body;
  EXPECT_EQ(Json::parse(disabled->body)["disabled"], true);
  EXPECT_EQ(Get(client, "/api/me", &*leader)->status, 401);
  int status = 0;
  EXPECT_FALSE(LogIn(client, "leader", kPassword, &status));
  EXPECT_EQ(status, 401);
  EXPECT_EQ(Post(client, "/api/users/nobody/disable", "", &*admin)->status, 404);
  EXPECT_EQ(Post(client, "/api/users/admin/disable", "", &*admin)->status, 400);  // not oneself
  Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(AuditRows(**store, "disable_user", "user:leader"), 1);
  EXPECT_EQ(AuditRows(**store, "disable_user", "user:nobody"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, UsersTest, BothEngines(), EngineName);

}  // namespace
}  // namespace tilsyn::api_test
