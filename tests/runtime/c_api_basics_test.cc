// The C API's ground rules: its version, its status names, its datum layout as C sees it,
// free functions that accept NULL, and the boundary that turns exceptions into statuses.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>

#include <weftkit/policy_version.h>
#include <weftkit/detail/c_api_bridge.h>
#include "tests/runtime/c_api_fixture.h"

extern "C" {
size_t weftkit_c99_datum_layout(size_t offsets[6]);
int weftkit_c99_api_version(void);
weftkit_datum weftkit_c99_text_datum(const char* text);
size_t weftkit_c99_identity_layout(size_t offsets[8]);
size_t weftkit_c99_enum_size(void);
}

namespace weftkit::c_api_testing {
namespace {

TEST(CApiVersion, LibraryReportsTheVersionOfTheHeader) {
  EXPECT_EQ(weftkit_api_version(), 2u);
  EXPECT_EQ(weftkit_api_version(), static_cast<uint32_t>(WEFTKIT_POLICY_API_VERSION));
  EXPECT_EQ(weftkit_c99_api_version(), 2);
}

TEST(CApiHeader, CompilesAsC99WithTheDatumLayoutOfWeftkitDatum) {
  size_t offsets[6] = {};
  EXPECT_EQ(weftkit_c99_datum_layout(offsets), sizeof(weftkit::Datum));
  EXPECT_EQ(offsets[0], offsetof(weftkit::Datum, bits));
  EXPECT_EQ(offsets[1], offsetof(weftkit::Datum, data));
  EXPECT_EQ(offsets[2], offsetof(weftkit::Datum, length));
  EXPECT_EQ(offsets[3], offsetof(weftkit::Datum, is_null));
  EXPECT_EQ(offsets[4], offsetof(weftkit::Datum, is_error));
  EXPECT_EQ(offsets[5], offsetof(weftkit::Datum, padding));
  weftkit_datum text = weftkit_c99_text_datum("tenant-001");
  EXPECT_EQ(std::string(text.data, static_cast<size_t>(text.length)), "tenant-001");
  EXPECT_EQ(text.is_null, 0);
}

TEST(CApiHeader, CAndCppAgreeOnTheIdentityAndEnumLayouts) {
  size_t offsets[8] = {};
  EXPECT_EQ(weftkit_c99_identity_layout(offsets), sizeof(weftkit_identity));
  EXPECT_EQ(offsets[0], offsetof(weftkit_identity, user));
  EXPECT_EQ(offsets[1], offsetof(weftkit_identity, tenant));
  EXPECT_EQ(offsets[2], offsetof(weftkit_identity, roles));
  EXPECT_EQ(offsets[3], offsetof(weftkit_identity, role_count));
  EXPECT_EQ(offsets[4], offsetof(weftkit_identity, settings));
  EXPECT_EQ(offsets[5], offsetof(weftkit_identity, setting_count));
  EXPECT_EQ(offsets[6], offsetof(weftkit_identity, source_address));
  EXPECT_EQ(offsets[7], offsetof(weftkit_identity, auth_method));
  EXPECT_EQ(weftkit_c99_enum_size(), sizeof(int));
  EXPECT_EQ(sizeof(weftkit_operation), sizeof(int));
}

TEST(CApiDatum, HelpersFillTheFieldsTheGeneratedCodeReads) {
  weftkit_datum null = weftkit_datum_null();
  EXPECT_EQ(null.is_null, 1);
  EXPECT_STREQ(null.data, "");  // data is never NULL, even for NULL
  weftkit_datum integer = weftkit_datum_int(-42);
  EXPECT_EQ(integer.bits, -42);
  EXPECT_EQ(integer.is_null, 0);
  EXPECT_STREQ(integer.data, "");
  weftkit_datum real = weftkit_datum_double(2.5);
  double back = 0;
  std::memcpy(&back, &real.bits, sizeof back);
  EXPECT_EQ(back, 2.5);
  EXPECT_EQ(real.is_error, 0);
}

TEST(CApiStatus, NamesAreTheEnumeratorsAndUnknownValuesAreNamedSo) {
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_OK), "WEFTKIT_OK");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_INVALID_ARGUMENT), "WEFTKIT_INVALID_ARGUMENT");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_NOT_FOUND), "WEFTKIT_NOT_FOUND");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_PERMISSION_DENIED), "WEFTKIT_PERMISSION_DENIED");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_POLICY_ERROR), "WEFTKIT_POLICY_ERROR");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_INTERNAL), "WEFTKIT_INTERNAL");
  EXPECT_STREQ(weftkit_status_name(WEFTKIT_BUFFER_TOO_SMALL), "WEFTKIT_BUFFER_TOO_SMALL");
  EXPECT_STREQ(weftkit_status_name(static_cast<weftkit_status>(99)), "WEFTKIT_UNKNOWN_STATUS");
}

TEST(CApiStatus, CodesKeepTheValuesOfStatusCode) {
  EXPECT_EQ(c_api::to_c_status(StatusCode::kOk), WEFTKIT_OK);
  EXPECT_EQ(c_api::to_c_status(StatusCode::kInvalidArgument), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(c_api::to_c_status(StatusCode::kNotFound), WEFTKIT_NOT_FOUND);
  EXPECT_EQ(c_api::to_c_status(StatusCode::kPermissionDenied), WEFTKIT_PERMISSION_DENIED);
  EXPECT_EQ(c_api::to_c_status(StatusCode::kPolicyError), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(c_api::to_c_status(StatusCode::kInternal), WEFTKIT_INTERNAL);
}

TEST(CApiFree, EveryFreeFunctionAcceptsNull) {
  weftkit_error_free(nullptr);
  weftkit_string_free(nullptr);
  weftkit_compiler_free(nullptr);
  weftkit_store_free(nullptr);
  weftkit_context_free(nullptr);
  weftkit_resource_free(nullptr);
  weftkit_statement_free(nullptr);
  weftkit_row_filter_free(nullptr);
  weftkit_batch_exceptions_free(nullptr);
  SUCCEED();  // reaching here is the test: none of them dereferenced NULL
}

TEST(CApiBoundary, BadAllocBecomesInternalOutOfMemory) {
  ErrorSlot error;
  weftkit_status status = c_api::guarded(error.out(), []() -> weftkit_status { throw std::bad_alloc(); });
  EXPECT_EQ(status, WEFTKIT_INTERNAL);
  EXPECT_EQ(error.code(), WEFTKIT_INTERNAL);
  EXPECT_EQ(error.message(), "out of memory");
}

TEST(CApiBoundary, OtherExceptionsBecomeInternalWithTheirWhat) {
  ErrorSlot error;
  weftkit_status status =
      c_api::guarded(error.out(), []() -> weftkit_status { throw std::runtime_error("map::at"); });
  EXPECT_EQ(status, WEFTKIT_INTERNAL);
  EXPECT_EQ(error.message(), "map::at");
  status = c_api::guarded(error.out(), []() -> weftkit_status { throw 7; });
  EXPECT_EQ(status, WEFTKIT_INTERNAL);
  EXPECT_EQ(error.message(), "internal error: an unknown exception reached the C API");
}

TEST(CApiBoundary, GuardClearsTheErrorOfAPreviousCallOnSuccess) {
  weftkit_error* error = reinterpret_cast<weftkit_error*>(0x1);  // a stale value the caller left
  EXPECT_EQ(c_api::guarded(&error, [] { return WEFTKIT_OK; }), WEFTKIT_OK);
  EXPECT_EQ(error, nullptr);
}

TEST(CApiBoundary, AnExceptionInACheckDenies) {
  EXPECT_FALSE(c_api::guarded_check([]() -> bool { throw std::bad_alloc(); }));
  EXPECT_TRUE(c_api::guarded_check([] { return true; }));
}

TEST(CApiBoundary, FailWithoutAnErrorSlotStillReturnsTheCode) {
  EXPECT_EQ(c_api::fail(WEFTKIT_NOT_FOUND, "ignored", nullptr), WEFTKIT_NOT_FOUND);
  EXPECT_EQ(c_api::report(Status(StatusCode::kPolicyError, "x"), nullptr), WEFTKIT_POLICY_ERROR);
  EXPECT_EQ(c_api::report(Status::ok(), nullptr), WEFTKIT_OK);
}

}  // namespace
}  // namespace weftkit::c_api_testing
