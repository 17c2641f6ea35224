#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analytics/caseload.h"
#include "core/event.h"
#include "core/result.h"
#include "core/time.h"
#include "rules/engine.h"
#include "rules/rates.h"

namespace tilsyn {

// The caseloads issue #4 asks the generator for: open cases per full-time caseworker "around
// 20–35" (the simulation staffs teams for kReferenceCaseload, 27.5, its middle). The report shows
// the share in this range beside the share in the catalogue's recommended band
// (local_standards.toml).
inline constexpr CaseloadBand kGeneratorCaseloadRange{20, 35};

// Quantiles of a set of values, by linear interpolation between the nearest ranks (the rank of
// quantile q among n sorted values is q × (n − 1), counted from 0), so that the median of an even
// number of values is the mean of the middle two. All zero when `count` is 0.
struct Distribution {
  int64_t count = 0;
  double min = 0;
  double p10 = 0;
  double median = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};
Distribution Summarise(std::vector<double> values);

struct RealismOptions {
  Date as_of;
  unsigned threads = 0;  // 0 = all cores
};

// What `tilsyn realism` reports about a data set: whether it looks like a Danish authority's.
struct RealismReport {
  Date as_of;
  // Compliance per rule over the period `tilsyn check --as-of` uses by default (the year to
  // as-of), counted as check counts it.
  Period period;
  std::vector<StatusCounts> rates;  // [catalogue rule]

  // Open cases per full-time caseworker as of as-of (analytics/caseload.h), over the caseworkers
  // who hold any.
  CaseloadBand recommended;  // the catalogue's band
  Distribution caseload;
  int64_t within_generator_range = 0;  // caseworkers within kGeneratorCaseloadRange
  int64_t within_recommended = 0;      // caseworkers within `recommended`
  int64_t open_cases = 0;
  int64_t unassigned_cases = 0;  // open cases without a caseworker

  // Events per child over the whole data set, among the children with any event.
  Distribution events_per_child;
  int64_t children = 0;            // every child of the data set
  int64_t children_with_case = 0;  // a case opened on or before as-of (CaseState::opened)
  int64_t children_with_open_case = 0;

  // notification_received events of the whole data set (retracted ones too: the simulation drew
  // their sources like the others'), per NotificationSource.
  std::array<int64_t, kNotificationSourceCount> notifications_by_source{};
  int64_t notifications = 0;
};

// Computes the report for the data set and catalogue of `engine`. An error when the catalogue has
// no recommended caseload band.
Result<RealismReport> ComputeRealism(const Engine& engine, const RealismOptions& options);

// The report for people, in Danish, as Markdown: a heading and a table per part, with the
// national figures beside the data set's.
std::string RenderRealismReport(const RealismReport& report, const Catalogue& catalogue);

}  // namespace tilsyn
