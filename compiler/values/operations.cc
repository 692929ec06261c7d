// Arithmetic, comparison, casts and text functions with PostgreSQL's results and errors.
#include "compiler/values/operations.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "compiler/values/datetime.h"
#include "compiler/values/int128.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

int bits_of(TypeId type) { return type == TypeId::kInt2 ? 16 : type == TypeId::kInt4 ? 32 : 64; }

[[noreturn]] void integer_out_of_range(TypeId type) {
  raise_sql_error(std::string(type_name(type)) + " out of range");
}

int64_t checked_integer(Int128 value, TypeId type) {
  Int128 limit = static_cast<Int128>(1) << (bits_of(type) - 1);
  if (value < -limit || value >= limit) integer_out_of_range(type);
  return static_cast<int64_t>(value);
}

int compare_floats(double left, double right) {
  bool left_nan = std::isnan(left);
  bool right_nan = std::isnan(right);
  if (left_nan || right_nan) return left_nan == right_nan ? 0 : (left_nan ? 1 : -1);
  return left < right ? -1 : (left > right ? 1 : 0);
}

[[noreturn]] void float_overflow() { raise_sql_error("value out of range: overflow"); }
[[noreturn]] void float_underflow() { raise_sql_error("value out of range: underflow"); }

template <class Float>
Float float_arithmetic(ArithmeticOp op, Float left, Float right) {
  Float result = 0;
  switch (op) {
    case ArithmeticOp::kAdd:
      result = left + right;
      if (std::isinf(result) && !std::isinf(left) && !std::isinf(right)) float_overflow();
      return result;
    case ArithmeticOp::kSubtract:
      result = left - right;
      if (std::isinf(result) && !std::isinf(left) && !std::isinf(right)) float_overflow();
      return result;
    case ArithmeticOp::kMultiply:
      result = left * right;
      if (std::isinf(result) && !std::isinf(left) && !std::isinf(right)) float_overflow();
      if (result == 0 && left != 0 && right != 0) float_underflow();
      return result;
    case ArithmeticOp::kDivide:
      if (right == 0 && !std::isnan(left)) raise_sql_error("division by zero");
      result = left / right;
      if (std::isinf(result) && !std::isinf(left)) float_overflow();
      if (result == 0 && left != 0 && !std::isinf(right)) float_underflow();
      return result;
    case ArithmeticOp::kModulo: break;
  }
  raise_sql_error("operator does not exist for floating point modulo");
}

int64_t integer_arithmetic(ArithmeticOp op, int64_t left, int64_t right, TypeId type) {
  Int128 a = left;
  Int128 b = right;
  switch (op) {
    case ArithmeticOp::kAdd: return checked_integer(a + b, type);
    case ArithmeticOp::kSubtract: return checked_integer(a - b, type);
    case ArithmeticOp::kMultiply: return checked_integer(a * b, type);
    case ArithmeticOp::kDivide:
      if (right == 0) raise_sql_error("division by zero");
      return checked_integer(a / b, type);
    case ArithmeticOp::kModulo:
      if (right == 0) raise_sql_error("division by zero");
      return static_cast<int64_t>(a % b);  // x % -1 is 0, never an overflow
  }
  return 0;
}

// PostgreSQL rounds float-to-integer casts with rint (half to even) and checks the range.
int64_t float_to_integer(double value, TypeId type) {
  double rounded = std::rint(value);
  double limit = std::ldexp(1.0, bits_of(type) - 1);
  if (std::isnan(rounded) || rounded < -limit || rounded >= limit) integer_out_of_range(type);
  return static_cast<int64_t>(rounded);
}

float double_to_float(double value) {
  float result = static_cast<float>(value);
  if (std::isinf(result) && !std::isinf(value)) float_overflow();
  if (result == 0 && value != 0) float_underflow();
  return result;
}

std::string bounded_text(std::string text, const SqlType& to, CastMode mode) {
  if (to.max_length < 0) return text;
  // Find the byte offset of the (max_length)th character.
  int64_t characters = 0;
  size_t cut = text.size();
  for (size_t index = 0; index < text.size(); ++index) {
    if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80) {
      if (characters == to.max_length) {
        cut = index;
        break;
      }
      ++characters;
    }
  }
  if (cut == text.size()) return text;
  if (mode == CastMode::kAssignment || mode == CastMode::kImplicit) {
    // An assignment may only drop trailing spaces.
    if (text.find_first_not_of(' ', cut) != std::string::npos) {
      raise_sql_error("value too long for type character varying(" + std::to_string(to.max_length) + ")");
    }
  }
  return text.substr(0, cut);
}



// PostgreSQL's LIKE matcher (utils/adt/like_match.c), byte-wise with '_' taking a whole UTF-8
// character. Kept structurally identical because the error for a pattern ending in the escape
// character is raised only if matching reaches it.
enum class LikeResult { kFalse, kTrue, kAbort };

size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
}

[[noreturn]] void like_ends_with_escape() { raise_sql_error("LIKE pattern must not end with escape character"); }

LikeResult match_like(std::string_view t, std::string_view p) {
  if (p == "%") return LikeResult::kTrue;
  auto next_char = [](std::string_view& s) { s.remove_prefix(std::min(s.size(), utf8_length(static_cast<unsigned char>(s[0])))); };
  auto next_byte = [](std::string_view& s) { s.remove_prefix(1); };
  while (!t.empty() && !p.empty()) {
    if (p[0] == '\\') {
      next_byte(p);
      if (p.empty()) like_ends_with_escape();
      if (p[0] != t[0]) return LikeResult::kFalse;
    } else if (p[0] == '%') {
      next_byte(p);
      while (!p.empty()) {
        if (p[0] == '%') {
          next_byte(p);
        } else if (p[0] == '_') {
          if (t.empty()) return LikeResult::kAbort;
          next_char(t);
          next_byte(p);
        } else {
          break;
        }
      }
      if (p.empty()) return LikeResult::kTrue;
      char first;
      if (p[0] == '\\') {
        if (p.size() < 2) like_ends_with_escape();
        first = p[1];
      } else {
        first = p[0];
      }
      while (!t.empty()) {
        if (t[0] == first) {
          LikeResult matched = match_like(t, p);
          if (matched != LikeResult::kFalse) return matched;
        }
        next_char(t);
      }
      return LikeResult::kAbort;
    } else if (p[0] == '_') {
      next_char(t);
      next_byte(p);
      continue;
    } else if (p[0] != t[0]) {
      return LikeResult::kFalse;
    }
    next_byte(t);
    next_byte(p);
  }
  if (!t.empty()) return LikeResult::kFalse;
  while (!p.empty() && p[0] == '%') next_byte(p);
  return p.empty() ? LikeResult::kTrue : LikeResult::kAbort;
}

// PostgreSQL's like_escape: rewrites a pattern with a custom (or no) escape character into the
// backslash form the matcher reads.
std::string like_escape(std::string_view pattern, std::string_view escape) {
  std::string out;
  if (escape.empty()) {
    for (char c : pattern) {
      if (c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    return out;
  }
  size_t escape_length = utf8_length(static_cast<unsigned char>(escape[0]));
  if (escape_length != escape.size()) raise_sql_error("invalid escape string");
  if (escape == "\\") return std::string(pattern);
  bool after_escape = false;
  for (size_t index = 0; index < pattern.size();) {
    size_t length = std::min(pattern.size() - index, utf8_length(static_cast<unsigned char>(pattern[index])));
    std::string_view current = pattern.substr(index, length);
    if (current == escape && !after_escape) {
      out.push_back('\\');
      after_escape = true;
    } else if (current == "\\") {
      out.push_back('\\');
      if (!after_escape) out.push_back('\\');
      after_escape = false;
    } else {
      out.append(current);
      after_escape = false;
    }
    index += length;
  }
  return out;
}

}  // namespace

int compare_values(const Value& left, const Value& right) {
  switch (left.type) {
    case TypeId::kFloat4:
    case TypeId::kFloat8: return compare_floats(left.real, right.real);
    case TypeId::kNumeric: return compare_decimal(left.decimal, right.decimal);
    case TypeId::kText:
    case TypeId::kUnknown:
    case TypeId::kUuid: {
      int result = left.text.compare(right.text);  // std::string compares bytes as unsigned char
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    default: return left.integer < right.integer ? -1 : (left.integer > right.integer ? 1 : 0);
  }
}

// date + days, days + date, date - days, date - date, with PostgreSQL's range and infinity rules.
Value date_arithmetic(ArithmeticOp op, const Value& left, const Value& right) {
  if (left.type == TypeId::kDate && right.type == TypeId::kDate) {
    if (left.integer == kDatePositiveInfinity || left.integer == kDateNegativeInfinity ||
        right.integer == kDatePositiveInfinity || right.integer == kDateNegativeInfinity) {
      raise_sql_error("cannot subtract infinite dates");
    }
    return Value::integer_of(TypeId::kInt4, left.integer - right.integer);
  }
  const Value& date = left.type == TypeId::kDate ? left : right;
  const Value& days = left.type == TypeId::kDate ? right : left;
  if (date.integer == kDatePositiveInfinity || date.integer == kDateNegativeInfinity) return date;
  int64_t result = op == ArithmeticOp::kSubtract ? date.integer - days.integer : date.integer + days.integer;
  if (result < kDateRangeBegin || result >= kDateRangeEnd) raise_sql_error("date out of range");
  return Value::date(static_cast<int32_t>(result));
}

Value apply_arithmetic(ArithmeticOp op, const Value& left, const Value& right, TypeId type) {
  if (left.type == TypeId::kDate || right.type == TypeId::kDate) return date_arithmetic(op, left, right);
  switch (type) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return Value::integer_of(type, integer_arithmetic(op, left.integer, right.integer, type));
    case TypeId::kFloat4:
      return Value::real_of(type, float_arithmetic<float>(op, static_cast<float>(left.real), static_cast<float>(right.real)));
    case TypeId::kFloat8: return Value::real_of(type, float_arithmetic<double>(op, left.real, right.real));
    case TypeId::kNumeric:
      switch (op) {
        case ArithmeticOp::kAdd: return Value::numeric(decimal_add(left.decimal, right.decimal));
        case ArithmeticOp::kSubtract: return Value::numeric(decimal_subtract(left.decimal, right.decimal));
        case ArithmeticOp::kMultiply: return Value::numeric(decimal_multiply(left.decimal, right.decimal));
        case ArithmeticOp::kDivide: return Value::numeric(decimal_divide(left.decimal, right.decimal));
        case ArithmeticOp::kModulo: return Value::numeric(decimal_modulo(left.decimal, right.decimal));
      }
      break;
    default: break;
  }
  raise_sql_error("internal error: arithmetic on " + std::string(type_name(type)));
}

Value negate_value(const Value& value) {
  switch (value.type) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return Value::integer_of(value.type, checked_integer(-static_cast<Int128>(value.integer), value.type));
    case TypeId::kFloat4:
    case TypeId::kFloat8: return Value::real_of(value.type, -value.real);
    case TypeId::kNumeric: return Value::numeric(decimal_negate(value.decimal));
    default: break;
  }
  raise_sql_error("internal error: negation of " + std::string(type_name(value.type)));
}

Value abs_value(const Value& value) {
  switch (value.type) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
      return Value::integer_of(value.type, checked_integer(value.integer < 0 ? -static_cast<Int128>(value.integer)
                                                                             : static_cast<Int128>(value.integer),
                                                           value.type));
    case TypeId::kFloat4:
    case TypeId::kFloat8: return Value::real_of(value.type, std::fabs(value.real));
    case TypeId::kNumeric: return Value::numeric(decimal_abs(value.decimal));
    default: break;
  }
  raise_sql_error("internal error: abs of " + std::string(type_name(value.type)));
}

bool cast_exists(TypeId from, TypeId to, CastMode mode) {
  if (from == to || from == TypeId::kUnknown) return true;
  // Every type converts to text through its output function in an explicit or assignment
  // cast, and from text through its input function in an explicit cast.
  if (to == TypeId::kText) return mode != CastMode::kImplicit;
  if (from == TypeId::kText) return mode == CastMode::kExplicit;
  const bool explicit_cast = mode == CastMode::kExplicit;
  const bool assignment_or_explicit = mode != CastMode::kImplicit;
  if (is_numeric_category(from) && is_numeric_category(to)) {
    // Widening casts are implicit; narrowing ones need an assignment or explicit cast.
    auto rank = [](TypeId type) {
      switch (type) {
        case TypeId::kInt2: return 0;
        case TypeId::kInt4: return 1;
        case TypeId::kInt8: return 2;
        case TypeId::kNumeric: return 3;
        case TypeId::kFloat4: return 4;
        case TypeId::kFloat8: return 5;
        default: return 6;
      }
    };
    return rank(to) > rank(from) || assignment_or_explicit;
  }
  if (from == TypeId::kBool && to == TypeId::kInt4) return explicit_cast;
  if (from == TypeId::kInt4 && to == TypeId::kBool) return explicit_cast;
  if (from == TypeId::kDate && (to == TypeId::kTimestamp || to == TypeId::kTimestamptz)) return true;
  if (from == TypeId::kTimestamp && to == TypeId::kTimestamptz) return true;
  if ((from == TypeId::kTimestamp || from == TypeId::kTimestamptz) && to == TypeId::kDate) return assignment_or_explicit;
  if (from == TypeId::kTimestamptz && to == TypeId::kTimestamp) return assignment_or_explicit;
  return false;
}

Value cast_value(const Value& value, const SqlType& to, CastMode mode) {
  if (value.is_null) return Value::null_of(to.id);
  const TypeId from = value.type;
  if (to.id == TypeId::kText) {
    std::string text = from == TypeId::kBool ? (value.integer ? "true" : "false") : format_value(value);
    return Value::text_of(bounded_text(std::move(text), to, mode));
  }
  if (from == to.id) return value;
  if (from == TypeId::kText || from == TypeId::kUnknown) return parse_value(value.text, to.id);
  switch (to.id) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
      if (is_integer_type(from)) return Value::integer_of(to.id, checked_integer(value.integer, to.id));
      if (is_float_type(from)) return Value::integer_of(to.id, float_to_integer(value.real, to.id));
      if (from == TypeId::kNumeric) return Value::integer_of(to.id, decimal_to_int(value.decimal, bits_of(to.id)));
      if (from == TypeId::kBool) return Value::integer_of(to.id, value.integer);
      break;
    case TypeId::kFloat4:
      if (is_integer_type(from)) return Value::real_of(to.id, static_cast<float>(value.integer));
      if (from == TypeId::kFloat8) return Value::real_of(to.id, double_to_float(value.real));
      if (from == TypeId::kNumeric) return parse_value(format_decimal(value.decimal), TypeId::kFloat4);
      break;
    case TypeId::kFloat8:
      if (is_integer_type(from)) return Value::real_of(to.id, static_cast<double>(value.integer));
      if (from == TypeId::kFloat4) return Value::real_of(to.id, value.real);
      if (from == TypeId::kNumeric) return Value::real_of(to.id, decimal_to_double(value.decimal));
      break;
    case TypeId::kNumeric:
      if (is_integer_type(from)) return Value::numeric(Decimal::from_int(value.integer));
      if (from == TypeId::kFloat8) return Value::numeric(decimal_from_double(value.real));
      if (from == TypeId::kFloat4) return Value::numeric(decimal_from_float(static_cast<float>(value.real)));
      break;
    case TypeId::kBool:
      if (from == TypeId::kInt4) return Value::boolean(value.integer != 0);
      break;
    case TypeId::kDate:
      if (from == TypeId::kTimestamp || from == TypeId::kTimestamptz) {
        return Value::date(timestamp_to_date(value.integer));
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz:
      if (from == TypeId::kDate) {
        // Cross-type comparisons treat a date beyond the timestamp range as infinity
        // (date2timestamp_no_overflow); a real cast raises.
        if (mode == CastMode::kCrossTypeOperand && value.integer >= kTimestampRangeEnd) {
          return Value::timestamp(to.id, kTimestampPositiveInfinity);
        }
        return Value::timestamp(to.id, date_to_timestamp(static_cast<int32_t>(value.integer)));
      }
      // The session time zone is UTC, so the instant and the wall-clock time coincide.
      if (from == TypeId::kTimestamp || from == TypeId::kTimestamptz) return Value::timestamp(to.id, value.integer);
      break;
    default: break;
  }
  raise_sql_error("cannot cast type " + std::string(type_name(from)) + " to " + type_display_name(to));
}

Value concat_text(const Value& left, const Value& right) { return Value::text_of(left.text + right.text); }

Value lower_text(const Value& value) {
  std::string text = value.text;
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return Value::text_of(std::move(text));
}

Value upper_text(const Value& value) {
  std::string text = value.text;
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return Value::text_of(std::move(text));
}

Value text_length(const Value& value) { return Value::integer_of(TypeId::kInt4, character_count(value.text)); }

bool like_matches(std::string_view text, std::string_view pattern, const std::optional<std::string>& escape,
                  bool case_insensitive) {
  std::string subject(text);
  std::string compiled = escape ? like_escape(pattern, *escape) : std::string(pattern);
  if (case_insensitive) {
    // ILIKE lowers both sides first; in the C locale only ASCII letters change.
    subject = lower_text(Value::text_of(subject)).text;
    compiled = lower_text(Value::text_of(compiled)).text;
  }
  return match_like(subject, compiled) == LikeResult::kTrue;
}

}  // namespace weftkit::policy
