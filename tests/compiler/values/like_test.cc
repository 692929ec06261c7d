// LIKE and ILIKE exactly as PostgreSQL's matcher, including when a bad pattern is noticed.
#include <gtest/gtest.h>

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

bool like(const char* text, const char* pattern, std::optional<std::string> escape = std::nullopt) {
  return like_matches(text, pattern, escape, false);
}

std::string like_error(const char* text, const char* pattern, std::optional<std::string> escape = std::nullopt) {
  try {
    like(text, pattern, escape);
  } catch (const SqlError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Like, WildcardsMatchRunsAndSingleCharacters) {
  EXPECT_TRUE(like("abc", "a%"));
  EXPECT_TRUE(like("abc", "a_c"));
  EXPECT_TRUE(like("abc", "%"));
  EXPECT_TRUE(like("", "%"));
  EXPECT_FALSE(like("", "_"));
  EXPECT_TRUE(like("héllo", "h_llo")) << "_ is one character, not one byte";
  EXPECT_TRUE(like("abcabc", "%bc"));
  EXPECT_FALSE(like("abc", "ab"));
}

TEST(Like, BackslashEscapesByDefault) {
  EXPECT_TRUE(like("a%c", "a\\%c"));
  EXPECT_FALSE(like("abc", "a\\%c"));
}

TEST(Like, CustomAndEmptyEscape) {
  EXPECT_TRUE(like("a%c", "a#%c", "#"));
  EXPECT_TRUE(like("a\\c", "a\\c", "#")) << "with another escape, a backslash is an ordinary character";
  EXPECT_TRUE(like("a\\c", "a\\c", ""));
  EXPECT_FALSE(like("a%c", "a\\%c", ""));
  EXPECT_EQ(like_error("a", "a", "ab"), "invalid escape string");
}

TEST(Like, TrailingEscapeFailsOnlyWhenMatchingReachesIt) {
  EXPECT_EQ(like_error("abcd", "abc\\"), "LIKE pattern must not end with escape character");
  EXPECT_FALSE(like("abc", "abc\\")) << "the text ends first: no error, no match";
  EXPECT_FALSE(like("x", "abc\\")) << "mismatch before the escape: no error";
}

TEST(Like, IlikeFoldsAsciiOnly) {
  EXPECT_TRUE(like_matches("abc", "A%", std::nullopt, true));
  EXPECT_FALSE(like_matches("É", "é", std::nullopt, true)) << "the C locale folds ASCII letters only";
}

}  // namespace
}  // namespace weftkit::policy
