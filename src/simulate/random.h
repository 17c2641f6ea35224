#pragma once

#include <cstdint>
#include <span>

namespace tilsyn::simulate {

// The one source of randomness of the simulation: xoshiro256** seeded through splitmix64. Every
// draw is computed here from integer and IEEE arithmetic only (no std distributions, whose output
// differs between standard libraries, and no libm), so a seed gives the same numbers everywhere.
class Random {
 public:
  explicit Random(uint64_t seed);

  uint64_t Next();
  // Uniform on [0, 1), 53 bits.
  double Uniform();
  // Uniform on the integers low..high, both included; low <= high.
  int Between(int low, int high);
  // True with probability p.
  bool Chance(double p);
  // Exponentially distributed with the given mean.
  double Exponential(double mean);
  // Symmetric triangular on [-spread, spread]: person- and team-level effects, most of them small.
  double Triangular(double spread);
  // An index drawn in proportion to `weights` (at least one of them positive).
  size_t Pick(std::span<const double> weights);

 private:
  uint64_t state_[4];
};

// A seed for stream `stream` of `seed` (one per municipality), independent of the other streams.
uint64_t DeriveSeed(uint64_t seed, uint64_t stream);

// The natural logarithm of x > 0, to about 1e-15, from IEEE arithmetic alone, so that it gives the
// same bits on every platform (libm's log need not).
double NaturalLog(double x);

}  // namespace tilsyn::simulate
