#include "simulate/random.h"

#include <cmath>

namespace tilsyn::simulate {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Random::Random(uint64_t seed) {
  uint64_t mix = seed;
  for (uint64_t& word : state_) word = SplitMix64(mix);
}

uint64_t Random::Next() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

double Random::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

int Random::Between(int low, int high) {
  const auto span = static_cast<uint64_t>(static_cast<int64_t>(high) - low + 1);
  // Lemire's multiply-shift on 32 bits (spans here are far below 2^32): the bias is at most
  // span / 2^32, far below anything a simulation could show.
  const uint64_t offset = ((Next() >> 32) * span) >> 32;
  return static_cast<int>(low + static_cast<int64_t>(offset));
}

bool Random::Chance(double p) { return Uniform() < p; }

double Random::Exponential(double mean) { return -mean * NaturalLog(1.0 - Uniform()); }

double Random::Triangular(double spread) { return (Uniform() - Uniform()) * spread; }

size_t Random::Pick(std::span<const double> weights) {
  double total = 0;
  for (const double weight : weights) total += weight;
  double point = Uniform() * total;
  size_t last_positive = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last_positive = i;
    if (point < weights[i]) return i;
    point -= weights[i];
  }
  return last_positive;  // rounding left a sliver past the end
}

uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  uint64_t mix = seed ^ (stream * 0xD1B54A32D192ED03ull);
  SplitMix64(mix);
  return SplitMix64(mix);
}

double NaturalLog(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(t), t = (m - 1) / (m + 1), |t| <
  // 0.172, whose series converges to double precision in 13 terms.
  int exponent = 0;
  double m = std::frexp(x, &exponent);  // exact: m in [0.5, 1)
  if (m < 0.70710678118654752) {
    m *= 2;
    --exponent;
  }
  const double t = (m - 1) / (m + 1);
  const double t2 = t * t;
  double term = t;
  double sum = 0;
  for (int k = 1; k <= 25; k += 2) {
    sum += term / k;
    term *= t2;
  }
  constexpr double kLn2 = 0.69314718055994530942;
  return 2 * sum + exponent * kLn2;
}

}  // namespace tilsyn::simulate
