// The token JSON reader agrees with nlohmann's parser on what is JSON and what it means, and is
// stricter only where tokens need it: duplicate member names and depth.
#include <gtest/gtest.h>

#include <random>

#include "auth/strict_json.h"

namespace weftkit::auth {
namespace {

std::optional<nlohmann::json> reference(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

std::optional<nlohmann::json> ours(std::string_view text) {
  auto parsed = parse_strict_json(text);
  if (std::holds_alternative<std::string>(parsed)) return std::nullopt;
  return std::get<nlohmann::json>(parsed);
}

TEST(StrictJson, ValidDocumentsMeanWhatNlohmannSays) {
  const std::vector<std::string> documents = {
      "{}", "[]", " {\"a\" : [1, -2, 3.5, 1e3, -0, 0.25E-2, 18446744073709551615, 18446744073709551616, -9223372036854775808]} ",
      "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\\ud83d\\ude00\"", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
      "{\"sub\":\"alice\",\"exp\":1800000000,\"roles\":[\"a\",\"b\"],\"nested\":{\"x\":null,\"y\":true,\"z\":false}}",
      "\t\r\n[\n]\n", "123", "-1.5e-7", "\"\"", "[[[[[]]]]]", "{\"\":\"empty name\"}",
  };
  for (const std::string& document : documents) {
    std::optional<nlohmann::json> expected = reference(document);
    ASSERT_TRUE(expected.has_value()) << document;
    std::optional<nlohmann::json> got = ours(document);
    ASSERT_TRUE(got.has_value()) << document;
    EXPECT_EQ(*got, *expected) << document;
    EXPECT_EQ(got->dump(), expected->dump()) << document;
  }
}

// Long plain runs are skipped a word at a time: whatever ends a run (a quote, an escape, a
// control character, a UTF-8 byte, good or bad) must be seen at every offset within a word.
TEST(StrictJson, ASpecialByteAtAnyOffsetOfALongStringIsSeen) {
  const std::vector<std::string> specials = {"\"", "\\n", "\\u0041", "\x01", "\x1f", "\x7f", "\xC3\xA9",
                                             "\xE2\x82\xAC", "\xC3\x28", "\xFF", " ", "~"};
  size_t checked = 0;
  for (const std::string& special : specials) {
    for (size_t offset = 0; offset < 24; ++offset) {
      const std::string document = "[\"" + std::string(offset, 'a') + special + std::string(19, 'b') + "\"]";
      std::optional<nlohmann::json> expected = reference(document);
      std::optional<nlohmann::json> got = ours(document);
      ASSERT_EQ(got.has_value(), expected.has_value()) << offset << " " << document;
      if (expected) {
        EXPECT_EQ(*got, *expected) << offset;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, specials.size() * 24);
}

TEST(StrictJson, InvalidDocumentsAreRefusedByBoth) {
  const std::vector<std::string> documents = {
      "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "1e+", "--1", "0x10", "NaN",
      "'single'", "{a:1}", "tru", "nul", "[1 2]", "{} x", "\"tab\there\"", "\"unterminated", "\"\\x\"", "\"\\u12G4\"",
      "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\xC0\x80\"", "\"\xE0\x80\x80\"", "\"\xED\xA0\x80\"",
      "\"\xF5\x80\x80\x80\"", "\"\xC3\"", "\"\xFF\"", "\"\x80\"", "[\"a\"]]", std::string("\"a\0b\"", 5),
  };
  for (const std::string& document : documents) {
    EXPECT_FALSE(reference(document).has_value()) << "nlohmann accepts: " << document;
    auto parsed = parse_strict_json(document);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << document;
    EXPECT_EQ(std::get<std::string>(parsed), "not valid JSON (or not valid UTF-8)") << document;
  }
}

TEST(StrictJson, DuplicateMembersAreRefusedAtAnyDepth) {
  EXPECT_EQ(std::get<std::string>(parse_strict_json("{\"alg\":\"RS256\",\"alg\":\"none\"}")), "duplicate member \"alg\"");
  EXPECT_EQ(std::get<std::string>(parse_strict_json("{\"a\":[{\"k\":1,\"k\":1}]}")), "duplicate member \"k\"");
  // Equal names written differently are the same member.
  EXPECT_EQ(std::get<std::string>(parse_strict_json("{\"alg\":1,\"\\u0061lg\":2}")), "duplicate member \"alg\"");
  EXPECT_TRUE(ours("{\"a\":{\"k\":1},\"b\":{\"k\":1}}").has_value());
}

TEST(StrictJson, SixteenLevelsAreReadSeventeenAreNot) {
  EXPECT_TRUE(ours(std::string(16, '[') + std::string(16, ']')).has_value());
  EXPECT_EQ(std::get<std::string>(parse_strict_json(std::string(17, '[') + std::string(17, ']'))), "nested deeper than 16");
  EXPECT_EQ(std::get<std::string>(parse_strict_json(std::string(100000, '['))), "nested deeper than 16");
}

TEST(StrictJson, RandomMutationsAgreeWithNlohmann) {
  const std::string seed_document =
      "{\"sub\":\"al\\u00e9ice\",\"n\":[1,-2,3.5e2,true,false,null],\"o\":{\"x\":\"\xE2\x82\xAC\"},\"e\":1800000000}";
  std::mt19937 random(20261207);
  const std::string alphabet = "{}[]\",:.-+eE0123456789\\u \t\nabcdefnrt\x80\xC3\xE2\xF0\xFF";
  size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string document = seed_document;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int edit = 0; edit < edits; ++edit) {
      const size_t at = random() % document.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: document[at] = c; break;
        case 1: document.insert(document.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: document.erase(at, 1); break;
      }
    }
    std::optional<nlohmann::json> expected = reference(document);
    auto parsed = parse_strict_json(document);
    if (auto* problem = std::get_if<std::string>(&parsed); problem && problem->starts_with("duplicate member")) {
      continue;  // nlohmann keeps the last duplicate; refusing is the point
    }
    ASSERT_EQ(std::holds_alternative<nlohmann::json>(parsed), expected.has_value()) << document;
    if (expected) {
      ++accepted;
      EXPECT_EQ(std::get<nlohmann::json>(parsed), *expected) << document;
    }
  }
  EXPECT_GT(accepted, 100u);
}

}  // namespace
}  // namespace weftkit::auth
