// Properties the engine must have on any data: input order does not matter, children are
// independent, and knowing more (a later as-of date) never takes back a met obligation.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/compliance.h"
#include "rules/engine.h"
#include "support/synthetic.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using testing_support::SyntheticOptions;
using testing_support::WriteSyntheticDataset;

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

fs::path TempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() /
      ("tilsyn-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) +
       "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Dataset Read(const fs::path& dir) {
  ReadOptions options;
  options.known_rule_ids = TheCatalogue().RuleIds();
  Result<Dataset> data = ReadInterchangeDirectory(dir, options);
  if (!data) throw std::runtime_error(data.error().message);
  return std::move(data).value();
}

// Every obligation as one line of ids, keyed by child id; independent of internal indices.
std::map<std::string, std::vector<std::string>> Describe(const Dataset& data, Date as_of) {
  const Engine engine(data, TheCatalogue(), Calendar::Danish());
  std::map<std::string, std::vector<std::string>> by_child;
  for (const Obligation& o : engine.EvaluateAll(as_of)) {
    const auto id = [&](uint32_t event) {
      return event == kNone ? std::string("-")
                            : std::string(data.event_ids.Text(data.events[event].id));
    };
    by_child[data.children[o.child].id].push_back(
        TheCatalogue().rules[o.rule].id + " " + id(o.trigger) + " " +
        Calendar::Danish().FormatInstant(o.due) + " " +
        std::string(ObligationStatusName(o.status)) + " " + id(o.fulfilled_by) + " " +
        (o.worker == kNone ? "-" : data.workers[o.worker].id) + " " + data.units[o.unit].id +
        (o.time_assumed ? " time_assumed" : ""));
  }
  for (auto& [child, lines] : by_child) std::sort(lines.begin(), lines.end());
  return by_child;
}

// Copies a data set with the data rows of every file in a shuffled order.
void WriteShuffled(const fs::path& from, const fs::path& to, uint64_t seed) {
  std::mt19937_64 random(seed);
  for (const char* name : {"units.csv", "workers.csv", "children.csv", "events.csv"}) {
    std::ifstream in(from / name);
    std::string header;
    std::getline(in, header);
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);) rows.push_back(line);
    std::shuffle(rows.begin(), rows.end(), random);
    std::ofstream out(to / name);
    out << header << '\n';
    for (const std::string& row : rows) out << row << '\n';
  }
}

TEST(EnginePropertyTest, ReorderingInputRowsChangesNothing) {
  const fs::path original = TempDir("original");
  ASSERT_TRUE(WriteSyntheticDataset(original, testing_support::Synthetic(400, 7)));
  const Date as_of = DateFromYmd(2025, 6, 30);
  const auto expected = Describe(Read(original), as_of);
  ASSERT_GT(expected.size(), 300u);
  for (uint64_t seed : {1u, 2u, 3u}) {
    const fs::path shuffled = TempDir("shuffled" + std::to_string(seed));
    WriteShuffled(original, shuffled, seed);
    EXPECT_EQ(Describe(Read(shuffled), as_of), expected) << "shuffle seed " << seed;
  }
}

TEST(EnginePropertyTest, AddingAnUnrelatedChildChangesNoOtherChild) {
  const fs::path base = TempDir("base");
  ASSERT_TRUE(WriteSyntheticDataset(base, testing_support::Synthetic(300, 11)));
  const fs::path extra = TempDir("extra");
  SyntheticOptions one_child = testing_support::Synthetic(1, 99);
  one_child.id_prefix = "X";
  ASSERT_TRUE(WriteSyntheticDataset(extra, one_child));
  const fs::path merged = TempDir("merged");
  fs::copy(base, merged, fs::copy_options::recursive);
  for (const char* name : {"children.csv", "events.csv"}) {
    std::ifstream in(extra / name);
    std::ofstream out(merged / name, std::ios::app);
    std::string line;
    std::getline(in, line);  // the header is already there
    while (std::getline(in, line)) out << line << '\n';
  }
  const Date as_of = DateFromYmd(2025, 6, 30);
  const auto before = Describe(Read(base), as_of);
  auto after = Describe(Read(merged), as_of);
  ASSERT_TRUE(after.contains("XC1"));
  after.erase("XC1");
  EXPECT_EQ(after, before);
}

TEST(EnginePropertyTest, LaterAsOfNeverTakesBackAMetObligation) {
  // Retractions may take back a fulfilment by design, so this data set has none.
  const fs::path dir = TempDir("data");
  SyntheticOptions options = testing_support::Synthetic(400, 5);
  options.corrections = false;
  ASSERT_TRUE(WriteSyntheticDataset(dir, options));
  const Dataset data = Read(dir);
  const Engine engine(data, TheCatalogue(), Calendar::Danish());
  // Key: rule, trigger and the due date's year (a running placement's yearly obligation moves its
  // due date to the placement's end once that is known).
  std::map<std::string, std::string> met;
  int checked = 0;
  for (Date as_of = DateFromYmd(2021, 3, 31); as_of <= DateFromYmd(2025, 9, 30);
       as_of = AddMonths(as_of, 3)) {
    std::map<std::string, std::string> now;
    for (const Obligation& o : engine.EvaluateAll(as_of)) {
      const std::string key = TheCatalogue().rules[o.rule].id + " " +
                              std::string(data.event_ids.Text(data.events[o.trigger].id)) + " " +
                              std::to_string(ToYmd(o.due_day).year);
      now[key] = std::string(ObligationStatusName(o.status)) + " " +
                 (o.fulfilled_by == kNone
                      ? "-"
                      : std::string(data.event_ids.Text(data.events[o.fulfilled_by].id)));
    }
    for (const auto& [key, state] : met) {
      auto it = now.find(key);
      ASSERT_NE(it, now.end()) << key << " was " << state << " before " << FormatDate(as_of);
      EXPECT_EQ(it->second, state) << key << " as of " << FormatDate(as_of);
      ++checked;
    }
    for (const auto& [key, state] : now) {
      if (state.starts_with("met ")) met[key] = state;
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace tilsyn

namespace tilsyn {
namespace {

// The position of the event with id code `id` among its child's events now.
uint32_t PositionOf(const Dataset& data, uint32_t child, uint32_t id) {
  for (uint32_t i = data.child_begin[child]; i < data.child_end[child]; ++i) {
    if (data.events[i].id == id) return i;
  }
  return kNone;
}

// Every position in a child's range leads back to that child; every dead slot to none.
void ExpectChildAtAgreesWithRanges(const Dataset& data) {
  std::vector<uint32_t> child_of(data.events.size(), kNone);
  for (uint32_t child = 0; child < data.child_begin.size(); ++child) {
    for (uint32_t i = data.child_begin[child]; i < data.child_end[child]; ++i) child_of[i] = child;
  }
  size_t dead = 0;
  for (uint32_t i = 0; i < data.events.size(); ++i) {
    ASSERT_EQ(data.ChildAt(i), child_of[i]) << i;
    if (child_of[i] == kNone) {
      EXPECT_EQ(data.events[i].id, kNone) << i;
      ++dead;
    }
  }
  EXPECT_EQ(dead, data.dead_events);
}

// Gives `to` the string codes of `from`, so that `from`'s events can be inserted into it as they
// are.
void CopyCodes(const Dataset& from, Dataset& to) {
  for (const auto& [source, target] :
       {std::pair{&from.event_ids, &to.event_ids}, std::pair{&from.measure_ids, &to.measure_ids},
        std::pair{&from.measure_types, &to.measure_types},
        std::pair{&from.rule_ids, &to.rule_ids}}) {
    for (uint32_t code = 0; code < source->size(); ++code) target->Intern(source->Text(code));
  }
}

TEST(EnginePropertyTest, InsertingEventsOneByOneGivesWhatLoadingThemAllGives) {
  const fs::path dir = TempDir("data");
  ASSERT_TRUE(WriteSyntheticDataset(dir, testing_support::Synthetic(150, 5)));
  const Dataset all = Read(dir);

  // The same records and codes, without events; then every event, in a random order (an event
  // waits until the event it refers to is in).
  Dataset grown;
  grown.units = all.units;
  grown.workers = all.workers;
  grown.children = all.children;
  CopyCodes(all, grown);
  std::vector<uint32_t> pending(all.events.size());
  std::iota(pending.begin(), pending.end(), 0u);
  std::shuffle(pending.begin(), pending.end(), std::mt19937(7));
  while (!pending.empty()) {
    std::vector<uint32_t> later;
    for (const uint32_t p : pending) {
      Event event = all.events[p];
      const uint32_t child = all.ChildAt(p);
      if (event.ref != kNone) {
        event.ref = grown.child_begin.size() > child
                        ? PositionOf(grown, child, all.events[event.ref].id)
                        : kNone;
        if (event.ref == kNone) {
          later.push_back(p);
          continue;
        }
      }
      const uint32_t position = InsertEvent(grown, child, event);
      ASSERT_EQ(grown.events[position].id, event.id);
      ASSERT_EQ(grown.ChildAt(position), child);
    }
    pending = std::move(later);
  }
  EXPECT_EQ(LiveEventCount(grown), all.events.size());
  const Date as_of = DateFromYmd(2025, 6, 30);
  EXPECT_EQ(Describe(grown, as_of), Describe(all, as_of));
  ExpectChildAtAgreesWithRanges(grown);
  CompactEvents(grown);
  EXPECT_EQ(grown.events.size(), all.events.size());
  EXPECT_EQ(Describe(grown, as_of), Describe(all, as_of));
  ExpectChildAtAgreesWithRanges(grown);
}

std::string Line(const Obligation& o) {
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {}", o.child, o.rule, o.trigger, o.due.seconds,
                     o.due_day.days, static_cast<int>(o.status), o.fulfilled_by, o.worker, o.unit,
                     o.version, o.time_assumed);
}

std::vector<std::string> Lines(const ObligationTable& table) {
  std::vector<std::string> lines;
  for (const Obligation& o : table.ToVector()) lines.push_back(Line(o));
  return lines;
}

std::vector<std::string> Lines(const RateBreakdown& rates) {
  std::vector<std::string> lines;
  const auto add = [&](const std::string& group, const std::vector<StatusCounts>& by_rule) {
    for (size_t rule = 0; rule < by_rule.size(); ++rule) {
      lines.push_back(fmt::format("{} {} {} {}", group, rule, fmt::join(by_rule[rule].count, ","),
                                  by_rule[rule].time_assumed));
    }
  };
  add("all", rates.by_rule);
  for (size_t unit = 0; unit < rates.by_unit.size(); ++unit) {
    add(fmt::format("unit{}", unit), rates.by_unit[unit]);
  }
  for (size_t worker = 0; worker < rates.by_worker.size(); ++worker) {
    add(fmt::format("worker{}", worker), rates.by_worker[worker]);
  }
  return lines;
}

TEST(EnginePropertyTest, ATableFilledInParallelOrReusedIsWhatASequentialRunGives) {
  const fs::path dir = TempDir("data");
  ASSERT_TRUE(WriteSyntheticDataset(dir, testing_support::Synthetic(700, 9)));
  const Dataset data = Read(dir);
  const Engine engine(data, TheCatalogue(), Calendar::Danish());
  const Date as_of = DateFromYmd(2025, 6, 30);
  std::vector<std::string> sequential;
  for (uint32_t child = 0; child < data.children.size(); ++child) {
    std::vector<Obligation> out;
    engine.EvaluateChild(child, as_of, out);
    for (const Obligation& o : out) sequential.push_back(Line(o));
  }
  ASSERT_GT(data.children.size(), 2 * ObligationTable::kBlockChildren);
  ObligationTable table;
  engine.EvaluateAll(DateFromYmd(2023, 1, 1), table, 2);  // filled once for another date
  engine.EvaluateAll(as_of, table, 2);
  EXPECT_EQ(Lines(table), sequential);
  EXPECT_EQ(table.size(), sequential.size());
  ObligationTable one_thread;
  engine.EvaluateAll(as_of, one_thread, 1);
  EXPECT_EQ(Lines(one_thread), sequential);
}

// A long-running program's figures, kept current event by event (with the compactions and new
// children that come with it), are exactly a recompute's.
TEST(EnginePropertyTest, ComplianceKeptCurrentEventByEventIsARecompute) {
  const fs::path dir = TempDir("data");
  ASSERT_TRUE(WriteSyntheticDataset(dir, testing_support::Synthetic(120, 11)));
  const Dataset all = Read(dir);
  Dataset grown;
  grown.units = all.units;
  grown.workers = all.workers;
  const size_t first_children = all.children.size() - 10;  // the last ten come with their events
  grown.children.assign(all.children.begin(),
                        all.children.begin() + static_cast<std::ptrdiff_t>(first_children));
  grown.child_begin.assign(first_children, 0);
  grown.child_end.assign(first_children, 0);
  CopyCodes(all, grown);
  const Engine engine(grown, TheCatalogue(), Calendar::Danish());
  const Date as_of = DateFromYmd(2025, 6, 30);
  const Period period{DateFromYmd(2024, 7, 1), as_of};
  Compliance live;
  live.Recompute(engine, as_of, period, 2);

  std::vector<uint32_t> pending(all.events.size());
  std::iota(pending.begin(), pending.end(), 0u);
  std::shuffle(pending.begin(), pending.end(), std::mt19937(3));
  const uint32_t generation = grown.layout_generation;
  size_t inserted = 0;
  while (!pending.empty()) {
    std::vector<uint32_t> later;
    for (const uint32_t p : pending) {
      Event event = all.events[p];
      const uint32_t child = all.ChildAt(p);
      if (event.ref != kNone) {
        event.ref = grown.child_begin.size() > child
                        ? PositionOf(grown, child, all.events[event.ref].id)
                        : kNone;
        if (event.ref == kNone) {
          later.push_back(p);
          continue;
        }
      }
      while (grown.children.size() <= child) {
        grown.children.push_back(all.children[grown.children.size()]);
      }
      InsertEvent(grown, child, event);
      live.Update(engine, std::span<const uint32_t>(&child, 1));
      if (++inserted % 97 == 0) {
        Compliance fresh;
        fresh.Recompute(engine, as_of, period, 1);
        ASSERT_EQ(Lines(live.obligations()), Lines(fresh.obligations())) << inserted;
        ASSERT_EQ(Lines(live.rates()), Lines(fresh.rates())) << inserted;
      }
    }
    pending = std::move(later);
  }
  EXPECT_NE(grown.layout_generation, generation);  // compactions happened on the way
  Compliance fresh;
  fresh.Recompute(engine, as_of, period, 1);
  EXPECT_EQ(Lines(live.obligations()), Lines(fresh.obligations()));
  EXPECT_EQ(Lines(live.rates()), Lines(fresh.rates()));
  EXPECT_EQ(fresh.obligations().size(),
            Engine(all, TheCatalogue(), Calendar::Danish()).EvaluateAll(as_of).size());
}

}  // namespace
}  // namespace tilsyn
