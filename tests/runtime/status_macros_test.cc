// WEFTKIT_RETURN_IF_ERROR and WEFTKIT_ASSIGN_OR_RETURN: an error returns at once with its
// status (the rest of the function does not run), a success goes on with the value, and the
// expression is evaluated exactly once.
#include <weftkit/status_macros.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace weftkit {
namespace {

Status fail_if(bool fail, int& calls) {
  ++calls;
  return fail ? Status(StatusCode::kNotFound, "no such table") : Status::ok();
}

StatusOr<std::unique_ptr<int>> make_value(bool fail, int& calls) {
  ++calls;
  if (fail) return Status(StatusCode::kPolicyError, "policies.sql:1:1: error");
  return std::make_unique<int>(42);
}

Status run_two_steps(bool fail_first, int& calls, bool& reached_end) {
  WEFTKIT_RETURN_IF_ERROR(fail_if(fail_first, calls));
  WEFTKIT_RETURN_IF_ERROR(fail_if(false, calls));
  reached_end = true;
  return Status::ok();
}

StatusOr<int> doubled(bool fail, int& calls) {
  WEFTKIT_ASSIGN_OR_RETURN(std::unique_ptr<int> value, make_value(fail, calls));  // a move-only value
  return *value * 2;
}

Status assign_twice(int& out, int& calls) {
  std::unique_ptr<int> value;
  WEFTKIT_ASSIGN_OR_RETURN(value, make_value(false, calls));  // into an existing variable,
  WEFTKIT_ASSIGN_OR_RETURN(value, make_value(false, calls));  // twice in one scope
  out = *value;
  return Status::ok();
}

TEST(ReturnIfError, ReturnsTheErrorAndStops) {
  int calls = 0;
  bool reached_end = false;
  Status status = run_two_steps(/*fail_first=*/true, calls, reached_end);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no such table");
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(reached_end);
}

TEST(ReturnIfError, GoesOnAfterSuccess) {
  int calls = 0;
  bool reached_end = false;
  EXPECT_TRUE(run_two_steps(/*fail_first=*/false, calls, reached_end).is_ok());
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(reached_end);
}

TEST(AssignOrReturn, MovesTheValueOnSuccess) {
  int calls = 0;
  StatusOr<int> result = doubled(false, calls);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result.value(), 84);
  EXPECT_EQ(calls, 1);
}

TEST(AssignOrReturn, ReturnsTheStatusOnError) {
  int calls = 0;
  StatusOr<int> result = doubled(true, calls);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), StatusCode::kPolicyError);
  EXPECT_EQ(result.status().message(), "policies.sql:1:1: error");
  EXPECT_EQ(calls, 1);
}

TEST(AssignOrReturn, AssignsAnExistingVariableMoreThanOnceInAScope) {
  int calls = 0;
  int out = 0;
  EXPECT_TRUE(assign_twice(out, calls).is_ok());
  EXPECT_EQ(out, 42);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace weftkit
