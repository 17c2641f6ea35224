#include "api/api_world.h"

#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server/audit_log.h"
#include "server/crypto.h"

namespace tilsyn::api_test {
namespace fs = std::filesystem;

Result<std::unique_ptr<TestServer>> TestServer::Start(server::ServerConfig config,
                                                      const TestClock& clock) {
  config.listen_address = "127.0.0.1";
  config.port = 0;
  config.threads = 8;
  config.connections = 2;
  auto logger =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  Result<std::unique_ptr<server::Server>> created = server::Server::Create(
      config, [&clock] { return clock.Now(); }, logger);
  if (!created) return std::move(created).error();
  std::unique_ptr<TestServer> test(new TestServer());
  test->server_ = std::move(*created);
  Result<int> port = test->server_->Bind();
  if (!port) return std::move(port).error();
  test->port_ = *port;
  server::Server* server = test->server_.get();
  test->thread_ = std::thread([server] { static_cast<void>(server->Run()); });
  return test;
}

TestServer::~TestServer() {
  server_->Stop();
  thread_.join();
}

httplib::Client TestServer::Client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_keep_alive(false);
  return client;
}

Result<Session> LogIn(httplib::Client& client, std::string_view login, std::string_view password,
                      int* status) {
  const nlohmann::json body = {{"login", login}, {"password", password}};
  httplib::Result result = client.Post("/api/login", body.dump(), "application/json");
  if (!result) return Unavailable("no answer from the server");
  if (status != nullptr) *status = result->status;
  if (result->status != 200) return Unauthenticated(result->body);
  Session session;
  session.set_cookie = result->get_header_value("Set-Cookie");
  session.cookie = session.set_cookie.substr(0, session.set_cookie.find(';'));
  session.csrf = nlohmann::json::parse(result->body)["csrf_token"].get<std::string>();
  return session;
}

httplib::Result Get(httplib::Client& client, const std::string& path, const Session* session) {
  httplib::Headers headers;
  if (session != nullptr) headers.emplace("Cookie", session->cookie);
  return client.Get(path.c_str(), headers);
}

httplib::Result Post(httplib::Client& client, const std::string& path, const std::string& body,
                     const Session* session, bool with_csrf) {
  httplib::Headers headers;
  if (session != nullptr) {
    headers.emplace("Cookie", session->cookie);
    if (with_csrf) headers.emplace("X-CSRF-Token", session->csrf);
  }
  return client.Post(path.c_str(), headers, body, "application/json");
}

int64_t AuditRows(Store& store, const std::string& action, const std::string& object) {
  server::AuditQuery query;
  query.action = action;
  query.object = object;
  Result<server::AuditPage> page = server::SearchAudit(store, query);
  EXPECT_TRUE(page) << page.error().message;
  return page ? page->total : -1;
}

const std::vector<RoleUser>& RoleUsers() {
  static const std::vector<RoleUser> users = {
      {server::Role::kWorker, "worker", "T06", "W03"},
      {server::Role::kLeader, "leader", "DN", ""},
      {server::Role::kHead, "head", "BF", ""},
      {server::Role::kCommittee, "committee", "M1", ""},
      {server::Role::kReviewer, "reviewer", "DS", ""},
      {server::Role::kAdmin, "admin", "M1", ""},
  };
  return users;
}

namespace {

void WriteText(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A second municipality, outside every test user's scope, in a directory of this process's own
// (ctest runs a test's SQLite and PostgreSQL variants at the same time).
fs::path WriteSecondMunicipality(std::string_view engine, std::string_view name) {
  fs::path dir =
      fs::temp_directory_path() / fmt::format("tilsyn-api-m2-{}-{}-{}", name, engine, ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  WriteText(dir / "units.csv",
            "unit_id,parent_id,kind,name\nM2,,municipality,Anden Kommune\nX1,M2,team,Team X\n");
  WriteText(dir / "workers.csv", "worker_id,name,unit_id,fte\nWX1,Xenia Xe,X1,1\n");
  WriteText(dir / "children.csv", "child_id,cpr,birth_date,unit_id\nX001,,2015-01-01,X1\n");
  WriteText(dir / "events.csv",
            "event_id,child_id,type,at,worker_id,ref,source,professional,acute\n"
            "X001-E1,X001,worker_assigned,2025-01-02,WX1,,,,\n"
            "X001-E2,X001,notification_received,2025-02-03T10:00,,,school,true,\n"
            "X001-E3,X001,notification_assessed,2025-02-03T15:00,,X001-E2,,,false\n");
  return dir;
}

}  // namespace

Result<World> MakeWorld(std::string_view engine, std::string_view name) {
  if (Status crypto = server::InitCrypto(); !crypto) return crypto.error();
  Result<testing_support::TestDatabase> database =
      testing_support::TestDatabase::Create(engine, name);
  if (!database) return std::move(database).error();
  Result<std::unique_ptr<Store>> store = database->Open();
  if (!store) return std::move(store).error();
  ReadOptions options;
  options.cpr_key = std::string(kCprKey);
  const fs::path example = fs::path(TILSYN_SOURCE_DIR) / "examples" / "kommune";
  const fs::path second = WriteSecondMunicipality(engine, name);
  for (const fs::path& dir : {example, second}) {
    Result<ImportSummary> imported = ImportDirectory(**store, dir, options, {});
    if (!imported) return std::move(imported).error();
  }
  fs::remove_all(second);
  for (const RoleUser& user : RoleUsers()) {
    Result<server::User> added = server::AddUser(
        **store,
        {user.login, user.login, user.role, user.unit, user.worker, std::string(kPassword)},
        Instant{kStartSeconds});
    if (!added) return std::move(added).error();
  }
  World world{std::move(*database), {}};
  world.config.sqlite_path = world.database.source().sqlite_path;
  world.config.postgres_url = world.database.source().postgres_url;
  return world;
}

Result<std::unique_ptr<Running>> StartWorld(std::string_view engine, std::string_view name) {
  Result<World> world = MakeWorld(engine, name);
  if (!world) return std::move(world).error();
  auto running = std::make_unique<Running>();
  running->world = std::move(*world);
  Result<std::unique_ptr<TestServer>> server =
      TestServer::Start(running->world.config, running->clock);
  if (!server) return std::move(server).error();
  running->server = std::move(*server);
  return running;
}

}  // namespace tilsyn::api_test
