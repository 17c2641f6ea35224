// tilsyn generate as a library: the same options give the same bytes, the output is a valid data
// set that imports into a store, and the output directory is never one that holds other data.

#include "simulate/generate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "ingest/interchange_reader.h"
#include "service/data_source.h"
#include "support/test_store.h"

namespace tilsyn::simulate {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 5> kFiles = {"units.csv", "workers.csv", "children.csv",
                                               "events.csv", kMarkerFileName};

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue(fs::path(TILSYN_SOURCE_DIR) / "rules").value();
  return catalogue;
}

// A fresh directory name for this test and process (not created).
fs::path TempPath(const std::string& name) {
  fs::path path = fs::temp_directory_path() /
                  ("tilsyn-generate-" +
                   std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) +
                   "-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(path);
  return path;
}

std::string Contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

GenerateOptions Small(uint64_t seed, int municipalities = 1) {
  GenerateOptions options;
  options.children = 1500 * municipalities;
  options.years = 2;
  options.seed = seed;
  options.municipalities = municipalities;
  return options;
}

Result<Dataset> Read(const fs::path& dir) {
  ReadOptions options;
  options.known_rule_ids = TheCatalogue().RuleIds();
  return ReadInterchangeDirectory(dir, options);
}

TEST(GenerateTest, SameOptionsGiveTheSameBytes) {
  const fs::path first = TempPath("first");
  const fs::path second = TempPath("second");
  ASSERT_TRUE(GenerateDataset(Small(7), TheCatalogue(), first));
  ASSERT_TRUE(GenerateDataset(Small(7), TheCatalogue(), second));
  for (const char* file : kFiles) {
    EXPECT_EQ(Contents(first / file), Contents(second / file)) << file;
  }
  fs::remove_all(first);
  fs::remove_all(second);
}

TEST(GenerateTest, DifferentSeedsGiveDifferentData) {
  const fs::path one = TempPath("one");
  const fs::path two = TempPath("two");
  ASSERT_TRUE(GenerateDataset(Small(1), TheCatalogue(), one));
  ASSERT_TRUE(GenerateDataset(Small(2), TheCatalogue(), two));
  EXPECT_NE(Contents(one / "events.csv"), Contents(two / "events.csv"));
  EXPECT_NE(Contents(one / "workers.csv"), Contents(two / "workers.csv"));
  fs::remove_all(one);
  fs::remove_all(two);
}

TEST(GenerateTest, ThreadsDoNotChangeTheOutput) {
  const fs::path serial = TempPath("serial");
  const fs::path parallel = TempPath("parallel");
  GenerateOptions options = Small(3, 3);
  options.threads = 1;
  Result<GenerateSummary> one = GenerateDataset(options, TheCatalogue(), serial);
  options.threads = 3;
  Result<GenerateSummary> three = GenerateDataset(options, TheCatalogue(), parallel);
  ASSERT_TRUE(one);
  ASSERT_TRUE(three);
  for (const char* file : kFiles) {
    EXPECT_EQ(Contents(serial / file), Contents(parallel / file)) << file;
  }
  EXPECT_EQ(one->events, three->events);
  fs::remove_all(serial);
  fs::remove_all(parallel);
}

TEST(GenerateTest, OutputPassesTheImportersValidation) {
  const fs::path dir = TempPath("valid");
  Result<GenerateSummary> summary = GenerateDataset(Small(5, 2), TheCatalogue(), dir);
  ASSERT_TRUE(summary) << summary.error().message;
  Result<Dataset> data = Read(dir);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(static_cast<int64_t>(data->children.size()), summary->children);
  EXPECT_EQ(static_cast<int64_t>(data->events.size()), summary->events);
  EXPECT_EQ(static_cast<int64_t>(data->workers.size()), summary->workers);
  EXPECT_EQ(static_cast<int64_t>(data->units.size()), summary->units);
  // 3,000 children aged 0–17 were asked for, born evenly over 18 years.
  EXPECT_NEAR(static_cast<double>(summary->population), 3000, 2);
  ASSERT_EQ(summary->municipalities.size(), 2u);
  fs::remove_all(dir);
}

TEST(GenerateTest, EachMunicipalityIsARootWithItsOwnIdPrefix) {
  const fs::path dir = TempPath("roots");
  ASSERT_TRUE(GenerateDataset(Small(5, 3), TheCatalogue(), dir));
  Result<Dataset> data = Read(dir);
  ASSERT_TRUE(data) << data.error().message;
  // The interchange format gives a municipality no parent, so a data set of several
  // municipalities has several roots.
  std::set<std::string> roots;
  for (const Unit& unit : data->units) {
    if (unit.kind == UnitKind::kMunicipality) {
      EXPECT_EQ(unit.parent, kNone);
      roots.insert(unit.id);
    }
  }
  EXPECT_EQ(roots, (std::set<std::string>{"K01", "K02", "K03"}));
  auto prefixed = [&roots](const std::string& id) {
    return roots.count(id.substr(0, 3)) == 1 && id.size() > 3 && id[3] == '-';
  };
  for (const Worker& worker : data->workers) EXPECT_TRUE(prefixed(worker.id)) << worker.id;
  for (const Child& child : data->children) EXPECT_TRUE(prefixed(child.id)) << child.id;
  fs::remove_all(dir);
}

TEST(GenerateTest, ImportsIntoSqliteThroughTheStore) {
  const fs::path dir = TempPath("import");
  Result<GenerateSummary> summary = GenerateDataset(Small(9), TheCatalogue(), dir);
  ASSERT_TRUE(summary);
  Result<testing_support::TestDatabase> database = testing_support::TestDatabase::Create(
      testing_support::kSqlite, "generate_import_" + std::to_string(getpid()));
  ASSERT_TRUE(database) << database.error().message;
  Result<std::unique_ptr<Store>> store = database->Open();
  ASSERT_TRUE(store) << store.error().message;
  ReadOptions options;
  options.known_rule_ids = TheCatalogue().RuleIds();
  Result<ImportSummary> imported = ImportDirectory(**store, dir, options, {});
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(static_cast<int64_t>(imported->events.added), summary->events);
  EXPECT_EQ(static_cast<int64_t>(imported->children.added), summary->children);
  Result<Dataset> loaded = (*store)->Load({});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(static_cast<int64_t>(loaded->events.size()), summary->events);
  fs::remove_all(dir);
}

TEST(GenerateTest, ReplacesItsOwnEarlierOutput) {
  const fs::path dir = TempPath("again");
  ASSERT_TRUE(GenerateDataset(Small(1), TheCatalogue(), dir));
  ASSERT_TRUE(GenerateDataset(Small(2), TheCatalogue(), dir));
  const fs::path fresh = TempPath("fresh");
  ASSERT_TRUE(GenerateDataset(Small(2), TheCatalogue(), fresh));
  EXPECT_EQ(Contents(dir / "events.csv"), Contents(fresh / "events.csv"));
  fs::remove_all(dir);
  fs::remove_all(fresh);
}

TEST(GenerateTest, RefusesADirectoryWithOtherFilesAndWritesNothing) {
  const fs::path dir = TempPath("foreign");
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "keep me\n";
  Result<GenerateSummary> summary = GenerateDataset(Small(1), TheCatalogue(), dir);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(summary.error().message.find("notes.txt"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "events.csv"));
  EXPECT_FALSE(fs::exists(dir / kMarkerFileName));
  fs::remove_all(dir);
}

TEST(GenerateTest, RefusesADataSetItDidNotWrite) {
  // A real export has the same file names, but never the marker.
  const fs::path dir = TempPath("export");
  fs::create_directories(dir);
  std::ofstream(dir / "events.csv") << "event_id,child_id,type,at\n";
  Result<GenerateSummary> summary = GenerateDataset(Small(1), TheCatalogue(), dir);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Contents(dir / "events.csv"), "event_id,child_id,type,at\n");
  fs::remove_all(dir);
}

TEST(GenerateTest, OptionsOutOfRangeAreRefused) {
  GenerateOptions options;
  EXPECT_TRUE(ValidateGenerateOptions(options));
  options.years = 0;
  EXPECT_FALSE(ValidateGenerateOptions(options));
  options = {};
  options.municipalities = 0;
  EXPECT_FALSE(ValidateGenerateOptions(options));
  options = {};
  options.municipalities = 10;
  options.children = 500;  // fewer than 100 per municipality
  const Status status = ValidateGenerateOptions(options);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("--children"), std::string::npos);
  options = {};
  options.until = DateFromYmd(1930, 1, 1);  // the simulation would start before 1900
  EXPECT_FALSE(ValidateGenerateOptions(options));
}

TEST(GenerateTest, DefaultUntilIsFixed) { EXPECT_EQ(FormatDate(DefaultUntil()), "2026-09-30"); }

TEST(GenerateTest, SeveralMunicipalitiesFollowTheDanishSpread) {
  const fs::path dir = TempPath("spread");
  GenerateOptions options;
  options.municipalities = 10;
  options.children = 50000;
  options.years = 1;
  Result<GenerateSummary> summary = GenerateDataset(options, TheCatalogue(), dir);
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->municipalities.size(), 10u);
  // Largest first, the largest several times the smallest, and the total as asked.
  const auto& m = summary->municipalities;
  for (size_t i = 1; i < m.size(); ++i) {
    EXPECT_GE(m[i - 1].population + 2, m[i].population);
  }
  EXPECT_GT(m.front().population, 4 * m.back().population);
  EXPECT_NEAR(static_cast<double>(summary->population), 50000, 10);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tilsyn::simulate
