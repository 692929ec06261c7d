// Opening a log from C: explicit options, the WEFTKIT_AUDIT_* variables, and every refusal
// with its message (which never holds the HMAC key).
#include <stdlib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/audit/c_api/audit_c_api_fixture.h"

namespace weftkit::audit::c_api_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey = "0123456789abcdef0123456789abcdef-secret";

TEST(AuditCApiOpen, TheApiVersionIsTheHeaders) { EXPECT_EQ(weftkit_audit_api_version(), WEFTKIT_AUDIT_API_VERSION); }

TEST(AuditCApiOpen, OptionsInitGivesTheConfigurationsDefaults) {
  weftkit_audit_options options;
  weftkit_audit_options_init(&options);
  EXPECT_EQ(options.output, nullptr);
  EXPECT_EQ(options.hmac_key, nullptr);
  EXPECT_EQ(options.events, nullptr);
  EXPECT_EQ(options.event_count, 0u);
  EXPECT_EQ(options.overflow, WEFTKIT_AUDIT_OVERFLOW_BLOCK);
  EXPECT_EQ(options.fsync, WEFTKIT_AUDIT_FSYNC_INTERVAL);
  EXPECT_EQ(options.max_bytes, 100ull * 1024 * 1024);
  weftkit_audit_options_init(nullptr);  // does nothing
}

TEST(AuditCApiOpen, ExplicitOptionsOpenAnEmptyLog) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_audit_log> log = open_log(scratch.file("audit.log"));
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(weftkit_audit_healthy(log.get()));
  EXPECT_TRUE(std::filesystem::exists(scratch.file("audit.log")));
}

TEST(AuditCApiOpen, RefusesMissingArgumentsAndBadOptions) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  weftkit_audit_log* log = reinterpret_cast<weftkit_audit_log*>(&scratch);  // must be reset to NULL
  ErrorSlot error;
  EXPECT_EQ(weftkit_audit_open(nullptr, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(log, nullptr);
  EXPECT_THAT(error.message(), HasSubstr("must not be NULL"));

  weftkit_audit_options options;
  weftkit_audit_options_init(&options);
  EXPECT_EQ(weftkit_audit_open(&options, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("options->output"));

  options.output = path.c_str();
  options.hmac_key = "short-secret-key";
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("16 bytes; expected at least 32"));
  EXPECT_THAT(error.message(), Not(HasSubstr("short-secret-key")));
  options.hmac_key = nullptr;

  const weftkit_audit_kind bad_kinds[] = {WEFTKIT_AUDIT_EVENT_AUTH, static_cast<weftkit_audit_kind>(8)};
  options.events = bad_kinds;
  options.event_count = 2;
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("options->events[1]"));
  options.events = nullptr;
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("event_count"));
  options.event_count = 0;

  options.overflow = static_cast<weftkit_audit_overflow>(7);
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("options->overflow"));
  options.overflow = WEFTKIT_AUDIT_OVERFLOW_DROP;
  options.fsync = static_cast<weftkit_audit_fsync>(-1);
  EXPECT_EQ(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("options->fsync"));
  EXPECT_EQ(log, nullptr);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(AuditCApiOpen, AnOutputThatCannotBeOpenedNamesThePathButNotTheKey) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("missing-directory/audit.log");
  weftkit_audit_options options;
  weftkit_audit_options_init(&options);
  options.output = path.c_str();
  options.hmac_key = kKey;
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  EXPECT_NE(weftkit_audit_open(&options, &log, error.out()), WEFTKIT_OK);
  EXPECT_EQ(log, nullptr);
  ASSERT_NE(error.get(), nullptr);
  EXPECT_THAT(error.message(), HasSubstr(path + ": cannot open the audit log"));
  EXPECT_THAT(error.message(), Not(HasSubstr(kKey)));
}

weftkit_status open_variables(const std::vector<std::string>& variables, weftkit_audit_log** log, ErrorSlot& error) {
  std::vector<const char*> entries;
  for (const std::string& variable : variables) entries.push_back(variable.c_str());
  return weftkit_audit_open_from_variables(entries.data(), entries.size(), log, error.out());
}

TEST(AuditCApiOpen, WithoutWeftkitAuditTrueThereIsNoLogAndNoError) {
  for (const std::vector<std::string>& variables :
       {std::vector<std::string>{}, std::vector<std::string>{"WEFTKIT_AUDIT=false", "WEFTKIT_AUDIT_OUTPUT=/x"},
        std::vector<std::string>{"PATH=/bin", "WEFTKIT_AUTH=nonsense"}}) {
    weftkit_audit_log* log = nullptr;
    ErrorSlot error;
    EXPECT_EQ(open_variables(variables, &log, error), WEFTKIT_OK) << error.message();
    EXPECT_EQ(log, nullptr);
    EXPECT_EQ(error.get(), nullptr);
  }
}

TEST(AuditCApiOpen, VariablesOpenTheLogTheyDescribe) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  ASSERT_EQ(open_variables({"WEFTKIT_AUDIT=true", "WEFTKIT_AUDIT_OUTPUT=" + path, "WEFTKIT_AUDIT_EVENTS=authz_deny",
                            "WEFTKIT_AUDIT_FSYNC=never"},
                           &log, error),
            WEFTKIT_OK)
      << error.message();
  Owned<weftkit_audit_log> owned(log);
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_AUTHZ_DENY));
  EXPECT_FALSE(weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_AUTH));
}

TEST(AuditCApiOpen, ABadConfigurationListsEveryProblemAndNeverTheKey) {
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  EXPECT_EQ(open_variables({"WEFTKIT_AUDIT=true", "WEFTKIT_AUDIT_HMAC_KEY=tiny-secret", "WEFTKIT_AUDIT_EVENTS=auth,nope"},
                           &log, error),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(log, nullptr);
  const std::string message = error.message();
  EXPECT_THAT(message, HasSubstr("the WEFTKIT_AUDIT_* configuration is invalid:"));
  EXPECT_THAT(message, HasSubstr("WEFTKIT_AUDIT_OUTPUT"));
  EXPECT_THAT(message, HasSubstr("WEFTKIT_AUDIT_HMAC_KEY"));
  EXPECT_THAT(message, HasSubstr("WEFTKIT_AUDIT_EVENTS"));
  EXPECT_THAT(message, Not(HasSubstr("tiny-secret")));

  EXPECT_EQ(open_variables({"WEFTKIT_AUDIT_HMAC_KEY"}, &log, error), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "variable 0 is not NAME=value");
  EXPECT_EQ(weftkit_audit_open_from_variables(nullptr, 1, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  const char* with_null[] = {"WEFTKIT_AUDIT=true", nullptr};
  EXPECT_EQ(weftkit_audit_open_from_variables(with_null, 2, &log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("variables[1] is NULL"));
  EXPECT_EQ(weftkit_audit_open_from_variables(nullptr, 0, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
}

TEST(AuditCApiOpen, AFileThatCannotBeOpenedNamesWeftkitAuditOutput) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("no/such/dir/audit.log");
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  EXPECT_NE(open_variables({"WEFTKIT_AUDIT=true", "WEFTKIT_AUDIT_OUTPUT=" + path}, &log, error), WEFTKIT_OK);
  EXPECT_EQ(log, nullptr);
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_AUDIT_OUTPUT=" + path + ": cannot open the audit log"));
}

// The process environment: set for the test and restored after, so other tests see none.
class AuditCApiEnvironment : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"WEFTKIT_AUDIT", "WEFTKIT_AUDIT_OUTPUT", "WEFTKIT_AUDIT_FSYNC", "WEFTKIT_AUDIT_MAX_BYTES"})
      unsetenv(name);
  }
};

TEST_F(AuditCApiEnvironment, TheProcessEnvironmentOpensTheLogOrNothing) {
  weftkit_audit_log* log = nullptr;
  ErrorSlot error;
  unsetenv("WEFTKIT_AUDIT");
  EXPECT_EQ(weftkit_audit_open_from_environment(&log, error.out()), WEFTKIT_OK);
  EXPECT_EQ(log, nullptr);
  EXPECT_EQ(error.get(), nullptr);

  testing::ScratchDirectory scratch;
  setenv("WEFTKIT_AUDIT", "true", 1);
  setenv("WEFTKIT_AUDIT_MAX_BYTES", "lots", 1);
  EXPECT_EQ(weftkit_audit_open_from_environment(&log, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_AUDIT_MAX_BYTES"));
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_AUDIT_OUTPUT"));
  unsetenv("WEFTKIT_AUDIT_MAX_BYTES");

  setenv("WEFTKIT_AUDIT_OUTPUT", scratch.file("audit.log").c_str(), 1);
  setenv("WEFTKIT_AUDIT_FSYNC", "never", 1);
  ASSERT_EQ(weftkit_audit_open_from_environment(&log, error.out()), WEFTKIT_OK) << error.message();
  ASSERT_NE(log, nullptr);
  EXPECT_TRUE(weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_AUTH));
  weftkit_audit_close(log);
  EXPECT_EQ(weftkit_audit_open_from_environment(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
