#include "core/event.h"

#include <array>

namespace tilsyn {
namespace {

struct TypeNames {
  std::string_view name;
  std::string_view danish;
};

constexpr std::array<TypeNames, kEventTypeCount> kTypeNames = {{
    {"worker_assigned", "sag tildelt rådgiver"},
    {"notification_received", "underretning modtaget"},
    {"notification_assessed", "underretning vurderet"},
    {"notification_acknowledged", "kvittering til fagperson"},
    {"notifier_feedback", "tilbagemelding til fagperson"},
    {"assessment_started", "børnefaglig undersøgelse påbegyndt"},
    {"child_conversation", "børnesamtale"},
    {"conversation_waived", "børnesamtale undladt"},
    {"assessment_updated", "børnefaglig undersøgelse opdateret"},
    {"assessment_completed", "børnefaglig undersøgelse afsluttet"},
    {"decision", "afgørelse om foranstaltning"},
    {"plan_made", "handleplan / barnets plan udarbejdet eller revideret"},
    {"measure_started", "foranstaltning iværksat"},
    {"follow_up", "opfølgning"},
    {"supervision_visit", "personrettet tilsyn"},
    {"measure_ended", "foranstaltning ophørt"},
    {"aftercare_decision", "afgørelse om efterværn / ungestøtte"},
    {"case_closed", "sag afsluttet"},
    {"case_reopened", "sag genåbnet"},
    {"exemption", "undtagelse"},
    {"retraction", "annullering af en fejlregistrering"},
}};

constexpr std::array<std::string_view, kNotificationSourceCount> kSourceNames = {
    "",        "school", "daycare",   "health", "police", "hospital", "other_authority",
    "citizen", "family", "anonymous", "child",  "other"};

constexpr std::array<std::string_view, 6> kContextNames = {
    "", "assessment", "decision", "supervision", "follow_up", "other"};

constexpr std::array<std::string_view, 5> kDecisionNames = {"", "grant", "refuse", "change", "end"};

template <typename Enum, size_t N>
std::optional<Enum> Find(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 1; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  return kTypeNames[static_cast<size_t>(type)].name;
}

std::string_view EventTypeDanish(EventType type) {
  return kTypeNames[static_cast<size_t>(type)].danish;
}

std::optional<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i].name == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

std::string_view NotificationSourceName(NotificationSource source) {
  return kSourceNames[static_cast<size_t>(source)];
}

std::optional<NotificationSource> ParseNotificationSource(std::string_view name) {
  return Find<NotificationSource>(kSourceNames, name);
}

std::string_view ConversationContextName(ConversationContext context) {
  return kContextNames[static_cast<size_t>(context)];
}

std::optional<ConversationContext> ParseConversationContext(std::string_view name) {
  return Find<ConversationContext>(kContextNames, name);
}

std::string_view DecisionKindName(DecisionKind kind) {
  return kDecisionNames[static_cast<size_t>(kind)];
}

std::optional<DecisionKind> ParseDecisionKind(std::string_view name) {
  return Find<DecisionKind>(kDecisionNames, name);
}

std::string_view EventFlagName(EventFlag flag) {
  switch (flag) {
    case EventFlag::kPlacement:
      return "placement";
    case EventFlag::kProfessional:
      return "professional";
    case EventFlag::kAcute:
      return "acute";
    case EventFlag::kReasoned:
      return "reasoned";
    case EventFlag::kStatesEffort:
      return "states_effort";
    case EventFlag::kDateOnly:
      return "date_only";
  }
  return "";
}

}  // namespace tilsyn
