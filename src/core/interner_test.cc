#include "core/interner.h"

#include <gtest/gtest.h>

#include <string>

#include "core/event.h"

namespace tilsyn {
namespace {

TEST(InternerTest, GivesDenseCodesInOrderOfFirstAppearance) {
  Interner interner;
  EXPECT_EQ(interner.Intern("b"), 0u);
  EXPECT_EQ(interner.Intern("a"), 1u);
  EXPECT_EQ(interner.Intern("b"), 0u);
  EXPECT_EQ(interner.Intern(""), 2u);
  EXPECT_EQ(interner.size(), 3u);
  EXPECT_EQ(interner.Text(0), "b");
  EXPECT_EQ(interner.Text(1), "a");
  EXPECT_EQ(interner.Text(2), "");
}

TEST(InternerTest, FindsOnlyWhatWasInterned) {
  Interner interner;
  EXPECT_EQ(interner.Find("x"), kNone);
  interner.Intern("x");
  EXPECT_EQ(interner.Find("x"), 0u);
  EXPECT_EQ(interner.Find("xx"), kNone);
  EXPECT_EQ(interner.Find(""), kNone);
}

TEST(InternerTest, KeepsEveryStringThroughGrowth) {
  Interner interner;
  constexpr uint32_t kCount = 100000;
  for (uint32_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(interner.Intern("E" + std::to_string(i) + std::string(i % 17, 'x')), i);
  }
  for (uint32_t i = 0; i < kCount; ++i) {
    const std::string text = "E" + std::to_string(i) + std::string(i % 17, 'x');
    ASSERT_EQ(interner.Find(text), i);
    ASSERT_EQ(interner.Text(i), text);
  }
}

TEST(InternerTest, ReserveChangesNoCode) {
  Interner interner;
  interner.Intern("first");
  interner.Reserve(1000, 10000);
  EXPECT_EQ(interner.Find("first"), 0u);
  EXPECT_EQ(interner.Intern("second"), 1u);
  EXPECT_EQ(interner.Text(0), "first");
}

TEST(InternerTest, ShrinkingKeepsEveryCodeAndGivesBackTheReservedRoom) {
  Interner interner;
  interner.Reserve(100000, 2000000);
  for (int i = 0; i < 1000; ++i) interner.Intern("id-" + std::to_string(i));
  const size_t reserved = interner.MemoryBytes();
  interner.ShrinkToFit();
  EXPECT_LT(interner.MemoryBytes(), reserved / 50);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(interner.Find("id-" + std::to_string(i)), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(interner.Find("id-1000"), kNone);
  // Room for new strings is address space for the text, and grows nothing already held.
  interner.ReserveText(500, 5000);
  for (int i = 1000; i < 1500; ++i) {
    EXPECT_EQ(interner.Intern("id-" + std::to_string(i)), static_cast<uint32_t>(i));
  }
  for (int i = 0; i < 1500; ++i)
    EXPECT_EQ(interner.Text(static_cast<uint32_t>(i)), "id-" + std::to_string(i));
}

TEST(InternerTest, MovesWithItsCodes) {
  Interner interner;
  interner.Intern("a");
  interner.Intern("b");
  Interner moved = std::move(interner);
  EXPECT_EQ(moved.Find("b"), 1u);
  EXPECT_EQ(moved.Text(0), "a");
}

}  // namespace
}  // namespace tilsyn
