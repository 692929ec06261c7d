// Replaced policy versions are freed by the next publish or the store's reclaimer thread —
// never by the reader (or the row filter's owner) that happens to let go last — and nothing
// is left behind.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <weftkit/detail/reclaimer.h>
#include <weftkit/policy_runtime.h>

namespace weftkit {
namespace {

using namespace std::chrono_literals;

// Where and whether a version was destroyed.
struct Destruction {
  std::atomic<bool> destroyed{false};
  std::thread::id thread;
  // When set, the destructor waits for `release` and records whether it came.
  std::shared_future<void> release;
  bool released_before_destruction_finished = false;
};

class PassAllFilter final : public StatementRowFilter {
 public:
  size_t column_count() const override { return 0; }
  RowOutcome check(const Datum*, const Datum*) const override { return {}; }
  StatusOr<BatchOutcome> filter_batch(const ArrowSchema&, const ArrowArray&, const ArrowArray*) const override {
    return BatchOutcome{};
  }
};

// Allows everything on every table; records its destruction.
class RecordingVersion final : public PolicyVersion {
 public:
  explicit RecordingVersion(Destruction& destruction) : destruction_(destruction) {}
  ~RecordingVersion() override {
    if (destruction_.release.valid()) {
      destruction_.released_before_destruction_finished = destruction_.release.wait_for(10s) == std::future_status::ready;
    }
    destruction_.thread = std::this_thread::get_id();
    destruction_.destroyed.store(true);
  }
  std::string describe() const override { return "recording version"; }
  StatusOr<ResolvedPrincipal> resolve(const Identity&) const override {
    ResolvedPrincipal principal;
    principal.masks = {~uint64_t{0}, 0};
    return principal;
  }
  uint32_t resource_class(std::string_view) const override { return 0; }
  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal&, const Identity&,
                                                                 std::string_view, const StatementShape&) const override {
    return std::unique_ptr<const StatementRowFilter>(std::make_unique<PassAllFilter>());
  }
  std::string explain(const ResolvedPrincipal&, const Identity&, Operation, std::string_view) const override {
    return "ALLOW";
  }

 private:
  Destruction& destruction_;
};

TEST(VersionReclamation, AReaderLettingGoOfAReplacedVersionDoesNotRunItsDestructor) {
  Destruction first;
  std::promise<void> release;
  first.release = release.get_future().share();
  Destruction second;
  PolicyStore store(std::make_shared<RecordingVersion>(first));
  std::shared_ptr<const PolicyVersion> pinned = store.current();
  store.publish(std::make_shared<RecordingVersion>(second));
  EXPECT_FALSE(first.destroyed.load()) << "a pinned version must stay alive";

  // If this reader ran the destructor, the destructor would wait for a release that only
  // comes after reset() returns, and would record that it never came.
  pinned.reset();
  release.set_value();
  ASSERT_TRUE(store.wait_until_reclaimed(10s));
  EXPECT_TRUE(first.destroyed.load());
  EXPECT_TRUE(first.released_before_destruction_finished);
  EXPECT_NE(first.thread, std::this_thread::get_id());
  EXPECT_EQ(store.reclaimed_versions(), 1u);
  EXPECT_FALSE(second.destroyed.load());
}

TEST(VersionReclamation, APublishFreesTheVersionsReadersLetGoOfBeforeItOnThePublishingThread) {
  Destruction first;
  Destruction second;
  Destruction third;
  PolicyStore store(std::make_shared<RecordingVersion>(first));
  std::shared_ptr<const PolicyVersion> pinned = store.current();
  store.publish(std::make_shared<RecordingVersion>(second));
  // A reader on its own thread lets go of the replaced version: it only hands it over. It
  // stays alive until the next publish is done, so that no other thread can reuse its id.
  std::promise<void> let_go;
  std::promise<void> published;
  std::thread reader([&] {
    pinned.reset();
    let_go.set_value();
    published.get_future().wait();
  });
  std::thread::id reader_id = reader.get_id();
  let_go.get_future().wait();
  std::thread publisher([&] { store.publish(std::make_shared<RecordingVersion>(third)); });
  publisher.join();
  published.set_value();
  reader.join();
  // Freed by the time the next publish returned — by that publish, unless the reclaimer
  // thread's periodic look came first — and never by the reader.
  EXPECT_TRUE(first.destroyed.load());
  EXPECT_NE(first.thread, reader_id);
  EXPECT_NE(first.thread, std::this_thread::get_id());
  // The version replaced by that publish is pinned by nobody: the store dropped it, and it is
  // freed at the latest by the reclaimer's next look.
  ASSERT_TRUE(store.wait_until_reclaimed(10s));
  EXPECT_TRUE(second.destroyed.load());
  EXPECT_FALSE(third.destroyed.load());
}

TEST(VersionReclamation, ARowFilterKeepsItsVersionAliveAfterTheStatementEnds) {
  Destruction first;
  Destruction second;
  PolicyStore store(std::make_shared<RecordingVersion>(first));
  Identity alice;
  alice.user = "alice";
  auto context = SecurityContext::build(store, alice);
  ASSERT_TRUE(context.is_ok());
  std::unique_ptr<const StatementRowFilter> filter;
  {
    auto statement = context.value().begin_statement();
    ASSERT_TRUE(statement.is_ok());
    auto made = statement.value().row_filter("orders", {});
    ASSERT_TRUE(made.is_ok()) << made.status().message();
    filter = std::move(made).value();
  }
  store.publish(std::make_shared<RecordingVersion>(second));
  // The context still pins the first version until its next check; move it on.
  EXPECT_TRUE(context.value().allowed(Operation::kSelect, "orders"));
  ASSERT_TRUE(store.wait_until_reclaimed(10s));
  EXPECT_FALSE(first.destroyed.load()) << "the filter's version was freed under it";
  EXPECT_EQ(filter->check(nullptr, nullptr).result, RowResult::kPass);

  filter.reset();
  ASSERT_TRUE(store.wait_until_reclaimed(10s));
  EXPECT_TRUE(first.destroyed.load());
  EXPECT_NE(first.thread, std::this_thread::get_id());
}

TEST(VersionReclamation, DestroyingTheStoreFreesEveryVersionNoLongerInUse) {
  Destruction destructions[4];
  {
    PolicyStore store(std::make_shared<RecordingVersion>(destructions[0]));
    for (int i = 1; i < 4; ++i) store.publish(std::make_shared<RecordingVersion>(destructions[i]));
  }
  for (Destruction& destruction : destructions) EXPECT_TRUE(destruction.destroyed.load());
}

TEST(VersionReclamation, AVersionStillPinnedWhenTheStoreGoesIsFreedWhenLetGo) {
  Destruction first;
  std::shared_ptr<const PolicyVersion> pinned;
  {
    PolicyStore store(std::make_shared<RecordingVersion>(first));
    pinned = store.current();
  }
  EXPECT_FALSE(first.destroyed.load());
  pinned.reset();  // the last reference to the reclaimer too: its thread frees it and stops
  EXPECT_TRUE(first.destroyed.load());
  EXPECT_NE(first.thread, std::this_thread::get_id());
}

TEST(VersionReclamation, ManyReadersLettingGoConcurrentlyLoseNothing) {
  constexpr int kVersions = 200;
  std::vector<Destruction> destructions(kVersions);
  PolicyStore store(std::make_shared<RecordingVersion>(destructions[0]));
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        std::shared_ptr<const PolicyVersion> pinned = store.current();
        std::this_thread::yield();
      }
    });
  }
  for (int i = 1; i < kVersions; ++i) store.publish(std::make_shared<RecordingVersion>(destructions[i]));
  stop.store(true);
  for (std::thread& reader : readers) reader.join();
  ASSERT_TRUE(store.wait_until_reclaimed(10s));
  for (int i = 0; i + 1 < kVersions; ++i) EXPECT_TRUE(destructions[i].destroyed.load()) << "version " << i;
  EXPECT_FALSE(destructions[kVersions - 1].destroyed.load());
  EXPECT_EQ(store.reclaimed_versions(), static_cast<uint64_t>(kVersions - 1));
}

}  // namespace
}  // namespace weftkit
