#include "analytics/case_state.h"

#include <algorithm>
#include <span>
#include <vector>

#include "core/calendar.h"

namespace tilsyn {
namespace {

// Whether `type` after a closure starts new casework (see CaseState).
bool Reopens(EventType type) {
  switch (type) {
    case EventType::kNotificationAcknowledged:
    case EventType::kNotifierFeedback:
    case EventType::kMeasureEnded:
    case EventType::kWorkerAssigned:
      return false;
    default:
      return true;
  }
}

}  // namespace

CaseState ChildCaseState(const Dataset& data, uint32_t child, Date as_of) {
  const std::span<const Event> events = data.EventsOf(child);
  const uint32_t first = data.FirstEventOf(child);
  // Positions of the events that known retractions take back. A retraction cannot name another
  // retraction, so one pass finds them all.
  std::vector<uint32_t> retracted;
  const Calendar& calendar = Calendar::Danish();
  const Instant known_end = calendar.EndOfDay(as_of);
  for (const Event& event : events) {
    if (event.at > known_end) break;  // events are in time order
    if (event.type == EventType::kRetraction && event.ref != kNone) retracted.push_back(event.ref);
  }
  CaseState state;
  for (uint32_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    if (event.at > known_end) break;
    if (event.type == EventType::kRetraction || event.type == EventType::kExemption) continue;
    if (std::find(retracted.begin(), retracted.end(), first + i) != retracted.end()) continue;
    if (event.type == EventType::kCaseClosed) {
      if (state.open()) state.closed = calendar.LocalDate(event.at);
      continue;
    }
    if (!state.opened || (state.closed && Reopens(event.type))) {
      state.opened = calendar.LocalDate(event.at);
      state.closed.reset();
    }
    if (event.type == EventType::kWorkerAssigned) state.worker = event.worker;
  }
  state.unit = state.worker != kNone ? data.workers[state.worker].unit : data.children[child].unit;
  return state;
}

}  // namespace tilsyn
