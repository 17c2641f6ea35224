#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/time.h"
#include "rules/catalogue.h"

namespace tilsyn {

enum class ObligationStatus : uint8_t {
  kMet,
  kMetLate,
  kOverdue,
  kOpen,
  kExempted,
  kNotApplicable
};
inline constexpr int kObligationStatusCount = 6;
std::string_view ObligationStatusName(ObligationStatus status);    // "met_late"
std::string_view ObligationStatusDanish(ObligationStatus status);  // "overholdt for sent"

// One obligation of one child as of a date: what rule, what started it, when it is due, what
// fulfilled it and whose it is. Indices refer to the Dataset and the Catalogue it came from.
struct Obligation {
  Instant due;
  Date due_day;  // the local date of `due`
  uint32_t child = kNone;
  uint32_t trigger = kNone;       // position in Dataset::events
  uint32_t fulfilled_by = kNone;  // position in Dataset::events, or kNone
  uint32_t worker = kNone;        // index in Dataset::workers, or kNone
  uint32_t unit = kNone;          // index in Dataset::units
  uint16_t rule = 0;              // index in Catalogue::rules
  uint8_t version = 0;            // index in Rule::versions
  ObligationStatus status = ObligationStatus::kOpen;
  bool time_assumed = false;  // an hours rule where one side had only a date
};

// The engine bound to one data set and one catalogue: precomputes the mapping between their codes
// so that evaluation reads only integers. Immutable and thread-safe after construction.
class Engine {
 public:
  Engine(const Dataset& data, const Catalogue& catalogue, const Calendar& calendar);

  // Appends the obligations of one child as of the end of `as_of` to `out`. Pure: depends only on
  // that child's events, the catalogue, the calendar and `as_of`.
  void EvaluateChild(uint32_t child, Date as_of, std::vector<Obligation>& out) const;

  // All children, in parallel over `threads` threads (0 = all cores). The result is ordered by
  // child, then rule, exactly as a sequential run would give.
  std::vector<Obligation> EvaluateAll(Date as_of, unsigned threads = 0) const;

  const Dataset& data() const { return data_; }
  const Catalogue& catalogue() const { return catalogue_; }
  const Calendar& calendar() const { return calendar_; }

 private:
  struct Scratch;
  struct Measure;
  class ChildEvaluation;

  const Dataset& data_;
  const Catalogue& catalogue_;
  const Calendar& calendar_;
  std::vector<int> rule_of_code_;              // Dataset::rule_ids code → catalogue rule, or -1
  std::vector<int> follow_up_months_of_type_;  // Dataset::measure_types code → months, or 0
  std::vector<std::vector<int>> base_amount_;  // [rule][version] deadline amount, local standards
                                               // applied
};

}  // namespace tilsyn
