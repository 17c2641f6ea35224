#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/result.h"

namespace tilsyn {

// Rows as both stores keep them: the logical schema of src/store/schema.cc, one struct per table.
// Text fields that are empty are NULL in the database. Views point into a Dataset or into the
// database driver's buffers and live as long as those.

struct UnitRow {
  std::string_view unit_id, parent_id, kind, name;
};

struct WorkerRow {
  std::string_view worker_id, name, unit_id;
  double fte = 1.0;
};

struct ChildRow {
  std::string_view child_id;
  Date birth_date;
  std::string_view unit_id, cpr_hash;
};

// A tri-state boolean column: NULL, false or true.
enum class Flag : int8_t { kNull = -1, kFalse = 0, kTrue = 1 };

struct EventRow {
  std::string_view event_id, child_id, type;
  int64_t at = 0;          // seconds since 1970-01-01T00:00Z
  bool date_only = false;  // `at` was given as a date: 00:00 local time of that date
  Date day;                // the local (Europe/Copenhagen) date of `at`, for SQL
  std::string_view worker_id, ref, measure_id, measure_type;
  Flag placement = Flag::kNull, professional = Flag::kNull, acute = Flag::kNull,
       reasoned = Flag::kNull, states_effort = Flag::kNull;
  std::string_view legal_basis, source, context, decision, rule_id, reason;
  std::optional<int64_t> amount_ore;
};

UnitRow MakeUnitRow(const Dataset& data, uint32_t unit);
WorkerRow MakeWorkerRow(const Dataset& data, uint32_t worker);
ChildRow MakeChildRow(const Dataset& data, uint32_t child);
// An event without details (Dataset::DetailsOf) has those columns NULL.
EventRow MakeEventRow(const Dataset& data, uint32_t child, uint32_t event);
// The same for an event of a data set in the engine's layout (its child found by ChildAt).
EventRow MakeEventRow(const Dataset& data, uint32_t event);

// The columns of a record in the interchange format's terms, for comparing a stored record with an
// incoming one and naming what differs: (column, text) pairs, text as an export would write it.
inline constexpr size_t kEventColumns = 20;
using EventTexts = std::array<std::pair<std::string_view, std::string>, kEventColumns>;
EventTexts EventColumnTexts(const Dataset& data, uint32_t event, const Calendar& calendar);

// Builds a Dataset in the engine's layout from rows read out of a store, in any order. Rows were
// validated when they were imported, so a row that does not fit (an unknown unit, a bad type) means
// the store was changed behind tilsyn's back: an Error of kind kDataLoss that names the row.
class DatasetLoader {
 public:
  explicit DatasetLoader(bool keep_details) : keep_details_(keep_details) {}

  void Reserve(size_t units, size_t workers, size_t children, size_t events);
  // Units, workers, children and events may each come in any order, but all units before any
  // worker or child, and all children before any event.
  Status AddUnit(const UnitRow& row);
  Status AddWorker(const WorkerRow& row);
  Status AddChild(const ChildRow& row);
  Status AddEvent(const EventRow& row);
  Result<Dataset> Finish();

 private:
  Status ResolveUnitParents();
  // The index of `id` in `ids`; otherwise sets `status` (if not yet set) to an error naming the
  // stored row (`row_kind` "`row_id`") that refers to it.
  uint32_t Lookup(const Interner& ids, std::string_view id, std::string_view what,
                  std::string_view row_kind, std::string_view row_id, Status& status) const;

  bool keep_details_;
  Dataset data_;
  Interner unit_ids_, worker_ids_, child_ids_;
  std::vector<uint32_t> child_of_;  // parallel to the events: each one's child
  std::vector<std::string> unit_parents_;
  bool units_resolved_ = false;
  // Refs whose target came later: (event position, offset and size in pending_text_).
  struct PendingRef {
    uint32_t event;
    size_t offset, size;
  };
  std::vector<PendingRef> pending_refs_;
  std::string pending_text_;
};

}  // namespace tilsyn
