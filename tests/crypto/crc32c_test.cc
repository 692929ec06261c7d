// CRC32C against published check values (RFC 3720 appendix B.4 and the common "123456789").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/src/crc32c.h"

namespace weftkit::crypto {
namespace {

TEST(Crc32c, MatchesKnownValues) {
  EXPECT_EQ(detail::crc32c(std::string_view("123456789")), 0xE3069283u);
  EXPECT_EQ(detail::crc32c(std::string_view("")), 0x00000000u);
  EXPECT_EQ(detail::crc32c(std::vector<std::uint8_t>(32, 0x00)), 0x8A9136AAu);
  EXPECT_EQ(detail::crc32c(std::vector<std::uint8_t>(32, 0xFF)), 0x62A8AB43u);
  std::vector<std::uint8_t> ascending(32), descending(32);
  for (std::size_t i = 0; i < 32; ++i) {
    ascending[i] = static_cast<std::uint8_t>(i);
    descending[i] = static_cast<std::uint8_t>(31 - i);
  }
  EXPECT_EQ(detail::crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(detail::crc32c(descending), 0x113FDB5Cu);
}

}  // namespace
}  // namespace weftkit::crypto
