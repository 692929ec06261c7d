// Wycheproof AES-GCM, HKDF-SHA256 and HMAC-SHA256 vectors through the same calls the page
// cipher, the env provider and the keyring make (GcmContext, hkdf_sha256, hmac_sha256).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/src/gcm_context.h"
#include "crypto/src/kdf.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

nlohmann::json load(const std::string& name) {
  std::ifstream in(std::string(WEFTKIT_SOURCE_DIR) + "/../shared/vectors/wycheproof/" + name);
  EXPECT_TRUE(in.good()) << name;
  return nlohmann::json::parse(in);
}

std::string case_name(const nlohmann::json& test) {
  return "tcId " + std::to_string(test["tcId"].get<int>()) + " (" + test["comment"].get<std::string>() + ")";
}

struct GcmCounts {
  int valid_passed = 0;
  int invalid_rejected = 0;            // by the tag check
  int invalid_nonce_refused = 0;       // empty nonces, refused before any data
  int page_cipher_parameters = 0;  // 96-bit nonce, 256-bit key, 128-bit tag
  std::map<std::string, int> skipped;
};

// Every group: OpenSSL's GCM takes nonces of 1 to 128 bytes, so the valid cases with 2056-bit
// (257-byte) nonces cannot be run; the empty-nonce cases are invalid and must be refused.
GcmCounts run_aes_gcm() {
  GcmCounts counts;
  nlohmann::json vectors = load("aes_gcm_test.json");
  for (const auto& group : vectors["testGroups"]) {
    bool page_parameters = group["ivSize"] == 96 && group["keySize"] == 256 && group["tagSize"] == 128;
    EXPECT_EQ(group["tagSize"], 128);
    for (const auto& test : group["tests"]) {
      auto key = from_hex(test["key"].get<std::string>());
      auto nonce = from_hex(test["iv"].get<std::string>());
      auto aad = from_hex(test["aad"].get<std::string>());
      auto message = from_hex(test["msg"].get<std::string>());
      auto ciphertext = from_hex(test["ct"].get<std::string>());
      auto tag = from_hex(test["tag"].get<std::string>());
      std::string result = test["result"];
      SCOPED_TRACE(case_name(test));
      EXPECT_NE(result, "acceptable");  // none in this file; the counts below would say otherwise
      if (page_parameters) ++counts.page_cipher_parameters;
      auto gcm = detail::GcmContext::create(key, nonce.size());
      if (!gcm.ok()) {
        if (result == "invalid") {
          EXPECT_EQ(nonce.size(), 0u);
          ++counts.invalid_nonce_refused;
        } else {
          EXPECT_GT(nonce.size(), 128u) << "only nonces over OpenSSL's 128-byte limit may be skipped";
          ++counts.skipped["nonce over 128 bytes"];
        }
        continue;
      }
      std::vector<std::uint8_t> opened(ciphertext.size(), 0xEE);
      bool open_ok = tag.size() == detail::kGcmTagSize &&
                     gcm.value().open(nonce, aad, ciphertext,
                                      std::span<const std::uint8_t, detail::kGcmTagSize>(tag.data(), detail::kGcmTagSize),
                                      opened.data());
      if (result == "valid") {
        std::vector<std::uint8_t> sealed(message.size());
        std::array<std::uint8_t, detail::kGcmTagSize> sealed_tag{};
        EXPECT_TRUE(gcm.value().seal(nonce, aad, message, sealed.data(), sealed_tag));
        EXPECT_EQ(to_hex(sealed), to_hex(ciphertext));
        EXPECT_EQ(to_hex(sealed_tag), to_hex(tag));
        EXPECT_TRUE(open_ok);
        EXPECT_EQ(to_hex(opened), to_hex(message));
        if (open_ok && to_hex(sealed) == to_hex(ciphertext) && to_hex(opened) == to_hex(message)) ++counts.valid_passed;
      } else {
        EXPECT_FALSE(open_ok);
        // What GCM decrypted before the tag check was wiped.
        EXPECT_TRUE(std::all_of(opened.begin(), opened.end(), [](std::uint8_t b) { return b == 0; }));
        if (!open_ok) ++counts.invalid_rejected;
      }
    }
  }
  return counts;
}

TEST(Wycheproof, AesGcmValidCasesSealAndOpenExactlyAndInvalidOnesAreRefused) {
  GcmCounts counts = run_aes_gcm();
  // 316 cases: 229 valid, 87 invalid (6 of them with an empty nonce); 3 valid ones (2056-bit nonces) cannot run on OpenSSL.
  EXPECT_EQ(counts.valid_passed, 226);
  EXPECT_EQ(counts.invalid_rejected, 81);
  EXPECT_EQ(counts.invalid_nonce_refused, 6);
  EXPECT_EQ(counts.skipped, (std::map<std::string, int>{{"nonce over 128 bytes", 3}}));
  EXPECT_EQ(counts.page_cipher_parameters, 66);
}

TEST(Wycheproof, HkdfSha256MatchesEveryValidOutputAndRefusesOversizedOnes) {
  nlohmann::json vectors = load("hkdf_sha256_test.json");
  int valid = 0;
  int invalid = 0;
  for (const auto& group : vectors["testGroups"]) {
    for (const auto& test : group["tests"]) {
      SCOPED_TRACE(case_name(test));
      auto ikm = from_hex(test["ikm"].get<std::string>());
      auto salt = from_hex(test["salt"].get<std::string>());
      auto info = from_hex(test["info"].get<std::string>());
      std::vector<std::uint8_t> out(test["size"].get<std::size_t>());
      bool ok = detail::hkdf_sha256(ikm, salt, info, out);
      if (test["result"] == "valid") {
        EXPECT_TRUE(ok);
        EXPECT_EQ(to_hex(out), test["okm"].get<std::string>());
        ++valid;
      } else {
        EXPECT_FALSE(ok);
        ++invalid;
      }
    }
  }
  EXPECT_EQ(valid + invalid, vectors["numberOfTests"].get<int>());
  EXPECT_GT(invalid, 0);
}

TEST(Wycheproof, HmacSha256MatchesValidTagsAndNeverMatchesInvalidOnes) {
  nlohmann::json vectors = load("hmac_sha256_test.json");
  int valid = 0;
  int invalid = 0;
  for (const auto& group : vectors["testGroups"]) {
    std::size_t tag_size = group["tagSize"].get<std::size_t>() / 8;
    for (const auto& test : group["tests"]) {
      SCOPED_TRACE(case_name(test));
      auto key = from_hex(test["key"].get<std::string>());
      auto message = from_hex(test["msg"].get<std::string>());
      auto expected = from_hex(test["tag"].get<std::string>());
      std::array<std::uint8_t, detail::kHmacSha256Size> mac{};
      ASSERT_TRUE(detail::hmac_sha256(key, message, mac));
      // Truncated-tag groups compare the leading bytes, as a verifier of such tags would.
      bool matches = detail::equal_in_constant_time(std::span(mac).first(tag_size), expected);
      if (test["result"] == "valid") {
        EXPECT_TRUE(matches);
        ++valid;
      } else {
        EXPECT_FALSE(matches);
        ++invalid;
      }
    }
  }
  EXPECT_EQ(valid + invalid, vectors["numberOfTests"].get<int>());
  EXPECT_GT(invalid, 0);
}

}  // namespace
}  // namespace weftkit::crypto
