#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/dataset.h"
#include "core/result.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "store/event_index.h"
#include "store/store.h"

namespace tilsyn::server {

// Every child's obligations as of one date, with the indexes requests look them up by.
struct Evaluation {
  std::vector<Obligation> obligations;  // by child, then rule (Engine::EvaluateAll)
  // The obligations of child c are obligations[child_begin[c], child_begin[c + 1]).
  std::vector<uint32_t> child_begin;
  // [worker]: the children whose caseworker the worker is as of the date (the latest
  // worker_assigned), open cases or not.
  std::vector<std::vector<uint32_t>> children_of_worker;

  // The obligations of the worker's children, by child: all a worklist needs.
  std::vector<Obligation> OfWorkersChildren(uint32_t worker) const;
};

// The case data a server instance holds in memory: the store's events (EventIndex), the engine
// over them, the obligations evaluated as of the dates asked for, and answers already rendered.
// Kept current by the instance's own event intake, and by catching up when another instance
// imported; every change drops the evaluations and answers.
class LiveData {
 public:
  static Result<std::unique_ptr<LiveData>> Load(Store& store, Catalogue catalogue,
                                                unsigned threads);

  // Reloads from `store` when it has an import this state has not seen.
  Status CatchUp(Store& store);
  // Imports `incoming` (validated) into the store and the state, all or nothing.
  Result<ImportSummary> Import(Store& store, const Dataset& incoming, const std::string& source);

  // A consistent view for one request: no import changes the state while it lives.
  class Snapshot {
   public:
    explicit Snapshot(const LiveData& state) : lock_(state.mutex_), state_(&state) {}
    const Dataset& data() const { return state_->index_->data(); }
    const Engine& engine() const { return *state_->engine_; }
    const Catalogue& catalogue() const { return state_->catalogue_; }
    // The index of the child with `id`, or kNone: by hash, where Dataset::FindChild searches.
    uint32_t FindChild(const std::string& id) const;
    // Every child's obligations as of the end of `as_of`.
    std::shared_ptr<const Evaluation> EvaluationAsOf(Date as_of) const;
    // An answer rendered from this data before, by a key that names everything it depends on;
    // null when there is none.
    std::shared_ptr<const std::string> CachedAnswer(const std::string& key) const;
    void CacheAnswer(const std::string& key, const std::string& body) const;

   private:
    std::shared_lock<std::shared_mutex> lock_;
    const LiveData* state_;
  };
  Snapshot Read() const { return Snapshot(*this); }

 private:
  LiveData(Catalogue catalogue, unsigned threads)
      : catalogue_(std::move(catalogue)), threads_(threads) {}
  // After the index changed; the caller holds mutex_ exclusively.
  void Rebuild();

  Catalogue catalogue_;
  unsigned threads_;
  mutable std::shared_mutex mutex_;  // the index and engine: shared to read, exclusive to change
  std::unique_ptr<EventIndex> index_;
  std::unique_ptr<Engine> engine_;
  std::unordered_map<std::string, uint32_t> child_by_id_;
  // Evaluations by as-of date, a few dates at a time, and rendered answers.
  mutable std::mutex cache_mutex_;
  mutable std::map<Date, std::shared_ptr<const Evaluation>> evaluations_;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> answers_;
};

}  // namespace tilsyn::server
