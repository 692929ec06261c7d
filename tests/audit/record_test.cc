// The record's exact bytes, its escaping and the chain's hash primitives.
#include <weftkit/audit/record.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace weftkit::audit {
namespace {

Clock::time_point fixed_time() {
  // 2026-12-07T05:41:00.012345Z
  return Clock::time_point(std::chrono::microseconds(1796622060012345LL));
}

AuditEvent full_event() {
  AuditEvent event;
  event.kind = EventKind::kAuthzDeny;
  event.timestamp = fixed_time();
  event.identity = "alice";
  event.tenant = "tenant-001";
  event.operation = "DELETE";
  event.resource = "orders";
  event.result = "denied";
  event.source_ip = "10.0.0.7";
  event.auth_method = "password";
  event.reason = "no role allows DELETE";
  event.policy_generation = 42;
  event.decided_by = "roles.yaml:3:5";
  event.session_id = "s-17";
  event.statement_id = "q-99";
  return event;
}

TEST(AuditRecord, EveryFieldAppearsOnceInItsFixedOrder) {
  const std::string canonical = canonical_record(full_event(), ChainPosition{7, std::string(64, 'a')});
  EXPECT_EQ(canonical,
            R"({"v":1,"seq":7,"timestamp":"2026-12-07T05:41:00.012345Z","event":"authz_deny","identity":"alice",)"
            R"("tenant":"tenant-001","operation":"DELETE","resource":"orders","result":"denied","source_ip":"10.0.0.7",)"
            R"("auth_method":"password","reason":"no role allows DELETE","policy_generation":42,)"
            R"("decided_by":"roles.yaml:3:5","session_id":"s-17","statement_id":"q-99",)"
            R"("prev":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})");
}

TEST(AuditRecord, AbsentOptionalFieldsAreLeftOut) {
  AuditEvent event;
  event.kind = EventKind::kAuth;
  event.timestamp = fixed_time();
  const std::string canonical = canonical_record(event, ChainPosition{1, kGenesisHash});
  EXPECT_EQ(canonical, R"({"v":1,"seq":1,"timestamp":"2026-12-07T05:41:00.012345Z","event":"auth","identity":"",)"
                       R"("tenant":"","operation":"","resource":"","result":"","source_ip":"","prev":")" +
                           kGenesisHash + R"("})");
}

TEST(AuditRecord, EventsDroppedRecordCarriesTheCount) {
  AuditEvent event;
  event.timestamp = fixed_time();
  const std::string canonical = canonical_record(event, ChainPosition{3, kGenesisHash}, 12);
  const auto parsed = nlohmann::json::parse(canonical);
  EXPECT_EQ(parsed["event"], "events_dropped");
  EXPECT_EQ(parsed["dropped"], 12);
}

TEST(AuditRecord, FinishedLineEndsWithTheHashAndOneNewline) {
  EXPECT_EQ(finish_record(R"({"v":1,"prev":"x"})", "abc"), "{\"v\":1,\"prev\":\"x\",\"hash\":\"abc\"}\n");
}

TEST(AuditRecord, TimestampIsRfc3339UtcWithMicroseconds) {
  EXPECT_EQ(format_timestamp(fixed_time()), "2026-12-07T05:41:00.012345Z");
  EXPECT_EQ(format_timestamp(Clock::time_point{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_timestamp(Clock::time_point(std::chrono::microseconds(-1))), "1969-12-31T23:59:59.999999Z");
}

std::string escaped_identity(const std::string& identity) {
  AuditEvent event;
  event.identity = identity;
  event.timestamp = fixed_time();
  const std::string canonical = canonical_record(event, ChainPosition{1, kGenesisHash});
  const std::string prefix = R"("identity":)";
  const std::size_t start = canonical.find(prefix) + prefix.size();
  const std::size_t end = canonical.find(R"(,"tenant":)");
  return canonical.substr(start, end - start);
}

TEST(AuditJson, QuotesBackslashesAndControlCharactersAreEscaped) {
  EXPECT_EQ(escaped_identity("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(escaped_identity("l1\nl2\rl3\tx\by\fz"), R"("l1\nl2\rl3\tx\by\fz")");
  EXPECT_EQ(escaped_identity(std::string("nul\0x\x1f\x7f", 7)), R"("nul\u0000x\u001f\u007f")");
}

TEST(AuditJson, ValidUtf8IsKeptAndLineSeparatorsAreEscaped) {
  EXPECT_EQ(escaped_identity("Zoë 東京 😀"), "\"Zoë 東京 😀\"");
  EXPECT_EQ(escaped_identity("a\u2028b\u2029c"), R"("a\u2028b\u2029c")");
}

TEST(AuditJson, EachInvalidUtf8ByteBecomesOneReplacementEscape) {
  EXPECT_EQ(escaped_identity("a\xff" "b"), R"("a\ufffdb")");
  EXPECT_EQ(escaped_identity("\xc3"), R"("\ufffd")");                       // cut 2-byte sequence
  EXPECT_EQ(escaped_identity("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong '/'
  EXPECT_EQ(escaped_identity("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate U+D800
  EXPECT_EQ(escaped_identity("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  EXPECT_EQ(escaped_identity("\xe6\x9d"), R"("\ufffd\ufffd")");            // cut 3-byte sequence
}

TEST(AuditJson, InjectedMembersAndLinesStayInsideTheirField) {
  AuditEvent event = full_event();
  event.identity = "mallory\",\"identity\":\"admin\",\"x\":\"";
  event.resource = "orders\n{\"v\":1,\"seq\":1}\r\n";
  event.tenant = std::string("t\0\xff\"}", 5);
  const std::string line = finish_record(canonical_record(event, ChainPosition{1, kGenesisHash}), std::string(64, 'b'));
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["identity"], event.identity);
  EXPECT_EQ(parsed["resource"], event.resource);
  EXPECT_EQ(parsed["tenant"], std::string("t\0\xef\xbf\xbd\"}", 7));
  EXPECT_EQ(parsed.size(), 18u);  // 16 members of a full event, prev and hash: nothing forged
}

TEST(ChainHasher, UnkeyedIsSha256) {
  auto hasher = ChainHasher::create(std::nullopt);
  ASSERT_TRUE(hasher.is_ok());
  EXPECT_FALSE(hasher.value().keyed());
  EXPECT_EQ(hasher.value().hex_hash("abc").value(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hasher.value().hex_hash("").value(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ChainHasher, KeyedIsHmacSha256AndKeepsItsKeyAcrossRecords) {
  auto hasher = ChainHasher::create(std::string("Jefe"));  // RFC 4231 test case 2
  ASSERT_TRUE(hasher.is_ok());
  EXPECT_TRUE(hasher.value().keyed());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(hasher.value().hex_hash("what do ya want for nothing?").value(),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}

TEST(ChainHasher, EmptyKeyIsRefused) {
  const auto hasher = ChainHasher::create(std::string());
  ASSERT_FALSE(hasher.is_ok());
  EXPECT_EQ(hasher.status().message(), "audit: the HMAC key is empty");
}

}  // namespace
}  // namespace weftkit::audit
