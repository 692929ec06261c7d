// Expression lowering over lanes (see predicate_lowering.h). Errors follow PostgreSQL's
// evaluation order: an argument's error comes before its node's own, the left argument's
// before the right's, and an argument that AND/OR/CASE/COALESCE would not evaluate cannot raise.
#include "codegen/llvm/predicate_lowering.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <cmath>
#include <cstring>

#include "codegen/native/native_values.h"
#include "codegen/native/predicate_abi.h"
#include "compiler/values/datetime.h"

namespace weftkit::policy::llvm_backend {
namespace {

bool is_integer(TypeId type) { return type == TypeId::kInt2 || type == TypeId::kInt4 || type == TypeId::kInt8; }
bool is_float(TypeId type) { return type == TypeId::kFloat4 || type == TypeId::kFloat8; }
bool is_timestamp(TypeId type) { return type == TypeId::kTimestamp || type == TypeId::kTimestamptz; }
unsigned integer_bits(TypeId type) { return type == TypeId::kInt2 ? 16 : type == TypeId::kInt4 ? 32 : 64; }

}  // namespace

llvm::Type* native_llvm_type(llvm::LLVMContext& context, TypeId type) {
  switch (type) {
    case TypeId::kBool: return llvm::Type::getInt1Ty(context);
    case TypeId::kInt2: return llvm::Type::getInt16Ty(context);
    case TypeId::kInt4:
    case TypeId::kDate: return llvm::Type::getInt32Ty(context);
    case TypeId::kInt8:
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz: return llvm::Type::getInt64Ty(context);
    case TypeId::kFloat4: return llvm::Type::getFloatTy(context);
    case TypeId::kFloat8: return llvm::Type::getDoubleTy(context);
    default: return llvm::PointerType::getUnqual(context);  // text
  }
}

ScalarParam load_datum(llvm::IRBuilderBase& b, llvm::Value* datum, TypeId type, bool with_error) {
  llvm::Type* i8 = b.getInt8Ty();
  llvm::Type* i64 = b.getInt64Ty();
  llvm::Value* bits = b.CreateLoad(i64, datum, "datum.bits");
  ScalarParam loaded;
  loaded.is_null = b.CreateICmpNE(b.CreateLoad(i8, b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, is_null))),
                                  b.getInt8(0), "datum.null");
  loaded.is_error = with_error ? b.CreateICmpNE(b.CreateLoad(i8, b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, is_error))),
                                                b.getInt8(0), "datum.error")
                               : b.getFalse();
  switch (type) {
    case TypeId::kBool: loaded.value = b.CreateICmpNE(bits, b.getInt64(0)); break;
    case TypeId::kFloat8: loaded.value = b.CreateBitCast(bits, b.getDoubleTy()); break;
    case TypeId::kFloat4: loaded.value = b.CreateBitCast(b.CreateTrunc(bits, b.getInt32Ty()), b.getFloatTy()); break;
    case TypeId::kText:
    case TypeId::kNumeric:
    case TypeId::kUuid:
      loaded.value = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, data)));
      loaded.length = b.CreateLoad(i64, b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, length)));
      break;
    default: loaded.value = b.CreateTrunc(bits, native_llvm_type(b.getContext(), type)); break;
  }
  return loaded;
}

std::vector<ScalarParam> load_params(llvm::IRBuilderBase& b, llvm::Value* params, const native::NativePlanLayout& layout) {
  std::vector<ScalarParam> loaded;
  for (uint32_t index = 0; index < layout.params.size(); ++index) {
    llvm::Value* datum = b.CreateConstGEP1_64(b.getInt8Ty(), params, static_cast<uint64_t>(index) * sizeof(native::NativeDatum));
    loaded.push_back(load_datum(b, datum, layout.params[index]->type.id));
  }
  return loaded;
}

ExprLowering::ExprLowering(llvm::IRBuilderBase& builder, const native::NativePlanLayout& layout,
                           const std::vector<ScalarParam>& params, unsigned width, bool error_ids,
                           ColumnLoader load_column)
    : b_(builder),
      context_(builder.getContext()),
      layout_(layout),
      params_(params),
      width_(width),
      error_ids_(error_ids),
      load_column_(std::move(load_column)) {}

llvm::Type* ExprLowering::lanes_of(llvm::Type* scalar) {
  return width_ == 1 ? scalar : llvm::FixedVectorType::get(scalar, width_);
}

llvm::Value* ExprLowering::splat(llvm::Value* scalar) {
  return width_ == 1 ? scalar : b_.CreateVectorSplat(width_, scalar);
}

llvm::Value* ExprLowering::constant_of(llvm::Type* scalar, uint64_t bits) {
  llvm::Type* type = lanes_of(scalar);
  if (scalar->isDoubleTy()) {
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return llvm::ConstantFP::get(type, value);
  }
  if (scalar->isFloatTy()) {
    float value;
    uint32_t low = static_cast<uint32_t>(bits);
    std::memcpy(&value, &low, sizeof value);
    return llvm::ConstantFP::get(type, value);
  }
  return llvm::ConstantInt::get(type, bits);
}

llvm::Value* ExprLowering::all_lanes(bool value) { return constant_of(b_.getInt1Ty(), value ? 1 : 0); }

llvm::Value* ExprLowering::no_error() { return error_ids_ ? b_.getInt32(native::kNoError) : all_lanes(false); }

llvm::Value* ExprLowering::raised(llvm::Value* error) {
  return error_ids_ ? b_.CreateICmpNE(error, b_.getInt32(native::kNoError)) : error;
}

llvm::Value* ExprLowering::error_where(llvm::Value* condition, uint32_t error) {
  return error_ids_ ? b_.CreateSelect(condition, b_.getInt32(error), b_.getInt32(native::kNoError)) : condition;
}

llvm::Value* ExprLowering::then_error(llvm::Value* first, llvm::Value* reached, llvm::Value* second) {
  if (error_ids_) {
    llvm::Value* later = b_.CreateSelect(reached, second, b_.getInt32(native::kNoError));
    return b_.CreateSelect(raised(first), first, later);
  }
  return b_.CreateOr(first, b_.CreateAnd(reached, second));
}

Lanes ExprLowering::select_lanes(llvm::Value* condition, const Lanes& when_true, const Lanes& when_false) {
  Lanes out;
  out.value = b_.CreateSelect(condition, when_true.value, when_false.value);
  if (when_true.length) out.length = b_.CreateSelect(condition, when_true.length, when_false.length);
  out.is_null = b_.CreateSelect(condition, when_true.is_null, when_false.is_null);
  out.error = b_.CreateSelect(condition, when_true.error, when_false.error);
  return out;
}

uint32_t ExprLowering::out_of_range_error(TypeId type) {
  return type == TypeId::kInt2 ? native::kSmallintOutOfRange : type == TypeId::kInt4 ? native::kIntegerOutOfRange : native::kBigintOutOfRange;
}

Lanes ExprLowering::lower(const Expr& condition, bool new_row) {
  new_row_ = new_row;
  reset_scratch();
  return node(condition);
}

Lanes ExprLowering::param(uint32_t index, TypeId type) {
  const ScalarParam& scalar = params_[index];
  Lanes out;
  out.value = splat(scalar.value);
  if (native::is_pointer_type(type)) out.length = splat(scalar.length);
  out.is_null = splat(scalar.is_null);
  out.error = error_ids_ ? b_.CreateSelect(scalar.is_error, b_.getInt32(native::kFirstParameterError + index), b_.getInt32(0))
                         : splat(scalar.is_error);
  return out;
}

Lanes ExprLowering::constant(const Expr& expr) {
  TypeId type = expr.type.id;
  if (native::is_pointer_type(type)) return pointer_constant(expr);
  llvm::Type* scalar = native_llvm_type(context_, type);
  Lanes out;
  out.is_null = all_lanes(expr.constant.is_null);
  out.error = no_error();
  uint64_t bits = static_cast<uint64_t>(expr.constant.integer);
  if (type == TypeId::kFloat8) std::memcpy(&bits, &expr.constant.real, sizeof bits);
  if (type == TypeId::kFloat4) {
    float single = static_cast<float>(expr.constant.real);
    uint32_t low;
    std::memcpy(&low, &single, sizeof low);
    bits = low;
  }
  out.value = constant_of(scalar, bits);
  return out;
}

Lanes ExprLowering::node(const Expr& expr) {
  auto found = layout_.param_index.find(&expr);
  if (found != layout_.param_index.end()) return param(found->second, expr.type.id);
  auto folded = layout_.immediates.find(&expr);
  if (folded != layout_.immediates.end()) return constant(*folded->second);
  if (expr.kind == ExprKind::kConstant) return constant(expr);
  if (expr.kind == ExprKind::kColumn) return column(expr);
  std::string key = (new_row_ ? "new " : "old ") + native::expr_identity(expr);
  auto seen = lowered_.find(key);
  if (seen != lowered_.end()) return seen->second;
  Lanes lanes = compound(expr);
  lowered_.emplace(std::move(key), lanes);
  return lanes;
}

Lanes ExprLowering::column(const Expr& expr) {
  uint32_t key = expr.column * 2 + (new_row_ ? 1 : 0);
  auto cached = columns_.find(key);
  if (cached != columns_.end()) return cached->second;
  return columns_.emplace(key, load_column_(expr.column, new_row_)).first->second;
}

Lanes ExprLowering::compound(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kAnd: return logical(expr, true);
    case ExprKind::kOr: return logical(expr, false);
    case ExprKind::kCase: return case_when(expr);
    case ExprKind::kCoalesce: return coalesce(expr);
    default: return strict(expr);
  }
}

// Left to right; an argument is evaluated only while no earlier one decided the result or
// raised. NULLs are remembered: AND is NULL when no argument was FALSE but one was NULL.
Lanes ExprLowering::logical(const Expr& expr, bool is_and) {
  llvm::Value* decided = all_lanes(false);
  llvm::Value* saw_null = all_lanes(false);
  llvm::Value* error = no_error();
  for (const Expr& arg : expr.args) {
    llvm::Value* reached = b_.CreateAnd(b_.CreateNot(decided), b_.CreateNot(raised(error)));
    Lanes value = node(arg);
    error = then_error(error, reached, value.error);
    llvm::Value* usable = b_.CreateAnd(reached, b_.CreateNot(raised(value.error)));
    llvm::Value* decisive = is_and ? b_.CreateNot(value.value) : value.value;
    decided = b_.CreateOr(decided, b_.CreateAnd(usable, b_.CreateAnd(b_.CreateNot(value.is_null), decisive)));
    saw_null = b_.CreateOr(saw_null, b_.CreateAnd(usable, value.is_null));
  }
  Lanes out;
  out.value = is_and ? b_.CreateNot(decided) : decided;
  out.is_null = b_.CreateAnd(b_.CreateNot(decided), saw_null);
  out.error = error;
  return out;
}

Lanes ExprLowering::case_when(const Expr& expr) {
  size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
  llvm::Type* scalar = native_llvm_type(context_, expr.type.id);
  Lanes result;
  const bool pointer = native::is_pointer_type(expr.type.id);
  result.value = pointer ? static_cast<llvm::Value*>(b_.CreateGlobalString("", "empty", 0, nullptr)) : constant_of(scalar, 0);
  if (pointer) result.length = b_.getInt64(0);
  result.is_null = all_lanes(true);
  result.error = no_error();
  llvm::Value* decided = all_lanes(false);
  llvm::Value* error = no_error();
  for (size_t index = 0; index < pairs; ++index) {
    llvm::Value* reached = b_.CreateAnd(b_.CreateNot(decided), b_.CreateNot(raised(error)));
    Lanes when = node(expr.args[2 * index]);
    error = then_error(error, reached, when.error);
    llvm::Value* hit = b_.CreateAnd(b_.CreateAnd(reached, b_.CreateNot(raised(when.error))),
                                    b_.CreateAnd(b_.CreateNot(when.is_null), when.value));
    Lanes then = node(expr.args[2 * index + 1]);
    error = then_error(error, hit, then.error);
    result = select_lanes(hit, then, result);
    decided = b_.CreateOr(decided, hit);
  }
  if (expr.has_else) {
    llvm::Value* reached = b_.CreateAnd(b_.CreateNot(decided), b_.CreateNot(raised(error)));
    Lanes otherwise = node(expr.args.back());
    error = then_error(error, reached, otherwise.error);
    result = select_lanes(reached, otherwise, result);
  }
  result.error = error;
  return result;
}

Lanes ExprLowering::coalesce(const Expr& expr) {
  Lanes result;
  llvm::Value* found = all_lanes(false);
  llvm::Value* error = no_error();
  for (size_t index = 0; index < expr.args.size(); ++index) {
    llvm::Value* reached = b_.CreateAnd(b_.CreateNot(found), b_.CreateNot(raised(error)));
    Lanes value = node(expr.args[index]);
    error = then_error(error, reached, value.error);
    if (index == 0) {
      result = value;
    } else {
      llvm::Value* take = b_.CreateAnd(b_.CreateAnd(reached, b_.CreateNot(raised(value.error))),
                                       b_.CreateNot(value.is_null));
      result = select_lanes(take, value, result);
    }
    found = b_.CreateOr(found, b_.CreateAnd(reached, b_.CreateNot(value.is_null)));
  }
  result.is_null = b_.CreateNot(found);
  result.error = error;
  return result;
}

// Nodes that evaluate every argument, left to right, then apply themselves.
Lanes ExprLowering::strict(const Expr& expr) {
  std::vector<Lanes> args;
  for (const Expr& arg : expr.args) args.push_back(node(arg));
  llvm::Value* error = no_error();
  for (const Lanes& arg : args) error = then_error(error, all_lanes(true), arg.error);
  Lanes out;
  if (native::lowered_by_call(expr)) {
    out = call_node(expr, args);
    out.error = then_error(error, all_lanes(true), out.error);
    return out;
  }
  switch (expr.kind) {
    case ExprKind::kNot:
      out = args[0];
      out.value = b_.CreateNot(args[0].value);
      break;
    case ExprKind::kIsNull:
    case ExprKind::kIsUnknown:
      out.value = expr.negated ? b_.CreateNot(args[0].is_null) : args[0].is_null;
      out.is_null = all_lanes(false);
      break;
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse: {
      llvm::Value* bare = expr.kind == ExprKind::kIsTrue ? args[0].value : b_.CreateNot(args[0].value);
      llvm::Value* holds = b_.CreateAnd(b_.CreateNot(args[0].is_null), bare);
      out.value = expr.negated ? b_.CreateNot(holds) : holds;
      out.is_null = all_lanes(false);
      break;
    }
    case ExprKind::kCompare: out = compare(expr, args); break;
    case ExprKind::kInList: out = in_list(expr, args); break;
    case ExprKind::kArithmetic: out = native::is_date_arithmetic(expr) ? date_arithmetic(expr, args) : arithmetic(expr, args); break;
    case ExprKind::kNegate:
    case ExprKind::kAbs: out = negate_or_abs(expr, args[0]); break;
    case ExprKind::kCast: out = cast(args[0], expr.args[0].type.id, expr.type, expr.cast_mode); break;
    case ExprKind::kGreatest:
    case ExprKind::kLeast: out = extreme(expr, args); break;
    case ExprKind::kNullIf: out = null_if(expr, args); break;
    case ExprKind::kLike: out = like(expr, args); break;
    default: break;  // native_plan.cc admits no other kind
  }
  // The node's own error counts only when its arguments raised none.
  out.error = out.error ? then_error(error, all_lanes(true), out.error) : error;
  return out;
}

llvm::Value* ExprLowering::compare_values(CompareOp op, TypeId type, const Lanes& left, const Lanes& right) {
  // Only the relations `op` needs are emitted: <> is NOT =, <= is < OR =, >= is > OR =.
  bool needs_equal = op == CompareOp::kEq || op == CompareOp::kNe || op == CompareOp::kLe || op == CompareOp::kGe;
  bool needs_less = op == CompareOp::kLt || op == CompareOp::kLe;
  bool needs_greater = op == CompareOp::kGt || op == CompareOp::kGe;
  llvm::Value* less = nullptr;
  llvm::Value* greater = nullptr;
  llvm::Value* equal = nullptr;
  if (type == TypeId::kNumeric) return compare_numeric(op, left, right);
  if (is_float(type)) {
    // PostgreSQL's float order: NaN equals NaN and is above every other value.
    llvm::Value* left_nan = b_.CreateFCmpUNO(left.value, left.value);
    llvm::Value* right_nan = b_.CreateFCmpUNO(right.value, right.value);
    if (needs_equal) equal = b_.CreateOr(b_.CreateFCmpOEQ(left.value, right.value), b_.CreateAnd(left_nan, right_nan));
    if (needs_less) {
      less = b_.CreateOr(b_.CreateFCmpOLT(left.value, right.value), b_.CreateAnd(b_.CreateNot(left_nan), right_nan));
    }
    if (needs_greater) {
      greater = b_.CreateOr(b_.CreateFCmpOGT(left.value, right.value), b_.CreateAnd(left_nan, b_.CreateNot(right_nan)));
    }
  } else if (type == TypeId::kText || type == TypeId::kUuid) {
    // Byte order (the C collation): memcmp over the common prefix, then the shorter first.
    llvm::Module* module = b_.GetInsertBlock()->getModule();
    llvm::FunctionCallee memcmp = module->getOrInsertFunction(
        "memcmp", llvm::FunctionType::get(b_.getInt32Ty(), {b_.getPtrTy(), b_.getPtrTy(), b_.getInt64Ty()}, false));
    llvm::Value* shorter = b_.CreateSelect(b_.CreateICmpSLT(left.length, right.length), left.length, right.length);
    llvm::Value* prefix = b_.CreateCall(memcmp, {left.value, right.value, shorter});
    llvm::Value* prefix_equal = b_.CreateICmpEQ(prefix, b_.getInt32(0));
    if (needs_equal) equal = b_.CreateAnd(prefix_equal, b_.CreateICmpEQ(left.length, right.length));
    if (needs_less) {
      less = b_.CreateOr(b_.CreateICmpSLT(prefix, b_.getInt32(0)),
                         b_.CreateAnd(prefix_equal, b_.CreateICmpSLT(left.length, right.length)));
    }
    if (needs_greater) {
      greater = b_.CreateOr(b_.CreateICmpSGT(prefix, b_.getInt32(0)),
                            b_.CreateAnd(prefix_equal, b_.CreateICmpSGT(left.length, right.length)));
    }
  } else {
    bool is_unsigned = type == TypeId::kBool;
    if (needs_equal) equal = b_.CreateICmpEQ(left.value, right.value);
    if (needs_less) less = is_unsigned ? b_.CreateICmpULT(left.value, right.value) : b_.CreateICmpSLT(left.value, right.value);
    if (needs_greater) {
      greater = is_unsigned ? b_.CreateICmpUGT(left.value, right.value) : b_.CreateICmpSGT(left.value, right.value);
    }
  }
  switch (op) {
    case CompareOp::kEq: return equal;
    case CompareOp::kNe: return b_.CreateNot(equal);
    case CompareOp::kLt: return less;
    case CompareOp::kLe: return b_.CreateOr(less, equal);
    case CompareOp::kGt: return greater;
    case CompareOp::kGe: return b_.CreateOr(greater, equal);
  }
  return equal;
}

Lanes ExprLowering::compare(const Expr& expr, const std::vector<Lanes>& args) {
  Lanes out;
  out.value = compare_values(expr.compare, expr.operand_type, args[0], args[1]);
  out.is_null = b_.CreateOr(args[0].is_null, args[1].is_null);
  return out;
}

// x = ANY(list): TRUE if an element equals x, else NULL if x or an element is NULL, else
// FALSE; `negated` (x <> ALL(list)) swaps TRUE and FALSE.
Lanes ExprLowering::in_list(const Expr& expr, const std::vector<Lanes>& args) {
  llvm::Value* matched = all_lanes(false);
  llvm::Value* saw_null = all_lanes(false);
  for (size_t index = 1; index < args.size(); ++index) {
    llvm::Value* equal = compare_values(CompareOp::kEq, expr.operand_type, args[0], args[index]);
    matched = b_.CreateOr(matched, b_.CreateAnd(b_.CreateNot(args[index].is_null), equal));
    saw_null = b_.CreateOr(saw_null, args[index].is_null);
  }
  Lanes out;
  out.value = expr.negated ? b_.CreateNot(matched) : matched;
  out.is_null = b_.CreateOr(args[0].is_null, b_.CreateAnd(b_.CreateNot(matched), saw_null));
  return out;
}

Lanes ExprLowering::arithmetic(const Expr& expr, const std::vector<Lanes>& args) {
  TypeId type = expr.type.id;
  llvm::Value* left = args[0].value;
  llvm::Value* right = args[1].value;
  llvm::Value* both = b_.CreateNot(b_.CreateOr(args[0].is_null, args[1].is_null));
  Lanes out;
  out.is_null = b_.CreateNot(both);
  if (is_integer(type)) {
    llvm::Type* scalar = native_llvm_type(context_, type);
    uint64_t minimum = uint64_t{1} << (integer_bits(type) - 1);
    auto with_overflow = [&](llvm::Intrinsic::ID id) {
      llvm::Value* pair = b_.CreateBinaryIntrinsic(id, left, right);
      out.value = b_.CreateExtractValue(pair, 0);
      out.error = error_where(b_.CreateAnd(both, b_.CreateExtractValue(pair, 1)), out_of_range_error(type));
    };
    switch (expr.arithmetic) {
      case ArithmeticOp::kAdd: with_overflow(llvm::Intrinsic::sadd_with_overflow); break;
      case ArithmeticOp::kSubtract: with_overflow(llvm::Intrinsic::ssub_with_overflow); break;
      case ArithmeticOp::kMultiply: with_overflow(llvm::Intrinsic::smul_with_overflow); break;
      case ArithmeticOp::kDivide:
      case ArithmeticOp::kModulo: {
        // Division must never trap, even in lanes whose result is unused: a zero divisor, and
        // MIN / -1, divide by 1 instead and raise (or, for %, give PostgreSQL's 0) here.
        llvm::Value* zero = b_.CreateICmpEQ(right, constant_of(scalar, 0));
        llvm::Value* minus_one = b_.CreateICmpEQ(right, constant_of(scalar, ~uint64_t{0}));
        llvm::Value* overflow = b_.CreateAnd(minus_one, b_.CreateICmpEQ(left, constant_of(scalar, minimum)));
        llvm::Value* safe = b_.CreateSelect(b_.CreateOr(zero, minus_one), constant_of(scalar, 1), right);
        if (expr.arithmetic == ArithmeticOp::kDivide) {
          llvm::Value* quotient = b_.CreateSDiv(left, safe);
          out.value = b_.CreateSelect(minus_one, b_.CreateSub(constant_of(scalar, 0), left), quotient);
          out.error = then_error(error_where(b_.CreateAnd(both, zero), native::kDivisionByZero), both,
                                 error_where(overflow, out_of_range_error(type)));
        } else {
          out.value = b_.CreateSRem(left, safe);  // x % -1 computed as x % 1 = 0
          out.error = error_where(b_.CreateAnd(both, zero), native::kDivisionByZero);
        }
        break;
      }
    }
    return out;
  }
  // Floats: PostgreSQL raises when a finite computation overflows to infinity or a non-zero
  // one underflows to zero.
  llvm::Type* scalar = native_llvm_type(context_, type);
  auto is_inf = [&](llvm::Value* value) {
    return b_.CreateFCmpOEQ(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, value),
                            llvm::ConstantFP::getInfinity(lanes_of(scalar)));
  };
  auto is_zero = [&](llvm::Value* value) { return b_.CreateFCmpOEQ(value, llvm::ConstantFP::get(lanes_of(scalar), 0.0)); };
  llvm::Value* result = nullptr;
  llvm::Value* overflow = nullptr;
  llvm::Value* underflow = all_lanes(false);
  llvm::Value* divide_by_zero = all_lanes(false);
  llvm::Value* finite_inputs = b_.CreateAnd(b_.CreateNot(is_inf(left)), b_.CreateNot(is_inf(right)));
  switch (expr.arithmetic) {
    case ArithmeticOp::kAdd: result = b_.CreateFAdd(left, right); break;
    case ArithmeticOp::kSubtract: result = b_.CreateFSub(left, right); break;
    case ArithmeticOp::kMultiply: result = b_.CreateFMul(left, right); break;
    case ArithmeticOp::kDivide: result = b_.CreateFDiv(left, right); break;
    case ArithmeticOp::kModulo: result = left; break;  // sema never types float % float
  }
  switch (expr.arithmetic) {
    case ArithmeticOp::kMultiply:
      overflow = b_.CreateAnd(is_inf(result), finite_inputs);
      underflow = b_.CreateAnd(is_zero(result), b_.CreateAnd(b_.CreateNot(is_zero(left)), b_.CreateNot(is_zero(right))));
      break;
    case ArithmeticOp::kDivide:
      divide_by_zero = b_.CreateAnd(is_zero(right), b_.CreateNot(b_.CreateFCmpUNO(left, left)));
      overflow = b_.CreateAnd(is_inf(result), b_.CreateNot(is_inf(left)));
      underflow = b_.CreateAnd(is_zero(result), b_.CreateAnd(b_.CreateNot(is_zero(left)), b_.CreateNot(is_inf(right))));
      break;
    default: overflow = b_.CreateAnd(is_inf(result), finite_inputs); break;
  }
  out.value = result;
  llvm::Value* error = error_where(b_.CreateAnd(both, divide_by_zero), native::kDivisionByZero);
  error = then_error(error, both, error_where(overflow, native::kFloatOverflow));
  error = then_error(error, both, error_where(underflow, native::kFloatUnderflow));
  out.error = error;
  return out;
}

Lanes ExprLowering::negate_or_abs(const Expr& expr, const Lanes& arg) {
  TypeId type = expr.type.id;
  Lanes out;
  out.is_null = arg.is_null;
  if (is_float(type)) {
    out.value = expr.kind == ExprKind::kNegate ? b_.CreateFNeg(arg.value)
                                               : b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, arg.value);
    return out;
  }
  llvm::Type* scalar = native_llvm_type(context_, type);
  llvm::Value* minimum = b_.CreateICmpEQ(arg.value, constant_of(scalar, uint64_t{1} << (integer_bits(type) - 1)));
  llvm::Value* negated = b_.CreateSub(constant_of(scalar, 0), arg.value);
  out.value = expr.kind == ExprKind::kNegate
                  ? negated
                  : b_.CreateSelect(b_.CreateICmpSLT(arg.value, constant_of(scalar, 0)), negated, arg.value);
  out.error = error_where(b_.CreateAnd(b_.CreateNot(arg.is_null), minimum), out_of_range_error(type));
  return out;
}

Lanes ExprLowering::cast(const Lanes& arg, TypeId from, const SqlType& to, CastMode mode) {
  Lanes out = arg;
  out.error = nullptr;
  if (from == to.id) return out;
  llvm::Type* target = lanes_of(native_llvm_type(context_, to.id));
  llvm::Value* present = b_.CreateNot(arg.is_null);
  if (is_integer(from) && is_integer(to.id)) {
    if (integer_bits(to.id) >= integer_bits(from)) {
      out.value = b_.CreateSExt(arg.value, target);
    } else {
      out.value = b_.CreateTrunc(arg.value, target);
      llvm::Value* lossy = b_.CreateICmpNE(b_.CreateSExt(out.value, arg.value->getType()), arg.value);
      out.error = error_where(b_.CreateAnd(present, lossy), out_of_range_error(to.id));
    }
  } else if (is_integer(from) && is_float(to.id)) {
    out.value = b_.CreateSIToFP(arg.value, target);
  } else if (from == TypeId::kFloat4 && to.id == TypeId::kFloat8) {
    out.value = b_.CreateFPExt(arg.value, target);
  } else if (from == TypeId::kFloat8 && to.id == TypeId::kFloat4) {
    out.value = b_.CreateFPTrunc(arg.value, target);
    llvm::Type* doubles = lanes_of(b_.getDoubleTy());
    auto is_inf = [&](llvm::Value* value, llvm::Type* type) {
      return b_.CreateFCmpOEQ(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, value), llvm::ConstantFP::getInfinity(type));
    };
    llvm::Value* overflow = b_.CreateAnd(is_inf(out.value, target), b_.CreateNot(is_inf(arg.value, doubles)));
    llvm::Value* underflow = b_.CreateAnd(b_.CreateFCmpOEQ(out.value, llvm::ConstantFP::get(target, 0.0)),
                                          b_.CreateFCmpUNE(arg.value, llvm::ConstantFP::get(doubles, 0.0)));
    out.error = then_error(error_where(b_.CreateAnd(present, overflow), native::kFloatOverflow), present,
                           error_where(underflow, native::kFloatUnderflow));
  } else if (is_float(from) && is_integer(to.id)) {
    // rint (half to even), then the range check in double precision, as PostgreSQL does.
    llvm::Type* doubles = lanes_of(b_.getDoubleTy());
    llvm::Value* rounded = b_.CreateUnaryIntrinsic(llvm::Intrinsic::rint, arg.value);
    if (from == TypeId::kFloat4) rounded = b_.CreateFPExt(rounded, doubles);
    double limit = std::ldexp(1.0, static_cast<int>(integer_bits(to.id)) - 1);
    llvm::Value* bad = b_.CreateOr(b_.CreateFCmpUNO(rounded, rounded),
                                   b_.CreateOr(b_.CreateFCmpOLT(rounded, llvm::ConstantFP::get(doubles, -limit)),
                                               b_.CreateFCmpOGE(rounded, llvm::ConstantFP::get(doubles, limit))));
    // Convert a value known to fit (fptosi of one that does not would be poison).
    llvm::Value* safe = b_.CreateSelect(bad, llvm::ConstantFP::get(doubles, 0.0), rounded);
    out.value = b_.CreateFPToSI(safe, target);
    out.error = error_where(b_.CreateAnd(present, bad), out_of_range_error(to.id));
  } else if (from == TypeId::kBool && to.id == TypeId::kInt4) {
    out.value = b_.CreateZExt(arg.value, target);
  } else if (from == TypeId::kInt4 && to.id == TypeId::kBool) {
    out.value = b_.CreateICmpNE(arg.value, constant_of(b_.getInt32Ty(), 0));
  } else if (from == TypeId::kDate && is_timestamp(to.id)) {
    llvm::Type* i64 = b_.getInt64Ty();
    llvm::Value* days = b_.CreateSExt(arg.value, target);
    llvm::Value* positive_infinity = b_.CreateICmpEQ(arg.value, constant_of(b_.getInt32Ty(), static_cast<uint32_t>(kDatePositiveInfinity)));
    llvm::Value* negative_infinity = b_.CreateICmpEQ(arg.value, constant_of(b_.getInt32Ty(), static_cast<uint32_t>(kDateNegativeInfinity)));
    llvm::Value* beyond = b_.CreateICmpSGE(days, constant_of(i64, static_cast<uint64_t>(kTimestampRangeEnd)));
    llvm::Value* micros = b_.CreateMul(days, constant_of(i64, static_cast<uint64_t>(kMicrosecondsPerDay)));
    llvm::Value* infinite_result = mode == CastMode::kCrossTypeOperand ? b_.CreateOr(positive_infinity, beyond) : positive_infinity;
    micros = b_.CreateSelect(infinite_result, constant_of(i64, static_cast<uint64_t>(kTimestampPositiveInfinity)), micros);
    out.value = b_.CreateSelect(negative_infinity, constant_of(i64, static_cast<uint64_t>(kTimestampNegativeInfinity)), micros);
    if (mode != CastMode::kCrossTypeOperand) {
      llvm::Value* out_of_range = b_.CreateAnd(beyond, b_.CreateNot(positive_infinity));
      out.error = error_where(b_.CreateAnd(present, out_of_range), native::kDateOutOfRangeForTimestamp);
    }
  } else if (is_timestamp(from) && to.id == TypeId::kDate) {
    out.value = timestamp_to_date(arg.value);
  }
  // timestamp <-> timestamptz: the session time zone is UTC, the value is unchanged.
  return out;
}

Lanes ExprLowering::extreme(const Expr& expr, const std::vector<Lanes>& args) {
  Lanes best = args[0];
  llvm::Value* have = b_.CreateNot(args[0].is_null);
  CompareOp better = expr.kind == ExprKind::kGreatest ? CompareOp::kGt : CompareOp::kLt;
  for (size_t index = 1; index < args.size(); ++index) {
    llvm::Value* present = b_.CreateNot(args[index].is_null);
    llvm::Value* beats = compare_values(better, expr.type.id, args[index], best);
    llvm::Value* take = b_.CreateAnd(present, b_.CreateOr(b_.CreateNot(have), beats));
    best = select_lanes(take, args[index], best);
    have = b_.CreateOr(have, present);
  }
  best.is_null = b_.CreateNot(have);
  best.error = nullptr;
  return best;
}

Lanes ExprLowering::null_if(const Expr& expr, const std::vector<Lanes>& args) {
  Lanes out = args[0];
  llvm::Value* both = b_.CreateNot(b_.CreateOr(args[0].is_null, args[1].is_null));
  // A left argument that kept its own type is compared as the operand type (a cross-type =).
  TypeId left_type = expr.args[0].type.id;
  Lanes left = left_type == expr.operand_type ? args[0]
                                              : cast(args[0], left_type, SqlType{expr.operand_type}, CastMode::kCrossTypeOperand);
  llvm::Value* equal = compare_values(CompareOp::kEq, expr.operand_type, left, args[1]);
  out.is_null = b_.CreateOr(args[0].is_null, b_.CreateAnd(both, equal));
  out.error = nullptr;
  return out;
}

Lanes ExprLowering::like(const Expr& expr, const std::vector<Lanes>& args) {
  llvm::Module* module = b_.GetInsertBlock()->getModule();
  llvm::Type* ptr = b_.getPtrTy();
  llvm::Type* i64 = b_.getInt64Ty();
  llvm::FunctionCallee helper = module->getOrInsertFunction(
      native::kLikeHelperSymbol, llvm::FunctionType::get(b_.getInt32Ty(), {ptr, i64, ptr, i64, ptr, i64, b_.getInt32Ty()}, false));
  bool has_escape = args.size() > 2;
  uint32_t flags = (expr.case_insensitive ? 1u : 0u) | (has_escape ? 2u : 0u);
  llvm::Value* any_null = b_.CreateOr(args[0].is_null, args[1].is_null);
  if (has_escape) any_null = b_.CreateOr(any_null, args[2].is_null);
  llvm::Value* escape = has_escape ? args[2].value : static_cast<llvm::Value*>(llvm::ConstantPointerNull::get(b_.getPtrTy()));
  llvm::Value* escape_length = has_escape ? args[2].length : b_.getInt64(0);
  // The helper also runs in lanes with a NULL operand (it reads a valid, meaningless string
  // there); its answer and error count only where every operand is present.
  llvm::Value* result = b_.CreateCall(helper, {args[0].value, args[0].length, args[1].value, args[1].length, escape,
                                               escape_length, b_.getInt32(flags)});
  llvm::Value* failed = b_.CreateAnd(b_.CreateNot(any_null), b_.CreateICmpUGT(result, b_.getInt32(1)));
  Lanes out;
  llvm::Value* matched = b_.CreateICmpEQ(result, b_.getInt32(1));
  out.value = expr.negated ? b_.CreateNot(matched) : matched;
  out.is_null = any_null;
  out.error = error_ids_ ? b_.CreateSelect(failed, result, b_.getInt32(native::kNoError)) : failed;
  return out;
}

}  // namespace weftkit::policy::llvm_backend
