#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tilsyn {

// What CsvTokenizer::Next found.
enum class CsvStatus : uint8_t {
  kRow,        // a record: see cells() and line()
  kEnd,        // no more records
  kMalformed,  // the text breaks RFC 4180 quoting: see error(); no record follows
};

// Where and why a CSV text is malformed.
struct CsvError {
  uint32_t line = 0;  // the line on which the malformed record starts (first line = 1)
  size_t cell = 0;    // 0-based position of the malformed cell in its record
  std::string message;
};

// Splits RFC 4180 CSV text (comma-separated, "" escapes inside quoted fields, fields may hold
// line breaks, CRLF or LF line ends) into records of cells. A UTF-8 byte order mark at the start
// is skipped and blank lines are passed over. Cells are views into the text, except a quoted
// field with "" escapes, which is unescaped into a buffer reused from record to record: no
// allocation per record once the buffers have grown to the widest record.
class CsvTokenizer {
 public:
  // `text` must outlive the tokenizer; the views it hands out point into it.
  explicit CsvTokenizer(std::string_view text);

  // Reads the next record.
  [[nodiscard]] CsvStatus Next();
  // The cells of the current record; valid until the next call to Next().
  std::span<const std::string_view> cells() const { return cells_; }
  // The line on which the current record starts (first line = 1), counting the line breaks inside
  // quoted fields of earlier records.
  uint32_t line() const { return line_; }
  // Why the last Next() returned kMalformed.
  const CsvError& error() const { return error_; }

 private:
  CsvStatus Fail(size_t cell, std::string message);

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 0;
  uint32_t next_line_ = 1;
  std::vector<std::string_view> cells_;
  std::string unescaped_;
  struct Unescaped {
    size_t cell;
    size_t offset;
    size_t size;
  };
  std::vector<Unescaped> unescaped_cells_;
  CsvError error_;
};

}  // namespace tilsyn
