// Event intake through the API (the import's validation, all or nothing, in the figures at once),
// and two server instances on one PostgreSQL seeing each other's sessions and events.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/api_world.h"

namespace tilsyn::api_test {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kRule = "notification_assessed_24h";

// The rule's counts for team T06.
Json Counts(httplib::Client& client, const Session& session) {
  const Json rates = Json::parse(Get(client, "/api/rates?unit=T06", &session)->body)["rates"];
  for (const Json& rate : rates) {
    if (rate["rule"] == kRule) return rate;
  }
  return {};
}

int64_t ListedTotal(httplib::Client& client, const Session& session, std::string_view status) {
  const std::string path =
      fmt::format("/api/obligations?unit=T06&rule={}&status={}&page_size=1", kRule, status);
  return Json::parse(Get(client, path, &session)->body)["total"].get<int64_t>();
}

const std::string kNotification = R"({"events": [
  {"event_id": "API-1", "child_id": "B001", "type": "notification_received",
   "at": "2025-06-29T08:15", "source": "school", "professional": true}]})";
const std::string kAssessment = R"({"events": [
  {"event_id": "API-2", "child_id": "B001", "type": "notification_assessed",
   "at": "2025-06-29T09:30", "ref": "API-1", "acute": false}]})";

class IntakeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(IntakeTest, PostedEventsAreValidatedAllOrNothingAndCountAtOnce) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "intake");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> admin = LogIn(client, "admin", kPassword);
  Result<Session> leader = LogIn(client, "leader", kPassword);
  ASSERT_TRUE(admin && leader);
  const Json before = Counts(client, *leader);

  // One bad record refuses the whole post, and names it.
  const std::string bad = R"({"events": [
    {"event_id": "API-1", "child_id": "B001", "type": "notification_received",
     "at": "2025-06-29T08:15", "source": "school", "professional": true},
    {"event_id": "API-9", "child_id": "B001", "type": "notification_typo", "at": "2025-06-30"}]})";
  httplib::Result refused = Post(client, "/api/events", bad, &*admin);
  ASSERT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("events:2:type"), std::string::npos) << refused->body;
  EXPECT_EQ(Counts(client, *leader), before);

  // A notification of yesterday morning, not assessed, is overdue at once (its 24 hours ran out
  // at 08:15 today); its assessment, posted alone and referring to it, meets it.
  httplib::Result posted = Post(client, "/api/events", kNotification, &*admin);
  ASSERT_EQ(posted->status, 200) << posted->body;
  EXPECT_EQ(Json::parse(posted->body)["events"]["added"], 1);
  const Json overdue = Counts(client, *leader);
  EXPECT_EQ(overdue["overdue"].get<int64_t>(), before["overdue"].get<int64_t>() + 1);
  EXPECT_EQ(ListedTotal(client, *leader, "overdue"), overdue["overdue"].get<int64_t>());

  ASSERT_EQ(Post(client, "/api/events", kAssessment, &*admin)->status, 200);
  const Json met = Counts(client, *leader);
  EXPECT_EQ(met["overdue"], before["overdue"]);
  EXPECT_EQ(met["met"].get<int64_t>(), before["met"].get<int64_t>() + 1);
  EXPECT_EQ(ListedTotal(client, *leader, "met"), met["met"].get<int64_t>());

  // The same post again changes nothing; a changed event is refused.
  httplib::Result again = Post(client, "/api/events", kAssessment, &*admin);
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(Json::parse(again->body)["import_id"], 0);
  std::string changed = kAssessment;
  changed.replace(changed.find("09:30"), 5, "09:45");
  EXPECT_EQ(Post(client, "/api/events", changed, &*admin)->status, 400);
  EXPECT_EQ(Counts(client, *leader), met);

  // The case shows the new events, in time order with their Danish names.
  const Json kase = Json::parse(Get(client, "/api/children/B001", &*leader)->body);
  ASSERT_GE(kase["events"].size(), 2);
  EXPECT_EQ(kase["events"].back()["id"], "API-2");
  EXPECT_EQ(kase["events"].back()["type_name"], "underretning vurderet");
}

INSTANTIATE_TEST_SUITE_P(Engines, IntakeTest, BothEngines(), EngineName);

TEST(TwoInstancesTest, ShareSessionsAndEventsThroughPostgres) {
  Result<World> world = MakeWorld(testing_support::kPostgres, "two_instances");
  ASSERT_TRUE(world) << world.error().message;
  TestClock clock;
  Result<std::unique_ptr<TestServer>> first = TestServer::Start(world->config, clock);
  Result<std::unique_ptr<TestServer>> second = TestServer::Start(world->config, clock);
  ASSERT_TRUE(first && second);
  httplib::Client a = (*first)->Client();
  httplib::Client b = (*second)->Client();

  // A session opened on one instance is good on the other, and ends on both.
  Result<Session> leader = LogIn(a, "leader", kPassword);
  ASSERT_TRUE(leader);
  EXPECT_EQ(Get(b, "/api/me", &*leader)->status, 200);
  Result<Session> admin = LogIn(b, "admin", kPassword);
  ASSERT_TRUE(admin);

  // Events posted on one instance are in the other's figures at its next request.
  const Json before = Counts(b, *leader);
  ASSERT_EQ(Post(a, "/api/events", kNotification, &*admin)->status, 200);
  EXPECT_EQ(Counts(b, *leader)["overdue"].get<int64_t>(), before["overdue"].get<int64_t>() + 1);
  // And the other way round, with a post that refers to the first one's event.
  ASSERT_EQ(Post(b, "/api/events", kAssessment, &*admin)->status, 200);
  EXPECT_EQ(Counts(a, *leader)["met"].get<int64_t>(), before["met"].get<int64_t>() + 1);
  EXPECT_EQ(Counts(a, *leader), Counts(b, *leader));

  EXPECT_EQ(Post(b, "/api/logout", "", &*leader)->status, 204);
  EXPECT_EQ(Get(a, "/api/me", &*leader)->status, 401);
}

}  // namespace
}  // namespace tilsyn::api_test
