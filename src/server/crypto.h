#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace tilsyn::server {

// Initialises libsodium; every other function here needs it. Safe to call more than once.
Status InitCrypto();

// An Argon2id hash of `password` in the PHC string form (salt and cost included), at libsodium's
// interactive cost.
Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches `hash` (from HashPassword). In constant time for a given hash.
bool VerifyPassword(const std::string& hash, std::string_view password);

// 32 random bytes, base64url without padding: session and CSRF tokens.
std::string RandomToken();
// A password of `length` random characters, without look-alikes (0/O/o, 1/l/I), for people to type.
std::string RandomPassword(size_t length);
// Lower-case hex SHA-256 of `text`.
std::string Sha256Hex(std::string_view text);
// Lower-case hex HMAC-SHA256 of `text` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view text);
// Equality without an early exit, for secrets.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tilsyn::server
