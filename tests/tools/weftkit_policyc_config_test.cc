// weftkit-policyc config: the WEFTKIT_* variables as engines resolve them, run as the real
// binary in a cleared environment (env -i) holding only the test's variables.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

ProcessResult config_with(const std::vector<std::string>& variables) {
  std::vector<std::string> arguments = {"-i"};
  arguments.insert(arguments.end(), variables.begin(), variables.end());
  arguments.push_back(WEFTKIT_POLICYC_PATH);
  arguments.push_back("config");
  return run_process("/usr/bin/env", arguments, "/");
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(CliConfig, ResolvedConfigurationShowsSecretsOnlyAsSet) {
  const std::string key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";  // base64 of 32 bytes
  ProcessResult result = config_with({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=/etc/weftkit/users.htpasswd",
                                      "WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY_PROVIDER=env", "WEFTKIT_KEY=" + key});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_TRUE(has_line(result.out, "WEFTKIT_AUTH=password")) << result.out;
  EXPECT_TRUE(has_line(result.out, "WEFTKIT_AUTH_USERS_FILE=/etc/weftkit/users.htpasswd")) << result.out;
  EXPECT_TRUE(has_line(result.out, "WEFTKIT_ENCRYPTION=aes-256-gcm")) << result.out;
  EXPECT_TRUE(has_line(result.out, "WEFTKIT_KEY=<set>")) << result.out;
  EXPECT_TRUE(has_line(result.out, "WEFTKIT_JWT_LEEWAY=60 (default)")) << result.out;
  EXPECT_EQ(result.out.find(key), std::string::npos) << "the master key was printed";
  EXPECT_EQ(result.out.find(key.substr(0, 12)), std::string::npos) << "part of the master key was printed";
}

TEST(CliConfig, EveryProblemIsReportedWithExitOne) {
  ProcessResult result = config_with({"WEFTKIT_AUTHH=password", "WEFTKIT_ENCRYPTION=aes-128"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "weftkit-policyc: error: WEFTKIT_AUTHH is not a WeftKit variable (did you mean WEFTKIT_AUTH?)\n"
            "weftkit-policyc: error: WEFTKIT_ENCRYPTION=\"aes-128\" is not allowed: expected aes-256-gcm or none\n");
}

TEST(CliConfig, FilesAreAUsageError) {
  ProcessResult result = run_process(WEFTKIT_POLICYC_PATH, {"config", "roles.yaml"}, "/");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("weftkit-policyc: error: 'config' takes no files: it reads the WEFTKIT_* variables\n", 0), 0u)
      << result.err;
}

}  // namespace
}  // namespace weftkit::policy::testing
