// process_environment() copies exactly the process's WEFTKIT_* variables and the clouds' own
// credential variables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

TEST(ConfigProcessEnvironment, CopiesOnlyWeftkitVariables) {
  // The only test that touches the process environment; it restores what it changed.
  ASSERT_EQ(setenv("WEFTKIT_TEST_ONLY_VARIABLE", "a=b", 1), 0);
  const char* had_credentials = getenv("GOOGLE_APPLICATION_CREDENTIALS");
  const std::string saved = had_credentials ? had_credentials : "";
  ASSERT_EQ(setenv("GOOGLE_APPLICATION_CREDENTIALS", "/test/sa.json", 1), 0);
  ASSERT_EQ(setenv("AWS_SECRET_ACCESS_KEYS", "not a credential variable", 1), 0);
  EnvironmentMap variables = process_environment();
  unsetenv("WEFTKIT_TEST_ONLY_VARIABLE");
  unsetenv("AWS_SECRET_ACCESS_KEYS");
  if (had_credentials) setenv("GOOGLE_APPLICATION_CREDENTIALS", saved.c_str(), 1);
  else unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
  ASSERT_EQ(variables.count("WEFTKIT_TEST_ONLY_VARIABLE"), 1u);
  EXPECT_EQ(variables.at("WEFTKIT_TEST_ONLY_VARIABLE"), "a=b");
  EXPECT_EQ(variables.at("GOOGLE_APPLICATION_CREDENTIALS"), "/test/sa.json");
  const std::vector<std::string_view> credentials = provider_credential_variables();
  for (const auto& [name, value] : variables) {
    const bool credential = std::find(credentials.begin(), credentials.end(), name) != credentials.end();
    EXPECT_TRUE(name.starts_with("WEFTKIT_") || credential) << name;
  }
}

}  // namespace
}  // namespace weftkit::config
