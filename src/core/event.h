#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace tilsyn {

// Marks an absent index (worker, ref, measure, …).
inline constexpr uint32_t kNone = 0xFFFFFFFFu;
inline constexpr uint16_t kNoCode = 0xFFFFu;

// Event types of the interchange format. The order is the natural order of a case: events at the
// same instant sort by type, so a conversation precedes the completion it belongs to, and an
// assessment the decision it prepares.
enum class EventType : uint8_t {
  kWorkerAssigned,
  kNotificationReceived,
  kNotificationAssessed,
  kNotificationAcknowledged,
  kNotifierFeedback,
  kAssessmentStarted,
  kChildConversation,
  kConversationWaived,
  kAssessmentUpdated,
  kAssessmentCompleted,
  kDecision,
  kPlanMade,
  kMeasureStarted,
  kFollowUp,
  kSupervisionVisit,
  kMeasureEnded,
  kAftercareDecision,
  kCaseClosed,
  kCaseReopened,
  kExemption,
  kRetraction,
};
inline constexpr int kEventTypeCount = 21;

enum class NotificationSource : uint8_t {
  kUnspecified,
  kSchool,
  kDaycare,
  kHealth,
  kPolice,
  kHospital,
  kOtherAuthority,
  kCitizen,
  kFamily,
  kAnonymous,
  kChild,
  kOther,
};
inline constexpr int kNotificationSourceCount = 12;

enum class ConversationContext : uint8_t {
  kUnspecified,
  kAssessment,
  kDecision,
  kSupervision,
  kFollowUp,
  kOther,
};

enum class DecisionKind : uint8_t { kUnspecified, kGrant, kRefuse, kChange, kEnd };

// The boolean attributes of an event. Each is absent, false or true; two bits each in Event::flags.
enum class EventFlag : uint8_t {
  kPlacement,
  kProfessional,
  kAcute,
  kReasoned,
  kStatesEffort,
  kDateOnly,  // `at` was given as a date without a time of day; always present
};

// One case event in the compact form the engine reads: 32 bytes, no pointers (its local date is
// the calendar's to compute, not the event's to carry; its child is the one whose range of
// Dataset::events holds it). Strings (event id, measure id, measure type, rule id) are integer
// codes into the Dataset's tables; `ref` is the position of the referenced event in
// Dataset::events.
struct Event {
  Instant at;
  uint32_t worker = kNone;
  uint32_t ref = kNone;
  uint32_t measure = kNone;  // code in Dataset::measure_ids
  uint32_t id = kNone;       // code in Dataset::event_ids; kNone marks a dead slot (InsertEvent)
  // The measure type's code in Dataset::measure_types for a decision or a measure_started, the
  // rule's code in Dataset::rule_ids for an exemption (no event type has both); else kNoCode.
  // Read it through measure_type() and rule().
  uint16_t code = kNoCode;
  EventType type = EventType::kWorkerAssigned;
  NotificationSource source = NotificationSource::kUnspecified;
  ConversationContext context = ConversationContext::kUnspecified;
  DecisionKind decision = DecisionKind::kUnspecified;
  // EventFlag values, two bits each from bit 0; bit 15 is kDetailsBit.
  uint16_t flags = 0;

  // Set when the Dataset keeps details for the event (Dataset::detail_links).
  static constexpr uint16_t kDetailsBit = 0x8000;
  bool has_details() const { return (flags & kDetailsBit) != 0; }

  uint16_t measure_type() const { return type == EventType::kExemption ? kNoCode : code; }
  uint16_t rule() const { return type == EventType::kExemption ? code : kNoCode; }
  bool Has(EventFlag flag) const { return (flags >> (2 * static_cast<int>(flag))) & 2u; }
  // The flag's value; false when absent.
  bool Is(EventFlag flag) const { return (flags >> (2 * static_cast<int>(flag))) & 1u; }
  void Set(EventFlag flag, bool value) {
    const int shift = 2 * static_cast<int>(flag);
    flags = static_cast<uint16_t>((flags & ~(3u << shift)) | ((2u | (value ? 1u : 0u)) << shift));
  }
  bool date_only() const { return Is(EventFlag::kDateOnly); }
};

static_assert(sizeof(Event) == 32, "the engine's memory budget counts on 32-byte events");

// Interchange names ("notification_received") and Danish names ("underretning modtaget").
std::string_view EventTypeName(EventType type);
std::string_view EventTypeDanish(EventType type);
std::optional<EventType> ParseEventType(std::string_view name);
std::string_view NotificationSourceName(NotificationSource source);
std::optional<NotificationSource> ParseNotificationSource(std::string_view name);
std::string_view ConversationContextName(ConversationContext context);
std::optional<ConversationContext> ParseConversationContext(std::string_view name);
std::string_view DecisionKindName(DecisionKind kind);
std::optional<DecisionKind> ParseDecisionKind(std::string_view name);
std::string_view EventFlagName(EventFlag flag);  // the interchange column, e.g. "states_effort"

}  // namespace tilsyn
