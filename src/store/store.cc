#include "store/store.h"

#include <optional>

#include "store/records.h"

namespace tilsyn {

Result<Dataset> Store::Load(const LoadOptions& options) {
  if (Status status = BeginRead(); !status) return status.error();
  Result<Dataset> data = LoadWithin(options);
  Rollback();  // a read-only transaction: nothing to keep
  return data;
}

Result<Dataset> Store::LoadWithin(const LoadOptions& options) {
  DatasetLoader loader(options.details);
  if (Status status = ReadAll(loader); !status) return status.error();
  return loader.Finish();
}

Result<ImportSummary> Store::Import(const Dataset& incoming, const ImportOptions& options) {
  return InWriteTransaction([&] { return ImportWithin(incoming, options); });
}

Result<ImportSummary> Store::InWriteTransaction(
    const std::function<Result<ImportSummary>()>& write) {
  if (Status status = BeginWrite(); !status) return status.error();
  Result<ImportSummary> summary = write();
  if (!summary || summary->import_id == 0) {
    Rollback();
    return summary;
  }
  if (Status status = Commit(); !status) {
    Rollback();
    return status.error();
  }
  return summary;
}

Result<int64_t> Store::LastImportId() {
  if (Status status = BeginRead(); !status) return status.error();
  Result<int64_t> id = QueryLastImportId();
  Rollback();
  return id;
}

Result<std::vector<QueryRow>> Store::QueryReadOnly(std::string_view sql,
                                                   std::span<const std::string> params) {
  if (Status status = BeginRead(); !status) return status.error();
  Result<std::vector<QueryRow>> rows = RunReadOnlyQuery(sql, params);
  Rollback();
  return rows;
}

Result<std::vector<SqlRow>> Store::Query(std::string_view sql, std::span<const SqlValue> params) {
  return RunQuery(sql, params);
}

Status Store::InTransaction(std::string_view lock, const std::function<Status()>& body) {
  if (Status status = BeginChange(lock); !status) return status;
  if (Status status = body(); !status) {
    Rollback();
    return status;
  }
  if (Status status = Commit(); !status) {
    Rollback();
    return status;
  }
  return {};
}

Result<ImportSummary> Store::ImportWhileReading(const DatasetReader& read,
                                                const ImportOptions& options) {
  Result<Dataset> incoming = read({});
  if (!incoming) return std::move(incoming).error();
  return Import(*incoming, options);
}

ImportSummary Store::Summarize(const ImportPlan& plan) {
  ImportSummary summary;
  summary.units = {plan.units_added.size(), plan.units_updated.size(), plan.units_unchanged};
  summary.workers = {plan.workers_added.size(), plan.workers_updated.size(),
                     plan.workers_unchanged};
  summary.children = {plan.children_added.size(), plan.children_updated.size(),
                      plan.children_unchanged};
  summary.events = {plan.events_added.size(), 0, plan.events_unchanged};
  summary.stored_events_not_in_import = plan.stored_events_not_in_import;
  summary.plan = plan;
  return summary;
}

Status Store::WriteRecords(const Dataset& incoming, const ImportPlan& plan, int64_t import_id) {
  if (Status status = WriteUnits(incoming, plan.units_added, false, import_id); !status) {
    return status;
  }
  if (Status status = WriteUnits(incoming, plan.units_updated, true, import_id); !status) {
    return status;
  }
  if (Status status = WriteWorkers(incoming, plan.workers_added, false, import_id); !status) {
    return status;
  }
  if (Status status = WriteWorkers(incoming, plan.workers_updated, true, import_id); !status) {
    return status;
  }
  if (Status status = WriteChildren(incoming, plan.children_added, false, import_id); !status) {
    return status;
  }
  return WriteChildren(incoming, plan.children_updated, true, import_id);
}

Result<ImportSummary> Store::ImportWithin(const Dataset& incoming, const ImportOptions& options) {
  Result<int64_t> last_import = QueryLastImportId();
  if (!last_import) return std::move(last_import).error();
  std::optional<Dataset> loaded;
  const Dataset* stored = options.stored;
  if (stored == nullptr || options.stored_import_id != *last_import) {
    Result<Dataset> load = LoadWithin(LoadOptions{.details = true});
    if (!load) return std::move(load).error();
    loaded = std::move(*load);
    stored = &*loaded;
  }
  Result<ImportPlan> planned = PlanImport(*stored, incoming, Calendar::Danish());
  if (!planned) return std::move(planned).error();
  const ImportPlan& plan = *planned;

  ImportSummary summary = Summarize(plan);
  if (plan.ChangesNothing()) return summary;

  Result<int64_t> import_id = InsertImport(options, plan);
  if (!import_id) return std::move(import_id).error();
  summary.import_id = *import_id;
  if (Status status = WriteRecords(incoming, plan, *import_id); !status) return status.error();
  if (Status status = AppendEvents(incoming, plan.events_added, *import_id, options.progress);
      !status) {
    return status.error();
  }
  return summary;
}

}  // namespace tilsyn
