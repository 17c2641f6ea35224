// Crash safety of import: `tilsyn import` is killed with SIGKILL at random moments while it brings
// a newer export into a store, and the store must then hold exactly the data from before or
// exactly the whole import, never a part, and pass its integrity check.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/interchange_reader.h"
#include "service/data_source.h"
#include "store/records.h"
#include "support/synthetic.h"
#include "support/test_store.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing_support::TestDatabase;

// The store's content as sorted text lines: every record and every event column.
std::string Describe(const Dataset& data) {
  std::vector<std::string> lines;
  for (const Unit& unit : data.units) lines.push_back(unit.id);
  for (const Worker& worker : data.workers) lines.push_back(worker.id);
  for (const Child& child : data.children) lines.push_back(child.id);
  for (uint32_t i = 0; i < data.events.size(); ++i) {
    std::string line;
    for (const auto& [column, text] : EventColumnTexts(data, i, Calendar::Danish())) {
      line += text + "|";
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::string Stored(const TestDatabase& database) {
  Result<std::unique_ptr<Store>> store = database.Open();
  if (!store) return "cannot open: " + store.error().message;
  Result<Dataset> data = (*store)->Load({.details = true});
  return data ? Describe(*data) : "cannot load: " + data.error().message;
}

std::string FromDirectory(const fs::path& dir) {
  Result<Dataset> data = ReadInterchangeDirectory(dir, {});
  return data ? Describe(*data) : data.error().message;
}

// Starts `tilsyn import` into `database` from `dir`; returns its process id.
pid_t StartImport(const TestDatabase& database, const fs::path& dir) {
  std::vector<std::string> args = {TILSYN_BINARY, "import"};
  if (!database.source().sqlite_path.empty()) {
    args.insert(args.end(), {"--db", database.source().sqlite_path});
  } else {
    args.insert(args.end(), {"--postgres", database.source().postgres_url});
  }
  args.push_back(dir.string());
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// Imports `full` into fresh databases (each holding `older` first, unless it is empty), kills the
// import at random moments over its run, and expects each database to hold either `before` (what
// it held) or `after` (the whole import), and to pass SQLite's integrity check.
void KillImports(std::string_view engine, const std::string& name, const fs::path& older,
                 const fs::path& full, const std::string& before, const std::string& after,
                 int trials) {
  const bool sqlite = engine == testing_support::kSqlite;
  // How long an import runs when nothing stops it: the range for the moments to kill at.
  Result<TestDatabase> timing = TestDatabase::Create(engine, name + "_timing");
  ASSERT_TRUE(timing) << timing.error().message;
  if (!older.empty()) {
    ASSERT_EQ(Wait(StartImport(*timing, older)), 0);
  }
  const auto started = Clock::now();
  ASSERT_EQ(Wait(StartImport(*timing, full)), 0);
  const auto duration = Clock::now() - started;
  ASSERT_EQ(Stored(*timing), after);

  std::mt19937_64 random(20261123);
  int kept_before = 0;
  int kept_after = 0;
  int left_building = 0;  // SQLite: trials that left a new database's building file
  for (int trial = 0; trial < trials; ++trial) {
    Result<TestDatabase> database =
        TestDatabase::Create(engine, fmt::format("{}_trial_{}", name, trial));
    ASSERT_TRUE(database) << database.error().message;
    if (!older.empty()) {
      ASSERT_EQ(Wait(StartImport(*database, older)), 0);
    }
    // Kill points spread over the whole run, and a little past it.
    const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(
        duration * std::uniform_real_distribution<double>(0.05, 1.1)(random));
    const pid_t pid = StartImport(*database, full);
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
    Wait(pid);

    if (sqlite && !fs::exists(database->source().sqlite_path)) {
      // Killed before it moved the database it built into place: there is no database, as
      // before the first import, and what the killed import left must not stop the next.
      EXPECT_EQ(before, Describe(Dataset{})) << "trial " << trial;
      ++kept_before;
      left_building += fs::exists(database->source().sqlite_path + ".building") ? 1 : 0;
      EXPECT_EQ(Wait(StartImport(*database, full)), 0) << "trial " << trial;
      EXPECT_EQ(Stored(*database), after) << "trial " << trial;
      EXPECT_FALSE(fs::exists(database->source().sqlite_path + ".building")) << "trial " << trial;
      continue;
    }
    if (sqlite) {
      Result<std::string> check = database->QueryText("PRAGMA integrity_check");
      ASSERT_TRUE(check) << check.error().message;
      EXPECT_EQ(*check, "ok") << "trial " << trial;
    }
    const std::string stored = Stored(*database);
    if (stored == before) {
      ++kept_before;
    } else if (stored == after) {
      ++kept_after;
    } else {
      ADD_FAILURE() << "trial " << trial << " (killed after " << delay.count()
                    << " µs) left neither the data before nor the whole import";
    }
  }
  EXPECT_EQ(kept_before + kept_after, trials);
  std::printf(
      "%d trials: %d kept the data from before (%d leaving a building file), %d the whole "
      "import\n",
      trials, kept_before, left_building, kept_after);
}

class CrashTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(CrashTest, AKilledImportLeavesAllOrNothing) {
  const bool sqlite = GetParam() == testing_support::kSqlite;
  const fs::path work = fs::temp_directory_path() / fmt::format("tilsyn-crash-{}", GetParam());
  fs::remove_all(work);
  const fs::path full = work / "full";
  const fs::path older = work / "older";
  fs::create_directories(full);
  ASSERT_TRUE(testing_support::WriteSyntheticDataset(full, testing_support::Synthetic(3000, 11)));
  // The older export: the same records, without the events of every second child.
  fs::copy(full, older);
  {
    std::ifstream in(full / "events.csv");
    std::ofstream out(older / "events.csv");
    std::string line;
    std::getline(in, line);
    out << line << '\n';
    while (std::getline(in, line)) {
      const size_t comma = line.find(',');
      const std::string child = line.substr(comma + 1, line.find(',', comma + 1) - comma - 1);
      if (std::hash<std::string>()(child) % 2 == 0) out << line << '\n';
    }
  }
  const std::string before = FromDirectory(older);
  const std::string after = FromDirectory(full);
  ASSERT_NE(before, after);
  KillImports(GetParam(), "crash", older, full, before, after, sqlite ? 20 : 8);
}

// The first import into an empty store: SQLite writes its events while still reading the files.
TEST_P(CrashTest, AKilledFirstImportLeavesTheStoreEmptyOrWhole) {
  const bool sqlite = GetParam() == testing_support::kSqlite;
  const fs::path full =
      fs::temp_directory_path() / fmt::format("tilsyn-crash-first-{}", GetParam());
  fs::remove_all(full);
  fs::create_directories(full);
  ASSERT_TRUE(testing_support::WriteSyntheticDataset(full, testing_support::Synthetic(3000, 11)));
  const std::string empty = Describe(Dataset{});
  const std::string after = FromDirectory(full);
  ASSERT_NE(empty, after);
  KillImports(GetParam(), "crash_first", {}, full, empty, after, sqlite ? 12 : 4);
}

INSTANTIATE_TEST_SUITE_P(Engines, CrashTest,
                         ::testing::Values(testing_support::kSqlite, testing_support::kPostgres),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace tilsyn
