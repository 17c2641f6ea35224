#include "ingest/jsonl_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/cell_text.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// A parser's reason quotes the input it stopped at; this much of it is enough to find the place.
constexpr size_t kMaxReason = 200;

// The parser's reason, short and valid UTF-8 whatever the line held: without the exception's id
// ("[json.exception.parse_error.101] ") and place ("parse error at line 1, column 7: "), as we
// parse one line at a time and name the line ourselves; cut after kMaxReason bytes; with bytes
// that are not UTF-8 replaced by U+FFFD.
std::string ParserReason(std::string_view what) {
  if (const size_t id_end = what.find("] "); what.starts_with('[') && id_end != what.npos) {
    what.remove_prefix(id_end + 2);
  }
  if (const size_t place_end = what.find(": ");
      what.starts_with("parse error") && place_end != what.npos) {
    what.remove_prefix(place_end + 2);
  }
  const bool cut = what.size() > kMaxReason;
  std::string reason = Json(std::string(what.substr(0, kMaxReason)))
                           .dump(-1, ' ', false, Json::error_handler_t::replace);
  // dump() quotes the text as a JSON string; the quotes go, its escapes stay.
  reason = reason.substr(1, reason.size() - 2);
  if (cut) reason += "…";
  return reason;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

Result<std::string> ReadFile(const fs::path& path) {
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return InvalidArgument(std::strerror(errno));
  std::string text;
  std::array<char, 1 << 16> chunk{};
  size_t got = 0;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
    text.append(chunk.data(), got);
  }
  if (std::ferror(file.get())) return InvalidArgument(std::strerror(errno));
  return text;
}

// A JSON Lines file as a table. The whole file is read at open: the columns are the keys of every
// line, so they are only known at its end. Values are kept in one buffer, not one string each.
class JsonlTable final : public TableSource {
 public:
  explicit JsonlTable(std::string name) : name_(std::move(name)) {}
  JsonlTable(const JsonlTable&) = delete;
  JsonlTable& operator=(const JsonlTable&) = delete;

  // Reads every line of `text`. The error is a complete "file: message" or "file:line: message"
  // line: a file without lines, or without any line that is an object.
  Status Load(std::string_view text);

  std::string_view Name() const override { return name_; }
  std::span<const std::string> Columns() const override { return columns_; }
  std::span<const std::string_view> Cells() const override { return current_; }
  uint32_t Row() const override { return row_; }
  size_t RowCountHint() const override { return rows_.size(); }
  Result<bool> Next() override;

 private:
  friend class LineHandler;

  // One value of a row: its column and its text in values_.
  struct Cell {
    uint32_t column;
    uint32_t size;
    size_t offset;
  };
  // A row: its line and its first cell in cells_ (its cells run to the next row's first).
  struct RowStart {
    uint32_t line;
    size_t first_cell;
  };

  void ReadLine(std::string_view line, uint32_t number);
  // The column of `key`, adding it to the keys of the line being read when new; kAbsent when it
  // already appeared on that line.
  uint32_t ColumnOf(const std::string& key);
  void AddValue(uint32_t column, std::string_view text);

  static constexpr uint32_t kAbsent = UINT32_MAX;

  std::string name_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, uint32_t> column_of_;
  std::string values_;
  std::vector<Cell> cells_;
  std::vector<RowStart> rows_;
  // The first line that is not a usable object; no row after it is kept.
  std::optional<Error> error_;
  uint32_t error_line_ = 0;
  size_t objects_ = 0;

  // While a line is read: the keys it adds (columns from columns_.size() on), and the line each
  // column was last seen on, to find a key given twice.
  std::vector<std::string> new_keys_;
  std::vector<uint32_t> seen_on_line_;
  uint32_t line_ = 0;

  size_t next_ = 0;
  std::vector<std::string_view> current_;
  uint32_t row_ = 0;
};

// Takes one line's SAX events: the line must be one object whose values are scalars. Stops at
// the first thing that is not, with the problem as a complete message.
class LineHandler final : public nlohmann::json_sax<Json> {
 public:
  LineHandler(JsonlTable& table, uint32_t line) : table_(&table), line_(line) {}

  bool null() override { return Value("null", {}); }
  bool boolean(bool value) override {
    const std::string_view text = value ? "true" : "false";
    return Value(text, text);
  }
  bool number_integer(number_integer_t value) override {
    return Value("a number", fmt::format("{}", value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return Value("a number", fmt::format("{}", value));
  }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return Value("a number", ShortestDecimal(value));
  }
  bool string(string_t& value) override { return Value("a string", value); }
  // Only the binary formats nlohmann reads (CBOR, MessagePack, …) have binary values; JSON text
  // never does, but the interface asks for a handler.
  bool binary(binary_t& /*value*/) override { return Value("binary data", {}); }
  bool start_object(std::size_t /*size*/) override {
    if (in_object_) return Nested();
    in_object_ = true;
    return true;
  }
  bool key(string_t& key) override {
    column_ = table_->ColumnOf(key);
    key_ = key;
    if (column_ != JsonlTable::kAbsent) return true;
    problem_ = fmt::format("{}:{}:{}: the key appears more than once on the line", table_->name_,
                           line_, key);
    return false;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*size*/) override {
    if (in_object_) return Nested();
    return NotAnObject("an array");
  }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& error) override {
    problem_ = fmt::format("{}:{}: not a JSON object: {} (byte {})", table_->name_, line_,
                           ParserReason(error.what()), position);
    return false;
  }

  // Why the line cannot be used, when it cannot.
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  bool Value(std::string_view kind, std::string_view text) {
    if (!in_object_) return NotAnObject(kind);
    table_->AddValue(column_, text);
    return true;
  }
  bool Nested() {
    problem_ = fmt::format("{}:{}:{}: a value must be a string, number, true, false or null",
                           table_->name_, line_, key_);
    return false;
  }
  bool NotAnObject(std::string_view kind) {
    problem_ =
        fmt::format("{}:{}: not a JSON object: the line holds {}", table_->name_, line_, kind);
    return false;
  }

  JsonlTable* table_;
  uint32_t line_;
  bool in_object_ = false;
  uint32_t column_ = JsonlTable::kAbsent;
  std::string key_;
  std::optional<std::string> problem_;
};

Status JsonlTable::Load(std::string_view text) {
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  uint32_t number = 0;
  uint32_t first_line = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    if (IsBlank(line)) continue;
    if (first_line == 0) first_line = number;
    ReadLine(line, number);
  }
  if (first_line == 0) {
    return InvalidArgument(
        fmt::format("{}: the file is empty (it must hold at least one JSON object)", name_));
  }
  // Without a single object there are no columns, and validation would only report those
  // missing: the line's own problem says more.
  if (objects_ == 0) return *error_;
  // JSON Lines has no header; messages about columns name the first line.
  row_ = first_line;
  current_.resize(columns_.size());
  return {};
}

void JsonlTable::ReadLine(std::string_view line, uint32_t number) {
  const size_t cells_before = cells_.size();
  const size_t values_before = values_.size();
  line_ = number;
  new_keys_.clear();
  LineHandler handler(*this, number);
  // The handler records why it stopped; the returned flag says nothing more.
  static_cast<void>(Json::sax_parse(line.data(), line.data() + line.size(), &handler));
  const bool usable = !handler.problem().has_value();
  if (usable) {
    ++objects_;
    for (std::string& key : new_keys_) {
      column_of_.emplace(key, static_cast<uint32_t>(columns_.size()));
      columns_.push_back(std::move(key));
    }
  } else if (!error_) {
    error_ = InvalidArgument(*handler.problem());
    error_line_ = number;
  }
  seen_on_line_.resize(columns_.size());
  if (usable && !error_) {
    rows_.push_back({number, cells_before});
  } else {
    cells_.resize(cells_before);
    values_.resize(values_before);
  }
}

uint32_t JsonlTable::ColumnOf(const std::string& key) {
  uint32_t column = kAbsent;
  if (const auto known = column_of_.find(key); known != column_of_.end()) {
    column = known->second;
  } else {
    const auto added = std::find(new_keys_.begin(), new_keys_.end(), key);
    column =
        static_cast<uint32_t>(columns_.size() + static_cast<size_t>(added - new_keys_.begin()));
    if (added == new_keys_.end()) new_keys_.push_back(key);
  }
  if (column >= seen_on_line_.size()) seen_on_line_.resize(column + 1);
  if (seen_on_line_[column] == line_) return kAbsent;
  seen_on_line_[column] = line_;
  return column;
}

void JsonlTable::AddValue(uint32_t column, std::string_view text) {
  // An empty value is an empty cell, as is a key that is missing: neither needs keeping.
  if (text.empty() || error_) return;
  cells_.push_back({column, static_cast<uint32_t>(text.size()), values_.size()});
  values_.append(text);
}

Result<bool> JsonlTable::Next() {
  if (next_ < rows_.size()) {
    const RowStart& row = rows_[next_++];
    const size_t end = next_ < rows_.size() ? rows_[next_].first_cell : cells_.size();
    std::fill(current_.begin(), current_.end(), std::string_view());
    const std::string_view values = values_;
    for (const Cell& cell : std::span(cells_).subspan(row.first_cell, end - row.first_cell)) {
      current_[cell.column] = values.substr(cell.offset, cell.size);
    }
    row_ = row.line;
    return true;
  }
  if (!error_) return false;
  row_ = error_line_;
  Error error = std::move(*error_);
  error_.reset();
  return error;
}

}  // namespace

Result<std::unique_ptr<TableSource>> OpenJsonlTable(const std::filesystem::path& path,
                                                    std::string display_name) {
  std::error_code status_error;
  const fs::file_status status = fs::status(path, status_error);
  if (!fs::exists(status)) {
    return InvalidArgument(
        fmt::format("{}: file not found in {}", display_name, path.parent_path().string()));
  }
  if (!fs::is_regular_file(status)) {
    return InvalidArgument(fmt::format("{}: not a regular file", display_name));
  }
  Result<std::string> text = ReadFile(path);
  if (!text) {
    return InvalidArgument(
        fmt::format("{}: cannot be read ({})", display_name, text.error().message));
  }
  auto table = std::make_unique<JsonlTable>(std::move(display_name));
  if (Status loaded = table->Load(*text); !loaded) return loaded.error();
  return std::unique_ptr<TableSource>(std::move(table));
}

}  // namespace tilsyn
