#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/store.h"

namespace tilsyn::server {

// What one audited act was: who, from where, what they did and to what.
struct AuditRecord {
  std::string user;    // login
  std::string client;  // client address
  std::string action;  // "read_case", "export", "import_events", "login", …
  std::string object;  // what was read or changed: "child:B001", "/api/obligations?unit=T06"
  std::string detail;  // anything more, e.g. the number of rows exported
};

// A stored row of the audit log.
struct AuditEntry {
  int64_t seq = 0;
  Instant at;
  AuditRecord record;
  std::string prev_hash, hash;
};

// The audit key: with it, each row's hash is an HMAC-SHA256 under the key (stored with the prefix
// "hmac:"), so that only who holds the key can write a row that verifies; without it, a plain
// SHA-256. The key is kept outside the database (a file, or $TILSYN_AUDIT_KEY).
using AuditKey = std::optional<std::string>;

// Appends one row to the hash-chained audit log in the store: its hash covers its content and the
// previous row's hash. Appends from all programs sharing the store are serialised.
Status AppendAudit(Store& store, const AuditRecord& record, Instant at, const AuditKey& key = {});

// What a request appends to the audit log.
struct AuditRow {
  AuditRecord record;
  Instant at;
};

// Appends rows in order, in one transaction.
Status AppendAuditRows(Store& store, std::span<const AuditRow> rows, const AuditKey& key = {});

// Whether `key` is what the log needs before a server appends to it: refuses no key when the
// newest row is keyed, and a key under which the newest keyed row does not verify (another key).
Status CheckAuditKey(Store& store, const AuditKey& key);

// The audit log of a server: requests that append at the same time share one transaction (one
// write to disk), and each returns only once its row is stored. Thread-safe.
class AuditQueue {
  struct Pending;

 public:
  // Writes through `store`, a connection of its own: a request waiting for its row holds neither
  // a request slot nor one of the pool's connections.
  AuditQueue(std::unique_ptr<Store> store, AuditKey key);
  // Writes whatever is still queued.
  ~AuditQueue();
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  // A queued row. Wait() returns once the row is durable in the store (or could not be written),
  // with the rows other requests queued meanwhile written in the same transaction.
  class Ticket {
   public:
    Status Wait();

   private:
    friend class AuditQueue;
    Ticket(AuditQueue& queue, std::shared_ptr<Pending> pending)
        : queue_(&queue), pending_(std::move(pending)) {}
    AuditQueue* queue_;
    std::shared_ptr<Pending> pending_;
  };

  // Queues `row` and returns at once; the caller may prepare its answer meanwhile, and shows it
  // only after Wait() succeeds.
  Ticket Submit(AuditRow row);
  // Submit and Wait.
  Status Append(AuditRow row) { return Submit(std::move(row)).Wait(); }

 private:
  Status WaitFor(Pending& pending);
  // Writes what has queued up; called with `lock` held, which it releases while writing.
  void WriteQueued(std::unique_lock<std::mutex>& lock);

  std::unique_ptr<Store> store_;
  AuditKey key_;
  std::mutex mutex_;
  std::condition_variable written_;  // a write ended (for the destructor)
  std::vector<std::shared_ptr<Pending>> queue_;
  bool writing_ = false;
};

struct AuditQuery {
  std::string user, action, object;  // exact matches; empty: any
  std::optional<Instant> from, to;   // inclusive
  int64_t page = 1;                  // from 1
  int64_t page_size = 50;
};
struct AuditPage {
  int64_t total = 0;                // rows matching, over all pages
  std::vector<AuditEntry> entries;  // newest first
};
Result<AuditPage> SearchAudit(Store& store, const AuditQuery& query);

// One thing wrong with the stored log, at the row numbered `seq`.
struct AuditProblem {
  int64_t seq = 0;
  std::string message;
};
struct AuditVerification {
  int64_t rows = 0;
  int64_t keyed_rows = 0;              // rows hashed under the audit key
  std::vector<AuditProblem> problems;  // in row order; empty when the chain is whole
  std::vector<std::string> notices;    // what the check could not cover, in English
};
// Recomputes the chain and names every row that was edited (its hash no longer matches), deleted
// (its successor's predecessor is missing, or rows are missing from the end) or moved (its
// predecessor is another row of the log), and a row without the key after rows with it (the log
// rewritten from there on). Rows with the key are checked for their content only with `key`;
// without it, only their order (a notice says so). With `key`, rows before the first keyed row
// (written before the key was configured) are checked by the plain chain (a notice says so).
Result<AuditVerification> VerifyAudit(Store& store, const AuditKey& key = {});

}  // namespace tilsyn::server
