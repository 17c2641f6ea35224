// `tilsyn user add|passwd|list|disable` as a program, on SQLite: passwords come from standard
// input, never from the command line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "server/accounts.h"
#include "server/crypto.h"
#include "service/data_source.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string output;
};

// Runs `tilsyn ARGS` with `input` on standard input.
Outcome Tilsyn(const std::string& args, const std::string& input) {
  const fs::path input_file = fs::temp_directory_path() / "tilsyn-user-command-input";
  {
    FILE* file = std::fopen(input_file.c_str(), "w");
    std::fputs(input.c_str(), file);
    std::fclose(file);
  }
  const std::string command =
      std::string(TILSYN_BINARY) + " " + args + " < '" + input_file.string() + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Outcome run;
  std::array<char, 512> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  const int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(UserCommandTest, AddListPasswdDisable) {
  ASSERT_TRUE(server::InitCrypto());
  const fs::path dir = fs::temp_directory_path() / "tilsyn-user-command";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "users.db").string();
  const std::string example = (fs::path(TILSYN_SOURCE_DIR) / "examples" / "kommune").string();
  setenv("TILSYN_CPR_KEY", "a test key of thirty-two bytes!!", 1);
  ASSERT_EQ(Tilsyn("import --db " + db + " " + example, "").code, 0);

  const std::string add = "user add --db " + db + " anne --role leader --unit DN --name 'Anne L'";
  Outcome short_password = Tilsyn(add, "kort\n");
  EXPECT_EQ(short_password.code, 1);
  EXPECT_NE(short_password.output.find("at least 12 characters"), std::string::npos);
  Outcome unknown_unit =
      Tilsyn("user add --db " + db + " bo --role worker --unit NOPE", "a long password 1\n");
  EXPECT_EQ(unknown_unit.code, 1);
  EXPECT_NE(unknown_unit.output.find("there is no unit \"NOPE\""), std::string::npos);
  Outcome bad_role =
      Tilsyn("user add --db " + db + " bo --role boss --unit DN", "a long password 1\n");
  EXPECT_EQ(bad_role.code, 1);

  Outcome added = Tilsyn(add, "a long password 1\n");
  ASSERT_EQ(added.code, 0) << added.output;
  EXPECT_EQ(Tilsyn(add, "a long password 1\n").code, 1);  // already there

  Result<std::unique_ptr<Store>> store = OpenSqliteStore(db);
  ASSERT_TRUE(store);
  const server::LoginPolicy policy;
  const Instant now{1751270400};
  EXPECT_TRUE(server::Login(**store, policy, "anne", "a long password 1", "cli", now));

  ASSERT_EQ(Tilsyn("user passwd --db " + db + " anne", "another password 2\n").code, 0);
  EXPECT_FALSE(server::Login(**store, policy, "anne", "a long password 1", "cli", now));
  EXPECT_TRUE(server::Login(**store, policy, "anne", "another password 2", "cli", now));

  Outcome listed = Tilsyn("user list --db " + db, "");
  ASSERT_EQ(listed.code, 0);
  EXPECT_NE(listed.output.find("anne"), std::string::npos);
  EXPECT_NE(listed.output.find("leader"), std::string::npos);
  EXPECT_NE(listed.output.find("aktiv"), std::string::npos);

  ASSERT_EQ(Tilsyn("user disable --db " + db + " anne", "").code, 0);
  EXPECT_NE(Tilsyn("user list --db " + db, "").output.find("spærret"), std::string::npos);
  EXPECT_FALSE(server::Login(**store, policy, "anne", "another password 2", "cli", now));
  EXPECT_EQ(Tilsyn("user disable --db " + db + " nobody", "").code, 1);
}

}  // namespace
}  // namespace tilsyn
