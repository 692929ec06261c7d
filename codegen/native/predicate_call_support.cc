// The helpers generated predicate code calls (see predicate_helpers.h). No LLVM here.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

#include "codegen/native/native_values.h"
#include "codegen/native/predicate_helpers.h"
#include "compiler/values/int128.h"
#include "compiler/ir/node_semantics.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::native {
namespace {

// Text results of one condition's evaluation: a per-thread buffer, and heap blocks for what
// does not fit, freed at the next reset. Trivially destructible on purpose: a thread_local with
// a destructor would keep an ahead-of-time module's shared library loaded after dlclose for as
// long as any thread that ran it lives.
struct ScratchText {
  static constexpr size_t kInline = 8192;
  struct Block {
    Block* next;
  };
  Block* blocks;
  size_t used;
  char bytes[kInline];

  char* copy(std::string_view text) {
    char* out = allocate(text.size());
    std::memcpy(out, text.data(), text.size());
    return out;
  }

  // Room for `length` bytes and a terminating NUL (already written).
  char* allocate(size_t length) {
    size_t size = length + 1;
    char* out = nullptr;
    if (size <= kInline - used) {
      out = bytes + used;
      used += size;
    } else {
      auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
      if (block == nullptr) throw std::bad_alloc();
      block->next = blocks;
      blocks = block;
      out = reinterpret_cast<char*>(block + 1);
    }
    out[length] = '\0';
    return out;
  }

  void reset() {
    while (blocks != nullptr) {
      Block* next = blocks->next;
      std::free(blocks);
      blocks = next;
    }
    used = 0;
  }
};

static_assert(std::is_trivially_destructible_v<ScratchText>);
thread_local ScratchText scratch;  // zero-initialised: no blocks, nothing used

constexpr unsigned kMaxArgs = 2;

struct Operation {
  ExprKind kind;
  TypeId result;
  CastMode cast_mode;
  ArithmeticOp arithmetic;
  unsigned arg_count;
  TypeId arg_types[kMaxArgs];
};

Operation decode_operation(uint64_t bits) {
  Operation operation{};
  operation.kind = static_cast<ExprKind>(bits & 0xFF);
  operation.result = static_cast<TypeId>((bits >> 8) & 0xFF);
  operation.cast_mode = static_cast<CastMode>((bits >> 16) & 0xFF);
  operation.arithmetic = static_cast<ArithmeticOp>((bits >> 24) & 0xFF);
  operation.arg_count = static_cast<unsigned>((bits >> 32) & 0xFF);
  for (unsigned index = 0; index < kMaxArgs; ++index) {
    operation.arg_types[index] = static_cast<TypeId>((bits >> (40 + 8 * index)) & 0xFF);
  }
  return operation;
}

void write_null(NativeDatum* out) {
  *out = NativeDatum{};
}

std::string_view text_of(const NativeDatum& datum) { return {datum.data, static_cast<size_t>(datum.length)}; }

void write_text(NativeDatum* out, const char* data, size_t length) {
  *out = NativeDatum{};
  out->data = data;
  out->length = static_cast<int64_t>(length);
  out->is_null = 0;
}

// The text functions without Values (they run per row in common policies such as
// lower(email) = current_user); the same semantics as compiler/values/operations.cc's
// lower_text, upper_text, text_length and concat_text, which the differential tests compare
// them with.
bool apply_text_function(const Operation& operation, const NativeDatum* args, NativeDatum* out) {
  switch (operation.kind) {
    case ExprKind::kLower:
    case ExprKind::kUpper: {
      std::string_view text = text_of(args[0]);
      char* bytes = scratch.allocate(text.size());
      bool lower = operation.kind == ExprKind::kLower;
      for (size_t index = 0; index < text.size(); ++index) {
        char c = text[index];
        if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (!lower && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        bytes[index] = c;
      }
      write_text(out, bytes, text.size());
      return true;
    }
    case ExprKind::kConcat: {
      std::string_view left = text_of(args[0]);
      std::string_view right = text_of(args[1]);
      char* bytes = scratch.allocate(left.size() + right.size());
      if (!left.empty()) std::memcpy(bytes, left.data(), left.size());
      if (!right.empty()) std::memcpy(bytes + left.size(), right.data(), right.size());
      write_text(out, bytes, left.size() + right.size());
      return true;
    }
    case ExprKind::kLength:
      *out = NativeDatum{};
      out->bits = character_count(text_of(args[0]));
      out->is_null = 0;
      return true;
    default: return false;
  }
}

// A numeric written plainly ([-]digits[.digits], numeric_out's form of a finite value), as a
// sign and its digits without leading or trailing zeros: compared without building Decimals.
struct PlainNumeric {
  int sign = 0;  // -1, 0 or 1
  std::string_view integer;
  std::string_view fraction;
};

bool read_plain_numeric(std::string_view text, PlainNumeric& out) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t point = text.find('.');
  std::string_view integer = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (integer.empty() || (point != std::string_view::npos && fraction.empty())) return false;
  for (std::string_view part : {integer, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
  }
  while (!integer.empty() && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  out.integer = integer;
  out.fraction = fraction;
  out.sign = integer.empty() && fraction.empty() ? 0 : negative ? -1 : 1;
  return true;
}

int compare_plain_numerics(const PlainNumeric& left, const PlainNumeric& right) {
  if (left.sign != right.sign) return left.sign < right.sign ? -1 : 1;
  int magnitude = 0;
  if (left.integer.size() != right.integer.size()) {
    magnitude = left.integer.size() < right.integer.size() ? -1 : 1;
  } else if (int order = left.integer.compare(right.integer); order != 0) {
    magnitude = order < 0 ? -1 : 1;
  } else if (int fraction_order = left.fraction.compare(right.fraction); fraction_order != 0) {
    magnitude = fraction_order < 0 ? -1 : 1;  // digits aligned from the point: string order is value order
  }
  return left.sign < 0 ? -magnitude : magnitude;
}

// A plainly written numeric of at most 18 digits as coefficient / 10^scale, its display scale
// kept ("1.50": 150 and 2): + - * of such values are exact in 128 bits, without Decimals.
bool read_small_numeric(std::string_view text, Int128& coefficient, int32_t& scale) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t point = text.find('.');
  std::string_view integer = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (integer.empty() || (point != std::string_view::npos && fraction.empty()) || integer.size() + fraction.size() > 18) {
    return false;
  }
  int64_t value = 0;
  for (std::string_view part : {integer, fraction}) {
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
  }
  coefficient = negative ? -static_cast<Int128>(value) : static_cast<Int128>(value);
  scale = static_cast<int32_t>(fraction.size());
  return true;
}

Int128 power_of_ten(int32_t exponent) {
  Int128 result = 1;
  for (int32_t index = 0; index < exponent; ++index) result *= 10;
  return result;
}

// numeric_out of coefficient / 10^scale (zero is never negative).
std::string_view format_small_numeric(Int128 coefficient, int32_t scale, char (&buffer)[96]) {
  bool negative = coefficient < 0;
  UInt128 magnitude = negative ? static_cast<UInt128>(-coefficient) : static_cast<UInt128>(coefficient);
  char digits[48];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  while (count <= static_cast<size_t>(scale)) digits[count++] = '0';  // at least one digit before the point
  size_t length = 0;
  if (negative) buffer[length++] = '-';
  for (size_t index = count; index-- > 0;) {
    buffer[length++] = digits[index];
    if (index == static_cast<size_t>(scale) && scale > 0) buffer[length++] = '.';
  }
  return {buffer, length};
}

bool apply_small_numeric_arithmetic(const Operation& operation, const NativeDatum* args, NativeDatum* out) {
  if (operation.kind != ExprKind::kArithmetic || operation.result != TypeId::kNumeric) return false;
  if (operation.arithmetic != ArithmeticOp::kAdd && operation.arithmetic != ArithmeticOp::kSubtract &&
      operation.arithmetic != ArithmeticOp::kMultiply) {
    return false;
  }
  Int128 left = 0;
  Int128 right = 0;
  int32_t left_scale = 0;
  int32_t right_scale = 0;
  if (!read_small_numeric(text_of(args[0]), left, left_scale) || !read_small_numeric(text_of(args[1]), right, right_scale)) {
    return false;
  }
  Int128 result = 0;
  int32_t scale = 0;
  if (operation.arithmetic == ArithmeticOp::kMultiply) {
    result = left * right;  // below 10^36
    scale = left_scale + right_scale;
  } else {
    scale = std::max(left_scale, right_scale);
    left *= power_of_ten(scale - left_scale);
    right *= power_of_ten(scale - right_scale);
    result = operation.arithmetic == ArithmeticOp::kAdd ? left + right : left - right;
  }
  char buffer[96];
  std::string_view text = format_small_numeric(result, scale, buffer);
  write_text(out, scratch.copy(text), text.size());
  return true;
}

}  // namespace

uint64_t encode_operation(const Expr& node) {
  uint64_t bits = static_cast<uint64_t>(node.kind) | static_cast<uint64_t>(node.type.id) << 8 |
                  static_cast<uint64_t>(node.cast_mode) << 16 | static_cast<uint64_t>(node.arithmetic) << 24 |
                  static_cast<uint64_t>(node.args.size()) << 32;
  for (size_t index = 0; index < node.args.size() && index < kMaxArgs; ++index) {
    bits |= static_cast<uint64_t>(node.args[index].type.id) << (40 + 8 * index);
  }
  return bits;
}

// Called from generated code: no exception may cross back into it.
extern "C" uint32_t weftkit_apply(uint64_t operation_bits, int32_t max_length, const NativeDatum* args,
                                  NativeDatum* out) {
  Operation operation = decode_operation(operation_bits);
  for (unsigned index = 0; index < operation.arg_count && index < kMaxArgs; ++index) {
    if (args[index].is_null) {
      write_null(out);
      return kNoError;
    }
  }
  try {
    if (apply_text_function(operation, args, out)) return kNoError;
    if (apply_small_numeric_arithmetic(operation, args, out)) return kNoError;
    if (operation.kind == ExprKind::kCast && operation.result == TypeId::kNumeric && is_integer_type(operation.arg_types[0])) {
      // An integer's numeric prints as the integer: no Decimal needed.
      char digits[24];
      auto written = std::to_chars(digits, digits + sizeof digits, args[0].bits);
      size_t length = static_cast<size_t>(written.ptr - digits);
      write_text(out, scratch.copy(std::string_view(digits, length)), length);
      return kNoError;
    }
    // apply_node reads only the node's own fields, not its arguments.
    Expr node;
    node.kind = operation.kind;
    node.type = SqlType{operation.result, max_length};
    node.cast_mode = operation.cast_mode;
    node.arithmetic = operation.arithmetic;
    std::vector<Value> values;
    values.reserve(operation.arg_count);
    for (unsigned index = 0; index < operation.arg_count && index < kMaxArgs; ++index) {
      values.push_back(value_of_datum(args[index], operation.arg_types[index]));
    }
    Value result = apply_node(node, values);
    if (result.is_null) {
      write_null(out);
    } else if (result.type == TypeId::kNumeric) {
      std::string text = format_decimal(result.decimal);
      write_text(out, scratch.copy(text), text.size());
    } else if (is_pointer_type(result.type)) {
      write_text(out, scratch.copy(result.text), result.text.size());
    } else {
      *out = NativeDatum{};
      out->is_null = 0;
      if (result.type == TypeId::kFloat8) {
        std::memcpy(&out->bits, &result.real, sizeof out->bits);
      } else if (result.type == TypeId::kFloat4) {
        float single = static_cast<float>(result.real);
        uint32_t bits;
        std::memcpy(&bits, &single, sizeof bits);
        out->bits = bits;
      } else {
        out->bits = result.integer;
      }
    }
    return kNoError;
  } catch (const SqlError&) {
    write_null(out);
    return kHelperRaised;
  } catch (...) {
    write_null(out);
    return kOutOfMemory;  // the only other way out; never unwind through generated frames
  }
}

extern "C" int32_t weftkit_numeric_compare(const char* left, int64_t left_length, const char* right,
                                           int64_t right_length) {
  std::string_view left_text(left, static_cast<size_t>(left_length));
  std::string_view right_text(right, static_cast<size_t>(right_length));
  PlainNumeric plain_left;
  PlainNumeric plain_right;
  if (read_plain_numeric(left_text, plain_left) && read_plain_numeric(right_text, plain_right)) {
    return compare_plain_numerics(plain_left, plain_right);
  }
  try {
    Decimal a = decimal_of_text(std::string_view(left, static_cast<size_t>(left_length)));
    Decimal b = decimal_of_text(std::string_view(right, static_cast<size_t>(right_length)));
    return compare_decimal(a, b);
  } catch (...) {
    return 0;  // out of memory: no way to raise from a comparison; the answer is unspecified
  }
}

extern "C" void weftkit_scratch_reset() { scratch.reset(); }

const std::vector<HelperSymbol>& helper_symbols() {
  static const std::vector<HelperSymbol> kSymbols = {
      {kLikeHelperSymbol, reinterpret_cast<void*>(&weftkit_like)},
      {kApplyHelperSymbol, reinterpret_cast<void*>(&weftkit_apply)},
      {kNumericCompareHelperSymbol, reinterpret_cast<void*>(&weftkit_numeric_compare)},
      {kScratchResetHelperSymbol, reinterpret_cast<void*>(&weftkit_scratch_reset)},
  };
  return kSymbols;
}

}  // namespace weftkit::policy::native
