// A caseworker's iCalendar feed: created once with a secret URL, the worklist's deadlines in it,
// kept only as a hash, every fetch audited, replaced and revoked; only for roles with a worklist.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/api_world.h"
#include "server/crypto.h"

namespace tilsyn::api_test {
namespace {

using Json = nlohmann::json;
using server::Role;

class CalendarTest : public ::testing::TestWithParam<std::string> {};

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

httplib::Result Delete(httplib::Client& client, const std::string& path, const Session& session) {
  return client.Delete(path.c_str(), {{"Cookie", session.cookie}, {"X-CSRF-Token", session.csrf}});
}

TEST_P(CalendarTest, FeedHoldsTheWorklistAndEndsWhenRevoked) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "calendar_feed");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  Result<Session> worker = LogIn(client, "worker", kPassword);
  ASSERT_TRUE(worker);
  EXPECT_EQ(Json::parse(Get(client, "/api/me/calendar", &*worker)->body)["exists"], false);
  EXPECT_EQ(Post(client, "/api/me/calendar", "", &*worker, false)->status, 403);  // no CSRF

  httplib::Result created = Post(client, "/api/me/calendar", "", &*worker);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string path = Json::parse(created->body)["path"];
  EXPECT_EQ(Json::parse(created->body)["url"],
            "http://127.0.0.1:" + std::to_string((*running)->server->port()) + path);
  ASSERT_EQ(path.rfind("/calendar/", 0), 0u);
  const std::string token = path.substr(10, path.size() - 10 - 4);
  const httplib::Result state = Get(client, "/api/me/calendar", &*worker);
  EXPECT_EQ(Json::parse(state->body)["exists"], true);
  EXPECT_EQ(state->body.find(token), std::string::npos);  // the token is shown once only

  // No session: the token is the credential.
  httplib::Result feed = Get(client, path, nullptr);
  ASSERT_EQ(feed->status, 200) << feed->body;
  EXPECT_EQ(feed->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  const std::string& ics = feed->body;
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_EQ(Count(ics, "\n"), Count(ics, "\r\n"));  // CRLF only
  // One event per item of the caseworker's worklist as of today, each with its child.
  const Json worklist =
      Json::parse(Get(client, "/api/workers/W03/worklist", &*worker)->body)["items"];
  ASSERT_FALSE(worklist.empty());
  EXPECT_EQ(Count(ics, "BEGIN:VEVENT\r\n"), worklist.size());
  std::string unfolded;  // RFC 5545 unfolding: CRLF and one space vanish
  for (size_t at = 0; at < ics.size(); ++at) {
    if (ics.compare(at, 3, "\r\n ") == 0) {
      at += 2;
    } else {
      unfolded += ics[at];
    }
  }
  for (const Json& item : worklist) {
    const std::string child = item["child"];
    EXPECT_NE(unfolded.find("(barn " + child + ")"), std::string::npos) << child;
  }
  EXPECT_NE(unfolded.find("DTSTAMP:20250630T080000Z"), std::string::npos);
  std::set<std::string> uids;
  for (size_t at = unfolded.find("\nUID:"); at != std::string::npos;
       at = unfolded.find("\nUID:", at + 1)) {
    uids.insert(unfolded.substr(at, unfolded.find('\r', at) - at));
  }
  EXPECT_EQ(uids.size(), worklist.size());

  // The store holds the token's hash, never the token.
  Result<std::unique_ptr<Store>> store = (*running)->world.database.Open();
  ASSERT_TRUE(store);
  Result<std::vector<SqlRow>> rows =
      (*store)->Query("SELECT token_hash, user_id, created_at FROM calendar_feeds");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(*rows->front()[0], server::Sha256Hex(token));
  for (const std::optional<std::string>& value : rows->front()) {
    EXPECT_EQ(value->find(token), std::string::npos);
  }
  // Each fetch reads children's case data: one audit row each.
  EXPECT_EQ(AuditRows(**store, "calendar_feed"), 1);
  ASSERT_EQ(Get(client, path, nullptr)->status, 200);
  EXPECT_EQ(AuditRows(**store, "calendar_feed"), 2);
  EXPECT_EQ(AuditRows(**store, "create_calendar_feed"), 1);

  // A new feed revokes the old URL; DELETE revokes the new one.
  httplib::Result replaced = Post(client, "/api/me/calendar", "", &*worker);
  ASSERT_EQ(replaced->status, 201);
  const std::string new_path = Json::parse(replaced->body)["path"];
  EXPECT_NE(new_path, path);
  EXPECT_EQ(Get(client, path, nullptr)->status, 404);
  EXPECT_EQ(Get(client, new_path, nullptr)->status, 200);
  EXPECT_EQ(Delete(client, "/api/me/calendar", *worker)->status, 204);
  EXPECT_EQ(Get(client, new_path, nullptr)->status, 404);
  EXPECT_EQ(Json::parse(Get(client, "/api/me/calendar", &*worker)->body)["exists"], false);
  EXPECT_EQ(Delete(client, "/api/me/calendar", *worker)->status, 404);
  EXPECT_EQ(AuditRows(**store, "revoke_calendar_feed"), 1);
  EXPECT_EQ(AuditRows(**store, "calendar_feed"), 3);  // refused fetches read nothing
  EXPECT_EQ(Get(client, "/calendar/not-a-token.ics", nullptr)->status, 404);

  // A disabled user's feed ends with the user.
  const std::string last_path =
      Json::parse(Post(client, "/api/me/calendar", "", &*worker)->body)["path"];
  ASSERT_EQ(Get(client, last_path, nullptr)->status, 200);
  Result<Session> admin = LogIn(client, "admin", kPassword);
  ASSERT_TRUE(admin);
  ASSERT_EQ(Post(client, "/api/users/worker/disable", "", &*admin)->status, 200);
  EXPECT_EQ(Get(client, last_path, nullptr)->status, 404);
}

// Only a worklist's owner gets a feed: worker (bound to a caseworker) yes; a leader not bound to
// one has no deadlines of their own; every other role is refused.
TEST_P(CalendarTest, OnlyRolesWithAWorklist) {
  Result<std::unique_ptr<Running>> running = StartWorld(GetParam(), "calendar_roles");
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client client = (*running)->server->Client();
  EXPECT_EQ(Get(client, "/api/me/calendar", nullptr)->status, 401);
  EXPECT_EQ(Post(client, "/api/me/calendar", "", nullptr)->status, 401);
  for (const RoleUser& user : RoleUsers()) {
    Result<Session> session = LogIn(client, user.login, kPassword);
    ASSERT_TRUE(session);
    const int expected = user.role == Role::kWorker ? 201 : user.role == Role::kLeader ? 412 : 403;
    httplib::Result created = Post(client, "/api/me/calendar", "", &*session);
    EXPECT_EQ(created->status, expected) << user.login << ": " << created->body;
    EXPECT_EQ(Get(client, "/api/me/calendar", &*session)->status, 200) << user.login;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CalendarTest, BothEngines(), EngineName);

}  // namespace
}  // namespace tilsyn::api_test
