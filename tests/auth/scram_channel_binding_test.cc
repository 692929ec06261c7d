// tls-server-end-point channel binding: the hash a real certificate gives (checked against
// `openssl dgst`), and exchanges that bind to the right, the wrong or no channel.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/auth/scram_test_client.h"
#include "tests/auth/tool_output.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

using testing::run_tool;
using testing::ScramTestClient;

std::string failure_of(const ScramStep& step) {
  if (!step.outcome) return "no outcome";
  if (step.outcome->ok()) return "accepted";
  return std::string(failure_name(step.outcome->failure().kind)) + ": " + step.outcome->failure().message;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

class ChannelBinding : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / ("weftkit-cb-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // A self-signed certificate made by openssl req, in DER.
  std::string certificate(const std::string& name, const std::vector<std::string>& key_options, const std::string& digest) {
    const std::string path = (directory_ / (name + ".der")).string();
    std::vector<std::string> argv = {"openssl", "req", "-x509", "-nodes", "-subj", "/CN=weftkit-test", "-days", "1",
                                     "-keyout", (directory_ / (name + ".key")).string(), "-outform", "DER", "-out", path};
    argv.insert(argv.end(), key_options.begin(), key_options.end());
    if (!digest.empty()) argv.push_back(digest);
    run_tool(argv, "openssl");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  // `openssl dgst -<digest>` of the certificate, in hex.
  std::string openssl_digest(const std::string& name, const std::string& digest) {
    const std::string line = run_tool({"openssl", "dgst", digest, (directory_ / (name + ".der")).string()}, "openssl");
    return line.substr(line.find("= ") + 2);
  }

  std::filesystem::path directory_;
};

const std::vector<std::string> kEcP256 = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"};

TEST_F(ChannelBinding, HashIsTheCertificatesSignatureHash) {
  const std::string der = certificate("p384", kEcP256, "-sha384");
  StatusOr<std::string> binding = tls_server_end_point(der);
  ASSERT_TRUE(binding.is_ok()) << binding.status().message();
  EXPECT_EQ(binding.value().size(), 48u);
  EXPECT_EQ(hex(binding.value()), openssl_digest("p384", "-sha384"));
}

TEST_F(ChannelBinding, Sha1SignedCertificateIsHashedWithSha256) {
  const std::string der = certificate("sha1", kEcP256, "-sha1");
  StatusOr<std::string> binding = tls_server_end_point(der);
  ASSERT_TRUE(binding.is_ok()) << binding.status().message();
  EXPECT_EQ(hex(binding.value()), openssl_digest("sha1", "-sha256"));
}

TEST_F(ChannelBinding, Ed25519CertificateHasNoEndPointBinding) {
  const std::string der = certificate("ed", {"-newkey", "ed25519"}, "");
  StatusOr<std::string> binding = tls_server_end_point(der);
  ASSERT_FALSE(binding.is_ok());
  EXPECT_EQ(binding.status().message(), "tls-server-end-point is not defined for this certificate's signature algorithm");
  EXPECT_EQ(tls_server_end_point("not a certificate").status().message(),
            "the server certificate is not one DER-encoded X.509 certificate");
}

class ChannelBoundExchange : public ChannelBinding {
 protected:
  void SetUp() override {
    ChannelBinding::SetUp();
    binding_ = tls_server_end_point(certificate("server", kEcP256, "-sha256")).value();
    StatusOr<std::string> verifier = make_scram_verifier("wonderland", 4096);
    users_ = PasswordFile::parse("alice:" + verifier.value() + "\n", "u").file;
  }
  ScramServerOptions plus_options() {
    return ScramServerOptions{.users = users_, .mechanism = std::string(kScramSha256Plus), .channel_binding = binding_};
  }
  std::string binding_;
  std::shared_ptr<const PasswordFile> users_;
};

TEST_F(ChannelBoundExchange, ClientBoundToThisCertificateSucceeds) {
  ScramServer server(plus_options());
  ScramTestClient client{"alice", "wonderland", "n1", "p=tls-server-end-point,,", binding_};
  const ScramStep first = server.step(client.client_first());
  ASSERT_FALSE(first.outcome.has_value()) << failure_of(first);
  const ScramStep result = server.step(client.client_final(first.server_message));
  ASSERT_TRUE(result.outcome && result.outcome->ok()) << failure_of(result);
  EXPECT_EQ(result.server_message, client.expected_server_final);
}

TEST_F(ChannelBoundExchange, ClientBoundToAnotherCertificateFails) {
  ScramServer server(plus_options());
  const std::string other = tls_server_end_point(certificate("other", kEcP256, "-sha256")).value();
  ScramTestClient client{"alice", "wonderland", "n1", "p=tls-server-end-point,,", other};
  const ScramStep first = server.step(client.client_first());
  const ScramStep result = server.step(client.client_final(first.server_message));
  EXPECT_EQ(result.server_message, "e=channel-bindings-dont-match");
  EXPECT_EQ(failure_of(result), "channel_binding_mismatch: the channel binding does not match this connection");
}

TEST_F(ChannelBoundExchange, ClientThatThinksTheServerCannotBindIsADowngrade) {
  ScramServerOptions options = plus_options();
  options.mechanism = std::string(kScramSha256);
  ScramServer server(options);
  EXPECT_EQ(failure_of(server.step("y,,n=alice,r=n1")),
            "channel_binding_mismatch: the client supports channel binding but believes the server does not (a "
            "downgrade)");
}

TEST_F(ChannelBoundExchange, PlainMechanismOverTlsStillWorksWithoutBinding) {
  ScramServerOptions options = plus_options();
  options.mechanism = std::string(kScramSha256);
  ScramServer server(options);
  ScramTestClient client{"alice", "wonderland", "n1"};
  const ScramStep first = server.step(client.client_first());
  const ScramStep result = server.step(client.client_final(first.server_message));
  EXPECT_TRUE(result.outcome && result.outcome->ok()) << failure_of(result);
}

TEST_F(ChannelBoundExchange, MechanismAndFlagMustAgree) {
  ScramServer plus_without_binding(plus_options());
  EXPECT_EQ(failure_of(plus_without_binding.step("n,,n=alice,r=n1")),
            "channel_binding_mismatch: SCRAM-SHA-256-PLUS was chosen without channel binding");
  ScramServerOptions plain = plus_options();
  plain.mechanism = std::string(kScramSha256);
  ScramServer binding_with_plain(plain);
  EXPECT_EQ(failure_of(binding_with_plain.step("p=tls-server-end-point,,n=alice,r=n1")),
            "channel_binding_mismatch: channel binding was asked for with SCRAM-SHA-256");
  ScramServer other_type(plus_options());
  EXPECT_EQ(failure_of(other_type.step("p=tls-unique,,n=alice,r=n1")),
            "channel_binding_mismatch: only tls-server-end-point channel binding is supported");
  ScramServerOptions no_tls = plus_options();
  no_tls.channel_binding.reset();
  ScramServer plus_without_tls(no_tls);
  EXPECT_EQ(failure_of(plus_without_tls.step("p=tls-server-end-point,,n=alice,r=n1")),
            "channel_binding_mismatch: SCRAM-SHA-256-PLUS needs a TLS connection");
}

TEST_F(ChannelBoundExchange, PlainClientFinalCannotClaimABindingHeaderItDidNotSend) {
  ScramServerOptions options = plus_options();
  options.mechanism = std::string(kScramSha256);
  options.channel_binding.reset();
  ScramServer server(options);
  ScramTestClient client{"alice", "wonderland", "n1"};
  const ScramStep first = server.step(client.client_first());
  client.gs2_header = "y,,";  // c= now says "y,," while client-first said "n,,"
  const ScramStep result = server.step(client.client_final(first.server_message));
  EXPECT_EQ(failure_of(result), "channel_binding_mismatch: the channel binding does not match this connection");
}

}  // namespace
}  // namespace weftkit::auth
