// Every WEFTKIT_* name the loader does not know is an error, with the closest known name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

using ::testing::ElementsAre;

TEST(ConfigUnknownVariables, MisspeltNameIsAnErrorWithDidYouMean) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH_USER_FILE", "/etc/users"}});
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_AUTH_USER_FILE is not a WeftKit variable "
                                         "(did you mean WEFTKIT_AUTH_USERS_FILE?)"));
}

TEST(ConfigUnknownVariables, FarFromEveryNameHasNoSuggestion) {
  ConfigResult result = load_config({{"WEFTKIT_COLOUR_SCHEME", "dark"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_COLOUR_SCHEME is not a WeftKit variable"));
}

TEST(ConfigUnknownVariables, OtherPrefixesAreNotOurs) {
  ConfigResult result = load_config({{"PATH", "/usr/bin"}, {"WEFTKITX", "1"}, {"HOME", "/root"}});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.errors.empty());
}

TEST(ConfigUnknownVariables, AllErrorsAreCollectedNotJustTheFirst) {
  ConfigResult result = load_config({{"WEFTKIT_AUTHH", "password"},
                                     {"WEFTKIT_ENCRYPTION", "aes-128"},
                                     {"WEFTKIT_JWT_LEEWAY", "soon"}});
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.errors,
              ElementsAre("WEFTKIT_AUTHH is not a WeftKit variable (did you mean WEFTKIT_AUTH?)",
                          "WEFTKIT_JWT_LEEWAY=\"soon\" is not allowed: expected a whole number from 0 to 3600",
                          "WEFTKIT_ENCRYPTION=\"aes-128\" is not allowed: expected aes-256-gcm or none"));
}

}  // namespace
}  // namespace weftkit::config
