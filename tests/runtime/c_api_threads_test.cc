// The C API's thread-safety promises: contexts on one store (one per thread) check and filter
// while another thread reloads, valid and invalid versions alternating; each statement sees
// one whole version. A smoke test for the TSan run, not the runtime's stress test.
#include <gtest/gtest.h>

#include <atomic>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

// Version A: clerk may INSERT into orders. Version B: it may not, and a restrictive policy
// hides rows with amount >= 100 from everyone's SELECT.
std::string roles_b() {
  std::string roles = kRolesYaml;
  return roles.replace(roles.find("SELECT, INSERT, UPDATE"), 22, "SELECT, UPDATE");
}
const std::string kPoliciesB = std::string(kPoliciesSql) +
                               "CREATE POLICY small ON orders AS RESTRICTIVE FOR SELECT USING (amount < 100);\n";

TEST_F(CApiTest, ContextsCheckAndFilterWhileAnotherThreadReloads) {
  files_.write("roles_b.yaml", roles_b());
  files_.write("policies_b.sql", kPoliciesB);
  files_.write("broken.sql", std::string(kPoliciesSql) + "CREATE POLICY broken ON orders USING (amout > 0);\n");
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0};
  std::atomic<int> statements{0};

  auto reader = [&](Owned<weftkit_context> carol) {
    // amount 500 of tenant-001: visible in version A only.
    weftkit_datum row[] = {weftkit_datum_int(1), weftkit_datum_text("tenant-001", 10), weftkit_datum_int(500),
                           weftkit_datum_text("open", 4)};
    weftkit_resource* made = nullptr;
    ASSERT_EQ(weftkit_resource_create(carol.get(), "orders", &made, nullptr), WEFTKIT_OK);
    Owned<weftkit_resource> orders(made);
    while (!done.load()) {
      // SELECT on orders is in both versions: the fast path must never deny it.
      if (!weftkit_allowed_resource(carol.get(), WEFTKIT_OP_SELECT, orders.get())) ++inconsistent;
      weftkit_statement* begun = nullptr;
      if (weftkit_statement_begin(carol.get(), &begun, nullptr) != WEFTKIT_OK) {
        ++inconsistent;
        continue;
      }
      Owned<weftkit_statement> statement(begun);
      // Within one statement, RBAC and row security come from the same version: INSERT
      // allowed (A) goes with the row visible (A); INSERT denied (B) with the row hidden (B).
      bool version_a = weftkit_statement_allowed(statement.get(), WEFTKIT_OP_INSERT, "orders");
      weftkit_row_filter* opened = nullptr;
      if (weftkit_row_filter_open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT, true, false, &opened, nullptr) !=
          WEFTKIT_OK) {
        ++inconsistent;
        continue;
      }
      Owned<weftkit_row_filter> filter(opened);
      weftkit_row_result result = WEFTKIT_ROW_ERROR;
      if (weftkit_row_filter_check(filter.get(), row, std::size(row), nullptr, 0, &result, nullptr, nullptr) != WEFTKIT_OK ||
          result != (version_a ? WEFTKIT_ROW_PASS : WEFTKIT_ROW_FILTERED)) {
        ++inconsistent;
      }
      ++statements;
    }
  };
  std::vector<std::thread> readers;
  for (int index = 0; index < 2; ++index) readers.emplace_back(reader, connect("carol", "tenant-001"));

  int published = 0;
  for (int round = 0; round < 24; ++round) {
    ErrorSlot error;
    switch (round % 3) {
      case 0: EXPECT_EQ(reload({"roles_b.yaml", "policies_b.sql"}, error), WEFTKIT_OK) << error.message(); break;
      case 1: EXPECT_EQ(reload({"roles.yaml", "broken.sql"}, error), WEFTKIT_POLICY_ERROR); break;
      case 2: EXPECT_EQ(reload({"roles.yaml", "policies.sql"}, error), WEFTKIT_OK) << error.message(); break;
    }
    if (round % 3 != 1) ++published;
  }
  // Let the readers see the last version too before stopping them.
  while (statements.load() < 50 && inconsistent.load() == 0) std::this_thread::yield();
  done = true;
  for (std::thread& thread : readers) thread.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(generation(), 1u + static_cast<uint64_t>(published));
}

}  // namespace
}  // namespace weftkit::c_api_testing
