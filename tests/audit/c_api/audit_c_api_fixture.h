// What the audit C API tests share: owning wrappers for the C handles, an error slot, options
// for a log in a scratch directory, and the records of a written log read back as JSON.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <weftkit/audit/weftkit_audit.h>
#include <weftkit/auth/weftkit_auth.h>
#include <weftkit/weftkit_policy.h>

#include "tests/support/c_error_slot.h"

#include "tests/audit/audit_test_files.h"

namespace weftkit::audit::c_api_testing {

// Owning pointers, so that a failed assertion leaks nothing (the ASan run checks leaks).
struct HandleDeleter {
  void operator()(weftkit_audit_log* handle) const { weftkit_audit_close(handle); }
  void operator()(weftkit_store* handle) const { weftkit_store_free(handle); }
  void operator()(weftkit_context* handle) const { weftkit_context_free(handle); }
  void operator()(weftkit_statement* handle) const { weftkit_statement_free(handle); }
  void operator()(weftkit_compiler* handle) const { weftkit_compiler_free(handle); }
  void operator()(weftkit_auth_config* handle) const { weftkit_auth_config_free(handle); }
  void operator()(weftkit_authenticator* handle) const { weftkit_authenticator_free(handle); }
  void operator()(weftkit_auth_result* handle) const { weftkit_auth_result_free(handle); }
};
template <class Handle>
using Owned = std::unique_ptr<Handle, HandleDeleter>;

using weftkit::testing::ErrorSlot;

// A log opened with weftkit_audit_open on `path`, the other options at their defaults but
// fsync never (the tests stop the writer before reading; fsync would only slow them).
Owned<weftkit_audit_log> open_log(const std::string& path, const char* hmac_key = nullptr);

// Every line of the file as JSON (a failed parse is a test failure).
std::vector<nlohmann::json> records_of(const std::string& path);

// The records whose "event" is `event`.
std::vector<nlohmann::json> records_named(const std::string& path, const std::string& event);

// A store compiled, by the compiler's C API, from roles.yaml and policies.sql written to
// `scratch`: alice (role reader) may SELECT orders and nothing else.
Owned<weftkit_store> reader_store(const testing::ScratchDirectory& scratch);

}  // namespace weftkit::audit::c_api_testing
