// One authenticator shared by connection threads, as its header promises: password logins and
// SCRAM exchanges on several threads while the users file is reloaded (ThreadSanitizer runs it).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <weftkit/auth/scram.h>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/scram_test_client.h"
#include "tests/auth/tool_output.h"

namespace weftkit::auth::c_api_testing {
namespace {

// One SCRAM exchange to its end; true when it was accepted.
bool scram_login(weftkit_authenticator* authenticator, const std::string& nonce) {
  weftkit_scram* scram = nullptr;
  if (weftkit_scram_begin(authenticator, nullptr, "192.0.2.8", "SCRAM-SHA-256", nullptr, 0, &scram, nullptr) !=
      WEFTKIT_OK) {
    return false;
  }
  Owned<weftkit_scram> owned(scram);
  testing::ScramTestClient client{"sam", "sam-pw", nonce};
  std::string message = client.client_first();
  for (int round = 0; round < 2; ++round) {
    char* reply = nullptr;
    size_t length = 0;
    weftkit_auth_result* result = nullptr;
    if (weftkit_scram_step(scram, message.data(), message.size(), &reply, &length, &result, nullptr) != WEFTKIT_OK) {
      return false;
    }
    Owned<char> owned_reply(reply);
    Owned<weftkit_auth_result> owned_result(result);
    if (result != nullptr) return weftkit_auth_result_ok(result);
    message = client.client_final(std::string(reply, length));
  }
  return false;
}

TEST(AuthCApiThreads, LoginsOnSeveralThreadsWhileTheUsersFileIsReloaded) {
  ScratchDirectory scratch;
  const std::string users = testing::htpasswd_line({"-B", "-C", "4"}, "pat", "pat-pw") + "\n" +
                            "sam:" + make_scram_verifier("sam-pw", 4096).value() + "\n";
  Owned<weftkit_authenticator> authenticator =
      authenticator_of({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + scratch.write("users", users)});
  ASSERT_NE(authenticator, nullptr);
  std::atomic<int> accepted{0};
  std::atomic<bool> stop{false};
  std::thread reloader([&] {
    while (!stop.load()) EXPECT_EQ(weftkit_authenticator_reload_users(authenticator.get(), nullptr), WEFTKIT_OK);
  });
  std::vector<std::thread> connections;
  for (int thread = 0; thread < 4; ++thread) {
    connections.emplace_back([&, thread] {
      for (int round = 0; round < 5; ++round) {
        weftkit_auth_result* result = nullptr;
        // Distinct addresses: the throttle never steps in.
        const std::string address = "198.51.100." + std::to_string(thread);
        if (weftkit_auth_password(authenticator.get(), "pat", "pat-pw", address.c_str(), &result, nullptr) ==
                WEFTKIT_OK &&
            weftkit_auth_result_ok(result)) {
          ++accepted;
        }
        weftkit_auth_result_free(result);
        if (scram_login(authenticator.get(), "n" + std::to_string(thread) + "x" + std::to_string(round))) ++accepted;
      }
    });
  }
  for (std::thread& connection : connections) connection.join();
  stop = true;
  reloader.join();
  EXPECT_EQ(accepted.load(), 4 * 5 * 2);
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
