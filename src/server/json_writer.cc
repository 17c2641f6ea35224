#include "server/json_writer.h"

#include <fmt/format.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace tilsyn::server {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Whether none of the 8 bytes of `word` needs a look: all ASCII, no control character, no quote
// and no backslash (bit tricks that test every byte at once).
bool PlainWord(uint64_t word) {
  const auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  return ((word & kHighs) | below_space | has_zero(word ^ (kOnes * '"')) |
          has_zero(word ^ (kOnes * '\\'))) == 0;
}

}  // namespace

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_values_.empty()) return;
  if (has_values_.back()) out_ += ',';
  has_values_.back() = 1;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_values_.push_back(0);
}

void JsonWriter::EndObject() {
  out_ += '}';
  has_values_.pop_back();
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_values_.push_back(0);
}

void JsonWriter::EndArray() {
  out_ += ']';
  has_values_.pop_back();
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Quoted(key);
  out_ += ':';
  after_key_ = true;
}

void JsonWriter::String(std::string_view text) {
  BeforeValue();
  Quoted(text);
}

void JsonWriter::Quoted(std::string_view text) {
  const size_t start = out_.size();
  out_ += '"';
  // Copies the text in runs between the characters to escape, and looks at UTF-8 only when a
  // byte beyond ASCII occurs.
  bool ascii = true;
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    while (i + 8 <= text.size()) {
      uint64_t word = 0;
      std::memcpy(&word, text.data() + i, 8);
      if (!PlainWord(word)) break;
      i += 8;
    }
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      ascii = false;
    } else if (c < 0x20) {
      // Rare (the data's texts are validated): let the library escape a control character, as
      // it does for every other answer.
      out_.resize(start);
      FullyEscaped(text);
      return;
    } else if (c == '"' || c == '\\') {
      out_.append(text.data() + run, i - run);
      out_ += '\\';
      run = i;
    }
  }
  if (!ascii && !IsValidUtf8(text)) {
    out_.resize(start);
    FullyEscaped(text);
    return;
  }
  out_.append(text.data() + run, text.size() - run);
  out_ += '"';
}

void JsonWriter::FullyEscaped(std::string_view text) {
  out_ += nlohmann::ordered_json(std::string(text))
              .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void JsonWriter::StringOrNull(std::string_view text) {
  if (text.empty()) {
    Null();
  } else {
    String(text);
  }
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{}", value);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

}  // namespace tilsyn::server
