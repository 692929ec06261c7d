// The C ABI of a compiled statement plan (compiler/ir/statement_plan.h): the row-at-a-time
// function, the columnar batch function, the layouts they read and the outcome codes they
// return. The same for the JIT and for ahead-of-time modules; nothing here needs LLVM.
#pragma once

#include <cstdint>
#include <climits>
#include <string>

namespace weftkit::policy::native {

// Bumped whenever a layout or signature below changes.
inline constexpr uint32_t kPredicateAbiVersion = 2;  // 2: numeric and uuid datums, helper calls, site errors

// One value: a row's column or a statement parameter (a column-free part of the plan, such as
// current_setting('app.tenant_id')::int, evaluated once per statement by the host).
//   bool: 0/1; smallint/integer/bigint: the integer; date: days since 2000-01-01; timestamp and
//   timestamptz: microseconds since 2000-01-01 (PostgreSQL's epoch and infinities);
//   double precision: the IEEE bits; real: the IEEE bits of the float in the low 32 bits;
//   text: `data` and `length` (bytes), `data` never null (an empty string for NULL);
//   numeric: its text as PostgreSQL's numeric_out prints it ("-12.50", "NaN", "Infinity") in
//   `data` and `length` (text that does not read as a numeric is taken as NaN);
//   uuid: its 16 bytes in `data`, `length` 16.
struct NativeDatum {
  int64_t bits = 0;
  const char* data = "";
  int64_t length = 0;
  uint8_t is_null = 1;
  uint8_t is_error = 0;  // parameters only: evaluating it raised; the host keeps the message
  uint8_t padding[6] = {};
};
static_assert(sizeof(NativeDatum) == 32, "NativeDatum is part of the ABI");

// One column of a batch as the batch function reads it: the host normalises an Arrow array
// (arrow_c_data.h) so that row i is at index i (the array's offset applied) and the validity
// bitmap is never null and padded to whole 64-bit words.
//   validity: bit i set = row i is not NULL.
//   values:   bool: a bitmap like validity; fixed-width types: a packed array of the type's
//             Arrow width (int16/int32/int64, float32/float64; date32 days and timestamp[us]
//             microseconds since 1970-01-01, whose extreme values INT32/INT64 MIN and MAX mean
//             -infinity and infinity); text (utf8), numeric (utf8 holding numeric_out's text)
//             and uuid (fixed_size_binary(16), given offsets i * 16 by the host): int32
//             offsets, row i's bytes being data[offsets[i], offsets[i + 1]).
struct NativeColumn {
  const uint64_t* validity = nullptr;
  const void* values = nullptr;
  const char* data = nullptr;
};
static_assert(sizeof(NativeColumn) == 24, "NativeColumn is part of the ABI");

// Arrow counts dates and timestamps from 1970-01-01, PostgreSQL from 2000-01-01. Reading an
// Arrow value: the extreme values are the infinities, values before anything PostgreSQL can
// represent are -infinity, the rest are shifted. Every PostgreSQL date fits in date32; a
// PostgreSQL timestamp from 294247-01-10 04:00:54.775807 on does not fit in timestamp[us].
inline constexpr int64_t kArrowEpochDays = 10957;  // 2000-01-01 in days since 1970-01-01
inline constexpr int64_t kArrowEpochMicros = kArrowEpochDays * 86'400'000'000;

inline int64_t postgres_date_from_arrow(int32_t days) {
  constexpr int32_t kMax = INT32_MAX;
  constexpr int32_t kMin = INT32_MIN;
  if (days == kMax) return kMax;
  if (days < kMin + kArrowEpochDays) return kMin;
  return days - kArrowEpochDays;
}

inline int64_t postgres_timestamp_from_arrow(int64_t micros) {
  if (micros == INT64_MAX) return INT64_MAX;
  if (micros < INT64_MIN + kArrowEpochMicros) return INT64_MIN;
  return micros - kArrowEpochMicros;
}

// What a row function returns: the result in the low 8 bits, a detail in the next 32 bits
// (kViolation: the index of the new-row check; kError: a NativeError).
enum class NativeResult : uint8_t { kPass = 0, kFiltered = 1, kViolation = 2, kError = 3 };

inline NativeResult outcome_result(uint64_t outcome) { return static_cast<NativeResult>(outcome & 0xFF); }
inline uint32_t outcome_detail(uint64_t outcome) { return static_cast<uint32_t>(outcome >> 8); }

// Errors the generated code raises itself, with PostgreSQL's messages (native_error_message).
// An error of parameter p is kFirstParameterError + p: the host knows its message.
enum NativeError : uint32_t {
  kNoError = 0,
  kDivisionByZero = 1,
  kSmallintOutOfRange = 2,
  kIntegerOutOfRange = 3,
  kBigintOutOfRange = 4,
  kFloatOverflow = 5,
  kFloatUnderflow = 6,
  kLikeEndsWithEscape = 7,
  kInvalidEscapeString = 8,
  kDateOutOfRangeForTimestamp = 9,
  kOutOfMemory = 10,
  kDateOutOfRange = 11,
  kCannotSubtractInfiniteDates = 12,
  // Returned by a helper (weftkit_apply) whose operation raised: the generated code turns it
  // into kFirstSiteError + the node's error site (see below).
  kHelperRaised = 13,
  kFirstParameterError = 1024,
  // Error site s of the plan's layout (NativePlanLayout::error_sites) raised: a node computed by
  // a helper, whose message depends on its arguments ("invalid input syntax for type integer:
  // \"x\""). The host rebuilds the message by evaluating that node over the row.
  kFirstSiteError = 1u << 20,
};

// PostgreSQL's message for a NativeError below kFirstParameterError ("" for kNoError).
const char* native_error_message(uint32_t error);

// uint64_t weftkit_plan_row(const NativeDatum* row, const NativeDatum* new_row,
//                           const NativeDatum* params)
// The plan's outcome for one row: the filters read `row`, the new-row checks read `new_row`
// (the host passes `row` again when the statement has no separate new row).
inline constexpr const char* kPlanRowSymbol = "weftkit_plan_row";
using PlanRowFunction = uint64_t (*)(const NativeDatum* row, const NativeDatum* new_row, const NativeDatum* params);

// void weftkit_plan_batch(const NativeColumn* columns, const NativeColumn* new_columns,
//                         int64_t length, const NativeDatum* params,
//                         uint64_t* selection, uint64_t* exceptions)
// For rows [0, length): sets bit i of `selection` when row i passes and bit i of `exceptions`
// when its outcome is a violation or an error (the host asks the row function for the
// details); neither bit means filtered. Both outputs hold ceil(length / 64) words and are
// overwritten, bits past `length` cleared.
inline constexpr const char* kPlanBatchSymbol = "weftkit_plan_batch";
using PlanBatchFunction = void (*)(const NativeColumn* columns, const NativeColumn* new_columns, int64_t length,
                                   const NativeDatum* params, uint64_t* selection, uint64_t* exceptions);

// int32_t weftkit_like(const char* text, int64_t text_length, const char* pattern,
//                      int64_t pattern_length, const char* escape, int64_t escape_length,
//                      uint32_t flags)
// PostgreSQL's LIKE. flags: bit 0 ILIKE, bit 1 an ESCAPE clause is given. Returns 0 or 1, or
// a NativeError. The other helpers generated code calls are in predicate_helpers.h.
inline constexpr const char* kLikeHelperSymbol = "weftkit_like";
extern "C" int32_t weftkit_like(const char* text, int64_t text_length, const char* pattern, int64_t pattern_length,
                                const char* escape, int64_t escape_length, uint32_t flags);

}  // namespace weftkit::policy::native
