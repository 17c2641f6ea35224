// `tilsyn demo` as a user runs it: the first start makes the database, prints the URL and one
// login per role, and serves the web UI and the API; a second start reuses the file and gives
// new passwords; SIGTERM stops it.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "service/data_source.h"
#include "support/child_process.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

// A running demo: its port and the printed logins (login → password, role).
struct Demo {
  pid_t pid = 0;
  int port = 0;
  std::map<std::string, std::pair<std::string, std::string>> logins;
  std::string output;
};

// Names the web UI with --web-root, or else through $TILSYN_WEB_ROOT.
enum class WebRoot { kOption, kEnvironment };

Demo StartDemo(const fs::path& dir, WebRoot web_root = WebRoot::kOption) {
  Demo demo;
  std::vector<std::string> args = {TILSYN_BINARY, "demo", "--db",       (dir / "demo.db").string(),
                                   "--port",      "0",    "--children", "800",
                                   "--seed",      "2"};
  std::vector<std::string> environment;
  if (web_root == WebRoot::kOption) {
    args.insert(args.end(), {"--web-root", (dir / "web").string()});
  } else {
    environment.push_back("TILSYN_WEB_ROOT=" + (dir / "web").string());
  }
  const testing_support::ChildProcess child =
      testing_support::Spawn(args, dir / "demo.log", environment);
  demo.pid = child.pid;
  if (child.pid == 0) return demo;
  // The table ends with the line on new passwords; a failed start ends the output.
  const std::string url = "http://127.0.0.1:";
  std::string line;
  while (testing_support::ReadLine(child.out, line)) {
    demo.output += line + "\n";
    if (line.rfind("Adgangskoderne", 0) == 0) break;
    if (const size_t at = line.find(url); at != std::string::npos && demo.port == 0) {
      demo.port = std::stoi(line.substr(at + url.size()));
    }
    std::istringstream words(line);
    std::string login, password, role;
    if (words >> login >> password >> role && password.size() == 16) {
      demo.logins[login] = {password, role};
    }
  }
  close(child.out);
  return demo;
}

int Stop(const Demo& demo) {
  if (demo.pid <= 0) return -1;
  kill(demo.pid, SIGTERM);
  int status = 0;
  waitpid(demo.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int LogIn(int port, const std::string& login, const std::string& password) {
  httplib::Client client("127.0.0.1", port);
  const nlohmann::json body = {{"login", login}, {"password", password}};
  httplib::Result result = client.Post("/api/login", body.dump(), "application/json");
  return result ? result->status : -1;
}

int64_t Imports(const fs::path& db) {
  Result<std::unique_ptr<Store>> store = OpenStore({"", db.string(), ""});
  if (!store) return -1;
  Result<std::vector<SqlRow>> rows = (*store)->Query("SELECT count(*) FROM imports");
  if (!rows) return -1;
  return std::stoll(rows->front()[0].value_or("-1"));
}

TEST(DemoCommandTest, MakesServesAndReusesTheDemoDatabase) {
  const fs::path dir = fs::temp_directory_path() / ("tilsyn-demo-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "web");
  std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>tilsyn</title>";

  Demo first = StartDemo(dir);
  ASSERT_GT(first.port, 0) << first.output;
  const std::map<std::string, std::string> roles = {{"raadgiver", "rådgiver"},
                                                    {"leder", "leder"},
                                                    {"chef", "afdelingsleder"},
                                                    {"udvalg", "udvalg"},
                                                    {"kvalitet", "kvalitetsmedarbejder"},
                                                    {"admin", "administrator"}};
  ASSERT_EQ(first.logins.size(), roles.size()) << first.output;
  for (const auto& [login, role] : roles) {
    EXPECT_EQ(first.logins[login].second, role) << first.output;
  }
  httplib::Client client("127.0.0.1", first.port);
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  httplib::Result page = client.Get("/sager");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body, "<!doctype html><title>tilsyn</title>");
  // The caseworker's login is bound to a real caseworker, whose worklist it may read.
  const nlohmann::json body = {{"login", "raadgiver"},
                               {"password", first.logins["raadgiver"].first}};
  httplib::Result login = client.Post("/api/login", body.dump(), "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  const nlohmann::json me = nlohmann::json::parse(login->body);
  ASSERT_TRUE(me["worker"].is_string()) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  httplib::Result worklist =
      client.Get(("/api/workers/" + me["worker"].get<std::string>() + "/worklist").c_str(),
                 {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  EXPECT_EQ(worklist->status, 200) << worklist->body;
  EXPECT_EQ(Stop(first), 0);

  // Nothing but the database (and SQLite's own files) is left beside it.
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name.rfind("demo.db", 0) == 0 || name == "web" || name == "demo.log") << name;
  }
  EXPECT_EQ(Imports(dir / "demo.db"), 1);

  Demo second = StartDemo(dir, WebRoot::kEnvironment);
  ASSERT_GT(second.port, 0) << second.output;
  page = httplib::Client("127.0.0.1", second.port).Get("/sager");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body, "<!doctype html><title>tilsyn</title>");
  ASSERT_EQ(second.logins.size(), roles.size()) << second.output;
  EXPECT_NE(second.logins["admin"].first, first.logins["admin"].first);
  EXPECT_EQ(LogIn(second.port, "admin", first.logins["admin"].first), 401);
  EXPECT_EQ(LogIn(second.port, "admin", second.logins["admin"].first), 200);
  EXPECT_EQ(Stop(second), 0);
  EXPECT_EQ(Imports(dir / "demo.db"), 1);  // not generated again
  std::ifstream log(dir / "demo.log");
  const std::string logged{std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
  EXPECT_NE(logged.find("Opretter demodatabasen"), std::string::npos) << logged;
  EXPECT_NE(logged.find("Bruger demodatabasen"), std::string::npos) << logged;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tilsyn
