// process_environment() copies exactly the process's WEFTKIT_* variables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

TEST(ConfigProcessEnvironment, CopiesOnlyWeftkitVariables) {
  // The only test that touches the process environment; it restores what it changed.
  ASSERT_EQ(setenv("WEFTKIT_TEST_ONLY_VARIABLE", "a=b", 1), 0);
  EnvironmentMap variables = process_environment();
  unsetenv("WEFTKIT_TEST_ONLY_VARIABLE");
  ASSERT_EQ(variables.count("WEFTKIT_TEST_ONLY_VARIABLE"), 1u);
  EXPECT_EQ(variables.at("WEFTKIT_TEST_ONLY_VARIABLE"), "a=b");
  for (const auto& [name, value] : variables) EXPECT_TRUE(name.starts_with("WEFTKIT_")) << name;
}

}  // namespace
}  // namespace weftkit::config
