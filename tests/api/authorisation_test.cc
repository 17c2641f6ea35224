// The authorisation matrix: every endpoint × every role × data inside and outside the user's
// scope, on SQLite and on the real PostgreSQL server, asserting 401, 403 or suppression exactly.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_world.h"

namespace tilsyn::api_test {
namespace {

using Json = nlohmann::json;
using server::Role;

// What a role reaches inside its scope, per endpoint: the ids each user's own data has.
struct Inside {
  std::string unit, worker, child;
};
Inside InsideOf(const RoleUser& user) {
  // Every role's unit holds team T06 (worker W03, child B001) except the reviewer's (district
  // DS: team TU, worker W07, child B011).
  if (user.role == Role::kReviewer) return {user.unit, "W07", "B011"};
  return {user.unit, "W03", "B001"};
}
// The second municipality: outside everyone's scope.
const Inside kOutside = {"M2", "WX1", "X001"};

struct Endpoint {
  std::string name;
  // The request's path for the given ids.
  std::string (*path)(const Inside&);
  // The status a role gets inside its scope (outside, every scoped endpoint gives 403).
  int (*inside_status)(Role);
  bool scoped;  // outside data gives 403
};

int AllOk(Role /*role*/) { return 200; }
int NotCommittee(Role role) { return role == Role::kCommittee ? 403 : 200; }
int AdminOnly(Role role) { return role == Role::kAdmin ? 200 : 403; }

const std::vector<Endpoint>& Endpoints() {
  static const std::vector<Endpoint> endpoints = {
      {"me", [](const Inside&) { return std::string("/api/me"); }, AllOk, false},
      {"rules", [](const Inside&) { return std::string("/api/rules"); }, AllOk, false},
      {"units", [](const Inside&) { return std::string("/api/units"); }, AllOk, false},
      {"workers", [](const Inside& in) { return "/api/units/" + in.unit + "/workers"; },
       NotCommittee, true},
      {"rates", [](const Inside& in) { return "/api/rates?unit=" + in.unit; }, AllOk, true},
      {"rates_csv", [](const Inside& in) { return "/api/rates?format=csv&unit=" + in.unit; }, AllOk,
       true},
      {"quarterly", [](const Inside& in) { return "/api/rates/quarterly?unit=" + in.unit; }, AllOk,
       true},
      {"obligations", [](const Inside& in) { return "/api/obligations?unit=" + in.unit; },
       NotCommittee, true},
      {"obligations_xlsx",
       [](const Inside& in) { return "/api/obligations?format=xlsx&unit=" + in.unit; },
       NotCommittee, true},
      {"worklist", [](const Inside& in) { return "/api/workers/" + in.worker + "/worklist"; },
       NotCommittee, true},
      {"case", [](const Inside& in) { return "/api/children/" + in.child; }, NotCommittee, true},
      {"caseloads", [](const Inside& in) { return "/api/caseloads?unit=" + in.unit; }, NotCommittee,
       true},
      {"audit", [](const Inside&) { return std::string("/api/audit"); }, AdminOnly, false},
      {"users", [](const Inside&) { return std::string("/api/users"); }, AdminOnly, false},
  };
  return endpoints;
}

class AuthorisationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AuthorisationTest, EveryEndpointEveryRoleInsideAndOutside) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "authorisation_matrix");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();

  for (const Endpoint& endpoint : Endpoints()) {
    httplib::Result anonymous = Get(client, endpoint.path(kOutside), nullptr);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << endpoint.name << " without a session";
  }
  for (const char* path : {"/api/events", "/api/users", "/api/users/target/disable"}) {
    httplib::Result anonymous_post = Post(client, path, "{}", nullptr);
    ASSERT_TRUE(anonymous_post);
    EXPECT_EQ(anonymous_post->status, 401) << path;
  }
  // Users to disable: one inside every scope but the reviewer's (team T06), one outside all.
  {
    Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
    ASSERT_TRUE(store);
    for (const auto& [login, unit] : {std::pair{"target", "T06"}, std::pair{"xenia", "X1"}}) {
      ASSERT_TRUE(server::AddUser(**store,
                                  {login, login, Role::kWorker, unit, "", std::string(kPassword)},
                                  Instant{kStartSeconds}));
    }
  }

  for (const RoleUser& user : RoleUsers()) {
    Result<Session> session = LogIn(client, user.login, kPassword);
    ASSERT_TRUE(session) << user.login << ": " << session.error().message;
    const Inside inside = InsideOf(user);
    for (const Endpoint& endpoint : Endpoints()) {
      httplib::Result in = Get(client, endpoint.path(inside), &*session);
      ASSERT_TRUE(in);
      EXPECT_EQ(in->status, endpoint.inside_status(user.role))
          << user.login << " " << endpoint.name << " inside: " << in->body;
      httplib::Result out = Get(client, endpoint.path(kOutside), &*session);
      ASSERT_TRUE(out);
      EXPECT_EQ(out->status, endpoint.scoped ? 403 : endpoint.inside_status(user.role))
          << user.login << " " << endpoint.name << " outside: " << out->body;
    }
    // The unit list holds the user's subtree only.
    const Json units = Json::parse(Get(client, "/api/units", &*session)->body)["units"];
    for (const Json& unit : units) {
      EXPECT_NE(unit["id"], "M2") << user.login;
      EXPECT_NE(unit["id"], "X1") << user.login;
    }
    EXPECT_FALSE(units.empty()) << user.login;
    // Event intake: admin only, and it needs the CSRF token.
    httplib::Result posted = Post(client, "/api/events", "{\"events\": []}", &*session);
    ASSERT_TRUE(posted);
    EXPECT_EQ(posted->status, user.role == Role::kAdmin ? 200 : 403)
        << user.login << ": " << posted->body;
    // Users: an admin creates and disables users inside their subtree only; no other role does.
    const bool admin = user.role == Role::kAdmin;
    const auto new_user = [&](const std::string& unit) {
      return Json{{"login", "new-" + user.login + "-" + unit},
                  {"role", "worker"},
                  {"unit", unit},
                  {"password", kPassword}}
          .dump();
    };
    httplib::Result created_in = Post(client, "/api/users", new_user(inside.unit), &*session);
    EXPECT_EQ(created_in->status, admin ? 201 : 403) << user.login << ": " << created_in->body;
    httplib::Result created_out = Post(client, "/api/users", new_user("X1"), &*session);
    EXPECT_EQ(created_out->status, 403) << user.login << ": " << created_out->body;
    httplib::Result without_csrf =
        Post(client, "/api/users", new_user(inside.unit), &*session, false);
    EXPECT_EQ(without_csrf->status, 403) << user.login;
    httplib::Result disabled_out = Post(client, "/api/users/xenia/disable", "", &*session);
    EXPECT_EQ(disabled_out->status, 403) << user.login << ": " << disabled_out->body;
    httplib::Result disabled_in = Post(client, "/api/users/target/disable", "", &*session);
    EXPECT_EQ(disabled_in->status, admin ? 200 : 403) << user.login << ": " << disabled_in->body;
    if (admin) {
      // The list is the admin's subtree: the new user and the disabled one, never xenia.
      const Json users = Json::parse(Get(client, "/api/users", &*session)->body)["users"];
      std::map<std::string, bool> disabled;
      for (const Json& listed : users) disabled[listed["login"]] = listed["disabled"];
      EXPECT_EQ(disabled.count("xenia"), 0u);
      EXPECT_EQ(disabled.at("target"), true);
      EXPECT_EQ(disabled.at("new-admin-M1"), false);
      EXPECT_EQ(disabled.size(), RoleUsers().size() + 2);
    }
  }
}

// A worker sees named children of their own team only; their district's figures are open to
// them, its names are not.
TEST_P(AuthorisationTest, WorkerSeesNamesOnlyInOwnUnit) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "authorisation_worker");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> worker = LogIn(client, "worker", kPassword);
  ASSERT_TRUE(worker);
  // Team T713 is beside T06 in district DN.
  EXPECT_EQ(Get(client, "/api/children/B002", &*worker)->status, 200);         // T06
  EXPECT_EQ(Get(client, "/api/workers/W05/worklist", &*worker)->status, 403);  // T713
  EXPECT_EQ(Get(client, "/api/obligations?unit=T713", &*worker)->status, 403);
  EXPECT_EQ(Get(client, "/api/rates?unit=DN", &*worker)->status, 403);  // above own unit
  Result<Session> leader = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(leader);
  EXPECT_EQ(Get(client, "/api/workers/W05/worklist", &*leader)->status, 200);
  EXPECT_EQ(Get(client, "/api/obligations?unit=T713", &*leader)->status, 200);
}

// A caseworker opens the case of a child registered above their team (B040 belongs to district
// DS) whose caseworker they are now (W08 of team TU since 2025-06-23), and still no case of
// another team.
TEST_P(AuthorisationTest, WorkerOpensTheCasesOnTheirWorklist) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "authorisation_caseworker");
  ASSERT_TRUE(running) << running.error().message;
  {
    Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
    ASSERT_TRUE(store) << store.error().message;
    Result<server::User> added = server::AddUser(
        **store, {"tu-worker", "tu-worker", Role::kWorker, "TU", "W08", std::string(kPassword)},
        Instant{kStartSeconds});
    ASSERT_TRUE(added) << added.error().message;
  }
  httplib::Client client = (*running)->server->Client();
  Result<Session> worker = LogIn(client, "tu-worker", kPassword);
  ASSERT_TRUE(worker);
  httplib::Result worklist = Get(client, "/api/workers/W08/worklist", &*worker);
  ASSERT_EQ(worklist->status, 200) << worklist->body;
  EXPECT_NE(worklist->body.find("\"B040\""), std::string::npos) << worklist->body;
  EXPECT_EQ(Get(client, "/api/children/B040", &*worker)->status, 200);  // registered in DS
  EXPECT_EQ(Get(client, "/api/children/B002", &*worker)->status, 403);  // team T06
}

// The committee sees figures per whole quarter only: every count from 1 to 4 hidden (null), and
// whatever would reveal one; what it is shown equals the true count; nothing per worker.
TEST_P(AuthorisationTest, CommitteeFiguresAreSuppressed) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "authorisation_committee");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> committee = LogIn(client, "committee", kPassword);
  Result<Session> admin = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(committee && admin);
  const std::string path = "/api/rates?unit=M1&from=2025-04-01&to=2025-06-30";
  const Json hidden = Json::parse(Get(client, path, &*committee)->body);
  const Json open = Json::parse(Get(client, path, &*admin)->body);
  EXPECT_TRUE(hidden["suppressed"].get<bool>());
  EXPECT_FALSE(open["suppressed"].get<bool>());
  EXPECT_FALSE(hidden.contains("workers"));
  EXPECT_TRUE(open.contains("workers"));
  ASSERT_EQ(hidden["rates"].size(), open["rates"].size());
  int small_cells = 0, shown_cells = 0;
  for (size_t r = 0; r < open["rates"].size(); ++r) {
    const Json& h = hidden["rates"][r];
    const Json& o = open["rates"][r];
    for (const char* cell : {"met", "met_late", "overdue", "open", "exempted", "not_applicable",
                             "denominator", "done"}) {
      const int64_t count = o[cell].get<int64_t>();
      if (count >= 1 && count <= 4) {
        EXPECT_TRUE(h[cell].is_null()) << o["rule"] << " " << cell << " = " << count;
        ++small_cells;
      }
      if (!h[cell].is_null()) {
        EXPECT_EQ(h[cell], o[cell]) << o["rule"] << " " << cell;
        ++shown_cells;
      }
    }
    if (!h["rate"].is_null()) {
      EXPECT_EQ(h["rate"], o["rate"]) << o["rule"];
    }
  }
  // The quarter has both kinds of cell, so both were tested.
  EXPECT_GT(small_cells, 0);
  EXPECT_GT(shown_cells, 0);
  // By default the committee gets the quarter of the as-of date; any other period is refused.
  const Json current = Json::parse(Get(client, "/api/rates?unit=M1", &*committee)->body);
  EXPECT_EQ(current["from"], "2025-04-01");
  EXPECT_EQ(current["to"], "2025-06-30");
  EXPECT_EQ(Get(client, "/api/rates?unit=M1&from=2025-04-01&to=2025-06-29", &*committee)->status,
            400);
  // The export hides the same cells, and has no sheet per caseworker.
  const std::string csv = Get(client, path + "&format=csv", &*committee)->body;
  EXPECT_NE(csv.find("diskretioneret"), std::string::npos);
  EXPECT_EQ(csv.find("W03"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthorisationTest, BothEngines(), EngineName);

}  // namespace
}  // namespace tilsyn::api_test
