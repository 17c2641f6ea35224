#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/result.h"
#include "store/import_plan.h"
#include "store/records.h"

namespace tilsyn {

// Reports progress of long work: `done` of `total` units of work (events).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

struct ImportOptions {
  std::string source;  // where the data came from (a directory, "api"), kept with the import
  ProgressFn progress;
  // What the caller holds of the store (an EventIndex), loaded with details, and the last import
  // it includes. When that is still the store's last import, the import is planned against it
  // instead of loading the store again; otherwise the store is loaded as usual.
  const Dataset* stored = nullptr;
  int64_t stored_import_id = 0;
};

// Receives the events of a data set that is still being read, each as soon as its row is read:
// `data` is the data set so far (valid during the call only), `child` the event's child, `event`
// the event's position in it and its id's code, `expected` about how many events are coming
// (ReadOptions::on_event).
using EventSink =
    std::function<void(const Dataset& data, uint32_t child, uint32_t event, size_t expected)>;
// Reads a data set, handing its events to the sink as it goes (unless the sink is empty).
using DatasetReader = std::function<Result<Dataset>(const EventSink& sink)>;

struct ImportCounts {
  size_t added = 0, updated = 0, unchanged = 0;
};

struct ImportSummary {
  int64_t import_id = 0;  // 0 when the import changed nothing and so was not recorded
  ImportCounts units, workers, children, events;
  size_t stored_events_not_in_import = 0;
  ImportPlan plan;  // what was written, as positions in the incoming data set
};

// One row of a query's answer: each value as text, nullopt for NULL.
using QueryRow = std::vector<std::optional<std::string>>;
// A parameter of Store::Query: NULL, an integer or text.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;
// One row of Store::Query's answer: each column as text (integers in decimal), empty for NULL.
using SqlRow = std::vector<std::optional<std::string>>;

struct LoadOptions {
  // Also load legal basis, reason and amount (EventDetails); the engine does not need them.
  bool details = false;
};

// Case data kept for years: SQLite (one file, the embedded default) or PostgreSQL (servers), with
// the same logical schema (schema.cc), migrated to the newest version when opened. Events are
// append-only; retractions are events. Every method is one transaction.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // "sqlite" or "postgresql".
  virtual std::string_view EngineName() const = 0;
  // The version of the schema the store has (the newest this program knows, after opening).
  virtual Result<int> SchemaVersion() = 0;

  // Everything stored, in the engine's layout, from one consistent snapshot.
  Result<Dataset> Load(const LoadOptions& options = {});

  // Brings `incoming` (validated; read from files or received) into the store in one transaction:
  // all or nothing (see ImportPlan for what is added, updated or refused).
  Result<ImportSummary> Import(const Dataset& incoming, const ImportOptions& options);
  // Import of the data set that `read` reads: the same summary, errors (reading's first) and all
  // or nothing as reading and then Import, but a store may write events on one thread while the
  // rest is read on another.
  virtual Result<ImportSummary> ImportWhileReading(const DatasetReader& read,
                                                   const ImportOptions& options);

  // The id of the newest import, 0 for an empty store.
  Result<int64_t> LastImportId();

  // The rows of one SQL statement in this store's dialect (EngineName()), read from one consistent
  // snapshot: for reports and checks written in SQL. Parameters are text (an empty one is NULL,
  // as the store keeps empty values), written $1, $2, … in the statement (SQLite binds them by
  // those names). A statement that would write, or more than one statement, is refused.
  Result<std::vector<QueryRow>> QueryReadOnly(std::string_view sql,
                                              std::span<const std::string> params);
  // Runs one statement on the tables beside the case data (users, sessions, audit log) and returns
  // its rows. The SQL must mean the same to both engines; parameters are written $1, $2, … and
  // given in order. Outside InTransaction, the statement is a transaction of its own.
  Result<std::vector<SqlRow>> Query(std::string_view sql, std::span<const SqlValue> params = {});
  Result<std::vector<SqlRow>> Query(std::string_view sql, std::initializer_list<SqlValue> params) {
    return Query(sql, std::span<const SqlValue>(params.begin(), params.size()));
  }
  // Runs `body` (which calls Query) in one transaction that commits when it succeeds and rolls
  // back when it fails. Transactions that name the same `lock` run one at a time, also across
  // programs sharing the database (SQLite lets one writer in at a time anyway).
  Status InTransaction(std::string_view lock, const std::function<Status()>& body);

 protected:
  Store() = default;

  // One transaction that reads a consistent snapshot.
  virtual Status BeginRead() = 0;
  // One transaction that excludes other writers until it ends.
  virtual Status BeginWrite() = 0;
  // One transaction for changes to the tables beside the case data; with `lock`, it waits until
  // no other such transaction with that lock runs.
  virtual Status BeginChange(std::string_view lock) = 0;
  virtual Status Commit() = 0;
  // Never fails: a failed rollback leaves the database as the transaction found it anyway.
  virtual void Rollback() = 0;

  // Runs one statement of Query, within the current transaction if there is one.
  virtual Result<std::vector<SqlRow>> RunQuery(std::string_view sql,
                                               std::span<const SqlValue> params) = 0;
  // Reads every unit, worker, child and event (in that order) into `loader`.
  virtual Status ReadAll(DatasetLoader& loader) = 0;
  // SELECT coalesce(max(import_id), 0) FROM imports, within the current transaction.
  virtual Result<int64_t> QueryLastImportId() = 0;
  // QueryReadOnly within the current (read) transaction.
  virtual Result<std::vector<QueryRow>> RunReadOnlyQuery(std::string_view sql,
                                                         std::span<const std::string> params) = 0;

  virtual Result<int64_t> InsertImport(const ImportOptions& options, const ImportPlan& plan) = 0;
  // Inserts (or, with `update`, updates) the records of `data` at `positions`.
  virtual Status WriteUnits(const Dataset& data, std::span<const uint32_t> positions, bool update,
                            int64_t import_id) = 0;
  virtual Status WriteWorkers(const Dataset& data, std::span<const uint32_t> positions, bool update,
                              int64_t import_id) = 0;
  virtual Status WriteChildren(const Dataset& data, std::span<const uint32_t> positions,
                               bool update, int64_t import_id) = 0;
  // Appends the events of `data` at `positions`, calling `progress` now and then.
  virtual Status AppendEvents(const Dataset& data, std::span<const uint32_t> positions,
                              int64_t import_id, const ProgressFn& progress) = 0;

  // Runs `write` in one write transaction: committed when it gives the summary of a new import,
  // rolled back when it fails or has nothing new.
  Result<ImportSummary> InWriteTransaction(const std::function<Result<ImportSummary>()>& write);
  Result<Dataset> LoadWithin(const LoadOptions& options);
  // Import within the current (write) transaction.
  Result<ImportSummary> ImportWithin(const Dataset& incoming, const ImportOptions& options);
  // The summary of `plan`, without an import id.
  static ImportSummary Summarize(const ImportPlan& plan);
  // Writes the units, workers and children `plan` adds or updates.
  Status WriteRecords(const Dataset& incoming, const ImportPlan& plan, int64_t import_id);
};

// Opens (creating if need be) the SQLite database in `path`, and migrates it.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);
// Whether `path` names no SQLite database yet: no file, nor any file SQLite keeps beside one.
bool IsNewSqliteFile(const std::string& path);
// Imports the data set that `read` reads into a new SQLite database at `path` (IsNewSqliteFile):
// the same summary and errors as ImportWhileReading into a new empty store, faster. The database
// is built in a temporary file beside `path` (`path`.building) without a journal on disk and
// without syncing, then synced and moved to `path`: all or nothing, as a crash before the move
// leaves no database, only that file, which the next such import removes.
Result<ImportSummary> ImportIntoNewSqliteFile(const std::string& path, const DatasetReader& read,
                                              const ImportOptions& options);
// Connects to PostgreSQL (a libpq connection string or postgresql:// URL) and migrates the schema.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

}  // namespace tilsyn
