#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/records.h"
#include "store/schema.h"
#include "store/store.h"

namespace tilsyn {
namespace {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

struct PgFreeDeleter {
  void operator()(char* buffer) const { PQfreemem(buffer); }
};
using PgBuffer = std::unique_ptr<char, PgFreeDeleter>;

// Held (for the migrating transaction) by every program that opens the store, so that two starting
// at once do not both create the tables. "tilsyn" in ASCII.
constexpr int64_t kMigrationLockKey = 0x74696C73796E;
// COPY data goes to the server in chunks of about this size: fewer, larger messages.
constexpr size_t kCopyChunk = size_t{1} << 20;
constexpr size_t kProgressEvery = 65536;
// The most columns a COPY of ours reads (events).
constexpr size_t kMaxCopyColumns = 22;

// One line: libpq's messages end in a newline and may go on over indented lines.
std::string OneLine(std::string_view text) {
  std::string line;
  bool pending_space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      pending_space = true;
      continue;
    }
    if (pending_space && !line.empty() && line.back() != ' ') line += ' ';
    pending_space = false;
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// Whether a connection string might hold a password (a URL's user:password@, or a password or
// sslpassword parameter), for when libpq cannot parse it and so cannot say where the password is.
bool MightHoldPassword(std::string_view url) {
  std::string lower(url);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("password") != std::string::npos) return true;
  const size_t scheme = lower.find("://");
  if (scheme == std::string::npos) return false;
  const size_t authority = scheme + 3;
  const size_t at = lower.find('@', authority);
  if (at == std::string::npos) return false;
  return lower.find(':', authority) < at;
}

// The secrets a parsed connection string holds, to keep out of every message.
std::vector<std::string> SecretsOf(const PQconninfoOption* options) {
  std::vector<std::string> secrets;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string_view keyword = option->keyword;
    if ((keyword == "password" || keyword == "sslpassword") && option->val != nullptr &&
        option->val[0] != '\0') {
      secrets.emplace_back(option->val);
    }
  }
  return secrets;
}

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

// A server error as one line: the message, its detail and hint, and where in a COPY it arose.
// Whole rows, which the server quotes in some details and COPY contexts, are left out: they hold
// case data, and messages end up in logs.
std::string ServerMessage(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) return OneLine(PQresultErrorMessage(result));
  std::string message = OneLine(primary);
  // Not-null and check violations detail the whole failing row.
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const bool detail_is_row = sqlstate != nullptr && (std::string_view(sqlstate) == "23502" ||
                                                     std::string_view(sqlstate) == "23514");
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
      detail != nullptr && !detail_is_row) {
    message += ". ";
    message += OneLine(detail);
  }
  if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
    message += " Hint: ";
    message += OneLine(hint);
  }
  // "COPY events, line 3, column at: <value>" names the row; a trigger's context is only noise.
  if (const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT);
      context != nullptr && std::string_view(context).starts_with("COPY ")) {
    const std::string_view where = context;
    message += " (";
    message += OneLine(where.substr(0, where.find(": ")));
    message += ")";
  }
  return message;
}

// The line of a COPY … FROM STDIN (from 1) that the server's error is about, or 0.
size_t CopyLineOf(const PGresult* result) {
  const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT);
  if (context == nullptr) return 0;
  const std::string_view text = context;
  const size_t at = text.find(", line ");
  if (!text.starts_with("COPY ") || at == std::string_view::npos) return 0;
  const std::string_view digits = text.substr(at + 7);
  size_t line = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), line);
  return line;
}

// One field of a row read with COPY … TO STDOUT in text format.
struct CopyField {
  std::string_view text;  // empty for NULL
  bool is_null = false;
};

char Unescape(char escaped) {
  switch (escaped) {
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case '\\':
      return '\\';
    default:
      return '\0';  // COPY TO writes no other escape (never octal or hex ones)
  }
}

// Splits one row of COPY's text format (fields separated by tabs, a newline at the end, NULL as
// \N) into `fields`, undoing the backslash escapes in place. False when the row does not have
// exactly fields.size() fields or holds an escape COPY does not write.
bool SplitCopyRow(char* row, size_t size, std::span<CopyField> fields) {
  if (size > 0 && row[size - 1] == '\n') --size;
  char* const end = row + size;
  char* in = row;
  char* out = row;  // unescaping only shortens, so the fields are rewritten where they are
  size_t count = 0;
  for (;;) {
    auto* tab = static_cast<char*>(std::memchr(in, '\t', static_cast<size_t>(end - in)));
    if (tab == nullptr) tab = end;
    char* const begin = out;
    bool is_null = false;
    if (tab - in == 2 && in[0] == '\\' && in[1] == 'N') {
      is_null = true;
    } else {
      while (in < tab) {
        auto* slash = static_cast<char*>(std::memchr(in, '\\', static_cast<size_t>(tab - in)));
        if (slash == nullptr) slash = tab;
        const auto plain = static_cast<size_t>(slash - in);
        std::memmove(out, in, plain);
        out += plain;
        in = slash;
        if (in == tab) break;
        if (in + 1 == tab) return false;
        const char decoded = Unescape(in[1]);
        if (decoded == '\0') return false;
        *out++ = decoded;
        in += 2;
      }
    }
    if (count == fields.size()) return false;
    fields[count++] = {std::string_view(begin, static_cast<size_t>(out - begin)), is_null};
    if (tab == end) return count == fields.size();
    in = tab + 1;
  }
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return value;
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return value;
}

// A BOOLEAN as COPY writes it: t, f, or NULL.
std::optional<Flag> ParseFlag(const CopyField& field) {
  if (field.is_null) return Flag::kNull;
  if (field.text == "t") return Flag::kTrue;
  if (field.text == "f") return Flag::kFalse;
  return {};
}

// Appends `text` as a field of COPY's text format: NULL when empty (as SQLite's store keeps
// empty text), else with backslash, tab, newline and carriage return escaped.
void AppendCopyText(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += "\\N";
    return;
  }
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* escape = nullptr;
    if (c == '\\') {
      escape = "\\\\";
    } else if (c == '\t') {
      escape = "\\t";
    } else if (c == '\n') {
      escape = "\\n";
    } else if (c == '\r') {
      escape = "\\r";
    }
    if (escape == nullptr) continue;
    out.append(text.substr(plain_from, i - plain_from));
    out += escape;
    plain_from = i + 1;
  }
  out.append(text.substr(plain_from));
}

// Writes the fields of one line of COPY … FROM STDIN's text format.
class CopyLine {
 public:
  explicit CopyLine(std::string& out) : out_(out) {}
  CopyLine(const CopyLine&) = delete;
  CopyLine& operator=(const CopyLine&) = delete;
  ~CopyLine() { out_ += '\n'; }

  void Text(std::string_view text) {
    Separate();
    AppendCopyText(out_, text);
  }
  void Int(int64_t value) {
    Separate();
    std::array<char, 24> digits{};
    char* end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    out_.append(digits.data(), end);
  }
  void OptionalInt(std::optional<int64_t> value) {
    if (value) {
      Int(*value);
    } else {
      Null();
    }
  }
  void Bool(bool value) {
    Separate();
    out_ += value ? 't' : 'f';
  }
  void FlagValue(Flag flag) {
    if (flag == Flag::kNull) {
      Null();
    } else {
      Bool(flag == Flag::kTrue);
    }
  }
  // YYYY-MM-DD (stored dates lie in 1900–2199).
  void DateValue(Date date) {
    Separate();
    const YearMonthDay ymd = ToYmd(date);
    fmt::format_to(std::back_inserter(out_), "{:04}-{:02}-{:02}", ymd.year, ymd.month, ymd.day);
  }
  // Text already in COPY's form.
  void Raw(std::string_view text) {
    Separate();
    out_ += text;
  }

 private:
  void Null() {
    Separate();
    out_ += "\\N";
  }
  void Separate() {
    if (!first_) out_ += '\t';
    first_ = false;
  }

  std::string& out_;
  bool first_ = true;
};

// One line of COPY events FROM STDIN, in kCopyEventsIn's column order.
void AppendEventLine(std::string& out, const EventRow& row, std::string_view import_id) {
  CopyLine line(out);
  line.Text(row.event_id);
  line.Text(row.child_id);
  line.Text(row.type);
  line.Int(row.at);
  line.Bool(row.date_only);
  line.DateValue(row.day);
  line.Text(row.worker_id);
  line.Text(row.ref);
  line.Text(row.measure_id);
  line.Text(row.measure_type);
  line.FlagValue(row.placement);
  line.Text(row.legal_basis);
  line.Text(row.source);
  line.FlagValue(row.professional);
  line.FlagValue(row.acute);
  line.Text(row.context);
  line.Text(row.decision);
  line.FlagValue(row.reasoned);
  line.FlagValue(row.states_effort);
  line.Text(row.rule_id);
  line.Text(row.reason);
  line.OptionalInt(row.amount_ore);
  line.Raw(import_id);
}

constexpr const char* kCopyEventsIn =
    "COPY events (event_id, child_id, type, at, date_only, day, worker_id, ref, measure_id, "
    "measure_type, placement, legal_basis, source, professional, acute, context, decision, "
    "reasoned, states_effort, rule_id, reason, amount_ore, import_id) FROM STDIN";

// The statements of WriteUnits, WriteWorkers and WriteChildren, prepared once per connection.
struct PreparedSql {
  const char* name;
  const char* sql;
};
enum PreparedStatement : size_t {
  kUnitInsert,
  kUnitUpdate,
  kWorkerInsert,
  kWorkerUpdate,
  kChildInsert,
  kChildUpdate,
  kPreparedCount,
};
constexpr std::array<PreparedSql, kPreparedCount> kPrepared = {{
    {"tilsyn_unit_insert",
     "INSERT INTO units (unit_id, parent_id, kind, name, import_id) VALUES ($1, $2, $3, $4, $5)"},
    {"tilsyn_unit_update",
     "UPDATE units SET parent_id = $2, kind = $3, name = $4, import_id = $5 WHERE unit_id = $1"},
    {"tilsyn_worker_insert",
     "INSERT INTO workers (worker_id, name, unit_id, fte, import_id) VALUES ($1, $2, $3, $4, $5)"},
    {"tilsyn_worker_update",
     "UPDATE workers SET name = $2, unit_id = $3, fte = $4, import_id = $5 WHERE worker_id = $1"},
    {"tilsyn_child_insert",
     "INSERT INTO children (child_id, birth_date, unit_id, cpr_hash, import_id) VALUES ($1, $2, "
     "$3, $4, $5)"},
    {"tilsyn_child_update",
     "UPDATE children SET birth_date = $2, unit_id = $3, cpr_hash = $4, import_id = $5 WHERE "
     "child_id = $1"},
}};
constexpr int kRecordParams = 5;

// The text parameters of one row; an empty text is NULL, as in SQLite's store.
class RecordParams {
 public:
  void Set(size_t index, std::string_view text) {
    if (text.empty()) {
      values_[index] = nullptr;
      return;
    }
    texts_[index].assign(text);  // libpq wants text parameters NUL-terminated
    values_[index] = texts_[index].c_str();
  }
  const char* const* values() const { return values_.data(); }

 private:
  std::array<std::string, kRecordParams> texts_;
  std::array<const char*, kRecordParams> values_{};
};

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url) : url_(std::move(url)) {}
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;
  ~PostgresStore() override = default;

  Status Open();

  std::string_view EngineName() const override { return "postgresql"; }
  Result<int> SchemaVersion() override;

 protected:
  Status BeginRead() override;
  Status BeginWrite() override;
  Status BeginChange(std::string_view lock) override;
  Status Commit() override;
  void Rollback() override;
  Status ReadAll(DatasetLoader& loader) override;
  Result<int64_t> QueryLastImportId() override;
  Result<std::vector<QueryRow>> RunReadOnlyQuery(std::string_view sql,
                                                 std::span<const std::string> params) override;
  Result<std::vector<SqlRow>> RunQuery(std::string_view sql,
                                       std::span<const SqlValue> params) override;
  Result<int64_t> InsertImport(const ImportOptions& options, const ImportPlan& plan) override;
  Status WriteUnits(const Dataset& data, std::span<const uint32_t> positions, bool update,
                    int64_t import_id) override;
  Status WriteWorkers(const Dataset& data, std::span<const uint32_t> positions, bool update,
                      int64_t import_id) override;
  Status WriteChildren(const Dataset& data, std::span<const uint32_t> positions, bool update,
                       int64_t import_id) override;
  Status AppendEvents(const Dataset& data, std::span<const uint32_t> positions, int64_t import_id,
                      const ProgressFn& progress) override;

 private:
  PGconn* conn() const { return conn_.get(); }
  // "<server>: <doing> failed: <why>", of a kind by the server's SQLSTATE (or a lost connection).
  // <why> is the result's error, else `fallback_why`, else the connection's last error.
  Error Failure(std::string_view doing, const PGresult* result = nullptr,
                std::string_view fallback_why = {}) const;
  // Runs `sql` (one or more statements without parameters) and expects no error.
  Status Execute(const std::string& sql, std::string_view doing);
  Status Execute(const char* sql) { return Execute(sql, sql); }
  // Runs one statement with text parameters (nullptr is NULL) and returns its result.
  Result<PgResult> Query(const char* sql, std::span<const char* const> params,
                         std::string_view doing);
  // Session settings every query relies on: encoding, time zone, date and float formats.
  Status Configure();
  // Reconnects when the connection was lost between transactions (a server restart).
  Status EnsureConnected();
  // Begins a transaction with `sql`, reconnecting once if the connection turns out lost.
  Status Begin(const char* sql);
  Status Migrate();
  Status RunPrepared(PreparedStatement statement, const RecordParams& params,
                     std::string_view doing);
  // Streams the rows of `sql` (a COPY … TO STDOUT) to `on_row`, columns fields at a time.
  template <typename OnRow>
  Status CopyOut(const char* sql, std::string_view what, size_t columns, OnRow&& on_row);
  // Asks the server to stop the running statement (a COPY whose rows are no longer wanted).
  void CancelRunning() const;
  // Consumes whatever results the connection still has, ending a COPY in either direction, and
  // returns the first error among them (null when none).
  PgResult DrainResults(const char* copy_in_error);

  std::string url_;
  std::vector<std::string> secrets_;
  std::string server_;
  PgConn conn_;
  std::array<bool, kPreparedCount> prepared_{};
  std::map<std::string, std::string, std::less<>> queries_;  // Query's SQL → prepared name
};

Error PostgresStore::Failure(std::string_view doing, const PGresult* result,
                             std::string_view fallback_why) const {
  std::string why;
  if (result != nullptr) why = ServerMessage(result);
  if (why.empty()) why = fallback_why;
  if (why.empty()) why = OneLine(PQerrorMessage(conn()));
  if (why.empty()) why = "no reason given";
  std::string message = Redact(fmt::format("{}: {} failed: {}", server_, doing, why), secrets_);
  if (PQstatus(conn()) == CONNECTION_BAD) return Unavailable(std::move(message));
  const char* sqlstate_field =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = sqlstate_field != nullptr ? sqlstate_field : "";
  const std::string_view sqlclass = sqlstate.substr(0, 2);
  // Worth trying again later: the connection, a lock or serialization conflict, a server
  // shutting down or out of connections.
  if (sqlclass == "08" || sqlclass == "40" || sqlstate == "55P03" || sqlstate == "53300" ||
      sqlstate.starts_with("57P")) {
    return Unavailable(std::move(message));
  }
  if (sqlstate == "XX001" || sqlstate == "XX002") return DataLoss(std::move(message));
  // The server's own state or setup: a full disk, no memory, no privilege, a read-only server.
  if (sqlclass == "53" || sqlstate == "42501" || sqlstate == "25006") {
    return FailedPrecondition(std::move(message));
  }
  return Internal(std::move(message));
}

Status PostgresStore::Execute(const std::string& sql, std::string_view doing) {
  const PgResult result(PQexec(conn(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Failure(doing, result.get());
  }
  return {};
}

Result<PgResult> PostgresStore::Query(const char* sql, std::span<const char* const> params,
                                      std::string_view doing) {
  PgResult result(PQexecParams(conn(), sql, static_cast<int>(params.size()), nullptr, params.data(),
                               nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Failure(doing, result.get());
  }
  return result;
}

Status PostgresStore::Open() {
  // The connection string is parsed once here only to learn its secrets, which no message may
  // show; libpq's own complaint about a string it cannot parse may quote any part of it.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url_.c_str(), &parse_error);
  if (options == nullptr) {
    const std::string why = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    if (MightHoldPassword(url_)) {
      return FailedPrecondition(
          "the PostgreSQL connection string is malformed (not shown, as it may hold a password); "
          "give a postgresql://user@host:port/database URL or a libpq key=value string");
    }
    return FailedPrecondition(
        fmt::format("the PostgreSQL connection string \"{}\" is malformed: {}", url_, why));
  }
  secrets_ = SecretsOf(options);
  PQconninfoFree(options);

  // connect_timeout comes before the URL, which may set its own; libpq's default is to wait for
  // as long as TCP does.
  const std::array<const char*, 4> keywords = {"connect_timeout", "fallback_application_name",
                                               "dbname", nullptr};
  const std::array<const char*, 4> values = {"10", "tilsyn", url_.c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (conn_ == nullptr) return Unavailable("PostgreSQL: out of memory while connecting");
  // Notices and warnings (CREATE TABLE IF NOT EXISTS's "already exists, skipping") would go to
  // stderr, which a library does not write to; errors come back as results.
  PQsetNoticeProcessor(
      conn(), [](void* /*unused*/, const char* /*message*/) {}, nullptr);
  const auto text_or_empty = [](const char* text) {
    return std::string(text != nullptr ? text : "");
  };
  const std::string user = text_or_empty(PQuser(conn()));
  const std::string host = text_or_empty(PQhost(conn()));
  const std::string port = text_or_empty(PQport(conn()));
  const std::string database = text_or_empty(PQdb(conn()));
  server_ =
      Redact(fmt::format("PostgreSQL {}{}{}{}{}{}", user, user.empty() ? "" : "@", host,
                         port.empty() ? "" : ":", port, database.empty() ? "" : "/" + database),
             secrets_);
  if (PQstatus(conn()) != CONNECTION_OK) {
    std::string message = Redact(
        fmt::format("{}: cannot connect: {}", server_, OneLine(PQerrorMessage(conn()))), secrets_);
    // A server that answers but will not have us (password, role, database) is a matter of
    // configuration; one that does not answer may come back.
    if (PQconnectionNeedsPassword(conn()) != 0 ||
        PQpingParams(keywords.data(), values.data(), 1) == PGPing::PQPING_OK) {
      return FailedPrecondition(std::move(message));
    }
    return Unavailable(std::move(message));
  }
  if (Status status = Configure(); !status) return status;
  return Migrate();
}

Status PostgresStore::Configure() {
  if (PQsetClientEncoding(conn(), "UTF8") != 0) return Failure("setting client_encoding UTF8");
  // TimeZone and DateStyle fix how dates and times are written; extra_float_digits = 3 makes
  // floats round-trip exactly even where a server or pooler sets it lower; synchronize_seqscans
  // off starts every scan at the start of its table, so rows read without an ORDER BY come in the
  // same (physical) order each time.
  return Execute(
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; "
      "SET synchronize_seqscans = off",
      "configuring the session");
}

Status PostgresStore::EnsureConnected() {
  if (PQstatus(conn()) == CONNECTION_OK) return {};
  PQreset(conn());
  prepared_ = {};
  queries_.clear();
  if (PQstatus(conn()) != CONNECTION_OK) return Failure("reconnecting");
  return Configure();
}

Status PostgresStore::Migrate() {
  if (Status status = Execute("BEGIN"); !status) return status;
  Status status = [&]() -> Status {
    if (Status locked = Execute(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLockKey),
                                "waiting for another program migrating the schema");
        !locked) {
      return locked;
    }
    if (Status created = Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
            "NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
        !created) {
      return created;
    }
    Result<int> version = SchemaVersion();
    if (!version) return version.error();
    if (Status known = CheckSchemaIsKnown(server_, *version); !known) return known;
    for (const Migration& migration : Migrations()) {
      if (migration.version <= *version) continue;
      // A step without PostgreSQL text changes nothing here; it is recorded all the same.
      if (!migration.postgres.empty()) {
        if (Status applied =
                Execute(std::string(migration.postgres),
                        fmt::format("schema migration {} ({})", migration.version, migration.name));
            !applied) {
          return applied;
        }
      }
      const std::string version_text = std::to_string(migration.version);
      const std::string name(migration.name);
      const std::array<const char*, 2> params = {version_text.c_str(), name.c_str()};
      Result<PgResult> recorded =
          Query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
                params, "recording a schema migration");
      if (!recorded) return std::move(recorded).error();
    }
    return {};
  }();
  if (!status) {
    Rollback();
    return status;
  }
  return Commit();
}

Result<int> PostgresStore::SchemaVersion() {
  if (Status connected = EnsureConnected(); !connected) return connected.error();
  Result<PgResult> query = Query("SELECT coalesce(max(version), 0) FROM schema_migrations", {},
                                 "reading the schema version");
  if (!query) return std::move(query).error();
  const std::optional<int64_t> version = ParseInt(PQgetvalue(query->get(), 0, 0));
  if (!version) return Internal(fmt::format("{}: the schema version is not a number", server_));
  return static_cast<int>(*version);
}

Status PostgresStore::Begin(const char* sql) {
  if (Status connected = EnsureConnected(); !connected) return connected;
  Status begun = Execute(sql);
  // A connection the server dropped while idle (a restart) is found dead only now; nothing has
  // happened in the transaction yet, so it is safe to reconnect and begin again, once.
  if (!begun && PQstatus(conn()) == CONNECTION_BAD) {
    if (Status connected = EnsureConnected(); !connected) return connected;
    begun = Execute(sql);
  }
  return begun;
}

Status PostgresStore::BeginRead() {
  return Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

Status PostgresStore::BeginWrite() {
  if (Status begun = Begin("BEGIN"); !begun) return begun;
  // One importer at a time; readers go on. Like SQLite's busy timeout, a second importer waits
  // ten seconds for the first, then gives up (kUnavailable).
  Status locked = Execute(
      "SET LOCAL lock_timeout = '10s'; LOCK TABLE imports IN EXCLUSIVE MODE; "
      "SET LOCAL lock_timeout TO DEFAULT",
      "waiting for another import to finish (LOCK TABLE imports)");
  if (!locked) Rollback();
  return locked;
}

Status PostgresStore::Commit() {
  const PgResult result(PQexec(conn(), "COMMIT"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    if (PQstatus(conn()) == CONNECTION_BAD) {
      return Failure(
          "COMMIT (the connection was lost: whether the transaction took effect is unknown until "
          "the store is read again)",
          result.get());
    }
    return Failure("COMMIT", result.get());
  }
  // COMMIT of a transaction that had failed rolls back and says so only in its command tag.
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    return Internal(
        fmt::format("{}: COMMIT failed: the transaction had failed and was rolled back", server_));
  }
  return {};
}

Status PostgresStore::BeginChange(std::string_view lock) {
  if (Status begun = Begin("BEGIN"); !begun) return begun;
  if (lock.empty()) return {};
  const std::string name(lock);
  const std::array<const char*, 1> params = {name.c_str()};
  Result<PgResult> locked = Query("SELECT pg_advisory_xact_lock(hashtext($1))", params,
                                  fmt::format("waiting for the lock \"{}\"", lock));
  if (!locked) {
    Rollback();
    return std::move(locked).error();
  }
  return {};
}

Result<std::vector<SqlRow>> PostgresStore::RunQuery(std::string_view sql,
                                                    std::span<const SqlValue> params) {
  if (PQtransactionStatus(conn()) == PQTRANS_IDLE || PQstatus(conn()) != CONNECTION_OK) {
    if (Status connected = EnsureConnected(); !connected) return connected.error();
  }
  const std::string doing = fmt::format("running \"{}\"", sql.substr(0, 60));
  auto found = queries_.find(sql);
  if (found == queries_.end()) {
    const std::string name = fmt::format("tilsyn_query_{}", queries_.size());
    const PgResult prepared(PQprepare(conn(), name.c_str(), std::string(sql).c_str(),
                                      static_cast<int>(params.size()), nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return Failure(doing, prepared.get());
    found = queries_.emplace(std::string(sql), name).first;
  }
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* number = std::get_if<int64_t>(&params[i])) {
      texts[i] = std::to_string(*number);
    } else if (const auto* text = std::get_if<std::string>(&params[i])) {
      texts[i] = *text;
    } else {
      continue;
    }
    values[i] = texts[i].c_str();
  }
  const PgResult result(PQexecPrepared(conn(), found->second.c_str(),
                                       static_cast<int>(values.size()), values.data(), nullptr,
                                       nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failure(doing, result.get());
  std::vector<SqlRow> rows(static_cast<size_t>(PQntuples(result.get())));
  const int columns = PQnfields(result.get());
  for (size_t r = 0; r < rows.size(); ++r) {
    rows[r].resize(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), static_cast<int>(r), c) == 0) {
        rows[r][static_cast<size_t>(c)] =
            std::string(PQgetvalue(result.get(), static_cast<int>(r), c));
      }
    }
  }
  return rows;
}

void PostgresStore::Rollback() {
  if (PQstatus(conn()) != CONNECTION_OK) return;
  DrainResults("rolling back");
  const PgResult result(PQexec(conn(), "ROLLBACK"));
}

void PostgresStore::CancelRunning() const {
  PGcancel* cancel = PQgetCancel(conn());
  if (cancel == nullptr) return;
  std::array<char, 256> error{};
  PQcancel(cancel, error.data(), static_cast<int>(error.size()));
  PQfreeCancel(cancel);
}

PgResult PostgresStore::DrainResults(const char* copy_in_error) {
  PgResult first_error;
  while (PgResult result{PQgetResult(conn())}) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COPY_IN) {
      if (PQputCopyEnd(conn(), copy_in_error) != 1) break;
    } else if (status == PGRES_COPY_OUT) {
      char* buffer = nullptr;
      int size = 0;
      while ((size = PQgetCopyData(conn(), &buffer, 0)) >= 0) PQfreemem(buffer);
    } else if (status == PGRES_FATAL_ERROR && first_error == nullptr) {
      first_error = std::move(result);
    }
    if (PQstatus(conn()) != CONNECTION_OK) break;
  }
  return first_error;
}

template <typename OnRow>
Status PostgresStore::CopyOut(const char* sql, std::string_view what, size_t columns,
                              OnRow&& on_row) {
  const std::string doing = fmt::format("reading {}", what);
  const PgResult started(PQexec(conn(), sql));
  if (PQresultStatus(started.get()) != PGRES_COPY_OUT) return Failure(doing, started.get());
  std::array<CopyField, kMaxCopyColumns> storage;
  const std::span<CopyField> fields(storage.data(), columns);
  Status rows_status;  // the first row the loader refused; the rest are drained unread
  uint64_t row_number = 0;
  int size = 0;
  char* raw = nullptr;
  while ((size = PQgetCopyData(conn(), &raw, 0)) >= 0) {
    const PgBuffer buffer(raw);
    ++row_number;
    if (!rows_status) continue;
    if (!SplitCopyRow(buffer.get(), static_cast<size_t>(size), fields)) {
      const std::string_view text(buffer.get(), static_cast<size_t>(size));
      rows_status = DataLoss(fmt::format("{}: stored {} row {} (\"{}\") is malformed", server_,
                                         what, row_number, text.substr(0, text.find('\t'))));
    } else {
      rows_status = on_row(std::span<const CopyField>(fields));
    }
    if (!rows_status) CancelRunning();
  }
  // After the rows: the COPY's own result, then none. -2 above: an error, in that result.
  PgResult finished(PQgetResult(conn()));
  PgResult later_error = DrainResults("reading stopped");
  if (!rows_status) return rows_status;
  if (finished == nullptr) return Failure(doing, later_error.get());
  if (PQresultStatus(finished.get()) != PGRES_COMMAND_OK) return Failure(doing, finished.get());
  return {};
}

Status PostgresStore::ReadAll(DatasetLoader& loader) {
  // Row counts to reserve for: counts of the small tables; for events, the largest key, unless
  // the planner's estimate (reltuples, -1 before the first ANALYZE) is well below it, as after
  // rolled-back imports, whose keys are never reused. The estimate may be a little low: reserving
  // just too few would copy every event once more.
  Result<PgResult> sizes = Query(
      "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM workers), (SELECT count(*) "
      "FROM children), (SELECT coalesce(max(event_key), 0) FROM events), (SELECT "
      "reltuples::bigint FROM pg_class WHERE oid = 'events'::regclass)",
      {}, "counting the stored records");
  if (!sizes) return std::move(sizes).error();
  std::array<size_t, 5> counts{};
  for (size_t i = 0; i < counts.size(); ++i) {
    counts[i] = static_cast<size_t>(std::max<int64_t>(
        0, ParseInt(PQgetvalue(sizes->get(), 0, static_cast<int>(i))).value_or(0)));
  }
  const size_t events_hint =
      counts[4] > 0 ? std::min(counts[3], counts[4] + counts[4] / 8 + 1024) : counts[3];
  loader.Reserve(counts[0], counts[1], counts[2], events_hint);

  if (Status status = CopyOut(
          "COPY (SELECT unit_id, parent_id, kind, name FROM units ORDER BY unit_id COLLATE \"C\") "
          "TO STDOUT",
          "units", 4,
          [&](std::span<const CopyField> f) {
            return loader.AddUnit({f[0].text, f[1].text, f[2].text, f[3].text});
          });
      !status) {
    return status;
  }

  if (Status status = CopyOut(
          "COPY (SELECT worker_id, name, unit_id, fte FROM workers ORDER BY worker_id COLLATE "
          "\"C\") TO STDOUT",
          "workers", 4,
          [&](std::span<const CopyField> f) -> Status {
            const std::optional<double> fte = ParseDouble(f[3].text);
            if (!fte) {
              return DataLoss(fmt::format("{}: stored worker \"{}\" has a bad fte \"{}\"", server_,
                                          f[0].text, f[3].text));
            }
            return loader.AddWorker({f[0].text, f[1].text, f[2].text, *fte});
          });
      !status) {
    return status;
  }

  if (Status status = CopyOut(
          "COPY (SELECT child_id, birth_date, unit_id, cpr_hash FROM children ORDER BY child_id "
          "COLLATE \"C\") TO STDOUT",
          "children", 4,
          [&](std::span<const CopyField> f) -> Status {
            Result<Date> birth_date = ParseDate(f[1].text);
            if (!birth_date) {
              return DataLoss(fmt::format("{}: stored child \"{}\" has a bad birth_date: {}",
                                          server_, f[0].text, birth_date.error().message));
            }
            return loader.AddChild({f[0].text, *birth_date, f[2].text, f[3].text});
          });
      !status) {
    return status;
  }

  return CopyOut(
      "COPY (SELECT event_id, child_id, type, at, date_only, day, worker_id, ref, measure_id, "
      "measure_type, placement, legal_basis, source, professional, acute, context, decision, "
      "reasoned, states_effort, rule_id, reason, amount_ore FROM events ORDER BY event_key) TO "
      "STDOUT",
      "events", 22, [&](std::span<const CopyField> f) -> Status {
        const auto bad = [&](std::string_view column, std::string_view value) {
          return DataLoss(fmt::format("{}: stored event \"{}\" has a bad {} \"{}\"", server_,
                                      f[0].text, column, value));
        };
        Result<Date> day = ParseDate(f[5].text);
        if (!day) {
          return DataLoss(fmt::format("{}: stored event \"{}\" has a bad day: {}", server_,
                                      f[0].text, day.error().message));
        }
        const std::optional<int64_t> at = ParseInt(f[3].text);
        if (!at) return bad("at", f[3].text);
        const std::optional<Flag> date_only = ParseFlag(f[4]);
        if (!date_only || *date_only == Flag::kNull) return bad("date_only", f[4].text);
        EventRow row;
        row.event_id = f[0].text;
        row.child_id = f[1].text;
        row.type = f[2].text;
        row.at = *at;
        row.date_only = *date_only == Flag::kTrue;
        row.day = *day;
        row.worker_id = f[6].text;
        row.ref = f[7].text;
        row.measure_id = f[8].text;
        row.measure_type = f[9].text;
        row.legal_basis = f[11].text;
        row.source = f[12].text;
        row.context = f[15].text;
        row.decision = f[16].text;
        row.rule_id = f[19].text;
        row.reason = f[20].text;
        const std::array<std::pair<size_t, Flag*>, 5> flags = {{{10, &row.placement},
                                                                {13, &row.professional},
                                                                {14, &row.acute},
                                                                {17, &row.reasoned},
                                                                {18, &row.states_effort}}};
        static constexpr std::array<std::string_view, 22> kColumnNames = {
            "event_id",   "child_id",     "type",          "at",
            "date_only",  "day",          "worker_id",     "ref",
            "measure_id", "measure_type", "placement",     "legal_basis",
            "source",     "professional", "acute",         "context",
            "decision",   "reasoned",     "states_effort", "rule_id",
            "reason",     "amount_ore"};
        for (const auto& [column, flag] : flags) {
          const std::optional<Flag> value = ParseFlag(f[column]);
          if (!value) return bad(kColumnNames[column], f[column].text);
          *flag = *value;
        }
        if (!f[21].is_null) {
          row.amount_ore = ParseInt(f[21].text);
          if (!row.amount_ore) return bad("amount_ore", f[21].text);
        }
        return loader.AddEvent(row);
      });
}

Result<int64_t> PostgresStore::QueryLastImportId() {
  Result<PgResult> last =
      Query("SELECT coalesce(max(import_id), 0) FROM imports", {}, "reading the last import");
  if (!last) return std::move(last).error();
  const std::optional<int64_t> id = ParseInt(PQgetvalue(last->get(), 0, 0));
  if (!id) return Internal(fmt::format("{}: the last import has no id", server_));
  return *id;
}

Result<std::vector<QueryRow>> PostgresStore::RunReadOnlyQuery(std::string_view sql,
                                                              std::span<const std::string> params) {
  // The transaction is READ ONLY (BeginRead), so the server refuses a statement that writes; with
  // parameters, libpq sends exactly one statement. JIT compilation, where the server has it on,
  // is off for it: compiling a large reporting statement takes seconds and pays off only for long
  // scans of few expressions.
  if (Status configured = Execute("SET LOCAL jit = off", "configuring a query"); !configured) {
    return configured.error();
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) {
    values.push_back(param.empty() ? nullptr : param.c_str());
  }
  const std::string text(sql);
  Result<PgResult> result = Query(text.c_str(), values, "running a query");
  if (!result) return std::move(result).error();
  const PGresult* answer = result->get();
  const int row_count = PQntuples(answer);
  const int columns = PQnfields(answer);
  std::vector<QueryRow> rows(static_cast<size_t>(row_count));
  for (int r = 0; r < row_count; ++r) {
    QueryRow& row = rows[static_cast<size_t>(r)];
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(answer, r, c) != 0) {
        row.emplace_back();
      } else {
        row.emplace_back(
            std::string(PQgetvalue(answer, r, c), static_cast<size_t>(PQgetlength(answer, r, c))));
      }
    }
  }
  return rows;
}

Result<int64_t> PostgresStore::InsertImport(const ImportOptions& options, const ImportPlan& plan) {
  const std::string source = options.source.empty() ? std::string("-") : options.source;
  const std::array<size_t, 7> counts = {plan.units_added.size(),    plan.units_updated.size(),
                                        plan.workers_added.size(),  plan.workers_updated.size(),
                                        plan.children_added.size(), plan.children_updated.size(),
                                        plan.events_added.size()};
  std::array<std::string, 7> count_texts;
  std::array<const char*, 8> params{};
  params[0] = source.c_str();
  for (size_t i = 0; i < counts.size(); ++i) {
    count_texts[i] = std::to_string(counts[i]);
    params[i + 1] = count_texts[i].c_str();
  }
  Result<PgResult> inserted = Query(
      "INSERT INTO imports (imported_at, source, units_added, units_updated, workers_added, "
      "workers_updated, children_added, children_updated, events_added) VALUES (now(), $1, $2, "
      "$3, $4, $5, $6, $7, $8) RETURNING import_id",
      params, "recording the import");
  if (!inserted) return std::move(inserted).error();
  const std::optional<int64_t> import_id = ParseInt(PQgetvalue(inserted->get(), 0, 0));
  if (!import_id) return Internal(fmt::format("{}: the new import has no id", server_));
  return *import_id;
}

Status PostgresStore::RunPrepared(PreparedStatement statement, const RecordParams& params,
                                  std::string_view doing) {
  const PreparedSql& prepared = kPrepared[statement];
  if (!prepared_[statement]) {
    const PgResult result(PQprepare(conn(), prepared.name, prepared.sql, kRecordParams, nullptr));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return Failure(fmt::format("preparing {}", prepared.name), result.get());
    }
    prepared_[statement] = true;
  }
  const PgResult result(
      PQexecPrepared(conn(), prepared.name, kRecordParams, params.values(), nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return Failure(doing, result.get());
  return {};
}

Status PostgresStore::WriteUnits(const Dataset& data, std::span<const uint32_t> positions,
                                 bool update, int64_t import_id) {
  const std::string import_text = std::to_string(import_id);
  RecordParams params;
  for (const uint32_t position : positions) {
    const UnitRow row = MakeUnitRow(data, position);
    params.Set(0, row.unit_id);
    params.Set(1, row.parent_id);
    params.Set(2, row.kind);
    params.Set(3, row.name);
    params.Set(4, import_text);
    if (Status status = RunPrepared(update ? kUnitUpdate : kUnitInsert, params,
                                    fmt::format("writing unit \"{}\"", row.unit_id));
        !status) {
      return status;
    }
  }
  return {};
}

Status PostgresStore::WriteWorkers(const Dataset& data, std::span<const uint32_t> positions,
                                   bool update, int64_t import_id) {
  const std::string import_text = std::to_string(import_id);
  RecordParams params;
  for (const uint32_t position : positions) {
    const WorkerRow row = MakeWorkerRow(data, position);
    params.Set(0, row.worker_id);
    params.Set(1, row.name);
    params.Set(2, row.unit_id);
    params.Set(3, fmt::format("{}", row.fte));  // the shortest text that reads back the same
    params.Set(4, import_text);
    if (Status status = RunPrepared(update ? kWorkerUpdate : kWorkerInsert, params,
                                    fmt::format("writing worker \"{}\"", row.worker_id));
        !status) {
      return status;
    }
  }
  return {};
}

Status PostgresStore::WriteChildren(const Dataset& data, std::span<const uint32_t> positions,
                                    bool update, int64_t import_id) {
  const std::string import_text = std::to_string(import_id);
  RecordParams params;
  for (const uint32_t position : positions) {
    const ChildRow row = MakeChildRow(data, position);
    params.Set(0, row.child_id);
    params.Set(1, FormatDate(row.birth_date));
    params.Set(2, row.unit_id);
    params.Set(3, row.cpr_hash);
    params.Set(4, import_text);
    if (Status status = RunPrepared(update ? kChildUpdate : kChildInsert, params,
                                    fmt::format("writing child \"{}\"", row.child_id));
        !status) {
      return status;
    }
  }
  return {};
}

Status PostgresStore::AppendEvents(const Dataset& data, std::span<const uint32_t> positions,
                                   int64_t import_id, const ProgressFn& progress) {
  if (!positions.empty()) {
    constexpr std::string_view kDoing = "writing events (COPY events FROM STDIN)";
    const PgResult started(PQexec(conn(), kCopyEventsIn));
    if (PQresultStatus(started.get()) != PGRES_COPY_IN) return Failure(kDoing, started.get());
    // On any failure the COPY is ended (as failed) before returning, so the connection is never
    // left in the middle of one.
    const auto abandon = [&]() {
      const std::string why = OneLine(PQerrorMessage(conn()));
      const PgResult error = DrainResults("tilsyn stopped sending events");
      // The server's answer to our ending the COPY (57014) says less than libpq's reason.
      const char* sqlstate =
          error != nullptr ? PQresultErrorField(error.get(), PG_DIAG_SQLSTATE) : nullptr;
      if (sqlstate != nullptr && std::string_view(sqlstate) == "57014") {
        return Failure(kDoing, nullptr, why);
      }
      return Failure(kDoing, error.get(), why);
    };
    const std::string import_text = std::to_string(import_id);
    std::string chunk;
    chunk.reserve(kCopyChunk + kCopyChunk / 8);  // a chunk ends past kCopyChunk by one line
    for (size_t i = 0; i < positions.size(); ++i) {
      AppendEventLine(chunk, MakeEventRow(data, positions[i]), import_text);
      if (chunk.size() >= kCopyChunk) {
        if (PQputCopyData(conn(), chunk.data(), static_cast<int>(chunk.size())) != 1) {
          return abandon();
        }
        chunk.clear();
      }
      if (progress && (i + 1) % kProgressEvery == 0) progress(i + 1, positions.size());
    }
    if (!chunk.empty() &&
        PQputCopyData(conn(), chunk.data(), static_cast<int>(chunk.size())) != 1) {
      return abandon();
    }
    if (PQputCopyEnd(conn(), nullptr) != 1) return abandon();
    // The COPY's result, then none: an error found in any row (a duplicate event id) is here.
    const PgResult finished(PQgetResult(conn()));
    const PgResult later_error = DrainResults("tilsyn stopped sending events");
    if (finished == nullptr) return Failure(kDoing, later_error.get());
    if (PQresultStatus(finished.get()) != PGRES_COMMAND_OK) {
      const size_t line = CopyLineOf(finished.get());
      if (line == 0 || line > positions.size()) return Failure(kDoing, finished.get());
      const EventRow row = MakeEventRow(data, positions[line - 1]);
      return Failure(fmt::format("writing event \"{}\" with COPY events FROM STDIN", row.event_id),
                     finished.get());
    }
  }
  if (progress) progress(positions.size(), positions.size());
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  auto store = std::make_unique<PostgresStore>(url);
  if (Status status = store->Open(); !status) return status.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tilsyn
