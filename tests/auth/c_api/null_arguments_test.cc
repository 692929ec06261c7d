// Every function of the auth C API answers NULL arguments with WEFTKIT_INVALID_ARGUMENT (or the
// getters' documented value) instead of dereferencing them, clears handle out-parameters, and
// accepts NULL in every *_free.
#include <gtest/gtest.h>

#include "tests/auth/c_api/auth_c_api_fixture.h"

namespace weftkit::auth::c_api_testing {
namespace {

template <class Handle>
Handle* poisoned() {
  return reinterpret_cast<Handle*>(1);
}

TEST(AuthCApiNullArguments, ConfigurationAndAuthenticatorCallsRefuseThem) {
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_config_from_environment(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_auth_config_from_environment: out must not be NULL");
  weftkit_auth_config* config = poisoned<weftkit_auth_config>();
  EXPECT_EQ(weftkit_auth_config_from_variables(nullptr, 1, &config, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(config, nullptr);
  const char* holes[] = {nullptr};
  EXPECT_EQ(weftkit_auth_config_from_variables(holes, 1, &config, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_auth_config_from_variables: variables[0] is NULL");
  // No variables at all is a valid (empty) configuration.
  ASSERT_EQ(weftkit_auth_config_from_variables(nullptr, 0, &config, nullptr), WEFTKIT_OK);
  Owned<weftkit_auth_config> empty(config);
  weftkit_auth_method method = WEFTKIT_AUTH_PASSWORD;
  EXPECT_FALSE(weftkit_auth_config_method(nullptr, &method));
  EXPECT_FALSE(weftkit_auth_config_method(empty.get(), nullptr));

  weftkit_authenticator* authenticator = poisoned<weftkit_authenticator>();
  EXPECT_EQ(weftkit_authenticator_create(nullptr, nullptr, &authenticator, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(authenticator, nullptr);
  EXPECT_EQ(weftkit_authenticator_create(empty.get(), nullptr, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_authenticator_reload_users(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
}

TEST(AuthCApiNullArguments, LoginCallsRefuseThemAndClearTheResult) {
  ScratchDirectory scratch;
  Owned<weftkit_authenticator> authenticator =
      authenticator_of({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + scratch.write("users", "")});
  ASSERT_NE(authenticator, nullptr);
  weftkit_authenticator* a = authenticator.get();
  weftkit_auth_result* result = poisoned<weftkit_auth_result>();
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_password(nullptr, "u", "p", nullptr, &result, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(result, nullptr);
  EXPECT_EQ(error.message(), "weftkit_auth_password: authenticator, login, password and result must not be NULL");
  EXPECT_EQ(weftkit_auth_password(a, nullptr, "p", nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_password(a, "u", nullptr, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_password(a, "u", "p", nullptr, nullptr, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_jwt(nullptr, "t", 0, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_jwt(a, nullptr, 0, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_mtls_pem(nullptr, "x", 1, 0, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_mtls_pem(a, nullptr, 1, 0, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_mtls_peer(nullptr, nullptr, 0, nullptr, &result, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_auth_mtls_peer(a, nullptr, 0, nullptr, &result, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_auth_mtls_peer: authenticator, connection and result must not be NULL");
  EXPECT_EQ(result, nullptr);
}

TEST(AuthCApiNullArguments, ScramCallsRefuseThem) {
  ScratchDirectory scratch;
  Owned<weftkit_authenticator> authenticator =
      authenticator_of({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + scratch.write("users", "")});
  ASSERT_NE(authenticator, nullptr);
  weftkit_scram* scram = poisoned<weftkit_scram>();
  ErrorSlot error;
  EXPECT_EQ(weftkit_scram_begin(nullptr, nullptr, nullptr, "SCRAM-SHA-256", nullptr, 0, &scram, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(scram, nullptr);
  EXPECT_EQ(weftkit_scram_begin(authenticator.get(), nullptr, nullptr, nullptr, nullptr, 0, &scram, nullptr),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_scram_begin(authenticator.get(), nullptr, nullptr, "SCRAM-SHA-256", nullptr, 0, nullptr, nullptr),
            WEFTKIT_INVALID_ARGUMENT);
  char* server_message = reinterpret_cast<char*>(1);
  size_t length = 7;
  weftkit_auth_result* result = poisoned<weftkit_auth_result>();
  EXPECT_EQ(weftkit_scram_step(nullptr, "n,,n=a,r=b", 10, &server_message, &length, &result, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(server_message, nullptr);
  EXPECT_EQ(result, nullptr);
  EXPECT_EQ(length, 7u);  // written only on success
  uint8_t binding[64];
  EXPECT_EQ(weftkit_scram_channel_binding(nullptr, 10, binding, sizeof binding, &length, nullptr),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_scram_channel_binding(binding, 10, binding, sizeof binding, nullptr, nullptr),
            WEFTKIT_INVALID_ARGUMENT);
}

TEST(AuthCApiNullArguments, ResultGettersAnswerNullAsARefusal) {
  EXPECT_FALSE(weftkit_auth_result_ok(nullptr));
  EXPECT_STREQ(weftkit_auth_result_failure(nullptr), "internal");
  EXPECT_STREQ(weftkit_auth_result_message(nullptr), "no result");
  EXPECT_EQ(weftkit_auth_result_user(nullptr), nullptr);
  EXPECT_EQ(weftkit_auth_result_tenant(nullptr), nullptr);
  EXPECT_EQ(weftkit_auth_result_role_count(nullptr), 0u);
  EXPECT_EQ(weftkit_auth_result_role_at(nullptr, 0), nullptr);
  weftkit_identity identity{};
  EXPECT_EQ(weftkit_auth_result_identity(nullptr, &identity, nullptr), WEFTKIT_INVALID_ARGUMENT);
}

TEST(AuthCApiNullArguments, TlsServerCallsRefuseThem) {
  weftkit_tls_server* server = poisoned<weftkit_tls_server>();
  ErrorSlot error;
  EXPECT_EQ(weftkit_tls_server_create(nullptr, &server, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(server, nullptr);
  struct ssl_ctx_st* context = reinterpret_cast<struct ssl_ctx_st*>(1);
  EXPECT_EQ(weftkit_tls_server_context(nullptr, &context, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(context, nullptr);
  EXPECT_EQ(weftkit_tls_server_reload(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_tls_server_generation(nullptr), 0u);
}

TEST(AuthCApiNullArguments, EveryFreeAcceptsNull) {
  weftkit_auth_config_free(nullptr);
  weftkit_authenticator_free(nullptr);
  weftkit_scram_free(nullptr);
  weftkit_auth_result_free(nullptr);
  weftkit_tls_server_free(nullptr);
  EXPECT_EQ(weftkit_auth_api_version(), static_cast<uint32_t>(WEFTKIT_AUTH_API_VERSION));
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
