// A SCRAM-SHA-256 exchange begun from an audited authenticator records its outcome, even when
// the log's handle and the authenticator are both gone before the exchange ends.
#include <gtest/gtest.h>

#include <weftkit/auth/scram.h>

#include "tests/audit/c_api/audit_c_api_fixture.h"
#include "tests/auth/scram_test_client.h"

namespace weftkit::audit::c_api_testing {
namespace {

struct ScramDeleter {
  void operator()(weftkit_scram* scram) const { weftkit_scram_free(scram); }
};

// The server's answer to one client message; `*over` once the exchange has an outcome.
std::string step(weftkit_scram* scram, const std::string& client_message, bool* over) {
  char* server_message = nullptr;
  size_t length = 0;
  weftkit_auth_result* result = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_scram_step(scram, client_message.data(), client_message.size(), &server_message, &length, &result,
                               error.out()),
            WEFTKIT_OK)
      << error.message();
  const std::string answer = server_message != nullptr ? std::string(server_message, length) : "";
  weftkit_string_free(server_message);
  *over = result != nullptr;
  weftkit_auth_result_free(result);
  return answer;
}

TEST(AuditCApiScram, AnExchangeOutlivingTheLogHandleAndTheAuthenticatorIsRecorded) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  const std::string users = scratch.file("users");
  StatusOr<std::string> verifier = auth::make_scram_verifier("wonderland", 4096);
  ASSERT_TRUE(verifier.is_ok());
  testing::write_file(users, "alice:" + verifier.value() + "\n");
  const std::string users_variable = "WEFTKIT_AUTH_USERS_FILE=" + users;
  const char* variables[] = {"WEFTKIT_AUTH=password", users_variable.c_str()};

  std::unique_ptr<weftkit_scram, ScramDeleter> scram;
  {
    Owned<weftkit_audit_log> log = open_log(path);
    ASSERT_NE(log, nullptr);
    weftkit_auth_config* config = nullptr;
    ErrorSlot error;
    ASSERT_EQ(weftkit_auth_config_from_variables(variables, 2, &config, error.out()), WEFTKIT_OK) << error.message();
    Owned<weftkit_auth_config> owned_config(config);
    weftkit_authenticator* authenticator = nullptr;
    ASSERT_EQ(weftkit_authenticator_create_audited(config, nullptr, log.get(), &authenticator, error.out()),
              WEFTKIT_OK)
        << error.message();
    Owned<weftkit_authenticator> owned_authenticator(authenticator);
    weftkit_scram* begun = nullptr;
    ASSERT_EQ(weftkit_scram_begin(authenticator, nullptr, "203.0.113.9", "SCRAM-SHA-256", nullptr, 0, &begun,
                                  error.out()),
              WEFTKIT_OK)
        << error.message();
    scram.reset(begun);
  }  // the log's handle and the authenticator are freed; the exchange holds the backend

  auth::testing::ScramTestClient client{"alice", "wonderland", "client-nonce-audit"};
  bool over = false;
  const std::string server_first = step(scram.get(), client.client_first(), &over);
  ASSERT_FALSE(over);
  EXPECT_EQ(step(scram.get(), client.client_final(server_first), &over), client.expected_server_final);
  EXPECT_TRUE(over);
  scram.reset();  // the last holder of the log

  const std::vector<nlohmann::json> logins = records_named(path, "auth");
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0]["identity"], "alice");
  EXPECT_EQ(logins[0]["result"], "success");
  EXPECT_EQ(logins[0]["source_ip"], "203.0.113.9");
  EXPECT_EQ(testing::read_file(path).find("wonderland"), std::string::npos);
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
