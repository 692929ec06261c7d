// The row and batch functions of a statement plan (see predicate_module.h, predicate_abi.h).
#include "codegen/llvm/predicate_module.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <algorithm>

#include "codegen/llvm/lane_folder.h"
#include "codegen/native/native_values.h"
#include "codegen/native/predicate_abi.h"
#include "codegen/llvm/predicate_lowering.h"

namespace weftkit::policy::llvm_backend {
namespace {

void mark_pointer_inputs_not_captured(llvm::Function* function, unsigned count) {
  for (unsigned index = 0; index < count; ++index) {
    if (!function->getArg(index)->getType()->isPointerTy()) continue;
    function->addParamAttr(index, llvm::Attribute::NoCapture);
  }
  function->addFnAttr(llvm::Attribute::NoUnwind);
}

// Folds the plan's conditions into an outcome, in PostgreSQL's order: the filters on the
// existing row (the first not TRUE filters it), then the new-row checks (the first not TRUE
// is a violation of its check); an error in a reached condition ends it as an error.
struct OutcomeFold {
  ExprLowering& lowering;
  llvm::IRBuilderBase& b;
  llvm::Value* decided;
  llvm::Value* passes_all = nullptr;    // lanes mode: i1 lanes still passing
  llvm::Value* exception = nullptr;     // lanes mode: i1 lanes with a violation or error
  llvm::Value* outcome = nullptr;       // row mode: the i64 outcome

  void visit(const StatementPlan& plan, bool row_mode) {
    for (const Expr& condition : plan.row_filters) step(condition, /*new_row=*/false, row_mode, native::NativeResult::kFiltered, 0);
    for (size_t index = 0; index < plan.new_row_checks.size(); ++index) {
      for (const Expr& condition : plan.new_row_checks[index].conditions) {
        step(condition, /*new_row=*/true, row_mode, native::NativeResult::kViolation, static_cast<uint32_t>(index));
      }
    }
  }

  void step(const Expr& condition, bool new_row, bool row_mode, native::NativeResult failure, uint32_t detail) {
    llvm::Value* reached = b.CreateNot(decided);
    Lanes value = lowering.lower(condition, new_row);
    llvm::Value* raised = lowering.raised(value.error);
    llvm::Value* not_true = b.CreateOr(value.is_null, b.CreateNot(value.value));
    llvm::Value* errs = b.CreateAnd(reached, raised);
    llvm::Value* fails = b.CreateAnd(reached, b.CreateAnd(b.CreateNot(raised), not_true));
    if (row_mode) {
      llvm::Value* error_outcome = b.CreateOr(b.CreateShl(b.CreateZExt(value.error, b.getInt64Ty()), 8),
                                              b.getInt64(static_cast<uint64_t>(native::NativeResult::kError)));
      uint64_t failure_outcome = static_cast<uint64_t>(failure) | (static_cast<uint64_t>(detail) << 8);
      outcome = b.CreateSelect(errs, error_outcome, b.CreateSelect(fails, b.getInt64(failure_outcome), outcome));
    } else {
      llvm::Value* exceptional = failure == native::NativeResult::kViolation ? b.CreateOr(errs, fails) : errs;
      exception = b.CreateOr(exception, exceptional);
    }
    decided = b.CreateOr(decided, b.CreateOr(errs, fails));
  }
};

// Rows per vector step of the batch function. 16 lanes fill one AVX-512 register with 32-bit
// values (two with 64-bit ones); 64 lanes ran as fast but gave code generation four times the
// vector pieces to legalise, most of a plan's compile time.
constexpr unsigned kBlockRows = 16;
constexpr unsigned kBlockShift = 4;
static_assert((1u << kBlockShift) == kBlockRows);

void mark_columns(const Expr& expr, std::vector<bool>& read) {
  if (expr.kind == ExprKind::kColumn && expr.column < read.size()) read[expr.column] = true;
  for (const Expr& arg : expr.args) mark_columns(arg, read);
}

class PlanModuleBuilder {
 public:
  PlanModuleBuilder(llvm::Module& module, const StatementPlan& plan, const TableDefinition& table,
                    const native::NativePlanLayout& layout)
      : plan_(plan), table_(table), layout_(layout), context_(module.getContext()), module_(&module) {}

  void add(const std::string& row_symbol, const std::string& batch_symbol) {
    llvm::Function* row_function = add_row_function(row_symbol);
    add_batch_function(batch_symbol, row_function);
  }

 private:
  TypeId column_type(uint32_t column) const { return table_.columns[column].type.id; }

  // Which columns the filters (`new_row` false) or the new-row checks read.
  std::vector<bool> columns_read(const StatementPlan& plan, bool new_row) const {
    std::vector<bool> read(table_.columns.size(), false);
    if (!new_row) {
      for (const Expr& condition : plan.row_filters) mark_columns(condition, read);
    } else {
      for (const NewRowCheck& check : plan.new_row_checks) {
        for (const Expr& condition : check.conditions) mark_columns(condition, read);
      }
    }
    return read;
  }

  // Row function: NativeDatum slots, error ids.
  llvm::Function* add_row_function(const std::string& symbol) {
    llvm::Type* ptr = llvm::PointerType::getUnqual(context_);
    llvm::Type* i64 = llvm::Type::getInt64Ty(context_);
    auto* signature = llvm::FunctionType::get(i64, {ptr, ptr, ptr}, false);
    auto* function = llvm::Function::Create(signature, llvm::Function::ExternalLinkage, symbol, *module_);
    mark_pointer_inputs_not_captured(function, 3);
    llvm::IRBuilder<LaneFolder> b(llvm::BasicBlock::Create(context_, "entry", function));
    llvm::Value* row = function->getArg(0);
    llvm::Value* new_row = function->getArg(1);
    std::vector<ScalarParam> params = load_params(b, function->getArg(2), layout_);
    auto load_column = [&](uint32_t column, bool from_new_row) {
      llvm::Value* datum =
          b.CreateConstGEP1_64(b.getInt8Ty(), from_new_row ? new_row : row, uint64_t{column} * sizeof(native::NativeDatum));
      ScalarParam loaded = load_datum(b, datum, column_type(column), /*with_error=*/false);
      Lanes lanes;
      lanes.value = loaded.value;
      lanes.length = loaded.length;
      lanes.is_null = loaded.is_null;
      lanes.error = b.getInt32(native::kNoError);  // a row's own values never carry an error
      return lanes;
    };
    ExprLowering lowering(b, layout_, params, 1, /*error_ids=*/true, load_column);
    OutcomeFold fold{lowering, b, b.getFalse()};
    fold.outcome = b.getInt64(static_cast<uint64_t>(native::NativeResult::kPass));
    fold.visit(plan_, /*row_mode=*/true);
    b.CreateRet(fold.outcome);
    return function;
  }

  // The batch columns as pointers, loaded once before the loops.
  struct ColumnPointers {
    llvm::Value* validity = nullptr;
    llvm::Value* values = nullptr;
    llvm::Value* data = nullptr;
  };

  // The pointers of the columns `read` marks; the others stay null.
  std::vector<ColumnPointers> load_columns(llvm::IRBuilderBase& b, llvm::Value* columns, const std::vector<bool>& read) {
    llvm::Type* ptr = b.getPtrTy();
    std::vector<ColumnPointers> loaded(table_.columns.size());
    for (uint32_t column = 0; column < table_.columns.size(); ++column) {
      if (!read[column]) continue;
      llvm::Value* base = b.CreateConstGEP1_64(b.getInt8Ty(), columns, uint64_t{column} * sizeof(native::NativeColumn));
      ColumnPointers pointers;
      pointers.validity = b.CreateLoad(ptr, b.CreateConstGEP1_64(b.getInt8Ty(), base, offsetof(native::NativeColumn, validity)));
      pointers.values = b.CreateLoad(ptr, b.CreateConstGEP1_64(b.getInt8Ty(), base, offsetof(native::NativeColumn, values)));
      pointers.data = b.CreateLoad(ptr, b.CreateConstGEP1_64(b.getInt8Ty(), base, offsetof(native::NativeColumn, data)));
      loaded[column] = pointers;
    }
    return loaded;
  }

  // Arrow's epochs to PostgreSQL's, as postgres_date_from_arrow and
  // postgres_timestamp_from_arrow (predicate_abi.h) do, without branches.
  llvm::Value* from_unix_epoch(llvm::IRBuilderBase& b, llvm::Value* value, TypeId type) {
    llvm::Type* lane_type = value->getType();
    bool is_date = type == TypeId::kDate;
    unsigned bits = is_date ? 32 : 64;
    int64_t shift_amount = is_date ? native::kArrowEpochDays : native::kArrowEpochMicros;
    llvm::Value* maximum = llvm::ConstantInt::get(lane_type, llvm::APInt::getSignedMaxValue(bits));
    llvm::Value* minimum = llvm::ConstantInt::get(lane_type, llvm::APInt::getSignedMinValue(bits));
    llvm::Value* lowest_finite = llvm::ConstantInt::get(
        lane_type, llvm::APInt::getSignedMinValue(bits) + llvm::APInt(bits, static_cast<uint64_t>(shift_amount)));
    llvm::Value* shift = llvm::ConstantInt::get(lane_type, static_cast<uint64_t>(shift_amount));
    llvm::Value* shifted = b.CreateSelect(b.CreateICmpSLT(value, lowest_finite), minimum, b.CreateSub(value, shift));
    return b.CreateSelect(b.CreateICmpEQ(value, maximum), maximum, shifted);
  }

  // for (block = 0; block < blocks; ++block): kBlockRows rows as one vector step, then `tail`.
  void add_vector_loop(llvm::IRBuilderBase& b, llvm::Function* function, llvm::Value* blocks, llvm::BasicBlock* tail_start,
                       const std::vector<ColumnPointers>& old_columns, const std::vector<ColumnPointers>& new_columns,
                       const std::vector<ScalarParam>& params, llvm::Value* selection, llvm::Value* exceptions) {
    llvm::Type* i64 = b.getInt64Ty();
    llvm::BasicBlock* entry = b.GetInsertBlock();
    llvm::BasicBlock* vector_check = llvm::BasicBlock::Create(context_, "blocks", function);
    llvm::BasicBlock* vector_body = llvm::BasicBlock::Create(context_, "block", function);
    b.CreateBr(vector_check);
    b.SetInsertPoint(vector_check);
    llvm::PHINode* block = b.CreatePHI(i64, 2, "block.index");
    block->addIncoming(b.getInt64(0), entry);
    b.CreateCondBr(b.CreateICmpULT(block, blocks), vector_body, tail_start);

    b.SetInsertPoint(vector_body);
    {
      constexpr unsigned kLanes = kBlockRows;
      // A block's bits of a bitmap: bitmaps are little-endian words, so block k's rows are the
      // kLanes-bit integer at index k.
      llvm::Type* lane_bits = b.getIntNTy(kLanes);
      auto load_lanes = [&](uint32_t column, bool from_new_row) {
        const ColumnPointers& pointers = (from_new_row ? new_columns : old_columns)[column];
        llvm::Type* mask_type = llvm::FixedVectorType::get(b.getInt1Ty(), kLanes);
        llvm::Value* valid_word = b.CreateLoad(lane_bits, b.CreateGEP(lane_bits, pointers.validity, block));
        Lanes lanes;
        lanes.is_null = b.CreateNot(b.CreateBitCast(valid_word, mask_type));
        lanes.error = llvm::ConstantInt::get(mask_type, 0);
        TypeId type = column_type(column);
        if (type == TypeId::kBool) {
          lanes.value = b.CreateBitCast(b.CreateLoad(lane_bits, b.CreateGEP(lane_bits, pointers.values, block)), mask_type);
          return lanes;
        }
        llvm::Type* scalar = native_llvm_type(context_, type);
        llvm::Type* vector = llvm::FixedVectorType::get(scalar, kLanes);
        llvm::Value* first = b.CreateMul(block, b.getInt64(kLanes));
        llvm::Value* address = b.CreateGEP(scalar, pointers.values, first);
        lanes.value = b.CreateAlignedLoad(vector, address, llvm::Align(scalar->getPrimitiveSizeInBits() / 8));
        if (type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz) {
          lanes.value = from_unix_epoch(b, lanes.value, type);
        }
        return lanes;
      };
      ExprLowering lowering(b, layout_, params, kLanes, /*error_ids=*/false, load_lanes);
      OutcomeFold fold{lowering, b, lowering.all_lanes(false)};
      fold.exception = lowering.all_lanes(false);
      fold.visit(plan_, /*row_mode=*/false);
      llvm::Value* passes = b.CreateNot(fold.decided);
      b.CreateStore(b.CreateBitCast(passes, lane_bits), b.CreateGEP(lane_bits, selection, block));
      b.CreateStore(b.CreateBitCast(fold.exception, lane_bits), b.CreateGEP(lane_bits, exceptions, block));
    }
    llvm::Value* next_block = b.CreateAdd(block, b.getInt64(1));
    block->addIncoming(next_block, b.GetInsertBlock());
    b.CreateBr(vector_check);
  }

  // Rows the vector steps do not take (a vectorised batch's tail, under kBlockRows rows; every
  // row of a plan that reads text): each row's referenced columns copied into NativeDatum
  // slots and handed to the row function, instead of another copy of every condition — half
  // the code to generate per plan. `slots` and `new_slots` are zeroed once in the entry block.
  void add_row_call_tail(llvm::IRBuilderBase& b, llvm::Function* row_function, llvm::Value* index,
                         const std::vector<ColumnPointers>& old_columns, const std::vector<ColumnPointers>& new_columns,
                         llvm::Value* slots, llvm::Value* new_slots, llvm::Value* params, llvm::Value*& passes,
                         llvm::Value*& exceptional) {
    llvm::Type* i64 = b.getInt64Ty();
    llvm::Type* i8 = b.getInt8Ty();
    llvm::Value* word_index = b.CreateLShr(index, 6);
    llvm::Value* bit = b.CreateAnd(index, b.getInt64(63));
    auto bit_of = [&](llvm::Value* words) {
      llvm::Value* word = b.CreateLoad(i64, b.CreateGEP(i64, words, word_index));
      return b.CreateTrunc(b.CreateLShr(word, bit), b.getInt1Ty());
    };
    auto fill = [&](const std::vector<ColumnPointers>& columns, llvm::Value* into) {
      for (uint32_t column = 0; column < columns.size(); ++column) {
        const ColumnPointers& pointers = columns[column];
        if (pointers.validity == nullptr) continue;
        llvm::Value* datum = b.CreateConstGEP1_64(i8, into, uint64_t{column} * sizeof(native::NativeDatum));
        TypeId type = column_type(column);
        llvm::Value* bits = b.getInt64(0);
        if (type == TypeId::kBool) {
          bits = b.CreateZExt(bit_of(pointers.values), i64);
        } else if (native::is_pointer_type(type)) {  // text, numeric (as text), uuid (16 bytes each)
          llvm::Type* i32 = b.getInt32Ty();
          llvm::Value* start = b.CreateLoad(i32, b.CreateGEP(i32, pointers.values, index));
          llvm::Value* end = b.CreateLoad(i32, b.CreateGEP(i32, pointers.values, b.CreateAdd(index, b.getInt64(1))));
          b.CreateStore(b.CreateGEP(i8, pointers.data, b.CreateSExt(start, i64)),
                        b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, data)));
          b.CreateStore(b.CreateSExt(b.CreateSub(end, start), i64),
                        b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, length)));
        } else {
          llvm::Type* scalar = native_llvm_type(context_, type);
          llvm::Value* value = b.CreateLoad(scalar, b.CreateGEP(scalar, pointers.values, index));
          if (type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz) {
            value = from_unix_epoch(b, value, type);
          }
          if (type == TypeId::kFloat8) {
            bits = b.CreateBitCast(value, i64);
          } else if (type == TypeId::kFloat4) {
            bits = b.CreateZExt(b.CreateBitCast(value, b.getInt32Ty()), i64);
          } else {
            bits = b.CreateSExt(value, i64);
          }
        }
        b.CreateStore(bits, datum);
        b.CreateStore(b.CreateZExt(b.CreateNot(bit_of(pointers.validity)), i8),
                      b.CreateConstGEP1_64(i8, datum, offsetof(native::NativeDatum, is_null)));
      }
    };
    fill(old_columns, slots);
    fill(new_columns, new_slots);
    llvm::Value* outcome = b.CreateCall(row_function, {slots, new_slots, params});
    llvm::Value* result = b.CreateAnd(outcome, b.getInt64(0xFF));
    passes = b.CreateICmpEQ(result, b.getInt64(static_cast<uint64_t>(native::NativeResult::kPass)));
    exceptional = b.CreateICmpUGE(result, b.getInt64(static_cast<uint64_t>(native::NativeResult::kViolation)));
  }

  void add_batch_function(const std::string& symbol, llvm::Function* row_function) {
    llvm::Type* ptr = llvm::PointerType::getUnqual(context_);
    llvm::Type* i64 = llvm::Type::getInt64Ty(context_);
    llvm::Type* void_type = llvm::Type::getVoidTy(context_);
    auto* signature = llvm::FunctionType::get(void_type, {ptr, ptr, i64, ptr, ptr, ptr}, false);
    auto* function = llvm::Function::Create(signature, llvm::Function::ExternalLinkage, symbol, *module_);
    mark_pointer_inputs_not_captured(function, 6);
    function->addParamAttr(4, llvm::Attribute::NoAlias);
    function->addParamAttr(5, llvm::Attribute::NoAlias);
    llvm::Value* length = function->getArg(2);
    llvm::Value* selection = function->getArg(4);
    llvm::Value* exceptions = function->getArg(5);

    llvm::BasicBlock* entry = llvm::BasicBlock::Create(context_, "entry", function);
    llvm::IRBuilder<LaneFolder> b(entry);
    std::vector<ScalarParam> params = load_params(b, function->getArg(3), layout_);
    std::vector<ColumnPointers> old_columns = load_columns(b, function->getArg(0), columns_read(plan_, false));
    std::vector<ColumnPointers> new_columns = load_columns(b, function->getArg(1), columns_read(plan_, true));
    const bool vectorised = !layout_.row_dependent_text;
    llvm::Value* blocks = vectorised ? b.CreateLShr(length, kBlockShift) : b.getInt64(0);
    llvm::Value* slots = nullptr;
    llvm::Value* new_slots = nullptr;
    {
      // Datum slots for the row function's calls, zeroed once: error flags 0, and data
      // pointers null for the columns that are not text (only text reads them).
      uint64_t bytes = std::max<uint64_t>(1, table_.columns.size()) * sizeof(native::NativeDatum);
      llvm::Type* slot_array = llvm::ArrayType::get(b.getInt8Ty(), bytes);
      slots = b.CreateAlloca(slot_array, nullptr, "tail.row");
      b.CreateMemSet(slots, b.getInt8(0), bytes, llvm::Align(8));
      new_slots = slots;
      if (!plan_.new_row_checks.empty()) {
        new_slots = b.CreateAlloca(slot_array, nullptr, "tail.new_row");
        b.CreateMemSet(new_slots, b.getInt8(0), bytes, llvm::Align(8));
      }
    }

    // kBlockRows rows per step as LLVM vectors, reading and writing kBlockRows bits of the
    // validity, selection and exception bitmaps at a time.
    llvm::BasicBlock* tail_start = llvm::BasicBlock::Create(context_, "tail.start", function);
    if (vectorised) {
      add_vector_loop(b, function, blocks, tail_start, old_columns, new_columns, params, selection, exceptions);
    } else {
      b.CreateBr(tail_start);
    }

    // The remaining rows one at a time (all rows when some value is text).
    b.SetInsertPoint(tail_start);
    llvm::BasicBlock* tail_check = llvm::BasicBlock::Create(context_, "rows", function);
    llvm::BasicBlock* tail_body = llvm::BasicBlock::Create(context_, "row", function);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(context_, "done", function);
    llvm::Value* tail_first = b.CreateShl(blocks, kBlockShift);
    if (vectorised) {
      // The vector steps wrote the low bits of the tail's first word (when the tail does not
      // start a word); clear the rest, which the tail's rows then fill and which must be zero
      // past `length`. No row's data is involved: the branch depends on the length alone.
      llvm::BasicBlock* clear = llvm::BasicBlock::Create(context_, "tail.clear", function);
      llvm::BasicBlock* after = llvm::BasicBlock::Create(context_, "tail.cleared", function);
      llvm::Value* written = b.CreateAnd(tail_first, b.getInt64(63));
      b.CreateCondBr(b.CreateICmpNE(written, b.getInt64(0)), clear, after);
      b.SetInsertPoint(clear);
      llvm::Value* keep = b.CreateSub(b.CreateShl(b.getInt64(1), written), b.getInt64(1));
      llvm::Value* word_index = b.CreateLShr(tail_first, 6);
      for (llvm::Value* words : {selection, exceptions}) {
        llvm::Value* address = b.CreateGEP(i64, words, word_index);
        b.CreateStore(b.CreateAnd(b.CreateLoad(i64, address), keep), address);
      }
      b.CreateBr(after);
      b.SetInsertPoint(after);
    }
    llvm::BasicBlock* tail_entry = b.GetInsertBlock();
    b.CreateBr(tail_check);
    b.SetInsertPoint(tail_check);
    llvm::PHINode* row = b.CreatePHI(i64, 2, "row.index");
    row->addIncoming(tail_first, tail_entry);
    b.CreateCondBr(b.CreateICmpULT(row, length), tail_body, done);

    b.SetInsertPoint(tail_body);
    {
      llvm::Value* word_index = b.CreateLShr(row, 6);
      llvm::Value* bit = b.CreateAnd(row, b.getInt64(63));
      llvm::Value* passes = nullptr;
      llvm::Value* exceptional = nullptr;
      add_row_call_tail(b, row_function, row, old_columns, new_columns, slots, new_slots, function->getArg(3), passes,
                        exceptional);
      // Read-modify-write of the row's word; the first row of a word starts it from zero.
      llvm::Value* first_of_word = b.CreateICmpEQ(bit, b.getInt64(0));
      auto set_bit = [&](llvm::Value* words, llvm::Value* on) {
        llvm::Value* address = b.CreateGEP(i64, words, word_index);
        llvm::Value* word = b.CreateSelect(first_of_word, b.getInt64(0), b.CreateLoad(i64, address));
        b.CreateStore(b.CreateOr(word, b.CreateShl(b.CreateZExt(on, i64), bit)), address);
      };
      set_bit(selection, passes);
      set_bit(exceptions, exceptional);
    }
    row->addIncoming(b.CreateAdd(row, b.getInt64(1)), b.GetInsertBlock());
    b.CreateBr(tail_check);

    b.SetInsertPoint(done);
    b.CreateRetVoid();
  }

  const StatementPlan& plan_;
  const TableDefinition& table_;
  const native::NativePlanLayout& layout_;
  llvm::LLVMContext& context_;
  llvm::Module* module_;
};

}  // namespace

void add_plan_functions(llvm::Module& module, const StatementPlan& plan, const TableDefinition& table,
                        const native::NativePlanLayout& layout, const std::string& row_symbol, const std::string& batch_symbol) {
  PlanModuleBuilder(module, plan, table, layout).add(row_symbol, batch_symbol);
}

}  // namespace weftkit::policy::llvm_backend
