#include "ingest/xlsx_table.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <optional>
#include <pugixml.hpp>
#include <utility>

#include "core/time.h"
#include "ingest/cell_text.h"

namespace tilsyn {

struct XlsxWorkbook::Shared {
  // How a number in a given cell style is shown.
  enum class NumberKind : uint8_t { kNumber, kDate, kDateTime };

  std::vector<std::string> strings;     // the shared strings, by index
  std::vector<NumberKind> style_kinds;  // by cell style index (the s attribute)
  bool date1904 = false;
};

namespace {

namespace fs = std::filesystem;
using NumberKind = XlsxWorkbook::Shared::NumberKind;

// A worksheet's size (Excel's limits, XFD1048576).
constexpr size_t kMaxColumns = 16384;
constexpr uint32_t kMaxRows = 1048576;

std::optional<uint32_t> ParseUnsigned(std::string_view text) {
  uint32_t value = 0;
  const char* const end = text.data() + text.size();
  const std::from_chars_result parsed = std::from_chars(text.data(), end, value);
  if (text.empty() || parsed.ec != std::errc() || parsed.ptr != end) return std::nullopt;
  return value;
}

// Column letters of a 0-based column index: 0 = A, 26 = AA.
std::string ColumnLetters(size_t column) {
  std::string letters;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

// The 0-based column of a cell reference such as "AB12"; nullopt when it is not a reference to a
// cell of a worksheet.
std::optional<size_t> ColumnOfReference(std::string_view reference) {
  size_t column = 0;
  size_t i = 0;
  for (; i < reference.size() && reference[i] >= 'A' && reference[i] <= 'Z'; ++i) {
    column = column * 26 + static_cast<size_t>(reference[i] - 'A' + 1);
    if (column > kMaxColumns) return std::nullopt;
  }
  const std::string_view digits = reference.substr(i);
  if (i == 0 || digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return column - 1;
}

// How a number format code shows a number: as a date when it has a d, m or y, with a time when it
// has an h or s (minutes are an m beside them). Quoted text, [colour], [$currency] and [h]-style
// sections, and the character after \, _ or * are shown as they are, not read as a part.
NumberKind KindOfFormatCode(std::string_view code) {
  bool date = false;
  bool time = false;
  for (size_t i = 0; i < code.size(); ++i) {
    switch (code[i]) {
      case '"':
        i = code.find('"', i + 1);
        break;
      case '[':
        i = code.find(']', i + 1);
        break;
      case '\\':
      case '_':
      case '*':
        ++i;
        break;
      case 'd':
      case 'D':
      case 'm':
      case 'M':
      case 'y':
      case 'Y':
        date = true;
        break;
      case 'h':
      case 'H':
      case 's':
      case 'S':
        time = true;
        break;
      default:
        break;
    }
    if (i == std::string_view::npos) break;
  }
  if (time) return NumberKind::kDateTime;
  return date ? NumberKind::kDate : NumberKind::kNumber;
}

// The built-in number formats (ECMA-376 part 1, 18.8.30) that show dates or times.
NumberKind KindOfBuiltInFormat(uint32_t id) {
  if (id >= 14 && id <= 17) return NumberKind::kDate;
  if ((id >= 18 && id <= 22) || (id >= 45 && id <= 47)) return NumberKind::kDateTime;
  return NumberKind::kNumber;
}

// A serial date-time as interchange text: "YYYY-MM-DD", with "THH:MM" when it holds a time of day
// or `shows_time`, and ":SS" when its seconds are not 0. nullopt outside the years 1900 (1904) to
// 9999, which Excel cannot show either.
std::optional<std::string> DateTimeText(double serial, bool date1904, bool shows_time) {
  // Day 0 of the 1904 system is 1904-01-01, 1462 days after day 0 of the 1900 system.
  const double last_serial = date1904 ? 2957003 : 2958465;  // 9999-12-31
  if (!(serial >= 0 && serial < last_serial + 1)) return std::nullopt;
  // Rounded to the second: a time typed as 10:20 is stored as a fraction a hair off it.
  const int64_t seconds = std::llround(serial * static_cast<double>(kSecondsPerDay));
  const auto days = static_cast<int>(seconds / kSecondsPerDay);
  const int64_t second_of_day = seconds % kSecondsPerDay;
  std::string text;
  if (date1904) {
    text = FormatDate(AddDays(DateFromYmd(1904, 1, 1), days));
  } else if (days == 60) {
    // Excel counts a 29 February 1900, after Lotus 1-2-3. Passed on as it is, validation rejects
    // it like any other date that does not exist.
    text = "1900-02-29";
  } else {
    // Day 1 is 1900-01-01; from day 61 on, the fictional 29 February moves day 0 one day back.
    text = FormatDate(AddDays(DateFromYmd(1899, 12, days < 60 ? 31 : 30), days));
  }
  if (second_of_day != 0 || shows_time) {
    text += fmt::format("T{:02}:{:02}", second_of_day / 3600, second_of_day / 60 % 60);
    if (second_of_day % 60 != 0) text += fmt::format(":{:02}", second_of_day % 60);
  }
  return text;
}

// Appends a UTF-16 code unit (not a surrogate) as UTF-8.
void AppendUtf8(uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Appends text as OOXML stores it in strings (ST_Xstring): a character that XML cannot hold, such
// as a control character, is written _xHHHH_ (its UTF-16 code), and so is the "_" of a literal
// "_xHHHH_" (as _x005F_).
void AppendUnescaped(std::string_view text, std::string& out) {
  constexpr size_t kEscapeSize = 7;  // _xHHHH_
  const auto is_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  };
  size_t pos = 0;
  for (size_t start = text.find("_x"); start != std::string_view::npos;
       start = text.find("_x", start + 1)) {
    if (start < pos || text.size() - start < kEscapeSize || text[start + 6] != '_' ||
        !std::all_of(text.begin() + static_cast<ptrdiff_t>(start) + 2,
                     text.begin() + static_cast<ptrdiff_t>(start) + 6, is_hex)) {
      continue;
    }
    uint32_t code = 0;
    std::from_chars(text.data() + start + 2, text.data() + start + 6, code, 16);
    out.append(text.substr(pos, start - pos));
    // A lone half of a surrogate pair is no character.
    AppendUtf8(code >= 0xD800 && code <= 0xDFFF ? 0xFFFD : code, out);
    pos = start + kEscapeSize;
  }
  out.append(text.substr(pos));
}

// XML names without their namespace prefix: most writers use the default namespace, some
// ("x:row") a prefix, and the name that follows is what counts.
std::string_view LocalName(const char* name) {
  const std::string_view full = name;
  const size_t colon = full.find(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

bool Is(pugi::xml_node node, std::string_view local_name) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local_name;
}

pugi::xml_node FirstChild(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_node child : node.children()) {
    if (Is(child, local_name)) return child;
  }
  return {};
}

pugi::xml_node NextSibling(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_node next = node.next_sibling(); next; next = next.next_sibling()) {
    if (Is(next, local_name)) return next;
  }
  return {};
}

// Appends the text of a string item (<si> or <is>): its <t>, or the <t> of each of its runs
// (<r>). Phonetic runs (<rPh>) are a reading aid, not part of the text.
void AppendItemText(pugi::xml_node item, std::string& out) {
  for (pugi::xml_node child : item.children()) {
    if (Is(child, "t")) {
      AppendUnescaped(child.text().get(), out);
    } else if (Is(child, "r")) {
      AppendUnescaped(FirstChild(child, "t").text().get(), out);
    }
  }
}

// A parsed XML part of the workbook. The document points into the buffer.
struct XmlPart {
  std::unique_ptr<char[]> buffer;
  std::unique_ptr<pugi::xml_document> document;
};

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// Unpacks and parses the entry `part`. Errors name the part but not the workbook; a part that is
// not there is kNotFound.
Result<XmlPart> ReadXml(zip_t* archive, const std::string& part, uint64_t max_part_size) {
  const zip_int64_t index = zip_name_locate(archive, part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return NotFound(fmt::format("{} is missing", part));
  const auto entry = static_cast<zip_uint64_t>(index);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive, entry, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
    return InvalidArgument(fmt::format("{} cannot be read ({})", part, zip_strerror(archive)));
  }
  if (stat.size > max_part_size) {
    return InvalidArgument(fmt::format("{} would unpack to {} bytes, more than the {} allowed",
                                       part, stat.size, max_part_size));
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive, entry, 0));
  if (!file) {
    return InvalidArgument(fmt::format("{} cannot be read ({})", part, zip_strerror(archive)));
  }
  // One byte more than the archive promises, so that an entry unpacking to more is noticed.
  const size_t capacity = stat.size + 1;
  auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  size_t size = 0;
  while (size < capacity) {
    const zip_int64_t got = zip_fread(file.get(), buffer.get() + size, capacity - size);
    if (got < 0) {
      return InvalidArgument(
          fmt::format("{} cannot be read ({})", part, zip_file_strerror(file.get())));
    }
    if (got == 0) break;
    size += static_cast<size_t>(got);
  }
  if (size != stat.size) {
    return InvalidArgument(fmt::format("{} unpacks to another size than the archive says", part));
  }
  auto document = std::make_unique<pugi::xml_document>();
  // parse_ws_pcdata_single keeps a cell text made only of spaces.
  const pugi::xml_parse_result parsed = document->load_buffer_inplace(
      buffer.get(), size, pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!parsed) {
    // Bytes counted from 1, as in the messages about JSON Lines.
    return InvalidArgument(fmt::format("{} is not well-formed XML ({} at byte {})", part,
                                       parsed.description(), parsed.offset + 1));
  }
  return XmlPart{std::move(buffer), std::move(document)};
}

struct Relationship {
  std::string id;
  std::string type;
  std::string part;  // the zip entry it points to
};

// The relationships of xl/workbook.xml. Targets are relative to its folder unless absolute.
std::vector<Relationship> ReadRelationships(const XmlPart& rels) {
  std::vector<Relationship> relationships;
  for (pugi::xml_node node : rels.document->document_element().children()) {
    if (!Is(node, "Relationship")) continue;
    const std::string_view target = node.attribute("Target").value();
    relationships.push_back(
        {node.attribute("Id").value(), node.attribute("Type").value(),
         target.starts_with('/') ? std::string(target.substr(1)) : fmt::format("xl/{}", target)});
  }
  return relationships;
}

const Relationship* FindRelationship(const std::vector<Relationship>& relationships,
                                     std::string_view id) {
  const auto found = std::find_if(relationships.begin(), relationships.end(),
                                  [&](const Relationship& r) { return r.id == id; });
  return found == relationships.end() ? nullptr : &*found;
}

// The relationship of the workbook's one part of the given type (e.g. "/sharedStrings"), in the
// transitional or the strict namespace.
const Relationship* FindRelationshipOfType(const std::vector<Relationship>& relationships,
                                           std::string_view type_suffix) {
  const auto found =
      std::find_if(relationships.begin(), relationships.end(),
                   [&](const Relationship& r) { return r.type.ends_with(type_suffix); });
  return found == relationships.end() ? nullptr : &*found;
}

// The r:id of a <sheet>: an "id" in the relationships namespace, whatever its prefix.
std::string_view RelationshipId(pugi::xml_node sheet) {
  for (pugi::xml_attribute attribute : sheet.attributes()) {
    const std::string_view name = attribute.name();
    if (name.find(':') != std::string_view::npos && LocalName(attribute.name()) == "id") {
      return attribute.value();
    }
  }
  return {};
}

std::vector<std::string> ReadSharedStrings(const XmlPart& part) {
  std::vector<std::string> strings;
  for (pugi::xml_node item : part.document->document_element().children()) {
    if (!Is(item, "si")) continue;
    AppendItemText(item, strings.emplace_back());
  }
  return strings;
}

// How each cell style (<cellXfs>) shows numbers.
std::vector<NumberKind> ReadStyleKinds(const XmlPart& part) {
  const pugi::xml_node style_sheet = part.document->document_element();
  std::vector<std::pair<uint32_t, NumberKind>> custom;
  for (pugi::xml_node format : FirstChild(style_sheet, "numFmts").children()) {
    if (!Is(format, "numFmt")) continue;
    custom.emplace_back(format.attribute("numFmtId").as_uint(),
                        KindOfFormatCode(format.attribute("formatCode").value()));
  }
  std::vector<NumberKind> kinds;
  for (pugi::xml_node style : FirstChild(style_sheet, "cellXfs").children()) {
    if (!Is(style, "xf")) continue;
    const uint32_t id = style.attribute("numFmtId").as_uint();
    // A workbook may define a format under a built-in id; its own code then counts.
    const auto defined = std::find_if(custom.begin(), custom.end(),
                                      [&](const auto& format) { return format.first == id; });
    kinds.push_back(defined != custom.end() ? defined->second : KindOfBuiltInFormat(id));
  }
  return kinds;
}

// A worksheet as a table: its XML parsed at open, its rows turned into cells one by one.
class XlsxSheet final : public TableSource {
 public:
  XlsxSheet(std::string name, XmlPart part, std::shared_ptr<const XlsxWorkbook::Shared> shared)
      : name_(std::move(name)), part_(std::move(part)), shared_(std::move(shared)) {}
  XlsxSheet(const XlsxSheet&) = delete;
  XlsxSheet& operator=(const XlsxSheet&) = delete;

  // Finds the header (the first row with a value) and reads it; the error is a complete
  // "file: message" or "file:row: message" line.
  Status ReadHeader() {
    const pugi::xml_node sheet_data = FirstChild(part_.document->document_element(), "sheetData");
    for (pugi::xml_node row = FirstChild(sheet_data, "row"); row; row = NextSibling(row, "row")) {
      Result<size_t> width = ReadRow(row);
      if (!width) return width.error();
      if (*width == 0) continue;
      columns_.assign(cells_.begin(), cells_.begin() + static_cast<ptrdiff_t>(*width));
      next_row_ = NextSibling(row, "row");
      for (pugi::xml_node rest = next_row_; rest; rest = NextSibling(rest, "row")) ++row_count_;
      return {};
    }
    return InvalidArgument(
        fmt::format("{}: the sheet is empty (its first row must be the header)", name_));
  }

  std::string_view Name() const override { return name_; }
  std::span<const std::string> Columns() const override { return columns_; }
  std::span<const std::string_view> Cells() const override { return current_; }
  uint32_t Row() const override { return row_; }
  size_t RowCountHint() const override { return row_count_; }

  Result<bool> Next() override {
    while (next_row_) {
      const pugi::xml_node row = next_row_;
      next_row_ = NextSibling(row, "row");
      Result<size_t> width = ReadRow(row);
      if (!width) {
        next_row_ = {};
        return std::move(width).error();
      }
      if (*width == 0) continue;
      current_ = std::span<const std::string_view>(cells_).first(std::max(*width, columns_.size()));
      return true;
    }
    return false;
  }

 private:
  // Reads `row` into cells_ and its number into row_. Returns the width up to its last cell with
  // a value (0 when it has none); the error is a complete "file:row[:column]: message" line.
  Result<size_t> ReadRow(pugi::xml_node row) {
    if (const pugi::xml_attribute number = row.attribute("r")) {
      const std::optional<uint32_t> parsed = ParseUnsigned(number.value());
      if (!parsed || *parsed == 0 || *parsed > kMaxRows) {
        return InvalidArgument(fmt::format("{}: \"{}\" is not a row number (1 to {})", name_,
                                           number.value(), kMaxRows));
      }
      row_ = *parsed;
    } else {
      ++row_;  // a row without a number follows the one before it
    }
    std::fill(cells_.begin(), cells_.end(), std::string_view());
    size_t width = 0;
    size_t column = 0;  // a cell without a reference follows the one before it
    for (pugi::xml_node cell : row.children()) {
      if (!Is(cell, "c")) continue;
      if (const pugi::xml_attribute reference = cell.attribute("r")) {
        const std::optional<size_t> parsed = ColumnOfReference(reference.value());
        if (!parsed) {
          return InvalidArgument(fmt::format("{}:{}: \"{}\" is not a cell reference (A1 to XFD{})",
                                             name_, row_, reference.value(), kMaxRows));
        }
        column = *parsed;
      }
      if (column >= kMaxColumns) {
        return InvalidArgument(
            fmt::format("{}:{}: the row has more than {} cells", name_, row_, kMaxColumns));
      }
      if (column >= cells_.size()) {
        cells_.resize(column + 1);
        scratch_.resize(column + 1);
      }
      if (std::optional<std::string> problem = ReadCell(cell, column)) {
        const std::string where = fmt::format("{}:{}", name_, row_);
        const std::string what = fmt::format("cell {}{} {}", ColumnLetters(column), row_, *problem);
        if (column < columns_.size() && !columns_[column].empty()) {
          return InvalidArgument(fmt::format("{}:{}: {}", where, columns_[column], what));
        }
        return InvalidArgument(fmt::format("{}: {}", where, what));
      }
      if (!cells_[column].empty()) width = column + 1;
      ++column;
    }
    return width;
  }

  // Reads `cell` into cells_[column]. When it has no text that can be read, says why in words
  // that follow "cell D7", e.g. "holds the error #N/A".
  std::optional<std::string> ReadCell(pugi::xml_node cell, size_t column) {
    const std::string_view type = cell.attribute("t").value();
    const std::string_view value = FirstChild(cell, "v").text().get();
    std::string_view& text = cells_[column];
    std::string& scratch = scratch_[column];
    if (type == "inlineStr") {
      scratch.clear();
      AppendItemText(FirstChild(cell, "is"), scratch);
      text = scratch;
      return std::nullopt;
    }
    if (value.empty()) {
      text = {};
      return std::nullopt;
    }
    if (type == "s") {
      const std::optional<uint32_t> index = ParseUnsigned(value);
      if (!index || *index >= shared_->strings.size()) {
        return fmt::format("refers to shared string {}, which the workbook does not have", value);
      }
      text = shared_->strings[*index];
    } else if (type == "str" || type == "d") {
      // A formula's text result, or a date written as ISO 8601 text.
      scratch.clear();
      AppendUnescaped(value, scratch);
      text = scratch;
    } else if (type == "b") {
      if (value != "0" && value != "1") {
        return fmt::format("holds the boolean \"{}\", which is neither 0 nor 1", value);
      }
      text = value == "1" ? "true" : "false";
    } else if (type == "e") {
      return fmt::format("holds the error {}", value);
    } else if (type.empty() || type == "n") {
      return ReadNumber(cell, value, column);
    } else {
      return fmt::format("has the unknown type \"{}\"", type);
    }
    return std::nullopt;
  }

  std::optional<std::string> ReadNumber(pugi::xml_node cell, std::string_view value,
                                        size_t column) {
    double number = 0;
    const char* const end = value.data() + value.size();
    const std::from_chars_result parsed = std::from_chars(value.data(), end, number);
    if (parsed.ec != std::errc() || parsed.ptr != end || !std::isfinite(number)) {
      return fmt::format("holds \"{}\", which is not a number", value);
    }
    std::string& scratch = scratch_[column];
    const std::optional<uint32_t> style = ParseUnsigned(cell.attribute("s").value());
    const NumberKind kind = style && *style < shared_->style_kinds.size()
                                ? shared_->style_kinds[*style]
                                : NumberKind::kNumber;
    if (kind == NumberKind::kNumber) {
      scratch = ShortestDecimal(number);
    } else {
      std::optional<std::string> date =
          DateTimeText(number, shared_->date1904, kind == NumberKind::kDateTime);
      if (!date) {
        return fmt::format("holds {} in a date format, outside the dates a workbook can show",
                           ShortestDecimal(number));
      }
      scratch = std::move(*date);
    }
    cells_[column] = scratch;
    return std::nullopt;
  }

  std::string name_;
  XmlPart part_;
  std::shared_ptr<const XlsxWorkbook::Shared> shared_;
  pugi::xml_node next_row_;
  std::vector<std::string> columns_;
  // The current row's cells, as wide as the widest row so far. A cell's text is in the shared
  // strings, or in scratch_ at its column: a deque, so that growing it moves no string (a short
  // string lives inside its object, and a view of it would dangle).
  std::vector<std::string_view> cells_;
  std::deque<std::string> scratch_;
  std::span<const std::string_view> current_;
  uint32_t row_ = 0;
  size_t row_count_ = 0;
};

}  // namespace

void XlsxWorkbook::ZipCloser::operator()(zip* archive) const { zip_discard(archive); }

Result<XlsxWorkbook> XlsxWorkbook::Open(const std::filesystem::path& path, std::string display_name,
                                        uint64_t max_part_size) {
  std::error_code status_error;
  const fs::file_status status = fs::status(path, status_error);
  if (!fs::exists(status)) {
    return InvalidArgument(
        fmt::format("{}: file not found in {}", display_name, path.parent_path().string()));
  }
  if (!fs::is_regular_file(status)) {
    return InvalidArgument(fmt::format("{}: not a regular file", display_name));
  }

  XlsxWorkbook workbook;
  workbook.name_ = std::move(display_name);
  workbook.max_part_size_ = max_part_size;
  const std::string& name = workbook.name_;
  zip_error_t zip_error;
  zip_error_init(&zip_error);
  zip_source_t* source = zip_source_file_create(path.c_str(), 0, -1, &zip_error);
  if (source != nullptr) {
    workbook.archive_.reset(zip_open_from_source(source, ZIP_RDONLY, &zip_error));
    if (!workbook.archive_) zip_source_free(source);
  }
  if (!workbook.archive_) {
    const bool not_zip = zip_error_code_zip(&zip_error) == ZIP_ER_NOZIP;
    std::string message = not_zip
                              ? fmt::format("{}: not an XLSX workbook (not a zip archive)", name)
                              : fmt::format("{}: cannot be read as a zip archive ({})", name,
                                            zip_error_strerror(&zip_error));
    zip_error_fini(&zip_error);
    return InvalidArgument(std::move(message));
  }
  zip_error_fini(&zip_error);

  const auto read = [&](const std::string& part) -> Result<XmlPart> {
    Result<XmlPart> xml = ReadXml(workbook.archive_.get(), part, max_part_size);
    if (xml) return xml;
    if (xml.error().code == ErrorCode::kNotFound) {
      return InvalidArgument(fmt::format("{}: not an XLSX workbook (it has no {})", name, part));
    }
    return InvalidArgument(fmt::format("{}: {}", name, xml.error().message));
  };
  Result<XmlPart> book = read("xl/workbook.xml");
  if (!book) return book.error();
  Result<XmlPart> rels = read("xl/_rels/workbook.xml.rels");
  if (!rels) return rels.error();
  const std::vector<Relationship> relationships = ReadRelationships(*rels);

  const pugi::xml_node root = book->document->document_element();
  for (pugi::xml_node sheet : FirstChild(root, "sheets").children()) {
    if (!Is(sheet, "sheet")) continue;
    const std::string_view id = RelationshipId(sheet);
    const Relationship* relationship = FindRelationship(relationships, id);
    if (relationship == nullptr) {
      return InvalidArgument(
          fmt::format("{}: not an XLSX workbook (sheet \"{}\" has no relationship \"{}\" in "
                      "xl/_rels/workbook.xml.rels)",
                      name, sheet.attribute("name").value(), id));
    }
    workbook.sheet_names_.emplace_back(sheet.attribute("name").value());
    workbook.sheet_parts_.push_back(relationship->part);
  }

  auto shared = std::make_shared<Shared>();
  shared->date1904 = FirstChild(root, "workbookPr").attribute("date1904").as_bool();
  if (const Relationship* strings = FindRelationshipOfType(relationships, "/sharedStrings")) {
    Result<XmlPart> part = read(strings->part);
    if (!part) return part.error();
    shared->strings = ReadSharedStrings(*part);
  }
  if (const Relationship* styles = FindRelationshipOfType(relationships, "/styles")) {
    Result<XmlPart> part = read(styles->part);
    if (!part) return part.error();
    shared->style_kinds = ReadStyleKinds(*part);
  }
  workbook.shared_ = std::move(shared);
  return workbook;
}

Result<std::unique_ptr<TableSource>> XlsxWorkbook::OpenSheet(std::string_view sheet_name,
                                                             std::string display_name) {
  if (sheet_names_.empty()) {
    return InvalidArgument(fmt::format("{}: the workbook has no sheets", name_));
  }
  size_t index = 0;
  if (!sheet_name.empty()) {
    const auto found = std::find(sheet_names_.begin(), sheet_names_.end(), sheet_name);
    if (found == sheet_names_.end()) {
      return InvalidArgument(fmt::format("{}: no sheet named \"{}\" (the sheets are: {})", name_,
                                         sheet_name, fmt::join(sheet_names_, ", ")));
    }
    index = static_cast<size_t>(found - sheet_names_.begin());
  }
  Result<XmlPart> part = ReadXml(archive_.get(), sheet_parts_[index], max_part_size_);
  if (!part) return InvalidArgument(fmt::format("{}: {}", name_, part.error().message));
  auto sheet =
      std::make_unique<XlsxSheet>(std::move(display_name), std::move(part).value(), shared_);
  if (Status header = sheet->ReadHeader(); !header) return header.error();
  return std::unique_ptr<TableSource>(std::move(sheet));
}

Result<std::unique_ptr<TableSource>> OpenXlsxTable(const std::filesystem::path& path,
                                                   std::string_view sheet_name,
                                                   std::string display_name) {
  Result<XlsxWorkbook> workbook = XlsxWorkbook::Open(path, display_name);
  if (!workbook) return workbook.error();
  return workbook->OpenSheet(sheet_name, std::move(display_name));
}

}  // namespace tilsyn
