// Runs every folder under tests/scenarios: reads its data set, evaluates it as of the scenario's
// date and compares the obligations of the listed rules with expected.toml, exactly.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "ingest/interchange_reader.h"
#include "rules/catalogue.h"
#include "rules/engine.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;
using std::string_literals::operator""s;

const fs::path kScenarioDir = fs::path(TILSYN_SOURCE_DIR) / "tests" / "scenarios";

// One obligation as text, comparable between the engine and expected.toml.
struct Row {
  std::string rule, child, trigger, due, status, fulfilled_by, worker, unit;
  std::string why;

  std::string Key() const { return rule + " " + child + " " + trigger + " " + due; }
  std::string Describe() const {
    std::string text = rule + " child=" + child + " trigger=" + trigger + " due=" + due +
                       " status=" + status +
                       " fulfilled_by=" + (fulfilled_by.empty() ? "-" : fulfilled_by);
    if (!worker.empty()) text += " worker=" + worker;
    if (!unit.empty()) text += " unit=" + unit;
    return text;
  }
};

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kScenarioDir)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.toml")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = [] {
    Result<Catalogue> loaded = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules");
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return catalogue;
}

class ScenarioTest : public testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, DerivesExactlyTheExpectedObligations) {
  const fs::path dir = kScenarioDir / GetParam();
  const toml::table expected = toml::parse_file((dir / "expected.toml").string());
  const std::optional<std::string> as_of_text = expected["as_of"].value<std::string>();
  ASSERT_TRUE(as_of_text) << "expected.toml needs as_of";
  const Date as_of = ParseDate(*as_of_text).value();
  std::set<std::string> rules;
  const toml::array* rule_list = expected["rules"].as_array();
  ASSERT_NE(rule_list, nullptr) << "expected.toml needs rules = [...]";
  for (const toml::node& rule : *rule_list) {
    const std::string id = rule.value<std::string>().value_or("");
    ASSERT_GE(TheCatalogue().FindRule(id), 0) << "unknown rule " << id;
    rules.insert(id);
  }

  std::vector<Row> want;
  if (const toml::array* obligations = expected["obligation"].as_array()) {
    for (const toml::node& node : *obligations) {
      const toml::table& t = *node.as_table();
      Row row{t["rule"].value_or(""s),   t["child"].value_or(""s),  t["trigger"].value_or(""s),
              t["due"].value_or(""s),    t["status"].value_or(""s), t["fulfilled_by"].value_or(""s),
              t["worker"].value_or(""s), t["unit"].value_or(""s),   t["why"].value_or(""s)};
      EXPECT_FALSE(row.why.empty()) << "every expected obligation says why: " << row.Describe();
      EXPECT_TRUE(rules.contains(row.rule)) << "obligation of an unlisted rule: " << row.Describe();
      want.push_back(std::move(row));
    }
  }

  ReadOptions options;
  options.known_rule_ids = TheCatalogue().RuleIds();
  Result<Dataset> data = ReadInterchangeDirectory(dir, options);
  ASSERT_TRUE(data) << data.error().message;
  const Engine engine(*data, TheCatalogue(), Calendar::Danish());
  std::vector<Row> got;
  for (const Obligation& o : engine.EvaluateAll(as_of, 1)) {
    const std::string& rule = TheCatalogue().rules[o.rule].id;
    if (!rules.contains(rule)) continue;
    const auto id = [&](uint32_t event) {
      return std::string(data->event_ids.Text(data->events[event].id));
    };
    got.push_back(
        {rule, data->children[o.child].id, id(o.trigger), Calendar::Danish().FormatInstant(o.due),
         std::string(ObligationStatusName(o.status)),
         o.fulfilled_by == kNone ? "" : id(o.fulfilled_by),
         o.worker == kNone ? "" : data->workers[o.worker].id, data->units[o.unit].id, ""});
  }

  for (const Row& w : want) {
    auto match =
        std::find_if(got.begin(), got.end(), [&](const Row& g) { return g.Key() == w.Key(); });
    if (match == got.end()) {
      ADD_FAILURE() << "missing: " << w.Describe() << "\n  why: " << w.why;
      continue;
    }
    Row compared = *match;
    if (w.worker.empty()) compared.worker.clear();
    if (w.unit.empty()) compared.unit.clear();
    EXPECT_EQ(compared.Describe(), w.Describe()) << "why: " << w.why;
    got.erase(match);
  }
  for (const Row& g : got) ADD_FAILURE() << "unexpected: " << g.Describe();
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, testing::ValuesIn(ScenarioNames()),
                         [](const testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace tilsyn
