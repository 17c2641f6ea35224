// `tilsyn generate` as a user meets it: help, exit codes (cli.md: 0 success, 1 an error the user
// can fix, 2 a usage error) and the summary.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs the tilsyn binary with `arguments` (already quoted for the shell).
Outcome Tilsyn(const std::string& arguments) {
  Outcome run;
  const std::string command = std::string(TILSYN_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

fs::path TempPath(const std::string& name) {
  fs::path path =
      fs::temp_directory_path() / ("tilsyn-generate-cli-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(path);
  return path;
}

TEST(GenerateCommandTest, HelpNamesEveryOption) {
  const Outcome run = Tilsyn("generate --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* option :
       {"--out", "--children", "--years", "--seed", "--municipalities", "--until", "--threads"}) {
    EXPECT_NE(run.output.find(option), std::string::npos) << option;
  }
  EXPECT_NE(run.output.find("2026-09-30"), std::string::npos);
}

TEST(GenerateCommandTest, WritesADataSetAndSummarisesIt) {
  const fs::path out = TempPath("ok");
  const Outcome run =
      Tilsyn("generate --out " + out.string() + " --children 800 --years 1 --seed 4");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("hændelser"), std::string::npos) << run.output;
  for (const char* file : {"units.csv", "workers.csv", "children.csv", "events.csv"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file;
  }
  fs::remove_all(out);
}

TEST(GenerateCommandTest, UsageErrorsExitWithTwo) {
  const fs::path out = TempPath("usage");
  EXPECT_EQ(Tilsyn("generate").exit_code, 2);  // --out is required
  EXPECT_EQ(Tilsyn("generate --out " + out.string() + " --years 0").exit_code, 2);
  EXPECT_EQ(Tilsyn("generate --out " + out.string() + " --years many").exit_code, 2);
  EXPECT_EQ(Tilsyn("generate --out " + out.string() + " --until 2026-02-30").exit_code, 2);
  EXPECT_EQ(
      Tilsyn("generate --out " + out.string() + " --municipalities 5 --children 50").exit_code, 2);
  EXPECT_EQ(Tilsyn("generate --out " + out.string() + " --colour blue").exit_code, 2);
  EXPECT_FALSE(fs::exists(out));
}

TEST(GenerateCommandTest, ADirectoryWithOtherDataIsAUserError) {
  const fs::path out = TempPath("occupied");
  fs::create_directories(out);
  std::ofstream(out / "events.csv") << "event_id\n";
  const Outcome run = Tilsyn("generate --out " + out.string() + " --children 800 --years 1");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("not written by tilsyn generate"), std::string::npos) << run.output;
  fs::remove_all(out);
}

}  // namespace
}  // namespace tilsyn
