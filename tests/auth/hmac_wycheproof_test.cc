// The HMAC-SHA-256 SCRAM uses, against Project Wycheproof's vectors (valid tags accepted,
// modified and truncated-wrong tags refused).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "auth/crypto_primitives.h"

namespace weftkit::auth {
namespace {

std::string from_hex(const std::string& text) {
  std::string bytes;
  for (size_t i = 0; i + 1 < text.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return bytes;
}

TEST(HmacSha256Wycheproof, ValidTagsMatchAndInvalidOnesDoNot) {
  const std::string path = std::string(WEFTKIT_SOURCE_DIR) + "/../shared/vectors/wycheproof/hmac_sha256_test.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path << " (the shared vectors folder must sit beside the clone)";
  const nlohmann::json vectors = nlohmann::json::parse(in);
  size_t valid = 0;
  size_t invalid = 0;
  for (const auto& group : vectors.at("testGroups")) {
    const size_t tag_bytes = group.at("tagSize").get<size_t>() / 8;
    for (const auto& test : group.at("tests")) {
      const std::optional<std::string> mac =
          hmac_sha256(from_hex(test.at("key").get<std::string>()), from_hex(test.at("msg").get<std::string>()));
      ASSERT_TRUE(mac.has_value());
      const bool matches = constant_time_equal(mac->substr(0, tag_bytes), from_hex(test.at("tag").get<std::string>()));
      const std::string result = test.at("result").get<std::string>();
      ASSERT_NE(result, "acceptable") << "this file has no acceptable cases; decide how to treat them";
      if (result == "valid") {
        ++valid;
        EXPECT_TRUE(matches) << "tcId " << test.at("tcId");
      } else {
        ++invalid;
        EXPECT_FALSE(matches) << "tcId " << test.at("tcId");
      }
    }
  }
  EXPECT_EQ(valid + invalid, vectors.at("numberOfTests").get<size_t>());
  EXPECT_GT(invalid, 0u);
}

}  // namespace
}  // namespace weftkit::auth
