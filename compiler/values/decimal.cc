// Decimal arithmetic with PostgreSQL numeric's display-scale rules.
#include "compiler/values/decimal.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {



// 10^38 < 2^127: every value below this magnitude is representable.
constexpr int kMaxDigits = 38;

[[noreturn]] void out_of_range();

// 10^exponent; beyond 10^38 the value would not fit, which callers treat as out of range.
Int128 power_of_ten(int exponent) {
  if (exponent < 0 || exponent > kMaxDigits) out_of_range();
  Int128 result = 1;
  for (int index = 0; index < exponent; ++index) result *= 10;
  return result;
}

[[noreturn]] void out_of_range() {
  raise_sql_error("numeric value out of range: WeftKit Policy's numeric holds at most 38 significant digits");
}

Int128 checked_multiply(Int128 left, Int128 right) {
  Int128 result;
  if (__builtin_mul_overflow(left, right, &result)) out_of_range();
  return result;
}

Int128 checked_add(Int128 left, Int128 right) {
  Int128 result;
  if (__builtin_add_overflow(left, right, &result)) out_of_range();
  return result;
}

// Rescales upwards (more fraction digits), exactly.
Int128 widen(const Decimal& value, int32_t scale) {
  if (value.unscaled == 0) return 0;
  return checked_multiply(value.unscaled, power_of_ten(scale - value.scale));
}

Int128 abs128(Int128 value) { return value < 0 ? -value : value; }

// Divides, rounding half away from zero.
Int128 divide_rounded(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  Int128 remainder = numerator % denominator;
  if (abs128(remainder) * 2 >= abs128(denominator)) quotient += ((numerator < 0) != (denominator < 0)) ? -1 : 1;
  return quotient;
}

std::string int128_digits(Int128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return digits;
}

// PostgreSQL stores numerics in base-10000 digits; the division scale depends on the weight
// and the first such digit of each operand.
void base10000_weight_and_first_digit(const Decimal& value, int& weight, int& first_digit) {
  weight = 0;
  first_digit = 0;
  Int128 magnitude = abs128(value.unscaled);
  if (magnitude == 0) return;
  // Decimal exponent of the leading digit: magnitude / 10^scale is in [10^e, 10^(e+1)).
  int total_digits = static_cast<int>(int128_digits(magnitude).size());
  int exponent = total_digits - 1 - value.scale;
  weight = exponent >= 0 ? exponent / 4 : -((-exponent + 3) / 4);
  int leading_count = exponent - weight * 4 + 1;  // 1..4 decimal digits form the first group
  std::string digits = int128_digits(magnitude);
  first_digit = std::stoi(digits.substr(0, static_cast<size_t>(std::min<int>(leading_count, total_digits))));
  for (int pad = total_digits; pad < leading_count; ++pad) first_digit *= 10;
}

int select_division_scale(const Decimal& left, const Decimal& right) {
  constexpr int kMinSignificantDigits = 16;
  int weight1, first1, weight2, first2;
  base10000_weight_and_first_digit(left, weight1, first1);
  base10000_weight_and_first_digit(right, weight2, first2);
  int quotient_weight = weight1 - weight2;
  if (first1 <= first2) --quotient_weight;
  int scale = kMinSignificantDigits - quotient_weight * 4;
  scale = std::max(scale, left.scale);
  scale = std::max(scale, right.scale);
  scale = std::max(scale, 0);
  return std::min(scale, 1000);
}

}  // namespace

Decimal parse_decimal(std::string_view text) {
  auto bad = [&]() -> Decimal {
    raise_sql_error("invalid input syntax for type numeric: \"" + std::string(text) + "\"");
  };
  size_t position = 0;
  while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position]))) ++position;
  size_t end = text.size();
  while (end > position && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string_view body = text.substr(position, end - position);
  if (body.size() == 3 && (body[0] == 'n' || body[0] == 'N') && (body[1] == 'a' || body[1] == 'A') &&
      (body[2] == 'n' || body[2] == 'N')) {
    return Decimal::make_nan();
  }
  size_t index = 0;
  bool negative = false;
  if (index < body.size() && (body[index] == '+' || body[index] == '-')) negative = body[index++] == '-';
  Int128 unscaled = 0;
  int scale = 0;
  bool any_digit = false;
  bool seen_point = false;
  int significant = 0;
  for (; index < body.size(); ++index) {
    char c = body[index];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (unscaled != 0 || c != '0') ++significant;
    if (significant > kMaxDigits) out_of_range();
    unscaled = unscaled * 10 + (c - '0');
    if (seen_point) ++scale;
  }
  if (!any_digit) bad();
  if (index < body.size() && (body[index] == 'e' || body[index] == 'E')) {
    ++index;
    bool exponent_negative = false;
    if (index < body.size() && (body[index] == '+' || body[index] == '-')) exponent_negative = body[index++] == '-';
    if (index >= body.size()) bad();
    long exponent = 0;
    for (; index < body.size(); ++index) {
      char c = body[index];
      if (c < '0' || c > '9') bad();
      exponent = exponent * 10 + (c - '0');
      if (exponent > 1000) bad();
    }
    if (exponent_negative) exponent = -exponent;
    // PostgreSQL: the display scale becomes max(0, scale - exponent).
    long new_scale = scale - exponent;
    if (new_scale < 0) {
      unscaled = checked_multiply(unscaled, power_of_ten(static_cast<int>(-new_scale)));
      new_scale = 0;
    }
    if (new_scale > kMaxDigits + scale) out_of_range();
    scale = static_cast<int>(new_scale);
  }
  if (index != body.size()) bad();
  return Decimal{false, negative ? -unscaled : unscaled, scale};
}

std::string format_decimal(const Decimal& value) {
  if (value.nan) return "NaN";
  std::string digits = int128_digits(abs128(value.unscaled));
  if (value.scale > 0) {
    if (static_cast<int>(digits.size()) <= value.scale) {
      digits.insert(0, static_cast<size_t>(value.scale - static_cast<int>(digits.size()) + 1), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(value.scale), ".");
  }
  return (value.unscaled < 0 ? "-" : "") + digits;
}

int compare_decimal(const Decimal& left, const Decimal& right) {
  if (left.nan || right.nan) return left.nan == right.nan ? 0 : (left.nan ? 1 : -1);
  int32_t scale = std::max(left.scale, right.scale);
  Int128 a = widen(left, scale);
  Int128 b = widen(right, scale);
  return a < b ? -1 : (a > b ? 1 : 0);
}

Decimal decimal_add(const Decimal& left, const Decimal& right) {
  if (left.nan || right.nan) return Decimal::make_nan();
  int32_t scale = std::max(left.scale, right.scale);
  return Decimal{false, checked_add(widen(left, scale), widen(right, scale)), scale};
}

Decimal decimal_subtract(const Decimal& left, const Decimal& right) { return decimal_add(left, decimal_negate(right)); }

Decimal decimal_multiply(const Decimal& left, const Decimal& right) {
  if (left.nan || right.nan) return Decimal::make_nan();
  return Decimal{false, checked_multiply(left.unscaled, right.unscaled), left.scale + right.scale};
}

Decimal decimal_divide(const Decimal& left, const Decimal& right) {
  if (left.nan || right.nan) return Decimal::make_nan();
  if (right.unscaled == 0) raise_sql_error("division by zero");
  int scale = select_division_scale(left, right);
  // left/right * 10^scale = left.unscaled * 10^(scale - left.scale + right.scale) / right.unscaled
  int shift = scale - left.scale + right.scale;
  if (left.unscaled == 0) return Decimal{false, 0, scale};
  Int128 numerator = left.unscaled;
  Int128 denominator = right.unscaled;
  if (shift >= 0) {
    if (shift > kMaxDigits && numerator != 0) out_of_range();
    numerator = checked_multiply(numerator, power_of_ten(shift));
  } else {
    denominator = checked_multiply(denominator, power_of_ten(-shift));
  }
  return Decimal{false, divide_rounded(numerator, denominator), scale};
}

Decimal decimal_modulo(const Decimal& left, const Decimal& right) {
  if (left.nan || right.nan) return Decimal::make_nan();
  if (right.unscaled == 0) raise_sql_error("division by zero");
  int32_t scale = std::max(left.scale, right.scale);
  Int128 a = widen(left, scale);
  Int128 b = widen(right, scale);
  return Decimal{false, a % b, scale};  // C++ % truncates toward zero, like PostgreSQL's mod
}

Decimal decimal_negate(const Decimal& value) {
  if (value.nan) return value;
  return Decimal{false, -value.unscaled, value.scale};
}

Decimal decimal_abs(const Decimal& value) {
  if (value.nan) return value;
  return Decimal{false, abs128(value.unscaled), value.scale};
}

int64_t decimal_to_int(const Decimal& value, int bits) {
  const char* name = bits == 16 ? "smallint" : bits == 32 ? "integer" : "bigint";
  if (value.nan) raise_sql_error(std::string("cannot convert NaN to ") + name);
  // With more than 38 fraction digits the magnitude is below 0.1 and rounds to zero.
  Int128 rounded = value.scale == 0        ? value.unscaled
                   : value.scale > kMaxDigits ? 0
                                              : divide_rounded(value.unscaled, power_of_ten(value.scale));
  Int128 limit = Int128{1} << (bits - 1);
  if (rounded < -limit || rounded >= limit) raise_sql_error(std::string(name) + " out of range");
  return static_cast<int64_t>(rounded);
}

double decimal_to_double(const Decimal& value) {
  if (value.nan) return std::numeric_limits<double>::quiet_NaN();
  // PostgreSQL converts through the text form, i.e. correctly rounded.
  return std::strtod(format_decimal(value).c_str(), nullptr);
}

Decimal decimal_from_double(double value) {
  if (std::isnan(value)) return Decimal::make_nan();
  if (std::isinf(value)) raise_sql_error("cannot convert infinity to numeric");
  // PostgreSQL prints the double with 15 significant digits and reads that back.
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.15g", value);
  return parse_decimal(buffer);
}

}  // namespace weftkit::policy
