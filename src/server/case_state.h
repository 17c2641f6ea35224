#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/result.h"
#include "rules/catalogue.h"
#include "rules/engine.h"
#include "store/event_index.h"
#include "store/store.h"

namespace tilsyn::server {

// The case data a server instance holds in memory: the store's events (EventIndex), the engine
// over them, and the obligations evaluated as of the dates asked for. Kept current by the
// instance's own event intake, and by catching up when another instance imported.
class CaseState {
 public:
  static Result<std::unique_ptr<CaseState>> Load(Store& store, Catalogue catalogue,
                                                 unsigned threads);

  // Reloads from `store` when it has an import this state has not seen.
  Status CatchUp(Store& store);
  // Imports `incoming` (validated) into the store and the state, all or nothing.
  Result<ImportSummary> Import(Store& store, const Dataset& incoming, const std::string& source);

  // A consistent view for one request: no import changes the state while it lives.
  class Snapshot {
   public:
    explicit Snapshot(const CaseState& state) : lock_(state.mutex_), state_(&state) {}
    const Dataset& data() const { return state_->index_->data(); }
    const Engine& engine() const { return *state_->engine_; }
    const Catalogue& catalogue() const { return state_->catalogue_; }
    // Every child's obligations as of the end of `as_of`, ordered by child, then rule.
    std::shared_ptr<const std::vector<Obligation>> ObligationsAsOf(Date as_of) const;

   private:
    std::shared_lock<std::shared_mutex> lock_;
    const CaseState* state_;
  };
  Snapshot Read() const { return Snapshot(*this); }

 private:
  CaseState(Catalogue catalogue, unsigned threads)
      : catalogue_(std::move(catalogue)), threads_(threads) {}
  // After the index changed; the caller holds mutex_ exclusively.
  void Rebuild();

  Catalogue catalogue_;
  unsigned threads_;
  mutable std::shared_mutex mutex_;  // the index and engine: shared to read, exclusive to change
  std::unique_ptr<EventIndex> index_;
  std::unique_ptr<Engine> engine_;
  // Evaluated obligations by as-of date, a few dates at a time.
  mutable std::mutex cache_mutex_;
  mutable std::map<Date, std::shared_ptr<const std::vector<Obligation>>> cache_;
};

}  // namespace tilsyn::server
