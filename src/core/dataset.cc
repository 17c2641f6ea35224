#include "core/dataset.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace tilsyn {
namespace {

constexpr std::array<std::string_view, 4> kUnitKindNames = {"municipality", "department",
                                                            "district", "team"};

template <typename Row>
uint32_t FindById(const std::vector<Row>& rows, std::string_view id) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].id == id) return static_cast<uint32_t>(i);
  }
  return kNone;
}

// The order of a child's events (see Dataset).
bool Before(const Dataset& data, const Event& x, const Event& y) {
  if (x.at != y.at) return x.at < y.at;
  if (x.type != y.type) return x.type < y.type;
  return data.event_ids.Text(x.id) < data.event_ids.Text(y.id);
}

bool IsEmpty(const EventDetails& details) {
  return details.legal_basis == kNone && details.reason == kNone &&
         details.amount_ore == EventDetails::kNoAmount;
}

// The entry of `detail_links` for an event that has details. The last event read or inserted is
// the usual one asked for while writing it, so the end is tried first.
std::vector<Dataset::DetailLink>::const_iterator FindDetailLink(const Dataset& data,
                                                                uint32_t event) {
  const std::vector<Dataset::DetailLink>& links = data.detail_links;
  if (links.back().event == event) return links.end() - 1;
  return std::lower_bound(
      links.begin(), links.end(), event,
      [](const Dataset::DetailLink& link, uint32_t position) { return link.event < position; });
}

// Sets `range_starts` for ranges that tile `events` in child order.
void SetRangeStarts(Dataset& data) {
  data.range_starts.clear();
  for (uint32_t child = 0; child < data.child_begin.size(); ++child) {
    if (data.child_begin[child] != data.child_end[child]) {
      data.range_starts.push_back({data.child_begin[child], child});
    }
  }
}

}  // namespace

std::string_view UnitKindName(UnitKind kind) { return kUnitKindNames[static_cast<size_t>(kind)]; }

std::optional<UnitKind> ParseUnitKind(std::string_view name) {
  for (size_t i = 0; i < kUnitKindNames.size(); ++i) {
    if (kUnitKindNames[i] == name) return static_cast<UnitKind>(i);
  }
  return std::nullopt;
}

uint32_t Dataset::FindUnit(std::string_view id) const { return FindById(units, id); }
uint32_t Dataset::FindWorker(std::string_view id) const { return FindById(workers, id); }
uint32_t Dataset::FindChild(std::string_view id) const { return FindById(children, id); }

void ArrangeEventsByChild(Dataset& data, std::vector<uint32_t> child_of) {
  ++data.layout_generation;
  data.dead_events = 0;
  const auto count = static_cast<uint32_t>(data.events.size());

  // Bucket the events by child (a counting sort), then sort each child's few events.
  data.child_begin.assign(data.children.size() + 1, 0);
  for (const uint32_t child : child_of) ++data.child_begin[child + 1];
  std::partial_sum(data.child_begin.begin(), data.child_begin.end(), data.child_begin.begin());
  data.child_end.assign(data.child_begin.begin() + 1, data.child_begin.end());
  data.child_begin.pop_back();
  std::vector<uint32_t> order(count);  // order[new position] = old position
  {
    std::vector<uint32_t> next(data.child_begin.begin(), data.child_begin.end());
    for (uint32_t i = 0; i < count; ++i) order[next[child_of[i]]++] = i;
  }
  child_of = {};
  const auto before = [&](uint32_t a, uint32_t b) {
    return Before(data, data.events[a], data.events[b]);
  };
  for (size_t child = 0; child < data.children.size(); ++child) {
    std::sort(order.begin() + data.child_begin[child], order.begin() + data.child_end[child],
              before);
  }
  std::vector<uint32_t> position(count);
  for (uint32_t i = 0; i < count; ++i) position[order[i]] = i;

  // Apply the permutation in place, cycle by cycle.
  const bool has_rows = !data.source.event_rows.empty();
  for (uint32_t start = 0; start < count; ++start) {
    if (order[start] == start) continue;
    const Event first = data.events[start];
    const uint32_t first_row = has_rows ? data.source.event_rows[start] : 0;
    uint32_t current = start;
    while (order[current] != start) {
      const uint32_t from = order[current];
      data.events[current] = data.events[from];
      if (has_rows) data.source.event_rows[current] = data.source.event_rows[from];
      order[current] = current;
      current = from;
    }
    data.events[current] = first;
    if (has_rows) data.source.event_rows[current] = first_row;
    order[current] = current;
  }
  for (Event& event : data.events) {
    if (event.ref != kNone) event.ref = position[event.ref];
  }
  for (Dataset::DetailLink& link : data.detail_links) link.event = position[link.event];
  std::sort(
      data.detail_links.begin(), data.detail_links.end(),
      [](const Dataset::DetailLink& a, const Dataset::DetailLink& b) { return a.event < b.event; });
  SetRangeStarts(data);
}

uint32_t Dataset::ChildAt(uint32_t event) const {
  const auto after = std::upper_bound(range_starts.begin(), range_starts.end(), event,
                                      [](uint32_t p, const RangeStart& r) { return p < r.begin; });
  if (after == range_starts.begin()) return kNone;
  const RangeStart& range = *(after - 1);
  // An entry of a range a child's events have left leads to a child whose range is elsewhere.
  const bool current = child_begin[range.child] == range.begin && event < child_end[range.child];
  return current ? range.child : kNone;
}

const EventDetails* Dataset::DetailsOf(uint32_t event) const {
  if (!events[event].has_details()) return nullptr;
  return &detail_records[FindDetailLink(*this, event)->record];
}

std::string_view Dataset::LegalBasisOf(uint32_t event) const {
  const EventDetails* details = DetailsOf(event);
  if (details == nullptr || details->legal_basis == kNone) return {};
  return detail_texts.Text(details->legal_basis);
}

std::string_view Dataset::ReasonOf(uint32_t event) const {
  const EventDetails* details = DetailsOf(event);
  if (details == nullptr || details->reason == kNone) return {};
  return detail_texts.Text(details->reason);
}

std::optional<int64_t> Dataset::AmountOreOf(uint32_t event) const {
  const EventDetails* details = DetailsOf(event);
  if (details == nullptr || details->amount_ore == EventDetails::kNoAmount) return {};
  return details->amount_ore;
}

void Dataset::AddDetails(const EventDetails& details) {
  if (IsEmpty(details)) return;
  detail_links.push_back(
      {static_cast<uint32_t>(events.size() - 1), static_cast<uint32_t>(detail_records.size())});
  detail_records.push_back(details);
  events.back().flags |= Event::kDetailsBit;
}

EventDetails Dataset::MakeDetails(std::string_view legal_basis, std::string_view reason,
                                  std::optional<int64_t> amount_ore) {
  EventDetails made;
  if (!legal_basis.empty()) made.legal_basis = detail_texts.Intern(legal_basis);
  if (!reason.empty()) made.reason = detail_texts.Intern(reason);
  if (amount_ore) made.amount_ore = *amount_ore;
  return made;
}

uint32_t InsertEvent(Dataset& data, uint32_t child, const Event& event, EventDetails details) {
  while (data.child_begin.size() < data.children.size()) {
    data.child_begin.push_back(static_cast<uint32_t>(data.events.size()));
    data.child_end.push_back(static_cast<uint32_t>(data.events.size()));
  }
  const uint32_t begin = data.child_begin[child];
  const uint32_t end = data.child_end[child];
  const bool keep_rows = data.source.event_rows.size() == data.events.size();
  std::vector<Dataset::DetailLink>& links = data.detail_links;
  Event added = event;
  added.flags = static_cast<uint16_t>(added.flags & ~Event::kDetailsBit);
  uint32_t record = kNone;
  if (!IsEmpty(details)) {
    record = static_cast<uint32_t>(data.detail_records.size());
    data.detail_records.push_back(details);
    added.flags |= Event::kDetailsBit;
  }
  const auto moved_begin = static_cast<uint32_t>(data.events.size());
  // Where the new event goes among the child's events, and the shift of positions.
  uint32_t insert_at = end;
  while (insert_at > begin && Before(data, event, data.events[insert_at - 1])) --insert_at;
  const auto moved = [&](uint32_t old_position) {
    return moved_begin + (old_position - begin) + (old_position >= insert_at ? 1 : 0);
  };
  const uint32_t position = moved_begin + (insert_at - begin);
  if (end == moved_begin) {
    // The child is already last: insert in place, no dead slots.
    data.events.insert(data.events.begin() + insert_at, added);
    // The links of the events after the new one move with them; they are the last links.
    size_t k = links.size();
    for (; k > 0 && links[k - 1].event >= insert_at; --k) ++links[k - 1].event;
    if (record != kNone)
      links.insert(links.begin() + static_cast<ptrdiff_t>(k), {insert_at, record});
    if (keep_rows) data.source.event_rows.insert(data.source.event_rows.begin() + insert_at, 0);
    // Refs are positions from before the insertion, the new event's too.
    for (uint32_t i = begin; i <= end; ++i) {
      Event& e = data.events[i];
      if (e.ref != kNone && e.ref >= insert_at) ++e.ref;
    }
    if (begin == end) data.range_starts.push_back({begin, child});
    data.child_end[child] = end + 1;
    return insert_at;
  }
  // Grow geometrically: an exact reserve would copy the whole data set on every insertion.
  const size_t needed = data.events.size() + (end - begin) + 1;
  if (data.events.capacity() < needed) {
    data.events.reserve(std::max(needed, 2 * data.events.capacity()));
    if (keep_rows) data.source.event_rows.reserve(data.events.capacity());
  }
  const auto move_to_end = [&](uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) {
      Event copy = data.events[i];
      if (copy.ref != kNone) copy.ref = moved(copy.ref);
      if (copy.has_details()) {
        links.push_back(
            {static_cast<uint32_t>(data.events.size()), FindDetailLink(data, i)->record});
      }
      data.events.push_back(copy);
      data.events[i].id = kNone;
      if (keep_rows) data.source.event_rows.push_back(data.source.event_rows[i]);
    }
  };
  move_to_end(begin, insert_at);
  if (added.ref != kNone) added.ref = moved(added.ref);
  if (record != kNone) links.push_back({static_cast<uint32_t>(data.events.size()), record});
  data.events.push_back(added);
  if (keep_rows) data.source.event_rows.push_back(0);
  move_to_end(insert_at, end);
  data.child_begin[child] = moved_begin;
  data.child_end[child] = static_cast<uint32_t>(data.events.size());
  data.range_starts.push_back({moved_begin, child});
  data.dead_events += end - begin;
  if (4 * data.dead_events > data.events.size()) {
    const uint32_t offset = position - data.child_begin[child];
    CompactEvents(data);
    return data.child_begin[child] + offset;
  }
  return position;
}

namespace {

// Heap bytes of a string beyond the object itself (none while it fits the small-string buffer).
size_t HeapBytes(const std::string& text) {
  return text.capacity() > std::string().capacity() ? text.capacity() + 1 : 0;
}

template <typename T>
size_t VectorBytes(const std::vector<T>& values) {
  return values.capacity() * sizeof(T);
}

}  // namespace

size_t MemoryBytes(const Dataset& data) {
  size_t bytes = VectorBytes(data.units) + VectorBytes(data.workers) + VectorBytes(data.children) +
                 VectorBytes(data.events) + VectorBytes(data.detail_links) +
                 VectorBytes(data.detail_records) + VectorBytes(data.child_begin) +
                 VectorBytes(data.child_end) + VectorBytes(data.range_starts);
  for (const Unit& unit : data.units) bytes += HeapBytes(unit.id) + HeapBytes(unit.name);
  for (const Worker& worker : data.workers) bytes += HeapBytes(worker.id) + HeapBytes(worker.name);
  for (const Child& child : data.children) bytes += HeapBytes(child.id) + HeapBytes(child.cpr_hash);
  for (const Interner* table : {&data.event_ids, &data.measure_ids, &data.measure_types,
                                &data.rule_ids, &data.detail_texts}) {
    bytes += table->MemoryBytes();
  }
  const DatasetSource& source = data.source;
  bytes += VectorBytes(source.unit_rows) + VectorBytes(source.worker_rows) +
           VectorBytes(source.child_rows) + VectorBytes(source.event_rows);
  return bytes;
}

size_t LiveEventCount(const Dataset& data) { return data.events.size() - data.dead_events; }

void CompactEvents(Dataset& data) {
  ++data.layout_generation;
  const bool keep_rows = data.source.event_rows.size() == data.events.size();
  std::vector<Event> events;
  std::vector<Dataset::DetailLink> links;
  std::vector<uint32_t> rows;
  events.reserve(LiveEventCount(data));
  links.reserve(data.detail_links.size());
  for (size_t child = 0; child < data.child_begin.size(); ++child) {
    const uint32_t begin = data.child_begin[child];
    const uint32_t end = data.child_end[child];
    const auto new_begin = static_cast<uint32_t>(events.size());
    for (uint32_t i = begin; i < end; ++i) {
      Event e = data.events[i];
      if (e.ref != kNone) e.ref = e.ref - begin + new_begin;
      if (e.has_details()) {
        links.push_back({static_cast<uint32_t>(events.size()), FindDetailLink(data, i)->record});
      }
      events.push_back(e);
      if (keep_rows) rows.push_back(data.source.event_rows[i]);
    }
    data.child_begin[child] = new_begin;
    data.child_end[child] = static_cast<uint32_t>(events.size());
  }
  data.events = std::move(events);
  data.dead_events = 0;
  SetRangeStarts(data);
  data.detail_links = std::move(links);
  if (keep_rows) data.source.event_rows = std::move(rows);
  ReserveForInsertions(data);
}

void ShrinkToFit(Dataset& data) {
  data.events.shrink_to_fit();
  data.detail_links.shrink_to_fit();
  data.detail_records.shrink_to_fit();
  data.child_begin.shrink_to_fit();
  data.child_end.shrink_to_fit();
  data.range_starts.shrink_to_fit();
  data.source.event_rows.shrink_to_fit();
  for (Interner* table : {&data.event_ids, &data.measure_ids, &data.measure_types, &data.rule_ids,
                          &data.detail_texts}) {
    table->ShrinkToFit();
  }
}

void ReserveForInsertions(Dataset& data) {
  // Compaction comes when dead slots pass a quarter of the events: at most 4/3 of the live ones,
  // plus the last child moved.
  const size_t room = LiveEventCount(data) / 3 + 4096;
  const size_t capacity = data.events.size() + room;
  const bool keep_rows = data.source.event_rows.size() == data.events.size();
  data.events.reserve(capacity);
  // New events bring new ids: room for them too, at the average length of those held.
  const size_t ids = data.event_ids.size();
  const size_t id_bytes = ids == 0 ? kTypicalIdBytes : data.event_ids.TextBytes() / ids + 1;
  data.event_ids.ReserveText(room, room * id_bytes);
  if (keep_rows) data.source.event_rows.reserve(capacity);
}

}  // namespace tilsyn
