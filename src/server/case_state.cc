#include "server/case_state.h"

namespace tilsyn::server {
namespace {

// Dates whose obligations are kept: today, and a few others a user looks back at.
constexpr size_t kCachedDates = 8;

}  // namespace

Result<std::unique_ptr<CaseState>> CaseState::Load(Store& store, Catalogue catalogue,
                                                   unsigned threads) {
  Result<EventIndex> index = EventIndex::Load(store);
  if (!index) return std::move(index).error();
  std::unique_ptr<CaseState> state(new CaseState(std::move(catalogue), threads));
  state->index_ = std::make_unique<EventIndex>(std::move(*index));
  state->Rebuild();
  return state;
}

void CaseState::Rebuild() {
  engine_ = std::make_unique<Engine>(index_->data(), catalogue_, Calendar::Danish());
  const std::lock_guard lock(cache_mutex_);
  cache_.clear();
}

Status CaseState::CatchUp(Store& store) {
  Result<int64_t> last = store.LastImportId();
  if (!last) return last.error();
  {
    const std::shared_lock lock(mutex_);
    if (*last <= index_->last_import_id()) return {};
  }
  const std::unique_lock lock(mutex_);
  if (*last <= index_->last_import_id()) return {};  // another request caught up meanwhile
  Result<EventIndex> index = EventIndex::Load(store);
  if (!index) return index.error();
  *index_ = std::move(*index);
  Rebuild();
  return {};
}

Result<ImportSummary> CaseState::Import(Store& store, const Dataset& incoming,
                                        const std::string& source) {
  const std::unique_lock lock(mutex_);
  ImportOptions options;
  options.source = source;
  Result<ImportSummary> summary = index_->Import(store, incoming, options);
  if (summary && summary->import_id != 0) Rebuild();
  return summary;
}

std::shared_ptr<const std::vector<Obligation>> CaseState::Snapshot::ObligationsAsOf(
    Date as_of) const {
  const std::lock_guard lock(state_->cache_mutex_);
  auto& cache = state_->cache_;
  if (const auto found = cache.find(as_of); found != cache.end()) return found->second;
  auto obligations = std::make_shared<const std::vector<Obligation>>(
      state_->engine_->EvaluateAll(as_of, state_->threads_));
  if (cache.size() >= kCachedDates) cache.erase(cache.begin());
  cache.emplace(as_of, obligations);
  return obligations;
}

}  // namespace tilsyn::server
