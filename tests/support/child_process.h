#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace tilsyn::testing_support {

// A program a test started: its pid (0 when it could not be started) and the read end of its
// standard output.
struct ChildProcess {
  pid_t pid = 0;
  int out = -1;
};

// Starts the program `args[0]` with the arguments `args`, in the test's environment with
// `environment` ("NAME=value") added, each replacing a variable of that name; its standard error
// is appended to `error_log`.
ChildProcess Spawn(std::vector<std::string> args, const std::filesystem::path& error_log,
                   std::vector<std::string> environment = {});

// Reads one line of `fd` into `line`, without its newline; false at the end of the output.
bool ReadLine(int fd, std::string& line);

}  // namespace tilsyn::testing_support
