// Writes the synthetic data set of tests/support/synthetic.h, for bench/server-load.sh.
// Usage: write_synthetic DIR CHILDREN [SEED]

#include <cstdio>
#include <cstdlib>
#include <string>

#include "support/synthetic.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: write_synthetic DIR CHILDREN [SEED]\n");
    return 2;
  }
  const int children = std::atoi(argv[2]);
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42;
  const tilsyn::Status written = tilsyn::testing_support::WriteSyntheticDataset(
      argv[1], tilsyn::testing_support::Synthetic(children, seed));
  if (!written) {
    std::fprintf(stderr, "write_synthetic: %s\n", written.error().message.c_str());
    return 1;
  }
  return 0;
}
