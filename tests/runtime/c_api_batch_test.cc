// The C API's batch filtering: an Arrow struct array into the caller's selection bitmap, with
// violations and errors as exceptions read back by index; batches that do not fit, NULL
// arguments and short bitmaps are errors, never crashes.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "tests/runtime/c_api_arrow_batch.h"
#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

// orders (id bigint, tenant_id text, amount integer, status text), one row per tenant/status.
std::vector<Column> orders(const std::vector<std::string>& tenants, const std::vector<std::string>& statuses = {}) {
  Column ids{"l", {}, {}}, tenant_column{"u", {}, {}}, amounts{"i", {}, {}}, status_column{"u", {}, {}};
  for (size_t row = 0; row < tenants.size(); ++row) {
    ids.integers.push_back(static_cast<int64_t>(row + 1));
    tenant_column.texts.push_back(tenants[row]);
    amounts.integers.push_back(static_cast<int64_t>(10 * (row + 1)));
    status_column.texts.push_back(statuses.empty() ? std::optional<std::string>("open") : statuses[row]);
  }
  return {ids, tenant_column, amounts, status_column};
}

struct Exception {
  int64_t row;
  weftkit_row_result result;
  std::string message;
  bool operator==(const Exception&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Exception& exception) {
  return out << "{row " << exception.row << ", result " << exception.result << ", \"" << exception.message << "\"}";
}

// Filters `batch` and reads every exception back through the index API.
struct Filtered {
  weftkit_status status = WEFTKIT_INTERNAL;
  std::string error;
  std::vector<uint64_t> selection;
  std::vector<Exception> exceptions;
};

Filtered filter_batch(const weftkit_row_filter* filter, ArrowBatch& batch, ArrowBatch* new_batch = nullptr,
                      size_t selection_words = 0) {
  Filtered out;
  size_t words = selection_words != 0 ? selection_words : WEFTKIT_SELECTION_WORDS(batch.length());
  out.selection.assign(words, ~uint64_t{0});  // garbage the call must overwrite
  weftkit_batch_exceptions* made = reinterpret_cast<weftkit_batch_exceptions*>(0x1);
  ErrorSlot error;
  out.status = weftkit_row_filter_batch(filter, &batch.schema(), &batch.array(),
                                        new_batch != nullptr ? &new_batch->array() : nullptr, out.selection.data(),
                                        out.selection.size(), &made, error.out());
  out.error = error.message();
  if (out.status != WEFTKIT_OK) {
    EXPECT_EQ(made, nullptr);
    return out;
  }
  Owned<weftkit_batch_exceptions> exceptions(made);
  size_t count = 0;
  EXPECT_EQ(weftkit_batch_exceptions_count(exceptions.get(), &count), WEFTKIT_OK);
  for (size_t index = 0; index < count; ++index) {
    Exception exception{};
    const char* message = nullptr;
    EXPECT_EQ(weftkit_batch_exception_at(exceptions.get(), index, &exception.row, &exception.result, &message),
              WEFTKIT_OK);
    exception.message = message != nullptr ? message : "<null>";
    out.exceptions.push_back(exception);
  }
  return out;
}

const char kViolation[] = "new row violates row-level security policy for table \"orders\"";

class CApiBatchTest : public CApiTest {
 protected:
  void SetUp() override {
    bob_ = connect("bob", "tenant-001");
    statement_ = begin(bob_.get());
  }
  Owned<weftkit_context> bob_;
  Owned<weftkit_statement> statement_;
};

TEST_F(CApiBatchTest, SelectsTheRowsTheSessionMaySee) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch(orders({"tenant-001", "tenant-002", "tenant-001", "tenant-002"}));
  Filtered filtered = filter_batch(filter.get(), batch);
  ASSERT_EQ(filtered.status, WEFTKIT_OK) << filtered.error;
  EXPECT_EQ(filtered.error, "<no error>");
  // Rows 0 and 2 only; the call cleared the garbage in bits 4..63.
  EXPECT_EQ(filtered.selection, std::vector<uint64_t>{0b0101});
  EXPECT_TRUE(filtered.exceptions.empty());
}

TEST_F(CApiBatchTest, SeventyRowsFillTwoWordsAndNothingPastTheBatch) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  std::vector<std::string> tenants;
  for (int row = 0; row < 70; ++row) tenants.push_back(row % 2 == 0 ? "tenant-001" : "tenant-002");
  ArrowBatch batch(orders(tenants));
  Filtered filtered = filter_batch(filter.get(), batch);
  ASSERT_EQ(filtered.status, WEFTKIT_OK) << filtered.error;
  // Even rows pass: all of word 0's even bits; in word 1, rows 64, 66 and 68 (bits 0, 2, 4).
  EXPECT_EQ(filtered.selection, (std::vector<uint64_t>{0x5555555555555555, 0x15}));
}

TEST_F(CApiBatchTest, InsertViolationsAreExceptionsReadByIndex) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_INSERT, false);
  ArrowBatch batch(orders({"tenant-001", "tenant-002", "tenant-001", "tenant-003"}));
  Filtered filtered = filter_batch(filter.get(), batch);
  ASSERT_EQ(filtered.status, WEFTKIT_OK) << filtered.error;
  EXPECT_EQ(filtered.selection, std::vector<uint64_t>{0b0101});
  EXPECT_EQ(filtered.exceptions, (std::vector<Exception>{{1, WEFTKIT_ROW_VIOLATION, kViolation},
                                                         {3, WEFTKIT_ROW_VIOLATION, kViolation}}));
}

TEST_F(CApiBatchTest, RuntimeErrorsAreExceptionsWithPostgresMessage) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "ratios", WEFTKIT_COMMAND_SELECT);
  // ratios (id bigint, divisor integer); positive: USING (100 / divisor > 0).
  ArrowBatch batch({Column{"l", {1, 2, 3, 4}, {}}, Column{"i", {4, 0, 200, std::nullopt}, {}}});
  Filtered filtered = filter_batch(filter.get(), batch);
  ASSERT_EQ(filtered.status, WEFTKIT_OK) << filtered.error;
  EXPECT_EQ(filtered.selection, std::vector<uint64_t>{0b0001});  // 200 gives 0, NULL gives NULL: filtered
  EXPECT_EQ(filtered.exceptions, (std::vector<Exception>{{1, WEFTKIT_ROW_ERROR, "division by zero"}}));
}

TEST_F(CApiBatchTest, UpdateChecksNewRowsRowForRow) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_UPDATE, true);
  ArrowBatch old_rows(orders({"tenant-001", "tenant-001", "tenant-001"}, {"open", "open", "closed"}));
  ArrowBatch new_rows(orders({"tenant-001", "tenant-001", "tenant-001"}, {"closed", "shipped", "open"}));
  Filtered filtered = filter_batch(filter.get(), old_rows, &new_rows);
  ASSERT_EQ(filtered.status, WEFTKIT_OK) << filtered.error;
  // Row 0 passes; row 1's new status fails open_only's WITH CHECK; row 2 was not open, so
  // open_only's USING skips it.
  EXPECT_EQ(filtered.selection, std::vector<uint64_t>{0b001});
  EXPECT_EQ(filtered.exceptions,
            (std::vector<Exception>{
                {1, WEFTKIT_ROW_VIOLATION, "new row violates row-level security policy \"open_only\" for table \"orders\""}}));
}

TEST_F(CApiBatchTest, ASelectionBitmapTooShortIsRejected) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  std::vector<std::string> tenants(70, "tenant-001");
  ArrowBatch batch(orders(tenants));
  Filtered filtered = filter_batch(filter.get(), batch, nullptr, 1);
  EXPECT_EQ(filtered.status, WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(filtered.error, "the selection bitmap has 1 words but a batch of 70 rows needs 2");
  EXPECT_EQ(filtered.selection, std::vector<uint64_t>{~uint64_t{0}});  // untouched

  weftkit_batch_exceptions* exceptions = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), nullptr, nullptr, 2, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the selection bitmap has 0 words but a batch of 70 rows needs 2");
}

TEST_F(CApiBatchTest, AnEmptyBatchNeedsNoSelectionNorBuffers) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch(orders({}));  // the integer columns' value buffers are NULL, as Arrow allows
  ASSERT_EQ(batch.array().children[0]->buffers[1], nullptr);
  weftkit_batch_exceptions* made = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), nullptr, nullptr, 0, &made,
                                     error.out()),
            WEFTKIT_OK)
      << error.message();
  Owned<weftkit_batch_exceptions> exceptions(made);
  size_t count = 9;
  EXPECT_EQ(weftkit_batch_exceptions_count(exceptions.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 0u);
}

TEST_F(CApiBatchTest, ABatchThatDoesNotFitTheTableIsInvalid) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ArrowBatch ratios({Column{"l", {1}, {}}, Column{"i", {4}, {}}});
  Filtered filtered = filter_batch(filter.get(), ratios);
  EXPECT_EQ(filtered.status, WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(filtered.error, "the batch has 2 columns but table public.orders has 4");

  std::vector<Column> columns = orders({"tenant-001"});
  columns[2].format = "l";  // amount is an integer column: "i"
  ArrowBatch wrong_type(columns);
  filtered = filter_batch(filter.get(), wrong_type);
  EXPECT_EQ(filtered.status, WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(filtered.error, "column 3 (amount): format \"l\" but the table says integer (\"i\")");
}

TEST_F(CApiBatchTest, NullChildArraysAreInvalidNotACrash) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch(orders({"tenant-001"}));
  uint64_t selection[1] = {};
  weftkit_batch_exceptions* exceptions = nullptr;
  ErrorSlot error;
  ArrowSchema schema = batch.schema();
  schema.children = nullptr;
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &schema, &batch.array(), nullptr, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the schema has n_children > 0 but no children array");
  ArrowArray array = batch.array();
  array.children = nullptr;
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &array, nullptr, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the batch has n_children > 0 but no children array");
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), &array, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the new batch has n_children > 0 but no children array");
  EXPECT_EQ(exceptions, nullptr);
}

TEST_F(CApiBatchTest, RejectsNullArguments) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_SELECT);
  ArrowBatch batch(orders({"tenant-001"}));
  uint64_t selection[1] = {};
  weftkit_batch_exceptions* exceptions = nullptr;
  ErrorSlot error;
  const std::string message = "weftkit_row_filter_batch: filter, schema, batch and exceptions must not be NULL";
  EXPECT_EQ(weftkit_row_filter_batch(nullptr, &batch.schema(), &batch.array(), nullptr, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), nullptr, &batch.array(), nullptr, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), nullptr, nullptr, selection, 1, &exceptions,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  // Dropping the exceptions would hide violations: not allowed.
  EXPECT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), nullptr, selection, 1, nullptr,
                                     error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
}

TEST_F(CApiBatchTest, ExceptionAccessorsRejectNullAndIndexesOutOfRange) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_INSERT, false);
  ArrowBatch batch(orders({"tenant-002"}));
  uint64_t selection[1] = {};
  weftkit_batch_exceptions* made = nullptr;
  ASSERT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), nullptr, selection, 1, &made,
                                     nullptr),
            WEFTKIT_OK);
  Owned<weftkit_batch_exceptions> exceptions(made);
  size_t count = 0;
  EXPECT_EQ(weftkit_batch_exceptions_count(nullptr, &count), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_batch_exceptions_count(exceptions.get(), nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_batch_exceptions_count(exceptions.get(), &count), WEFTKIT_OK);
  EXPECT_EQ(count, 1u);
  int64_t row = -1;
  EXPECT_EQ(weftkit_batch_exception_at(exceptions.get(), 1, &row, nullptr, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_batch_exception_at(nullptr, 0, &row, nullptr, nullptr), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(row, -1);
  // Every out-pointer is optional.
  EXPECT_EQ(weftkit_batch_exception_at(exceptions.get(), 0, nullptr, nullptr, nullptr), WEFTKIT_OK);
  EXPECT_EQ(weftkit_batch_exception_at(exceptions.get(), 0, &row, nullptr, nullptr), WEFTKIT_OK);
  EXPECT_EQ(row, 0);
}

TEST_F(CApiBatchTest, ExceptionsOutliveTheirFilter) {
  Owned<weftkit_row_filter> filter = open(statement_.get(), "orders", WEFTKIT_COMMAND_INSERT, false);
  ArrowBatch batch(orders({"tenant-002"}));
  uint64_t selection[1] = {};
  weftkit_batch_exceptions* made = nullptr;
  ASSERT_EQ(weftkit_row_filter_batch(filter.get(), &batch.schema(), &batch.array(), nullptr, selection, 1, &made,
                                     nullptr),
            WEFTKIT_OK);
  Owned<weftkit_batch_exceptions> exceptions(made);
  filter.reset();
  statement_.reset();
  const char* message = nullptr;
  weftkit_row_result result = WEFTKIT_ROW_PASS;
  EXPECT_EQ(weftkit_batch_exception_at(exceptions.get(), 0, nullptr, &result, &message), WEFTKIT_OK);
  EXPECT_EQ(result, WEFTKIT_ROW_VIOLATION);
  EXPECT_STREQ(message, kViolation);
}

}  // namespace
}  // namespace weftkit::c_api_testing
