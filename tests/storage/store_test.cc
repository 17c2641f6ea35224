// The storage tests, run against both engines: SQLite in a temporary file and the real PostgreSQL
// server of the ctest fixture `postgres`. No mocks.

#include "store/store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "service/check.h"
#include "service/data_source.h"
#include "store/event_index.h"
#include "store/records.h"
#include "store/schema.h"
#include "support/synthetic.h"
#include "support/test_store.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using testing_support::TestDatabase;

const fs::path kExample = fs::path(TILSYN_SOURCE_DIR) / "examples" / "kommune";
constexpr std::string_view kKey = "a test key of thirty-two bytes!!";

std::string TestName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A copy of a data set directory that a test may change.
fs::path CopyOf(const fs::path& dir, const std::string& suffix) {
  fs::path copy = fs::temp_directory_path() / ("tilsyn-data-" + TestName() + "-" + suffix);
  fs::remove_all(copy);
  fs::copy(dir, copy, fs::copy_options::recursive);
  return copy;
}

// Replaces the one occurrence of `from` in a file.
void ReplaceIn(const fs::path& path, const std::string& from, const std::string& to) {
  std::string text = ReadText(path);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << from;
  text.replace(at, from.size(), to);
  WriteText(path, text);
}

Dataset ReadDirectory(const fs::path& dir, std::optional<std::string> key = std::string(kKey)) {
  ReadOptions options;
  options.cpr_key = std::move(key);
  Result<Dataset> data = ReadInterchangeDirectory(dir, options);
  EXPECT_TRUE(data) << data.error().message;
  return data ? std::move(*data) : Dataset{};
}

// Every record and every event column, as text, in the engine's order.
std::string Describe(const Dataset& data) {
  std::string out;
  for (uint32_t i = 0; i < data.units.size(); ++i) {
    const UnitRow row = MakeUnitRow(data, i);
    out += fmt::format("unit {} {} {} {}\n", row.unit_id, row.parent_id, row.kind, row.name);
  }
  for (uint32_t i = 0; i < data.workers.size(); ++i) {
    const WorkerRow row = MakeWorkerRow(data, i);
    out += fmt::format("worker {} {} {} {}\n", row.worker_id, row.name, row.unit_id, row.fte);
  }
  for (uint32_t i = 0; i < data.children.size(); ++i) {
    const ChildRow row = MakeChildRow(data, i);
    out += fmt::format("child {} {} {} {}\n", row.child_id, FormatDate(row.birth_date), row.unit_id,
                       row.cpr_hash);
  }
  // By child: an EventIndex's events may hold dead slots between the children's ranges.
  for (uint32_t child = 0; child < data.child_begin.size(); ++child) {
    for (uint32_t i = data.child_begin[child]; i < data.child_end[child]; ++i) {
      out += "event";
      for (const auto& [column, text] : EventColumnTexts(data, i, Calendar::Danish())) {
        out += fmt::format(" {}={}", column, text);
      }
      out += "\n";
    }
  }
  return out;
}

// The same records, in any order of records (a store returns units in its own order).
std::string Sorted(const std::string& description) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < description.size()) {
    const size_t end = description.find('\n', start);
    lines.push_back(description.substr(start, end - start));
    start = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// The older export of the example: without the last child's story and two of the first child's
// events; `removed` is how many events that leaves out.
fs::path OlderExample(const std::string& suffix, size_t& removed) {
  fs::path older = CopyOf(kExample, suffix);
  std::string events = ReadText(older / "events.csv");
  std::string kept;
  removed = 0;
  size_t start = 0;
  while (start < events.size()) {
    const size_t end = events.find('\n', start) + 1;
    const std::string line = events.substr(start, end - start);
    start = end;
    if (line.starts_with("B040-") || line.starts_with("B001-E04,") ||
        line.starts_with("B001-E05,")) {
      ++removed;
      continue;
    }
    kept += line;
  }
  WriteText(older / "events.csv", kept);
  return older;
}

class StoreTest : public ::testing::TestWithParam<std::string_view> {
 protected:
  void SetUp() override {
    Result<TestDatabase> database = TestDatabase::Create(GetParam(), TestName());
    ASSERT_TRUE(database) << database.error().message;
    database_.emplace(std::move(*database));
  }

  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = database_->Open();
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  // The example municipality has CPR numbers, so an import needs a key unless a test says not.
  Result<ImportSummary> Import(const fs::path& dir,
                               std::optional<std::string> key = std::string(kKey)) {
    std::unique_ptr<Store> store = Open();
    if (!store) return Internal("no store");
    ReadOptions options;
    options.cpr_key = std::move(key);
    return ImportDirectory(*store, dir, options, nullptr);
  }

  std::string Stored() {
    std::unique_ptr<Store> store = Open();
    if (!store) return "no store";
    Result<Dataset> data = store->Load({.details = true});
    EXPECT_TRUE(data) << data.error().message;
    return data ? Sorted(Describe(*data)) : data.error().message;
  }

  std::optional<TestDatabase> database_;
};

TEST_P(StoreTest, NewDatabaseHasTheLatestSchemaAndNoData) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->EngineName(), GetParam());
  Result<int> version = store->SchemaVersion();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  Result<Dataset> data = store->Load();
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_TRUE(data->units.empty());
  EXPECT_TRUE(data->events.empty());
}

TEST_P(StoreTest, ReopeningMigratesNothingTwice) {
  ASSERT_NE(Open(), nullptr);
  ASSERT_NE(Open(), nullptr);
  Result<std::string> count = database_->QueryText("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, std::to_string(LatestSchemaVersion()));
}

TEST_P(StoreTest, RefusesADatabaseFromANewerTilsyn) {
  ASSERT_NE(Open(), nullptr);
  ASSERT_TRUE(database_->Execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', " +
      std::string(GetParam() == testing_support::kSqlite ? "'2030-01-01'" : "now()") + ")"));
  Result<std::unique_ptr<Store>> store = database_->Open();
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("the database has schema version 999, newer than this "
                                       "tilsyn knows ("),
            std::string::npos)
      << store.error().message;
}

TEST_P(StoreTest, LoadsExactlyWhatWasImported) {
  Result<ImportSummary> summary = Import(kExample);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_GT(summary->import_id, 0);
  EXPECT_EQ(summary->units.added, 8u);
  EXPECT_EQ(summary->workers.added, 11u);
  EXPECT_EQ(summary->children.added, 40u);
  EXPECT_EQ(summary->events.added, 587u);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(kExample))));
}

TEST_P(StoreTest, LoadsTheEventsInTheEnginesOrder) {
  ASSERT_TRUE(Import(kExample));
  std::unique_ptr<Store> store = Open();
  Result<Dataset> loaded = store->Load({.details = true});
  ASSERT_TRUE(loaded) << loaded.error().message;
  const Dataset read = ReadDirectory(kExample);
  ASSERT_EQ(loaded->events.size(), read.events.size());
  for (uint32_t child = 0; child < loaded->children.size(); ++child) {
    const uint32_t same = read.FindChild(loaded->children[child].id);
    ASSERT_NE(same, kNone);
    const auto a = loaded->EventsOf(child);
    const auto b = read.EventsOf(same);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(loaded->event_ids.Text(a[i].id), read.event_ids.Text(b[i].id));
      if (a[i].ref != kNone) {
        EXPECT_EQ(loaded->event_ids.Text(loaded->events[a[i].ref].id),
                  read.event_ids.Text(read.events[b[i].ref].id));
      }
    }
  }
}

TEST_P(StoreTest, ReimportingTheSameDataChangesNothing) {
  ASSERT_TRUE(Import(kExample));
  const std::string before = Stored();
  Result<ImportSummary> again = Import(kExample);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->import_id, 0);
  EXPECT_EQ(again->events.added, 0u);
  EXPECT_EQ(again->events.unchanged, 587u);
  EXPECT_EQ(again->units.unchanged, 8u);
  EXPECT_EQ(Stored(), before);
  Result<std::string> imports = database_->QueryText("SELECT count(*) FROM imports");
  ASSERT_TRUE(imports);
  EXPECT_EQ(*imports, "1");
}

TEST_P(StoreTest, ANewerExportAddsOnlyWhatIsNew) {
  size_t removed = 0;
  const fs::path older = OlderExample("older", removed);
  ASSERT_GT(removed, 3u);
  Result<ImportSummary> first = Import(older);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->events.added, 587u - removed);
  Result<ImportSummary> second = Import(kExample);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_GT(second->import_id, first->import_id);
  EXPECT_EQ(second->events.added, removed);
  EXPECT_EQ(second->events.unchanged, 587u - removed);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(kExample))));
}

// The import writes without SQLite's row-by-row foreign key checks (it validated every reference
// itself): what it wrote must hold them all, and every other change must still be checked.
TEST_P(StoreTest, ImportsKeepEveryReferenceAndLeaveTheChecksOn) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ReadOptions options;
  options.cpr_key = std::string(kKey);
  size_t removed = 0;
  ASSERT_TRUE(ImportDirectory(*store, OlderExample("older", removed), options, nullptr));
  ASSERT_TRUE(ImportDirectory(*store, kExample, options, nullptr));
  Result<std::string> dangling = database_->QueryText(
      "SELECT count(*) FROM events e WHERE e.child_id NOT IN (SELECT child_id FROM children) OR "
      "(e.worker_id IS NOT NULL AND e.worker_id NOT IN (SELECT worker_id FROM workers)) OR "
      "(e.ref IS NOT NULL AND e.ref NOT IN (SELECT event_id FROM events)) OR "
      "e.import_id NOT IN (SELECT import_id FROM imports)");
  ASSERT_TRUE(dangling) << dangling.error().message;
  EXPECT_EQ(*dangling, "0");
  const Status refused = store->InTransaction("test", [&]() -> Status {
    Result<std::vector<SqlRow>> rows = store->Query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, client, created_at, last_seen, "
        "expires_at) VALUES ('t', 12345, 'c', 'x', 0, 0, 0)",
        {});
    if (!rows) return rows.error();
    return {};
  });
  EXPECT_FALSE(refused) << "a session of a user who does not exist was stored";
}

TEST_P(StoreTest, AChangedEventIsRefusedByRowAndColumnAndNothingIsWritten) {
  ASSERT_TRUE(Import(kExample));
  const std::string before = Stored();
  const fs::path changed = CopyOf(kExample, "changed");
  // Row 3: a new time for the assessment, and a new unit for a worker in the same import.
  ReplaceIn(changed / "events.csv", "B001-E03,B001,notification_assessed,2022-06-14T14:05,",
            "B001-E03,B001,notification_assessed,2022-06-14T15:05,");
  ReplaceIn(changed / "workers.csv", "W01,Mette Kjær Sørensen,DN,", "W01,Mette Kjær Sørensen,DS,");
  Result<ImportSummary> summary = Import(changed);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(summary.error().message,
            "events.csv:4:at: event \"B001-E03\" is already stored with at "
            "\"2022-06-14T14:05:00+02:00\", here \"2022-06-14T15:05:00+02:00\"; an event cannot "
            "change: correct it with a retraction event (and a new event)");
  EXPECT_EQ(Stored(), before);
}

TEST_P(StoreTest, ARetractionInANewerExportIsAdded) {
  ASSERT_TRUE(Import(kExample));
  const fs::path newer = CopyOf(kExample, "newer");
  std::string events = ReadText(newer / "events.csv");
  events +=
      "B001-E99,B001,retraction,2022-07-01,W03,B001-E04,,,,,,,,,,,,,registreret på forkert "
      "barn,\n";
  WriteText(newer / "events.csv", events);
  Result<ImportSummary> summary = Import(newer);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, 1u);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(newer))));
}

TEST_P(StoreTest, MasterDataFollowsTheNewestExport) {
  ASSERT_TRUE(Import(kExample));
  const fs::path moved = CopyOf(kExample, "moved");
  ReplaceIn(moved / "workers.csv", "W01,Mette Kjær Sørensen,DN,", "W01,Mette Kjær Sørensen,DS,");
  Result<ImportSummary> summary = Import(moved);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->workers.updated, 1u);
  EXPECT_EQ(summary->workers.unchanged, 10u);
  EXPECT_EQ(summary->events.added, 0u);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(moved))));
}

// A large import into a store that already holds events: SQLite builds its event indexes again
// after writing (an import at least as large as what is stored). The events must then be exactly
// those of both imports, and an event id must still be unique.
TEST_P(StoreTest, ALargeImportIntoASmallStoreKeepsEventIdsUnique) {
  const fs::path small = CopyOf(kExample, "small");
  std::string events = ReadText(small / "events.csv");
  std::string kept = events.substr(0, events.find('\n') + 1);  // the header
  size_t start = kept.size();
  while (start < events.size()) {
    const size_t end = events.find('\n', start) + 1;
    if (events.compare(start, 5, "B001-") == 0) kept += events.substr(start, end - start);
    start = end;
  }
  WriteText(small / "events.csv", kept);
  Result<ImportSummary> first = Import(small);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->events.added, 18u);  // B001-E01 to B001-E18
  Result<ImportSummary> second = Import(kExample);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->events.added, 587u - 18u);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(kExample))));
  const Status duplicate = database_->Execute(
      "INSERT INTO events (event_id, child_id, type, at, date_only, day, import_id) SELECT "
      "event_id, child_id, type, at, date_only, day, import_id FROM events WHERE event_id = "
      "'B002-E01'");
  ASSERT_FALSE(duplicate) << "a second event B002-E01 was stored";
  Result<ImportSummary> again = Import(kExample);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->import_id, 0);
  EXPECT_EQ(again->events.unchanged, 587u);
}

// SQLite writes events while the files are still being read; an event whose ref names a later row
// is written once the whole file is read. Here B001-E03 to B001-E06 refer to B001-E02, moved to
// the end of the file.
TEST_P(StoreTest, AnEventReferringToALaterRowIsStoredToo) {
  const fs::path moved = CopyOf(kExample, "moved");
  const std::string row =
      "B001-E02,B001,notification_received,2022-06-14T10:20,,,,,,,health,true,,,,,,,,\n";
  ReplaceIn(moved / "events.csv", row, "");
  WriteText(moved / "events.csv", ReadText(moved / "events.csv") + row);
  Result<ImportSummary> summary = Import(moved);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, 587u);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(kExample))));
}

// An error in the last row comes after SQLite has written most events: the import still fails
// with the reader's message, and nothing is kept, not even an import record.
TEST_P(StoreTest, AnErrorInTheLastRowLeavesTheStoreEmpty) {
  const fs::path broken = CopyOf(kExample, "broken");
  ReplaceIn(broken / "events.csv", "B040-E04,B040,assessment_started,",
            "B040-E04,B040,assessment_begun,");
  Result<ImportSummary> summary = Import(broken);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message,
            "events.csv:588:type: unknown event type \"assessment_begun\"");
  Result<std::string> events = database_->QueryText("SELECT count(*) FROM events");
  ASSERT_TRUE(events) << events.error().message;
  EXPECT_EQ(*events, "0");
  Result<ImportSummary> next = Import(kExample);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->import_id, 1);
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(kExample))));
}

TEST_P(StoreTest, EventsCannotBeUpdatedOrDeletedBehindTheStoresBack) {
  ASSERT_TRUE(Import(kExample));
  const Status update = database_->Execute("UPDATE events SET reason = 'x'");
  ASSERT_FALSE(update);
  EXPECT_NE(update.error().message.find("events are append-only"), std::string::npos)
      << update.error().message;
  const Status remove = database_->Execute("DELETE FROM events");
  ASSERT_FALSE(remove);
  EXPECT_NE(remove.error().message.find("events are append-only"), std::string::npos);
  Result<std::string> count = database_->QueryText("SELECT count(*) FROM events");
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, "587");
}

TEST_P(StoreTest, CprNumbersAreRefusedWithoutAKey) {
  const fs::path with_cpr = CopyOf(kExample, "cpr");
  ReplaceIn(with_cpr / "children.csv", "B001,,2021-03-08,", "B001,080321-4321,,");
  Result<ImportSummary> summary = Import(with_cpr, std::nullopt);
  ASSERT_FALSE(summary);
  std::string expected;
  for (const int row : {2, 4, 7, 16, 22, 36, 39}) {
    if (!expected.empty()) expected += '\n';
    expected += fmt::format(
        "children.csv:{}:cpr: a CPR number is only stored as a keyed hash, and no key is "
        "configured (--cpr-key-file FILE or the environment variable TILSYN_CPR_KEY)",
        row);
  }
  EXPECT_EQ(summary.error().message, expected);
  EXPECT_EQ(Stored(), "");
}

TEST_P(StoreTest, CprNumbersAreKeptOnlyAsAKeyedHashAndABirthDate) {
  const fs::path with_cpr = CopyOf(kExample, "cpr");
  ReplaceIn(with_cpr / "children.csv", "B001,,2021-03-08,", "B001,080321-4321,,");
  ReplaceIn(with_cpr / "children.csv", "B002,,2019-11-22,", "B002,2211194322,,");
  ASSERT_TRUE(Import(with_cpr, std::string(kKey)));
  Result<std::string> hash =
      database_->QueryText("SELECT cpr_hash FROM children WHERE child_id = 'B001'");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->size(), 64u);
  Result<std::string> birth =
      database_->QueryText("SELECT birth_date FROM children WHERE child_id = 'B002'");
  ASSERT_TRUE(birth);
  EXPECT_EQ(*birth, "2019-11-22");
  // Every table's every value, as text: no CPR number in any form.
  for (const char* table : {"units", "workers", "children", "events", "imports"}) {
    const std::string all =
        GetParam() == testing_support::kSqlite
            ? fmt::format(
                  "SELECT group_concat(quote(t.rowid) || ' ' || "
                  "(SELECT group_concat(c.name, ',') FROM pragma_table_info('{0}') c), "
                  "'') FROM {0} t",
                  table)
            : fmt::format("SELECT coalesce(string_agg(t::text, ' '), '') FROM {} t", table);
    Result<std::string> text = database_->QueryText(all);
    ASSERT_TRUE(text) << text.error().message;
    for (const char* cpr : {"0803214321", "080321-4321", "2211194322", "221119-4322"}) {
      EXPECT_EQ(text->find(cpr), std::string::npos) << table;
    }
  }
}

TEST_P(StoreTest, TheEventIndexTakesInAnImportWithoutReloading) {
  size_t removed = 0;
  ASSERT_TRUE(Import(OlderExample("older", removed)));
  std::unique_ptr<Store> store = Open();
  Result<EventIndex> index = EventIndex::Load(*store);
  ASSERT_TRUE(index) << index.error().message;

  const fs::path newer = CopyOf(kExample, "newer");
  std::string events = ReadText(newer / "events.csv");
  events +=
      "B001-E99,B001,retraction,2022-07-01,W03,B001-E04,,,,,,,,,,,,,registreret på forkert "
      "barn,\n";
  WriteText(newer / "events.csv", events);
  ReplaceIn(newer / "workers.csv", "W01,Mette Kjær Sørensen,DN,", "W01,Mette Kjær Sørensen,DS,");
  Result<ImportSummary> summary = index->Import(*store, ReadDirectory(newer), ImportOptions());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, removed + 1);
  EXPECT_EQ(summary->workers.updated, 1u);
  // Taken in place, not reloaded: the moved children left dead slots behind.
  EXPECT_GT(index->data().events.size(), LiveEventCount(index->data()));
  EXPECT_EQ(index->last_import_id(), summary->import_id);
  // The index now holds exactly what the store holds and what the files say.
  EXPECT_EQ(Sorted(Describe(index->data())), Stored());
  EXPECT_EQ(Stored(), Sorted(Describe(ReadDirectory(newer))));

  // The same again changes nothing, in the store or in the index.
  Result<ImportSummary> again = index->Import(*store, ReadDirectory(newer), ImportOptions());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->import_id, 0);
  EXPECT_EQ(Sorted(Describe(index->data())), Stored());
}

TEST_P(StoreTest, TheEventIndexReloadsAfterAnotherWritersImport) {
  size_t removed = 0;
  const fs::path older = OlderExample("older", removed);
  ASSERT_TRUE(Import(older));
  std::unique_ptr<Store> store = Open();
  Result<EventIndex> index = EventIndex::Load(*store);
  ASSERT_TRUE(index) << index.error().message;
  // Another program imports the newer export; this index does not know.
  ASSERT_TRUE(Import(kExample));
  const fs::path newest = CopyOf(kExample, "newest");
  ReplaceIn(newest / "units.csv", ",Team Anbringelse", ",Team Anbringelse og efterværn");
  Result<ImportSummary> summary = index->Import(*store, ReadDirectory(newest), ImportOptions());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->units.updated, 1u);
  EXPECT_EQ(summary->events.added, 0u);
  EXPECT_EQ(Sorted(Describe(index->data())), Stored());
}

// The bytes of every file the database keeps: the SQLite file and its journal, or the test
// server's whole data directory (tables, indexes, write-ahead log).
std::vector<fs::path> DatabaseFiles(const TestDatabase& database) {
  if (!database.sqlite_path().empty()) {
    return {database.sqlite_path(), database.sqlite_path().string() + "-wal"};
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(TILSYN_TEST_POSTGRES_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

TEST_P(StoreTest, NoDatabaseFileHoldsACprNumberInClear) {
  const fs::path with_cpr = CopyOf(kExample, "cpr");
  ReplaceIn(with_cpr / "children.csv", "B001,,2021-03-08,", "B001,080321-4321,,");
  ReplaceIn(with_cpr / "children.csv", "B002,,2019-11-22,", "B002,2211194322,,");
  ASSERT_TRUE(Import(with_cpr, std::string(kKey)));
  // A committed transaction is in PostgreSQL's write-ahead log (pg_wal) on disk, before any
  // checkpoint writes the tables' pages.
  size_t bytes = 0;
  for (const fs::path& file : DatabaseFiles(*database_)) {
    if (!fs::exists(file)) continue;
    const std::string content = ReadText(file);
    bytes += content.size();
    for (const char* cpr : {"0803214321", "080321-4321", "2211194322", "221119-4322"}) {
      EXPECT_EQ(content.find(cpr), std::string::npos) << cpr << " in " << file;
    }
  }
  EXPECT_GT(bytes, 10000u);
  // The scan can see: the children's ids are there in clear.
  bool found_id = false;
  for (const fs::path& file : DatabaseFiles(*database_)) {
    if (fs::exists(file) && ReadText(file).find("B001-E03") != std::string::npos) found_id = true;
  }
  EXPECT_TRUE(found_id);
}

TEST_P(StoreTest, AReadOnlyQueryAnswersInTextWithItsParameters) {
  ASSERT_TRUE(Import(kExample));
  std::unique_ptr<Store> store = Open();
  const std::vector<std::string> params = {"B001", "notification_received", ""};
  Result<std::vector<QueryRow>> rows = store->QueryReadOnly(
      "SELECT count(*), min(event_id), $3 FROM events WHERE child_id = $1 AND type = $2 AND $1 = "
      "child_id",
      params);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front(), (QueryRow{"1", "B001-E02", std::nullopt}));
}

TEST_P(StoreTest, AQueryThatWouldWriteOrHoldsTwoStatementsIsRefused) {
  ASSERT_TRUE(Import(kExample));
  const std::string before = Stored();
  std::unique_ptr<Store> store = Open();
  for (const char* sql :
       {"DELETE FROM units WHERE unit_id = 'TA'", "SELECT 1; DELETE FROM imports",
        "INSERT INTO imports (imported_at, source, units_added, units_updated, workers_added, "
        "workers_updated, children_added, children_updated, events_added) SELECT imported_at, "
        "source, 0, 0, 0, 0, 0, 0, 0 FROM imports"}) {
    EXPECT_FALSE(store->QueryReadOnly(sql, {})) << sql;
  }
  EXPECT_EQ(Stored(), before);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest,
                         ::testing::Values(testing_support::kSqlite, testing_support::kPostgres),
                         [](const auto& param_info) { return std::string(param_info.param); });

// Version 4 of the SQLite schema rebuilds the events table: a database from an older tilsyn keeps
// every event, its event_key, and the table's rules (unique ids, append-only).
TEST(SqliteMigrationTest, Version4KeepsEveryEventItsKeyAndTheRules) {
  Result<TestDatabase> current = TestDatabase::Create(testing_support::kSqlite, TestName() + "_4");
  ASSERT_TRUE(current) << current.error().message;
  {
    Result<std::unique_ptr<Store>> store = current->Open();
    ASSERT_TRUE(store) << store.error().message;
    ReadOptions options;
    options.cpr_key = std::string(kKey);
    ASSERT_TRUE(ImportDirectory(**store, kExample, options, nullptr));
  }
  // The same data in a database of schema version 3, as the tilsyn before version 4 left it.
  Result<TestDatabase> older = TestDatabase::Create(testing_support::kSqlite, TestName() + "_3");
  ASSERT_TRUE(older) << older.error().message;
  std::ofstream(older->sqlite_path()).flush();  // an empty file is an empty SQLite database
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TEXT NOT NULL);\n";
  for (const Migration& migration : Migrations().first(3)) {
    sql += std::string(migration.sqlite);
    sql += fmt::format("INSERT INTO schema_migrations VALUES ({}, '{}', '2026-01-01');\n",
                       migration.version, migration.name);
  }
  sql += fmt::format("ATTACH '{}' AS current;\n", current->sqlite_path().string());
  for (const char* table : {"imports", "units", "workers", "children", "events"}) {
    sql += fmt::format("INSERT INTO main.{0} SELECT * FROM current.{0};\n", table);
  }
  ASSERT_TRUE(older->Execute(sql));
  const std::string keys_query =
      "SELECT group_concat(event_key || ' ' || event_id, ',') FROM (SELECT event_key, event_id "
      "FROM events ORDER BY event_key)";
  Result<std::string> keys_before = older->QueryText(keys_query);
  ASSERT_TRUE(keys_before) << keys_before.error().message;

  Result<std::unique_ptr<Store>> store = older->Open();
  ASSERT_TRUE(store) << store.error().message;
  Result<int> version = (*store)->SchemaVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, LatestSchemaVersion());
  Result<Dataset> loaded = (*store)->Load({.details = true});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(Sorted(Describe(*loaded)), Sorted(Describe(ReadDirectory(kExample))));
  Result<std::string> keys_after = older->QueryText(keys_query);
  ASSERT_TRUE(keys_after) << keys_after.error().message;
  EXPECT_EQ(*keys_after, *keys_before);
  EXPECT_FALSE(older->Execute(
      "INSERT INTO events (event_id, child_id, type, at, date_only, day, import_id) SELECT "
      "event_id, child_id, type, at, date_only, day, import_id FROM events LIMIT 1"))
      << "an event id was stored twice";
  EXPECT_FALSE(older->Execute("DELETE FROM events")) << "events are append-only";
  Result<std::string> foreign_keys =
      older->QueryText("SELECT count(*) FROM pragma_foreign_key_check");
  ASSERT_TRUE(foreign_keys) << foreign_keys.error().message;
  EXPECT_EQ(*foreign_keys, "0");
}

// A first import into a SQLite file that does not exist yet builds the database beside it and
// moves it into place when it is whole (ImportIntoNewSqliteFile).
class NewSqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<TestDatabase> database = TestDatabase::Create(testing_support::kSqlite, TestName());
    ASSERT_TRUE(database) << database.error().message;
    database_.emplace(std::move(*database));
    path_ = database_->sqlite_path();
    building_ = path_.string() + ".building";
  }

  Result<ImportSummary> Import(const fs::path& dir) {
    ReadOptions options;
    options.cpr_key = std::string(kKey);
    return ImportDirectoryInto(database_->source(), dir, options, nullptr);
  }

  std::optional<TestDatabase> database_;
  fs::path path_;
  fs::path building_;
};

TEST_F(NewSqliteFileTest, TheImportedFileIsWholeInWalModeAndOpensAsAStore) {
  ASSERT_TRUE(IsNewSqliteFile(path_.string()));
  Result<ImportSummary> summary = Import(kExample);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->import_id, 1);
  EXPECT_EQ(summary->events.added, 587u);
  EXPECT_FALSE(IsNewSqliteFile(path_.string()));
  EXPECT_FALSE(fs::exists(building_));
  Result<std::string> mode = database_->QueryText("PRAGMA journal_mode");
  ASSERT_TRUE(mode) << mode.error().message;
  EXPECT_EQ(*mode, "wal");
  Result<std::string> check = database_->QueryText("PRAGMA integrity_check");
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(*check, "ok");
  Result<std::string> indexes = database_->QueryText(
      "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' "
      "AND tbl_name = 'events' ORDER BY name)");
  ASSERT_TRUE(indexes) << indexes.error().message;
  EXPECT_EQ(*indexes, "events_event_id,events_ref");

  // Two stores at once, as a server's pool holds them: one reads while the other writes.
  Result<std::unique_ptr<Store>> reader = database_->Open();
  ASSERT_TRUE(reader) << reader.error().message;
  Result<std::unique_ptr<Store>> writer = database_->Open();
  ASSERT_TRUE(writer) << writer.error().message;
  Result<int> version = (*reader)->SchemaVersion();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  Result<Dataset> loaded = (*reader)->Load({.details = true});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(Sorted(Describe(*loaded)), Sorted(Describe(ReadDirectory(kExample))));
  ASSERT_TRUE((*writer)->Query("INSERT INTO login_attempts (attempt_key, at) VALUES ($1, $2)",
                               {std::string("k"), int64_t{1}}));
  Result<std::vector<SqlRow>> attempts = (*reader)->Query("SELECT count(*) FROM login_attempts");
  ASSERT_TRUE(attempts) << attempts.error().message;
  EXPECT_EQ((*attempts)[0][0], "1");

  // The next import finds the database and changes nothing.
  Result<ImportSummary> again = Import(kExample);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->import_id, 0);
  EXPECT_EQ(again->events.unchanged, 587u);
}

TEST_F(NewSqliteFileTest, AFailedFirstImportLeavesNoDatabase) {
  const fs::path broken = CopyOf(kExample, "broken");
  ReplaceIn(broken / "events.csv", "B040-E04,B040,assessment_started,",
            "B040-E04,B040,assessment_begun,");
  Result<ImportSummary> summary = Import(broken);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message,
            "events.csv:588:type: unknown event type \"assessment_begun\"");
  EXPECT_TRUE(IsNewSqliteFile(path_.string()));
  EXPECT_FALSE(fs::exists(building_));
  Result<ImportSummary> next = Import(kExample);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->import_id, 1);
}

// What an import killed while building leaves: the building file, perhaps with a WAL beside it.
TEST_F(NewSqliteFileTest, TheBuildingFileOfAKilledImportDoesNotStopTheNext) {
  WriteText(building_, "half a database");
  WriteText(building_.string() + "-wal", "half a WAL");
  Result<ImportSummary> summary = Import(kExample);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, 587u);
  EXPECT_FALSE(fs::exists(building_));
  EXPECT_FALSE(fs::exists(building_.string() + "-wal"));
  Result<std::string> check = database_->QueryText("PRAGMA integrity_check");
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(*check, "ok");
}

TEST_F(NewSqliteFileTest, WhileAnotherImportBuildsTheSameDatabaseANewOneIsRefused) {
  // The lock an import holds on its building file while it runs.
  const int held = open(building_.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(held, 0);
  ASSERT_EQ(flock(held, LOCK_EX), 0);
  Result<ImportSummary> refused = Import(kExample);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("another import is building this database"),
            std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(fs::exists(building_)) << "the other import's file was removed";
  EXPECT_TRUE(IsNewSqliteFile(path_.string()));
  close(held);
  Result<ImportSummary> summary = Import(kExample);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, 587u);
}

// A file or WAL already at the path goes the usual way: into the existing store.
TEST_F(NewSqliteFileTest, AnExistingDatabaseIsImportedIntoInPlace) {
  {
    Result<std::unique_ptr<Store>> store = database_->Open();
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Query("INSERT INTO login_attempts (attempt_key, at) VALUES ($1, $2)",
                                {std::string("k"), int64_t{1}}));
  }
  EXPECT_FALSE(IsNewSqliteFile(path_.string()));
  Result<ImportSummary> summary = Import(kExample);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->events.added, 587u);
  Result<std::string> attempts = database_->QueryText("SELECT count(*) FROM login_attempts");
  ASSERT_TRUE(attempts) << attempts.error().message;
  EXPECT_EQ(*attempts, "1");
  EXPECT_FALSE(fs::exists(building_));
  EXPECT_TRUE(IsNewSqliteFile(path_.string() + "-x"));
  WriteText(path_.string() + "-x-wal", "");
  EXPECT_FALSE(IsNewSqliteFile(path_.string() + "-x")) << "a WAL without its database";
}

// `check` gives the same answer from a directory, a SQLite file and PostgreSQL.
class CheckAgreementTest : public ::testing::TestWithParam<std::string_view> {};

std::string CheckJson(const Dataset& data) {
  Result<Catalogue> catalogue = LoadCatalogue(DefaultRulesDirectory());
  EXPECT_TRUE(catalogue);
  const Engine engine(data, *catalogue, Calendar::Danish());
  const CheckReport report =
      RunCheck(engine, {DateFromYmd(2025, 6, 30), DefaultPeriod(DateFromYmd(2025, 6, 30)), 2});
  return RenderCheckJson(report, engine, true);
}

TEST_P(CheckAgreementTest, CheckFromDirectoryAndStoreAgreeExactly) {
  const fs::path generated = fs::temp_directory_path() / ("tilsyn-generated-" + TestName());
  fs::remove_all(generated);
  fs::create_directories(generated);
  ASSERT_TRUE(
      testing_support::WriteSyntheticDataset(generated, testing_support::Synthetic(300, 7)));
  for (const fs::path& dir : {kExample, generated}) {
    Result<TestDatabase> database =
        TestDatabase::Create(GetParam(), TestName() + "_" + dir.filename().string());
    ASSERT_TRUE(database) << database.error().message;
    Result<std::unique_ptr<Store>> store = database->Open();
    ASSERT_TRUE(store) << store.error().message;
    ReadOptions keyed;
    keyed.cpr_key = std::string(kKey);
    ASSERT_TRUE(ImportDirectory(**store, dir, keyed, nullptr));
    Result<Dataset> loaded = LoadDataset(database->source(), {});
    ASSERT_TRUE(loaded) << loaded.error().message;
    const std::string from_store = CheckJson(*loaded);
    EXPECT_EQ(from_store, CheckJson(ReadDirectory(dir))) << dir;
    EXPECT_GT(from_store.size(), 1000u);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CheckAgreementTest,
                         ::testing::Values(testing_support::kSqlite, testing_support::kPostgres),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace tilsyn
