#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/import_plan.h"
#include "store/records.h"
#include "store/schema.h"
#include "store/store.h"

namespace tilsyn {
namespace {

// A prepared statement, reset for reuse after each row or run.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept
      : statement_(std::exchange(other.statement_, nullptr)), null_(std::move(other.null_)) {}
  Statement& operator=(Statement&& other) noexcept {
    std::swap(statement_, other.statement_);
    std::swap(null_, other.null_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(statement_); }

  static Result<Statement> Prepare(sqlite3* db, std::string_view sql) {
    Statement statement;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement.statement_, nullptr) != SQLITE_OK) {
      return Internal(fmt::format("SQLite could not prepare a statement: {}", sqlite3_errmsg(db)));
    }
    statement.ForgetBindings();
    return statement;
  }

  // Takes ownership of a statement prepared by the caller (may be null).
  static Statement Adopt(sqlite3_stmt* raw) {
    Statement statement;
    statement.statement_ = raw;
    statement.ForgetBindings();
    return statement;
  }

  // Whether `sql` holds nothing but white space and comments.
  static bool HoldsNoStatement(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    sqlite3_finalize(raw);
    return rc == SQLITE_OK && raw == nullptr;
  }

  // Parameters are numbered from 1. Text must outlive the next Step().
  void BindText(int index, std::string_view text) {
    if (text.empty()) {
      BindNull(index);
    } else {
      sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_STATIC);
      Bound(index);
    }
  }
  // Text that need not outlive the call, bound empty as empty (not NULL).
  void BindTextCopy(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    Bound(index);
  }
  void BindInt(int index, int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    Bound(index);
  }
  // A parameter that is NULL already is left alone: most of an event's columns are NULL, and a
  // statement run again keeps its bindings (Rewind), so an import skips most of its NULL binds.
  void BindNull(int index) {
    const auto at = static_cast<size_t>(index);
    if (at < null_.size() && null_[at]) return;
    sqlite3_bind_null(statement_, index);
    if (at < null_.size()) null_[at] = true;
  }
  // The index of a named parameter ("$1"), 0 when the statement has none of that name.
  int IndexOf(const std::string& name) const {
    return sqlite3_bind_parameter_index(statement_, name.c_str());
  }
  int ColumnCount() const { return sqlite3_column_count(statement_); }
  void BindDouble(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
    Bound(index);
  }
  void BindFlag(int index, Flag flag) {
    if (flag == Flag::kNull) {
      BindNull(index);
    } else {
      sqlite3_bind_int(statement_, index, flag == Flag::kTrue ? 1 : 0);
      Bound(index);
    }
  }
  void BindOptionalInt(int index, std::optional<int64_t> value) {
    if (value) {
      BindInt(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Whether the statement leaves the database file as it is (sqlite3_stmt_readonly).
  bool ReadOnly() const { return sqlite3_stmt_readonly(statement_) != 0; }
  int ParameterCount() const { return sqlite3_bind_parameter_count(statement_); }
  // "$1" for a parameter written $1; nullptr for one written ?.
  const char* ParameterName(int index) const {
    return sqlite3_bind_parameter_name(statement_, index);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(statement_); }
  void Reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    ForgetBindings();
  }
  // For a statement that binds every parameter again before each step: keeps the bindings.
  void Rewind() { sqlite3_reset(statement_); }

  // Columns are numbered from 0. Views are valid until the next Step().
  std::string_view Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(statement_, column))};
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  double Double(int column) const { return sqlite3_column_double(statement_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  Flag FlagAt(int column) const {
    if (IsNull(column)) return Flag::kNull;
    return Int(column) != 0 ? Flag::kTrue : Flag::kFalse;
  }

 private:
  // Every parameter is NULL, as after preparing or clearing the bindings.
  void ForgetBindings() {
    null_.assign(static_cast<size_t>(sqlite3_bind_parameter_count(statement_)) + 1, true);
  }
  void Bound(int index) {
    if (const auto at = static_cast<size_t>(index); at < null_.size()) null_[at] = false;
  }

  sqlite3_stmt* statement_ = nullptr;
  std::vector<bool> null_;  // by parameter number: bound to NULL
};

// A date as FormatDate writes it (YYYY-MM-DD), without allocating: an import writes millions.
std::array<char, 10> DateDigits(Date date) {
  const YearMonthDay ymd = ToYmd(date);
  std::array<char, 10> text{};
  const auto put = [&text](size_t at, int value, size_t digits) {
    for (size_t i = digits; i-- > 0; value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, ymd.year, 4);
  text[4] = '-';
  put(5, ymd.month, 2);
  text[7] = '-';
  put(8, ymd.day, 2);
  return text;
}

// Columns an import writes per event, and events per INSERT statement: 256 took 7 % less time
// per event than 32 (5,888 parameters; SQLite allows 32,766).
constexpr int kEventInsertColumns = 23;
constexpr size_t kEventsPerInsert = 256;

// The secondary indexes of the events table, as schema.cc's version 4 creates them. An import that
// brings at least as many events as are stored drops them and builds them again after writing.
constexpr const char* kDropEventIndexes = "DROP INDEX events_event_id; DROP INDEX events_ref";
constexpr const char* kCreateEventIndexes =
    "CREATE UNIQUE INDEX events_event_id ON events (event_id); "
    "CREATE INDEX events_ref ON events (ref) WHERE ref IS NOT NULL";

// How a store uses its file.
enum class FileUse {
  // Shared with other connections and programs, every commit durable (WAL, synchronous=FULL).
  kShared,
  // A new file that no other connection opens until the store is closed and the file moved into
  // place (ImportIntoNewSqliteFile): nothing need be durable before then, nor visible to others.
  kBuilding,
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, FileUse use) : path_(std::move(path)), use_(use) {}
  ~SqliteStore() override {
    statements_ = {};
    sqlite3_close_v2(db_);
  }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status Open();
  // For a store built in kBuilding use, once its import is committed: the file's journal mode
  // becomes WAL, as every program that opens it will expect.
  Status FinishBuilding() { return Execute("PRAGMA journal_mode = WAL"); }

  std::string_view EngineName() const override { return "sqlite"; }
  Result<int> SchemaVersion() override;

 protected:
  Status BeginRead() override { return Execute("BEGIN"); }
  // An import writes only what PlanImport validated against the stored and incoming data: every
  // child, worker and referenced event exists, by construction. Checking the foreign keys again
  // row by row would cost SQLite four index searches per event, a third of the import's time, so
  // the import's transaction runs without them (the pragma only takes effect outside a
  // transaction); every other change keeps them.
  // Changing the pragma expires every prepared statement of the connection, so it is turned back
  // on only after an import, not after every transaction.
  Status BeginWrite() override {
    if (Status status = Execute("PRAGMA foreign_keys = OFF"); !status) return status;
    foreign_keys_off_ = true;
    if (Status status = Execute("BEGIN IMMEDIATE"); !status) {
      RestoreForeignKeys();
      return status;
    }
    return {};
  }
  // SQLite lets one writer in at a time: every change waits for the others, whatever its lock.
  Status BeginChange(std::string_view /*lock*/) override { return Execute("BEGIN IMMEDIATE"); }
  Result<std::vector<SqlRow>> RunQuery(std::string_view sql,
                                       std::span<const SqlValue> params) override;
  Status Commit() override {
    Status status = Execute("COMMIT");
    if (status && foreign_keys_off_) status = Execute("PRAGMA foreign_keys = ON");
    if (status) foreign_keys_off_ = false;
    return status;
  }
  void Rollback() override {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    RestoreForeignKeys();
  }
  Status ReadAll(DatasetLoader& loader) override;
  Result<int64_t> QueryLastImportId() override {
    Result<Statement> query =
        Statement::Prepare(db_, "SELECT coalesce(max(import_id), 0) FROM imports");
    if (!query) return query.error();
    if (query->Step() != SQLITE_ROW) return Failure("reading the last import");
    return query->Int(0);
  }
  Result<std::vector<QueryRow>> RunReadOnlyQuery(std::string_view sql,
                                                 std::span<const std::string> params) override;
  Result<int64_t> InsertImport(const ImportOptions& options, const ImportPlan& plan) override;
  Status WriteUnits(const Dataset& data, std::span<const uint32_t> positions, bool update,
                    int64_t import_id) override;
  Status WriteWorkers(const Dataset& data, std::span<const uint32_t> positions, bool update,
                      int64_t import_id) override;
  Status WriteChildren(const Dataset& data, std::span<const uint32_t> positions, bool update,
                       int64_t import_id) override;
  Status AppendEvents(const Dataset& data, std::span<const uint32_t> positions, int64_t import_id,
                      const ProgressFn& progress) override;

 public:
  Result<ImportSummary> ImportWhileReading(const DatasetReader& read,
                                           const ImportOptions& options) override;

 private:
  Error Failure(std::string_view doing) const {
    const int code = sqlite3_extended_errcode(db_);
    std::string message = fmt::format("{}: {} failed: {}", path_, doing, sqlite3_errmsg(db_));
    if (code == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return Unavailable(message);
    if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
      return DataLoss(message);
    }
    if ((code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY ||
        (code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR) {
      return FailedPrecondition(message);
    }
    return Internal(message);
  }
  Status Execute(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return Failure(sql);
    return {};
  }
  // After an import's transaction, whatever its end.
  void RestoreForeignKeys() {
    if (!foreign_keys_off_) return;
    sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    foreign_keys_off_ = false;
  }
  // A statement prepared once per store.
  Result<Statement*> Cached(int slot, std::string_view sql);
  // ImportWhileReading within its transaction.
  Result<ImportSummary> StreamImport(const DatasetReader& read, const ImportOptions& options);
  // Inserts `count` events, the i-th given by row_at(i) (an EventToWrite), whose texts live until
  // this returns; `report(done)` is called after every statement run.
  template <typename RowAt, typename Report>
  Status InsertEvents(size_t count, const RowAt& row_at, int64_t import_id, const Report& report);
  // The import record of `plan`, as number `import_id` (or the next free one for 0).
  Result<int64_t> RecordImport(const ImportOptions& options, const ImportPlan& plan,
                               int64_t import_id);
  Status Migrate();
  int64_t MaxKey(const char* sql);

  std::string path_;
  FileUse use_;
  sqlite3* db_ = nullptr;
  std::array<Statement, 8> statements_;
  std::array<bool, 8> prepared_{};
  std::map<std::string, Statement, std::less<>> queries_;  // Query's statements, by SQL
  bool foreign_keys_off_ = false;  // BeginWrite turned them off for an import
};

Result<std::vector<SqlRow>> SqliteStore::RunQuery(std::string_view sql,
                                                  std::span<const SqlValue> params) {
  auto found = queries_.find(sql);
  if (found == queries_.end()) {
    Result<Statement> prepared = Statement::Prepare(db_, sql);
    if (!prepared) return std::move(prepared).error();
    found = queries_.emplace(std::string(sql), std::move(*prepared)).first;
  }
  Statement& statement = found->second;
  for (size_t i = 0; i < params.size(); ++i) {
    // $1, $2, … are named parameters to SQLite: bind by name, whatever order they appear in.
    const int index = statement.IndexOf(fmt::format("${}", i + 1));
    if (index == 0) continue;
    if (const auto* number = std::get_if<int64_t>(&params[i])) {
      statement.BindInt(index, *number);
    } else if (const auto* text = std::get_if<std::string>(&params[i])) {
      statement.BindTextCopy(index, *text);
    }
  }
  std::vector<SqlRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = statement.Step()) == SQLITE_ROW) {
    SqlRow& row = rows.emplace_back(static_cast<size_t>(statement.ColumnCount()));
    for (size_t c = 0; c < row.size(); ++c) {
      if (!statement.IsNull(static_cast<int>(c)))
        row[c] = std::string(statement.Text(static_cast<int>(c)));
    }
  }
  statement.Reset();
  if (rc != SQLITE_DONE) return Failure(fmt::format("running \"{}\"", sql.substr(0, 60)));
  return rows;
}

Result<Statement*> SqliteStore::Cached(int slot, std::string_view sql) {
  const auto index = static_cast<size_t>(slot);
  if (!prepared_[index]) {
    Result<Statement> statement = Statement::Prepare(db_, sql);
    if (!statement) return std::move(statement).error();
    statements_[index] = std::move(*statement);
    prepared_[index] = true;
  }
  return &statements_[index];
}

Status SqliteStore::Open() {
  // NOMUTEX: a store is used by one thread at a time (the server leases each from a pool), so
  // SQLite need not lock the connection on every call; an import makes some 30 calls per event.
  if (sqlite3_open_v2(path_.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return FailedPrecondition(fmt::format("{}: cannot open the database: {}", path_,
                                          db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 10000);
  // Shared: WAL, so that readers never block the writer; synchronous=FULL, so that a committed
  // import survives a power cut, not only a crash. The cache holds the indexes of a large import.
  // Building: nobody else sees the file, and a crash leaves it where nobody will use it, so no
  // journal reaches the disk (MEMORY keeps ROLLBACK working; SQLite journals no page that a
  // transaction appends to the file, which is nearly all of a first import's), nothing is synced
  // until the file is done, and no other connection is looked for. Pages of 16 KiB instead of 4
  // make the event indexes faster to build: by a quarter for 1.3 M events, a tenth for 13.8 M.
  // Reading the file mapped (up to SQLite's limit, 2 GiB less 64 KiB) instead of copied saves
  // another 7 % of the index builds, which read the whole table twice.
  // Foreign keys are turned on after the migrations, which rebuild tables as SQLite's ALTER TABLE
  // documentation says: with them off.
  const char* const shared[] = {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                                "PRAGMA cache_size = -262144"};
  const char* const building[] = {"PRAGMA page_size = 16384",     "PRAGMA locking_mode = EXCLUSIVE",
                                  "PRAGMA journal_mode = MEMORY", "PRAGMA synchronous = OFF",
                                  "PRAGMA cache_size = -262144",  "PRAGMA mmap_size = 2147418112"};
  for (const char* pragma : use_ == FileUse::kShared ? std::span<const char* const>(shared)
                                                     : std::span<const char* const>(building)) {
    if (Status status = Execute(pragma); !status) return status;
  }
  if (Status status = Migrate(); !status) return status;
  return Execute("PRAGMA foreign_keys = ON");
}

Status SqliteStore::Migrate() {
  if (Status status = Execute("BEGIN IMMEDIATE"); !status) return status;
  Status status = [&]() -> Status {
    if (Status created = Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                                 "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        !created) {
      return created;
    }
    Result<int> version = SchemaVersion();
    if (!version) return version.error();
    if (Status known = CheckSchemaIsKnown(path_, *version); !known) return known;
    for (const Migration& migration : Migrations()) {
      if (migration.version <= *version) continue;
      const std::string sql(migration.sqlite);
      if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return Failure(fmt::format("schema migration {} ({})", migration.version, migration.name));
      }
      Result<Statement> record = Statement::Prepare(
          db_,
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
          "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
      if (!record) return record.error();
      record->BindInt(1, migration.version);
      record->BindText(2, migration.name);
      if (record->Step() != SQLITE_DONE) return Failure("recording a schema migration");
    }
    return {};
  }();
  if (!status) {
    Rollback();
    return status;
  }
  return Execute("COMMIT");
}

Result<int> SqliteStore::SchemaVersion() {
  Result<Statement> query =
      Statement::Prepare(db_, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!query) return query.error();
  if (query->Step() != SQLITE_ROW) return Failure("reading the schema version");
  return static_cast<int>(query->Int(0));
}

int64_t SqliteStore::MaxKey(const char* sql) {
  Result<Statement> query = Statement::Prepare(db_, sql);
  if (!query || query->Step() != SQLITE_ROW) return 0;
  return query->Int(0);
}

Status SqliteStore::ReadAll(DatasetLoader& loader) {
  // Records in id order (byte order, as PostgreSQL's COLLATE "C"): both engines give the same
  // Dataset whatever updates did to the tables. Row counts to reserve for; max(rowid) and
  // max(event_key) are a lookup, not a count.
  loader.Reserve(static_cast<size_t>(MaxKey("SELECT count(*) FROM units")),
                 static_cast<size_t>(MaxKey("SELECT count(*) FROM workers")),
                 static_cast<size_t>(MaxKey("SELECT max(rowid) FROM children")),
                 static_cast<size_t>(MaxKey("SELECT max(event_key) FROM events")));
  Result<Statement> units =
      Statement::Prepare(db_, "SELECT unit_id, parent_id, kind, name FROM units ORDER BY unit_id");
  if (!units) return units.error();
  int rc = SQLITE_ROW;
  while ((rc = units->Step()) == SQLITE_ROW) {
    if (Status status =
            loader.AddUnit({units->Text(0), units->Text(1), units->Text(2), units->Text(3)});
        !status) {
      return status;
    }
  }
  if (rc != SQLITE_DONE) return Failure("reading units");

  Result<Statement> workers = Statement::Prepare(
      db_, "SELECT worker_id, name, unit_id, fte FROM workers ORDER BY worker_id");
  if (!workers) return workers.error();
  while ((rc = workers->Step()) == SQLITE_ROW) {
    if (Status status = loader.AddWorker(
            {workers->Text(0), workers->Text(1), workers->Text(2), workers->Double(3)});
        !status) {
      return status;
    }
  }
  if (rc != SQLITE_DONE) return Failure("reading workers");

  Result<Statement> children = Statement::Prepare(
      db_, "SELECT child_id, birth_date, unit_id, cpr_hash FROM children ORDER BY child_id");
  if (!children) return children.error();
  while ((rc = children->Step()) == SQLITE_ROW) {
    Result<Date> birth_date = ParseDate(children->Text(1));
    if (!birth_date) {
      return DataLoss(fmt::format("{}: stored child \"{}\" has a bad birth_date: {}", path_,
                                  children->Text(0), birth_date.error().message));
    }
    if (Status status =
            loader.AddChild({children->Text(0), *birth_date, children->Text(2), children->Text(3)});
        !status) {
      return status;
    }
  }
  if (rc != SQLITE_DONE) return Failure("reading children");

  Result<Statement> events = Statement::Prepare(
      db_,
      "SELECT event_id, child_id, type, at, date_only, day, worker_id, ref, measure_id, "
      "measure_type, placement, legal_basis, source, professional, acute, context, decision, "
      "reasoned, states_effort, rule_id, reason, amount_ore FROM events ORDER BY event_key");
  if (!events) return events.error();
  while ((rc = events->Step()) == SQLITE_ROW) {
    const Statement& e = *events;
    Result<Date> day = ParseDate(e.Text(5));
    if (!day) {
      return DataLoss(fmt::format("{}: stored event \"{}\" has a bad day: {}", path_, e.Text(0),
                                  day.error().message));
    }
    EventRow row;
    row.event_id = e.Text(0);
    row.child_id = e.Text(1);
    row.type = e.Text(2);
    row.at = e.Int(3);
    row.date_only = e.Int(4) != 0;
    row.day = *day;
    row.worker_id = e.Text(6);
    row.ref = e.Text(7);
    row.measure_id = e.Text(8);
    row.measure_type = e.Text(9);
    row.placement = e.FlagAt(10);
    row.legal_basis = e.Text(11);
    row.source = e.Text(12);
    row.professional = e.FlagAt(13);
    row.acute = e.FlagAt(14);
    row.context = e.Text(15);
    row.decision = e.Text(16);
    row.reasoned = e.FlagAt(17);
    row.states_effort = e.FlagAt(18);
    row.rule_id = e.Text(19);
    row.reason = e.Text(20);
    if (!e.IsNull(21)) row.amount_ore = e.Int(21);
    if (Status status = loader.AddEvent(row); !status) return status;
  }
  if (rc != SQLITE_DONE) return Failure("reading events");
  return {};
}

Result<std::vector<QueryRow>> SqliteStore::RunReadOnlyQuery(std::string_view sql,
                                                            std::span<const std::string> params) {
  // Prepared without SQLITE_PREPARE_PERSISTENT: run once. The text after the first statement must
  // hold no other.
  const char* tail = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    return InvalidArgument(
        fmt::format("{}: the query is not valid SQL for SQLite: {}", path_, sqlite3_errmsg(db_)));
  }
  Statement query = Statement::Adopt(raw);
  const std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
  if (raw == nullptr || !Statement::HoldsNoStatement(db_, rest)) {
    return InvalidArgument(fmt::format("{}: a query must be exactly one SQL statement", path_));
  }
  if (!query.ReadOnly()) {
    return InvalidArgument(fmt::format("{}: the query would change the database", path_));
  }
  for (int index = 1; index <= query.ParameterCount(); ++index) {
    const char* name = query.ParameterName(index);
    size_t number = 0;
    if (name != nullptr && name[0] == '$') {
      const std::string_view digits(name + 1);
      const auto [end, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (error != std::errc() || end != digits.data() + digits.size()) number = 0;
    }
    if (number == 0 || number > params.size()) {
      return InvalidArgument(fmt::format("{}: the query's parameter {} is not one of $1 to ${}",
                                         path_, name != nullptr ? name : "?", params.size()));
    }
    query.BindText(index, params[number - 1]);
  }
  std::vector<QueryRow> rows;
  const int columns = query.ColumnCount();
  int rc = SQLITE_ROW;
  while ((rc = query.Step()) == SQLITE_ROW) {
    QueryRow& row = rows.emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      if (query.IsNull(column)) {
        row.emplace_back();
      } else {
        row.emplace_back(std::string(query.Text(column)));
      }
    }
  }
  if (rc != SQLITE_DONE) return Failure("running a query");
  return rows;
}

Result<int64_t> SqliteStore::InsertImport(const ImportOptions& options, const ImportPlan& plan) {
  return RecordImport(options, plan, 0);
}

Result<int64_t> SqliteStore::RecordImport(const ImportOptions& options, const ImportPlan& plan,
                                          int64_t import_id) {
  Result<Statement> insert = Statement::Prepare(
      db_,
      "INSERT INTO imports (import_id, imported_at, source, units_added, units_updated, "
      "workers_added, workers_updated, children_added, children_updated, events_added) VALUES "
      "(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  if (import_id != 0) insert->BindInt(1, import_id);  // NULL: the next free number
  insert->BindText(2, options.source.empty() ? std::string_view("-") : options.source);
  const size_t counts[] = {plan.units_added.size(),    plan.units_updated.size(),
                           plan.workers_added.size(),  plan.workers_updated.size(),
                           plan.children_added.size(), plan.children_updated.size(),
                           plan.events_added.size()};
  int index = 3;
  for (const size_t count : counts) insert->BindInt(index++, static_cast<int64_t>(count));
  if (insert->Step() != SQLITE_DONE) return Failure("recording the import");
  return sqlite3_last_insert_rowid(db_);
}

Status SqliteStore::WriteUnits(const Dataset& data, std::span<const uint32_t> positions,
                               bool update, int64_t import_id) {
  Result<Statement*> statement =
      update ? Cached(0,
                      "UPDATE units SET parent_id = ?2, kind = ?3, name = ?4, import_id = ?5 "
                      "WHERE unit_id = ?1")
             : Cached(1,
                      "INSERT INTO units (unit_id, parent_id, kind, name, import_id) VALUES "
                      "(?1, ?2, ?3, ?4, ?5)");
  if (!statement) return statement.error();
  Statement& s = **statement;
  for (const uint32_t position : positions) {
    const UnitRow row = MakeUnitRow(data, position);
    s.BindText(1, row.unit_id);
    s.BindText(2, row.parent_id);
    s.BindText(3, row.kind);
    s.BindText(4, row.name);
    s.BindInt(5, import_id);
    const int rc = s.Step();
    s.Reset();
    if (rc != SQLITE_DONE) return Failure(fmt::format("writing unit \"{}\"", row.unit_id));
  }
  return {};
}

Status SqliteStore::WriteWorkers(const Dataset& data, std::span<const uint32_t> positions,
                                 bool update, int64_t import_id) {
  Result<Statement*> statement =
      update ? Cached(2,
                      "UPDATE workers SET name = ?2, unit_id = ?3, fte = ?4, import_id = ?5 "
                      "WHERE worker_id = ?1")
             : Cached(3,
                      "INSERT INTO workers (worker_id, name, unit_id, fte, import_id) VALUES "
                      "(?1, ?2, ?3, ?4, ?5)");
  if (!statement) return statement.error();
  Statement& s = **statement;
  for (const uint32_t position : positions) {
    const WorkerRow row = MakeWorkerRow(data, position);
    s.BindText(1, row.worker_id);
    s.BindText(2, row.name);
    s.BindText(3, row.unit_id);
    s.BindDouble(4, row.fte);
    s.BindInt(5, import_id);
    const int rc = s.Step();
    s.Reset();
    if (rc != SQLITE_DONE) return Failure(fmt::format("writing worker \"{}\"", row.worker_id));
  }
  return {};
}

Status SqliteStore::WriteChildren(const Dataset& data, std::span<const uint32_t> positions,
                                  bool update, int64_t import_id) {
  Result<Statement*> statement =
      update ? Cached(4,
                      "UPDATE children SET birth_date = ?2, unit_id = ?3, cpr_hash = ?4, "
                      "import_id = ?5 WHERE child_id = ?1")
             : Cached(5,
                      "INSERT INTO children (child_id, birth_date, unit_id, cpr_hash, "
                      "import_id) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!statement) return statement.error();
  Statement& s = **statement;
  for (const uint32_t position : positions) {
    const ChildRow row = MakeChildRow(data, position);
    const std::array<char, 10> birth_date = DateDigits(row.birth_date);
    s.BindText(1, row.child_id);
    s.BindText(2, std::string_view(birth_date.data(), birth_date.size()));
    s.BindText(3, row.unit_id);
    s.BindText(4, row.cpr_hash);
    s.BindInt(5, import_id);
    const int rc = s.Step();
    s.Reset();
    if (rc != SQLITE_DONE) return Failure(fmt::format("writing child \"{}\"", row.child_id));
  }
  return {};
}

// INSERT INTO events … VALUES with `rows` rows of parameters. OR FAIL, not the default ABORT:
// ABORT makes SQLite keep a statement journal to undo a statement's earlier rows when a later one
// fails, about 5 % of the time per event, and an import that fails is rolled back whole anyway.
std::string EventInsertSql(size_t rows) {
  std::string sql =
      "INSERT OR FAIL INTO events (event_id, child_id, type, at, date_only, day, worker_id, ref, "
      "measure_id, measure_type, placement, legal_basis, source, professional, acute, context, "
      "decision, reasoned, states_effort, rule_id, reason, amount_ore, import_id) VALUES ";
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (int column = 0; column < kEventInsertColumns; ++column) sql += column == 0 ? "?" : ", ?";
    sql += ")";
  }
  return sql;
}

// An event's row with its day as text, as InsertEvents writes it.
struct EventToWrite {
  EventRow row;
  std::array<char, 10> day{};  // DateDigits(row.day)
};

EventToWrite ToWrite(const EventRow& row) { return {row, DateDigits(row.day)}; }

// Binds `event` to the parameters from `first` on; its texts must live until the statement has
// run.
void BindEvent(Statement& s, int first, const EventToWrite& event, int64_t import_id) {
  const EventRow& row = event.row;
  const std::array<char, 10>& day = event.day;
  s.BindText(first, row.event_id);
  s.BindText(first + 1, row.child_id);
  s.BindText(first + 2, row.type);
  s.BindInt(first + 3, row.at);
  s.BindInt(first + 4, row.date_only ? 1 : 0);
  s.BindText(first + 5, std::string_view(day.data(), day.size()));
  s.BindText(first + 6, row.worker_id);
  s.BindText(first + 7, row.ref);
  s.BindText(first + 8, row.measure_id);
  s.BindText(first + 9, row.measure_type);
  s.BindFlag(first + 10, row.placement);
  s.BindText(first + 11, row.legal_basis);
  s.BindText(first + 12, row.source);
  s.BindFlag(first + 13, row.professional);
  s.BindFlag(first + 14, row.acute);
  s.BindText(first + 15, row.context);
  s.BindText(first + 16, row.decision);
  s.BindFlag(first + 17, row.reasoned);
  s.BindFlag(first + 18, row.states_effort);
  s.BindText(first + 19, row.rule_id);
  s.BindText(first + 20, row.reason);
  s.BindOptionalInt(first + 21, row.amount_ore);
  s.BindInt(first + 22, import_id);
}

template <typename RowAt, typename Report>
Status SqliteStore::InsertEvents(size_t count, const RowAt& row_at, int64_t import_id,
                                 const Report& report) {
  // Rows go in kEventsPerInsert at a time: SQLite's work per statement run (and ours per call)
  // is then shared by that many rows.
  Result<Statement*> batch = Cached(6, EventInsertSql(kEventsPerInsert));
  if (!batch) return batch.error();
  Result<Statement*> single = Cached(7, EventInsertSql(1));
  if (!single) return single.error();
  std::vector<EventToWrite> rows_bound(kEventsPerInsert);
  Status status;
  size_t done = 0;
  while (done < count) {
    const size_t rows = count - done >= kEventsPerInsert ? kEventsPerInsert : 1;
    Statement& s = rows == kEventsPerInsert ? **batch : **single;
    // Every parameter is bound for every run, so the statement keeps its bindings between runs.
    for (size_t row = 0; row < rows; ++row) {
      rows_bound[row] = row_at(done + row);
      BindEvent(s, static_cast<int>(row) * kEventInsertColumns + 1, rows_bound[row], import_id);
    }
    const int rc = s.Step();
    s.Rewind();
    if (rc != SQLITE_DONE) {
      status = Failure(fmt::format("writing events from \"{}\" on", rows_bound[0].row.event_id));
      break;
    }
    done += rows;
    report(done);
  }
  // No binding may point into the rows once they are gone.
  (**batch).Reset();
  (**single).Reset();
  return status;
}

Status SqliteStore::AppendEvents(const Dataset& data, std::span<const uint32_t> positions,
                                 int64_t import_id, const ProgressFn& progress) {
  // Each row inserted into an index is a search of it, at a random place for event ids; building
  // the index after the rows sorts them once, which is far cheaper when the import is at least as
  // large as what is stored (always for a first import). max(event_key) bounds the stored rows
  // and is a lookup, not a count.
  const bool rebuild_indexes =
      positions.size() >=
      static_cast<size_t>(MaxKey("SELECT coalesce(max(event_key), 0) FROM events"));
  if (rebuild_indexes) {
    if (Status status = Execute(kDropEventIndexes); !status) return status;
  }

  constexpr size_t kProgressEvery = 65536;
  Status inserted = InsertEvents(
      positions.size(), [&](size_t i) { return ToWrite(MakeEventRow(data, positions[i])); },
      import_id,
      [&](size_t done) {
        if (progress && done % kProgressEvery < kEventsPerInsert) progress(done, positions.size());
      });
  if (!inserted) return inserted;
  if (rebuild_indexes) {
    if (Status status = Execute(kCreateEventIndexes); !status) return status;
  }

  if (progress) progress(positions.size(), positions.size());
  return {};
}

// Events copied out of a data set that is still being read, for another thread to write.
class EventBatch {
 public:
  static constexpr size_t kCapacity = 4096;

  // Also writes the day's text here: the reading thread waits for the writing one, not the other
  // way round, so work moved to it is free.
  void Add(const EventRow& row) {
    EventToWrite& copy = rows_.emplace_back(ToWrite(row));
    TextSpans& spans = spans_.emplace_back();
    for (size_t i = 0; i < kTexts.size(); ++i) {
      const std::string_view text = row.*kTexts[i];
      spans[i] = {text_.size(), text.size()};
      text_.append(text);
      copy.row.*kTexts[i] = {};  // set again by Row(), once text_ no longer moves
    }
  }
  // Empties the batch for reuse, keeping its memory.
  void Clear() {
    rows_.clear();
    spans_.clear();
    text_.clear();
  }
  size_t size() const { return rows_.size(); }
  bool full() const { return rows_.size() >= kCapacity; }
  // The i-th row; its texts live as long as the batch.
  EventToWrite Row(size_t i) const {
    EventToWrite event = rows_[i];
    for (size_t t = 0; t < kTexts.size(); ++t) {
      event.row.*kTexts[t] =
          std::string_view(text_).substr(spans_[i][t].first, spans_[i][t].second);
    }
    return event;
  }
  size_t expected = 0;  // events expected in all (for progress)

 private:
  static constexpr std::array<std::string_view EventRow::*, 13> kTexts = {
      &EventRow::event_id, &EventRow::child_id,   &EventRow::type,         &EventRow::worker_id,
      &EventRow::ref,      &EventRow::measure_id, &EventRow::measure_type, &EventRow::legal_basis,
      &EventRow::source,   &EventRow::context,    &EventRow::decision,     &EventRow::rule_id,
      &EventRow::reason};
  using TextSpans = std::array<std::pair<size_t, size_t>, kTexts.size()>;

  std::vector<EventToWrite> rows_;
  std::vector<TextSpans> spans_;
  std::string text_;
};

// Batches from the reading thread to the writing one, and back empty for reuse (fresh memory costs
// a page fault every few rows). At most kMaxWaiting wait, so that reading far ahead of writing
// does not hold the events twice in memory.
class BatchQueue {
 public:
  static constexpr size_t kMaxWaiting = 8;

  // Waits for room; drops the batch once the writer has stopped.
  void Push(EventBatch batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return stopped_ || waiting_.size() < kMaxWaiting; });
    if (stopped_) return;
    waiting_.push_back(std::move(batch));
    ready_.notify_one();
  }
  // No more batches will come.
  void Close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_one();
  }
  // The writer takes no more batches.
  void Stop() {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    waiting_.clear();
    room_.notify_all();
  }
  // A written batch, to be filled again.
  void Recycle(EventBatch batch) {
    batch.Clear();
    const std::lock_guard lock(mutex_);
    spare_.push_back(std::move(batch));
  }
  // An empty batch: a recycled one if there is one.
  EventBatch Spare() {
    const std::lock_guard lock(mutex_);
    if (spare_.empty()) return {};
    EventBatch batch = std::move(spare_.back());
    spare_.pop_back();
    return batch;
  }
  // The next batch; nullopt once the queue is closed and empty.
  std::optional<EventBatch> Pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !waiting_.empty(); });
    if (waiting_.empty()) return std::nullopt;
    EventBatch batch = std::move(waiting_.front());
    waiting_.pop_front();
    room_.notify_one();
    return batch;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<EventBatch> waiting_;
  std::vector<EventBatch> spare_;
  bool closed_ = false;
  bool stopped_ = false;
};

Result<ImportSummary> SqliteStore::ImportWhileReading(const DatasetReader& read,
                                                      const ImportOptions& options) {
  return InWriteTransaction([&] { return StreamImport(read, options); });
}

Result<ImportSummary> SqliteStore::StreamImport(const DatasetReader& read,
                                                const ImportOptions& options) {
  // Only into a store without events is every event read new, and so written before the plan is
  // made; otherwise the import is planned against the stored events first, as Import does.
  if (MaxKey("SELECT coalesce(max(event_key), 0) FROM events") > 0) {
    Result<Dataset> incoming = read({});
    if (!incoming) return std::move(incoming).error();
    return ImportWithin(*incoming, options);
  }
  Result<int64_t> last_import = QueryLastImportId();
  if (!last_import) return std::move(last_import).error();
  const int64_t import_id = *last_import + 1;
  Result<Dataset> stored = LoadWithin(LoadOptions{.details = true});
  if (!stored) return std::move(stored).error();
  // The table is empty: its indexes are built once, after the last row (see AppendEvents).
  if (Status status = Execute(kDropEventIndexes); !status) return status.error();

  // The reading thread copies each event out as it is read; this one writes them meanwhile.
  BatchQueue queue;
  std::vector<bool> written_early;  // by event id code
  Result<Dataset> incoming = Internal("the data set was not read");
  std::thread reader([&] {
    EventBatch batch;
    const EventSink sink = [&](const Dataset& data, uint32_t child, uint32_t event,
                               size_t expected) {
      if (written_early.size() <= event)
        written_early.resize(std::max<size_t>(expected, event + 1));
      written_early[event] = true;
      batch.expected = expected;
      batch.Add(MakeEventRow(data, child, event));
      if (batch.full()) queue.Push(std::exchange(batch, queue.Spare()));
    };
    try {
      incoming = read(sink);
    } catch (const std::exception& e) {
      incoming = Internal(fmt::format("reading the data set failed: {}", e.what()));
    }
    queue.Push(std::move(batch));
    queue.Close();
  });
  Status written;
  size_t done = 0;
  while (std::optional<EventBatch> batch = queue.Pop()) {
    if (!written) continue;
    written = InsertEvents(
        batch->size(), [&](size_t i) { return batch->Row(i); }, import_id, [](size_t) {});
    if (!written) queue.Stop();
    done += batch->size();
    if (options.progress) options.progress(done, std::max(done, batch->expected));
    queue.Recycle(std::move(*batch));
  }
  reader.join();
  if (!incoming) return std::move(incoming).error();
  if (!written) return written.error();

  Result<ImportPlan> planned = PlanImport(*stored, *incoming, Calendar::Danish());
  if (!planned) return std::move(planned).error();
  const ImportPlan& plan = *planned;
  ImportSummary summary = Summarize(plan);
  if (plan.ChangesNothing()) return summary;
  Result<int64_t> recorded = RecordImport(options, plan, import_id);
  if (!recorded) return std::move(recorded).error();
  summary.import_id = import_id;
  if (Status status = WriteRecords(*incoming, plan, import_id); !status) return status.error();
  // The events not written while reading: those whose ref named a later row.
  std::vector<uint32_t> rest;
  for (const uint32_t position : plan.events_added) {
    const uint32_t code = incoming->events[position].id;
    if (code >= written_early.size() || !written_early[code]) rest.push_back(position);
  }
  if (Status status = InsertEvents(
          rest.size(), [&](size_t i) { return ToWrite(MakeEventRow(*incoming, rest[i])); },
          import_id, [](size_t) {});
      !status) {
    return status.error();
  }
  if (Status status = Execute(kCreateEventIndexes); !status) return status.error();
  if (options.progress) options.progress(plan.events_added.size(), plan.events_added.size());
  return summary;
}

// A file descriptor, closed when it goes.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// The files SQLite keeps beside a database file while it is in use.
constexpr std::array<const char*, 3> kSidecarSuffixes = {"-journal", "-wal", "-shm"};

Error AnotherImportIsBuilding(const std::string& path, const std::string& building) {
  return Unavailable(
      fmt::format("{}: another import is building this database (in {}); wait for it to finish",
                  path, building));
}

// Creates `building` for a new database and locks it (flock) for as long as the descriptor
// lives, after removing the one an import killed before it finished left: nobody holds its lock.
// The lock keeps two imports of the same new database from building it in one file.
Result<FileDescriptor> ClaimBuildingFile(const std::string& path, const std::string& building) {
  if (FileDescriptor stale(open(building.c_str(), O_RDWR | O_CLOEXEC)); stale.valid()) {
    if (flock(stale.get(), LOCK_EX | LOCK_NB) != 0) return AnotherImportIsBuilding(path, building);
    unlink(building.c_str());
    for (const char* suffix : kSidecarSuffixes) unlink((building + suffix).c_str());
  }
  FileDescriptor fd(open(building.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    if (errno == EEXIST) return AnotherImportIsBuilding(path, building);
    return FailedPrecondition(
        fmt::format("{}: cannot create the database file: {}", building, std::strerror(errno)));
  }
  // Another import may have found the file between its creation and the lock, and removed it as
  // stale: then the name is no longer this file.
  struct stat held {};
  struct stat named {};
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0 || fstat(fd.get(), &held) != 0 ||
      stat(building.c_str(), &named) != 0 || held.st_ino != named.st_ino ||
      held.st_dev != named.st_dev) {
    return AnotherImportIsBuilding(path, building);
  }
  return fd;
}

// Syncs the directory `path` is in, so that a name just made or removed there survives a power
// cut.
Status SyncDirectoryOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  const FileDescriptor fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || fsync(fd.get()) != 0) {
    return FailedPrecondition(
        fmt::format("{}: cannot sync the directory: {}", dir, std::strerror(errno)));
  }
  return {};
}

// Imports into the store built in `building`, and closes it: the file then holds the whole
// import, in WAL mode.
Result<ImportSummary> BuildDatabase(const std::string& building, const DatasetReader& read,
                                    const ImportOptions& options) {
  SqliteStore store(building, FileUse::kBuilding);
  if (Status status = store.Open(); !status) return status.error();
  Result<ImportSummary> summary = store.ImportWhileReading(read, options);
  if (!summary) return summary;
  if (Status status = store.FinishBuilding(); !status) return status.error();
  return summary;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  auto store = std::make_unique<SqliteStore>(path, FileUse::kShared);
  if (Status status = store->Open(); !status) return status.error();
  return std::unique_ptr<Store>(std::move(store));
}

bool IsNewSqliteFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::exists(path, error) || error) return false;
  return std::none_of(kSidecarSuffixes.begin(), kSidecarSuffixes.end(), [&](const char* suffix) {
    return std::filesystem::exists(path + suffix, error) || error;
  });
}

Result<ImportSummary> ImportIntoNewSqliteFile(const std::string& path, const DatasetReader& read,
                                              const ImportOptions& options) {
  const std::string building = path + ".building";
  Result<FileDescriptor> fd = ClaimBuildingFile(path, building);
  if (!fd) return std::move(fd).error();
  // Whatever fails from here on leaves no database: the building file goes, and `path` is made
  // only by the link below.
  const auto fail = [&](Error error) -> Result<ImportSummary> {
    unlink(building.c_str());
    return error;
  };
  Result<ImportSummary> summary = BuildDatabase(building, read, options);
  if (!summary) return fail(std::move(summary).error());
  if (fsync(fd->get()) != 0) {
    return fail(FailedPrecondition(
        fmt::format("{}: cannot sync the database file: {}", building, std::strerror(errno))));
  }
  // link, unlike rename, never replaces a file: one that another program made meanwhile stays.
  if (link(building.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) {
      return fail(FailedPrecondition(fmt::format(
          "{}: another program created the database while this import built it; import again",
          path)));
    }
    return fail(FailedPrecondition(fmt::format("{}: cannot move the new database {} into place: {}",
                                               path, building, std::strerror(errno))));
  }
  unlink(building.c_str());
  if (Status synced = SyncDirectoryOf(path); !synced) {
    unlink(path.c_str());
    return synced.error();
  }
  return summary;
}

}  // namespace tilsyn
