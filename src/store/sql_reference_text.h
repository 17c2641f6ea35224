#pragma once

#include <string_view>

// The SQL of tests/sql_reference/, embedded at build time (cmake/EmbedText.cmake). Only
// sql_reference.cc reads these; see tests/sql_reference/README.md for how they fit together.
namespace tilsyn::sql_reference_text {

// Each dialect's WITH clause up to the shared part: parameters, calendar and stored tables.
extern const std::string_view kSqlitePrelude;
extern const std::string_view kPostgresPrelude;
// The rules: CTEs that continue the prelude's WITH, ending in `counted`.
extern const std::string_view kObligations;
// The final SELECTs: counts per rule and status, or the obligations.
extern const std::string_view kCounts;
extern const std::string_view kObligationList;

}  // namespace tilsyn::sql_reference_text
