#include "server/intake.h"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "ingest/cell_text.h"
#include "store/records.h"

namespace tilsyn::server {
namespace {

using Json = nlohmann::json;

// A table held in memory: rows of text cells, header at row 0 and records from row 1.
class RowsTable final : public TableSource {
 public:
  explicit RowsTable(std::string name) : name_(std::move(name)) {}

  size_t ColumnOf(const std::string& column) {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == column) return i;
    }
    columns_.push_back(column);
    for (std::vector<std::string>& row : rows_) row.resize(columns_.size());
    return columns_.size() - 1;
  }
  std::vector<std::string>& AddRow() {
    rows_.emplace_back(columns_.size());
    return rows_.back();
  }

  std::string_view Name() const override { return name_; }
  std::span<const std::string> Columns() const override { return columns_; }
  Result<bool> Next() override {
    if (next_ >= rows_.size()) return false;
    const std::vector<std::string>& row = rows_[next_++];
    cells_.assign(row.begin(), row.end());
    cells_.resize(columns_.size());
    return true;
  }
  std::span<const std::string_view> Cells() const override { return cells_; }
  uint32_t Row() const override { return static_cast<uint32_t>(next_); }
  size_t RowCountHint() const override { return rows_.size(); }

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  size_t next_ = 0;
  std::vector<std::string_view> cells_;
};

// The text of a JSON value as a cell, as JSON Lines files are read.
Result<std::string> CellText(const Json& value, std::string_view where) {
  switch (value.type()) {
    case Json::value_t::null:
      return std::string();
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::boolean:
      return std::string(value.get<bool>() ? "true" : "false");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return ShortestDecimal(value.get<double>());
    default:
      return InvalidArgument(
          fmt::format("{}: a value must be a string, number, true, false or null", where));
  }
}

// The interchange format's columns of each table (shared/spec/interchange.md), so that a table
// has them all even when no record is posted for it.
const std::vector<std::string> kUnitColumns = {"unit_id", "parent_id", "kind", "name"};
const std::vector<std::string> kWorkerColumns = {"worker_id", "name", "unit_id", "fte"};
const std::vector<std::string> kChildColumns = {"child_id", "cpr", "birth_date", "unit_id"};
const std::vector<std::string> kEventColumns = {
    "event_id",     "child_id",  "type",          "at",      "worker_id",    "ref",   "measure_id",
    "measure_type", "placement", "legal_basis",   "source",  "professional", "acute", "context",
    "decision",     "reasoned",  "states_effort", "rule_id", "reason",       "amount"};

// Adds the posted records of one table (whose first column is the id); returns their ids.
Result<std::set<std::string>> AddPosted(const Json& body, const std::string& table_name,
                                        const std::vector<std::string>& columns, RowsTable& table) {
  std::set<std::string> ids;
  for (const std::string& column : columns) table.ColumnOf(column);
  if (!body.contains(table_name)) return ids;
  const Json& records = body[table_name];
  if (!records.is_array()) {
    return InvalidArgument(fmt::format("{}: must be an array of records", table_name));
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const Json& record = records[i];
    const std::string where = fmt::format("{}:{}", table_name, i + 1);
    if (!record.is_object()) return InvalidArgument(fmt::format("{}: not an object", where));
    std::vector<std::pair<size_t, std::string>> cells;
    for (const auto& [key, value] : record.items()) {
      Result<std::string> text = CellText(value, fmt::format("{}:{}", where, key));
      if (!text) return std::move(text).error();
      cells.emplace_back(table.ColumnOf(key), std::move(*text));
    }
    std::vector<std::string>& row = table.AddRow();
    for (auto& [column, text] : cells) row[column] = std::move(text);
    ids.insert(row.front());
  }
  return ids;
}

void AddStored(RowsTable& table, const std::set<std::string>& posted,
               std::span<const std::pair<std::string_view, std::string>> cells) {
  if (posted.count(cells.front().second) > 0) return;
  std::vector<std::pair<size_t, std::string>> placed;
  for (const auto& [column, text] : cells) {
    if (!text.empty()) placed.emplace_back(table.ColumnOf(std::string(column)), text);
  }
  std::vector<std::string>& row = table.AddRow();
  for (auto& [column, text] : placed) row[column] = std::move(text);
}

}  // namespace

Result<Dataset> ReadPostedRecords(std::string_view body_text, const Dataset& stored,
                                  const ReadOptions& options) {
  const Json body = Json::parse(body_text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgument("the body must be a JSON object with units, workers, children, events");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "units" && key != "workers" && key != "children" && key != "events") {
      return InvalidArgument(fmt::format("unknown key \"{}\" in the body", key));
    }
  }
  auto units = std::make_unique<RowsTable>("units");
  auto workers = std::make_unique<RowsTable>("workers");
  auto children = std::make_unique<RowsTable>("children");
  auto events = std::make_unique<RowsTable>("events");
  Result<std::set<std::string>> posted_units = AddPosted(body, "units", kUnitColumns, *units);
  if (!posted_units) return std::move(posted_units).error();
  Result<std::set<std::string>> posted_workers =
      AddPosted(body, "workers", kWorkerColumns, *workers);
  if (!posted_workers) return std::move(posted_workers).error();
  Result<std::set<std::string>> posted_children =
      AddPosted(body, "children", kChildColumns, *children);
  if (!posted_children) return std::move(posted_children).error();
  Result<std::set<std::string>> posted_events = AddPosted(body, "events", kEventColumns, *events);
  if (!posted_events) return std::move(posted_events).error();

  for (uint32_t u = 0; u < stored.units.size(); ++u) {
    const UnitRow row = MakeUnitRow(stored, u);
    const std::array<std::pair<std::string_view, std::string>, 4> cells = {{
        {"unit_id", std::string(row.unit_id)},
        {"parent_id", std::string(row.parent_id)},
        {"kind", std::string(row.kind)},
        {"name", std::string(row.name)},
    }};
    AddStored(*units, *posted_units, cells);
  }
  for (uint32_t w = 0; w < stored.workers.size(); ++w) {
    const WorkerRow row = MakeWorkerRow(stored, w);
    const std::array<std::pair<std::string_view, std::string>, 4> cells = {{
        {"worker_id", std::string(row.worker_id)},
        {"name", std::string(row.name)},
        {"unit_id", std::string(row.unit_id)},
        {"fte", ShortestDecimal(row.fte)},
    }};
    AddStored(*workers, *posted_workers, cells);
  }
  for (uint32_t c = 0; c < stored.children.size(); ++c) {
    const ChildRow row = MakeChildRow(stored, c);
    const std::array<std::pair<std::string_view, std::string>, 3> cells = {{
        {"child_id", std::string(row.child_id)},
        {"birth_date", FormatDate(row.birth_date)},
        {"unit_id", std::string(row.unit_id)},
    }};
    AddStored(*children, *posted_children, cells);
  }
  std::unordered_map<std::string_view, uint32_t> stored_child;
  for (uint32_t c = 0; c < stored.children.size(); ++c)
    stored_child.emplace(stored.children[c].id, c);
  // The stored events of the children the posted events belong to, for their refs.
  std::set<uint32_t> touched;
  if (body.contains("events")) {
    for (const Json& record : body["events"]) {
      const auto child_id = record.find("child_id");
      if (child_id == record.end() || !child_id->is_string()) continue;
      const auto child = stored_child.find(child_id->get<std::string>());
      if (child != stored_child.end()) touched.insert(child->second);
    }
  }
  const Calendar& calendar = Calendar::Danish();
  for (const uint32_t child : touched) {
    for (uint32_t e = stored.child_begin[child]; e < stored.child_end[child]; ++e) {
      const EventTexts cells = EventColumnTexts(stored, e, calendar);
      AddStored(*events, *posted_events, cells);
    }
  }

  InterchangeTables tables;
  tables.units = std::move(units);
  tables.workers = std::move(workers);
  tables.children = std::move(children);
  tables.events = std::move(events);
  Result<Dataset> incoming = ReadInterchangeTables(std::move(tables), options);
  if (!incoming) return incoming;
  // CPR numbers are not stored, so the children completed from the store keep their stored hash.
  for (Child& child : incoming->children) {
    if (posted_children->count(child.id) > 0) continue;
    const auto known = stored_child.find(child.id);
    if (known != stored_child.end()) child.cpr_hash = stored.children[known->second].cpr_hash;
  }
  return incoming;
}

}  // namespace tilsyn::server
