// What the C API tests share: owning wrappers for the C handles, a scratch directory holding
// the policy files a test compiles and rewrites before a reload, and a fixture with a store
// compiled from the policies below.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <weftkit/weftkit_policy.h>

#include "tests/support/c_error_slot.h"

namespace weftkit::c_api_testing {

// Owning pointers, so that a failed assertion leaks nothing (the ASan run checks leaks).
struct HandleDeleter {
  void operator()(weftkit_compiler* handle) const { weftkit_compiler_free(handle); }
  void operator()(weftkit_store* handle) const { weftkit_store_free(handle); }
  void operator()(weftkit_context* handle) const { weftkit_context_free(handle); }
  void operator()(weftkit_resource* handle) const { weftkit_resource_free(handle); }
  void operator()(weftkit_statement* handle) const { weftkit_statement_free(handle); }
  void operator()(weftkit_row_filter* handle) const { weftkit_row_filter_free(handle); }
  void operator()(weftkit_batch_exceptions* handle) const { weftkit_batch_exceptions_free(handle); }
  void operator()(weftkit_error* handle) const { weftkit_error_free(handle); }
  void operator()(char* text) const { weftkit_string_free(text); }
};
template <class Handle>
using Owned = std::unique_ptr<Handle, HandleDeleter>;

using weftkit::testing::ErrorSlot;

// A scratch directory with roles.yaml and policies.sql, removed at the end.
class ScratchPolicies {
 public:
  ScratchPolicies(const std::string& roles_yaml, const std::string& policies_sql);
  ScratchPolicies(const ScratchPolicies&) = delete;
  ScratchPolicies& operator=(const ScratchPolicies&) = delete;
  ~ScratchPolicies();

  void write(const std::string& name, const std::string& text) const;
  std::string path(const std::string& name) const { return directory_ + "/" + name; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

// The tests' policies: two tables with row-level security and a few roles.
extern const char* const kRolesYaml;
extern const char* const kPoliciesSql;

// A compiler and a store serving kRolesYaml + kPoliciesSql from a scratch directory.
class CApiTest : public ::testing::Test {
 protected:
  CApiTest();

  // Compiles files of the scratch directory (by name) with the fixture's compiler.
  weftkit_status reload(const std::vector<std::string>& names, ErrorSlot& error);
  // A context for `user` with app.tenant_id = `tenant` (none when empty) and requested roles.
  Owned<weftkit_context> connect(const std::string& user, const std::string& tenant = "",
                                 const std::vector<std::string>& roles = {});
  Owned<weftkit_statement> begin(weftkit_context* context);
  Owned<weftkit_row_filter> open(weftkit_statement* statement, const char* table, weftkit_command command,
                                 bool reads_columns = true, bool returning = false);
  uint64_t generation() const;

  ScratchPolicies files_{kRolesYaml, kPoliciesSql};
  Owned<weftkit_compiler> compiler_;
  Owned<weftkit_store> store_;
};

// The C strings of `names` for a `const char* const*` parameter.
std::vector<const char*> c_strings(const std::vector<std::string>& names);

}  // namespace weftkit::c_api_testing
