#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/result.h"
#include "core/time.h"
#include "server/accounts.h"
#include "service/worklist.h"
#include "store/store.h"

namespace tilsyn::server {

// A user's calendar feed: a secret token in its URL (/calendar/<token>.ics) is the only credential,
// so the store keeps only the token's SHA-256, as it does for sessions.

// Creates the user's feed, replacing (so revoking) any earlier one; the new token.
Result<std::string> CreateCalendarFeed(Store& store, int64_t user_id, Instant now);
// Revokes the user's feed; kNotFound when there is none.
Status RevokeCalendarFeed(Store& store, int64_t user_id);
// When the user's feed was created; none when there is no feed.
Result<std::optional<Instant>> CalendarFeedCreated(Store& store, int64_t user_id);
// The user whose feed `token` is; none for an unknown or revoked token.
Result<std::optional<User>> FindCalendarFeedUser(Store& store, std::string_view token);

// The worklist as an iCalendar (RFC 5545) text: one VEVENT per open or overdue obligation, its
// next step and child as the summary, the rule's name and legal reference as the description;
// all-day on the due date when due at the end of a day, else at the due time in UTC. UIDs are
// stable per obligation (rule, triggering event, due date); CRLF line ends, long lines folded at 75
// octets without splitting a UTF-8 character.
std::string RenderICalendar(const Worklist& worklist, const Calendar& calendar, Instant now);

}  // namespace tilsyn::server
