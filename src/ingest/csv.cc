#include "ingest/csv.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace tilsyn {
namespace {

// Bytes that end an unquoted field, or break it.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  special[static_cast<unsigned char>(',')] = true;
  special[static_cast<unsigned char>('\n')] = true;
  special[static_cast<unsigned char>('\r')] = true;
  special[static_cast<unsigned char>('"')] = true;
  return special;
}();

}  // namespace

CsvTokenizer::CsvTokenizer(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

CsvStatus CsvTokenizer::Fail(size_t cell, std::string message) {
  error_ = CsvError{line_, cell, std::move(message)};
  cells_.clear();
  pos_ = text_.size();
  return CsvStatus::kMalformed;
}

CsvStatus CsvTokenizer::Next() {
  cells_.clear();
  unescaped_.clear();
  unescaped_cells_.clear();
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* p = begin + pos_;
  // Blank lines hold no record; spreadsheets leave them at the end of exports.
  while (p < end && (*p == '\n' || *p == '\r')) {
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
    ++p;
    ++next_line_;
  }
  if (p == end) {
    pos_ = text_.size();
    return CsvStatus::kEnd;
  }
  line_ = next_line_;
  uint32_t breaks_inside = 0;
  while (true) {
    const size_t cell = cells_.size();
    if (p < end && *p == '"') {
      const char* const start = ++p;
      bool escaped = false;
      const char* close = nullptr;
      while (close == nullptr) {
        const auto* quote =
            static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        if (quote == nullptr) return Fail(cell, "the quoted field is never closed");
        breaks_inside += static_cast<uint32_t>(std::count(p, quote, '\n'));
        if (quote + 1 < end && quote[1] == '"') {
          escaped = true;
          p = quote + 2;
        } else {
          close = quote;
          p = quote + 1;
        }
      }
      if (escaped) {
        const size_t offset = unescaped_.size();
        for (const char* c = start; c < close; ++c) {
          unescaped_.push_back(*c);
          if (*c == '"') ++c;  // the second quote of a "" pair
        }
        unescaped_cells_.push_back({cells_.size(), offset, unescaped_.size() - offset});
        cells_.emplace_back();
      } else {
        cells_.emplace_back(start, static_cast<size_t>(close - start));
      }
      if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
        return Fail(cell, "text follows the closing quote of a quoted field");
      }
    } else {
      const char* const start = p;
      while (p < end && !kSpecial[static_cast<unsigned char>(*p)]) ++p;
      if (p < end && *p == '"') {
        return Fail(
            cell, "a quote inside an unquoted field (quote the whole field and double the quote)");
      }
      cells_.emplace_back(start, static_cast<size_t>(p - start));
    }
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end) {
      if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
      ++p;
      ++breaks_inside;
    }
    break;
  }
  for (const Unescaped& cell : unescaped_cells_) {
    cells_[cell.cell] = std::string_view(unescaped_.data() + cell.offset, cell.size);
  }
  next_line_ += breaks_inside;
  pos_ = static_cast<size_t>(p - begin);
  return CsvStatus::kRow;
}

}  // namespace tilsyn
