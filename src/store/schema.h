#pragma once

#include <span>
#include <string_view>

#include "core/result.h"

namespace tilsyn {

// One step of the schema, in both dialects side by side so that they stay the same logical schema.
// The steps a database lacks are applied in order in one transaction, each recorded in
// schema_migrations.
// A released step never changes: a change is a new step. A step with no text for one engine changes
// nothing there but is recorded all the same, so both engines count the same versions.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgres;
};

std::span<const Migration> Migrations();
inline int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

// An error when a database (named `where` in the message) has a schema newer than this program
// knows: it must not write to it.
Status CheckSchemaIsKnown(std::string_view where, int version);

}  // namespace tilsyn
