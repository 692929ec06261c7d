// StatusOr, the runtime's value-or-error: reading the value of an error is checked — the
// process stops with the error instead of reading a value that is not there.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <weftkit/status.h>

namespace weftkit {
namespace {

TEST(StatusOr, HoldsAValueOrTheStatusThatExplainsItsAbsence) {
  StatusOr<std::string> value = std::string("policy");
  ASSERT_TRUE(value.is_ok());
  EXPECT_EQ(value.value(), "policy");
  StatusOr<std::string> error = Status(StatusCode::kNotFound, "table x is not declared");
  EXPECT_FALSE(error.is_ok());
  EXPECT_EQ(error.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(error.status().message(), "table x is not declared");
}

TEST(StatusOr, BuiltFromAnOkStatusItIsAnInternalError) {
  StatusOr<int> odd = Status::ok();
  EXPECT_FALSE(odd.is_ok());
  EXPECT_EQ(odd.status().code(), StatusCode::kInternal);
}

TEST(StatusOrDeathTest, ValueOfAnErrorStopsTheProcessWithTheError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  StatusOr<std::unique_ptr<int>> error = Status(StatusCode::kPermissionDenied, "permission denied for table orders");
  EXPECT_DEATH((void)error.value(), "StatusOr::value\\(\\) called on an error: permission denied for table orders");
  EXPECT_DEATH((void)std::move(error).value(), "permission denied for table orders");
}

}  // namespace
}  // namespace weftkit
