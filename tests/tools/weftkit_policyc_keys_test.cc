// weftkit-policyc keys and page: the real binary, in a cleared environment (env -i) holding only
// the test's variables, on keyrings and pages made at test time with random master keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tests/tools/cli_fixture.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

std::string random_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  if (size > 0) {
    EXPECT_EQ(RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(size)), 1);
  }
  return bytes;
}

std::string base64_of(const std::string& bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                               reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  return text;
}

std::string new_master_key() { return base64_of(random_bytes(32)); }

class CliKeys : public CliFixture {
 protected:
  CliKeys() : key_(new_master_key()) {}

  // weftkit-policyc ARGUMENTS with only `variables` in the environment.
  ProcessResult run_env(const std::vector<std::string>& arguments, const std::vector<std::string>& variables,
                        const std::string& input = "") const {
    std::vector<std::string> command = {"-i"};
    command.insert(command.end(), variables.begin(), variables.end());
    command.push_back(WEFTKIT_POLICYC_PATH);
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process("/usr/bin/env", command, path(""), input);
  }
  std::vector<std::string> env_with(const std::string& key) const {
    return {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + key};
  }
  // The same with this test's master key.
  ProcessResult run(const std::vector<std::string>& arguments, const std::string& input = "") const {
    return run_env(arguments, env_with(key_), input);
  }

  ProcessResult keys(const std::string& subcommand, std::vector<std::string> options = {}) const {
    std::vector<std::string> arguments = {"keys", subcommand, "--keyring", "keyring"};
    arguments.insert(arguments.end(), options.begin(), options.end());
    return run(arguments);
  }
  // page SUBCOMMAND for tenant, object 3, page 7 at `version`, from file `in` to file `out`.
  std::vector<std::string> page_args(const std::string& subcommand, const std::string& tenant, const std::string& in,
                                     const std::string& out, const std::string& version = "5",
                                     const std::string& page = "7", const std::string& keyring = "keyring") const {
    return {"page", subcommand, "--keyring", keyring, "--tenant", tenant, "--object", "3",
            "--page", page, "--version", version, "--in", in, "--out", out};
  }

  void init_keyring(std::vector<std::string> tenants = {"acme", "beta"}) const {
    std::vector<std::string> options;
    for (const std::string& tenant : tenants) {
      options.push_back("--tenant");
      options.push_back(tenant);
    }
    ProcessResult result = keys("init", options);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }
  // A sealed page of `plaintext` for acme in file "sealed".
  void seal(const std::string& plaintext, const std::string& version = "5") const {
    write("plain", plaintext);
    ProcessResult result = run(page_args("encrypt", "acme", "plain", "sealed", version));
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    ASSERT_EQ(result.out, "");
  }

  static nlohmann::json json_of(const std::string& text) {
    EXPECT_EQ(lines_of(text).size(), 1u) << text;
    return nlohmann::json::parse(text, nullptr, false);
  }
  // Exit 1 with {"error": reason, "message": ...} on `channel`.
  static void expect_refused(const ProcessResult& result, const std::string& channel, const std::string& reason) {
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    nlohmann::json out = json_of(channel);
    ASSERT_TRUE(out.is_object()) << channel;
    EXPECT_EQ(out.size(), 2u) << channel;
    EXPECT_EQ(out["error"], reason) << channel;
    EXPECT_TRUE(out["message"].is_string() && !out["message"].get<std::string>().empty()) << channel;
  }
  // A refused page: the reason on stderr, nothing on stdout, --out as it was and no leftovers.
  void expect_page_refused(const ProcessResult& result, const std::string& reason) const {
    expect_refused(result, result.err, reason);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(read_file(path("out")), "untouched");
    for (const auto& entry : std::filesystem::directory_iterator(path(""))) {
      EXPECT_EQ(entry.path().filename().string().find(".out."), std::string::npos) << entry.path();
    }
  }
  static void expect_usage(const ProcessResult& result, const std::string& message) {
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(first_line(result.err), "weftkit-policyc: error: " + message) << result.err;
    EXPECT_NE(result.err.find("usage: weftkit-policyc"), std::string::npos) << result.err;
  }

  std::string key_;
};

TEST_F(CliKeys, InitStatusRotateAndRewrapRoundTrip) {
  ProcessResult init = keys("init", {"--tenant", "acme", "--tenant", "beta"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  nlohmann::json created = json_of(init.out);
  EXPECT_EQ(created["keyring"], "keyring");
  EXPECT_EQ(created["provider"], "env");
  ASSERT_EQ(created["tenants"].size(), 2u) << init.out;
  EXPECT_EQ(created["tenants"][0]["tenant"], "acme");
  EXPECT_EQ(created["tenants"][1]["current_version"], 1);
  EXPECT_EQ(std::filesystem::status(path("keyring")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  ProcessResult status = keys("status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(json_of(status.out)["tenants"], created["tenants"]);

  ProcessResult one = keys("rotate", {"--tenant", "acme"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(json_of(one.out)["rotated"], nlohmann::json::parse(R"([{"tenant":"acme","key_version":2}])"));
  ProcessResult all = keys("rotate", {"--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  nlohmann::json rotated = json_of(all.out);
  EXPECT_EQ(rotated["rotated"],
            nlohmann::json::parse(R"([{"tenant":"acme","key_version":3},{"tenant":"beta","key_version":2}])"));
  EXPECT_EQ(rotated["tenants"][0]["versions"].size(), 3u);

  const std::string new_key = new_master_key();
  ProcessResult rewrap = run_env({"keys", "rewrap", "--keyring", "keyring", "--new-key-env", "NEW_MASTER_KEY"},
                             {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + key_, "NEW_MASTER_KEY=" + new_key});
  ASSERT_EQ(rewrap.exit_code, 0) << rewrap.out << rewrap.err;
  EXPECT_EQ(json_of(rewrap.out)["rewrapped"], true);
  ProcessResult with_new = run_env({"keys", "status", "--keyring", "keyring"}, env_with(new_key));
  ASSERT_EQ(with_new.exit_code, 0) << with_new.out << with_new.err;
  EXPECT_EQ(json_of(with_new.out)["tenants"], rotated["tenants"]);
  ProcessResult with_old = keys("status");
  expect_refused(with_old, with_old.out, "wrong_master_key");
}

TEST_F(CliKeys, StatusNeverPrintsKeyMaterial) {
  init_keyring();
  ProcessResult status = keys("status");
  ASSERT_EQ(status.exit_code, 0);
  EXPECT_EQ(status.out.find(key_), std::string::npos);
  EXPECT_EQ(status.out.find(key_.substr(0, 8)), std::string::npos);
  EXPECT_EQ(status.err, "");
}

TEST_F(CliKeys, InitRefusesAnExistingFile) {
  write("keyring", "not a keyring");
  ProcessResult init = keys("init");
  expect_refused(init, init.out, "already_exists");
  EXPECT_EQ(read_file(path("keyring")), "not a keyring");
}

TEST_F(CliKeys, AddTenantAddsAndRefusesAKnownName) {
  init_keyring({"acme"});
  ProcessResult added = keys("add-tenant", {"--tenant", "gamma"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(json_of(added.out)["tenants"][1]["tenant"], "gamma");
  ProcessResult again = keys("add-tenant", {"--tenant", "acme"});
  expect_refused(again, again.out, "already_exists");
}

TEST_F(CliKeys, RotateOfAnUnknownTenantIsRefused) {
  init_keyring();
  ProcessResult result = keys("rotate", {"--tenant", "nobody"});
  expect_refused(result, result.out, "unknown_tenant");
}

TEST_F(CliKeys, PageRoundTripIsByteExact) {
  init_keyring();
  const std::string plaintext = random_bytes(8192);
  seal(plaintext);
  EXPECT_EQ(read_file(path("sealed")).size(), 8192u + 52u);
  EXPECT_EQ(read_file(path("sealed")).find(plaintext.substr(0, 64)), std::string::npos);
  ProcessResult opened = run(page_args("decrypt", "acme", "sealed", "opened"));
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(read_file(path("opened")), plaintext);
}

TEST_F(CliKeys, PageRunCountsOnlyItsPageAgainstTheKeysLimit) {
  init_keyring();
  seal(random_bytes(128));
  seal(random_bytes(128));
  ProcessResult status = keys("status");
  ASSERT_EQ(status.exit_code, 0);
  // Reserved one page at a time: init's page, then one per run (an engine reserves 2^20).
  EXPECT_EQ(json_of(status.out)["tenants"][0]["versions"][0]["pages_reserved"], 3) << status.out;
}

TEST_F(CliKeys, EmptyPageRoundTripsThroughStdinAndStdout) {
  init_keyring();
  const std::vector<std::string> position = {"--keyring", "keyring", "--tenant", "acme", "--object", "1",
                                             "--page", "0", "--version", "1"};
  std::vector<std::string> encrypt = {"page", "encrypt"};
  encrypt.insert(encrypt.end(), position.begin(), position.end());
  ProcessResult sealed = run(encrypt, "");
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  ASSERT_EQ(sealed.out.size(), 52u);
  std::vector<std::string> decrypt = {"page", "decrypt"};
  decrypt.insert(decrypt.end(), position.begin(), position.end());
  ProcessResult opened = run(decrypt, sealed.out);
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(opened.out, "");
  EXPECT_EQ(opened.err, "");
}

TEST_F(CliKeys, BinaryPageRoundTripsThroughStdinAndStdout) {
  init_keyring();
  std::string plaintext = random_bytes(4096);
  plaintext[0] = '\0';
  plaintext[1] = '\n';
  const std::vector<std::string> position = {"--keyring", "keyring", "--tenant", "beta", "--object", "9",
                                             "--page", "2", "--version", "4"};
  std::vector<std::string> encrypt = {"page", "encrypt"};
  encrypt.insert(encrypt.end(), position.begin(), position.end());
  ProcessResult sealed = run(encrypt, plaintext);
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  std::vector<std::string> decrypt = {"page", "decrypt"};
  decrypt.insert(decrypt.end(), position.begin(), position.end());
  ProcessResult opened = run(decrypt, sealed.out);
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(opened.out, plaintext);
}

TEST_F(CliKeys, PageOfAnotherTenantIsRefusedAndNothingWritten) {
  init_keyring();
  seal(random_bytes(512));
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "beta", "sealed", "out")), "wrong_tenant");
  // Without --out the refusal still leaves stdout empty: no JSON where the page would go.
  ProcessResult to_stdout = run({"page", "decrypt", "--keyring", "keyring", "--tenant", "beta", "--object", "3",
                                 "--page", "7", "--version", "5"},
                                read_file(path("sealed")));
  expect_refused(to_stdout, to_stdout.err, "wrong_tenant");
  EXPECT_EQ(to_stdout.out, "");
}

TEST_F(CliKeys, PageReadAtAnotherPositionIsRefused) {
  init_keyring();
  seal(random_bytes(512));
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "acme", "sealed", "out", "5", "8")), "authentication_failed");
  std::vector<std::string> other_object = page_args("decrypt", "acme", "sealed", "out");
  other_object[7] = "4";  // --object
  expect_page_refused(run(other_object), "authentication_failed");
}

TEST_F(CliKeys, PageOfAnotherVersionIsRefused) {
  init_keyring();
  seal(random_bytes(512), "5");
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "acme", "sealed", "out", "6")), "stale_version");
  expect_page_refused(run(page_args("decrypt", "acme", "sealed", "out", "4")), "newer_version");
}

TEST_F(CliKeys, TamperedOrTruncatedPageIsRefused) {
  init_keyring();
  seal(random_bytes(512));
  std::string sealed = read_file(path("sealed"));
  write("out", "untouched");
  std::string flipped = sealed;
  flipped[100] = static_cast<char>(flipped[100] ^ 0x01);
  write("tampered", flipped);
  expect_page_refused(run(page_args("decrypt", "acme", "tampered", "out")), "authentication_failed");
  write("short", sealed.substr(0, sealed.size() - 1));
  expect_page_refused(run(page_args("decrypt", "acme", "short", "out")), "truncated");
}

TEST_F(CliKeys, PageUnderAKeyVersionTheKeyringLacksIsRefused) {
  init_keyring();
  std::filesystem::copy_file(path("keyring"), path("before-rotation"));
  std::filesystem::permissions(path("before-rotation"),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ASSERT_EQ(keys("rotate", {"--tenant", "acme"}).exit_code, 0);
  seal(random_bytes(512));  // under acme's key version 2
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "acme", "sealed", "out", "5", "7", "before-rotation")),
                      "unknown_key_version");
}

TEST_F(CliKeys, PageOfAnUnknownTenantIsRefused) {
  init_keyring();
  seal(random_bytes(16));
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "nobody", "sealed", "out")), "unknown_tenant");
}

TEST_F(CliKeys, WrongMasterKeyIsRefusedWithTheKeyringsReason) {
  init_keyring();
  seal(random_bytes(64));
  write("out", "untouched");
  const std::vector<std::string> other = env_with(new_master_key());
  ProcessResult status = run_env({"keys", "status", "--keyring", "keyring"}, other);
  expect_refused(status, status.out, "wrong_master_key");
  expect_page_refused(run_env(page_args("decrypt", "acme", "sealed", "out"), other), "wrong_master_key");
}

TEST_F(CliKeys, TamperedKeyringIsRefused) {
  init_keyring();
  std::string keyring = read_file(path("keyring"));
  keyring.back() = static_cast<char>(keyring.back() ^ 0x80);
  write("keyring", keyring);
  ProcessResult status = keys("status");
  expect_refused(status, status.out, "keyring_tampered");
}

TEST_F(CliKeys, KeyringReadableByOthersIsRefused) {
  init_keyring();
  std::filesystem::permissions(path("keyring"), std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  ProcessResult status = keys("status");
  expect_refused(status, status.out, "insecure_permissions");
}

TEST_F(CliKeys, MalformedMasterKeyIsReportedWithoutItsValue) {
  // base64 of 31 bytes, and text that is no base64 at all: each error says what it found.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {base64_of("a 31 byte secret value! hunter2"), "found the base64 of 31 bytes"},
      {"hunter2-is-not-base64", "found 21 characters that are not padded base64"}};
  for (const auto& [bad, found] : cases) {
    ProcessResult result = run_env({"keys", "status", "--keyring", "keyring"}, env_with(bad));
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_NE(result.err.find("weftkit-policyc: error: WEFTKIT_KEY (value not shown) is not allowed"),
              std::string::npos) << result.err;
    EXPECT_NE(result.err.find(found), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find(bad), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("hunter2"), std::string::npos) << result.err;
  }
}

TEST_F(CliKeys, WhitespaceInTheMasterKeyIsIgnored) {
  init_keyring();
  // As `base64` wraps long output, with a final newline.
  ProcessResult result = run_env({"keys", "status", "--keyring", "keyring"},
                                 env_with(key_.substr(0, 20) + "\n  " + key_.substr(20) + "\n"));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST_F(CliKeys, MalformedNewKeyIsReportedWithoutItsValue) {
  init_keyring();
  const std::string bad = base64_of("a 31 byte secret value! hunter2");
  ProcessResult result = run_env({"keys", "rewrap", "--keyring", "keyring", "--new-key-env", "NEW_KEY"},
                             {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + key_, "NEW_KEY=" + bad});
  expect_refused(result, result.out, "invalid_master_key");
  EXPECT_EQ((result.out + result.err).find(bad), std::string::npos);
  EXPECT_EQ((result.out + result.err).find("hunter2"), std::string::npos);
  EXPECT_EQ(keys("status").exit_code, 0);  // the old key still opens it
}

TEST_F(CliKeys, RewrapLeavesEarlierPagesReadableWithTheNewKeyOnly) {
  init_keyring();
  const std::string plaintext = random_bytes(8192);
  seal(plaintext);
  const std::string new_key = new_master_key();
  ProcessResult rewrap = run_env({"keys", "rewrap", "--keyring", "keyring", "--new-key-env", "NEW_KEY"},
                             {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + key_, "NEW_KEY=" + new_key});
  ASSERT_EQ(rewrap.exit_code, 0) << rewrap.out << rewrap.err;
  ProcessResult opened = run_env(page_args("decrypt", "acme", "sealed", "opened"), env_with(new_key));
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_EQ(read_file(path("opened")), plaintext);
  write("out", "untouched");
  expect_page_refused(run(page_args("decrypt", "acme", "sealed", "out")), "wrong_master_key");
}

TEST_F(CliKeys, RemoteProviderIsReportedAsAProviderError) {
  ProcessResult result = run_env({"keys", "init", "--keyring", "keyring"},
                             {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=vault",
                              "WEFTKIT_VAULT_ADDR=http://127.0.0.1:1", "WEFTKIT_VAULT_TOKEN=test-token",
                              "WEFTKIT_VAULT_TRANSIT_KEY=weftkit"});
  expect_refused(result, result.out, "key_provider_error");
  EXPECT_FALSE(exists("keyring"));
  EXPECT_EQ(result.out.find("test-token"), std::string::npos);
}

TEST_F(CliKeys, ConfigurationProblemsAreReportedAsConfigReportsThem) {
  ProcessResult unknown = run_env({"keys", "status", "--keyring", "keyring"},
                              {"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + key_, "WEFTKIT_KEYS=1"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.out, "");
  EXPECT_NE(unknown.err.find("weftkit-policyc: error: WEFTKIT_KEYS is not a WeftKit variable"), std::string::npos)
      << unknown.err;
  ProcessResult encryption = run_env({"keys", "status", "--keyring", "keyring"},
                                 {"WEFTKIT_ENCRYPTION=aes-128", "WEFTKIT_KEY=" + key_});
  EXPECT_EQ(encryption.exit_code, 1);
  EXPECT_NE(encryption.err.find("WEFTKIT_ENCRYPTION=\"aes-128\" is not allowed"), std::string::npos) << encryption.err;
  ProcessResult no_key = run_env({"keys", "status", "--keyring", "keyring"}, {"WEFTKIT_ENCRYPTION=aes-256-gcm"});
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.err.find("needs WEFTKIT_KEY"), std::string::npos) << no_key.err;
}

TEST_F(CliKeys, VerbsUseTheKeyWhileEncryptionIsStillOff) {
  ProcessResult result = run_env({"keys", "init", "--keyring", "keyring"}, {"WEFTKIT_KEY=" + key_});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");  // no "set but not used" warning: these verbs use it
}

TEST_F(CliKeys, BadUsageExitsTwo) {
  expect_usage(run({"keys"}), "'keys' needs a subcommand: init, add-tenant, rotate, rewrap or status");
  expect_usage(run({"keys", "burn"}),
               "unknown keys subcommand 'burn' (expected init, add-tenant, rotate, rewrap or status)");
  expect_usage(run({"keys", "status"}), "'keys status' needs --keyring FILE");
  expect_usage(keys("rotate"), "'keys rotate' needs --tenant T (one or more) or --all, not both");
  expect_usage(keys("rotate", {"--all", "--tenant", "acme"}),
               "'keys rotate' needs --tenant T (one or more) or --all, not both");
  expect_usage(keys("status", {"--tenant", "acme"}), "unknown option '--tenant' for 'keys status'");
  expect_usage(keys("init", {"--tenant", "acme", "--tenant=acme"}), "tenant 'acme' given twice");
  EXPECT_FALSE(exists("keyring"));
  expect_usage(keys("rewrap"), "'keys rewrap' needs --to-new-provider (the new provider's settings in WEFTKIT_NEW_* "
                               "variables) or --new-key-env VAR (the variable holding a new base64 env master key), not both");
  expect_usage(keys("rewrap", {"--new-key-env", "WEFTKIT_KEY"}),
               "option '--new-key-env' names WEFTKIT_KEY, a WeftKit setting; put the new key in a variable of its own");
  expect_usage(run({"page", "encrypt", "--keyring", "keyring", "--tenant", "acme", "--page", "1", "--version", "1"}),
               "'page encrypt' needs --object N");
  expect_usage(run({"page", "decrypt", "--keyring", "keyring", "--tenant", "acme", "--object", "x", "--page", "1",
                    "--version", "1"}),
               "option '--object' takes a whole number from 0 to 2^64-1, not 'x'");
  expect_usage(run({"page", "seal"}), "unknown page subcommand 'seal' (expected encrypt or decrypt)");
}

TEST_F(CliKeys, KeyGivenInPlaceOfAVariableNameIsNotEchoed) {
  const std::string key = new_master_key();
  ProcessResult result = keys("rewrap", {"--new-key-env", key});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ((result.out + result.err).find(key), std::string::npos) << result.err;
}

TEST_F(CliKeys, HelpListsTheSubcommands) {
  ProcessResult keys_help = run({"keys", "--help"});
  EXPECT_EQ(keys_help.exit_code, 0);
  EXPECT_NE(keys_help.out.find("rewrap --new-key-env VAR"), std::string::npos) << keys_help.out;
  ProcessResult page_help = run({"page", "--help"});
  EXPECT_EQ(page_help.exit_code, 0);
  EXPECT_NE(page_help.out.find("usage: weftkit-policyc page encrypt|decrypt"), std::string::npos) << page_help.out;
  ProcessResult main_help = run({"--help"});
  EXPECT_NE(main_help.out.find("  keys init|add-tenant|rotate|rewrap|status"), std::string::npos);
  EXPECT_NE(main_help.out.find("  page encrypt|decrypt"), std::string::npos);
}

}  // namespace
}  // namespace weftkit::policy::testing
