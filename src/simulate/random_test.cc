#include "simulate/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace tilsyn::simulate {
namespace {

TEST(RandomTest, SameSeedSameNumbers) {
  Random a(42);
  Random b(42);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(RandomTest, StreamsOfOneSeedDiffer) {
  EXPECT_NE(DeriveSeed(1, 1), DeriveSeed(1, 2));
  EXPECT_NE(DeriveSeed(1, 1), DeriveSeed(2, 1));
  Random a(DeriveSeed(7, 1));
  Random b(DeriveSeed(7, 2));
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.Next() == b.Next() ? 1 : 0;
  EXPECT_EQ(equal, 0);
}

TEST(RandomTest, BetweenStaysInRangeAndReachesBothEnds) {
  Random random(3);
  std::set<int> seen;
  for (int i = 0; i < 10000; ++i) {
    const int value = random.Between(-2, 5);
    ASSERT_GE(value, -2);
    ASSERT_LE(value, 5);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_EQ(random.Between(9, 9), 9);
}

TEST(RandomTest, UniformIsInTheUnitInterval) {
  Random random(5);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = random.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // The mean of 100,000 uniforms has a standard deviation of 0.0009.
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(RandomTest, ChanceOfZeroAndOne) {
  Random random(11);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(random.Chance(0));
    EXPECT_TRUE(random.Chance(1));
  }
}

TEST(RandomTest, ExponentialHasItsMean) {
  Random random(13);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = random.Exponential(45);
    ASSERT_GE(x, 0.0);
    sum += x;
  }
  // Standard deviation of the mean: 45 / sqrt(100,000) = 0.14.
  EXPECT_NEAR(sum / 100000, 45, 0.7);
}

TEST(RandomTest, TriangularIsSymmetricWithinItsSpread) {
  Random random(17);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = random.Triangular(0.2);
    ASSERT_GT(x, -0.2);
    ASSERT_LT(x, 0.2);
    sum += x;
  }
  EXPECT_NEAR(sum / 100000, 0, 0.002);
}

TEST(RandomTest, PickFollowsTheWeightsAndSkipsZeros) {
  Random random(19);
  const std::array<double, 4> weights = {1, 0, 3, 0};
  std::array<int, 4> counts{};
  for (int i = 0; i < 40000; ++i) ++counts[random.Pick(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_EQ(counts[3], 0);
  // Expected 10,000 and 30,000; standard deviation about 87.
  EXPECT_NEAR(counts[0], 10000, 500);
  EXPECT_NEAR(counts[2], 30000, 500);
}

TEST(RandomTest, NaturalLogAgreesWithTheMathematicalValues) {
  EXPECT_EQ(NaturalLog(1.0), 0.0);
  EXPECT_NEAR(NaturalLog(2.0), 0.69314718055994530942, 1e-15);
  EXPECT_NEAR(NaturalLog(10.0), 2.30258509299404568402, 1e-15);
  EXPECT_NEAR(NaturalLog(0.5), -0.69314718055994530942, 1e-15);
  // e^-700 and e^700, far from 1, where the exponent carries the value.
  EXPECT_NEAR(NaturalLog(9.85967654375977e-305), -700, 1e-9);
  for (double x = 1e-6; x < 1e6; x *= 1.37) {
    EXPECT_NEAR(NaturalLog(x), std::log(x), 1e-14 * std::max(1.0, std::fabs(std::log(x)))) << x;
  }
}

}  // namespace
}  // namespace tilsyn::simulate
