// Strict base64 and base64url: every length round-trips, and everything non-canonical is
// refused (two texts must never decode to the same bytes).
#include <gtest/gtest.h>

#include "auth/base64.h"

namespace weftkit::auth {
namespace {

TEST(Base64, EveryLengthRoundTrips) {
  std::string bytes;
  for (int length = 0; length < 40; ++length) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << length;
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes) << length;
    bytes.push_back(static_cast<char>(length * 37 + 250));
  }
  EXPECT_EQ(base64_encode("pencil"), "cGVuY2ls");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64, NonCanonicalTextIsRefused) {
  EXPECT_EQ(base64_decode("QQ=="), "A");
  EXPECT_EQ(base64_decode("QR=="), std::nullopt);  // unused bits set
  EXPECT_EQ(base64_decode("QUI="), "AB");
  EXPECT_EQ(base64_decode("QUJ="), std::nullopt);
  EXPECT_EQ(base64_decode("QQ"), std::nullopt);     // padding required
  EXPECT_EQ(base64_decode("Q==="), std::nullopt);
  EXPECT_EQ(base64_decode("QQ==QQ=="), std::nullopt);
  EXPECT_EQ(base64_decode("QU I="), std::nullopt);
  EXPECT_EQ(base64_decode("-_8="), std::nullopt);   // the URL alphabet is not base64's
  EXPECT_EQ(base64url_decode("QQ"), "A");
  EXPECT_EQ(base64url_decode("QR"), std::nullopt);
  EXPECT_EQ(base64url_decode("QQ=="), std::nullopt);  // no padding in base64url
  EXPECT_EQ(base64url_decode("+/8"), std::nullopt);
  EXPECT_EQ(base64url_decode("Q"), std::nullopt);
}

// A character's value the slow way, for checking the decoders: -1 outside the alphabet.
int value_of(std::string_view alphabet, unsigned char c) {
  const size_t at = alphabet.find(static_cast<char>(c));
  return c != 0 && at != std::string_view::npos ? static_cast<int>(at) : -1;
}

std::optional<std::string> reference_decode(std::string_view alphabet, std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string bytes;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : text) {
    const int value = value_of(alphabet, c);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;  // unused bits must be zero
  return bytes;
}

// The decoders work a 4-character group at a time with lookups already shifted into place:
// every byte value, at every place of a group and of the tail, must decode (or be refused) as
// the character-at-a-time reference says, through both base64url entry points.
TEST(Base64, EveryByteAtEveryPlaceDecodesAsOneCharacterAtATime) {
  constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string bytes;
  for (int i = 0; i < 40; ++i) bytes.push_back(static_cast<char>(i * 71 + 3));
  const std::string text = base64url_encode(bytes);  // 54 characters: 13 groups, a 2-character tail
  size_t refused = 0;
  for (size_t place = 0; place < text.size(); ++place) {
    for (int c = 0; c < 256; ++c) {
      std::string changed = text;
      changed[place] = static_cast<char>(c);
      const std::optional<std::string> expected = reference_decode(kUrl, changed);
      ASSERT_EQ(base64url_decode(changed), expected) << place << " " << c;
      std::string into = "left over";
      ASSERT_EQ(base64url_decode_into(changed, into), expected.has_value()) << place << " " << c;
      if (expected) {
        EXPECT_EQ(into, *expected);
      }
      refused += expected ? 0 : 1;
    }
  }
  // The last character carries 4 unused bits: 60 of the alphabet are refused there too.
  EXPECT_EQ(refused, text.size() * 192 + 60);
  for (size_t length = 0; length < 100; ++length) {
    const std::string long_bytes(length, '\xfb');
    EXPECT_EQ(base64_decode(base64_encode(long_bytes)), long_bytes) << length;  // '+' and '/' in long texts
  }
}

}  // namespace
}  // namespace weftkit::auth
