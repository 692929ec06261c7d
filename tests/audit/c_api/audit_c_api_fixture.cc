// The audit C API tests' shared helpers.
#include "tests/audit/c_api/audit_c_api_fixture.h"

namespace weftkit::audit::c_api_testing {

Owned<weftkit_audit_log> open_log(const std::string& path, const char* hmac_key) {
  weftkit_audit_options options;
  weftkit_audit_options_init(&options);
  options.output = path.c_str();
  options.hmac_key = hmac_key;
  options.fsync = WEFTKIT_AUDIT_FSYNC_NEVER;
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_OK) << error.message();
  return Owned<weftkit_audit_log>(log);
}

std::vector<nlohmann::json> records_of(const std::string& path) {
  std::vector<nlohmann::json> records;
  for (const std::string& line : testing::split_lines(testing::read_file(path))) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(record.is_discarded()) << line;
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<nlohmann::json> records_named(const std::string& path, const std::string& event) {
  std::vector<nlohmann::json> named;
  for (nlohmann::json& record : records_of(path)) {
    if (record.value("event", "") == event) named.push_back(std::move(record));
  }
  return named;
}

Owned<weftkit_store> reader_store(const testing::ScratchDirectory& scratch) {
  const std::string roles = scratch.file("roles.yaml");
  const std::string policies = scratch.file("policies.sql");
  testing::write_file(roles,
                      "roles:\n  - name: reader\n    allow: [SELECT]\n    on: [orders]\n"
                      "users:\n  - name: alice\n    roles: [reader]\n");
  testing::write_file(policies, "CREATE TABLE orders (\n  id bigint PRIMARY KEY\n);\n");
  weftkit_compiler* compiler = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_compiler_create(&compiler, error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_compiler> owned_compiler(compiler);
  const char* files[] = {roles.c_str(), policies.c_str()};
  weftkit_store* store = nullptr;
  EXPECT_EQ(weftkit_compiler_compile(compiler, files, 2, &store, error.out()), WEFTKIT_OK) << error.message();
  return Owned<weftkit_store>(store);
}

}  // namespace weftkit::audit::c_api_testing
