// weftkit-policyc keys rewrap --to-new-provider: the real binary moves a keyring from one master
// key to another of any provider (env to Vault, one Vault transit key to another, Vault to Cloud
// KMS), the new provider described by the WEFTKIT_NEW_* variables. Afterwards the old provider
// opens nothing, the new one opens the keyring, and a page sealed before still decrypts: pages
// are not touched.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tests/crypto/fake_gcp_kms.h"
#include "tests/crypto/fake_kms.h"
#include "tests/crypto/fake_vault.h"
#include "tests/crypto/test_support.h"
#include "tests/tools/cli_fixture.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

using crypto::testing::FakeGcpKms;
using crypto::testing::FakeKms;
using crypto::testing::FakeVault;
using Variables = std::vector<std::string>;

// Each variable of `variables` (NAME=value) under the WEFTKIT_NEW_* name of its setting.
Variables as_new(const Variables& variables) {
  Variables out;
  for (const std::string& variable : variables) {
    if (variable.starts_with("WEFTKIT_ENCRYPTION=")) continue;  // implied for the new provider
    out.push_back(variable.starts_with("WEFTKIT_") ? "WEFTKIT_NEW_" + variable.substr(8) : "WEFTKIT_NEW_" + variable);
  }
  return out;
}

Variables operator+(Variables a, const Variables& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class CliKeysRewrap : public CliFixture {
 protected:
  ProcessResult run(const std::vector<std::string>& arguments, const Variables& variables) const {
    std::vector<std::string> command = {"-i"};
    command.insert(command.end(), variables.begin(), variables.end());
    command.push_back(WEFTKIT_POLICYC_PATH);
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process("/usr/bin/env", command, path(""));
  }

  static Variables env_provider(int seed) {
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + crypto::testing::master_key_base64(seed)};
  }
  static Variables vault_provider(const FakeVault& vault) {
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=vault", "WEFTKIT_VAULT_ADDR=" + vault.url(),
            "WEFTKIT_VAULT_TOKEN=" + vault.settings().token, "WEFTKIT_VAULT_TRANSIT_KEY=" + vault.settings().key};
  }
  static Variables kms_provider(const FakeKms& kms) {
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=kms", "WEFTKIT_KMS_REGION=" + kms.settings().region,
            "WEFTKIT_KMS_KEY_ARN=" + kms.settings().key_arn, "WEFTKIT_KMS_HMAC_KEY_ARN=" + kms.settings().hmac_key_arn,
            "WEFTKIT_KMS_ENDPOINT=" + kms.url(), "AWS_ACCESS_KEY_ID=" + kms.settings().access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + kms.settings().secret_access_key};
  }
  Variables gcp_provider(const FakeGcpKms& kms) const {
    kms.write_service_account(path("sa.json"));
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=gcp-kms",
            "WEFTKIT_GCP_KMS_KEY=" + kms.settings().key, "WEFTKIT_GCP_KMS_MAC_KEY=" + kms.settings().mac_key_version,
            "WEFTKIT_GCP_KMS_ENDPOINT=" + kms.url(), "GOOGLE_APPLICATION_CREDENTIALS=" + path("sa.json")};
  }

  // A keyring of acme and beta under `from`, with one sealed page of acme.
  void make_keyring_with_a_page(const Variables& from) {
    ProcessResult init = run({"keys", "init", "--keyring", "keyring", "--tenant", "acme", "--tenant", "beta"}, from);
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    write("plain", "a page sealed before the rewrap, never rewritten");
    ProcessResult sealed = run({"page", "encrypt", "--keyring", "keyring", "--tenant", "acme", "--object", "3",
                                "--page", "7", "--version", "1", "--in", "plain", "--out", "sealed"},
                               from);
    ASSERT_EQ(sealed.exit_code, 0) << sealed.out << sealed.err;
  }

  std::string decrypt(const Variables& provider) {
    std::filesystem::remove(path("opened"));
    ProcessResult opened = run({"page", "decrypt", "--keyring", "keyring", "--tenant", "acme", "--object", "3", "--page",
                                "7", "--version", "1", "--in", "sealed", "--out", "opened"},
                               provider);
    if (opened.exit_code != 0) return nlohmann::json::parse(opened.err)["error"];
    return read_file(path("opened")) == read_file(path("plain")) ? "same" : "different";
  }

  // Rewraps from `from` to `to`, then checks who opens the keyring and that the page reads.
  void rewrap_and_check(const Variables& from, const Variables& to, const std::string& to_kind) {
    const std::string sealed_before = read_file(path("sealed"));
    ProcessResult rewrapped = run({"keys", "rewrap", "--keyring", "keyring", "--to-new-provider"}, from + as_new(to));
    ASSERT_EQ(rewrapped.exit_code, 0) << rewrapped.out << rewrapped.err;
    nlohmann::json status = nlohmann::json::parse(rewrapped.out);
    EXPECT_EQ(status["rewrapped"], true);
    EXPECT_EQ(status["provider"], to_kind);
    EXPECT_EQ(status["tenants"].size(), 2u);

    ProcessResult old_status = run({"keys", "status", "--keyring", "keyring"}, from);
    EXPECT_EQ(old_status.exit_code, 1) << old_status.out << old_status.err;
    EXPECT_NE(old_status.out.find("\"error\""), std::string::npos) << old_status.out;
    EXPECT_NE(decrypt(from), "same");

    ProcessResult new_status = run({"keys", "status", "--keyring", "keyring"}, to);
    ASSERT_EQ(new_status.exit_code, 0) << new_status.out << new_status.err;
    EXPECT_EQ(nlohmann::json::parse(new_status.out)["provider"], to_kind);
    EXPECT_EQ(decrypt(to), "same");
    EXPECT_EQ(read_file(path("sealed")), sealed_before) << "pages are not touched";
  }
};

TEST_F(CliKeysRewrap, FromAnEnvKeyToVault) {
  FakeVault vault;
  make_keyring_with_a_page(env_provider(1));
  rewrap_and_check(env_provider(1), vault_provider(vault), "vault");
}

TEST_F(CliKeysRewrap, FromOneVaultTransitKeyToAnother) {
  FakeVault old_vault;
  crypto::testing::FakeVaultSettings next;
  next.key = "weftkit-2027";
  FakeVault new_vault(next);
  make_keyring_with_a_page(vault_provider(old_vault));
  rewrap_and_check(vault_provider(old_vault), vault_provider(new_vault), "vault");
}

TEST_F(CliKeysRewrap, FromVaultToCloudKmsAndBackToAnEnvKey) {
  FakeVault vault;
  FakeGcpKms kms;
  make_keyring_with_a_page(vault_provider(vault));
  rewrap_and_check(vault_provider(vault), gcp_provider(kms), "gcp-kms");
  rewrap_and_check(gcp_provider(kms), env_provider(2), "env");
}

// Another KMS key (its own encryption and HMAC keys), with the AWS credentials given under
// WEFTKIT_NEW_AWS_* names.
TEST_F(CliKeysRewrap, FromOneKmsKeyToAnother) {
  FakeKms old_kms;
  crypto::testing::FakeKmsSettings next;
  next.key_arn = "arn:aws:kms:eu-west-1:111122223333:key/5678efgh-56ef-78gh-90ij-567890abcdef";
  next.hmac_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/hmac-6666-7777-8888-999900001111";
  FakeKms new_kms(next);
  make_keyring_with_a_page(kms_provider(old_kms));
  rewrap_and_check(kms_provider(old_kms), kms_provider(new_kms), "kms");
}

TEST_F(CliKeysRewrap, AnIncompleteNewProviderIsRefusedByItsNewNamesAndChangesNothing) {
  FakeVault vault;
  make_keyring_with_a_page(env_provider(1));
  const std::string before = read_file(path("keyring"));
  Variables incomplete = {"WEFTKIT_NEW_KEY_PROVIDER=vault", "WEFTKIT_NEW_VAULT_ADDR=" + vault.url()};
  ProcessResult refused = run({"keys", "rewrap", "--keyring", "keyring", "--to-new-provider"}, env_provider(1) + incomplete);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("WEFTKIT_NEW_VAULT_TOKEN"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find(" WEFTKIT_VAULT_TOKEN"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(path("keyring")), before);
  EXPECT_EQ(decrypt(env_provider(1)), "same");
}

TEST_F(CliKeysRewrap, ANewProviderThatFailsLeavesTheKeyringUnderTheOldKey) {
  FakeVault vault;
  make_keyring_with_a_page(env_provider(1));
  const std::string before = read_file(path("keyring"));
  Variables wrong_token = vault_provider(vault);
  wrong_token[3] = "WEFTKIT_VAULT_TOKEN=hvs.not-the-token-0000";
  ProcessResult refused =
      run({"keys", "rewrap", "--keyring", "keyring", "--to-new-provider"}, env_provider(1) + as_new(wrong_token));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(refused.out)["error"], "key_provider_error") << refused.out;
  EXPECT_EQ(refused.out.find("hvs.not-the-token"), std::string::npos) << refused.out;
  EXPECT_EQ(read_file(path("keyring")), before);
  EXPECT_EQ(decrypt(env_provider(1)), "same");
}

TEST_F(CliKeysRewrap, UsageIsOneOfTheTwoFormsAndOnlyProviderSettingsMayBeNew) {
  make_keyring_with_a_page(env_provider(1));
  Variables both = env_provider(1) + Variables{"NEXT_KEY=" + crypto::testing::master_key_base64(2)};
  EXPECT_EQ(run({"keys", "rewrap", "--keyring", "keyring", "--to-new-provider", "--new-key-env", "NEXT_KEY"}, both).exit_code, 2);
  EXPECT_EQ(run({"keys", "rewrap", "--keyring", "keyring"}, both).exit_code, 2);
  ProcessResult not_a_setting = run({"keys", "rewrap", "--keyring", "keyring", "--to-new-provider"},
                                    env_provider(1) + as_new(env_provider(2)) + Variables{"WEFTKIT_NEW_AUDIT=true"});
  EXPECT_EQ(not_a_setting.exit_code, 1);
  EXPECT_NE(not_a_setting.err.find("WEFTKIT_NEW_AUDIT is not a key provider setting"), std::string::npos)
      << not_a_setting.err;
  // Outside --to-new-provider a WEFTKIT_NEW_* variable is what it is: unknown.
  ProcessResult leftover = run({"keys", "status", "--keyring", "keyring"}, env_provider(1) + as_new(env_provider(2)));
  EXPECT_EQ(leftover.exit_code, 1);
  EXPECT_NE(leftover.err.find("WEFTKIT_NEW_KEY is not a WeftKit variable"), std::string::npos) << leftover.err;
}

}  // namespace
}  // namespace weftkit::policy::testing
