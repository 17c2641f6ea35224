#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace tilsyn::testing_support {

// Writes a valid data set in the interchange format whose case histories follow no story: every
// event type at random, crowded onto a few days per child so that events share a day or an
// instant, date-only and timed (near midnight, on DST changes, on holidays), answers referring to
// any notification, decisions of every kind, measures started twice or ended before they start,
// and retractions and exemptions of anything. Where the realistic synthetic data agree by
// construction, this finds the corners where two readings of the rules part. Deterministic for a
// seed. Exemptions name rules from `rule_ids` (the catalogue's).
Status WriteIrregularDataset(const std::filesystem::path& dir, int children, uint64_t seed,
                             const std::vector<std::string>& rule_ids);

}  // namespace tilsyn::testing_support
