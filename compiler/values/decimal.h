// Exact decimal numbers for PostgreSQL's numeric type as far as the policy language needs it:
// numeric literals and arithmetic on them. A 128-bit unscaled value with a decimal scale, so
// values beyond 38 significant digits raise an error where PostgreSQL would not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/values/int128.h"

namespace weftkit::policy {

struct Decimal {
  bool nan = false;
  Int128 unscaled = 0;  // value = unscaled / 10^scale
  int32_t scale = 0;      // digits after the decimal point (PostgreSQL's dscale), 0..1000

  static Decimal from_int(int64_t value) { return Decimal{false, value, 0}; }
  static Decimal make_nan() { return Decimal{true, 0, 0}; }
};

// PostgreSQL's numeric input: [+-]digits[.digits][e[+-]digits], or NaN; raises on bad syntax.
Decimal parse_decimal(std::string_view text);
// PostgreSQL's numeric output: plain notation with exactly `scale` fraction digits.
std::string format_decimal(const Decimal& value);

// Comparison with PostgreSQL's rule that NaN equals NaN and sorts above every number.
int compare_decimal(const Decimal& left, const Decimal& right);

Decimal decimal_add(const Decimal& left, const Decimal& right);
Decimal decimal_subtract(const Decimal& left, const Decimal& right);
Decimal decimal_multiply(const Decimal& left, const Decimal& right);
Decimal decimal_divide(const Decimal& left, const Decimal& right);
Decimal decimal_modulo(const Decimal& left, const Decimal& right);
Decimal decimal_negate(const Decimal& value);
Decimal decimal_abs(const Decimal& value);

// Conversions, raising PostgreSQL's errors: rounding half away from zero to integers.
int64_t decimal_to_int(const Decimal& value, int bits);
double decimal_to_double(const Decimal& value);
Decimal decimal_from_double(double value);

}  // namespace weftkit::policy
