// docs/audit.md's C example works as the page says, and the page shows exactly that code.
#include <stdlib.h>

#include <gtest/gtest.h>

#include "tests/audit/c_api/audit_c_api_fixture.h"
#include "tests/audit/c_api/docs_example.h"

namespace weftkit::audit::c_api_testing {
namespace {

std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  const size_t start = text.find(begin);
  const size_t stop = text.find(end, start);
  if (start == std::string::npos || stop == std::string::npos) return "";
  return text.substr(start + begin.size(), stop - start - begin.size());
}

TEST(AuditCApiDocs, PageShowsTheCompiledCode) {
  const std::string source = testing::read_file(std::string(WEFTKIT_SOURCE_DIR) + "/tests/audit/c_api/docs_example.c");
  const std::string page = testing::read_file(std::string(WEFTKIT_SOURCE_DIR) + "/docs/audit.md");
  const std::string code =
      between(source, "/* --- docs/audit.md example begins --- */\n", "/* --- docs/audit.md example ends --- */");
  ASSERT_FALSE(code.empty());
  EXPECT_NE(page.find("```c\n" + code + "```"), std::string::npos)
      << "docs/audit.md's C example differs from tests/audit/c_api/docs_example.c";
}

// The process environment: set for the test and restored after.
class AuditCApiDocsRun : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"WEFTKIT_AUDIT", "WEFTKIT_AUDIT_OUTPUT", "WEFTKIT_AUDIT_OVERFLOW"}) unsetenv(name);
  }
};

TEST_F(AuditCApiDocsRun, TheExampleRecordsADenialAndAnExportAndStopsCleanly) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.jsonl");
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  setenv("WEFTKIT_AUDIT", "true", 1);
  setenv("WEFTKIT_AUDIT_OUTPUT", path.c_str(), 1);
  weftkit_audit_log* log = nullptr;
  ASSERT_EQ(start_audit_log(store.get(), &log), 0);
  ASSERT_NE(log, nullptr);
  weftkit_identity identity = {};
  identity.user = "alice";
  weftkit_context* context = nullptr;
  ASSERT_EQ(weftkit_context_build(store.get(), &identity, &context, nullptr), WEFTKIT_OK);
  Owned<weftkit_context> owned_context(context);
  EXPECT_FALSE(weftkit_allowed(context, WEFTKIT_OP_DELETE, "orders"));
  record_export(log, "alice", "orders");
  stop_audit_log(log);
  EXPECT_EQ(records_named(path, "authz_deny").size(), 1u);
  EXPECT_EQ(records_named(path, "data_export").size(), 1u);
}

TEST_F(AuditCApiDocsRun, WithoutWeftkitAuditTheExampleRunsWithNoLog) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  unsetenv("WEFTKIT_AUDIT");
  weftkit_audit_log* log = nullptr;
  ASSERT_EQ(start_audit_log(store.get(), &log), 0);
  EXPECT_EQ(log, nullptr);
  record_export(log, "alice", "orders");  // asks wants(), false for no log
  stop_audit_log(log);
}

TEST_F(AuditCApiDocsRun, ABadConfigurationKeepsTheEngineFromStarting) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  setenv("WEFTKIT_AUDIT", "true", 1);
  setenv("WEFTKIT_AUDIT_OVERFLOW", "sometimes", 1);
  weftkit_audit_log* log = nullptr;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(start_audit_log(store.get(), &log), -1);
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(log, nullptr);
  EXPECT_NE(printed.find("WEFTKIT_AUDIT_OVERFLOW"), std::string::npos) << printed;
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
