#include "server/audit_log.h"

#include <fmt/format.h>

#include <charconv>
#include <string_view>
#include <unordered_map>

#include "server/crypto.h"

namespace tilsyn::server {
namespace {

// The predecessor of the first row.
const std::string kGenesisHash(64, '0');
// Appends (and verification) take this lock, so that rows get consecutive numbers and each
// chains onto the one before it.
constexpr std::string_view kAuditLock = "tilsyn_audit_log";
constexpr int64_t kVerifyBatch = 10000;

int64_t ToInt(const std::optional<std::string>& text) {
  int64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

// Marks a row hashed under the audit key.
constexpr std::string_view kKeyedPrefix = "hmac:";

// Each field with its length in front, so that no two different rows hash alike.
std::string ChainHash(const std::string& prev_hash, Instant at, const AuditRecord& record,
                      const AuditKey& key) {
  std::string text = key ? "tilsyn-audit-2" : "tilsyn-audit-1";
  const auto add = [&text](std::string_view field) {
    text += fmt::format("|{}:", field.size());
    text += field;
  };
  add(prev_hash);
  add(std::to_string(at.seconds));
  add(record.user);
  add(record.client);
  add(record.action);
  add(record.object);
  add(record.detail);
  if (key) return std::string(kKeyedPrefix) + HmacSha256Hex(*key, text);
  return Sha256Hex(text);
}

constexpr std::string_view kEntryColumns =
    "seq, at, user_login, client, action, object, detail, prev_hash, hash";

AuditEntry EntryFromRow(const SqlRow& row) {
  AuditEntry entry;
  entry.seq = ToInt(row[0]);
  entry.at = Instant{ToInt(row[1])};
  entry.record = {row[2].value_or(""), row[3].value_or(""), row[4].value_or(""),
                  row[5].value_or(""), row[6].value_or("")};
  entry.prev_hash = row[7].value_or("");
  entry.hash = row[8].value_or("");
  return entry;
}

}  // namespace

Status AppendAudit(Store& store, const AuditRecord& record, Instant at, const AuditKey& key) {
  const AuditRow row{record, at};
  return AppendAuditRows(store, std::span<const AuditRow>(&row, 1), key);
}

Status AppendAuditRows(Store& store, std::span<const AuditRow> rows, const AuditKey& key) {
  return store.InTransaction(kAuditLock, [&]() -> Status {
    Result<std::vector<SqlRow>> head = store.Query("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head) return head.error();
    int64_t seq = head->empty() ? 0 : ToInt(head->front()[0]);
    std::string hash = head->empty() ? kGenesisHash : head->front()[1].value_or("");
    for (const AuditRow& row : rows) {
      const AuditRecord& record = row.record;
      std::string prev_hash = std::move(hash);
      hash = ChainHash(prev_hash, row.at, record, key);
      ++seq;
      Result<std::vector<SqlRow>> inserted = store.Query(
          "INSERT INTO audit_log (seq, at, user_login, client, action, object, detail, "
          "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          {seq, row.at.seconds, record.user, record.client, record.action, record.object,
           record.detail, prev_hash, hash});
      if (!inserted) return inserted.error();
    }
    Result<std::vector<SqlRow>> moved = store.Query(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE "
        "SET seq = excluded.seq, hash = excluded.hash",
        {seq, hash});
    if (!moved) return moved.error();
    return {};
  });
}

Status CheckAuditKey(Store& store, const AuditKey& key) {
  Result<std::vector<SqlRow>> newest =
      store.Query(fmt::format("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT 1", kEntryColumns));
  if (!newest) return newest.error();
  if (newest->empty()) return {};
  const AuditEntry entry = EntryFromRow(newest->front());
  if (!entry.hash.starts_with(kKeyedPrefix)) return {};
  if (!key) {
    return FailedPrecondition(fmt::format(
        "the audit log is kept with a key (its newest row, {}, is hashed under it): configure it "
        "([audit] key_file, or TILSYN_AUDIT_KEY); rows written without it would mark the log as "
        "rewritten",
        entry.seq));
  }
  if (ChainHash(entry.prev_hash, entry.at, entry.record, key) != entry.hash) {
    return FailedPrecondition(fmt::format(
        "the audit key is not the one the log's newest row ({}) was written with: check [audit] "
        "key_file or TILSYN_AUDIT_KEY, and run `tilsyn audit verify` with the right key",
        entry.seq));
  }
  return {};
}

struct AuditQueue::Pending {
  AuditRow row;
  bool done = false;
  bool waiting = false;  // its request waits in Wait()
  Status status;
  std::condition_variable woken;  // done, or the writer's turn is free
};

AuditQueue::AuditQueue(std::unique_ptr<Store> store, AuditKey key)
    : store_(std::move(store)), key_(std::move(key)) {}

AuditQueue::~AuditQueue() {
  std::unique_lock lock(mutex_);
  while (writing_) written_.wait(lock);
  if (!queue_.empty()) WriteQueued(lock);
}

AuditQueue::Ticket AuditQueue::Submit(AuditRow row) {
  auto pending = std::make_shared<Pending>();
  pending->row = std::move(row);
  const std::lock_guard lock(mutex_);
  queue_.push_back(pending);
  return Ticket(*this, std::move(pending));
}

Status AuditQueue::Ticket::Wait() { return queue_->WaitFor(*pending_); }

Status AuditQueue::WaitFor(Pending& pending) {
  std::unique_lock lock(mutex_);
  while (!pending.done) {
    if (writing_) {
      pending.waiting = true;
      pending.woken.wait(lock);
      pending.waiting = false;
    } else {
      // This request writes what has queued up, its own row among it, while the others wait.
      WriteQueued(lock);
    }
  }
  return pending.status;
}

void AuditQueue::WriteQueued(std::unique_lock<std::mutex>& lock) {
  writing_ = true;
  std::vector<std::shared_ptr<Pending>> batch = std::move(queue_);
  queue_.clear();
  lock.unlock();
  std::vector<AuditRow> rows;
  rows.reserve(batch.size());
  for (const std::shared_ptr<Pending>& queued : batch) rows.push_back(queued->row);
  const Status status = AppendAuditRows(*store_, rows, key_);
  lock.lock();
  // Wakes only the requests whose rows were written, and one waiting request of those queued
  // meanwhile to write theirs: waking every waiting thread would cost each a turn for nothing.
  for (const std::shared_ptr<Pending>& queued : batch) {
    queued->status = status;
    queued->done = true;
    queued->woken.notify_one();
  }
  writing_ = false;
  for (const std::shared_ptr<Pending>& queued : queue_) {
    if (queued->waiting) {
      queued->woken.notify_one();
      break;
    }
  }
  written_.notify_all();
}

Result<AuditPage> SearchAudit(Store& store, const AuditQuery& query) {
  std::string where = "1 = 1";
  std::vector<SqlValue> params;
  const auto filter = [&](std::string_view condition, SqlValue value) {
    params.push_back(std::move(value));
    where += fmt::format(" AND {} ${}", condition, params.size());
  };
  if (!query.user.empty()) filter("user_login =", query.user);
  if (!query.action.empty()) filter("action =", query.action);
  if (!query.object.empty()) filter("object =", query.object);
  if (query.from) filter("at >=", query.from->seconds);
  if (query.to) filter("at <=", query.to->seconds);
  AuditPage page;
  Result<std::vector<SqlRow>> count =
      store.Query(fmt::format("SELECT count(*) FROM audit_log WHERE {}", where), params);
  if (!count) return std::move(count).error();
  page.total = ToInt(count->front()[0]);
  params.emplace_back(query.page_size);
  params.emplace_back((query.page - 1) * query.page_size);
  Result<std::vector<SqlRow>> rows = store.Query(
      fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
                  kEntryColumns, where, params.size() - 1, params.size()),
      params);
  if (!rows) return std::move(rows).error();
  for (const SqlRow& row : *rows) page.entries.push_back(EntryFromRow(row));
  return page;
}

Result<AuditVerification> VerifyAudit(Store& store, const AuditKey& key) {
  AuditVerification verification;
  Status status = store.InTransaction(kAuditLock, [&]() -> Status {
    std::vector<AuditEntry> entries;
    for (int64_t after = 0;;) {
      Result<std::vector<SqlRow>> rows =
          store.Query(fmt::format("SELECT {} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                  kEntryColumns),
                      {after, kVerifyBatch});
      if (!rows) return rows.error();
      for (const SqlRow& row : *rows) entries.push_back(EntryFromRow(row));
      if (static_cast<int64_t>(rows->size()) < kVerifyBatch) break;
      after = entries.back().seq;
    }
    verification.rows = static_cast<int64_t>(entries.size());
    std::unordered_map<std::string, int64_t> seq_of_hash;
    for (const AuditEntry& entry : entries) seq_of_hash.emplace(entry.hash, entry.seq);
    const auto problem = [&](int64_t seq, std::string message) {
      verification.problems.push_back({seq, std::move(message)});
    };

    std::string expected_prev = kGenesisHash;
    int64_t expected_seq = 1;
    int64_t first_keyed = 0;  // the first keyed row's number; 0 before one
    bool rewrite_found = false;
    for (const AuditEntry& entry : entries) {
      const bool keyed = entry.hash.starts_with(kKeyedPrefix);
      if (keyed) {
        ++verification.keyed_rows;
        if (first_keyed == 0) first_keyed = entry.seq;
      } else if (first_keyed != 0 && !rewrite_found) {
        // Only who lacks the key writes a row without it once the log has the key.
        rewrite_found = true;
        problem(entry.seq,
                fmt::format("row {} has no key, though row {} before it has: the log was "
                            "rewritten from row {} on",
                            entry.seq, first_keyed, entry.seq));
      }
      const bool checkable = !keyed || key.has_value();
      if (checkable && ChainHash(entry.prev_hash, entry.at, entry.record,
                                 keyed ? key : AuditKey()) != entry.hash) {
        problem(entry.seq, fmt::format("row {} was edited: its content no longer matches its hash",
                                       entry.seq));
      } else if (entry.prev_hash != expected_prev) {
        const auto predecessor = seq_of_hash.find(entry.prev_hash);
        if (predecessor != seq_of_hash.end()) {
          problem(entry.seq, fmt::format("row {} was moved: it was written after row {}", entry.seq,
                                         predecessor->second));
        } else if (entry.prev_hash == kGenesisHash) {
          problem(entry.seq,
                  fmt::format("row {} was moved: it was written as the first row", entry.seq));
        } else {
          problem(entry.seq, fmt::format("the row written before row {} was deleted", entry.seq));
        }
      } else if (entry.seq != expected_seq) {
        problem(entry.seq,
                fmt::format("row {} was renumbered: it should be row {}", entry.seq, expected_seq));
      }
      expected_prev = entry.hash;
      expected_seq = entry.seq + 1;
    }

    if (verification.keyed_rows > 0 && !key) {
      verification.notices.push_back(
          fmt::format("{} rows carry the audit key: without it only their order was checked, "
                      "not their content (give the key file, or set TILSYN_AUDIT_KEY)",
                      verification.keyed_rows));
    }
    if (key && verification.keyed_rows < verification.rows) {
      verification.notices.push_back(fmt::format(
          "{} rows have no key (written before the key was configured): the plain hash chain "
          "checked them, which someone able to rewrite the database could recompute",
          verification.rows - verification.keyed_rows));
    }
    Result<std::vector<SqlRow>> head = store.Query("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head) return head.error();
    const int64_t head_seq = head->empty() ? 0 : ToInt(head->front()[0]);
    const std::string head_hash = head->empty() ? kGenesisHash : head->front()[1].value_or("");
    const int64_t last_seq = entries.empty() ? 0 : entries.back().seq;
    if (head_hash != expected_prev) {
      if (head_seq > last_seq) {
        problem(head_seq, fmt::format("rows {} to {} were deleted from the end of the log",
                                      last_seq + 1, head_seq));
      } else {
        problem(last_seq, fmt::format("the newest row, {}, is not the one last written (row {})",
                                      last_seq, head_seq));
      }
    }
    return {};
  });
  if (!status) return status.error();
  return verification;
}

}  // namespace tilsyn::server
