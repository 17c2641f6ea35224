#include "support/child_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <array>
#include <string_view>

extern char** environ;

namespace tilsyn::testing_support {
namespace {

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

ChildProcess Spawn(std::vector<std::string> args, const std::filesystem::path& error_log,
                   std::vector<std::string> environment) {
  std::vector<std::string> variables;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string_view text = *variable;
    const std::string_view name = text.substr(0, text.find('=') + 1);
    bool replaced = false;
    for (const std::string& added : environment) replaced = replaced || added.starts_with(name);
    if (!replaced) variables.emplace_back(text);
  }
  variables.insert(variables.end(), environment.begin(), environment.end());

  ChildProcess child;
  std::array<int, 2> out{};
  if (pipe(out.data()) != 0) return child;
  const std::string log = error_log.string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<char*> argv = Pointers(args);
  std::vector<char*> envp = Pointers(variables);
  const int spawned = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    child.pid = 0;
    return child;
  }
  child.out = out[0];
  return child;
}

bool ReadLine(int fd, std::string& line) {
  line.clear();
  char c = 0;
  ssize_t got = 0;
  while ((got = read(fd, &c, 1)) == 1 && c != '\n') line += c;
  return got == 1 || !line.empty();
}

}  // namespace tilsyn::testing_support
