// The names cache behind checks by table name must answer exactly what its version answers,
// for every name, however full it is and whoever reads and writes it at the same time; and a
// context must never answer a name from the cache of a version that no longer serves.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/src/resource_name_cache.h"
#include <weftkit/policy_runtime.h>

namespace weftkit {
namespace {

// A version that classifies names by a table of its own (anything else: class `other`) and
// counts how often it is asked.
class TableVersion final : public PolicyVersion {
 public:
  explicit TableVersion(std::map<std::string, uint32_t, std::less<>> classes, uint32_t other = 0)
      : classes_(std::move(classes)), other_(other) {}
  std::string describe() const override { return "table"; }
  StatusOr<ResolvedPrincipal> resolve(const Identity&) const override {
    ResolvedPrincipal principal;
    // Class c allows operation c % 16, so that a wrong class shows as a wrong answer.
    for (uint32_t resource_class = 0; resource_class < class_count(); ++resource_class) {
      principal.masks.push_back(uint64_t{1} << (resource_class % 16));
    }
    principal.masks.push_back(0);
    return principal;
  }
  uint32_t resource_class(std::string_view table) const override {
    lookups_.fetch_add(1, std::memory_order_relaxed);
    auto found = classes_.find(table);
    return found != classes_.end() ? found->second : other_;
  }
  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal&, const Identity&,
                                                                 std::string_view, const StatementShape&) const override {
    return Status(StatusCode::kNotFound, "no tables");
  }
  std::string explain(const ResolvedPrincipal&, const Identity&, Operation, std::string_view) const override {
    return "";
  }
  uint64_t lookups() const { return lookups_.load(); }
  uint32_t class_count() const {
    uint32_t count = other_ + 1;
    for (const auto& [name, resource_class] : classes_) count = std::max(count, resource_class + 1);
    return count;
  }

 private:
  std::map<std::string, uint32_t, std::less<>> classes_;
  uint32_t other_;
  mutable std::atomic<uint64_t> lookups_{0};
};

// Names that a hash of a few words could confuse: every length from 0 to 40, names equal but
// for one byte at each position, a shared prefix and suffix, embedded NUL bytes.
std::vector<std::string> confusable_names() {
  std::vector<std::string> names;
  for (size_t length = 0; length <= 40; ++length) {
    std::string base(length, 'a');
    for (size_t index = 0; index < length; ++index) base[index] = static_cast<char>('a' + index % 26);
    names.push_back(base);
    for (size_t position = 0; position < length; ++position) {
      std::string changed = base;
      changed[position] = 'Z';
      names.push_back(changed);
    }
  }
  for (int index = 0; index < 50; ++index) names.push_back("sales.table_" + std::to_string(index));
  names.push_back(std::string("orders\0x", 8));
  names.push_back(std::string("orders\0y", 8));
  names.push_back(std::string("\0\0\0", 3));
  return names;
}

std::map<std::string, uint32_t, std::less<>> numbered(const std::vector<std::string>& names) {
  std::map<std::string, uint32_t, std::less<>> classes;
  for (const std::string& name : names) classes.emplace(name, static_cast<uint32_t>(classes.size() + 1));
  return classes;
}

TEST(ResourceNameCache, AnswersExactlyWhatTheVersionAnswersForConfusableNames) {
  std::vector<std::string> names = confusable_names();
  TableVersion version(numbered(names));
  detail::ResourceNameCache cache;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& name : names) {
      ASSERT_EQ(cache.classify(name, version), version.resource_class(name)) << "round " << round << ", name of "
                                                                            << name.size() << " bytes";
    }
  }
  // Names never checked are never answered from the cache.
  EXPECT_EQ(cache.find("never checked"), detail::ResourceNameCache::kMiss);
  EXPECT_EQ(cache.classify("never checked", version), 0u);
}

TEST(ResourceNameCache, WarmNamesAreNotLookedUpAgainAndLongNamesAlwaysAre) {
  std::vector<std::string> names = {"orders", "customers", "audit_log", "a", "", "sales.orders"};
  for (int index = 0; index < 50; ++index) names.push_back("reporting.table_" + std::to_string(index));
  const std::string long_name(detail::ResourceNameCache::kMaxLength + 1, 'x');
  names.push_back(long_name);
  std::map<std::string, uint32_t, std::less<>> classes = numbered(names);
  TableVersion version(classes);
  detail::ResourceNameCache cache;
  for (const std::string& name : names) cache.classify(name, version);
  uint64_t cold = version.lookups();
  EXPECT_EQ(cold, names.size());
  for (int round = 0; round < 10; ++round) {
    for (const std::string& name : names) ASSERT_EQ(cache.classify(name, version), classes.at(name));
  }
  // 56 short names fit together: only the long one is looked up again, once per check.
  EXPECT_EQ(version.lookups() - cold, 10u);
}

// Names of 17 to 32 bytes that differ only in their middle bytes (a tenant or partition
// number inside the name) must spread over the slots like any others.
TEST(ResourceNameCache, NamesDifferingOnlyInTheMiddleAreNotLookedUpAgainWhenWarm) {
  std::vector<std::string> names;
  for (int index = 0; index < 64; ++index) {
    char name[64];
    std::snprintf(name, sizeof name, "tenant_%04d_orders_archive", index);
    names.push_back(name);
  }
  std::map<std::string, uint32_t, std::less<>> classes = numbered(names);
  TableVersion version(classes);
  detail::ResourceNameCache cache;
  for (const std::string& name : names) cache.classify(name, version);
  uint64_t cold = version.lookups();
  for (int round = 0; round < 5; ++round) {
    for (const std::string& name : names) ASSERT_EQ(cache.classify(name, version), classes.at(name));
  }
  EXPECT_EQ(version.lookups(), cold);
}

TEST(ResourceNameCache, StaysExactWhenFarMoreNamesThanSlotsAreChecked) {
  std::vector<std::string> names;
  for (int index = 0; index < 5000; ++index) names.push_back("schema_" + std::to_string(index % 7) + ".t" + std::to_string(index));
  std::map<std::string, uint32_t, std::less<>> classes = numbered(names);
  TableVersion version(classes);
  detail::ResourceNameCache cache;
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, names.size() - 1);
  for (int check = 0; check < 200000; ++check) {
    const std::string& name = names[pick(random)];
    ASSERT_EQ(cache.classify(name, version), classes.at(name)) << name;
  }
}

// Readers and writers on several threads (ThreadSanitizer runs this too): every answer is the
// version's, while names keep displacing each other.
TEST(ResourceNameCache, ConcurrentReadersAndWritersAlwaysGetTheVersionsAnswer) {
  std::vector<std::string> names;
  for (int index = 0; index < 600; ++index) names.push_back("s" + std::to_string(index % 5) + ".table_" + std::to_string(index));
  std::map<std::string, uint32_t, std::less<>> classes = numbered(names);
  TableVersion version(classes);
  detail::ResourceNameCache cache;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      std::mt19937 random(static_cast<unsigned>(thread));
      std::uniform_int_distribution<size_t> pick(0, names.size() - 1);
      for (int check = 0; check < 50000; ++check) {
        const std::string& name = names[pick(random)];
        if (cache.classify(name, version) != classes.at(name)) wrong.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// Through the runtime: a name checked under one version is answered by the next version after
// a reload, by contexts and by statements begun after it; a statement begun before keeps its
// own version's answer.
TEST(ResourceNameCache, ContextsAndStatementsNeverAnswerANameFromAReplacedVersion) {
  // "t" is class 1 (allows INSERT) in the first version, class 2 (allows UPDATE) in the second.
  PolicyStore store(std::make_shared<TableVersion>(std::map<std::string, uint32_t, std::less<>>{{"t", 1}}));
  Identity identity;
  identity.user = "alice";
  StatusOr<SecurityContext> built = SecurityContext::build(store, identity);
  ASSERT_TRUE(built.is_ok());
  SecurityContext& context = built.value();
  ASSERT_TRUE(context.allowed(Operation::kInsert, "t"));
  StatusOr<Statement> before = context.begin_statement();
  ASSERT_TRUE(before.is_ok());
  ASSERT_TRUE(before.value().allowed(Operation::kInsert, "t"));

  store.publish(std::make_shared<TableVersion>(std::map<std::string, uint32_t, std::less<>>{{"t", 2}}));
  EXPECT_TRUE(context.allowed(Operation::kUpdate, "t"));
  EXPECT_FALSE(context.allowed(Operation::kInsert, "t"));
  StatusOr<Statement> after = context.begin_statement();
  ASSERT_TRUE(after.is_ok());
  EXPECT_TRUE(after.value().allowed(Operation::kUpdate, "t"));
  EXPECT_FALSE(after.value().allowed(Operation::kInsert, "t"));
  EXPECT_TRUE(before.value().allowed(Operation::kInsert, "t"));  // pinned to the first version
  EXPECT_FALSE(before.value().allowed(Operation::kUpdate, "t"));
}

}  // namespace
}  // namespace weftkit
