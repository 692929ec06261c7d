// The C API's row filters, one row at a time: opening one (never for a statement the
// principal may not run), and each row's result with PostgreSQL's message for violations and
// errors. Tables and policies are the fixture's (c_api_fixture.cc).
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

const char kViolation[] = "new row violates row-level security policy for table \"orders\"";

// orders (id bigint, tenant_id text, amount integer, status text).
std::vector<weftkit_datum> order(const char* tenant, const char* status, int64_t amount = 10) {
  return {weftkit_datum_int(1), weftkit_datum_text(tenant, static_cast<int64_t>(std::strlen(tenant))),
          weftkit_datum_int(amount),
          status != nullptr ? weftkit_datum_text(status, static_cast<int64_t>(std::strlen(status))) : weftkit_datum_null()};
}

struct Checked {
  weftkit_status status;
  weftkit_row_result result;
  std::string message;  // "<none>" when the API gave none
};

Checked check(const weftkit_row_filter* filter, const std::vector<weftkit_datum>& row,
              const std::vector<weftkit_datum>* new_row = nullptr) {
  weftkit_row_result result = static_cast<weftkit_row_result>(-1);
  char* message = reinterpret_cast<char*>(0x1);  // must be overwritten, even with NULL
  ErrorSlot error;
  weftkit_status status = weftkit_row_filter_check(filter, row.data(), row.size(), new_row ? new_row->data() : nullptr,
                                                   new_row ? new_row->size() : 0, &result, &message, error.out());
  Owned<char> owned(message);
  return {status, result, message != nullptr ? std::string(message) : "<none>"};
}

TEST_F(CApiTest, OpenRejectsNullArgumentsAndUnknownCommands) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  ErrorSlot error;
  weftkit_row_filter* filter = reinterpret_cast<weftkit_row_filter*>(0x1);
  const std::string message = "weftkit_row_filter_open: statement, table and out must not be NULL";
  EXPECT_EQ(weftkit_row_filter_open(nullptr, "orders", WEFTKIT_COMMAND_SELECT, true, false, &filter, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(filter, nullptr);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), nullptr, WEFTKIT_COMMAND_SELECT, true, false, &filter, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT, true, false, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), "orders", static_cast<weftkit_command>(4), true, false, &filter,
                                    error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "command 4 is not a weftkit_command");
}

TEST_F(CApiTest, OpenForACommandThePrincipalMayNotRunIsPermissionDenied) {
  Owned<weftkit_context> alice = connect("alice", "tenant-001");  // analyst: no INSERT, UPDATE, DELETE
  Owned<weftkit_statement> statement = begin(alice.get());
  ErrorSlot error;
  weftkit_row_filter* filter = nullptr;
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), "orders", WEFTKIT_COMMAND_INSERT, false, false, &filter,
                                    error.out()),
            WEFTKIT_PERMISSION_DENIED);
  EXPECT_EQ(filter, nullptr);
  EXPECT_EQ(error.message(), "permission denied for table orders");
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), "orders", WEFTKIT_COMMAND_DELETE, true, false, &filter, error.out()),
            WEFTKIT_PERMISSION_DENIED);
  EXPECT_EQ(error.message(), "permission denied for table orders");
}

TEST_F(CApiTest, OpenForAnUndeclaredTableIsNotFound) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  ErrorSlot error;
  weftkit_row_filter* filter = nullptr;
  EXPECT_EQ(weftkit_row_filter_open(statement.get(), "payments", WEFTKIT_COMMAND_SELECT, true, false, &filter,
                                    error.out()),
            WEFTKIT_NOT_FOUND);
  EXPECT_EQ(error.message(), "table public.payments is not declared (CREATE TABLE) in " + files_.path("roles.yaml") +
                                 ", " + files_.path("policies.sql") + ", so its columns and row-level security are unknown");
}

TEST_F(CApiTest, SelectPassesTheSessionsTenantAndFiltersOthers) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  Checked own = check(filter.get(), order("tenant-001", "open"));
  EXPECT_EQ(own.status, WEFTKIT_OK);
  EXPECT_EQ(own.result, WEFTKIT_ROW_PASS);
  EXPECT_EQ(own.message, "<none>");
  Checked other = check(filter.get(), order("tenant-002", "open"));
  EXPECT_EQ(other.result, WEFTKIT_ROW_FILTERED);
  EXPECT_EQ(other.message, "<none>");
}

TEST_F(CApiTest, SuperuserBypassesRowSecurity) {
  Owned<weftkit_context> root = connect("root", "tenant-001");
  Owned<weftkit_statement> statement = begin(root.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  EXPECT_EQ(check(filter.get(), order("tenant-002", "open")).result, WEFTKIT_ROW_PASS);
}

TEST_F(CApiTest, InsertOfAnotherTenantsRowIsAViolationWithPostgresMessage) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_INSERT, false);
  EXPECT_EQ(check(filter.get(), order("tenant-001", "open")).result, WEFTKIT_ROW_PASS);
  Checked violating = check(filter.get(), order("tenant-002", "open"));
  EXPECT_EQ(violating.status, WEFTKIT_OK);  // the call worked; the row did not
  EXPECT_EQ(violating.result, WEFTKIT_ROW_VIOLATION);
  EXPECT_EQ(violating.message, kViolation);
}

TEST_F(CApiTest, UpdateChecksTheOldRowThenTheNewRow) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_UPDATE, true);
  std::vector<weftkit_datum> open_order = order("tenant-001", "open");
  std::vector<weftkit_datum> closed = order("tenant-001", "closed");
  std::vector<weftkit_datum> shipped = order("tenant-001", "shipped");
  EXPECT_EQ(check(filter.get(), open_order, &closed).result, WEFTKIT_ROW_PASS);
  // open_only's USING skips rows that are not open; its WITH CHECK rejects a new status it
  // does not list, and PostgreSQL names a failing restrictive policy.
  EXPECT_EQ(check(filter.get(), closed, &open_order).result, WEFTKIT_ROW_FILTERED);
  Checked violating = check(filter.get(), open_order, &shipped);
  EXPECT_EQ(violating.result, WEFTKIT_ROW_VIOLATION);
  EXPECT_EQ(violating.message, "new row violates row-level security policy \"open_only\" for table \"orders\"");
}

TEST_F(CApiTest, RuntimeErrorIsAnErrorResultWithPostgresMessage) {
  Owned<weftkit_context> bob = connect("bob");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "ratios", WEFTKIT_COMMAND_SELECT);
  auto ratio = [](std::optional<int64_t> divisor) {
    return std::vector<weftkit_datum>{weftkit_datum_int(1), divisor ? weftkit_datum_int(*divisor) : weftkit_datum_null()};
  };
  // positive: USING (100 / divisor > 0).
  EXPECT_EQ(check(filter.get(), ratio(4)).result, WEFTKIT_ROW_PASS);
  EXPECT_EQ(check(filter.get(), ratio(200)).result, WEFTKIT_ROW_FILTERED);        // 100 / 200 = 0
  EXPECT_EQ(check(filter.get(), ratio(std::nullopt)).result, WEFTKIT_ROW_FILTERED);  // NULL does not pass
  Checked error = check(filter.get(), ratio(0));
  EXPECT_EQ(error.status, WEFTKIT_OK);
  EXPECT_EQ(error.result, WEFTKIT_ROW_ERROR);
  EXPECT_EQ(error.message, "division by zero");
}

TEST_F(CApiTest, CheckRejectsNullArgumentsAndTheMessageOutMayBeNull) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_INSERT, false);
  std::vector<weftkit_datum> row = order("tenant-002", "open");
  weftkit_row_result result = WEFTKIT_ROW_PASS;
  ErrorSlot error;
  const std::string message = "weftkit_row_filter_check: filter, row and result must not be NULL";
  EXPECT_EQ(weftkit_row_filter_check(nullptr, row.data(), row.size(), nullptr, 0, &result, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), nullptr, row.size(), nullptr, 0, &result, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row.data(), row.size(), nullptr, 0, nullptr, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row.data(), row.size(), nullptr, 0, &result, nullptr, nullptr), WEFTKIT_OK);
  EXPECT_EQ(result, WEFTKIT_ROW_VIOLATION);
}

TEST_F(CApiTest, ColumnCountIsTheTablesNumberOfColumns) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> orders = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  Owned<weftkit_row_filter> ratios = open(statement.get(), "public.ratios", WEFTKIT_COMMAND_INSERT, false);
  size_t count = 0;
  ASSERT_EQ(weftkit_row_filter_column_count(orders.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 4u);
  ASSERT_EQ(weftkit_row_filter_column_count(ratios.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(weftkit_row_filter_column_count(nullptr, &count), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_row_filter_column_count(orders.get(), nullptr), WEFTKIT_INVALID_ARGUMENT);
}

// The filter reads one datum per column; a row of another length would have it read past the
// caller's array, so it is refused before anything is read. The rows below live on the heap,
// exactly as long as stated, so that the AddressSanitizer run would see any read past them.
TEST_F(CApiTest, CheckRefusesARowOfTheWrongLengthBeforeReadingIt) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  std::vector<weftkit_datum> full = order("tenant-001", "open");
  std::vector<weftkit_datum> short_row(full.begin(), full.end() - 1);
  std::vector<weftkit_datum> long_row = full;
  long_row.push_back(weftkit_datum_int(5));
  Checked refused = check(filter.get(), short_row);
  EXPECT_EQ(refused.status, WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(refused.result, static_cast<weftkit_row_result>(-1));  // untouched on failure
  EXPECT_EQ(refused.message, "<none>");
  ErrorSlot error;
  weftkit_row_result result = WEFTKIT_ROW_PASS;
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), short_row.data(), short_row.size(), nullptr, 0, &result, nullptr,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_row_filter_check: the row has 3 datums but the filter's table has 4 columns");
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), long_row.data(), long_row.size(), nullptr, 0, &result, nullptr,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_row_filter_check: the row has 5 datums but the filter's table has 4 columns");
  EXPECT_EQ(check(filter.get(), full).status, WEFTKIT_OK);
  EXPECT_EQ(check(filter.get(), full).result, WEFTKIT_ROW_PASS);
}

TEST_F(CApiTest, CheckRefusesANewRowOfTheWrongLengthOrALengthWithoutANewRow) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_UPDATE);
  std::vector<weftkit_datum> row = order("tenant-001", "open");
  std::vector<weftkit_datum> short_new_row(row.begin(), row.end() - 2);
  ErrorSlot error;
  weftkit_row_result result = WEFTKIT_ROW_PASS;
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row.data(), row.size(), short_new_row.data(), short_new_row.size(),
                                     &result, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_row_filter_check: the new row has 2 datums but the filter's table has 4 columns");
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row.data(), row.size(), row.data(), 0, &result, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_row_filter_check: the new row has 0 datums but the filter's table has 4 columns");
  EXPECT_EQ(weftkit_row_filter_check(filter.get(), row.data(), row.size(), nullptr, 4, &result, nullptr, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "weftkit_row_filter_check: new_row is NULL but new_row_length is not 0");
  EXPECT_EQ(result, WEFTKIT_ROW_PASS);  // untouched by every refusal
  // The right lengths: the new row is checked (status 'paid' fails open_only's WITH CHECK).
  std::vector<weftkit_datum> paid = order("tenant-001", "paid");
  Checked checked = check(filter.get(), row, &paid);
  EXPECT_EQ(checked.status, WEFTKIT_OK);
  EXPECT_EQ(checked.result, WEFTKIT_ROW_VIOLATION);
}

TEST_F(CApiTest, FilterOutlivesItsStatementAndContext) {
  Owned<weftkit_context> bob = connect("bob", "tenant-001");
  Owned<weftkit_statement> statement = begin(bob.get());
  Owned<weftkit_row_filter> filter = open(statement.get(), "orders", WEFTKIT_COMMAND_SELECT);
  statement.reset();
  bob.reset();
  store_.reset();
  EXPECT_EQ(check(filter.get(), order("tenant-001", "open")).result, WEFTKIT_ROW_PASS);
  EXPECT_EQ(check(filter.get(), order("tenant-002", "open")).result, WEFTKIT_ROW_FILTERED);
}

}  // namespace
}  // namespace weftkit::c_api_testing
