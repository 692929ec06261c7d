// Hand-written C++ selection loops for bench/predicate_throughput.cc: the same selection bitmap
// as the generated code, computed from the same Arrow buffers (validity bitmaps as 64-bit
// words, least significant bit first; int32 offsets + bytes for text), with the same NULL
// semantics (a NULL operand never passes). predicate_baseline.cc is compiled at -O3 for the
// host CPU (bench/CMakeLists.txt), in its own translation unit, so that nothing here is inlined
// into, or optimised across, the benchmark loops.
#pragma once

#include <cstdint>

namespace weftkit::policy::bench {

// Bit i of selection[i / 64]: tenant_valid(i) & amount_valid(i) & tenant[i] == tenant_value &
// amount[i] > amount_limit. Writes ceil(length / 64) words, bits past `length` cleared.
// Written for the vectoriser: each 64-row block first fills 64 bytes, then packs them.
void select_integer(const uint64_t* tenant_valid, const int32_t* tenant, const uint64_t* amount_valid,
                    const int64_t* amount, int64_t length, int32_t tenant_value, int64_t amount_limit,
                    uint64_t* selection);

// The same, written the obvious way (one shifted bit per row). GCC 12 vectorises this shape
// too (per-lane variable shifts and an OR reduction).
void select_integer_naive(const uint64_t* tenant_valid, const int32_t* tenant, const uint64_t* amount_valid,
                          const int64_t* amount, int64_t length, int32_t tenant_value, int64_t amount_limit,
                          uint64_t* selection);

// valid(i) & text(i) == value (byte equality, as text = text in the C collation); branch-free,
// one memcmp call a row.
void select_text_equal(const uint64_t* valid, const int32_t* offsets, const char* data, int64_t length,
                       const char* value, int64_t value_length, uint64_t* selection);

// valid(i) & text(i) LIKE 'a%b' (at least two bytes, the first 'a', the last 'b'): the pattern
// specialised by hand, which the generated code does not do (it calls the general LIKE helper).
void select_like_a_percent_b(const uint64_t* valid, const int32_t* offsets, const char* data, int64_t length,
                             uint64_t* selection);

}  // namespace weftkit::policy::bench
