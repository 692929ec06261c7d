// The kinds of operation that value semantics (operations.h) are parameterised by. They live
// with the values rather than in the IR so that the values never include the IR that uses them.
#pragma once

#include <cstdint>

namespace weftkit::policy {

enum class ArithmeticOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo };

// How a cast converts: explicit (CAST, ::) truncates varchar(n) silently; assignment raises
// "value too long"; a cross-type operand is how PostgreSQL's cross-type operators see the
// other type (int2 = int8, date < timestamp), where a date beyond the timestamp range compares
// as infinity instead of raising.
enum class CastMode : uint8_t { kExplicit, kImplicit, kAssignment, kCrossTypeOperand };

}  // namespace weftkit::policy
