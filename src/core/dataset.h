#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/interner.h"
#include "core/time.h"

namespace tilsyn {

enum class UnitKind : uint8_t { kMunicipality, kDepartment, kDistrict, kTeam };
std::string_view UnitKindName(UnitKind kind);
std::optional<UnitKind> ParseUnitKind(std::string_view name);

// An organisational unit (kommune, afdeling, distrikt, team).
// What an id (event, child) takes on average, in bytes: for reserving id tables up front.
inline constexpr size_t kTypicalIdBytes = 12;

struct Unit {
  std::string id;
  std::string name;
  uint32_t parent = kNone;  // index in Dataset::units; kNone for a municipality
  UnitKind kind = UnitKind::kTeam;
};

// A caseworker or leader.
struct Worker {
  std::string id;
  std::string name;
  uint32_t unit = kNone;
  double fte = 1.0;
};

// A child, known by a pseudonymous id. The CPR number itself is never kept: only its keyed hash.
struct Child {
  std::string id;
  Date birth_date;
  uint32_t unit = kNone;
  std::string cpr_hash;  // hex HMAC-SHA256 of the CPR number; empty when none was given
};

// The parts of an event the engine never reads, kept for storage and display: codes into the
// Dataset's `detail_texts`, not a pair of strings. Few events have any (a decision's legal basis,
// a retraction's reason, a measure's cost), so the Dataset keeps them apart, by index. Read and
// make them through the Dataset (LegalBasisOf, ReasonOf, AmountOreOf, MakeDetails, AddDetails).
struct EventDetails {
  uint32_t legal_basis = kNone;
  uint32_t reason = kNone;
  int64_t amount_ore = kNoAmount;  // monthly cost in øre, 1/100 DKK (measure_started)

  static constexpr int64_t kNoAmount = INT64_MIN;
};

// Where the records of a data set read from files came from, for messages about them after
// reading (an import conflict names the file and row). Empty for a data set loaded from a store.
struct DatasetSource {
  std::string units_file, workers_file, children_file, events_file;
  std::vector<uint32_t> unit_rows, worker_rows, child_rows;  // parallel to the records
  std::vector<uint32_t> event_rows;                          // parallel to Dataset::events
};

// A municipality's (or several municipalities') case data in the engine's layout: every child's
// events contiguous in `events`, sorted by (at, type, event id) so that the order depends only on
// content, never on input row order.
struct Dataset {
  std::vector<Unit> units;
  std::vector<Worker> workers;
  std::vector<Child> children;
  std::vector<Event> events;
  // The events that have details (Event::has_details), ascending by position, each with its
  // index in `detail_records`. After InsertEvent, also the entries of dead slots, until
  // CompactEvents.
  struct DetailLink {
    uint32_t event;
    uint32_t record;
  };
  std::vector<DetailLink> detail_links;
  std::vector<EventDetails> detail_records;
  // Each child's events are events[child_begin[c], child_end[c]). Right after reading or loading
  // the ranges tile `events` in child order; after InsertEvent, `events` may also hold dead slots
  // (id == kNone) outside every range, until CompactEvents. Iterate by child, not over all.
  std::vector<uint32_t> child_begin;
  std::vector<uint32_t> child_end;
  // Where each non-empty range began, ascending by position, for ChildAt. InsertEvent appends
  // the range it moves a child's events to; the entry of the old range stays (it leads to a
  // child whose range is elsewhere now) until CompactEvents.
  struct RangeStart {
    uint32_t begin;
    uint32_t child;
  };
  std::vector<RangeStart> range_starts;

  Interner event_ids;
  Interner measure_ids;
  Interner measure_types;
  Interner rule_ids;
  Interner detail_texts;  // legal bases and reasons of EventDetails

  DatasetSource source;

  // Changes whenever events move for every child (ArrangeEventsByChild, CompactEvents), so that
  // whoever holds event positions knows to recompute them.
  uint32_t layout_generation = 0;
  // Slots in `events` outside every child's range (InsertEvent leaves them; CompactEvents ends
  // them).
  size_t dead_events = 0;

  std::span<const Event> EventsOf(uint32_t child) const {
    return {events.data() + child_begin[child], events.data() + child_end[child]};
  }
  uint32_t FirstEventOf(uint32_t child) const { return child_begin[child]; }
  // The child whose events hold position `event`; kNone for a dead slot. A binary search.
  uint32_t ChildAt(uint32_t event) const;

  // An event's details; empty (or nullopt) when the event has none.
  std::string_view LegalBasisOf(uint32_t event) const;
  std::string_view ReasonOf(uint32_t event) const;
  std::optional<int64_t> AmountOreOf(uint32_t event) const;
  // Details for an event of this data set (an empty text is none).
  EventDetails MakeDetails(std::string_view legal_basis, std::string_view reason,
                           std::optional<int64_t> amount_ore);
  // Keeps the details of the event appended last to `events` (while reading or loading), unless
  // there are none.
  void AddDetails(const EventDetails& details);
  // An event's details; null when it has none. A binary search, for an event that has some.
  const EventDetails* DetailsOf(uint32_t event) const;

  // Indexes by id; kNone when absent. Linear in the number of units/workers/children: build a
  // map for repeated lookups.
  uint32_t FindUnit(std::string_view id) const;
  uint32_t FindWorker(std::string_view id) const;
  uint32_t FindChild(std::string_view id) const;
};

// Puts the events, given in any order with `ref` as positions in that order and
// `child_of[i]` the child of events[i], into the engine's layout: each child's events contiguous
// (children in index order) and sorted by (at, type, event id), refs remapped, and
// `detail_links` and `source.event_rows` (when not empty) moved along. Sets the child ranges. In
// place: the events are never held twice.
void ArrangeEventsByChild(Dataset& data, std::vector<uint32_t> child_of);

// Adds one event to a data set in the engine's layout, keeping its child's events contiguous and
// in order; the cost is that child's events, not the data set's. `event` is complete (worker,
// codes; `ref` the position of an event of the same child, or kNone), with the `details` it has.
// The child's events move to the end of `events`, and their old slots die; positions of other
// children's events do not change. Returns the new event's position. Compacts when dead slots pass
// a quarter of `events`.
uint32_t InsertEvent(Dataset& data, uint32_t child, const Event& event, EventDetails details = {});

// Removes dead slots: each child's range in child order again, as after loading. Then reserves
// as ReserveForInsertions does.
void CompactEvents(Dataset& data);

// Reserves room for the insertions up to the next compaction, so that none of them copies the
// whole data set to grow it (the room is address space, not memory, until it is used).
void ReserveForInsertions(Dataset& data);

// Gives back the room reserved while reading or loading beyond what the data set holds (ids are
// reserved at a typical length, and a text buffer that outgrows it doubles).
void ShrinkToFit(Dataset& data);

// Bytes the data set holds in memory (capacities, string buffers, tables), for memory reports.
size_t MemoryBytes(const Dataset& data);

// The number of events in the children's ranges (`events.size()` less dead slots).
size_t LiveEventCount(const Dataset& data);

}  // namespace tilsyn
