// Lowering of the nodes the generated code hands to helper functions (predicate_helpers.h):
// text functions, numeric arithmetic and comparison, and casts from or to text, numeric and
// uuid; plus the inline date arithmetic and timestamp -> date. A helper call runs in every row
// the code visits, reached or not, NULL or not; its answer and its error count only where the
// node is evaluated, as with every other node (see predicate_lowering.cc).
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Module.h>

#include "codegen/native/native_values.h"
#include "codegen/native/predicate_helpers.h"
#include "codegen/llvm/predicate_lowering.h"
#include "compiler/values/datetime.h"

namespace weftkit::policy::llvm_backend {

llvm::Value* ExprLowering::entry_alloca(unsigned bytes, const char* name) {
  llvm::Function* function = b_.GetInsertBlock()->getParent();
  llvm::BasicBlock& entry = function->getEntryBlock();
  llvm::IRBuilder<> at_entry(&entry, entry.getFirstInsertionPt());
  llvm::AllocaInst* slot = at_entry.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), bytes), nullptr, name);
  slot->setAlignment(llvm::Align(8));
  return slot;
}

// Once per row, before its first condition: every text a helper returns for the row stays
// valid until the row is decided (lowered values may be reused by later conditions).
void ExprLowering::reset_scratch() {
  if (scratch_reset_ || width_ != 1 || layout_.error_sites.empty()) return;
  scratch_reset_ = true;
  llvm::Module* module = b_.GetInsertBlock()->getModule();
  llvm::FunctionCallee reset =
      module->getOrInsertFunction(native::kScratchResetHelperSymbol, llvm::FunctionType::get(b_.getVoidTy(), {}, false));
  b_.CreateCall(reset);
}

Lanes ExprLowering::pointer_constant(const Expr& expr) {
  std::string bytes;
  if (!expr.constant.is_null) {
    bytes = expr.type.id == TypeId::kNumeric ? format_decimal(expr.constant.decimal) : expr.constant.text;
  }
  Lanes out;
  out.is_null = all_lanes(expr.constant.is_null);
  out.error = no_error();
  // The pointer is the same in every lane (such values are lowered one row at a time).
  out.value = b_.CreateGlobalString(bytes, expr.type.id == TypeId::kText ? "text" : "bytes", 0, nullptr);
  out.length = b_.getInt64(bytes.size());
  return out;
}

// One node through weftkit_apply: its arguments stored as NativeDatums, its result read back.
Lanes ExprLowering::call_node(const Expr& expr, const std::vector<Lanes>& args) {
  llvm::Type* i64 = b_.getInt64Ty();
  llvm::Type* i8 = b_.getInt8Ty();
  llvm::Type* ptr = b_.getPtrTy();
  if (call_args_ == nullptr) {
    call_args_ = entry_alloca(2 * sizeof(native::NativeDatum), "call.args");
    call_out_ = entry_alloca(sizeof(native::NativeDatum), "call.out");
  }
  llvm::Value* empty = b_.CreateGlobalString("", "empty", 0, nullptr);
  llvm::Value* any_null = all_lanes(false);
  for (size_t index = 0; index < args.size() && index < 2; ++index) {
    const Lanes& arg = args[index];
    TypeId type = expr.args[index].type.id;
    llvm::Value* datum = b_.CreateConstGEP1_64(i8, call_args_, index * sizeof(native::NativeDatum));
    llvm::Value* bits = b_.getInt64(0);
    llvm::Value* data = empty;
    llvm::Value* length = b_.getInt64(0);
    switch (type) {
      case TypeId::kBool: bits = b_.CreateZExt(arg.value, i64); break;
      case TypeId::kFloat4: bits = b_.CreateZExt(b_.CreateBitCast(arg.value, b_.getInt32Ty()), i64); break;
      case TypeId::kFloat8: bits = b_.CreateBitCast(arg.value, i64); break;
      default:
        if (native::is_pointer_type(type)) {
          data = arg.value;
          length = arg.length;
        } else {
          bits = b_.CreateSExtOrTrunc(arg.value, i64);
        }
        break;
    }
    b_.CreateStore(bits, b_.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, bits)));
    b_.CreateStore(data, b_.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, data)));
    b_.CreateStore(length, b_.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, length)));
    b_.CreateStore(b_.CreateZExt(arg.is_null, i8), b_.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, is_null)));
    any_null = b_.CreateOr(any_null, arg.is_null);
  }
  llvm::Module* module = b_.GetInsertBlock()->getModule();
  llvm::FunctionCallee apply = module->getOrInsertFunction(
      native::kApplyHelperSymbol, llvm::FunctionType::get(b_.getInt32Ty(), {i64, b_.getInt32Ty(), ptr, ptr}, false));
  llvm::Value* status = b_.CreateCall(apply, {b_.getInt64(native::encode_operation(expr)),
                                              b_.getInt32(static_cast<uint32_t>(expr.type.max_length)), call_args_,
                                              call_out_});
  TypeId type = expr.type.id;
  Lanes out;
  llvm::Value* bits = b_.CreateLoad(i64, b_.CreateConstGEP1_64(i8, call_out_, offsetof(native::NativeDatum, bits)));
  llvm::Value* null_byte = b_.CreateLoad(i8, b_.CreateConstGEP1_64(i8, call_out_, offsetof(native::NativeDatum, is_null)));
  out.is_null = b_.CreateOr(any_null, b_.CreateICmpNE(null_byte, b_.getInt8(0)));
  switch (type) {
    case TypeId::kBool: out.value = b_.CreateICmpNE(bits, b_.getInt64(0)); break;
    case TypeId::kFloat4: out.value = b_.CreateBitCast(b_.CreateTrunc(bits, b_.getInt32Ty()), b_.getFloatTy()); break;
    case TypeId::kFloat8: out.value = b_.CreateBitCast(bits, b_.getDoubleTy()); break;
    default:
      if (native::is_pointer_type(type)) {
        out.value = b_.CreateLoad(ptr, b_.CreateConstGEP1_64(i8, call_out_, offsetof(native::NativeDatum, data)));
        out.length = b_.CreateLoad(i64, b_.CreateConstGEP1_64(i8, call_out_, offsetof(native::NativeDatum, length)));
      } else {
        out.value = b_.CreateTrunc(bits, native_llvm_type(context_, type));
      }
      break;
  }
  llvm::Value* failed = b_.CreateAnd(b_.CreateNot(any_null), b_.CreateICmpNE(status, b_.getInt32(native::kNoError)));
  if (error_ids_) {
    uint32_t site = native::kFirstSiteError + layout_.site_index.at(&expr);
    llvm::Value* code = b_.CreateSelect(b_.CreateICmpEQ(status, b_.getInt32(native::kOutOfMemory)), b_.getInt32(native::kOutOfMemory),
                                        b_.getInt32(site));
    out.error = b_.CreateSelect(failed, code, b_.getInt32(native::kNoError));
  } else {
    out.error = failed;
  }
  return out;
}

// date +/- days, days + date: infinities stay, other results must stay within PostgreSQL's
// dates; date - date: days, infinities raise.
Lanes ExprLowering::date_arithmetic(const Expr& expr, const std::vector<Lanes>& args) {
  llvm::Type* i32 = b_.getInt32Ty();
  llvm::Type* i64 = b_.getInt64Ty();
  llvm::Value* both = b_.CreateNot(b_.CreateOr(args[0].is_null, args[1].is_null));
  auto infinite = [&](llvm::Value* date) {
    return b_.CreateOr(b_.CreateICmpEQ(date, constant_of(i32, static_cast<uint32_t>(kDatePositiveInfinity))),
                       b_.CreateICmpEQ(date, constant_of(i32, static_cast<uint32_t>(kDateNegativeInfinity))));
  };
  Lanes out;
  out.is_null = b_.CreateNot(both);
  if (expr.type.id == TypeId::kInt4) {
    llvm::Value* either_infinite = b_.CreateOr(infinite(args[0].value), infinite(args[1].value));
    out.value = b_.CreateSub(args[0].value, args[1].value);
    out.error = error_where(b_.CreateAnd(both, either_infinite), native::kCannotSubtractInfiniteDates);
    return out;
  }
  bool date_first = expr.args[0].type.id == TypeId::kDate;
  llvm::Value* date = date_first ? args[0].value : args[1].value;
  llvm::Value* days = date_first ? args[1].value : args[0].value;
  llvm::Value* wide_date = b_.CreateSExt(date, lanes_of(i64));
  llvm::Value* wide_days = b_.CreateSExt(days, lanes_of(i64));
  llvm::Value* sum = expr.arithmetic == ArithmeticOp::kSubtract ? b_.CreateSub(wide_date, wide_days)
                                                                : b_.CreateAdd(wide_date, wide_days);
  llvm::Value* outside = b_.CreateOr(b_.CreateICmpSLT(sum, constant_of(i64, static_cast<uint64_t>(kDateRangeBegin))),
                                     b_.CreateICmpSGE(sum, constant_of(i64, static_cast<uint64_t>(kDateRangeEnd))));
  llvm::Value* is_infinite = infinite(date);
  out.value = b_.CreateSelect(is_infinite, date, b_.CreateTrunc(sum, lanes_of(i32)));
  out.error = error_where(b_.CreateAnd(both, b_.CreateAnd(b_.CreateNot(is_infinite), outside)), native::kDateOutOfRange);
  return out;
}

// timestamp_to_date: floor division into days; infinities stay infinite.
llvm::Value* ExprLowering::timestamp_to_date(llvm::Value* micros) {
  llvm::Type* i32 = b_.getInt32Ty();
  llvm::Type* i64 = b_.getInt64Ty();
  llvm::Value* day = constant_of(i64, static_cast<uint64_t>(kMicrosecondsPerDay));
  llvm::Value* quotient = b_.CreateSDiv(micros, day);
  llvm::Value* remainder = b_.CreateSRem(micros, day);
  llvm::Value* below = b_.CreateICmpSLT(remainder, constant_of(i64, 0));
  llvm::Value* floor = b_.CreateSub(quotient, b_.CreateZExt(below, lanes_of(i64)));
  llvm::Value* days = b_.CreateTrunc(floor, lanes_of(i32));
  llvm::Value* positive = b_.CreateICmpEQ(micros, constant_of(i64, static_cast<uint64_t>(kTimestampPositiveInfinity)));
  llvm::Value* negative = b_.CreateICmpEQ(micros, constant_of(i64, static_cast<uint64_t>(kTimestampNegativeInfinity)));
  days = b_.CreateSelect(positive, constant_of(i32, static_cast<uint32_t>(kDatePositiveInfinity)), days);
  return b_.CreateSelect(negative, constant_of(i32, static_cast<uint32_t>(kDateNegativeInfinity)), days);
}

llvm::Value* ExprLowering::compare_numeric(CompareOp op, const Lanes& left, const Lanes& right) {
  llvm::Module* module = b_.GetInsertBlock()->getModule();
  llvm::Type* ptr = b_.getPtrTy();
  llvm::Type* i64 = b_.getInt64Ty();
  llvm::FunctionCallee helper = module->getOrInsertFunction(
      native::kNumericCompareHelperSymbol, llvm::FunctionType::get(b_.getInt32Ty(), {ptr, i64, ptr, i64}, false));
  llvm::Value* order = b_.CreateCall(helper, {left.value, left.length, right.value, right.length});
  llvm::Value* zero = b_.getInt32(0);
  switch (op) {
    case CompareOp::kEq: return b_.CreateICmpEQ(order, zero);
    case CompareOp::kNe: return b_.CreateICmpNE(order, zero);
    case CompareOp::kLt: return b_.CreateICmpSLT(order, zero);
    case CompareOp::kLe: return b_.CreateICmpSLE(order, zero);
    case CompareOp::kGt: return b_.CreateICmpSGT(order, zero);
    case CompareOp::kGe: return b_.CreateICmpSGE(order, zero);
  }
  return b_.CreateICmpEQ(order, zero);
}

}  // namespace weftkit::policy::llvm_backend
