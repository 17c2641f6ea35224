#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/dataset.h"
#include "core/result.h"
#include "rules/catalogue.h"
#include "rules/rates.h"

namespace tilsyn {

// Resolving the ids a request names, with errors a user can act on. Linear in the records
// searched, as Dataset::Find* are.

// The unit with `id`, or kNone (every unit) when `id` is empty; kNotFound when there is none.
Result<uint32_t> ResolveUnit(const Dataset& data, std::string_view id);
// The worker with `id`; kNotFound when there is none.
Result<uint32_t> ResolveWorker(const Dataset& data, std::string_view id);
// The child with `id`; kNotFound when there is none.
Result<uint32_t> ResolveChild(const Dataset& data, std::string_view id);
// The catalogue rule with `id`, or empty (every rule) when `id` is empty; kInvalidArgument
// listing the rules when there is none.
Result<std::optional<uint16_t>> ResolveRule(const Catalogue& catalogue, std::string_view id);
// kInvalidArgument when the period ends before it begins.
Status CheckPeriod(const Period& period);

}  // namespace tilsyn
