// Crash safety: a helper process rotating or rewrapping the keyring is killed with SIGKILL at
// random points, over and over; after every kill the keyring opens (under exactly one of the
// two master keys for rewrap) and decrypts every page written before.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <thread>

#include <weftkit/crypto/page_cipher.h>

#include "tests/crypto/test_support.h"

extern char** environ;

namespace weftkit::crypto {
namespace {

struct WrittenPage {
  std::string tenant;
  PageId id;
  std::vector<std::uint8_t> plaintext;
  std::vector<std::uint8_t> sealed;
};

struct CrashRun {
  int kills = 0;
  int kills_mid_write = 0;        // a temporary keyring file was left behind
  std::uint64_t generations = 0;  // keyring writes that completed across all runs
};

class CrashSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.path = dir_.file("keyring");
    auto keyring = Keyring::create(settings_, testing::env_provider(1)).value();
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i) names.push_back("tenant-" + std::to_string(i));
    auto ids = keyring->add_tenants(names).value();
    PageCipher cipher(keyring);
    for (std::size_t t = 0; t < names.size(); ++t) {
      for (std::uint64_t p = 0; p < 2; ++p) {
        WrittenPage page{names[t], {t, p}, testing::random_bytes(512), {}};
        page.sealed = cipher.encrypt(ids[t], page.id, 1, page.plaintext).value();
        pages_.push_back(std::move(page));
      }
    }
  }

  std::size_t temporary_files() const {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path().filename().string().starts_with(".keyring.tmp-")) ++count;
    }
    return count;
  }

  // Opens under whichever key the keyring is under (exactly one must work) and checks pages.
  std::uint64_t verify_after_kill() {
    auto under_a = Keyring::open(settings_, testing::env_provider(1));
    auto under_b = Keyring::open(settings_, testing::env_provider(2));
    EXPECT_NE(under_a.ok(), under_b.ok()) << "exactly one master key must open the keyring";
    auto& opened = under_a.ok() ? under_a : under_b;
    auto& refused = under_a.ok() ? under_b : under_a;
    if (!opened.ok()) {
      ADD_FAILURE() << "keyring unreadable after a kill: " << opened.error().to_string();
      return 0;
    }
    EXPECT_EQ(refused.error().name(), "wrong_master_key");
    PageCipher cipher(opened.value());
    for (const WrittenPage& page : pages_) {
      auto tenant = opened.value()->find_tenant(page.tenant);
      EXPECT_TRUE(tenant.ok());
      auto plaintext = cipher.decrypt(tenant.value(), page.id, 1, page.sealed);
      EXPECT_TRUE(plaintext.ok()) << page.tenant << ": " << plaintext.error().to_string();
      if (plaintext.ok()) {
        EXPECT_EQ(plaintext.value(), page.plaintext);
      }
    }
    return opened.value()->status().generation;
  }

  // The longest of three start-ups of the helper that end at once (no arguments: usage, exit 2).
  static std::int64_t helper_startup_us(std::string helper) {
    std::int64_t longest = 0;
    std::vector<char*> argv{helper.data(), nullptr};
    std::vector<char*> env{nullptr};
    for (int run = 0; run < 3; ++run) {
      const auto start = std::chrono::steady_clock::now();
      pid_t pid = 0;
      if (posix_spawn(&pid, helper.c_str(), nullptr, nullptr, argv.data(), env.data()) != 0) return 0;
      int status = 0;
      ::waitpid(pid, &status, 0);
      const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      longest = std::max<std::int64_t>(longest, took.count());
    }
    return longest;
  }

  CrashRun kill_repeatedly(const char* mode, int kills) {
    std::string key_a = "WEFTKIT_TEST_KEY_A=" + testing::master_key_base64(1);
    std::string key_b = "WEFTKIT_TEST_KEY_B=" + testing::master_key_base64(2);
    std::vector<char*> env{key_a.data(), key_b.data(), nullptr};
    std::string helper = WEFTKIT_CRASH_HELPER_PATH;
    std::string mode_arg = mode;
    std::vector<char*> argv{helper.data(), mode_arg.data(), settings_.path.data(), nullptr};
    std::mt19937 random(20261207);
    // One rewrite of this keyring takes a few ms. The helper's start-up (exec, loading its
    // shared libraries, a sanitizer's set-up) can take much longer and varies by build, so it
    // is measured first (a run without arguments exits right after start-up) and every kill
    // waits that long before its random delay: the kills land while the helper works.
    const std::int64_t startup_us = helper_startup_us(helper);
    std::uniform_int_distribution<int> delay_us(0, 25000);
    CrashRun run;
    std::uint64_t generation = verify_after_kill();
    for (int i = 0; i < kills; ++i) {
      pid_t pid = 0;
      if (posix_spawn(&pid, helper.c_str(), nullptr, nullptr, argv.data(), env.data()) != 0) {
        ADD_FAILURE() << "posix_spawn failed";
        return run;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(startup_us + delay_us(random)));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      // Exiting by itself means the helper failed (it loops until killed).
      EXPECT_TRUE(WIFSIGNALED(status)) << "helper exited with status " << WEXITSTATUS(status);
      ++run.kills;
      std::size_t left = temporary_files();
      if (left > 0) {
        ++run.kills_mid_write;
        for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
          if (entry.path().filename().string().starts_with(".keyring.tmp-")) std::filesystem::remove(entry.path());
        }
      }
      std::uint64_t now = verify_after_kill();
      EXPECT_GE(now, generation);
      run.generations += now - generation;
      generation = now;
      if (::testing::Test::HasFailure()) break;
    }
    return run;
  }

  testing::TempDir dir_;
  KeyringSettings settings_;
  std::vector<WrittenPage> pages_;
};

TEST_F(CrashSafety, KillsDuringRotationAlwaysLeaveAKeyringThatDecryptsEveryEarlierPage) {
  CrashRun run = kill_repeatedly("rotate", 110);
  EXPECT_EQ(run.kills, 110);
  // The kills must have landed while the helper was working, or the test proves nothing.
  EXPECT_GT(run.generations, 0u);
  EXPECT_GT(run.kills_mid_write, 0);
  std::printf("rotate: %d kills, %d mid-write, %llu rotations completed\n", run.kills, run.kills_mid_write,
              static_cast<unsigned long long>(run.generations));
}

TEST_F(CrashSafety, KillsDuringRewrapAlwaysLeaveAKeyringUnderExactlyOneMasterKey) {
  CrashRun run = kill_repeatedly("rewrap", 110);
  EXPECT_EQ(run.kills, 110);
  EXPECT_GT(run.generations, 0u);
  EXPECT_GT(run.kills_mid_write, 0);
  std::printf("rewrap: %d kills, %d mid-write, %llu rewraps completed\n", run.kills, run.kills_mid_write,
              static_cast<unsigned long long>(run.generations));
}

}  // namespace
}  // namespace weftkit::crypto
