#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/dataset.h"
#include "core/result.h"

namespace tilsyn {

struct ReadOptions {
  // The ids a `rule_id` of an exemption may name (the catalogue's rules). Empty: any id.
  std::vector<std::string> known_rule_ids;
  // Key for the keyed hash of CPR numbers. Without it, CPR numbers still give birth dates but no
  // hash is kept (a caller that stores data must refuse CPR without a key).
  std::optional<std::string> cpr_key;
  // Makes a CPR number without `cpr_key` an error in its cell: for callers that store the data.
  bool cpr_needs_key = false;
  // Stop listing errors after this many (the total is still reported).
  size_t max_errors = 100;
  // Called on the reading thread for each event as soon as its row is read, while no error has
  // been found in any table, so that a caller may store events while the rest is still being
  // read: `data` is the data set so far (valid during the call only), `child` the event's child,
  // `event` the event's position in it, which is also its id's code in `data.event_ids` and stays
  // so in the data set returned, and `expected` about how many events the table holds. Not called
  // for an event whose ref names a later row: its ref is only known at the end.
  std::function<void(const Dataset& data, uint32_t child, uint32_t event, size_t expected)>
      on_event;
};

// One table of a data set (units, workers, children or events) as a physical format (CSV, and
// later XLSX or JSON Lines) hands it to validation: column names, then rows of cells, each with
// its row number in the file. Validation never sees the format, so every format is checked alike.
class TableSource {
 public:
  virtual ~TableSource() = default;

  // The file name used in messages, e.g. "events.csv".
  virtual std::string_view Name() const = 0;
  // The column names of the header, in the order of the cells.
  virtual std::span<const std::string> Columns() const = 0;
  // Moves to the next row: true when there is one, false at the end. An Error (a complete
  // "file:row:column: message" line) when the input is malformed past recovery; no row follows.
  virtual Result<bool> Next() = 0;
  // The cells of the current row, normally one per column; valid until the next call to Next().
  virtual std::span<const std::string_view> Cells() const = 0;
  // The row number of the current row in its file (header = 1); before the first Next(), the
  // header's row.
  virtual uint32_t Row() const = 0;
  // An estimate of the number of rows, 0 when unknown. Validation reserves memory for this many
  // at once instead of growing it, so it should not be far above what the input can hold.
  virtual size_t RowCountHint() const { return 0; }
};

// The four tables of a data set, each already opened (file found, header read).
struct InterchangeTables {
  std::unique_ptr<TableSource> units;
  std::unique_ptr<TableSource> workers;
  std::unique_ptr<TableSource> children;
  std::unique_ptr<TableSource> events;
};

// Validates the four tables against shared/spec/interchange.md and builds the data set, with the
// same all-or-nothing contract and messages as ReadInterchangeDirectory. All four tables must be
// set. Consumes them in file order and releases each one when it is read.
Result<Dataset> ReadInterchangeTables(InterchangeTables tables, const ReadOptions& options);

// Opens `dir`/`file_name` as CSV (shared/spec/interchange.md's common rules) and reads its header.
// Errors are complete "file: message" lines: file not found, unreadable, empty, malformed header.
Result<std::unique_ptr<TableSource>> OpenCsvTable(const std::filesystem::path& dir,
                                                  std::string_view file_name);

// Reads a data set in the interchange format (shared/spec/interchange.md) from a directory
// holding units, workers, children and events, each as .csv, .jsonl or .xlsx, or as sheets of
// one workbook (OpenInterchangeTables in ingest/dataset_files.h says how they are found). All or
// nothing: on any error the result is an Error of kind kInvalidArgument whose message lists every
// error found, one "file:row:column: message" per line, and no data set is returned.
Result<Dataset> ReadInterchangeDirectory(const std::filesystem::path& dir,
                                         const ReadOptions& options);

}  // namespace tilsyn
