#pragma once

#include <cstdint>

#include "core/dataset.h"
#include "core/result.h"
#include "store/store.h"

namespace tilsyn {

// The engine's in-memory data set for a long-running program (the server): loaded from the store
// once at start, then kept current as data arrives through it, so the engine never reads the
// database. Each child's events stay contiguous and in order; adding events costs the children
// they belong to, not the data set. An Engine bound to data() must be rebuilt after an import
// that brings new measure types or rule ids (it maps their codes when it is built).
class EventIndex {
 public:
  // Loads everything, with details (an import compares against them).
  static Result<EventIndex> Load(Store& store);

  const Dataset& data() const { return data_; }
  int64_t last_import_id() const { return last_import_id_; }

  // Imports `incoming` into `store` (one transaction, as Store::Import, planned against this
  // index when it is current) and then applies what was written to the index. When someone
  // else imported meanwhile, the index is reloaded instead.
  Result<ImportSummary> Import(Store& store, const Dataset& incoming, ImportOptions options);

 private:
  EventIndex(Dataset data, int64_t last_import_id);
  Status Apply(const Dataset& incoming, const ImportPlan& plan);

  Dataset data_;
  int64_t last_import_id_ = 0;
  // Codes equal to positions in data_.units / workers / children.
  Interner unit_ids_, worker_ids_, child_ids_;
};

}  // namespace tilsyn
