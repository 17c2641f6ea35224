#include "apps/cli/password_input.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace tilsyn::cli {
namespace {

std::string ReadLineWithoutEcho(const char* prompt) {
  std::fputs(prompt, stderr);
  std::fflush(stderr);
  termios old_settings{};
  tcgetattr(STDIN_FILENO, &old_settings);
  termios silent = old_settings;
  silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old_settings);
  std::fputs("\n", stderr);
  return line;
}

}  // namespace

Result<std::string> ReadNewPassword() {
  if (isatty(STDIN_FILENO) == 0) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return InvalidArgument("no password on standard input (give it as one line)");
    }
    if (line.ends_with('\r')) line.pop_back();
    return line;
  }
  std::string first = ReadLineWithoutEcho("Adgangskode: ");
  const std::string second = ReadLineWithoutEcho("Gentag adgangskoden: ");
  if (first != second) return InvalidArgument("the two passwords differ");
  return first;
}

}  // namespace tilsyn::cli
