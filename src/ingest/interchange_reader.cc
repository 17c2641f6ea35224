#include "ingest/interchange_reader.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/interner.h"
#include "core/utf8.h"
#include "ingest/csv.h"
#include "ingest/dataset_files.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

// The files of a data set in the order their errors are listed.
enum FileRank : int { kUnitsFile, kWorkersFile, kChildrenFile, kEventsFile };

// Text checks shared by every table.

// A value as it appears in a message: cut after 60 bytes, and with bytes that are not UTF-8
// replaced, so that a message is always valid UTF-8 whatever the input held.
std::string Shown(std::string_view value) {
  constexpr size_t kMaxShown = 60;
  std::string out;
  size_t pos = 0;
  while (pos < value.size() && pos < kMaxShown) {
    const size_t length = Utf8SequenceLength(value, pos);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++pos;
    } else {
      out.append(value.substr(pos, length));
      pos += length;
    }
  }
  if (pos < value.size()) out += "…";
  return out;
}

std::string Quoted(std::string_view value) { return fmt::format("\"{}\"", Shown(value)); }

constexpr std::array<bool, 256> kIdCharacters = [] {
  std::array<bool, 256> allowed{};
  for (char c = 'A'; c <= 'Z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) allowed[static_cast<unsigned char>(c)] = true;
  for (const char c : {'_', '.', ':', '-'}) allowed[static_cast<unsigned char>(c)] = true;
  return allowed;
}();

bool IsValidId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return kIdCharacters[static_cast<unsigned char>(c)]; });
}

bool EqualsIgnoringCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::optional<bool> ParseBool(std::string_view text) {
  for (const std::string_view yes : {"true", "ja", "1"}) {
    if (EqualsIgnoringCase(text, yes)) return true;
  }
  for (const std::string_view no : {"false", "nej", "0"}) {
    if (EqualsIgnoringCase(text, no)) return false;
  }
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits with at most one '.' or ',' between digits: "1", "0.5", "0,75". Returns the position of
// the separator (npos when none), or nullopt when `text` is not of that form.
std::optional<size_t> DecimalSeparator(std::string_view text) {
  size_t separator = std::string_view::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDigit(text[i])) continue;
    if ((text[i] != '.' && text[i] != ',') || separator != std::string_view::npos || i == 0 ||
        i + 1 == text.size()) {
      return std::nullopt;
    }
    separator = i;
  }
  if (text.empty()) return std::nullopt;
  return separator;
}

std::optional<double> ParseDecimal(std::string_view text) {
  std::array<char, 32> buffer{};
  if (text.size() > buffer.size() || !DecimalSeparator(text)) return std::nullopt;
  std::copy(text.begin(), text.end(), buffer.begin());
  std::replace(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(text.size()), ',', '.');
  double value = 0;
  const auto [end, error] = std::from_chars(buffer.data(), buffer.data() + text.size(), value);
  if (error != std::errc() || end != buffer.data() + text.size()) return std::nullopt;
  return value;
}

// DKK with at most two decimals, as øre.
std::optional<int64_t> ParseAmountOre(std::string_view text) {
  const std::optional<size_t> separator = DecimalSeparator(text);
  if (!separator) return std::nullopt;
  const size_t whole_digits = *separator == std::string_view::npos ? text.size() : *separator;
  const size_t decimals = whole_digits == text.size() ? 0 : text.size() - whole_digits - 1;
  if (whole_digits > 15 || decimals > 2) return std::nullopt;
  int64_t ore = 0;
  for (size_t i = 0; i < whole_digits; ++i) ore = ore * 10 + (text[i] - '0');
  for (size_t i = 0; i < 2; ++i) {
    ore = ore * 10 + (i < decimals ? text[whole_digits + 1 + i] - '0' : 0);
  }
  return ore;
}

enum class CprProblem { kNone, kNotDigits, kNotADate };

// Reads a CPR number (DDMMYY-SSSS or DDMMYYSSSS): its ten digits and the birth date they give.
// The seventh digit gives the century (CPR rules): 0-3 the 1900s; 4 and 9 2000-2036 for YY 00-36,
// else 1937-1999; 5-8 2000-2057 for YY 00-57, else 1858-1899.
CprProblem ParseCpr(std::string_view text, std::array<char, 10>& digits, Date& birth_date) {
  if (text.size() == 11 && text[6] == '-') {
    std::copy(text.begin(), text.begin() + 6, digits.begin());
    std::copy(text.begin() + 7, text.end(), digits.begin() + 6);
  } else if (text.size() == 10) {
    std::copy(text.begin(), text.end(), digits.begin());
  } else {
    return CprProblem::kNotDigits;
  }
  if (!std::all_of(digits.begin(), digits.end(), IsDigit)) return CprProblem::kNotDigits;
  const auto number = [&](size_t pos) {
    return (digits[pos] - '0') * 10 + (digits[pos + 1] - '0');
  };
  const int day = number(0);
  const int month = number(2);
  const int yy = number(4);
  const int century_digit = digits[6] - '0';
  int year = 1900 + yy;
  if ((century_digit == 4 || century_digit == 9) && yy <= 36) {
    year = 2000 + yy;
  } else if (century_digit >= 5 && century_digit <= 8) {
    year = yy <= 57 ? 2000 + yy : 1800 + yy;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return CprProblem::kNotADate;
  }
  birth_date = DateFromYmd(year, month, day);
  return CprProblem::kNone;
}

// HMAC-SHA256 under the configured key, as lowercase hex. The keyed state is computed once and
// copied for each number.
class CprHasher {
 public:
  explicit CprHasher(std::string_view key) {
    crypto_auth_hmacsha256_init(&keyed_, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
  }
  ~CprHasher() { sodium_memzero(&keyed_, sizeof(keyed_)); }
  CprHasher(const CprHasher&) = delete;
  CprHasher& operator=(const CprHasher&) = delete;

  std::string Hash(const std::array<char, 10>& digits) const {
    crypto_auth_hmacsha256_state state = keyed_;
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(digits.data()),
                                  digits.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, 2 * crypto_auth_hmacsha256_BYTES + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
    return std::string(hex.data(), 2 * mac.size());
  }

 private:
  crypto_auth_hmacsha256_state keyed_{};
};

// The errors of one import in file order (file, then row, then the order they were found), capped
// at `max` listed lines. Only the first `max` are kept, so a file full of errors costs no memory.
class ErrorList {
 public:
  explicit ErrorList(size_t max) : max_(max) {}

  // Whether an error at (file, row) would be listed; callers skip formatting it otherwise.
  bool Wants(int file, uint32_t row) const {
    if (max_ == 0) return false;
    return !trimmed_ || std::pair(file, row) < std::pair(limit_file_, limit_row_);
  }
  void Add(int file, uint32_t row, std::string text) {
    if (!Wants(file, row)) {
      Drop();
      return;
    }
    entries_.push_back({file, row, next_sequence_++, std::move(text)});
    if (entries_.size() >= 2 * max_ + 64) Trim();
  }
  // Counts an error that Wants() said would not be listed.
  void Drop() { ++dropped_; }
  bool empty() const { return entries_.empty() && dropped_ == 0; }

  // Every listed error, one per line, then how many more there were.
  Error ToError() {
    Trim();
    std::string message;
    for (const Entry& entry : entries_) {
      if (!message.empty()) message += '\n';
      message += entry.text;
    }
    if (dropped_ > 0) {
      if (!message.empty()) message += '\n';
      message += fmt::format("… and {} more error{}", dropped_, dropped_ == 1 ? "" : "s");
    }
    return InvalidArgument(std::move(message));
  }

 private:
  struct Entry {
    int file;
    uint32_t row;
    uint64_t sequence;
    std::string text;
  };

  void Trim() {
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.file, a.row, a.sequence) < std::tie(b.file, b.row, b.sequence);
    });
    if (entries_.size() <= max_) return;
    dropped_ += entries_.size() - max_;
    entries_.resize(max_);
    // Any later error on this row or after it sorts after every kept one.
    trimmed_ = true;
    limit_file_ = entries_.back().file;
    limit_row_ = entries_.back().row;
  }

  size_t max_;
  std::vector<Entry> entries_;
  size_t dropped_ = 0;
  uint64_t next_sequence_ = 0;
  bool trimmed_ = false;
  int limit_file_ = 0;
  uint32_t limit_row_ = 0;
};

// Column schemas and the reader that applies one to a TableSource.

struct ColumnSpec {
  std::string_view name;
  bool required;
};

enum class UnitColumn : uint8_t { kUnitId, kParentId, kKind, kName };
constexpr std::array<ColumnSpec, 4> kUnitColumns = {
    {{"unit_id", true}, {"parent_id", false}, {"kind", true}, {"name", true}}};

enum class WorkerColumn : uint8_t { kWorkerId, kName, kUnitId, kFte };
constexpr std::array<ColumnSpec, 4> kWorkerColumns = {
    {{"worker_id", true}, {"name", true}, {"unit_id", true}, {"fte", false}}};

enum class ChildColumn : uint8_t { kChildId, kCpr, kBirthDate, kUnitId };
constexpr std::array<ColumnSpec, 4> kChildColumns = {
    {{"child_id", true}, {"cpr", false}, {"birth_date", false}, {"unit_id", true}}};

enum class EventColumn : uint8_t {
  kEventId,
  kChildId,
  kType,
  kAt,
  kWorkerId,
  kRef,
  kMeasureId,
  kMeasureType,
  kPlacement,
  kLegalBasis,
  kSource,
  kProfessional,
  kAcute,
  kContext,
  kDecision,
  kReasoned,
  kStatesEffort,
  kRuleId,
  kReason,
  kAmount,
};
constexpr std::array<ColumnSpec, 20> kEventColumns = {{
    {"event_id", true},     {"child_id", true},       {"type", true},
    {"at", true},           {"worker_id", false},     {"ref", false},
    {"measure_id", false},  {"measure_type", false},  {"placement", false},
    {"legal_basis", false}, {"source", false},        {"professional", false},
    {"acute", false},       {"context", false},       {"decision", false},
    {"reasoned", false},    {"states_effort", false}, {"rule_id", false},
    {"reason", false},      {"amount", false},
}};

// Applies a column schema to one table: checks the header, hands out well-formed rows and
// formats errors as "file:row:column: message".
template <typename Column, size_t N>
class TableReader {
 public:
  TableReader(std::unique_ptr<TableSource> source, const std::array<ColumnSpec, N>& spec, int rank,
              ErrorList& errors)
      : source_(std::move(source)),
        name_(source_->Name()),
        spec_(spec),
        rank_(rank),
        errors_(&errors),
        row_(source_->Row()) {
    index_.fill(kAbsent);
  }

  // Maps the header onto the schema; reports missing, unknown and repeated columns.
  void CheckHeader() {
    const std::span<const std::string> columns = source_->Columns();
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string_view name = columns[i];
      if (name.empty()) {
        Report(row_, fmt::format("{}:{}: column {} has no name", name_, row_, i + 1));
        continue;
      }
      if (!seen.insert(name).second) {
        Report(row_, fmt::format("{}:{}:{}: the column appears more than once", name_, row_,
                                 Shown(name)));
        continue;
      }
      const auto known = std::find_if(spec_.begin(), spec_.end(), [&](const ColumnSpec& column) {
        return column.name == name;
      });
      if (known != spec_.end()) {
        index_[static_cast<size_t>(known - spec_.begin())] = i;
      } else if (!name.starts_with("x_")) {
        Report(row_, fmt::format("{}:{}:{}: unknown column (extra columns must start with x_)",
                                 name_, row_, Shown(name)));
      }
    }
    std::string missing;
    size_t missing_count = 0;
    for (size_t c = 0; c < N; ++c) {
      if (!spec_[c].required || index_[c] != kAbsent) continue;
      missing += fmt::format("{}{}", missing.empty() ? "" : ", ", spec_[c].name);
      ++missing_count;
    }
    if (missing_count > 0) {
      Report(row_, fmt::format("{}:{}: missing required column{}: {}", name_, row_,
                               missing_count == 1 ? "" : "s", missing));
    }
  }

  // Reports a header problem that the schema alone cannot express.
  void FailHeader(std::string_view message) {
    Report(row_, fmt::format("{}:{}: {}", name_, row_, message));
  }

  // Moves to the next row whose cells match the header; false at the end of the table or when it
  // is malformed past recovery (reported).
  bool NextRow() {
    while (true) {
      Result<bool> next = source_->Next();
      if (!next) {
        Report(source_->Row(), std::move(next).error().message);
        return false;
      }
      if (!*next) return false;
      cells_ = source_->Cells();
      row_ = source_->Row();
      const size_t expected = source_->Columns().size();
      if (cells_.size() == expected) return true;
      Report(row_, fmt::format("{}:{}: {} cell{} but the header has {} column{}", name_, row_,
                               cells_.size(), cells_.size() == 1 ? "" : "s", expected,
                               expected == 1 ? "" : "s"));
    }
  }

  // Frees the source (and its file buffer) once every row is read.
  void Release() {
    source_.reset();
    cells_ = {};
  }

  bool HasColumn(Column column) const { return index_[static_cast<size_t>(column)] != kAbsent; }
  // The cell of `column` in the current row; empty when the column is absent.
  std::string_view Get(Column column) const {
    const size_t i = index_[static_cast<size_t>(column)];
    return i == kAbsent ? std::string_view() : cells_[i];
  }
  uint32_t row() const { return row_; }
  // Whether an error has been found so far, in this table or another.
  bool AnyError() const { return !errors_->empty(); }
  std::string_view file_name() const { return name_; }
  size_t RowCountHint() const { return source_->RowCountHint(); }

  // Reports an error in `column` of the current row.
  template <typename... Args>
  void Fail(Column column, fmt::format_string<Args...> format, Args&&... args) {
    FailAt(row_, column, format, std::forward<Args>(args)...);
  }
  // Reports an error in `column` of an earlier row (checks that need the whole table).
  template <typename... Args>
  void FailAt(uint32_t row, Column column, fmt::format_string<Args...> format, Args&&... args) {
    if (!errors_->Wants(rank_, row)) {
      errors_->Drop();
      return;
    }
    errors_->Add(rank_, row,
                 fmt::format("{}:{}:{}: {}", name_, row, spec_[static_cast<size_t>(column)].name,
                             fmt::format(format, std::forward<Args>(args)...)));
  }
  // Reports an error about the table as a whole.
  void FailTable(std::string_view message) {
    errors_->Add(rank_, 0, fmt::format("{}: {}", name_, message));
  }

 private:
  static constexpr size_t kAbsent = static_cast<size_t>(-1);

  void Report(uint32_t row, std::string text) { errors_->Add(rank_, row, std::move(text)); }

  std::unique_ptr<TableSource> source_;
  std::string name_;
  const std::array<ColumnSpec, N>& spec_;
  int rank_;
  ErrorList* errors_;
  std::array<size_t, N> index_{};
  std::span<const std::string_view> cells_;
  uint32_t row_ = 0;
};

using UnitReader = TableReader<UnitColumn, 4>;
using WorkerReader = TableReader<WorkerColumn, 4>;
using ChildReader = TableReader<ChildColumn, 4>;
using EventReader = TableReader<EventColumn, 20>;

// Checks and returns the id in `column`: empty when the cell is empty (reported when required)
// or the id is malformed (reported). A row registers its own id from the cell as given, malformed
// or not, so that rows naming it report nothing more.
template <typename Reader, typename Column>
std::string_view ReadId(Reader& reader, Column column, bool required) {
  const std::string_view text = reader.Get(column);
  if (text.empty()) {
    if (required) reader.Fail(column, "required value is missing");
    return {};
  }
  if (!IsValidId(text)) {
    reader.Fail(column, "{} is not a valid id (1 to 64 characters from A-Z a-z 0-9 _ . : -)",
                Quoted(text));
    return {};
  }
  return text;
}

// Checks free text (names, reasons, legal bases): it must be UTF-8.
template <typename Reader, typename Column>
std::string_view ReadText(Reader& reader, Column column, bool required) {
  const std::string_view text = reader.Get(column);
  if (text.empty()) {
    if (required) reader.Fail(column, "required value is missing");
    return {};
  }
  if (!IsValidUtf8(text)) {
    reader.Fail(column, "not valid UTF-8");
    return {};
  }
  return text;
}

// Events: which columns each type needs and which it uses.

constexpr uint32_t Bit(EventColumn column) { return 1u << static_cast<unsigned>(column); }

// Columns every type uses. The spec scopes some columns to types ("for notifications: …"); the
// rest (measure, placement, ref, free text) mean the same on any event, and rules read them there:
// a conversation names the measure it prepares.
constexpr uint32_t kCommonColumns =
    Bit(EventColumn::kEventId) | Bit(EventColumn::kChildId) | Bit(EventColumn::kType) |
    Bit(EventColumn::kAt) | Bit(EventColumn::kWorkerId) | Bit(EventColumn::kRef) |
    Bit(EventColumn::kMeasureId) | Bit(EventColumn::kMeasureType) | Bit(EventColumn::kPlacement) |
    Bit(EventColumn::kLegalBasis) | Bit(EventColumn::kReason);

struct TypeColumns {
  uint32_t needs;  // the spec's "needs": the cell must be given
  uint32_t uses;   // values kept; other columns are checked for format and ignored
};

constexpr std::array<TypeColumns, kEventTypeCount> kTypeColumns = [] {
  using C = EventColumn;
  std::array<TypeColumns, kEventTypeCount> table{};
  const auto set = [&](EventType type, uint32_t needs, uint32_t also_uses) {
    table[static_cast<size_t>(type)] = {needs, kCommonColumns | needs | also_uses};
  };
  const uint32_t measure = Bit(C::kMeasureId);
  set(EventType::kWorkerAssigned, Bit(C::kWorkerId), 0);
  set(EventType::kNotificationReceived, Bit(C::kSource) | Bit(C::kProfessional), 0);
  set(EventType::kNotificationAssessed, Bit(C::kRef) | Bit(C::kAcute), 0);
  set(EventType::kNotificationAcknowledged, Bit(C::kRef), 0);
  set(EventType::kNotifierFeedback, Bit(C::kRef), 0);
  set(EventType::kAssessmentStarted, 0, 0);
  set(EventType::kChildConversation, Bit(C::kContext), 0);
  set(EventType::kConversationWaived, Bit(C::kContext) | Bit(C::kReason), 0);
  set(EventType::kAssessmentUpdated, 0, 0);
  set(EventType::kAssessmentCompleted, 0, 0);
  set(EventType::kDecision,
      measure | Bit(C::kMeasureType) | Bit(C::kDecision) | Bit(C::kReasoned) | Bit(C::kPlacement),
      0);
  set(EventType::kPlanMade, measure | Bit(C::kStatesEffort), 0);
  set(EventType::kMeasureStarted, measure | Bit(C::kMeasureType) | Bit(C::kPlacement),
      Bit(C::kAmount));
  set(EventType::kFollowUp, measure, 0);
  set(EventType::kSupervisionVisit, measure, 0);
  set(EventType::kMeasureEnded, measure, 0);
  // An aftercare decision is a decision too: a grant or refusal and its reasoning are kept.
  set(EventType::kAftercareDecision, 0, Bit(C::kDecision) | Bit(C::kReasoned));
  set(EventType::kCaseClosed, Bit(C::kReason), 0);
  set(EventType::kCaseReopened, 0, 0);
  set(EventType::kExemption, Bit(C::kRuleId) | Bit(C::kRef) | Bit(C::kReason), 0);
  set(EventType::kRetraction, Bit(C::kRef) | Bit(C::kReason), 0);
  return table;
}();

// The types whose `ref` must name a notification_received.
bool RefsNotification(EventType type) {
  return type == EventType::kNotificationAssessed || type == EventType::kNotificationAcknowledged ||
         type == EventType::kNotifierFeedback || type == EventType::kAssessmentStarted;
}

// The number of values of the enumerations core/event.h does not count, kUnspecified included.
constexpr int kConversationContextCount = 6;
constexpr int kDecisionKindCount = 5;

template <typename Enum>
std::string EnumNames(std::string_view (*name_of)(Enum), int first, int count) {
  std::string names;
  for (int i = first; i < count; ++i) {
    if (!names.empty()) names += i + 1 == count ? " or " : ", ";
    names += name_of(static_cast<Enum>(i));
  }
  return names;
}

// Lookup of units, workers and children by id.

// Finds rows by id with open addressing. The ids are read from the rows themselves at lookup time,
// so nothing is copied and a reallocation of the rows does no harm.
template <typename Row>
class IdIndex {
 public:
  explicit IdIndex(const std::vector<Row>& rows) : rows_(&rows) {}

  // The position of the row with `id`, or kNone.
  uint32_t Find(std::string_view id) const {
    if (slots_.empty()) return kNone;
    const size_t hash = std::hash<std::string_view>()(id);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.row == kNone) return kNone;
      if (slot.tag == Tag(hash) && (*rows_)[slot.row].id == id) return slot.row;
    }
  }

  // Registers `row` (the next row, not yet in the rows) under `id`. kNone when the id is new;
  // otherwise the row that already has it, and nothing changes.
  uint32_t Add(std::string_view id, uint32_t row) {
    if (const uint32_t existing = Find(id); existing != kNone) return existing;
    if (2 * (size_ + 1) > slots_.size()) Grow();
    Place(std::hash<std::string_view>()(id), row);
    ++size_;
    return kNone;
  }

 private:
  struct Slot {
    uint32_t tag = 0;  // high bits of the hash: most mismatches never touch the row
    uint32_t row = kNone;
  };

  static uint32_t Tag(size_t hash) { return static_cast<uint32_t>(hash >> 32); }

  void Place(size_t hash, uint32_t row) {
    size_t i = hash & mask_;
    while (slots_[i].row != kNone) i = (i + 1) & mask_;
    slots_[i] = {Tag(hash), row};
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, 2 * old.size()), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.row != kNone) Place(std::hash<std::string_view>()((*rows_)[slot.row].id), slot.row);
    }
  }

  const std::vector<Row>* rows_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// An IdIndex that remembers its last answer: exports list a child's events together, and often
// one worker's in a row, so most lookups repeat the one before.
template <typename Row>
class CachedIdIndex {
 public:
  explicit CachedIdIndex(const IdIndex<Row>& index) : index_(&index) {}

  uint32_t Find(std::string_view id) {
    if (id != last_id_ || last_row_ == kNone) {
      last_id_.assign(id);
      last_row_ = index_->Find(id);
    }
    return last_row_;
  }

 private:
  const IdIndex<Row>* index_;
  std::string last_id_;
  uint32_t last_row_ = kNone;
};

// The builder: validates the tables in file order and fills the Dataset.

class DatasetBuilder {
 public:
  // Errors go to the TableReaders handed to each Read…() call; `table_names` (in FileRank order)
  // name the tables that references point into.
  DatasetBuilder(const ReadOptions& options, std::array<std::string, 4> table_names)
      : known_rule_ids_(options.known_rule_ids.begin(), options.known_rule_ids.end()),
        cpr_needs_key_(options.cpr_needs_key),
        on_event_(options.on_event),
        table_names_(std::move(table_names)) {}

  void ReadUnits(UnitReader& reader);
  void ReadWorkers(WorkerReader& reader);
  void ReadChildren(ChildReader& reader, const CprHasher* hasher);
  void ReadEvents(EventReader& reader);
  // Sorts each child's events and remaps refs; only for a data set without errors.
  Dataset Finish();

 private:
  // An event's ref whose target came later in the file; resolved after the last row.
  struct ForwardRef {
    uint32_t event;
    size_t offset;  // into forward_ref_text_
    size_t size;
  };

  void ResolveUnitParents(UnitReader& reader);
  void CheckUnitCycles(UnitReader& reader);
  void ReadEventRow(EventReader& reader);
  // Checks that `event` (at `position` in file order) may refer to the event at `target`.
  bool CheckRef(EventReader& reader, uint32_t row, uint32_t position, const Event& event,
                uint32_t child, uint32_t target, std::string_view ref);

  std::unordered_set<std::string_view> known_rule_ids_;
  bool cpr_needs_key_;
  std::function<void(const Dataset&, uint32_t, uint32_t, size_t)> on_event_;
  size_t expected_events_ = 0;
  std::array<std::string, 4> table_names_;
  Dataset dataset_;

  IdIndex<Unit> unit_ids_{dataset_.units};
  std::vector<uint32_t> unit_rows_;
  std::vector<std::string> unit_parent_ids_;
  std::vector<std::optional<UnitKind>> unit_kinds_;
  IdIndex<Worker> worker_ids_{dataset_.workers};
  std::vector<uint32_t> worker_rows_;
  IdIndex<Child> child_ids_{dataset_.children};
  std::vector<uint32_t> child_rows_;
  CachedIdIndex<Worker> event_workers_{worker_ids_};
  CachedIdIndex<Child> event_children_{child_ids_};

  std::vector<uint32_t> event_rows_;              // parallel to events, in file order
  std::vector<uint32_t> event_children_of_;       // parallel to events: each one's child
  std::vector<uint32_t> events_of_unknown_type_;  // positions, ascending
  std::vector<ForwardRef> forward_refs_;
  std::string forward_ref_text_;
};

void DatasetBuilder::ReadUnits(UnitReader& reader) {
  while (reader.NextRow()) {
    const std::string_view id = reader.Get(UnitColumn::kUnitId);
    ReadId(reader, UnitColumn::kUnitId, true);
    const std::string_view parent_id = reader.Get(UnitColumn::kParentId);
    ReadId(reader, UnitColumn::kParentId, false);
    std::optional<UnitKind> kind;
    if (const std::string_view kind_text = reader.Get(UnitColumn::kKind); kind_text.empty()) {
      reader.Fail(UnitColumn::kKind, "required value is missing");
    } else if (kind = ParseUnitKind(kind_text); !kind) {
      reader.Fail(UnitColumn::kKind, "unknown kind {} (municipality, department, district or team)",
                  Quoted(kind_text));
    }
    const std::string_view name = ReadText(reader, UnitColumn::kName, true);
    if (id.empty()) continue;
    const uint32_t first = unit_ids_.Add(id, static_cast<uint32_t>(dataset_.units.size()));
    if (first != kNone) {
      reader.Fail(UnitColumn::kUnitId, "duplicate unit id {} (first on row {})", Quoted(id),
                  unit_rows_[first]);
      continue;
    }
    dataset_.units.push_back(
        Unit{std::string(id), std::string(name), kNone, kind.value_or(UnitKind::kTeam)});
    unit_rows_.push_back(reader.row());
    unit_parent_ids_.emplace_back(parent_id);
    unit_kinds_.push_back(kind);
  }
  ResolveUnitParents(reader);
  CheckUnitCycles(reader);
}

void DatasetBuilder::ResolveUnitParents(UnitReader& reader) {
  bool any_municipality = false;
  for (size_t i = 0; i < dataset_.units.size(); ++i) {
    const uint32_t row = unit_rows_[i];
    const std::string& parent_id = unit_parent_ids_[i];
    const std::optional<UnitKind> kind = unit_kinds_[i];
    if (kind == UnitKind::kMunicipality) {
      any_municipality = true;
      if (!parent_id.empty()) {
        reader.FailAt(row, UnitColumn::kParentId, "a municipality has no parent unit");
      }
      continue;
    }
    if (parent_id.empty()) {
      if (kind) {
        reader.FailAt(row, UnitColumn::kParentId, "required for a {} but missing",
                      UnitKindName(*kind));
      }
      continue;
    }
    if (!IsValidId(parent_id)) continue;  // reported with the row
    const uint32_t parent = unit_ids_.Find(parent_id);
    if (parent == kNone) {
      reader.FailAt(row, UnitColumn::kParentId, "no unit {} in {}", Quoted(parent_id),
                    table_names_[kUnitsFile]);
      continue;
    }
    dataset_.units[i].parent = parent;
  }
  if (!any_municipality) {
    reader.FailTable("no unit of kind municipality (a data set needs at least one)");
  }
}

void DatasetBuilder::CheckUnitCycles(UnitReader& reader) {
  const std::vector<Unit>& units = dataset_.units;
  enum : uint8_t { kUnvisited, kOnPath, kDone };
  std::vector<uint8_t> state(units.size(), kUnvisited);
  std::vector<uint32_t> path;
  for (uint32_t start = 0; start < units.size(); ++start) {
    path.clear();
    uint32_t unit = start;
    while (unit != kNone && state[unit] == kUnvisited) {
      state[unit] = kOnPath;
      path.push_back(unit);
      unit = units[unit].parent;
    }
    if (unit != kNone && state[unit] == kOnPath) {
      // The cycle is the tail of the path from `unit`; name it from its first unit in the file.
      auto cycle_begin = std::find(path.begin(), path.end(), unit);
      std::rotate(cycle_begin, std::min_element(cycle_begin, path.end()), path.end());
      std::string chain;
      for (auto it = cycle_begin; it != path.end(); ++it) {
        chain += units[*it].id;
        chain += " → ";
      }
      chain += units[*cycle_begin].id;
      reader.FailAt(unit_rows_[*cycle_begin], UnitColumn::kParentId, "units form a cycle: {}",
                    chain);
    }
    for (const uint32_t visited : path) state[visited] = kDone;
  }
}

void DatasetBuilder::ReadWorkers(WorkerReader& reader) {
  while (reader.NextRow()) {
    const std::string_view id = reader.Get(WorkerColumn::kWorkerId);
    ReadId(reader, WorkerColumn::kWorkerId, true);
    const std::string_view name = ReadText(reader, WorkerColumn::kName, true);
    uint32_t unit = kNone;
    if (const std::string_view unit_id = ReadId(reader, WorkerColumn::kUnitId, true);
        !unit_id.empty()) {
      unit = unit_ids_.Find(unit_id);
      if (unit == kNone) {
        reader.Fail(WorkerColumn::kUnitId, "no unit {} in {}", Quoted(unit_id),
                    table_names_[kUnitsFile]);
      }
    }
    double fte = 1.0;
    if (const std::string_view fte_text = reader.Get(WorkerColumn::kFte); !fte_text.empty()) {
      const std::optional<double> parsed = ParseDecimal(fte_text);
      if (!parsed) {
        reader.Fail(WorkerColumn::kFte, "{} is not a number (such as 1, 0.5 or 0,5)",
                    Quoted(fte_text));
      } else if (*parsed <= 0 || *parsed > 1) {
        reader.Fail(WorkerColumn::kFte, "{} is out of range (0 < fte ≤ 1)", Quoted(fte_text));
      } else {
        fte = *parsed;
      }
    }
    if (id.empty()) continue;
    const uint32_t first = worker_ids_.Add(id, static_cast<uint32_t>(dataset_.workers.size()));
    if (first != kNone) {
      reader.Fail(WorkerColumn::kWorkerId, "duplicate worker id {} (first on row {})", Quoted(id),
                  worker_rows_[first]);
      continue;
    }
    dataset_.workers.push_back(Worker{std::string(id), std::string(name), unit, fte});
    worker_rows_.push_back(reader.row());
  }
}

void DatasetBuilder::ReadChildren(ChildReader& reader, const CprHasher* hasher) {
  dataset_.children.reserve(reader.RowCountHint());
  child_rows_.reserve(reader.RowCountHint());
  while (reader.NextRow()) {
    const std::string_view id = reader.Get(ChildColumn::kChildId);
    ReadId(reader, ChildColumn::kChildId, true);
    std::optional<Date> cpr_birth_date;
    std::string cpr_hash;
    if (const std::string_view cpr = reader.Get(ChildColumn::kCpr); !cpr.empty()) {
      // The number is never echoed in a message: messages end up in logs and screens.
      std::array<char, 10> digits{};
      Date birth_date;
      switch (ParseCpr(cpr, digits, birth_date)) {
        case CprProblem::kNone:
          cpr_birth_date = birth_date;
          if (hasher != nullptr) {
            cpr_hash = hasher->Hash(digits);
          } else if (cpr_needs_key_) {
            reader.Fail(ChildColumn::kCpr,
                        "a CPR number is only stored as a keyed hash, and no key is configured "
                        "(--cpr-key-file FILE or the environment variable TILSYN_CPR_KEY)");
          }
          break;
        case CprProblem::kNotDigits:
          reader.Fail(ChildColumn::kCpr,
                      "not a CPR number (10 digits, optionally with '-' after the sixth)");
          break;
        case CprProblem::kNotADate:
          reader.Fail(ChildColumn::kCpr,
                      "not a CPR number: its first six digits are not a real date (DDMMYY)");
          break;
      }
      sodium_memzero(digits.data(), digits.size());
    }
    std::optional<Date> birth_date;
    if (const std::string_view text = reader.Get(ChildColumn::kBirthDate); !text.empty()) {
      Result<Date> parsed = ParseDate(text);
      if (!parsed) {
        reader.Fail(ChildColumn::kBirthDate, "{}", parsed.error().message);
      } else {
        birth_date = *parsed;
        if (cpr_birth_date && *cpr_birth_date != *birth_date) {
          // The date cpr gives is not shown: it is six of its ten digits.
          reader.Fail(ChildColumn::kBirthDate, "{} differs from the birth date that cpr gives",
                      Quoted(text));
        }
      }
    } else if (reader.Get(ChildColumn::kCpr).empty()) {
      reader.Fail(ChildColumn::kBirthDate, "required when cpr is empty, but missing");
    }
    uint32_t unit = kNone;
    if (const std::string_view unit_id = ReadId(reader, ChildColumn::kUnitId, true);
        !unit_id.empty()) {
      unit = unit_ids_.Find(unit_id);
      if (unit == kNone) {
        reader.Fail(ChildColumn::kUnitId, "no unit {} in {}", Quoted(unit_id),
                    table_names_[kUnitsFile]);
      }
    }
    if (id.empty()) continue;
    const uint32_t first = child_ids_.Add(id, static_cast<uint32_t>(dataset_.children.size()));
    if (first != kNone) {
      reader.Fail(ChildColumn::kChildId, "duplicate child id {} (first on row {})", Quoted(id),
                  child_rows_[first]);
      continue;
    }
    dataset_.children.push_back(Child{std::string(id),
                                      birth_date.value_or(cpr_birth_date.value_or(Date{})), unit,
                                      std::move(cpr_hash)});
    child_rows_.push_back(reader.row());
  }
}

void DatasetBuilder::ReadEvents(EventReader& reader) {
  // Reserved once: growing by doubling would copy the events and hold up to twice the memory.
  const size_t rows = reader.RowCountHint();
  expected_events_ = rows;
  dataset_.events.reserve(rows);
  event_rows_.reserve(rows);
  event_children_of_.reserve(rows);
  // Without this the id table would be rebuilt at every doubling, each time a pass of cache misses.
  // Room for twice the rows keeps the table at most half full, so that the search for a new id's
  // slot (every row makes one) passes few others, each a cache miss.
  dataset_.event_ids.Reserve(2 * rows, rows * kTypicalIdBytes);
  while (reader.NextRow()) ReadEventRow(reader);
  reader.Release();
  for (const ForwardRef& forward : forward_refs_) {
    const std::string_view ref(forward_ref_text_.data() + forward.offset, forward.size);
    const uint32_t target = dataset_.event_ids.Find(ref);
    Event& event = dataset_.events[forward.event];
    if (CheckRef(reader, event_rows_[forward.event], forward.event, event,
                 event_children_of_[forward.event], target, ref)) {
      event.ref = target;
    }
  }
  forward_refs_ = {};
  forward_ref_text_ = {};
}

void DatasetBuilder::ReadEventRow(EventReader& reader) {
  using C = EventColumn;
  Event event;
  EventDetails details;

  const std::string_view id = reader.Get(C::kEventId);
  ReadId(reader, C::kEventId, true);
  // Registered first, so that a ref to the row's own id is recognised as such. Every new id is
  // pushed at the end of the row, so an id's code is its event's position in file order.
  uint32_t self = kNone;
  if (!id.empty()) {
    self = dataset_.event_ids.Intern(id);
    if (self < dataset_.events.size()) {
      reader.Fail(C::kEventId, "duplicate event id {} (first on row {})", Quoted(id),
                  event_rows_[self]);
      self = kNone;
    } else {
      event.id = self;
    }
  }

  uint32_t child = kNone;
  if (const std::string_view child_id = ReadId(reader, C::kChildId, true); !child_id.empty()) {
    child = event_children_.Find(child_id);
    if (child == kNone) {
      reader.Fail(C::kChildId, "no child {} in {}", Quoted(child_id), table_names_[kChildrenFile]);
    }
  }

  std::optional<EventType> type;
  if (const std::string_view type_text = reader.Get(C::kType); type_text.empty()) {
    reader.Fail(C::kType, "required value is missing");
  } else if (type = ParseEventType(type_text); !type) {
    reader.Fail(C::kType, "unknown event type {}", Quoted(type_text));
  }
  if (type) event.type = *type;
  // Without a known type, nothing is needed and only the common columns are used.
  const TypeColumns columns =
      type ? kTypeColumns[static_cast<size_t>(*type)] : TypeColumns{0, kCommonColumns};
  const auto uses = [&](C column) { return (columns.uses & Bit(column)) != 0; };
  // Reports a needed cell that is empty; true when the cell is given, to be checked and parsed.
  const auto given = [&](C column) {
    if (!reader.Get(column).empty()) return true;
    if ((columns.needs & Bit(column)) != 0) {
      reader.Fail(column, "required for type {} but missing", EventTypeName(*type));
    }
    return false;
  };

  if (const std::string_view at = reader.Get(C::kAt); at.empty()) {
    reader.Fail(C::kAt, "required value is missing");
  } else if (Result<ParsedTime> parsed = Calendar::Danish().ParseTime(at); !parsed) {
    reader.Fail(C::kAt, "{}", parsed.error().message);
  } else {
    event.at = parsed->at;
    event.Set(EventFlag::kDateOnly, parsed->date_only);
  }

  if (given(C::kWorkerId)) {
    if (const std::string_view worker_id = ReadId(reader, C::kWorkerId, false);
        !worker_id.empty()) {
      event.worker = event_workers_.Find(worker_id);
      if (event.worker == kNone) {
        reader.Fail(C::kWorkerId, "no worker {} in {}", Quoted(worker_id),
                    table_names_[kWorkersFile]);
      }
    }
  }

  bool ref_pending = false;  // the ref names a later row
  if (given(C::kRef)) {
    const std::string_view ref = ReadId(reader, C::kRef, false);
    if (!ref.empty() && uses(C::kRef) && self != kNone) {
      const uint32_t target = dataset_.event_ids.Find(ref);
      if (target == kNone) {
        forward_refs_.push_back({self, forward_ref_text_.size(), ref.size()});
        forward_ref_text_.append(ref);
        ref_pending = true;
      } else if (CheckRef(reader, reader.row(), self, event, child, target, ref)) {
        event.ref = target;
      }
    }
  }

  if (given(C::kMeasureId)) {
    const std::string_view measure_id = ReadId(reader, C::kMeasureId, false);
    if (!measure_id.empty() && uses(C::kMeasureId)) {
      event.measure = dataset_.measure_ids.Intern(measure_id);
    }
  }

  if (given(C::kMeasureType)) {
    const std::string_view measure_type = ReadId(reader, C::kMeasureType, false);
    if (!measure_type.empty() && uses(C::kMeasureType)) {
      const uint32_t code = dataset_.measure_types.Intern(measure_type);
      if (code >= kNoCode) {
        reader.Fail(C::kMeasureType, "more than {} different measure types", kNoCode);
      } else {
        event.code = static_cast<uint16_t>(code);
      }
    }
  }

  const auto read_flag = [&](C column, EventFlag flag) {
    if (!given(column)) return;
    const std::string_view text = reader.Get(column);
    const std::optional<bool> value = ParseBool(text);
    if (!value) {
      reader.Fail(column, "{} is not a boolean (true/false, ja/nej or 1/0)", Quoted(text));
    } else if (uses(column)) {
      event.Set(flag, *value);
    }
  };
  read_flag(C::kPlacement, EventFlag::kPlacement);

  if (const std::string_view basis = ReadText(reader, C::kLegalBasis, false); !basis.empty()) {
    details.legal_basis = dataset_.detail_texts.Intern(basis);
  }

  if (given(C::kSource)) {
    const std::string_view source = reader.Get(C::kSource);
    if (const std::optional<NotificationSource> parsed = ParseNotificationSource(source); !parsed) {
      reader.Fail(C::kSource, "unknown source {} ({})", Quoted(source),
                  EnumNames(NotificationSourceName, 1, kNotificationSourceCount));
    } else if (uses(C::kSource)) {
      event.source = *parsed;
    }
  }

  read_flag(C::kProfessional, EventFlag::kProfessional);
  read_flag(C::kAcute, EventFlag::kAcute);

  if (given(C::kContext)) {
    const std::string_view context = reader.Get(C::kContext);
    if (const std::optional<ConversationContext> parsed = ParseConversationContext(context);
        !parsed) {
      reader.Fail(C::kContext, "unknown context {} ({})", Quoted(context),
                  EnumNames(ConversationContextName, 1, kConversationContextCount));
    } else if (uses(C::kContext)) {
      event.context = *parsed;
    }
  }

  if (given(C::kDecision)) {
    const std::string_view decision = reader.Get(C::kDecision);
    if (const std::optional<DecisionKind> parsed = ParseDecisionKind(decision); !parsed) {
      reader.Fail(C::kDecision, "unknown decision {} ({})", Quoted(decision),
                  EnumNames(DecisionKindName, 1, kDecisionKindCount));
    } else if (uses(C::kDecision)) {
      event.decision = *parsed;
    }
  }

  read_flag(C::kReasoned, EventFlag::kReasoned);
  read_flag(C::kStatesEffort, EventFlag::kStatesEffort);

  if (given(C::kRuleId)) {
    const std::string_view rule_id = ReadId(reader, C::kRuleId, false);
    if (!rule_id.empty() && uses(C::kRuleId)) {
      if (!known_rule_ids_.empty() && !known_rule_ids_.contains(rule_id)) {
        reader.Fail(C::kRuleId, "unknown rule {}", Quoted(rule_id));
      } else if (const uint32_t code = dataset_.rule_ids.Intern(rule_id); code >= kNoCode) {
        reader.Fail(C::kRuleId, "more than {} different rule ids", kNoCode);
      } else {
        event.code = static_cast<uint16_t>(code);
      }
    }
  }

  if (given(C::kReason)) {
    if (const std::string_view reason = ReadText(reader, C::kReason, false); !reason.empty()) {
      details.reason = dataset_.detail_texts.Intern(reason);
    }
  }

  if (given(C::kAmount)) {
    const std::string_view amount = reader.Get(C::kAmount);
    if (const std::optional<int64_t> ore = ParseAmountOre(amount); !ore) {
      reader.Fail(C::kAmount,
                  "{} is not an amount in DKK (a number ≥ 0 with at most two decimals, such as "
                  "12500 or 12500,50)",
                  Quoted(amount));
    } else if (uses(C::kAmount)) {
      details.amount_ore = *ore;
    }
  }

  if (self == kNone) return;
  dataset_.events.push_back(event);
  dataset_.AddDetails(details);
  event_rows_.push_back(reader.row());
  event_children_of_.push_back(child);
  if (!type) events_of_unknown_type_.push_back(self);
  if (on_event_ && !ref_pending && !reader.AnyError()) {
    on_event_(dataset_, child, self, expected_events_);
  }
}

bool DatasetBuilder::CheckRef(EventReader& reader, uint32_t row, uint32_t position,
                              const Event& event, uint32_t child, uint32_t target,
                              std::string_view ref) {
  using C = EventColumn;
  if (target == kNone) {
    reader.FailAt(row, C::kRef, "no event {} in {}", Quoted(ref), table_names_[kEventsFile]);
    return false;
  }
  if (target == position) {
    reader.FailAt(row, C::kRef, "an event cannot refer to itself");
    return false;
  }
  const Event& referenced = dataset_.events[target];
  const uint32_t referenced_child = event_children_of_[target];
  if (child != kNone && referenced_child != kNone && child != referenced_child) {
    reader.FailAt(row, C::kRef, "event {} belongs to child {}, not to child {}", Quoted(ref),
                  Quoted(dataset_.children[referenced_child].id),
                  Quoted(dataset_.children[child].id));
    return false;
  }
  // A referenced row whose type is unknown is reported on its own row.
  if (std::binary_search(events_of_unknown_type_.begin(), events_of_unknown_type_.end(), target)) {
    return true;
  }
  if (RefsNotification(event.type) && referenced.type != EventType::kNotificationReceived) {
    reader.FailAt(row, C::kRef, "event {} is a {}, but a {} must refer to a notification_received",
                  Quoted(ref), EventTypeName(referenced.type), EventTypeName(event.type));
    return false;
  }
  if (event.type == EventType::kRetraction && referenced.type == EventType::kRetraction) {
    reader.FailAt(row, C::kRef, "event {} is a retraction, and a retraction cannot be retracted",
                  Quoted(ref));
    return false;
  }
  return true;
}

Dataset DatasetBuilder::Finish() {
  DatasetSource& source = dataset_.source;
  source.units_file = table_names_[kUnitsFile];
  source.workers_file = table_names_[kWorkersFile];
  source.children_file = table_names_[kChildrenFile];
  source.events_file = table_names_[kEventsFile];
  source.unit_rows = std::move(unit_rows_);
  source.worker_rows = std::move(worker_rows_);
  source.child_rows = std::move(child_rows_);
  source.event_rows = std::move(event_rows_);
  ArrangeEventsByChild(dataset_, std::move(event_children_of_));
  return std::move(dataset_);
}

// CSV files as tables.

// A whole file in one buffer. Not a std::string: resizing one would first zero every byte.
struct FileBuffer {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  std::string_view text() const { return {data.get(), size}; }
};

Result<FileBuffer> ReadWholeFile(const fs::path& path) {
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return InvalidArgument(std::strerror(errno));
  std::error_code size_error;
  const uintmax_t size = fs::file_size(path, size_error);
  // One byte more than the size, so that a file that grew meanwhile is noticed and read on.
  size_t capacity = size_error ? size_t{1} << 16 : static_cast<size_t>(size) + 1;
  FileBuffer buffer{std::make_unique_for_overwrite<char[]>(capacity), 0};
  while (true) {
    buffer.size +=
        std::fread(buffer.data.get() + buffer.size, 1, capacity - buffer.size, file.get());
    if (buffer.size < capacity) break;
    capacity *= 2;
    auto larger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(larger.get(), buffer.data.get(), buffer.size);
    buffer.data = std::move(larger);
  }
  if (std::ferror(file.get())) return InvalidArgument(std::strerror(errno));
  return buffer;
}

// A CSV file as a table: the whole file in one buffer, tokenized row by row.
class CsvTable final : public TableSource {
 public:
  CsvTable(std::string name, FileBuffer buffer)
      : name_(std::move(name)), buffer_(std::move(buffer)), tokenizer_(buffer_.text()) {}
  CsvTable(const CsvTable&) = delete;
  CsvTable& operator=(const CsvTable&) = delete;

  // Reads the header row; the error is a complete "file:row: message" line.
  Status ReadHeader() {
    switch (tokenizer_.Next()) {
      case CsvStatus::kRow:
        break;
      case CsvStatus::kEnd:
        return InvalidArgument(
            fmt::format("{}: the file is empty (its first row must be the header)", name_));
      case CsvStatus::kMalformed:
        return InvalidArgument(
            fmt::format("{}:{}: {}", name_, tokenizer_.error().line, tokenizer_.error().message));
    }
    row_ = tokenizer_.line();
    columns_.assign(tokenizer_.cells().begin(), tokenizer_.cells().end());
    return {};
  }

  std::string_view Name() const override { return name_; }
  std::span<const std::string> Columns() const override { return columns_; }
  std::span<const std::string_view> Cells() const override { return tokenizer_.cells(); }
  uint32_t Row() const override { return row_; }
  size_t RowCountHint() const override {
    // Line breaks bound the rows from above. No row of the interchange format fits in fewer than
    // 16 bytes (a date, an id and separators), so a file of empty lines cannot make validation
    // reserve more memory than real rows would fill.
    const char* cursor = buffer_.data.get();
    const char* const end = cursor + buffer_.size;
    size_t line_breaks = 0;
    while ((cursor = static_cast<const char*>(
                std::memchr(cursor, '\n', static_cast<size_t>(end - cursor)))) != nullptr) {
      ++line_breaks;
      ++cursor;
    }
    return std::min(line_breaks, buffer_.size / 16);
  }

  Result<bool> Next() override {
    switch (tokenizer_.Next()) {
      case CsvStatus::kRow:
        row_ = tokenizer_.line();
        return true;
      case CsvStatus::kEnd:
        return false;
      case CsvStatus::kMalformed:
        break;
    }
    const CsvError& error = tokenizer_.error();
    row_ = error.line;
    if (error.cell < columns_.size()) {
      return InvalidArgument(
          fmt::format("{}:{}:{}: {}", name_, row_, Shown(columns_[error.cell]), error.message));
    }
    return InvalidArgument(fmt::format("{}:{}: {}", name_, row_, error.message));
  }

 private:
  std::string name_;
  FileBuffer buffer_;
  CsvTokenizer tokenizer_;
  std::vector<std::string> columns_;
  uint32_t row_ = 0;
};

}  // namespace

Result<Dataset> ReadInterchangeTables(InterchangeTables tables, const ReadOptions& options) {
  if (!tables.units || !tables.workers || !tables.children || !tables.events) {
    return Internal("ReadInterchangeTables needs all four tables");
  }
  ErrorList errors(options.max_errors);
  UnitReader units(std::move(tables.units), kUnitColumns, kUnitsFile, errors);
  WorkerReader workers(std::move(tables.workers), kWorkerColumns, kWorkersFile, errors);
  ChildReader children(std::move(tables.children), kChildColumns, kChildrenFile, errors);
  EventReader events(std::move(tables.events), kEventColumns, kEventsFile, errors);
  // Rows are only worth reading when every header is right: a missing key column in one file
  // would otherwise turn every reference to it into an error.
  units.CheckHeader();
  workers.CheckHeader();
  children.CheckHeader();
  if (!children.HasColumn(ChildColumn::kBirthDate) && !children.HasColumn(ChildColumn::kCpr)) {
    children.FailHeader("missing required column: birth_date (or cpr)");
  }
  events.CheckHeader();
  if (!errors.empty()) return errors.ToError();

  std::optional<CprHasher> hasher;
  if (options.cpr_key) {
    if (sodium_init() < 0) return Internal("libsodium could not be initialised");
    hasher.emplace(*options.cpr_key);
  }
  DatasetBuilder builder(options,
                         {std::string(units.file_name()), std::string(workers.file_name()),
                          std::string(children.file_name()), std::string(events.file_name())});
  builder.ReadUnits(units);
  units.Release();
  builder.ReadWorkers(workers);
  workers.Release();
  builder.ReadChildren(children, hasher ? &*hasher : nullptr);
  children.Release();
  builder.ReadEvents(events);
  if (!errors.empty()) return errors.ToError();
  return builder.Finish();
}

Result<std::unique_ptr<TableSource>> OpenCsvTable(const std::filesystem::path& dir,
                                                  std::string_view file_name) {
  const fs::path path = dir / file_name;
  std::error_code status_error;
  const fs::file_status status = fs::status(path, status_error);
  if (!fs::exists(status)) {
    return InvalidArgument(fmt::format("{}: file not found in {}", file_name, dir.string()));
  }
  if (!fs::is_regular_file(status)) {
    return InvalidArgument(fmt::format("{}: not a regular file", file_name));
  }
  Result<FileBuffer> buffer = ReadWholeFile(path);
  if (!buffer) {
    return InvalidArgument(
        fmt::format("{}: cannot be read ({})", file_name, buffer.error().message));
  }
  auto table = std::make_unique<CsvTable>(std::string(file_name), std::move(buffer).value());
  if (Status header = table->ReadHeader(); !header) return header.error();
  return std::unique_ptr<TableSource>(std::move(table));
}

Result<Dataset> ReadInterchangeDirectory(const std::filesystem::path& dir,
                                         const ReadOptions& options) {
  Result<InterchangeTables> tables = OpenInterchangeTables(dir);
  if (!tables) return std::move(tables).error();
  return ReadInterchangeTables(std::move(tables).value(), options);
}

}  // namespace tilsyn
