#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tilsyn::cli {

// A progress bar on stderr, drawn only when stderr is a terminal, at most ten times a second.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(uint64_t done, uint64_t total);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace tilsyn::cli
