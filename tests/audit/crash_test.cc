// A writer process killed with SIGKILL at random points, again and again on the same log:
// every time, verify accepts what is left, up to at most a torn last line, and the next
// writer continues the chain.
#include <weftkit/audit/verify.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "tests/audit/audit_test_files.h"

extern char** environ;

namespace weftkit::audit {
namespace {

TEST(AuditCrash, SigkillAtRandomPointsLeavesALogVerifyAcceptsUpToATornLastLine) {
  testing::ScratchDirectory directory;
  // Five killed writers in a row on each log (each continuing the last one's chain), ten logs:
  // verify reads a whole log after every kill, so logs are kept short.
  constexpr int kRunsPerLog = 5;
  std::string output;
  const std::string key = "crash key";
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> kill_after_us(0, 5000);
  const auto log_size = [&] {
    uint64_t size = 0;
    for (const std::string& file : rotated_files(output)) {
      std::error_code missing;  // renamed by a rotation between listing and asking
      const auto file_size = std::filesystem::file_size(file, missing);
      if (!missing) size += file_size;
    }
    return size;
  };
  constexpr int kRuns = 50;
  uint64_t previous_verified = 0;
  uint64_t total_verified = 0;
  int torn_seen = 0;
  for (int run = 0; run < kRuns; ++run) {
    if (run % kRunsPerLog == 0) {
      total_verified += previous_verified;
      previous_verified = 0;
      output = directory.file("audit-" + std::to_string(run / kRunsPerLog) + ".jsonl");
    }
    std::string helper = WEFTKIT_AUDIT_CRASH_HELPER_PATH;
    std::string max_bytes = "65536";
    char* const argv[] = {helper.data(), const_cast<char*>(output.c_str()), const_cast<char*>(key.c_str()),
                          max_bytes.data(), nullptr};
    const uint64_t size_before = log_size();
    pid_t child = 0;
    ASSERT_EQ(posix_spawn(&child, helper.c_str(), nullptr, nullptr, argv, environ), 0);
    // Kill it while it writes: once the log has grown, after a random pause.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (log_size() == size_before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(kill_after_us(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // Killed, not exited with an error of its own (which would make the run meaningless).
    ASSERT_TRUE(WIFSIGNALED(status)) << "run " << run << ": helper exited with " << WEXITSTATUS(status);

    VerifyOptions options;
    options.hmac_key = key;
    const auto report = verify_files(rotated_files(output), options);
    ASSERT_TRUE(report.is_ok()) << report.status().message();
    ASSERT_TRUE(report.value().ok()) << "run " << run << ": " << describe(report.value());
    // Nothing a previous run left complete was lost.
    ASSERT_GE(report.value().verified, previous_verified) << "run " << run;
    previous_verified = report.value().verified;
    if (report.value().torn_last_line) ++torn_seen;
  }
  total_verified += previous_verified;
  EXPECT_GE(total_verified, uint64_t{kRuns});  // every run wrote before it was killed
  std::printf("%d runs, %llu records verified, %d ended with a torn line\n", kRuns,
              static_cast<unsigned long long>(total_verified), torn_seen);
}

TEST(AuditStdout, OutputDashWritesTheChainToStandardOutputAndFlushesAtExit) {
  testing::ScratchDirectory directory;
  const std::string captured = directory.file("stdout.jsonl");
  std::string helper = WEFTKIT_AUDIT_CRASH_HELPER_PATH;
  std::string output = "-";
  std::string key = "stdout key";
  std::string max_bytes = "1000";  // ignored for standard output: never rotated
  std::string count = "1000";
  char* const argv[] = {helper.data(), output.data(), key.data(), max_bytes.data(), count.data(), nullptr};
  posix_spawn_file_actions_t actions;
  ASSERT_EQ(posix_spawn_file_actions_init(&actions), 0);
  ASSERT_EQ(posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
            0);
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, helper.c_str(), &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  VerifyOptions options;
  options.hmac_key = key;
  const auto report = verify_files({captured}, options);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report.value().ok()) << describe(report.value());
  EXPECT_EQ(report.value().verified, 1000u);
  EXPECT_FALSE(report.value().torn_last_line.has_value());
  EXPECT_EQ(rotated_files(captured), std::vector<std::string>{captured});
}

}  // namespace
}  // namespace weftkit::audit
