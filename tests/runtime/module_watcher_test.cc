// PolicyModuleWatcher: a module copied slowly over the serving one is loaded once it is
// complete, never reported or served half-written, while readers go on; a file that stays
// damaged is reported once, with the reason, and the serving version stays; a Kubernetes-style
// symbolic-link swap of the volume's `..data` directory is picked up.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/policy_module.h>
#include "tests/runtime/module_test_files.h"

namespace weftkit {
namespace {

using testing::ScratchDirectory;

// The watcher's reports, as its callback sees them.
class ReloadLog {
 public:
  std::function<void(const ReloadEvent&)> callback() {
    return [this](const ReloadEvent& event) {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push_back(event);
      changed_.notify_all();
    };
  }
  // Waits until `count` events arrived (or 20 s passed); returns them.
  std::vector<ReloadEvent> wait_for(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return events_.size() >= count; });
    return events_;
  }
  std::vector<ReloadEvent> so_far() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ReloadEvent> events_;
};

// Readers that check and filter through the store until stopped; every failure is counted.
class Readers {
 public:
  explicit Readers(PolicyStore& store) {
    for (int index = 0; index < 2; ++index) {
      threads_.emplace_back([this, &store] {
        Identity alice;
        alice.user = "alice";
        alice.settings = {{"app.tenant_id", "tenant-001"}};
        while (!stop_.load()) {
          StatusOr<SecurityContext> context = SecurityContext::build(store, alice);
          if (!context.is_ok()) {
            failures_.fetch_add(1);
            continue;
          }
          context.value().allowed(Operation::kSelect, "orders");
          StatusOr<Statement> statement = context.value().begin_statement();
          bool ok = statement.is_ok() && statement.value().row_filter("orders", {Command::kSelect}).is_ok();
          if (!ok) failures_.fetch_add(1);
          statements_.fetch_add(1);
        }
      });
    }
  }
  ~Readers() { stop(); }
  void stop() {
    stop_.store(true);
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int failures() const { return failures_.load(); }
  long statements() const { return statements_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> failures_{0};
  std::atomic<long> statements_{0};
  std::vector<std::thread> threads_;
};

// Writes `bytes` over `path` as cp does (truncate, then pieces), pausing between pieces for up
// to `longest_pause` (longer than the watcher's debounce: it sees quiet, incomplete files).
void copy_slowly(const std::string& path, const std::string& bytes, std::chrono::milliseconds longest_pause) {
  std::mt19937 random(7);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  const size_t piece = bytes.size() / 40 + 1;
  for (size_t offset = 0; offset < bytes.size(); offset += piece) {
    std::fwrite(bytes.data() + offset, 1, std::min(piece, bytes.size() - offset), file);
    std::fflush(file);
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % (longest_pause.count() + 1)));
  }
  std::fclose(file);
}

TEST(ModuleWatcher, ModuleCopiedSlowlyOverTheServingOneIsLoadedOnceCompleteWhileReadersGoOn) {
  ScratchDirectory scratch;
  const std::string path = scratch.path("policy.so");
  testing::write_bytes(path, testing::read_bytes(WEFTKIT_TEST_MODULE_A));
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  ReloadLog log;
  StatusOr<std::unique_ptr<PolicyModuleWatcher>> watcher =
      PolicyModuleWatcher::start(store, path, std::chrono::milliseconds(20), log.callback(), std::chrono::seconds(10));
  ASSERT_TRUE(watcher.is_ok()) << watcher.status().message();
  Readers readers(store);
  copy_slowly(path, testing::read_bytes(WEFTKIT_TEST_MODULE_B), std::chrono::milliseconds(40));
  std::vector<ReloadEvent> events = log.wait_for(1);
  // Give a late event (a second reload of the same file) the chance to show up.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  events = log.so_far();
  readers.stop();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].status.is_ok()) << events[0].status.message();
  EXPECT_EQ(events[0].generation, 2u);
  EXPECT_EQ(store.generation(), 2u);
  EXPECT_TRUE(testing::alice_may_insert(store));
  EXPECT_EQ(readers.failures(), 0);
  EXPECT_GT(readers.statements(), 0);
}

TEST(ModuleWatcher, FileThatStaysDamagedIsReportedOnceAndTheServingVersionStays) {
  ScratchDirectory scratch;
  const std::string path = scratch.path("policy.so");
  const std::string module_a = testing::read_bytes(WEFTKIT_TEST_MODULE_A);
  testing::write_bytes(path, module_a);
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  ReloadLog log;
  StatusOr<std::unique_ptr<PolicyModuleWatcher>> watcher =
      PolicyModuleWatcher::start(store, path, std::chrono::milliseconds(20), log.callback(), std::chrono::milliseconds(300));
  ASSERT_TRUE(watcher.is_ok()) << watcher.status().message();
  testing::write_bytes(path, module_a.substr(0, 400000));
  std::vector<ReloadEvent> events = log.wait_for(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  events = log.so_far();
  ASSERT_EQ(events.size(), 1u);
  const std::string expected = "cannot load policy module " + path + ": truncated: 400000 of " +
                               std::to_string(module_a.size()) + " bytes (gave up after ";
  EXPECT_EQ(events[0].status.message().substr(0, expected.size()), expected) << events[0].status.message();
  EXPECT_EQ(events[0].generation, 1u);
  EXPECT_FALSE(testing::alice_may_insert(store));
  // The whole module, written afterwards, is loaded.
  testing::write_bytes(path, testing::read_bytes(WEFTKIT_TEST_MODULE_B));
  events = log.wait_for(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[1].status.is_ok()) << events[1].status.message();
  EXPECT_TRUE(testing::alice_may_insert(store));
}

TEST(ModuleWatcher, ConfigMapStyleSwapOfTheDataLinkIsPickedUp) {
  // A Kubernetes ConfigMap or Secret volume: dir/policy.so -> ..data/policy.so, ..data ->
  // ..<timestamp>; an update writes a new timestamped directory and renames a new ..data link
  // over the old one, in one step.
  ScratchDirectory scratch;
  namespace fs = std::filesystem;
  fs::create_directory(scratch.path("..2026_12_07_01"));
  testing::write_bytes(scratch.path("..2026_12_07_01/policy.so"), testing::read_bytes(WEFTKIT_TEST_MODULE_A));
  fs::create_directory_symlink("..2026_12_07_01", scratch.path("..data"));
  fs::create_symlink("..data/policy.so", scratch.path("policy.so"));
  const std::string path = scratch.path("policy.so");
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  ReloadLog log;
  StatusOr<std::unique_ptr<PolicyModuleWatcher>> watcher =
      PolicyModuleWatcher::start(store, path, std::chrono::milliseconds(20), log.callback());
  ASSERT_TRUE(watcher.is_ok()) << watcher.status().message();

  fs::create_directory(scratch.path("..2026_12_07_02"));
  testing::write_bytes(scratch.path("..2026_12_07_02/policy.so"), testing::read_bytes(WEFTKIT_TEST_MODULE_B));
  fs::create_directory_symlink("..2026_12_07_02", scratch.path("..data_tmp"));
  fs::rename(scratch.path("..data_tmp"), scratch.path("..data"));
  fs::remove_all(scratch.path("..2026_12_07_01"));
  std::vector<ReloadEvent> events = log.wait_for(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].status.is_ok()) << events[0].status.message();
  EXPECT_TRUE(testing::alice_may_insert(store));
}

}  // namespace
}  // namespace weftkit
