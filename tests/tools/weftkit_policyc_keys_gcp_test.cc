// weftkit-policyc keys and page with WEFTKIT_KEY_PROVIDER=gcp-kms: the real binary, in a
// cleared environment, against the loopback fake of Cloud KMS and its token endpoint (the
// binary signs its own service-account assertion). Google Cloud is not reachable from tests.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tests/crypto/fake_gcp_kms.h"
#include "tests/tools/cli_fixture.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

using crypto::testing::FakeGcpKms;

class CliKeysGcp : public CliFixture {
 protected:
  CliKeysGcp() { kms_.write_service_account(path("sa.json")); }

  ProcessResult run_env(const std::vector<std::string>& arguments, const std::vector<std::string>& variables) const {
    std::vector<std::string> command = {"-i"};
    command.insert(command.end(), variables.begin(), variables.end());
    command.push_back(WEFTKIT_POLICYC_PATH);
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process("/usr/bin/env", command, path(""));
  }
  // The gcp-kms variables, authenticated by the service-account file.
  std::vector<std::string> gcp_env() const {
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm",
            "WEFTKIT_KEY_PROVIDER=gcp-kms",
            "WEFTKIT_GCP_KMS_KEY=" + kms_.settings().key,
            "WEFTKIT_GCP_KMS_MAC_KEY=" + kms_.settings().mac_key_version,
            "WEFTKIT_GCP_KMS_ENDPOINT=" + kms_.url(),
            "GOOGLE_APPLICATION_CREDENTIALS=" + path("sa.json")};
  }
  ProcessResult run(const std::vector<std::string>& arguments) const { return run_env(arguments, gcp_env()); }

  FakeGcpKms kms_;
};

TEST_F(CliKeysGcp, KeyringAndPagesRoundTripThroughCloudKms) {
  ProcessResult init = run({"keys", "init", "--keyring", "keyring", "--tenant", "acme"});
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  nlohmann::json created = nlohmann::json::parse(init.out);
  EXPECT_EQ(created["provider"], "gcp-kms");
  EXPECT_EQ(kms_.tokens_issued(), 1);

  write("plain", "page bytes sealed under a data key that Cloud KMS wrapped");
  ProcessResult sealed = run({"page", "encrypt", "--keyring", "keyring", "--tenant", "acme", "--object", "3", "--page",
                              "7", "--version", "5", "--in", "plain", "--out", "sealed"});
  ASSERT_EQ(sealed.exit_code, 0) << sealed.out << sealed.err;
  ProcessResult opened = run({"page", "decrypt", "--keyring", "keyring", "--tenant", "acme", "--object", "3", "--page",
                              "7", "--version", "5", "--in", "sealed", "--out", "opened"});
  ASSERT_EQ(opened.exit_code, 0) << opened.out << opened.err;
  EXPECT_EQ(read_file(path("opened")), read_file(path("plain")));

  ProcessResult rotated = run({"keys", "rotate", "--keyring", "keyring", "--all"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  ProcessResult status = run({"keys", "status", "--keyring", "keyring"});
  ASSERT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_EQ(nlohmann::json::parse(status.out)["tenants"][0]["current_version"], 2);
  for (const ProcessResult* result : {&init, &sealed, &opened, &rotated, &status}) {
    EXPECT_EQ(result->out.find("ya29."), std::string::npos) << result->out;
    EXPECT_EQ(result->err.find("ya29."), std::string::npos) << result->err;
  }
}

TEST_F(CliKeysGcp, FixedAccessTokenIsUsedAsIs) {
  std::vector<std::string> variables = gcp_env();
  variables.back() = "WEFTKIT_GCP_ACCESS_TOKEN=" + kms_.settings().fixed_token;
  ProcessResult init = run_env({"keys", "init", "--keyring", "keyring", "--tenant", "acme"}, variables);
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  EXPECT_EQ(kms_.tokens_issued(), 0);
}

TEST_F(CliKeysGcp, ServiceRefusalIsAProviderErrorWithoutSecrets) {
  std::vector<std::string> variables = gcp_env();
  variables.back() = "WEFTKIT_GCP_ACCESS_TOKEN=ya29.revoked-token-that-must-not-leak";
  ProcessResult init = run_env({"keys", "init", "--keyring", "keyring", "--tenant", "acme"}, variables);
  EXPECT_EQ(init.exit_code, 1) << init.out << init.err;
  nlohmann::json refused = nlohmann::json::parse(init.out, nullptr, false);
  ASSERT_TRUE(refused.is_object()) << init.out;
  EXPECT_EQ(refused["error"], "key_provider_error");
  EXPECT_NE(init.out.find("UNAUTHENTICATED"), std::string::npos) << init.out;
  EXPECT_EQ(init.out.find("revoked-token"), std::string::npos) << init.out;
  EXPECT_FALSE(exists("keyring"));
}

TEST_F(CliKeysGcp, MissingOrMalformedVariablesAreConfigurationErrors) {
  ProcessResult missing = run_env({"keys", "status", "--keyring", "keyring"},
                                  {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=gcp-kms"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("weftkit-policyc: error: WEFTKIT_KEY_PROVIDER=gcp-kms needs WEFTKIT_GCP_KMS_KEY"),
            std::string::npos)
      << missing.err;
  EXPECT_NE(missing.err.find("needs WEFTKIT_GCP_ACCESS_TOKEN (an OAuth access token) or GOOGLE_APPLICATION_CREDENTIALS"),
            std::string::npos)
      << missing.err;
  std::vector<std::string> variables = gcp_env();
  variables[2] = "WEFTKIT_GCP_KMS_KEY=projects/p/keyRings/r/cryptoKeys/k";
  ProcessResult malformed = run_env({"keys", "status", "--keyring", "keyring"}, variables);
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.err.find("WEFTKIT_GCP_KMS_KEY=\"projects/p/keyRings/r/cryptoKeys/k\" is not allowed: expected "
                               "projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY"),
            std::string::npos)
      << malformed.err;
  EXPECT_EQ(kms_.requests(), 0);
}

}  // namespace
}  // namespace weftkit::policy::testing
