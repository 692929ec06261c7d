// PostgreSQL's input and output functions for the policy language's types.
#include <cctype>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "compiler/values/big_natural.h"
#include "compiler/values/datetime.h"
#include "compiler/values/int128.h"
#include "compiler/values/sql_error.h"
#include "compiler/values/value.h"

namespace weftkit::policy {
namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

int64_t parse_integer(std::string_view original, TypeId type) {
  std::string_view text = trim_spaces(original);
  auto bad = [&]() -> int64_t {
    raise_sql_error("invalid input syntax for type " + std::string(type_name(type)) + ": " + quoted(original));
  };
  if (text.empty()) bad();
  bool negative = false;
  size_t index = 0;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    ++index;
  }
  if (index == text.size()) bad();
  // Accumulate negatively so that the most negative value fits.
  Int128 value = 0;
  bool overflow = false;
  for (; index < text.size(); ++index) {
    if (!std::isdigit(static_cast<unsigned char>(text[index]))) bad();
    value = value * 10 - (text[index] - '0');
    if (value < -(static_cast<Int128>(1) << 64)) overflow = true, value = -(static_cast<Int128>(1) << 64);
  }
  if (!negative) value = -value;
  int bits = type == TypeId::kInt2 ? 16 : type == TypeId::kInt4 ? 32 : 64;
  Int128 limit = static_cast<Int128>(1) << (bits - 1);
  if (overflow || value < -limit || value >= limit) {
    raise_sql_error("value " + quoted(original) + " is out of range for type " + std::string(type_name(type)));
  }
  return static_cast<int64_t>(value);
}

double parse_floating(std::string_view original, TypeId type) {
  std::string text(trim_spaces(original));
  std::string lowered;
  for (char c : text) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto bad = [&]() -> double {
    raise_sql_error("invalid input syntax for type " + std::string(type_name(type)) + ": " + quoted(original));
  };
  if (lowered == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (lowered == "infinity" || lowered == "+infinity" || lowered == "inf" || lowered == "+inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (lowered == "-infinity" || lowered == "-inf") return -std::numeric_limits<double>::infinity();
  if (text.empty()) bad();
  // strtod alone accepts hex and "nan(...)"; PostgreSQL's grammar is decimal only.
  for (char c : lowered) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != '+' && c != '-') bad();
  }
  errno = 0;
  char* end = nullptr;
  double value;
  if (type == TypeId::kFloat4) {
    value = std::strtof(text.c_str(), &end);
  } else {
    value = std::strtod(text.c_str(), &end);
  }
  if (end == text.c_str() || *end != '\0') bad();
  if (errno == ERANGE && (std::isinf(value) || value == 0)) {
    // strtod reports underflow for denormals too; PostgreSQL rejects only true zero/inf.
    if (std::isinf(value) || value == 0) {
      raise_sql_error(quoted(original) + " is out of range for type " + std::string(type_name(type)));
    }
  }
  return value;
}

bool parse_boolean(std::string_view original) {
  std::string_view text = trim_spaces(original);
  std::string lowered;
  for (char c : text) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto is_prefix = [&](std::string_view word, size_t minimum) {
    return lowered.size() >= minimum && lowered.size() <= word.size() && word.compare(0, lowered.size(), lowered) == 0;
  };
  if (is_prefix("true", 1) || is_prefix("yes", 1) || is_prefix("on", 2) || lowered == "1") return true;
  if (is_prefix("false", 1) || is_prefix("no", 1) || is_prefix("off", 2) || lowered == "0") return false;
  raise_sql_error("invalid input syntax for type boolean: " + quoted(original));
}

std::string parse_uuid(std::string_view text) {
  auto bad = [&]() -> std::string { raise_sql_error("invalid input syntax for type uuid: " + quoted(text)); };
  size_t position = 0;
  bool braces = false;
  if (!text.empty() && text[0] == '{') {
    braces = true;
    ++position;
  }
  std::string bytes;
  for (int index = 0; index < 16; ++index) {
    if (position + 2 > text.size()) bad();
    char high = text[position];
    char low = text[position + 1];
    if (!std::isxdigit(static_cast<unsigned char>(high)) || !std::isxdigit(static_cast<unsigned char>(low))) bad();
    bytes.push_back(static_cast<char>(std::stoi(std::string{high, low}, nullptr, 16)));
    position += 2;
    if (position < text.size() && text[position] == '-' && index % 2 == 1 && index < 15) ++position;
  }
  if (braces) {
    if (position >= text.size() || text[position] != '}') bad();
    ++position;
  }
  if (position != text.size()) bad();
  return bytes;
}

std::string format_uuid(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t index = 0; index < bytes.size(); ++index) {
    if (index == 4 || index == 6 || index == 8 || index == 10) out.push_back('-');
    auto byte = static_cast<unsigned char>(bytes[index]);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
  return out;
}

// Lays out shortest round-trip digits as PostgreSQL does: plain notation for decimal exponents
// in [-4, precision), otherwise d.ddde+XX.
std::string layout_shortest(const char* scientific, int precision) {
  std::string text(scientific);
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  size_t e = text.find('e');
  std::string mantissa = text.substr(0, e);
  int exponent = std::stoi(text.substr(e + 1));
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out;
  if (exponent < -4 || exponent >= precision) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += buffer;
  } else if (exponent < 0) {
    out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else if (static_cast<int>(digits.size()) <= exponent + 1) {
    out = digits + std::string(static_cast<size_t>(exponent + 1) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exponent + 1)) + "." + digits.substr(static_cast<size_t>(exponent + 1));
  }
  return (negative ? "-" : "") + out;
}

BigNatural power_of_two(int64_t exponent) {
  BigNatural result(1);
  for (; exponent >= 62; exponent -= 62) result = result * BigNatural(uint64_t{1} << 62);
  return result * BigNatural(uint64_t{1} << exponent);
}

// A finite non-negative float as mantissa × 2^exponent, exactly.
template <class Float>
std::pair<BigNatural, int64_t> exact_binary(Float value) {
  constexpr int kMantissaBits = std::numeric_limits<Float>::digits;
  int exponent = 0;
  Float fraction = std::frexp(value, &exponent);
  auto mantissa = static_cast<uint64_t>(std::ldexp(fraction, kMantissaBits));
  return {BigNatural(mantissa), static_cast<int64_t>(exponent) - kMantissaBits};
}

// Whether the decimal in `scientific` ("d.ddde±x", positive) lies exactly halfway between
// `value` and one of its neighbours.
template <class Float>
bool is_halfway(const char* scientific, Float value) {
  std::string_view text(scientific);
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int64_t decimal_exponent = std::stoll(std::string(text.substr(e + 1))) - static_cast<int64_t>(digits.size() - 1);
  BigNatural decimal = BigNatural::from_digits(digits);
  auto [mantissa, exponent] = exact_binary(value);
  for (Float toward : {Float(0), std::numeric_limits<Float>::infinity()}) {
    Float neighbour = std::nextafter(value, toward);
    if (!std::isfinite(neighbour)) continue;
    auto [other_mantissa, other_exponent] = exact_binary(neighbour);
    int64_t lowest = std::min(exponent, other_exponent);
    // midpoint = (mantissa·2^(exponent−lowest) + other·2^(other_exponent−lowest)) · 2^(lowest−1)
    BigNatural twice = mantissa * power_of_two(exponent - lowest) + other_mantissa * power_of_two(other_exponent - lowest);
    BigNatural left = decimal.times_power_of_ten(std::max<int64_t>(decimal_exponent, 0)) *
                      power_of_two(std::max<int64_t>(1 - lowest, 0));
    BigNatural right = twice.times_power_of_ten(std::max<int64_t>(-decimal_exponent, 0)) *
                       power_of_two(std::max<int64_t>(lowest - 1, 0));
    if (left == right) return true;
  }
  return false;
}

// The shortest digits that read back as `value`, as PostgreSQL's Ryu (src/common/d2s.c,
// f2s.c) chooses them: it never takes digits lying exactly halfway between two floats, where
// std::to_chars does when the float's mantissa is even — so 1e23 prints as
// 9.999999999999999e+22. Scientific notation; `value` positive and finite.
template <class Float>
std::string shortest_scientific(Float value) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer) - 1, value, std::chars_format::scientific);
  *result.ptr = '\0';
  if (!is_halfway(buffer, value)) return buffer;
  int shortest = static_cast<int>(std::string_view(buffer).find('e')) - 2;  // digits after the point
  for (int precision = std::max(shortest + 1, 0); precision < std::numeric_limits<Float>::max_digits10; ++precision) {
    result = std::to_chars(buffer, buffer + sizeof(buffer) - 1, value, std::chars_format::scientific, precision);
    *result.ptr = '\0';
    Float back = 0;
    std::from_chars(buffer, result.ptr, back);
    if (back == value && !is_halfway(buffer, value)) return buffer;
  }
  return buffer;
}

}  // namespace

std::string format_float8(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits = shortest_scientific(std::fabs(value));
  return layout_shortest(((value < 0 ? "-" : "") + digits).c_str(), 15);
}

std::string format_float4(float value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits = shortest_scientific(std::fabs(value));
  return layout_shortest(((value < 0 ? "-" : "") + digits).c_str(), 6);
}

int64_t character_count(std::string_view text) {
  int64_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Value parse_value(std::string_view text, TypeId type) {
  switch (type) {
    case TypeId::kBool: return Value::boolean(parse_boolean(text));
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return Value::integer_of(type, parse_integer(text, type));
    case TypeId::kFloat4: return Value::real_of(type, static_cast<float>(parse_floating(text, type)));
    case TypeId::kFloat8: return Value::real_of(type, parse_floating(text, type));
    case TypeId::kNumeric: return Value::numeric(parse_decimal(text));
    case TypeId::kText: return Value::text_of(std::string(text));
    case TypeId::kDate: return Value::date(parse_date(text));
    case TypeId::kTimestamp: return Value::timestamp(type, parse_timestamp(text));
    case TypeId::kTimestamptz: return Value::timestamp(type, parse_timestamptz(text));
    case TypeId::kUuid: return Value::uuid(parse_uuid(text));
    case TypeId::kUnknown: return Value::unknown_literal(std::string(text));
  }
  return Value::unknown_literal(std::string(text));
}

std::string format_value(const Value& value) {
  if (value.is_null) return "";
  switch (value.type) {
    case TypeId::kBool: return value.integer ? "t" : "f";
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return std::to_string(value.integer);
    case TypeId::kFloat4: return format_float4(static_cast<float>(value.real));
    case TypeId::kFloat8: return format_float8(value.real);
    case TypeId::kNumeric: return format_decimal(value.decimal);
    case TypeId::kText:
    case TypeId::kUnknown: return value.text;
    case TypeId::kDate: return format_date(static_cast<int32_t>(value.integer));
    case TypeId::kTimestamp: return format_timestamp(value.integer);
    case TypeId::kTimestamptz: return format_timestamptz(value.integer);
    case TypeId::kUuid: return format_uuid(value.text);
  }
  return value.text;
}

}  // namespace weftkit::policy
