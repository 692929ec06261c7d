// The C functions generated predicate code calls for what it does not compute inline: the
// operations of numeric, uuid and text values (casts from and to text, numeric arithmetic,
// lower/upper/length/||), reusing compiler/values' definitions of them, plus LIKE
// (predicate_abi.h). The JIT links generated code against exactly helper_symbols() (and a few
// C library functions); ahead-of-time modules link this code in (weftkit_native). No LLVM here.
//
// Rules every helper keeps, because generated code calls them without branches — for rows a
// CASE or AND would not evaluate and for NULL arguments too: never throw, never crash on an
// argument that is NULL (data "", length 0) or unexpected, and have no effect but the result.
#pragma once

#include <cstdint>
#include <vector>

#include "codegen/native/predicate_abi.h"
#include "compiler/ir/expr.h"

namespace weftkit::policy::native {

// uint32_t weftkit_apply(uint64_t operation, int32_t max_length, const NativeDatum* args,
//                        NativeDatum* out)
// Applies one expression node to its arguments' datums (one per argument; their types are in
// `operation`, see encode_operation), writing the result datum to `out`. Text results live in a
// per-thread scratch area until weftkit_scratch_reset. When an argument is NULL, writes a
// NULL datum and returns 0. Returns 0, kHelperRaised (the operation raised: the host rebuilds
// its message) or kOutOfMemory.
inline constexpr const char* kApplyHelperSymbol = "weftkit_apply";
extern "C" uint32_t weftkit_apply(uint64_t operation, int32_t max_length, const NativeDatum* args, NativeDatum* out);

// int32_t weftkit_numeric_compare(const char* left, int64_t left_length, const char* right,
//                                 int64_t right_length)
// PostgreSQL's order of two numerics given as text: -1, 0 or 1.
inline constexpr const char* kNumericCompareHelperSymbol = "weftkit_numeric_compare";
extern "C" int32_t weftkit_numeric_compare(const char* left, int64_t left_length, const char* right,
                                           int64_t right_length);

// void weftkit_scratch_reset(void)
// Frees (for reuse) the calling thread's scratch text: generated code calls it once per row,
// before the row's first condition, when no earlier text result can still be in use.
inline constexpr const char* kScratchResetHelperSymbol = "weftkit_scratch_reset";
extern "C" void weftkit_scratch_reset();

// How weftkit_apply is told which node to apply: kind, result type, cast mode, arithmetic
// operator and up to two argument types, one byte each.
uint64_t encode_operation(const Expr& node);

struct HelperSymbol {
  const char* name;
  void* address;
};
// Every helper above plus weftkit_like: the JIT's whitelist.
const std::vector<HelperSymbol>& helper_symbols();

}  // namespace weftkit::policy::native
