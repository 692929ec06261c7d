// FrozenTextMap finds exactly its keys, by their whole text, however many there are.
#include "compiler/ir/frozen_text_map.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace weftkit::policy {
namespace {

TEST(FrozenTextMap, FindsEveryKeyAndNothingElse) {
  std::vector<std::pair<std::string, uint32_t>> entries;
  for (uint32_t index = 0; index < 1000; ++index) {
    entries.emplace_back("s" + std::to_string(index % 7) + ".t" + std::to_string(index), index);
  }
  FrozenTextMap map(entries);
  for (const auto& [key, value] : entries) EXPECT_EQ(map.find(key), value) << key;
  for (const char* other : {"", "s0", "s0.t", "s0.t1000", "s1.t0", "S0.t0", "s0.t0 "}) {
    EXPECT_EQ(map.find(other), std::nullopt) << other;
  }
  EXPECT_EQ(map.find(std::string_view("s0.t0\0", 6)), std::nullopt);
  EXPECT_EQ(map.find(std::string_view("s0.t07", 5)), 0u);  // a view's length, not a NUL, ends the key
}

TEST(FrozenTextMap, LaterEntryOfTheSameKeyReplacesTheValue) {
  FrozenTextMap map({{"sales", 1}, {"hr", 2}, {"sales", 3}});
  EXPECT_EQ(map.find("sales"), 3u);
  EXPECT_EQ(map.find("hr"), 2u);
}

TEST(FrozenTextMap, EmptyMapFindsNothing) {
  EXPECT_EQ(FrozenTextMap().find("orders"), std::nullopt);
  EXPECT_EQ(FrozenTextMap(std::vector<std::pair<std::string, uint32_t>>{}).find(""), std::nullopt);
}

TEST(FrozenTextMap, EmptyTextIsAKeyLikeAnyOther) {
  FrozenTextMap map({{"", 7}, {"a", 8}});
  EXPECT_EQ(map.find(""), 7u);
  EXPECT_EQ(map.find("a"), 8u);
}

}  // namespace
}  // namespace weftkit::policy
