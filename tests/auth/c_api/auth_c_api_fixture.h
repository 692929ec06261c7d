// What the auth C API tests share: owning wrappers for the C handles, a scratch directory for
// users files, key sets and policy files, and the configuration and authenticator made from
// "NAME=value" variables as an engine's environment holds them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <weftkit/auth/weftkit_auth.h>
#include <weftkit/weftkit_policy.h>

#include "tests/support/c_error_slot.h"

namespace weftkit::auth::c_api_testing {

// Owning pointers, so that a failed assertion leaks nothing (the ASan run checks leaks).
struct HandleDeleter {
  void operator()(weftkit_auth_config* handle) const { weftkit_auth_config_free(handle); }
  void operator()(weftkit_authenticator* handle) const { weftkit_authenticator_free(handle); }
  void operator()(weftkit_scram* handle) const { weftkit_scram_free(handle); }
  void operator()(weftkit_auth_result* handle) const { weftkit_auth_result_free(handle); }
  void operator()(weftkit_tls_server* handle) const { weftkit_tls_server_free(handle); }
  void operator()(weftkit_compiler* handle) const { weftkit_compiler_free(handle); }
  void operator()(weftkit_store* handle) const { weftkit_store_free(handle); }
  void operator()(weftkit_context* handle) const { weftkit_context_free(handle); }
  void operator()(weftkit_error* handle) const { weftkit_error_free(handle); }
  void operator()(char* text) const { weftkit_string_free(text); }
};
template <class Handle>
using Owned = std::unique_ptr<Handle, HandleDeleter>;

using weftkit::testing::ErrorSlot;

// A private directory removed at the end of the test.
class ScratchDirectory {
 public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  std::string write(const std::string& name, const std::string& text) const;
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

 private:
  std::filesystem::path directory_;
};

// weftkit_auth_config_from_variables over {"NAME=value", ...}; an assertion failure names the
// configuration's errors.
Owned<weftkit_auth_config> config_of(const std::vector<std::string>& variables);
// An authenticator for those variables, over `directory` (may be null).
Owned<weftkit_authenticator> authenticator_of(const std::vector<std::string>& variables,
                                              const weftkit_store* directory = nullptr);

// "ok user=alice tenant=t1 roles=a,b method=0", or "<failure>: <message>".
std::string outcome(const weftkit_auth_result* result);

// A store compiled, by the compiler's C API, from the given files of `scratch`.
Owned<weftkit_store> compile_store(const std::vector<std::string>& files);

}  // namespace weftkit::auth::c_api_testing
