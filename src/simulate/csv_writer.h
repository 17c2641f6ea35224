#pragma once

#include <string>
#include <string_view>

#include "rules/catalogue.h"
#include "simulate/municipality.h"

namespace tilsyn::simulate {

// The header rows of the four interchange files (shared/spec/interchange.md), each ending in a
// newline.
std::string_view UnitsCsvHeader();
std::string_view WorkersCsvHeader();
std::string_view ChildrenCsvHeader();
std::string_view EventsCsvHeader();

// The rows of one municipality for each of the four files, without headers.
struct CsvRows {
  std::string units;
  std::string workers;
  std::string children;
  std::string events;
};

// Formats a simulated municipality as CSV rows: ids prefixed with its code, dates as YYYY-MM-DD,
// times as YYYY-MM-DDTHH:MM (Danish local time), free text quoted where it holds a comma. Appends
// straight to the strings, without a stream or an allocation per field, as the national data set
// has some ten million events.
CsvRows FormatMunicipality(const Municipality& municipality, const Catalogue& catalogue);

}  // namespace tilsyn::simulate
