// `tilsyn serve` as a program: it prints the port it bound (port 0), answers /healthz, logs one
// structured line per request, and on SIGTERM stops accepting but answers the request in flight.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/test_store.h"

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void Send(int fd, std::string_view text) {
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

std::string ReadAll(int fd) {
  std::string text;
  std::array<char, 4096> buffer{};
  ssize_t got = 0;
  while ((got = read(fd, buffer.data(), buffer.size())) > 0) {
    text.append(buffer.data(), static_cast<size_t>(got));
  }
  return text;
}

TEST(ServeTest, PrintsItsPortAndFinishesTheRequestInFlightOnSigterm) {
  const fs::path dir = fs::temp_directory_path() / "tilsyn-serve-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "serve.db").string();
  const std::string log = (dir / "serve.log").string();
  const testing_support::ChildProcess child =
      testing_support::Spawn({TILSYN_BINARY, "serve", "--db", db, "--port", "0"}, log);
  ASSERT_GT(child.pid, 0);
  const pid_t pid = child.pid;
  std::string line;
  testing_support::ReadLine(child.out, line);
  const std::string prefix = "tilsyn serves http://127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
  const int port = std::stoi(line.substr(prefix.size()));
  ASSERT_GT(port, 0);

  const int healthy = Connect(port);
  ASSERT_GE(healthy, 0);
  Send(healthy, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string health = ReadAll(healthy);
  close(healthy);
  EXPECT_EQ(health.rfind("HTTP/1.1 200", 0), 0u) << health;
  EXPECT_NE(health.find("{\"status\":\"ok\"}"), std::string::npos);
  // A calendar feed's token is its credential: the log never shows it.
  const int feed = Connect(port);
  ASSERT_GE(feed, 0);
  Send(feed, "GET /calendar/s3cr3t-t0ken.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(ReadAll(feed).rfind("HTTP/1.1 404", 0), 0u);
  close(feed);

  // A request half sent when SIGTERM comes is still answered; then the program ends, status 0.
  const int in_flight = Connect(port);
  ASSERT_GE(in_flight, 0);
  Send(in_flight, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  // The server has accepted the connection once a second one is answered.
  const int probe = Connect(port);
  Send(probe, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(ReadAll(probe).rfind("HTTP/1.1 200", 0), 0u);
  close(probe);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  Send(in_flight, "Connection: close\r\n\r\n");
  const std::string answer = ReadAll(in_flight);
  close(in_flight);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(Connect(port), 0);  // no longer listening

  std::ifstream in(log);
  const std::string logged{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NE(logged.find("event=listening address=127.0.0.1 port=" + std::to_string(port)),
            std::string::npos)
      << logged;
  EXPECT_NE(logged.find("event=request method=GET path=/healthz status=200"), std::string::npos);
  EXPECT_NE(logged.find("event=stopping signal=15"), std::string::npos);
  EXPECT_NE(logged.find("event=stopped"), std::string::npos);
  EXPECT_NE(logged.find("path=/calendar/(token).ics status=404"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("s3cr3t-t0ken"), std::string::npos) << logged;
}

}  // namespace
}  // namespace tilsyn
