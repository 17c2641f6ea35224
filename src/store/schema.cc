#include "store/schema.h"

#include <fmt/format.h>

#include <array>

namespace tilsyn {
namespace {

// Version 1: the interchange format's four tables plus the record of imports.
//  - Ids are the case system's own (TEXT). Dates are ISO text in SQLite and DATE in PostgreSQL;
//    `at` is seconds since 1970 UTC in both, `day` its Danish local date (for SQL over dates).
//  - Foreign keys are deferred to commit, so an import may write its rows in any order.
//  - Events cannot be updated or deleted: a registration is corrected with a retraction event.
//  - A CPR number is never stored: only its keyed hash (cpr_hash) and the birth date.
constexpr std::string_view kSqliteV1 = R"sql(
CREATE TABLE imports (
  import_id INTEGER PRIMARY KEY,
  imported_at TEXT NOT NULL,
  source TEXT NOT NULL,
  units_added INTEGER NOT NULL,
  units_updated INTEGER NOT NULL,
  workers_added INTEGER NOT NULL,
  workers_updated INTEGER NOT NULL,
  children_added INTEGER NOT NULL,
  children_updated INTEGER NOT NULL,
  events_added INTEGER NOT NULL
);
CREATE TABLE units (
  unit_id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL CHECK (kind IN ('municipality', 'department', 'district', 'team')),
  name TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE workers (
  worker_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  fte REAL NOT NULL CHECK (fte > 0 AND fte <= 1),
  import_id INTEGER NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE children (
  child_id TEXT PRIMARY KEY,
  birth_date TEXT NOT NULL,
  unit_id TEXT NOT NULL REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  cpr_hash TEXT,
  import_id INTEGER NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE events (
  event_key INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  child_id TEXT NOT NULL REFERENCES children (child_id) DEFERRABLE INITIALLY DEFERRED,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  date_only INTEGER NOT NULL CHECK (date_only IN (0, 1)),
  day TEXT NOT NULL,
  worker_id TEXT REFERENCES workers (worker_id) DEFERRABLE INITIALLY DEFERRED,
  ref TEXT REFERENCES events (event_id) DEFERRABLE INITIALLY DEFERRED,
  measure_id TEXT,
  measure_type TEXT,
  placement INTEGER CHECK (placement IN (0, 1)),
  legal_basis TEXT,
  source TEXT,
  professional INTEGER CHECK (professional IN (0, 1)),
  acute INTEGER CHECK (acute IN (0, 1)),
  context TEXT,
  decision TEXT,
  reasoned INTEGER CHECK (reasoned IN (0, 1)),
  states_effort INTEGER CHECK (states_effort IN (0, 1)),
  rule_id TEXT,
  reason TEXT,
  amount_ore INTEGER,
  import_id INTEGER NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
-- Finds the events that answer one (a retraction, an exemption). SQLite also needs it for the
-- deferred key events.ref -> events.event_id: without it every insert scans the table.
CREATE INDEX events_ref ON events (ref);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: correct an event with a retraction event');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: correct an event with a retraction event');
END;
)sql";

constexpr std::string_view kPostgresV1 = R"sql(
CREATE TABLE imports (
  import_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  imported_at TIMESTAMPTZ NOT NULL,
  source TEXT NOT NULL,
  units_added BIGINT NOT NULL,
  units_updated BIGINT NOT NULL,
  workers_added BIGINT NOT NULL,
  workers_updated BIGINT NOT NULL,
  children_added BIGINT NOT NULL,
  children_updated BIGINT NOT NULL,
  events_added BIGINT NOT NULL
);
CREATE TABLE units (
  unit_id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL CHECK (kind IN ('municipality', 'department', 'district', 'team')),
  name TEXT NOT NULL,
  import_id BIGINT NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE workers (
  worker_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  fte DOUBLE PRECISION NOT NULL CHECK (fte > 0 AND fte <= 1),
  import_id BIGINT NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE children (
  child_id TEXT PRIMARY KEY,
  birth_date DATE NOT NULL,
  unit_id TEXT NOT NULL REFERENCES units (unit_id) DEFERRABLE INITIALLY DEFERRED,
  cpr_hash TEXT,
  import_id BIGINT NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE events (
  event_key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  child_id TEXT NOT NULL REFERENCES children (child_id) DEFERRABLE INITIALLY DEFERRED,
  type TEXT NOT NULL,
  at BIGINT NOT NULL,
  date_only BOOLEAN NOT NULL,
  day DATE NOT NULL,
  worker_id TEXT REFERENCES workers (worker_id) DEFERRABLE INITIALLY DEFERRED,
  ref TEXT REFERENCES events (event_id) DEFERRABLE INITIALLY DEFERRED,
  measure_id TEXT,
  measure_type TEXT,
  placement BOOLEAN,
  legal_basis TEXT,
  source TEXT,
  professional BOOLEAN,
  acute BOOLEAN,
  context TEXT,
  decision TEXT,
  reasoned BOOLEAN,
  states_effort BOOLEAN,
  rule_id TEXT,
  reason TEXT,
  amount_ore BIGINT,
  import_id BIGINT NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX events_ref ON events (ref);
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: correct an event with a retraction event';
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
)sql";

// Version 2: the server's users, sessions, login attempts and audit log. Times are seconds since
// 1970 UTC, given by the program (its clock), never the database's. Flags are integers 0/1 on
// both engines, so that both answer a query with the same text.
//  - A session is known by the SHA-256 of its cookie token: the table alone opens no session.
//  - The audit log is append-only (triggers) and hash-chained: each row's hash covers its content
//    and the previous row's hash; audit_head holds the newest row's number and hash, so that rows
//    cut off the end show too. tilsyn numbers the rows itself (seq), without gaps.
constexpr std::string_view kSqliteV2 = R"sql(
CREATE TABLE users (
  user_id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('worker', 'leader', 'head', 'committee', 'reviewer',
                                     'admin')),
  unit_id TEXT NOT NULL,
  worker_id TEXT,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (user_id),
  csrf_token TEXT NOT NULL,
  client TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE login_attempts (
  attempt_key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_attempts_key_at ON login_attempts (attempt_key, at);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_login TEXT NOT NULL,
  client TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_login, seq);
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
)sql";

constexpr std::string_view kPostgresV2 = R"sql(
CREATE TABLE users (
  user_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('worker', 'leader', 'head', 'committee', 'reviewer',
                                     'admin')),
  unit_id TEXT NOT NULL,
  worker_id TEXT,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (user_id),
  csrf_token TEXT NOT NULL,
  client TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE login_attempts (
  attempt_key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key_at ON login_attempts (attempt_key, at);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  user_login TEXT NOT NULL,
  client TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_login, seq);
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)sql";

// Version 3: each user's calendar feed (iCalendar of their caseworker's deadlines), known like a
// session by the SHA-256 of its secret token, which is only ever in the feed's URL.
constexpr std::string_view kSqliteV3 = R"sql(
CREATE TABLE calendar_feeds (
  user_id INTEGER PRIMARY KEY REFERENCES users (user_id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kPostgresV3 = R"sql(
CREATE TABLE calendar_feeds (
  user_id BIGINT PRIMARY KEY REFERENCES users (user_id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
)sql";

// Version 4 (SQLite): an event id's uniqueness is a named index (events_event_id) instead of a
// column constraint, whose index SQLite cannot drop. A large import into a small events table
// drops both event indexes and builds them again after writing its rows, in its transaction: one
// sort instead of a search at a random place of the index for each row. The table is rebuilt as
// SQLite's ALTER TABLE documentation describes (foreign keys are off while migrations run);
// event_key values are kept. PostgreSQL keeps its schema: its import is not built this way.
constexpr std::string_view kSqliteV4 = R"sql(
CREATE TABLE events_v4 (
  event_key INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  child_id TEXT NOT NULL REFERENCES children (child_id) DEFERRABLE INITIALLY DEFERRED,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  date_only INTEGER NOT NULL CHECK (date_only IN (0, 1)),
  day TEXT NOT NULL,
  worker_id TEXT REFERENCES workers (worker_id) DEFERRABLE INITIALLY DEFERRED,
  ref TEXT REFERENCES events (event_id) DEFERRABLE INITIALLY DEFERRED,
  measure_id TEXT,
  measure_type TEXT,
  placement INTEGER CHECK (placement IN (0, 1)),
  legal_basis TEXT,
  source TEXT,
  professional INTEGER CHECK (professional IN (0, 1)),
  acute INTEGER CHECK (acute IN (0, 1)),
  context TEXT,
  decision TEXT,
  reasoned INTEGER CHECK (reasoned IN (0, 1)),
  states_effort INTEGER CHECK (states_effort IN (0, 1)),
  rule_id TEXT,
  reason TEXT,
  amount_ore INTEGER,
  import_id INTEGER NOT NULL REFERENCES imports (import_id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO events_v4 SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE UNIQUE INDEX events_event_id ON events (event_id);
-- Finds the events that answer one (a retraction, an exemption); it serves any query with a
-- condition on ref, which implies ref IS NOT NULL. Three in four events have no ref: leaving
-- them out halves the index and the time to build it.
CREATE INDEX events_ref ON events (ref) WHERE ref IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: correct an event with a retraction event');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: correct an event with a retraction event');
END;
)sql";

constexpr std::array<Migration, 4> kMigrations = {{
    {1, "interchange tables and imports", kSqliteV1, kPostgresV1},
    {2, "users, sessions, login attempts and the audit log", kSqliteV2, kPostgresV2},
    {3, "calendar feeds", kSqliteV3, kPostgresV3},
    {4, "event id uniqueness as a droppable index (SQLite)", kSqliteV4, ""},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

Status CheckSchemaIsKnown(std::string_view where, int version) {
  if (version <= LatestSchemaVersion()) return {};
  return FailedPrecondition(
      fmt::format("{}: the database has schema version {}, newer than this tilsyn knows ({}): use "
                  "a newer tilsyn",
                  where, version, LatestSchemaVersion()));
}

}  // namespace tilsyn
