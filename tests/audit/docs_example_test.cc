// The example records in docs/audit.md are real: they verify, and their bytes are what the
// record code produces for the same event.
#include <weftkit/audit/record.h>
#include <weftkit/audit/verify.h>

#include <gtest/gtest.h>

#include "tests/audit/audit_test_files.h"

namespace weftkit::audit {
namespace {

std::string docs_example() {
  const std::string docs = testing::read_file(std::string(WEFTKIT_SOURCE_DIR) + "/docs/audit.md");
  const std::string fence = "```json\n";
  const std::size_t start = docs.find(fence);
  if (start == std::string::npos) return "";
  const std::size_t end = docs.find("```", start + fence.size());
  return docs.substr(start + fence.size(), end - start - fence.size());
}

TEST(AuditDocs, ExampleRecordsVerifyAsAnUnkeyedChain) {
  testing::ScratchDirectory directory;
  const std::string content = docs_example();
  ASSERT_FALSE(content.empty());
  testing::write_file(directory.file("example.jsonl"), content);
  const auto report = verify_files({directory.file("example.jsonl")}, VerifyOptions{});
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report.value().ok()) << describe(report.value());
  EXPECT_EQ(report.value().verified, 2u);
}

TEST(AuditDocs, FirstExampleRecordIsWhatTheRecordCodeWrites) {
  AuditEvent event;
  event.kind = EventKind::kAuthzDeny;
  event.timestamp = Clock::time_point(std::chrono::microseconds(1796622060012345LL));
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
  const std::string canonical = canonical_record(event, ChainPosition{1, kGenesisHash});
  auto hasher = ChainHasher::create(std::nullopt);
  const std::string line = finish_record(canonical, hasher.value().hex_hash(canonical).value());
  const std::string example = docs_example();
  EXPECT_EQ(example.substr(0, example.find('\n') + 1), line);
}

}  // namespace
}  // namespace weftkit::audit
