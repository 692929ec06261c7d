// The tree-less token reader (token_members.h) refuses exactly what parse_strict_json refuses,
// with the same words, and what it hands out means what parse_strict_json's tree says.
#include <gtest/gtest.h>

#include <random>

#include "auth/strict_json.h"
#include "auth/token_members.h"

namespace weftkit::auth {
namespace {

constexpr std::string_view kNames[] = {"sub", "aud", "exp", "roles", "n", "o", "e", "alg", "", "a"};
constexpr size_t kNameCount = std::size(kNames);

struct Read {
  std::variant<JsonTopLevel, std::string> outcome;
  std::optional<JsonValueView> values[kNameCount];
};

Read read(std::string_view text) {
  Read result;
  result.outcome = read_token_members(text, kNames, result.values);
  return result;
}

std::string refusal(std::string_view text) {
  Read result = read(text);
  auto* problem = std::get_if<std::string>(&result.outcome);
  return problem ? *problem : "accepted";
}

// What the view means, built back into a nlohmann value through the reader's own accessors.
nlohmann::json meaning(const JsonValueView& value) {
  std::string scratch;
  switch (value.kind) {
    case JsonKind::kString: return std::string(json_string(value, scratch));
    case JsonKind::kNumber: return json_number(value);
    case JsonKind::kArray: {
      nlohmann::json elements = nlohmann::json::array();
      size_t cursor = 0;
      for (JsonValueView element; next_json_element(value, cursor, element);) elements.push_back(meaning(element));
      return elements;
    }
    default: return std::get<nlohmann::json>(parse_strict_json(value.text));
  }
}

// Compares numbers as doubles (the verifier reads them with get<double>()), the rest as is.
bool same_meaning(const nlohmann::json& ours, const nlohmann::json& tree) {
  if (tree.is_number()) return ours.is_number() && ours.get<double>() == tree.get<double>();
  if (tree.is_array()) {
    if (!ours.is_array() || ours.size() != tree.size()) return false;
    for (size_t i = 0; i < tree.size(); ++i) {
      if (!same_meaning(ours[i], tree[i])) return false;
    }
    return true;
  }
  return ours == tree;
}

// Everything the reader says about `text` against parse_strict_json's answer.
void expect_agreement(const std::string& text) {
  auto tree = parse_strict_json(text);
  Read ours = read(text);
  if (auto* problem = std::get_if<std::string>(&tree)) {
    ASSERT_TRUE(std::holds_alternative<std::string>(ours.outcome)) << text;
    EXPECT_EQ(std::get<std::string>(ours.outcome), *problem) << text;
    return;
  }
  ASSERT_TRUE(std::holds_alternative<JsonTopLevel>(ours.outcome)) << std::get<std::string>(ours.outcome) << " " << text;
  const nlohmann::json& value = std::get<nlohmann::json>(tree);
  EXPECT_EQ(std::get<JsonTopLevel>(ours.outcome) == JsonTopLevel::kObject, value.is_object()) << text;
  if (!value.is_object()) return;
  for (size_t i = 0; i < kNameCount; ++i) {
    auto member = value.find(std::string(kNames[i]));
    ASSERT_EQ(ours.values[i].has_value(), member != value.end()) << kNames[i] << " in " << text;
    if (!ours.values[i]) continue;
    EXPECT_EQ(std::get<nlohmann::json>(parse_strict_json(ours.values[i]->text)), *member) << text;
    EXPECT_TRUE(same_meaning(meaning(*ours.values[i]), *member)) << kNames[i] << " in " << text;
  }
}

TEST(TokenMembers, ValidDocumentsAreReadAsTheTreeReadsThem) {
  for (const std::string& text : std::vector<std::string>{
           "{}", "[]", " {\"a\" : [1, -2, 3.5, 1e3, -0, 0.25E-2, 18446744073709551615, 18446744073709551616, "
           "-9223372036854775808]} ",
           "{\"sub\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"sub\":\"\\u00e9\\u20AC\\ud83d\\ude00\"}",
           "{\"sub\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}",
           "{\"sub\":\"alice\",\"exp\":1800000000,\"roles\":[\"a\",\"b\"],\"nested\":{\"x\":null,\"y\":true,\"z\":false}}",
           "\t\r\n[\n]\n", "123", "-1.5e-7", "\"\"", "[[[[[]]]]]", "{\"\":\"empty name\"}",
           "{\"aud\":[ \"x\" , {\"k\":\"]\\\"}\"}, [\"]\", []], 1.5e2, true, null, \"y\" ]}",
           "{\"exp\":-0,\"n\":-9223372036854775809,\"e\":1e308}",
       }) {
    expect_agreement(text);
  }
}

TEST(TokenMembers, InvalidDocumentsAreRefusedWithTheTreesWords) {
  for (const std::string& text : std::vector<std::string>{
           "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "1e+", "--1", "0x10", "NaN",
           "'single'", "{a:1}", "tru", "nul", "[1 2]", "{} x", "\"tab\there\"", "\"unterminated", "\"\\x\"",
           "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\xC0\x80\"", "\"\xE0\x80\x80\"",
           "\"\xED\xA0\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xC3\"", "\"\xFF\"", "\"\x80\"", "[\"a\"]]",
           std::string("\"a\0b\"", 5), "{\"exp\":1e400}", "{\"exp\":1}garbage", "{\"exp\":1}{}",
       }) {
    EXPECT_EQ(refusal(text), "not valid JSON (or not valid UTF-8)") << text;
    expect_agreement(text);
  }
}

TEST(TokenMembers, DuplicateClaimIsRefused) {
  EXPECT_EQ(refusal("{\"sub\":\"alice\",\"sub\":\"mallory\"}"), "duplicate member \"sub\"");
}

TEST(TokenMembers, DuplicateInsideAnUnknownMemberIsRefused) {
  EXPECT_EQ(refusal("{\"sub\":\"alice\",\"extra\":[{\"k\":1,\"k\":2}]}"), "duplicate member \"k\"");
  EXPECT_EQ(refusal("{\"a\":{\"k\":1},\"b\":{\"k\":1}}"), "accepted");  // one name in two objects
}

TEST(TokenMembers, EscapedMemberNameIsMatched) {
  Read result = read("{\"\\u0073ub\":\"alice\",\"\\u0061lg\":\"HS256\"}");
  ASSERT_TRUE(std::holds_alternative<JsonTopLevel>(result.outcome));
  std::string scratch;
  ASSERT_TRUE(result.values[0].has_value());
  EXPECT_EQ(json_string(*result.values[0], scratch), "alice");
  ASSERT_TRUE(result.values[7].has_value());
  EXPECT_EQ(json_string(*result.values[7], scratch), "HS256");
}

TEST(TokenMembers, EscapedDuplicateNameIsRefused) {
  EXPECT_EQ(refusal("{\"alg\":\"HS256\",\"\\u0061lg\":\"none\"}"), "duplicate member \"alg\"");
  EXPECT_EQ(refusal("{\"\\u0061lg\":\"none\",\"alg\":\"HS256\"}"), "duplicate member \"alg\"");
}

TEST(TokenMembers, DuplicateAmongManyMembersIsRefused) {
  // Past the names kept on the stack, the reader keeps them in a set: still refused.
  std::string text = "{";
  for (int i = 0; i < 200; ++i) text += "\"m" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_EQ(refusal(text + "\"sub\":\"alice\"}"), "accepted");
  EXPECT_EQ(refusal(text + "\"m7\":0}"), "duplicate member \"m7\"");
  EXPECT_EQ(refusal(text + "\"m199\":0}"), "duplicate member \"m199\"");
}

TEST(TokenMembers, DuplicateIsFoundAfterItsValueAsTheTreeFindsIt) {
  // The value of the second "a" is too deep: that refusal comes first, in both readers.
  const std::string text = "{\"a\":1,\"a\":" + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_EQ(refusal(text), "nested deeper than 16");
  expect_agreement(text);
}

TEST(TokenMembers, SixteenLevelsAreReadSeventeenAreNot) {
  EXPECT_EQ(refusal(std::string(16, '[') + std::string(16, ']')), "accepted");
  EXPECT_EQ(refusal("{\"a\":" + std::string(15, '[') + std::string(15, ']') + "}"), "accepted");
  EXPECT_EQ(refusal(std::string(17, '[') + std::string(17, ']')), "nested deeper than 16");
  EXPECT_EQ(refusal("{\"a\":" + std::string(16, '[') + std::string(16, ']') + "}"), "nested deeper than 16");
  EXPECT_EQ(refusal(std::string(100000, '[')), "nested deeper than 16");
}

TEST(TokenMembers, OnlyTopLevelMembersAreHandedOut) {
  Read result = read("{\"o\":{\"sub\":\"nested\"}}");
  ASSERT_TRUE(std::holds_alternative<JsonTopLevel>(result.outcome));
  EXPECT_FALSE(result.values[0].has_value());
  ASSERT_TRUE(result.values[5].has_value());
  EXPECT_EQ(result.values[5]->kind, JsonKind::kObject);
}

TEST(TokenMembers, NonObjectIsCheckedThenReportedAsNotAnObject) {
  EXPECT_EQ(std::get<JsonTopLevel>(read("[{\"sub\":1}]").outcome), JsonTopLevel::kNotAnObject);
  EXPECT_EQ(std::get<JsonTopLevel>(read("\"sub\"").outcome), JsonTopLevel::kNotAnObject);
  EXPECT_EQ(refusal("[{\"sub\":1,\"sub\":2}]"), "duplicate member \"sub\"");
}

TEST(TokenMembers, NumberKeepsItsKindWhereAStringIsExpected) {
  Read result = read("{\"sub\":123,\"aud\":[\"a\",7]}");
  ASSERT_TRUE(result.values[0].has_value());
  EXPECT_EQ(result.values[0]->kind, JsonKind::kNumber);
  size_t cursor = 0;
  JsonValueView element;
  ASSERT_TRUE(next_json_element(*result.values[1], cursor, element));
  EXPECT_EQ(element.kind, JsonKind::kString);
  ASSERT_TRUE(next_json_element(*result.values[1], cursor, element));
  EXPECT_EQ(element.kind, JsonKind::kNumber);
  EXPECT_FALSE(next_json_element(*result.values[1], cursor, element));
}

TEST(TokenMembers, RandomMutationsAgreeWithTheTree) {
  const std::string seed_document =
      "{\"sub\":\"al\\u00e9ice\",\"n\":[1,-2,3.5e2,true,false,null],\"o\":{\"x\":\"\xE2\x82\xAC\"},\"e\":1800000000,"
      "\"aud\":[\"w\",{\"k\":\"]\"}],\"\\u0061\":\"\\ud83d\\ude00\"}";
  std::mt19937 random(20261207);
  const std::string alphabet = "{}[]\",:.-+eE0123456789\\u \t\nabcdefnrt\x80\xC3\xE2\xF0\xFF";
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
    expect_agreement(document);
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace weftkit::auth
