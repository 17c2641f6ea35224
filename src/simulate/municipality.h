#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/time.h"
#include "rules/catalogue.h"
#include "simulate/organisation.h"
#include "simulate/texts.h"

namespace tilsyn::simulate {

// One municipality to simulate.
struct MunicipalitySpec {
  std::string code;      // prefix of every id, e.g. "K07"
  std::string name;      // "Birkelund Kommune"
  int64_t children = 0;  // children aged 0–17 living in the municipality
  uint64_t seed = 0;     // this municipality's own stream
};

// The dates whose case data is written: every child with an event from `first` to `last`, with
// the history of their case; nothing after `last`.
struct HistoryWindow {
  Date first;
  Date last;
};

// The legal basis a decision states: the law in force on its date and, for placements, whether
// the parents consented.
enum class LegalBasis : uint8_t {
  kNone,
  kServiceloven,
  kBarnetsLov,
  kServicelovenWithoutConsent,
  kBarnetsLovWithoutConsent,
};

// One case event of one child. References are positions among the same child's events.
struct CaseEvent {
  Date day;
  int16_t minute = -1;  // minute of the local day, or -1 for an event recorded by date only
  EventType type = EventType::kWorkerAssigned;
  NotificationSource source = NotificationSource::kUnspecified;
  ConversationContext context = ConversationContext::kUnspecified;
  DecisionKind decision = DecisionKind::kUnspecified;
  Text reason = Text::kNone;
  LegalBasis legal_basis = LegalBasis::kNone;
  uint16_t flags = 0;               // as Event::flags (core/event.h); kDateOnly is not used
  uint16_t rule = kNoCode;          // exemptions: index in Catalogue::rules
  uint16_t measure = 0;             // the child's measure number (1, 2, …), 0 for none
  uint16_t measure_type = kNoCode;  // decisions and starts: index in Catalogue::measure_types
  uint32_t worker = kNone;          // index in Municipality::workers
  uint32_t ref = kNone;             // position among the child's events
  uint32_t amount = 0;              // measure_started: DKK per month

  bool Has(EventFlag flag) const { return (flags >> (2 * static_cast<int>(flag))) & 2u; }
  bool Is(EventFlag flag) const { return (flags >> (2 * static_cast<int>(flag))) & 1u; }
  void Set(EventFlag flag, bool value) {
    const int shift = 2 * static_cast<int>(flag);
    flags = static_cast<uint16_t>((flags & ~(3u << shift)) | ((2u | (value ? 1u : 0u)) << shift));
  }
};

// A child in the data set; its id is the municipality's code, "-B" and `number`.
struct SimulatedChild {
  Date birth;
  uint32_t unit = 0;    // index in Municipality::units: the team that has (or last had) the case
  uint32_t number = 0;  // 1, 2, … in order of the first notification
  uint32_t first_event = 0;  // the child's events are events[first_event, end_event)
  uint32_t end_event = 0;
};

// A simulated municipality, ready to be written: its organisation, the staff who appear in its
// data or work there at the end, and every child with an event in the window, with the history of
// their case in the engine's order (day, minute, type).
struct Municipality {
  std::string code;
  std::string name;
  int64_t population = 0;  // children aged 0–17 on the window's last day
  int64_t cases = 0;       // case episodes opened or reopened in the children's histories
  std::vector<OrgUnit> units;
  std::vector<StaffMember> workers;
  std::vector<SimulatedChild> children;
  std::vector<CaseEvent> events;
};

// Simulates one municipality from 18 years before the window (so that every child alive in it
// was born in the simulation and has its whole history) to the window's last day. Deterministic
// for a spec, window and catalogue. Adds to `progress`, when not null, one unit per simulated day
// per child (see SimulationWork).
Municipality SimulateMunicipality(const MunicipalitySpec& spec, const HistoryWindow& window,
                                  const Catalogue& catalogue, std::atomic<uint64_t>* progress);

// The share of all notifications a source sends nationally, as the simulation draws them before
// the child's age shifts them (schools more for school children, police more for teenagers); 0 for
// kUnspecified. The shares sum to 1.
double NationalSourceShare(NotificationSource source);

// What SimulateMunicipality adds to `progress` in all for a spec and window.
uint64_t SimulationWork(const MunicipalitySpec& spec, const HistoryWindow& window);

}  // namespace tilsyn::simulate
