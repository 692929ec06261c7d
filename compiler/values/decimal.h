// PostgreSQL 15's numeric type: arbitrary precision with a display scale (dscale), NaN and
// ±Infinity, within numeric's storage limits (131072 digits before the decimal point, 16383
// after). Results, scales, rounding and error messages are those of
// src/backend/utils/adt/numeric.c.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/values/big_natural.h"

namespace weftkit::policy {

enum class DecimalKind : uint8_t { kFinite, kNaN, kPositiveInfinity, kNegativeInfinity };

struct Decimal {
  DecimalKind kind = DecimalKind::kFinite;
  bool negative = false;    // finite values only; zero is never negative, as in PostgreSQL
  int32_t scale = 0;        // digits after the decimal point (dscale), 0..16383
  BigNatural coefficient;   // |value| = coefficient / 10^scale

  static Decimal from_int(int64_t value);
  static Decimal make_nan() { return Decimal{DecimalKind::kNaN, false, 0, {}}; }
  static Decimal make_infinity(bool negative) {
    return Decimal{negative ? DecimalKind::kNegativeInfinity : DecimalKind::kPositiveInfinity, false, 0, {}};
  }

  bool is_nan() const { return kind == DecimalKind::kNaN; }
  bool is_finite() const { return kind == DecimalKind::kFinite; }

  // The same datum (value and display scale), as PostgreSQL's equal() compares constants;
  // compare_decimal is SQL's equality, where 1.0 = 1.
  friend bool operator==(const Decimal& left, const Decimal& right) = default;
};

// numeric_in: [+-]digits[.digits][e[+-]digits], NaN, [+-]Infinity, [+-]inf, with surrounding
// white space; raises "invalid input syntax for type numeric" or "value overflows numeric format".
Decimal parse_decimal(std::string_view text);
// numeric_out: plain notation with exactly `scale` fraction digits, or NaN, Infinity, -Infinity.
std::string format_decimal(const Decimal& value);

// cmp_numerics: NaN equals NaN and sorts above everything, then Infinity, numbers, -Infinity.
int compare_decimal(const Decimal& left, const Decimal& right);

Decimal decimal_add(const Decimal& left, const Decimal& right);
Decimal decimal_subtract(const Decimal& left, const Decimal& right);
Decimal decimal_multiply(const Decimal& left, const Decimal& right);
Decimal decimal_divide(const Decimal& left, const Decimal& right);
Decimal decimal_modulo(const Decimal& left, const Decimal& right);
Decimal decimal_negate(const Decimal& value);
Decimal decimal_abs(const Decimal& value);

// numeric_int2/4/8 (`bits` 16, 32 or 64): rounds half away from zero, raises "cannot convert
// NaN to integer", "cannot convert infinity to integer", "integer out of range" and the like.
int64_t decimal_to_int(const Decimal& value, int bits);
// The value when it is a finite integer written without fraction digits that fits a bigint.
std::optional<int64_t> decimal_to_exact_int64(const Decimal& value);
// numeric_float8: the text form read back by float8in, which rejects what rounds to 0 or ±inf.
double decimal_to_double(const Decimal& value);
// float8_numeric and float4_numeric: through the text form with DBL_DIG (15) or FLT_DIG (6)
// significant digits; NaN and ±Infinity carry over.
Decimal decimal_from_double(double value);
Decimal decimal_from_float(float value);

}  // namespace weftkit::policy
