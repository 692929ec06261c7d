// The tamper matrix: every bit of the page header flipped, bits of the ciphertext and every bit
// of the tag, truncation and extension, pages moved to another position, object or tenant, an
// older version replayed, a wrong key version. Each case is refused with its own typed reason
// and the output buffer never holds plaintext.
#include <gtest/gtest.h>

#include <algorithm>

#include <weftkit/crypto/page_cipher.h>

#include "crypto/src/byte_io.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

constexpr std::size_t kPageSize = 8192;
constexpr std::uint64_t kPageVersion = 5;
constexpr PageId kPage{40, 17};
constexpr std::uint8_t kSentinel = 0xEE;

class TamperMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyringSettings settings;
    settings.path = dir_.file("keyring");
    keyring_ = Keyring::create(settings, testing::env_provider(1)).value();
    tenant_ = keyring_->add_tenant("tenant-001").value();
    other_ = keyring_->add_tenant("tenant-002").value();
    // Sealed under key version 3 of 3, so that flipping a key-version bit can land on an
    // existing older version (1 or 2) as well as on unknown ones.
    ASSERT_EQ(keyring_->rotate(tenant_).value(), 2u);
    ASSERT_EQ(keyring_->rotate(tenant_).value(), 3u);
    cipher_ = std::make_unique<PageCipher>(keyring_);
    plaintext_ = testing::random_bytes(kPageSize);
    sealed_ = cipher_->encrypt(tenant_, kPage, kPageVersion, plaintext_).value();
  }

  // The reason a decryption was refused ("" if it was not), checking that no plaintext leaked.
  std::string refusal(const std::vector<std::uint8_t>& sealed, TenantId tenant = TenantId{}, PageId page = kPage,
                      std::uint64_t expected_version = kPageVersion) {
    if (tenant == TenantId{}) tenant = tenant_;
    std::vector<std::uint8_t> out(kPageSize + 64, kSentinel);
    auto result = cipher_->decrypt(tenant, page, expected_version, sealed, out);
    if (result.ok()) return "";
    // Untouched (refused before decryption) or wiped (refused by the tag): nothing else.
    bool clean = std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0 || b == kSentinel; });
    EXPECT_TRUE(clean) << "plaintext left in the buffer after " << result.error().to_string();
    return std::string(result.error().name());
  }

  std::vector<std::uint8_t> flipped(std::size_t byte, int bit) const {
    std::vector<std::uint8_t> copy = sealed_;
    copy[byte] ^= static_cast<std::uint8_t>(1u << bit);
    return copy;
  }

  testing::TempDir dir_;
  std::shared_ptr<Keyring> keyring_;
  TenantId tenant_{};
  TenantId other_{};
  std::unique_ptr<PageCipher> cipher_;
  std::vector<std::uint8_t> plaintext_;
  std::vector<std::uint8_t> sealed_;
};

TEST_F(TamperMatrix, TheUntouchedPageDecrypts) {
  EXPECT_EQ(refusal(sealed_), "");
  EXPECT_EQ(cipher_->decrypt(tenant_, kPage, kPageVersion, sealed_).value(), plaintext_);
}

TEST_F(TamperMatrix, EveryHeaderBitFlippedIsRefusedWithTheReasonOfItsField) {
  for (std::size_t byte = 0; byte < kPageHeaderSize; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      SCOPED_TRACE("header byte " + std::to_string(byte) + " bit " + std::to_string(bit));
      std::vector<std::uint8_t> page = flipped(byte, bit);
      std::string expected;
      if (byte < 4) {
        expected = "unsupported_format";  // magic, format version
      } else if (byte < 8) {
        std::uint32_t size = detail::load_u32(page.data() + 4);
        expected = size > kMaxPageSize ? "too_large" : size > kPageSize ? "truncated" : "length_mismatch";
      } else if (byte < 12) {
        expected = "wrong_tenant";
      } else if (byte < 16) {
        std::uint32_t version = detail::load_u32(page.data() + 12);
        // Versions 1 and 2 exist: their keys do not authenticate a page sealed under 3.
        expected = (version == 1 || version == 2) ? "authentication_failed" : "unknown_key_version";
      } else if (byte < 24) {
        expected = detail::load_u64(page.data() + 16) < kPageVersion ? "stale_version" : "newer_version";
      } else {
        expected = "authentication_failed";  // nonce
      }
      EXPECT_EQ(refusal(page), expected);
    }
  }
}

TEST_F(TamperMatrix, ABitFlippedAnywhereInTheCiphertextFailsAuthentication) {
  for (std::size_t offset = 0; offset < kPageSize; ++offset) {
    std::vector<std::uint8_t> page = flipped(kPageHeaderSize + offset, static_cast<int>(offset % 8));
    ASSERT_EQ(refusal(page), "authentication_failed") << "ciphertext byte " << offset;
  }
}

TEST_F(TamperMatrix, EveryTagBitFlippedFailsAuthentication) {
  for (std::size_t byte = sealed_.size() - kPageTagSize; byte < sealed_.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      EXPECT_EQ(refusal(flipped(byte, bit)), "authentication_failed") << "tag byte " << byte << " bit " << bit;
    }
  }
}

TEST_F(TamperMatrix, TruncatedPagesAreRefusedAsTruncated) {
  for (std::size_t size : {std::size_t{0}, std::size_t{10}, kPageOverhead - 1, kPageOverhead, sealed_.size() - 1}) {
    std::vector<std::uint8_t> page(sealed_.begin(), sealed_.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(refusal(page), "truncated") << size << " bytes";
  }
}

TEST_F(TamperMatrix, BytesAppendedToAPageAreRefusedAsLengthMismatch) {
  std::vector<std::uint8_t> page = sealed_;
  page.push_back(0);
  EXPECT_EQ(refusal(page), "length_mismatch");
}

TEST_F(TamperMatrix, APageMovedToAnotherPageNumberFailsAuthentication) {
  EXPECT_EQ(refusal(sealed_, tenant_, {kPage.object, kPage.page_number + 1}), "authentication_failed");
}

TEST_F(TamperMatrix, APageMovedToAnotherObjectFailsAuthentication) {
  EXPECT_EQ(refusal(sealed_, tenant_, {kPage.object + 1, kPage.page_number}), "authentication_failed");
}

TEST_F(TamperMatrix, APageReadAsAnotherTenantIsRefusedAsWrongTenant) {
  EXPECT_EQ(refusal(sealed_, other_), "wrong_tenant");
}

TEST_F(TamperMatrix, APageWhoseTenantFieldIsRewrittenToTheReaderFailsAuthentication) {
  std::vector<std::uint8_t> page = sealed_;
  detail::store_u32(page.data() + 8, static_cast<std::uint32_t>(other_));
  detail::store_u32(page.data() + 12, 1);  // a version the other tenant has
  EXPECT_EQ(refusal(page, other_), "authentication_failed");
}

TEST_F(TamperMatrix, AnOlderVersionOfThePageIsRefusedAsStale) {
  auto newer = cipher_->encrypt(tenant_, kPage, kPageVersion + 1, plaintext_).value();
  EXPECT_EQ(refusal(newer, tenant_, kPage, kPageVersion + 1), "");
  EXPECT_EQ(refusal(sealed_, tenant_, kPage, kPageVersion + 1), "stale_version");
}

TEST_F(TamperMatrix, AnOlderVersionWithItsVersionFieldForgedFailsAuthentication) {
  std::vector<std::uint8_t> page = sealed_;
  detail::store_u64(page.data() + 16, kPageVersion + 1);
  EXPECT_EQ(refusal(page, tenant_, kPage, kPageVersion + 1), "authentication_failed");
}

TEST_F(TamperMatrix, AWrongKeyVersionIsRefused) {
  std::vector<std::uint8_t> page = sealed_;
  detail::store_u32(page.data() + 12, 9);
  EXPECT_EQ(refusal(page), "unknown_key_version");
  detail::store_u32(page.data() + 12, 2);
  EXPECT_EQ(refusal(page), "authentication_failed");
}

TEST_F(TamperMatrix, APageOfAnotherFormatVersionIsRefusedAsUnsupported) {
  std::vector<std::uint8_t> page = sealed_;
  page[3] = 2;
  EXPECT_EQ(refusal(page), "unsupported_format");
}

}  // namespace
}  // namespace weftkit::crypto
