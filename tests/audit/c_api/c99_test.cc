// The audit C API called from strict C99, as C engines call it.
#include <gtest/gtest.h>

#include "tests/audit/c_api/audit_c_api_c99.h"
#include "tests/audit/c_api/audit_c_api_fixture.h"

namespace weftkit::audit::c_api_testing {
namespace {

TEST(AuditCApiC99, AC99CallerRecordsADenialThroughAClosedHandle) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_store> written = reader_store(scratch);  // writes roles.yaml and policies.sql
  char report[1024];
  EXPECT_EQ(weftkit_audit_c99_denied_check(scratch.file("audit.log").c_str(), scratch.file("roles.yaml").c_str(),
                                           scratch.file("policies.sql").c_str(), "alice", "orders", report,
                                           sizeof report),
            0)
      << report;
  EXPECT_STREQ(report, "ok");
  EXPECT_EQ(records_named(scratch.file("audit.log"), "authz_deny").size(), 1u);
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
