// Lowers the typed expressions of a statement plan to LLVM IR over "lanes": one row (the row
// function and the batch code's one-row tail) or 64 rows at once as LLVM vectors (the batch
// code's main loop). Every node becomes straight-line code — selects, never branches on data —
// with PostgreSQL's three-valued logic, its evaluation order (an argument that PostgreSQL
// would not evaluate cannot raise) and its errors. Internal to codegen/llvm.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "codegen/native/native_plan.h"
#include "compiler/ir/expr.h"

namespace weftkit::policy::llvm_backend {

// A value in every lane: `value` in the type's LLVM form (i1 bool, i16/i32/i64 integers,
// i32 date, i64 timestamps, float/double, ptr text with `length` i64), `is_null` i1 lanes and
// `error`: with error ids, an i32 NativeError (0 = none); otherwise i1 lanes "raised".
struct Lanes {
  llvm::Value* value = nullptr;
  llvm::Value* length = nullptr;
  llvm::Value* is_null = nullptr;
  llvm::Value* error = nullptr;
};

// A parameter as loaded (once, before any loop) from the NativeDatum block, in scalar form.
struct ScalarParam {
  llvm::Value* value = nullptr;
  llvm::Value* length = nullptr;
  llvm::Value* is_null = nullptr;   // i1
  llvm::Value* is_error = nullptr;  // i1
};

// The LLVM scalar type that holds a native SQL type.
llvm::Type* native_llvm_type(llvm::LLVMContext& context, TypeId type);

// Loads one NativeDatum of `type` at `datum` (a pointer): value (and length for text), is_null
// and, for a parameter (`with_error`), is_error, in scalar form.
ScalarParam load_datum(llvm::IRBuilderBase& builder, llvm::Value* datum, TypeId type, bool with_error = true);

// Loads every parameter of `layout` from `params` (a const NativeDatum*) at the builder's
// insertion point.
std::vector<ScalarParam> load_params(llvm::IRBuilderBase& builder, llvm::Value* params, const native::NativePlanLayout& layout);

class ExprLowering {
 public:
  // Reads column `column` of the row (`new_row`: of the statement's new row) in lane form.
  using ColumnLoader = std::function<Lanes(uint32_t column, bool new_row)>;

  // `width` 1 or 64. `error_ids`: carry which error (row function) instead of whether.
  ExprLowering(llvm::IRBuilderBase& builder, const native::NativePlanLayout& layout, const std::vector<ScalarParam>& params,
               unsigned width, bool error_ids, ColumnLoader load_column);

  // The condition's lanes, reading the new row's columns when `new_row`.
  Lanes lower(const Expr& condition, bool new_row);

  // Lane helpers the plan code shares.
  llvm::Value* all_lanes(bool value);          // i1 lanes
  llvm::Value* raised(llvm::Value* error);     // i1 lanes: the error is set
  llvm::Value* no_error();
  // `first` if it is set, else `second` where `reached`, else none.
  llvm::Value* then_error(llvm::Value* first, llvm::Value* reached, llvm::Value* second);
  llvm::Type* lanes_of(llvm::Type* scalar);

 private:
  Lanes node(const Expr& expr);
  Lanes column(const Expr& expr);
  Lanes compound(const Expr& expr);  // any other node, lowered afresh
  Lanes param(uint32_t index, TypeId type);
  Lanes constant(const Expr& expr);
  Lanes logical(const Expr& expr, bool is_and);
  Lanes case_when(const Expr& expr);
  Lanes coalesce(const Expr& expr);
  Lanes strict(const Expr& expr);
  Lanes compare(const Expr& expr, const std::vector<Lanes>& args);
  Lanes in_list(const Expr& expr, const std::vector<Lanes>& args);
  Lanes arithmetic(const Expr& expr, const std::vector<Lanes>& args);
  Lanes negate_or_abs(const Expr& expr, const Lanes& arg);
  Lanes cast(const Lanes& arg, TypeId from, const SqlType& to, CastMode mode);
  Lanes extreme(const Expr& expr, const std::vector<Lanes>& args);
  Lanes null_if(const Expr& expr, const std::vector<Lanes>& args);
  Lanes like(const Expr& expr, const std::vector<Lanes>& args);

  // predicate_lowering_calls.cc: nodes computed by helper calls (predicate_helpers.h), which
  // run one row at a time (the layout sees to it), and the date arithmetic around them.
  Lanes call_node(const Expr& expr, const std::vector<Lanes>& args);
  Lanes date_arithmetic(const Expr& expr, const std::vector<Lanes>& args);
  llvm::Value* timestamp_to_date(llvm::Value* micros);
  llvm::Value* compare_numeric(CompareOp op, const Lanes& left, const Lanes& right);
  Lanes pointer_constant(const Expr& expr);
  void reset_scratch();
  llvm::Value* entry_alloca(unsigned bytes, const char* name);

  // i1 lanes: `left` `op` `right` for two non-null values of `type` (PostgreSQL's btree order).
  llvm::Value* compare_values(CompareOp op, TypeId type, const Lanes& left, const Lanes& right);
  llvm::Value* error_where(llvm::Value* condition, uint32_t error);  // the error in lanes where condition holds
  llvm::Value* splat(llvm::Value* scalar);
  llvm::Value* constant_of(llvm::Type* scalar, uint64_t bits);
  Lanes select_lanes(llvm::Value* condition, const Lanes& when_true, const Lanes& when_false);
  uint32_t out_of_range_error(TypeId type);

  llvm::IRBuilderBase& b_;
  llvm::LLVMContext& context_;
  const native::NativePlanLayout& layout_;
  const std::vector<ScalarParam>& params_;
  unsigned width_;
  bool error_ids_;
  ColumnLoader load_column_;
  bool new_row_ = false;
  // Columns already read, by column * 2 + new_row: the code is one basic block, so a column's
  // lanes are read once however often the plan refers to it.
  std::unordered_map<uint32_t, Lanes> columns_;
  // Lanes of the subexpressions lowered so far, by identity (expr_identity) and row: policies repeat
  // conditions (tenant_id = current_setting(...)::int in several policies of a table), and a
  // pure computation in one basic block can be reused as it is. The caller's reached/raised
  // logic decides, per occurrence, whether its value or error counts.
  std::unordered_map<std::string, Lanes> lowered_;
  llvm::Value* call_args_ = nullptr;  // native::NativeDatum[2] in the function's entry block
  llvm::Value* call_out_ = nullptr;   // native::NativeDatum
  bool scratch_reset_ = false;        // the first condition frees the previous row's scratch text
};

}  // namespace weftkit::policy::llvm_backend
