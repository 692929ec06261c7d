// The auth C API called from strict C99, as C engines call it.
#include <gtest/gtest.h>

#include "tests/auth/c_api/auth_c_api_c99.h"
#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/tool_output.h"

namespace weftkit::auth::c_api_testing {
namespace {

TEST(AuthCApiC99, AC99CallerIsRefusedAWrongPasswordAndAcceptedTheRightOne) {
  ScratchDirectory scratch;
  const std::string users = scratch.write("users", testing::htpasswd_line({"-B", "-C", "4"}, "erin", "erin-pw") + "\n");
  char report[512];
  EXPECT_EQ(weftkit_auth_c99_password_logins(users.c_str(), "erin", "erin-pw", report, sizeof report), 0) << report;
  EXPECT_STREQ(report, "bad_credentials erin");
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
