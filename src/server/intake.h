#pragma once

#include <string_view>

#include "core/dataset.h"
#include "core/result.h"
#include "ingest/interchange_reader.h"

namespace tilsyn::server {

// Reads posted interchange records, {"units": [...], "workers": [...], "children": [...],
// "events": [...]} with every key optional and each record an object of the interchange format's
// fields, into a data set to import, with the same validation as an import of files. The records
// of `stored` that the post does not repeat complete it (all units, workers and children, and the
// stored events of the children the posted events belong to), so that a post may hold only new
// events that refer to stored ones. Errors name the posted record as "events:N:column", N counting
// the array's elements from 1.
Result<Dataset> ReadPostedRecords(std::string_view body, const Dataset& stored,
                                  const ReadOptions& options);

}  // namespace tilsyn::server
