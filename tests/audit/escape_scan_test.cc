// The escaper's scan for plain bytes goes sixteen bytes at a time: every kind of byte that must
// be escaped (or checked as UTF-8) is found at every position of a long value, across and at the
// edges of those sixteen-byte steps.
#include "audit/json_line.h"

#include <gtest/gtest.h>

#include <string>

namespace weftkit::audit {
namespace {

struct Special {
  std::string raw;
  std::string escaped;
};

TEST(AuditJsonScan, EverySpecialByteIsFoundAtEveryPositionOfALongValue) {
  const Special specials[] = {
      {"\"", "\\\""},          {"\\", "\\\\"},           {"\n", "\\n"},
      {"\x01", "\\u0001"},     {"\x1f", "\\u001f"},      {"\x7f", "\\u007f"},
      {"\xff", "\\ufffd"},     {"\xc3\xa9", "\xc3\xa9"},  // valid UTF-8 is kept as it is
      {"\xe2\x80\xa8", "\\u2028"},
  };
  const std::string plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV ~!";  // 51 plain bytes
  for (const Special& special : specials) {
    for (std::size_t at = 0; at <= plain.size(); ++at) {
      const std::string value = plain.substr(0, at) + special.raw + plain.substr(at);
      std::string out;
      append_json_string(out, value);
      EXPECT_EQ(out, "\"" + plain.substr(0, at) + special.escaped + plain.substr(at) + "\"")
          << "special byte(s) at " << at;
    }
  }
}

TEST(AuditJsonScan, LongPlainValuesAreCopiedWhole) {
  for (std::size_t length = 0; length < 70; ++length) {
    const std::string value(length, 'x');
    std::string out;
    append_json_string(out, value);
    EXPECT_EQ(out, "\"" + value + "\"");
  }
}

}  // namespace
}  // namespace weftkit::audit
