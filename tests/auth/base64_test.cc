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

}  // namespace
}  // namespace weftkit::auth
