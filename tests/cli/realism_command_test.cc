// `tilsyn realism` as a user runs it on a generated data set: the four parts of the report, the
// same report from the directory and from a database imported from it, and the exit codes of
// cli.md (1 for an error the user can fix, 2 for a usage error).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

fs::path TempPath(const std::string& name) {
  fs::path path =
      fs::temp_directory_path() / ("tilsyn-realism-cli-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(path);
  return path;
}

// Runs the tilsyn binary with `arguments` (already quoted for the shell).
Outcome Tilsyn(const std::string& arguments) {
  Outcome run;
  const fs::path err = TempPath("stderr");
  const std::string command = std::string(TILSYN_BINARY) + " " + arguments + " 2>" + err.string();
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ostringstream text;
  text << std::ifstream(err).rdbuf();
  run.err = text.str();
  fs::remove(err);
  return run;
}

// One generated data set for every test, removed at exit.
struct Generated {
  fs::path dir = TempPath("data");
  Outcome run;
  Generated() {
    run = Tilsyn("generate --out " + dir.string() + " --children 1500 --years 2 --seed 5");
  }
  ~Generated() { fs::remove_all(dir); }
  Generated(const Generated&) = delete;
  Generated& operator=(const Generated&) = delete;
};

const fs::path& DataDir() {
  static const Generated generated;
  EXPECT_EQ(generated.run.exit_code, 0) << generated.run.err;
  return generated.dir;
}

TEST(RealismCommandTest, ReportsEveryPartForADataDirectory) {
  const Outcome run = Tilsyn("realism --data " + DataDir().string() + " --as-of 2026-09-30");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  for (const char* heading :
       {"# Realisme pr. 2026-09-30", "## 1. Lovmedholdelighed pr. krav",
        "## 2. Sagsstamme pr. rådgiver", "## 3. Sagsskridt pr. barn",
        "## 4. Underretninger efter underretter", "Frister fra 2025-10-01 til 2026-09-30",
        "Underretning vurderet inden 24 timer", "| Politi"}) {
    EXPECT_NE(run.out.find(heading), std::string::npos) << heading << "\n" << run.out;
  }
}

TEST(RealismCommandTest, ADatabaseGivesTheSameReportAsItsDirectory) {
  const fs::path db = TempPath("db") += ".db";
  const Outcome import = Tilsyn("import " + DataDir().string() + " --db " + db.string());
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const Outcome from_db = Tilsyn("realism --db " + db.string() + " --as-of 2026-09-30");
  const Outcome from_dir = Tilsyn("realism --data " + DataDir().string() + " --as-of 2026-09-30");
  EXPECT_EQ(from_db.exit_code, 0) << from_db.err;
  EXPECT_EQ(from_db.out, from_dir.out);
  fs::remove(db);
}

TEST(RealismCommandTest, UserAndUsageErrors) {
  const Outcome bad_date = Tilsyn("realism --data " + DataDir().string() + " --as-of 2026-02-30");
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_NE(bad_date.err.find("--as-of"), std::string::npos) << bad_date.err;
  EXPECT_EQ(bad_date.out, "");
  EXPECT_EQ(Tilsyn("realism --as-of 2026-09-30").exit_code, 2);  // no data source
  EXPECT_EQ(Tilsyn("realism --data " + DataDir().string() + " --db x.db").exit_code, 2);
  EXPECT_EQ(Tilsyn("realism --data " + TempPath("missing").string()).exit_code, 2);
}

}  // namespace
}  // namespace tilsyn
