#include "server/live_data.h"

#include "analytics/case_state.h"

namespace tilsyn::server {
namespace {

// Dates whose obligations are kept: today, and a few others a user looks back at.
constexpr size_t kCachedDates = 8;
// Rendered answers kept at most; all are dropped when the limit is reached.
constexpr size_t kCachedAnswers = 4096;

Evaluation Evaluate(const Engine& engine, Date as_of, unsigned threads) {
  const Dataset& data = engine.data();
  Evaluation evaluation;
  evaluation.obligations = engine.EvaluateAll(as_of, threads);
  evaluation.child_begin.assign(data.children.size() + 1, 0);
  for (const Obligation& obligation : evaluation.obligations) {
    ++evaluation.child_begin[obligation.child + 1];
  }
  for (size_t c = 1; c < evaluation.child_begin.size(); ++c) {
    evaluation.child_begin[c] += evaluation.child_begin[c - 1];
  }
  evaluation.children_of_worker.resize(data.workers.size());
  for (uint32_t c = 0; c < data.children.size(); ++c) {
    const uint32_t worker = ChildCaseState(data, c, as_of).worker;
    if (worker != kNone) evaluation.children_of_worker[worker].push_back(c);
  }
  return evaluation;
}

}  // namespace

std::vector<Obligation> Evaluation::OfWorkersChildren(uint32_t worker) const {
  std::vector<Obligation> out;
  for (const uint32_t child : children_of_worker[worker]) {
    out.insert(out.end(), obligations.begin() + child_begin[child],
               obligations.begin() + child_begin[child + 1]);
  }
  return out;
}

Result<std::unique_ptr<LiveData>> LiveData::Load(Store& store, Catalogue catalogue,
                                                 unsigned threads) {
  Result<EventIndex> index = EventIndex::Load(store);
  if (!index) return std::move(index).error();
  std::unique_ptr<LiveData> state(new LiveData(std::move(catalogue), threads));
  state->index_ = std::make_unique<EventIndex>(std::move(*index));
  state->Rebuild();
  return state;
}

void LiveData::Rebuild() {
  engine_ = std::make_unique<Engine>(index_->data(), catalogue_, Calendar::Danish());
  const std::vector<Child>& children = index_->data().children;
  child_by_id_.clear();
  child_by_id_.reserve(children.size());
  for (uint32_t c = 0; c < children.size(); ++c) child_by_id_.emplace(children[c].id, c);
  const std::lock_guard lock(cache_mutex_);
  evaluations_.clear();
  answers_.clear();
}

Status LiveData::CatchUp(Store& store) {
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

Result<ImportSummary> LiveData::Import(Store& store, const Dataset& incoming,
                                       const std::string& source) {
  const std::unique_lock lock(mutex_);
  ImportOptions options;
  options.source = source;
  Result<ImportSummary> summary = index_->Import(store, incoming, options);
  if (summary && summary->import_id != 0) Rebuild();
  return summary;
}

std::shared_ptr<const Evaluation> LiveData::Snapshot::EvaluationAsOf(Date as_of) const {
  const std::lock_guard lock(state_->cache_mutex_);
  auto& evaluations = state_->evaluations_;
  if (const auto found = evaluations.find(as_of); found != evaluations.end()) {
    return found->second;
  }
  auto evaluation =
      std::make_shared<const Evaluation>(Evaluate(*state_->engine_, as_of, state_->threads_));
  if (evaluations.size() >= kCachedDates) evaluations.erase(evaluations.begin());
  evaluations.emplace(as_of, evaluation);
  return evaluation;
}

uint32_t LiveData::Snapshot::FindChild(const std::string& id) const {
  const auto found = state_->child_by_id_.find(id);
  return found == state_->child_by_id_.end() ? kNone : found->second;
}

std::shared_ptr<const std::string> LiveData::Snapshot::CachedAnswer(const std::string& key) const {
  const std::lock_guard lock(state_->cache_mutex_);
  const auto found = state_->answers_.find(key);
  return found == state_->answers_.end() ? nullptr : found->second;
}

void LiveData::Snapshot::CacheAnswer(const std::string& key, const std::string& body) const {
  const std::lock_guard lock(state_->cache_mutex_);
  if (state_->answers_.size() >= kCachedAnswers) state_->answers_.clear();
  state_->answers_[key] = std::make_shared<const std::string>(body);
}

}  // namespace tilsyn::server
