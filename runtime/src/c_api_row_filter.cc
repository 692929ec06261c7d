// The C API's row filters (weftkit_policy.h): one row of datums, or an Arrow batch into the
// caller's selection bitmap with its exceptions kept in a handle of their own.
#include <span>
#include <string>

#include "runtime/src/c_api_boundary.h"

using weftkit::c_api::duplicate;
using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::report;
using weftkit::c_api::valid_command;

static_assert(WEFTKIT_COMMAND_SELECT == static_cast<int>(weftkit::Command::kSelect));
static_assert(WEFTKIT_COMMAND_INSERT == static_cast<int>(weftkit::Command::kInsert));
static_assert(WEFTKIT_COMMAND_UPDATE == static_cast<int>(weftkit::Command::kUpdate));
static_assert(WEFTKIT_COMMAND_DELETE == static_cast<int>(weftkit::Command::kDelete));
static_assert(WEFTKIT_ROW_PASS == static_cast<int>(weftkit::RowResult::kPass));
static_assert(WEFTKIT_ROW_FILTERED == static_cast<int>(weftkit::RowResult::kFiltered));
static_assert(WEFTKIT_ROW_VIOLATION == static_cast<int>(weftkit::RowResult::kViolation));
static_assert(WEFTKIT_ROW_ERROR == static_cast<int>(weftkit::RowResult::kError));

namespace {

// The checks the batch code relies on before it indexes a child: a C caller's NULL arrays
// must become an error, not a crash.
weftkit_status check_batch_shape(const ArrowSchema& schema, const ArrowArray& batch, const char* what,
                                 weftkit_error** error) {
  if (schema.n_children > 0 && schema.children == nullptr) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "the schema has n_children > 0 but no children array", error);
  }
  if (batch.n_children > 0 && batch.children == nullptr) {
    return fail(WEFTKIT_INVALID_ARGUMENT, std::string("the ") + what + " has n_children > 0 but no children array", error);
  }
  return WEFTKIT_OK;
}

}  // namespace

namespace {

// Everything but the common case: NULL arguments, rows of another length, the message of a
// violation or an error, and a filter that threw.
__attribute__((noinline)) weftkit_status check_row_in_full(const weftkit_row_filter* filter, const weftkit_datum* row,
                                                           size_t row_length, const weftkit_datum* new_row,
                                                           size_t new_row_length, weftkit_row_result* result,
                                                           char** message, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (filter == nullptr || row == nullptr || result == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_row_filter_check: filter, row and result must not be NULL", error);
    }
    if (new_row == nullptr && new_row_length != 0) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_row_filter_check: new_row is NULL but new_row_length is not 0",
                  error);
    }
    // The C++ overload reads an empty new row as "none"; from C, a new row passed is a new row.
    if (size_t columns = filter->column_count; new_row != nullptr && new_row_length == 0 && columns != 0) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_row_filter_check: the new row has 0 datums but the filter's table has " +
                      std::to_string(columns) + " columns",
                  error);
    }
    // Same layout (static_asserts in c_api.cc): the rows go through as they are. The span
    // overload refuses a length other than the table's before anything is read.
    std::span<const weftkit::Datum> row_datums(reinterpret_cast<const weftkit::Datum*>(row), row_length);
    std::span<const weftkit::Datum> new_row_datums;
    if (new_row != nullptr) new_row_datums = {reinterpret_cast<const weftkit::Datum*>(new_row), new_row_length};
    weftkit::StatusOr<weftkit::RowOutcome> checked = filter->filter->check(row_datums, new_row_datums);
    if (!checked.is_ok()) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_row_filter_check: " + checked.status().message(), error);
    }
    const weftkit::RowOutcome& outcome = checked.value();
    bool has_message = outcome.result == weftkit::RowResult::kViolation || outcome.result == weftkit::RowResult::kError;
    if (message != nullptr && has_message) *message = duplicate(outcome.message);
    *result = static_cast<weftkit_row_result>(outcome.result);
    return WEFTKIT_OK;
  });
}

}  // namespace

extern "C" {

weftkit_status weftkit_row_filter_open(const weftkit_statement* statement, const char* table, weftkit_command command,
                                       bool reads_columns, bool returning, weftkit_row_filter** out,
                                       weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (statement == nullptr || table == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_row_filter_open: statement, table and out must not be NULL", error);
    }
    if (!valid_command(command)) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "command " + std::to_string(static_cast<int>(command)) + " is not a weftkit_command", error);
    }
    weftkit::StatementShape shape;
    shape.command = static_cast<weftkit::Command>(command);
    shape.reads_columns = reads_columns;
    shape.returning = returning;
    auto opened = statement->statement.row_filter(table, shape);
    if (!opened.is_ok()) return report(opened.status(), error);
    size_t columns = opened.value()->column_count();
    *out = new weftkit_row_filter{std::move(opened).value(), columns};
    return WEFTKIT_OK;
  });
}

void weftkit_row_filter_free(weftkit_row_filter* filter) { delete filter; }

weftkit_status weftkit_row_filter_column_count(const weftkit_row_filter* filter, size_t* out) {
  if (filter == nullptr || out == nullptr) return WEFTKIT_INVALID_ARGUMENT;
  *out = filter->filter->column_count();
  return WEFTKIT_OK;
}

weftkit_status weftkit_row_filter_check(const weftkit_row_filter* filter, const weftkit_datum* row, size_t row_length,
                                        const weftkit_datum* new_row, size_t new_row_length, weftkit_row_result* result,
                                        char** message, weftkit_error** error) {
  if (message != nullptr) *message = nullptr;
  // The common case in a few instructions: a scan asking no message, with a row of the
  // table's length (no new row, or one as long). One call into the filter. A caller asking
  // for messages gets check(), which evaluates a passing row once and a violation twice.
  if (message == nullptr && filter != nullptr && row != nullptr && result != nullptr &&
      row_length == filter->column_count && row_length != 0 &&
      (new_row == nullptr ? new_row_length == 0 : new_row_length == row_length)) {
    return guarded(error, [&]() -> weftkit_status {
      *result = static_cast<weftkit_row_result>(filter->filter->result(
          reinterpret_cast<const weftkit::Datum*>(row), reinterpret_cast<const weftkit::Datum*>(new_row)));
      return WEFTKIT_OK;
    });
  }
  return check_row_in_full(filter, row, row_length, new_row, new_row_length, result, message, error);
}

weftkit_status weftkit_row_filter_batch(const weftkit_row_filter* filter, const struct ArrowSchema* schema,
                                        const struct ArrowArray* batch, const struct ArrowArray* new_batch,
                                        uint64_t* selection, size_t selection_words,
                                        weftkit_batch_exceptions** exceptions, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (exceptions != nullptr) *exceptions = nullptr;
    if (filter == nullptr || schema == nullptr || batch == nullptr || exceptions == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_row_filter_batch: filter, schema, batch and exceptions must not be NULL", error);
    }
    if (weftkit_status status = check_batch_shape(*schema, *batch, "batch", error); status != WEFTKIT_OK) return status;
    if (new_batch != nullptr) {
      if (weftkit_status status = check_batch_shape(*schema, *new_batch, "new batch", error); status != WEFTKIT_OK) {
        return status;
      }
    }
    // A negative length is left to filter_batch, which names it.
    size_t needed = batch->length > 0 ? WEFTKIT_SELECTION_WORDS(batch->length) : 0;
    if (batch->length >= 0 && (selection_words < needed || (needed > 0 && selection == nullptr))) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "the selection bitmap has " + std::to_string(selection == nullptr ? 0 : selection_words) +
                      " words but a batch of " + std::to_string(batch->length) + " rows needs " + std::to_string(needed),
                  error);
    }
    weftkit::StatusOr<weftkit::BatchOutcome> filtered = filter->filter->filter_batch(*schema, *batch, new_batch);
    if (!filtered.is_ok()) return report(filtered.status(), error);
    weftkit::BatchOutcome outcome = std::move(filtered).value();
    auto made = std::make_unique<weftkit_batch_exceptions>();
    made->entries = std::move(outcome.exceptions);
    for (size_t word = 0; word < needed; ++word) selection[word] = word < outcome.selection.size() ? outcome.selection[word] : 0;
    // The generated code works in whole words; the caller is promised nothing past the batch.
    if (int64_t tail = batch->length % 64; needed > 0 && tail != 0) selection[needed - 1] &= (uint64_t{1} << tail) - 1;
    *exceptions = made.release();
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_batch_exceptions_count(const weftkit_batch_exceptions* exceptions, size_t* count) {
  if (exceptions == nullptr || count == nullptr) return WEFTKIT_INVALID_ARGUMENT;
  *count = exceptions->entries.size();
  return WEFTKIT_OK;
}

weftkit_status weftkit_batch_exception_at(const weftkit_batch_exceptions* exceptions, size_t index, int64_t* row,
                                          weftkit_row_result* result, const char** message) {
  if (exceptions == nullptr || index >= exceptions->entries.size()) return WEFTKIT_INVALID_ARGUMENT;
  const auto& [row_index, outcome] = exceptions->entries[index];
  if (row != nullptr) *row = row_index;
  if (result != nullptr) *result = static_cast<weftkit_row_result>(outcome.result);
  if (message != nullptr) *message = outcome.message.c_str();
  return WEFTKIT_OK;
}

void weftkit_batch_exceptions_free(weftkit_batch_exceptions* exceptions) { delete exceptions; }

}  // extern "C"
