#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/time.h"
#include "rules/engine.h"
#include "support/small_dataset.h"

namespace tilsyn::testing_support {

// A fixture whose data set is read (ReadDatasetText) and evaluated as of one date: the data, the
// engine on the source catalogue and the Danish calendar, and its obligations, in child order.
class EvaluatedTest : public testing::Test {
 protected:
  EvaluatedTest(std::string_view name, const DatasetText& text, Date as_of)
      : data_(ReadDatasetText(name, text)),
        engine_(data_, SourceCatalogue(), Calendar::Danish()),
        obligations_(engine_.EvaluateAll(as_of, 1)) {}

  Dataset data_;
  Engine engine_;
  std::vector<Obligation> obligations_;
};

}  // namespace tilsyn::testing_support
