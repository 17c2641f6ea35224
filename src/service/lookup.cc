#include "service/lookup.h"

#include <fmt/format.h>

namespace tilsyn {

Result<uint32_t> ResolveUnit(const Dataset& data, std::string_view id) {
  if (id.empty()) return kNone;
  const uint32_t unit = data.FindUnit(id);
  if (unit == kNone) return NotFound(fmt::format("no unit \"{}\" in the data", id));
  return unit;
}

Result<uint32_t> ResolveWorker(const Dataset& data, std::string_view id) {
  const uint32_t worker = data.FindWorker(id);
  if (worker == kNone) return NotFound(fmt::format("no worker \"{}\" in the data", id));
  return worker;
}

Result<uint32_t> ResolveChild(const Dataset& data, std::string_view id) {
  const uint32_t child = data.FindChild(id);
  if (child == kNone) return NotFound(fmt::format("no child \"{}\" in the data", id));
  return child;
}

Result<std::optional<uint16_t>> ResolveRule(const Catalogue& catalogue, std::string_view id) {
  if (id.empty()) return std::optional<uint16_t>();
  const int rule = catalogue.FindRule(id);
  if (rule < 0) {
    return InvalidArgument(fmt::format("unknown rule \"{}\"; the rules are: {}", id,
                                       fmt::join(catalogue.RuleIds(), ", ")));
  }
  return std::optional<uint16_t>(static_cast<uint16_t>(rule));
}

Status CheckPeriod(const Period& period) {
  if (period.to < period.from) {
    return InvalidArgument(fmt::format("the period ends ({}) before it begins ({})",
                                       FormatDate(period.to), FormatDate(period.from)));
  }
  return {};
}

}  // namespace tilsyn
