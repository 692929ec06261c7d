// The log attached from C: a runtime store's denied check and an auth C API login land in the
// file, detaching stops them, and the handle may be closed while they still hold the log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/audit/c_api/audit_c_api_fixture.h"
#include "tests/auth/tool_output.h"

namespace weftkit::audit::c_api_testing {
namespace {

using ::testing::HasSubstr;

Owned<weftkit_context> context_of(weftkit_store* store, const char* user) {
  weftkit_identity identity = {};
  identity.user = user;
  identity.source_address = "192.0.2.7";
  weftkit_context* context = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_context_build(store, &identity, &context, error.out()), WEFTKIT_OK) << error.message();
  return Owned<weftkit_context>(context);
}

TEST(AuditCApiAttach, ADeniedCheckThroughTheRuntimeCApiIsRecorded) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  ErrorSlot error;
  ASSERT_EQ(weftkit_store_set_audit_log(store.get(), log.get(), error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_context> context = context_of(store.get(), "alice");
  ASSERT_NE(context, nullptr);
  EXPECT_TRUE(weftkit_allowed(context.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed(context.get(), WEFTKIT_OP_DELETE, "orders"));
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);

  const std::vector<nlohmann::json> denials = records_named(path, "authz_deny");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0]["identity"], "alice");
  EXPECT_EQ(denials[0]["operation"], "DELETE");
  EXPECT_EQ(denials[0]["resource"], "orders");
  EXPECT_EQ(denials[0]["result"], "denied");
  EXPECT_EQ(denials[0]["source_ip"], "192.0.2.7");
}

TEST(AuditCApiAttach, DetachingWithNullStopsTheRecording) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  ErrorSlot error;
  ASSERT_EQ(weftkit_store_set_audit_log(store.get(), log.get(), error.out()), WEFTKIT_OK);
  Owned<weftkit_context> context = context_of(store.get(), "alice");
  EXPECT_FALSE(weftkit_allowed(context.get(), WEFTKIT_OP_DELETE, "orders"));
  ASSERT_EQ(weftkit_store_set_audit_log(store.get(), nullptr, error.out()), WEFTKIT_OK);
  EXPECT_FALSE(weftkit_allowed(context.get(), WEFTKIT_OP_UPDATE, "orders"));
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);
  const std::vector<nlohmann::json> denials = records_named(path, "authz_deny");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0]["operation"], "DELETE");

  EXPECT_EQ(weftkit_store_set_audit_log(nullptr, log.get(), error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("store must not be NULL"));
}

TEST(AuditCApiAttach, ClosingTheHandleWhileAStoreHoldsTheLogKeepsRecording) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  {
    Owned<weftkit_audit_log> log = open_log(path);
    ASSERT_NE(log, nullptr);
    ErrorSlot error;
    ASSERT_EQ(weftkit_store_set_audit_log(store.get(), log.get(), error.out()), WEFTKIT_OK);
  }  // weftkit_audit_close: the store's reference remains
  {
    Owned<weftkit_context> context = context_of(store.get(), "alice");
    EXPECT_FALSE(weftkit_allowed(context.get(), WEFTKIT_OP_INSERT, "orders"));
  }
  store.reset();  // the last holder: the writer writes what is queued and stops
  const std::vector<nlohmann::json> denials = records_named(path, "authz_deny");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0]["operation"], "INSERT");
}

TEST(AuditCApiAttach, EngineEventsThroughAContextAndAStatementCarryTheirSessionAndStatementIds) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_store> store = reader_store(scratch);
  ASSERT_NE(store, nullptr);
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  ErrorSlot error;
  Owned<weftkit_context> context = context_of(store.get(), "alice");
  ASSERT_NE(context, nullptr);
  const std::string session = weftkit_context_session_id(context.get());
  EXPECT_FALSE(session.empty());
  weftkit_engine_event ddl = {WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE, "CREATE TABLE", "invoices", nullptr, nullptr};
  bool recorded = true;
  // Without a log attached nothing takes it, and that is no error.
  ASSERT_EQ(weftkit_context_report(context.get(), &ddl, &recorded, error.out()), WEFTKIT_OK) << error.message();
  EXPECT_FALSE(recorded);
  ASSERT_EQ(weftkit_store_set_audit_log(store.get(), log.get(), error.out()), WEFTKIT_OK);
  ASSERT_EQ(weftkit_context_report(context.get(), &ddl, &recorded, error.out()), WEFTKIT_OK) << error.message();
  EXPECT_TRUE(recorded);
  weftkit_statement* begun = nullptr;
  ASSERT_EQ(weftkit_statement_begin(context.get(), &begun, error.out()), WEFTKIT_OK);
  Owned<weftkit_statement> statement(begun);
  EXPECT_EQ(weftkit_statement_number(statement.get()), 1u);
  weftkit_engine_event copy = {WEFTKIT_AUDIT_EVENT_DATA_EXPORT, "COPY TO", "orders", "success", "3 rows"};
  ASSERT_EQ(weftkit_statement_report(statement.get(), &copy, nullptr, error.out()), WEFTKIT_OK);

  weftkit_engine_event bad = ddl;
  bad.kind = static_cast<weftkit_audit_kind>(99);
  EXPECT_EQ(weftkit_context_report(context.get(), &bad, &recorded, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("weftkit_context_report: event->kind"));
  EXPECT_EQ(weftkit_statement_report(nullptr, &copy, &recorded, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("weftkit_statement_report"));
  EXPECT_EQ(weftkit_context_session_id(nullptr), nullptr);
  EXPECT_EQ(weftkit_statement_number(nullptr), 0u);
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);

  const std::vector<nlohmann::json> changes = records_named(path, "schema_change");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["identity"], "alice");
  EXPECT_EQ(changes[0]["operation"], "CREATE TABLE");
  EXPECT_EQ(changes[0]["resource"], "invoices");
  EXPECT_EQ(changes[0]["result"], "success");
  EXPECT_EQ(changes[0]["source_ip"], "192.0.2.7");
  EXPECT_EQ(changes[0]["session_id"], session);
  EXPECT_FALSE(changes[0].contains("statement_id"));
  EXPECT_FALSE(changes[0].contains("reason"));
  const std::vector<nlohmann::json> exports = records_named(path, "data_export");
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0]["operation"], "COPY TO");
  EXPECT_EQ(exports[0]["reason"], "3 rows");
  EXPECT_EQ(exports[0]["session_id"], session);
  EXPECT_EQ(exports[0]["statement_id"], "1");
}

// A password authenticator made by the auth C API with the log.
Owned<weftkit_authenticator> audited_authenticator(const testing::ScratchDirectory& scratch,
                                                   const weftkit_audit_log* log) {
  const std::string users = scratch.file("users");
  testing::write_file(users, auth::testing::htpasswd_line({"-B", "-C", "4"}, "erin", "erin-pw") + "\n");
  const std::string users_variable = "WEFTKIT_AUTH_USERS_FILE=" + users;
  const char* variables[] = {"WEFTKIT_AUTH=password", users_variable.c_str()};
  weftkit_auth_config* config = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_config_from_variables(variables, 2, &config, error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_auth_config> owned_config(config);
  weftkit_authenticator* authenticator = nullptr;
  EXPECT_EQ(weftkit_authenticator_create_audited(config, nullptr, log, &authenticator, error.out()), WEFTKIT_OK)
      << error.message();
  return Owned<weftkit_authenticator>(authenticator);
}

void log_in(weftkit_authenticator* authenticator, const char* password, bool expect_ok) {
  weftkit_auth_result* result = nullptr;
  ErrorSlot error;
  ASSERT_EQ(weftkit_auth_password(authenticator, "erin", password, "198.51.100.4", &result, error.out()), WEFTKIT_OK)
      << error.message();
  Owned<weftkit_auth_result> owned(result);
  EXPECT_EQ(weftkit_auth_result_ok(result), expect_ok);
}

TEST(AuditCApiAttach, LoginsThroughTheAuthCApiAreRecordedWithoutThePassword) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  Owned<weftkit_authenticator> authenticator = audited_authenticator(scratch, log.get());
  ASSERT_NE(authenticator, nullptr);
  log_in(authenticator.get(), "wrong-guess", false);
  log_in(authenticator.get(), "erin-pw", true);
  ErrorSlot error;
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);

  const std::vector<nlohmann::json> logins = records_named(path, "auth");
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0]["identity"], "erin");
  EXPECT_EQ(logins[0]["result"], "failure");
  EXPECT_EQ(logins[0]["source_ip"], "198.51.100.4");
  EXPECT_EQ(logins[1]["result"], "success");
  EXPECT_EQ(logins[1]["auth_method"], "password");
  const std::string file = testing::read_file(path);
  EXPECT_EQ(file.find("erin-pw"), std::string::npos);
  EXPECT_EQ(file.find("wrong-guess"), std::string::npos);
}

TEST(AuditCApiAttach, AnAuthenticatorKeepsTheLogAfterItsHandleIsClosed) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_authenticator> authenticator;
  {
    Owned<weftkit_audit_log> log = open_log(path);
    ASSERT_NE(log, nullptr);
    authenticator = audited_authenticator(scratch, log.get());
  }
  ASSERT_NE(authenticator, nullptr);
  log_in(authenticator.get(), "erin-pw", true);
  authenticator.reset();
  EXPECT_EQ(records_named(path, "auth").size(), 1u);
}

TEST(AuditCApiAttach, CreateAuditedWithoutALogRecordsNothingAndChecksItsArguments) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_authenticator> authenticator = audited_authenticator(scratch, nullptr);
  ASSERT_NE(authenticator, nullptr);
  log_in(authenticator.get(), "erin-pw", true);
  weftkit_authenticator* out = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_authenticator_create_audited(nullptr, nullptr, nullptr, &out, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(out, nullptr);
  EXPECT_THAT(error.message(), HasSubstr("weftkit_authenticator_create_audited: config and out must not be NULL"));
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
