#pragma once

#include <string>
#include <string_view>

#include "core/dataset.h"
#include "rules/catalogue.h"
#include "support/synthetic.h"

namespace tilsyn::testing_support {

// A data set written out in a test: the four files of the interchange format as CSV text, each
// with its header row.
struct DatasetText {
  std::string units;
  std::string workers;
  std::string children;
  std::string events;
};

// The rule catalogue of the source tree (rules/), loaded once.
const Catalogue& SourceCatalogue();

// Writes `text` to a fresh directory under the temporary directory, named after `name`, and reads
// it as a data set with the real reader (exemptions may name the catalogue's rules). Throws
// std::runtime_error with the reader's message when the data set is invalid, failing the test.
Dataset ReadDatasetText(std::string_view name, const DatasetText& text);

// Writes a synthetic data set (support/synthetic.h) of `options` to a fresh directory named after
// `name` and reads it back, as ReadDatasetText does.
Dataset ReadSyntheticDataset(std::string_view name, const SyntheticOptions& options);

}  // namespace tilsyn::testing_support
