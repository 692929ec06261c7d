// SCRAM-SHA-256 through the auth C API against the tests' independent client: the mechanisms
// offered, an exchange driven message by message, a wrong password, the login name given by
// the wire protocol, and channel binding to a real certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <weftkit/auth/scram.h>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/scram_test_client.h"
#include "tests/auth/test_pki.h"

namespace weftkit::auth::c_api_testing {
namespace {

using testing::ScramTestClient;

// One step's answer: the server's message and, once the exchange is over, its outcome.
struct Answer {
  std::string server_message;
  std::optional<std::string> outcome;
};

Answer step(weftkit_scram* scram, const std::string& client_message) {
  char* server_message = nullptr;
  size_t length = 0;
  weftkit_auth_result* result = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_scram_step(scram, client_message.data(), client_message.size(), &server_message, &length, &result,
                               error.out()),
            WEFTKIT_OK)
      << error.message();
  Owned<char> owned_message(server_message);
  Owned<weftkit_auth_result> owned_result(result);
  Answer answer{server_message != nullptr ? std::string(server_message, length) : "", std::nullopt};
  if (result != nullptr) answer.outcome = outcome(result);
  return answer;
}

class AuthCApiScram : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::string> verifier = make_scram_verifier("wonderland", 4096);
    ASSERT_TRUE(verifier.is_ok());
    authenticator_ =
        authenticator_of({"WEFTKIT_AUTH=password",
                          "WEFTKIT_AUTH_USERS_FILE=" + scratch_.write("users", "alice:" + verifier.value() + "\n")});
    ASSERT_NE(authenticator_, nullptr);
  }
  Owned<weftkit_scram> begin(const char* login, const char* mechanism, const std::string* binding = nullptr) {
    weftkit_scram* scram = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_scram_begin(authenticator_.get(), login, "192.0.2.1", mechanism,
                                  binding ? reinterpret_cast<const uint8_t*>(binding->data()) : nullptr,
                                  binding ? binding->size() : 0, &scram, error.out()),
              WEFTKIT_OK)
        << error.message();
    return Owned<weftkit_scram>(scram);
  }

  ScratchDirectory scratch_;
  Owned<weftkit_authenticator> authenticator_;
};

TEST(AuthCApiScramMechanisms, AreOfferedAsTheCppServerOffersThem) {
  for (bool binding : {false, true}) {
    const std::vector<std::string> expected = ScramServer::mechanisms(binding);
    ASSERT_EQ(weftkit_scram_mechanism_count(binding), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(weftkit_scram_mechanism_at(binding, i), expected[i]);
    EXPECT_EQ(weftkit_scram_mechanism_at(binding, expected.size()), nullptr);
  }
}

TEST_F(AuthCApiScram, TheRightPasswordSucceedsMessageByMessage) {
  Owned<weftkit_scram> scram = begin(nullptr, "SCRAM-SHA-256");
  ScramTestClient client{"alice", "wonderland", "client-nonce-1"};
  const Answer first = step(scram.get(), client.client_first());
  EXPECT_FALSE(first.outcome.has_value());
  EXPECT_THAT(first.server_message, ::testing::StartsWith("r=client-nonce-1"));
  const Answer final = step(scram.get(), client.client_final(first.server_message));
  EXPECT_EQ(final.server_message, client.expected_server_final);
  EXPECT_EQ(final.outcome, "ok user=alice tenant=- roles= method=0");
  // Over: a further message fails.
  const Answer after = step(scram.get(), client.client_first());
  ASSERT_TRUE(after.outcome.has_value());
  EXPECT_THAT(*after.outcome, ::testing::Not(::testing::StartsWith("ok")));
}

TEST_F(AuthCApiScram, AWrongPasswordIsBadCredentials) {
  Owned<weftkit_scram> scram = begin(nullptr, "SCRAM-SHA-256");
  ScramTestClient client{"alice", "looking-glass", "client-nonce-2"};
  const Answer first = step(scram.get(), client.client_first());
  const Answer final = step(scram.get(), client.client_final(first.server_message));
  EXPECT_THAT(final.server_message, ::testing::StartsWith("e="));
  ASSERT_TRUE(final.outcome.has_value());
  EXPECT_THAT(*final.outcome, ::testing::StartsWith("bad_credentials: "));
  EXPECT_THAT(*final.outcome, ::testing::Not(::testing::HasSubstr("looking-glass")));
}

TEST_F(AuthCApiScram, TheWireProtocolsLoginNameIsUsedWhenTheClientSendsNone) {
  // libpq sends an empty n=; the user is the startup message's.
  Owned<weftkit_scram> scram = begin("alice", "SCRAM-SHA-256");
  ScramTestClient client{"", "wonderland", "client-nonce-3"};
  const Answer first = step(scram.get(), client.client_first());
  const Answer final = step(scram.get(), client.client_final(first.server_message));
  EXPECT_EQ(final.outcome, "ok user=alice tenant=- roles= method=0");
}

// The DER of a PEM certificate file.
std::string der_of(const std::string& pem_file) {
  const std::string pem = testing::read_text(pem_file);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                          &X509_free);
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate.get(), &der);
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

TEST_F(AuthCApiScram, ChannelBindingToTheServerCertificateSucceedsAndIsTheCppBinding) {
  testing::TestPki pki;
  const std::string der = der_of(pki.server_certificate);
  uint8_t buffer[64];
  size_t length = 0;
  ErrorSlot error;
  ASSERT_EQ(weftkit_scram_channel_binding(reinterpret_cast<const uint8_t*>(der.data()), der.size(), buffer,
                                          sizeof buffer, &length, error.out()),
            WEFTKIT_OK)
      << error.message();
  const std::string binding(reinterpret_cast<const char*>(buffer), length);
  EXPECT_EQ(binding, tls_server_end_point(der).value());
  // Too small a buffer: the length needed, and nothing written.
  size_t needed = 0;
  EXPECT_EQ(weftkit_scram_channel_binding(reinterpret_cast<const uint8_t*>(der.data()), der.size(), buffer, 4, &needed,
                                          error.out()),
            WEFTKIT_BUFFER_TOO_SMALL);
  EXPECT_EQ(needed, length);
  EXPECT_EQ(weftkit_scram_channel_binding(reinterpret_cast<const uint8_t*>("nope"), 4, buffer, sizeof buffer, &length,
                                          error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the server certificate is not one DER-encoded X.509 certificate");

  Owned<weftkit_scram> scram = begin(nullptr, "SCRAM-SHA-256-PLUS", &binding);
  ScramTestClient client{"alice", "wonderland", "client-nonce-4", "p=tls-server-end-point,,", binding};
  const Answer first = step(scram.get(), client.client_first());
  const Answer final = step(scram.get(), client.client_final(first.server_message));
  EXPECT_EQ(final.server_message, client.expected_server_final);
  EXPECT_EQ(final.outcome, "ok user=alice tenant=- roles= method=0");
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
