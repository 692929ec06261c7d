// PostgreSQL 15's numeric semantics (numeric.c) on a coefficient-and-scale representation.
// PostgreSQL computes in base-10000 digits; where that shows through (the division scale, the
// weight limit) the base-10000 quantities are derived from the decimal ones.
#include "compiler/values/decimal.h"

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

constexpr int kDecimalDigitsPerNbaseDigit = 4;  // DEC_DIGITS: NBASE is 10000
// NUMERIC_WEIGHT_MAX: the base-10000 weight is an int16, so 131072 digits before the point.
constexpr int64_t kMaxWeight = 32767;
constexpr int32_t kMaxDisplayScale = 16383;       // NUMERIC_DSCALE_MAX: dscale has 14 bits
constexpr int32_t kMaxDivisionScale = 1000;       // NUMERIC_MAX_DISPLAY_SCALE
constexpr int32_t kMinSignificantDigits = 16;     // NUMERIC_MIN_SIG_DIGITS
constexpr long kMaxInputExponent = INT_MAX / 2;   // set_var_from_str's bound on an exponent

[[noreturn]] void overflow() { raise_sql_error("value overflows numeric format"); }

bool is_infinite(const Decimal& value) {
  return value.kind == DecimalKind::kPositiveInfinity || value.kind == DecimalKind::kNegativeInfinity;
}

// -1, 0 or 1 for a value that is not NaN (numeric_sign_internal).
int sign_of(const Decimal& value) {
  switch (value.kind) {
    case DecimalKind::kPositiveInfinity: return 1;
    case DecimalKind::kNegativeInfinity: return -1;
    default: return value.coefficient.is_zero() ? 0 : (value.negative ? -1 : 1);
  }
}

int64_t floor_divide(int64_t numerator, int64_t denominator) {
  int64_t quotient = numerator / denominator;
  return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
}

// Decimal exponent of the leading digit of a non-zero value: |value| is in [10^e, 10^(e+1)).
int64_t decimal_exponent(const BigNatural& coefficient, int64_t scale) { return coefficient.digit_count() - 1 - scale; }

// make_result: a finite result within numeric's limits (the base-10000 weight must fit an int16
// and dscale 14 bits); zero loses its sign.
Decimal make_result(bool negative, int64_t scale, BigNatural coefficient) {
  if (scale > kMaxDisplayScale) overflow();
  if (!coefficient.is_zero() &&
      floor_divide(decimal_exponent(coefficient, scale), kDecimalDigitsPerNbaseDigit) > kMaxWeight) {
    overflow();
  }
  bool is_negative = negative && !coefficient.is_zero();
  return Decimal{DecimalKind::kFinite, is_negative, static_cast<int32_t>(scale), std::move(coefficient)};
}

// The coefficient of `value` written with `scale` (>= value.scale) fraction digits.
BigNatural aligned(const Decimal& value, int32_t scale) { return value.coefficient.times_power_of_ten(scale - value.scale); }

// coefficient / 10^digits, rounded half away from zero (round_var on a magnitude).
BigNatural drop_digits_rounded(const BigNatural& coefficient, int64_t digits) {
  if (digits <= 0) return coefficient;
  if (digits > coefficient.digit_count()) return BigNatural();  // below 0.1 of the last place kept
  BigNatural with_guard = coefficient.divided_by_power_of_ten(digits - 1);
  BigNatural kept = with_guard.divided_by_power_of_ten(1);
  bool round_up = (with_guard - kept.times_power_of_ten(1)) >= BigNatural(5);
  return round_up ? kept + BigNatural(1) : kept;
}

// select_div_scale needs PostgreSQL's base-10000 weight and first digit of each operand.
struct NbaseLead {
  int64_t weight = 0;
  int first_digit = 0;
};

NbaseLead nbase_lead(const Decimal& value) {
  NbaseLead lead;
  if (value.coefficient.is_zero()) return lead;
  int64_t exponent = decimal_exponent(value.coefficient, value.scale);
  lead.weight = floor_divide(exponent, kDecimalDigitsPerNbaseDigit);
  // The first base-10000 digit holds the decimal digits from `exponent` down to 4 * weight.
  int64_t leading = exponent - lead.weight * kDecimalDigitsPerNbaseDigit + 1;
  int64_t digits = value.coefficient.digit_count();
  BigNatural first = digits >= leading ? value.coefficient.divided_by_power_of_ten(digits - leading)
                                       : value.coefficient.times_power_of_ten(leading - digits);
  lead.first_digit = static_cast<int>(first.to_uint64().value_or(0));
  return lead;
}

int32_t select_division_scale(const Decimal& left, const Decimal& right) {
  NbaseLead dividend = nbase_lead(left);
  NbaseLead divisor = nbase_lead(right);
  // Estimated weight of the quotient; with equal first digits PostgreSQL assumes the smaller.
  int64_t quotient_weight = dividend.weight - divisor.weight;
  if (dividend.first_digit <= divisor.first_digit) --quotient_weight;
  int64_t scale = kMinSignificantDigits - quotient_weight * kDecimalDigitsPerNbaseDigit;
  scale = std::max<int64_t>({scale, left.scale, right.scale, 0});
  return static_cast<int32_t>(std::min<int64_t>(scale, kMaxDivisionScale));
}

[[noreturn]] void division_by_zero() { raise_sql_error("division by zero"); }

// The signed integer of `magnitude` and `negative` when it fits `bits` bits.
std::optional<int64_t> signed_within(std::optional<uint64_t> magnitude, bool negative, int bits) {
  const uint64_t limit = uint64_t{1} << (bits - 1);
  if (!magnitude || *magnitude > limit || (*magnitude == limit && !negative)) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - *magnitude) : static_cast<int64_t>(*magnitude);
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool starts_with_ignoring_case(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t index = 0; index < word.size(); ++index) {
    if (std::tolower(static_cast<unsigned char>(text[index])) != std::tolower(static_cast<unsigned char>(word[index]))) {
      return false;
    }
  }
  return true;
}

// What the text says as a double, as float8in reads it: strtod, with an error only for what
// rounds to zero or overflows (strtod flags denormals too, which PostgreSQL accepts).
double read_double(const std::string& text) {
  errno = 0;
  double value = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && (value == 0 || std::isinf(value))) {
    raise_sql_error("\"" + text + "\" is out of range for type double precision");
  }
  return value;
}

}  // namespace

Decimal Decimal::from_int(int64_t value) {
  uint64_t magnitude = value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  return Decimal{DecimalKind::kFinite, value < 0, 0, BigNatural(magnitude)};
}

Decimal parse_decimal(std::string_view text) {
  auto bad = [&]() -> Decimal {
    raise_sql_error("invalid input syntax for type numeric: \"" + std::string(text) + "\"");
  };
  size_t position = 0;
  while (position < text.size() && is_space(text[position])) ++position;
  auto only_spaces_after = [&](size_t from) {
    for (size_t index = from; index < text.size(); ++index) {
      if (!is_space(text[index])) return false;
    }
    return true;
  };
  // numeric_in tries these prefixes in this order, then allows only trailing white space.
  static constexpr std::pair<std::string_view, DecimalKind> kSpecialWords[] = {
      {"NaN", DecimalKind::kNaN},
      {"Infinity", DecimalKind::kPositiveInfinity},
      {"+Infinity", DecimalKind::kPositiveInfinity},
      {"-Infinity", DecimalKind::kNegativeInfinity},
      {"inf", DecimalKind::kPositiveInfinity},
      {"+inf", DecimalKind::kPositiveInfinity},
      {"-inf", DecimalKind::kNegativeInfinity},
  };
  std::string_view rest = text.substr(position);
  for (const auto& [word, kind] : kSpecialWords) {
    if (starts_with_ignoring_case(rest, word)) {
      if (!only_spaces_after(position + word.size())) bad();
      return Decimal{kind, false, 0, {}};
    }
  }

  // set_var_from_str.
  bool negative = false;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) negative = text[position++] == '-';
  std::string digits;
  int64_t fraction_digits = 0;
  bool seen_point = false;
  if (position < text.size() && text[position] == '.') {
    seen_point = true;
    ++position;
  }
  if (position >= text.size() || !std::isdigit(static_cast<unsigned char>(text[position]))) bad();
  for (; position < text.size(); ++position) {
    char c = text[position];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
      if (seen_point) ++fraction_digits;
    } else if (c == '.') {
      if (seen_point) bad();
      seen_point = true;
    } else {
      break;
    }
  }
  int64_t exponent = 0;
  if (position < text.size() && (text[position] == 'e' || text[position] == 'E')) {
    // strtol: optional white space and sign, then digits; it saturates on overflow, which the
    // exponent bound then reports (before any trailing junk is looked at, as in PostgreSQL).
    size_t cursor = position + 1;
    while (cursor < text.size() && is_space(text[cursor])) ++cursor;
    bool exponent_negative = false;
    if (cursor < text.size() && (text[cursor] == '+' || text[cursor] == '-')) exponent_negative = text[cursor++] == '-';
    if (cursor >= text.size() || !std::isdigit(static_cast<unsigned char>(text[cursor]))) bad();
    long magnitude = 0;
    for (; cursor < text.size() && std::isdigit(static_cast<unsigned char>(text[cursor])); ++cursor) {
      if (magnitude < kMaxInputExponent) magnitude = magnitude * 10 + (text[cursor] - '0');
    }
    if (magnitude >= kMaxInputExponent) overflow();
    exponent = exponent_negative ? -magnitude : magnitude;
    position = cursor;
  }
  if (!only_spaces_after(position)) bad();

  // value = digits * 10^(exponent - fraction_digits), shown with max(0, fraction_digits -
  // exponent) fraction digits.
  int64_t scale = std::max<int64_t>(0, fraction_digits - exponent);
  if (scale > kMaxDisplayScale) overflow();
  size_t first_significant = digits.find_first_not_of('0');
  if (first_significant == std::string::npos) return make_result(false, scale, BigNatural());
  std::string_view significant = std::string_view(digits).substr(first_significant);
  // Check the weight before building the coefficient, so that 1e1000000 costs nothing.
  int64_t leading_exponent = static_cast<int64_t>(significant.size()) - 1 + exponent - fraction_digits;
  if (floor_divide(leading_exponent, kDecimalDigitsPerNbaseDigit) > kMaxWeight) overflow();
  BigNatural coefficient = BigNatural::from_digits(significant).times_power_of_ten(scale - fraction_digits + exponent);
  return make_result(negative, scale, std::move(coefficient));
}

std::string format_decimal(const Decimal& value) {
  switch (value.kind) {
    case DecimalKind::kNaN: return "NaN";
    case DecimalKind::kPositiveInfinity: return "Infinity";
    case DecimalKind::kNegativeInfinity: return "-Infinity";
    case DecimalKind::kFinite: break;
  }
  std::string digits = value.coefficient.to_digits();
  if (value.scale > 0) {
    auto scale = static_cast<size_t>(value.scale);
    if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    digits.insert(digits.size() - scale, ".");
  }
  return (value.negative ? "-" : "") + digits;
}

int compare_decimal(const Decimal& left, const Decimal& right) {
  if (left.is_nan() || right.is_nan()) return left.is_nan() == right.is_nan() ? 0 : (left.is_nan() ? 1 : -1);
  if (!left.is_finite() || !right.is_finite()) {
    auto rank = [](const Decimal& value) {
      return value.kind == DecimalKind::kPositiveInfinity ? 1 : (value.kind == DecimalKind::kNegativeInfinity ? -1 : 0);
    };
    return rank(left) < rank(right) ? -1 : (rank(left) > rank(right) ? 1 : 0);
  }
  int left_sign = sign_of(left);
  int right_sign = sign_of(right);
  if (left_sign != right_sign) return left_sign < right_sign ? -1 : 1;
  int32_t scale = std::max(left.scale, right.scale);
  std::strong_ordering magnitude = aligned(left, scale) <=> aligned(right, scale);
  int result = magnitude < 0 ? -1 : (magnitude > 0 ? 1 : 0);
  return left_sign < 0 ? -result : result;
}

Decimal decimal_add(const Decimal& left, const Decimal& right) {
  if (left.is_nan() || right.is_nan()) return Decimal::make_nan();
  if (is_infinite(left) || is_infinite(right)) {
    // Inf + -Inf is NaN; otherwise an infinity wins.
    if (is_infinite(left) && is_infinite(right) && left.kind != right.kind) return Decimal::make_nan();
    return is_infinite(left) ? left : right;
  }
  int32_t scale = std::max(left.scale, right.scale);
  BigNatural a = aligned(left, scale);
  BigNatural b = aligned(right, scale);
  if (left.negative == right.negative) return make_result(left.negative, scale, a + b);
  if (a >= b) return make_result(left.negative, scale, a - b);
  return make_result(right.negative, scale, b - a);
}

Decimal decimal_subtract(const Decimal& left, const Decimal& right) {
  // numeric_sub's special cases are exactly numeric_add's with the right side negated.
  return decimal_add(left, decimal_negate(right));
}

Decimal decimal_multiply(const Decimal& left, const Decimal& right) {
  if (left.is_nan() || right.is_nan()) return Decimal::make_nan();
  if (is_infinite(left) || is_infinite(right)) {
    int sign = sign_of(left) * sign_of(right);
    if (sign == 0) return Decimal::make_nan();  // Inf * 0
    return Decimal::make_infinity(sign < 0);
  }
  bool negative = left.negative != right.negative;
  if (!left.coefficient.is_zero() && !right.coefficient.is_zero() &&
      floor_divide(decimal_exponent(left.coefficient, left.scale) + decimal_exponent(right.coefficient, right.scale),
                   kDecimalDigitsPerNbaseDigit) > kMaxWeight) {
    overflow();  // the product is at least 10^(sum of exponents): no need to compute it
  }
  // The exact product, rounded only if it has more fraction digits than numeric can store.
  int64_t scale = static_cast<int64_t>(left.scale) + right.scale;
  BigNatural product = left.coefficient * right.coefficient;
  if (scale > kMaxDisplayScale) {
    product = drop_digits_rounded(product, scale - kMaxDisplayScale);
    scale = kMaxDisplayScale;
  }
  return make_result(negative, scale, std::move(product));
}

Decimal decimal_divide(const Decimal& left, const Decimal& right) {
  if (left.is_nan() || right.is_nan()) return Decimal::make_nan();
  if (is_infinite(left)) {
    if (is_infinite(right)) return Decimal::make_nan();
    int sign = sign_of(right);
    if (sign == 0) division_by_zero();
    return Decimal::make_infinity((left.kind == DecimalKind::kNegativeInfinity) != (sign < 0));
  }
  if (is_infinite(right)) return Decimal::from_int(0);  // numeric does not underflow
  int32_t scale = select_division_scale(left, right);
  if (right.coefficient.is_zero()) division_by_zero();
  // Truncate the exact quotient one digit beyond `scale`, then round on that digit: the same
  // as rounding the exact quotient half away from zero.
  int64_t shift = static_cast<int64_t>(scale) + 1 - left.scale + right.scale;
  BigNatural numerator = shift >= 0 ? left.coefficient.times_power_of_ten(shift) : left.coefficient;
  BigNatural denominator = shift >= 0 ? right.coefficient : right.coefficient.times_power_of_ten(-shift);
  BigNatural quotient = divide(numerator, denominator).first;
  return make_result(left.negative != right.negative, scale, drop_digits_rounded(quotient, 1));
}

Decimal decimal_modulo(const Decimal& left, const Decimal& right) {
  if (left.is_nan() || right.is_nan()) return Decimal::make_nan();
  if (is_infinite(left)) {
    if (sign_of(right) == 0) division_by_zero();
    return Decimal::make_nan();  // Inf % anything non-zero
  }
  if (is_infinite(right)) return left;  // x % ±Inf = x, as fmod
  if (right.coefficient.is_zero()) division_by_zero();
  // x - trunc(x / y) * y: the remainder of the aligned coefficients, with the sign of x.
  int32_t scale = std::max(left.scale, right.scale);
  BigNatural remainder = divide(aligned(left, scale), aligned(right, scale)).second;
  return make_result(left.negative, scale, std::move(remainder));
}

Decimal decimal_negate(const Decimal& value) {
  switch (value.kind) {
    case DecimalKind::kNaN: return value;
    case DecimalKind::kPositiveInfinity: return Decimal::make_infinity(true);
    case DecimalKind::kNegativeInfinity: return Decimal::make_infinity(false);
    case DecimalKind::kFinite: break;
  }
  Decimal result = value;
  result.negative = !value.negative && !value.coefficient.is_zero();
  return result;
}

Decimal decimal_abs(const Decimal& value) {
  if (value.kind == DecimalKind::kNegativeInfinity) return Decimal::make_infinity(false);
  Decimal result = value;
  result.negative = false;
  return result;
}

int64_t decimal_to_int(const Decimal& value, int bits) {
  const std::string name = bits == 16 ? "smallint" : bits == 32 ? "integer" : "bigint";
  if (value.is_nan()) raise_sql_error("cannot convert NaN to " + name);
  if (is_infinite(value)) raise_sql_error("cannot convert infinity to " + name);
  auto out_of_range = [&]() -> int64_t { raise_sql_error(name + " out of range"); };
  // Anything from 10^20 on is out of range even for bigint; skip rounding such values.
  if (!value.coefficient.is_zero() && decimal_exponent(value.coefficient, value.scale) >= 20) out_of_range();
  std::optional<int64_t> result =
      signed_within(drop_digits_rounded(value.coefficient, value.scale).to_uint64(), value.negative, bits);
  return result ? *result : out_of_range();
}

std::optional<int64_t> decimal_to_exact_int64(const Decimal& value) {
  if (!value.is_finite() || value.scale != 0) return std::nullopt;
  return signed_within(value.coefficient.to_uint64(), value.negative, 64);
}

double decimal_to_double(const Decimal& value) {
  switch (value.kind) {
    case DecimalKind::kNaN: return std::numeric_limits<double>::quiet_NaN();
    case DecimalKind::kPositiveInfinity: return std::numeric_limits<double>::infinity();
    case DecimalKind::kNegativeInfinity: return -std::numeric_limits<double>::infinity();
    case DecimalKind::kFinite: break;
  }
  return read_double(format_decimal(value));
}

Decimal decimal_from_double(double value) {
  if (std::isnan(value)) return Decimal::make_nan();
  if (std::isinf(value)) return Decimal::make_infinity(value < 0);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.15g", value);  // DBL_DIG
  return parse_decimal(buffer);
}

Decimal decimal_from_float(float value) {
  if (std::isnan(value)) return Decimal::make_nan();
  if (std::isinf(value)) return Decimal::make_infinity(value < 0);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.6g", static_cast<double>(value));  // FLT_DIG
  return parse_decimal(buffer);
}

}  // namespace weftkit::policy
