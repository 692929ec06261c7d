// Hot reload under load: reader threads check and filter continuously while another thread
// reloads over and over, alternating valid versions (A, B) with broken files. Every statement
// must see one complete version — its RBAC and its row predicates from the same one — no
// reload may block or crash a reader, a broken version never serves, and memory stays flat.
// Also run under ThreadSanitizer (make test-tsan) and AddressSanitizer (make test-asan).
#include <gtest/gtest.h>


#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>
#include "tests/runtime/memory_in_use.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

// Version A lets clerks UPDATE and shows even ids; version B lets them DELETE and shows odd ids.
std::string roles_of(const char* extra_operation) {
  return std::string("roles:\n  - name: clerk\n    allow: [SELECT, ") + extra_operation +
         "]\n    on: [orders]\nusers:\n  - name: alice\n    roles: [clerk]\n";
}
const std::string kRolesA = roles_of("UPDATE");
const std::string kRolesB = roles_of("DELETE");
std::string policies_of(int remainder) {
  return "CREATE TABLE orders (id integer, tenant_id integer);\n"
         "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n"
         "CREATE POLICY parity ON orders USING (id % 2 = " + std::to_string(remainder) + ");\n";
}
const std::string kBrokenRoles = "roles:\n  - name: clerk\n    allow: [SELEKT]\n";
const std::string kBrokenPolicies = "CREATE TABLE orders (id integer);\nCREATE POLICY p ON orders USING (nosuch);\n";

int reload_count() {
  const char* configured = std::getenv("WK_TEST_STRESS_RELOADS");
  return configured != nullptr ? std::atoi(configured) : 1000;
}

Datum id_datum(int64_t id) {
  Datum datum;
  datum.bits = id;
  datum.is_null = 0;
  return datum;
}

struct ReaderTally {
  long statements = 0;
  long saw_a = 0;
  long saw_b = 0;
  long inconsistent = 0;
  long failures = 0;
};

void read_until(const PolicyStore& store, const std::atomic<bool>& done, ReaderTally& tally) {
  Identity identity;
  identity.user = "alice";
  StatusOr<SecurityContext> built = SecurityContext::build(store, identity);
  if (!built.is_ok()) {
    ++tally.failures;
    return;
  }
  SecurityContext context = std::move(built).value();
  ResourceHandle orders = context.resource("orders");
  Datum even[2] = {id_datum(2), id_datum(0)};
  Datum odd[2] = {id_datum(1), id_datum(0)};
  while (!done.load(std::memory_order_acquire)) {
    // Single checks between statements: either version's answer, never a crash.
    (void)context.allowed(Operation::kUpdate, orders);
    StatusOr<Statement> statement = context.begin_statement();
    if (!statement.is_ok()) {
      ++tally.failures;
      continue;
    }
    bool update = statement.value().allowed(Operation::kUpdate, "orders");
    bool remove = statement.value().allowed(Operation::kDelete, "orders");
    StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
        statement.value().row_filter("orders", {Command::kSelect});
    if (!filter.is_ok()) {
      ++tally.failures;
      continue;
    }
    bool even_visible = filter.value()->check(even, nullptr).result == RowResult::kPass;
    bool odd_visible = filter.value()->check(odd, nullptr).result == RowResult::kPass;
    bool is_a = update && !remove && even_visible && !odd_visible;
    bool is_b = remove && !update && odd_visible && !even_visible;
    ++tally.statements;
    if (is_a) ++tally.saw_a;
    if (is_b) ++tally.saw_b;
    if (!is_a && !is_b) ++tally.inconsistent;
  }
}

TEST(HotReload, ReadersSeeWholeVersionsWhileReloadsAlternateValidAndBroken) {
  testing::PolicyFiles files(kRolesA, policies_of(0));
  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  ASSERT_TRUE(compiler.is_ok()) << compiler.status().message();
  StatusOr<std::shared_ptr<const PolicyVersion>> first = compiler.value().compile(files.paths());
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());

  std::atomic<bool> done{false};
  constexpr int kReaders = 2;
  std::vector<ReaderTally> tallies(kReaders);
  std::vector<std::thread> readers;
  for (int index = 0; index < kReaders; ++index) {
    readers.emplace_back(read_until, std::cref(store), std::cref(done), std::ref(tallies[index]));
  }

  const int reloads = reload_count();
  int valid_failed = 0;
  int broken_served = 0;
  long in_use_after_warm_up = 0;
  for (int index = 0; index < reloads; ++index) {
    bool valid = index % 2 == 0;
    bool version_b = index % 4 == 0;
    if (valid) {
      files.write_roles(version_b ? kRolesB : kRolesA);
      files.write_policies(policies_of(version_b ? 1 : 0));
    } else if (index % 4 == 1) {
      files.write_roles(kBrokenRoles);
    } else {
      files.write_roles(kRolesA);
      files.write_policies(kBrokenPolicies);
    }
    uint64_t before = store.generation();
    Status reloaded = compiler.value().reload(store, files.paths());
    if (valid && !reloaded.is_ok()) ++valid_failed;
    if (!valid && (reloaded.is_ok() || store.generation() != before)) ++broken_served;
    if (index == reloads / 5) in_use_after_warm_up = testing::memory_in_use_kib();
  }
  done.store(true, std::memory_order_release);
  for (std::thread& reader : readers) reader.join();
  long in_use_at_end = testing::memory_in_use_kib();

  EXPECT_EQ(valid_failed, 0);
  EXPECT_EQ(broken_served, 0);
  long statements = 0;
  for (const ReaderTally& tally : tallies) {
    EXPECT_EQ(tally.inconsistent, 0);
    EXPECT_EQ(tally.failures, 0);
    EXPECT_GT(tally.saw_a, 0);
    EXPECT_GT(tally.saw_b, 0);
    statements += tally.statements;
  }
  // Versions are freed as they are replaced: after the first fifth of the reloads, the rest
  // must not grow the memory in use by more than a few versions' worth. Measured: +0 to
  // +0.6 MB resident (normal build) and +0 MB of heap (sanitizers) over the last 800 reloads;
  // keeping every version instead grows it by about 110 KB (resident) or 80 KB (heap) per
  // valid reload, 33 to 45 MB over those 400, which this bound catches down to about one
  // version in five kept.
  EXPECT_LT(in_use_at_end - in_use_after_warm_up, 8 * 1024)
      << "KiB in use after warm-up " << in_use_after_warm_up << ", at the end " << in_use_at_end;
  std::cout << "[ stats ] " << reloads << " reloads, " << statements << " statements read; KiB in use after warm-up "
            << in_use_after_warm_up << ", at the end " << in_use_at_end << "\n";
}

}  // namespace
}  // namespace weftkit
