#include "core/dataset.h"

#include <array>

namespace tilsyn {
namespace {

constexpr std::array<std::string_view, 4> kUnitKindNames = {"municipality", "department",
                                                            "district", "team"};

template <typename Row>
uint32_t FindById(const std::vector<Row>& rows, std::string_view id) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].id == id) return static_cast<uint32_t>(i);
  }
  return kNone;
}

}  // namespace

std::string_view UnitKindName(UnitKind kind) { return kUnitKindNames[static_cast<size_t>(kind)]; }

std::optional<UnitKind> ParseUnitKind(std::string_view name) {
  for (size_t i = 0; i < kUnitKindNames.size(); ++i) {
    if (kUnitKindNames[i] == name) return static_cast<UnitKind>(i);
  }
  return std::nullopt;
}

uint32_t Dataset::FindUnit(std::string_view id) const { return FindById(units, id); }
uint32_t Dataset::FindWorker(std::string_view id) const { return FindById(workers, id); }
uint32_t Dataset::FindChild(std::string_view id) const { return FindById(children, id); }

}  // namespace tilsyn
