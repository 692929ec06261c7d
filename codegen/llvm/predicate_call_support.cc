// The helpers generated predicate code calls (see predicate_helpers.h). No LLVM here.
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "codegen/llvm/native_values.h"
#include "codegen/llvm/predicate_helpers.h"
#include "compiler/ir/node_semantics.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::llvm_backend {
namespace {

// Text results of one condition's evaluation: chunks that are kept (and reused) across resets,
// so that a thread's steady state allocates nothing.
class ScratchText {
 public:
  char* copy(std::string_view text) {
    size_t size = text.size() + 1;
    while (current_ < chunks_.size() && chunks_[current_].size - used_ < size) {
      ++current_;
      used_ = 0;
    }
    if (current_ == chunks_.size()) {
      size_t capacity = std::max<size_t>(size, chunks_.empty() ? 4096 : chunks_.back().size * 2);
      chunks_.push_back(Chunk{std::make_unique<char[]>(capacity), capacity});
      used_ = 0;
    }
    char* out = chunks_[current_].bytes.get() + used_;
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    used_ += size;
    return out;
  }

  void reset() {
    current_ = 0;
    used_ = 0;
  }

 private:
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
  };
  std::vector<Chunk> chunks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

thread_local ScratchText scratch;

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
    // One node per thread, reused: apply_node reads only the node's own fields.
    thread_local Expr node;
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
    std::deque<std::string> storage;
    NativeDatum datum = datum_of_value(result, storage);
    if (is_pointer_type(result.type) && !result.is_null) {
      datum.data = scratch.copy(std::string_view(datum.data, static_cast<size_t>(datum.length)));
    }
    *out = datum;
    out->is_null = result.is_null ? 1 : 0;
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

}  // namespace weftkit::policy::llvm_backend
