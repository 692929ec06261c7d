// Typed expressions of row-level-security policies, after semantic analysis: every implicit
// cast is an explicit node, every operator is resolved to its operand types, constants are
// folded. This tree is what every back end evaluates; its semantics are PostgreSQL 15's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diag/source_location.h"
#include "compiler/values/operator_kinds.h"
#include "compiler/values/sql_type.h"
#include "compiler/values/value.h"

namespace weftkit::policy {

enum class ExprKind : uint8_t {
  kConstant,      // `constant`
  kColumn,        // the row's column `column`
  kCurrentUser,   // current_user (text), bound per statement
  kSessionUser,   // session_user (text), bound per statement
  kSetting,       // current_setting(`name`, `missing_ok`) (text), bound per statement
  kCast,          // args[0] converted to `type` (see CastMode)
  kAnd,           // n-ary, three-valued, evaluated left to right
  kOr,            // n-ary, three-valued, evaluated left to right
  kNot,
  kIsNull,        // args[0] IS NULL; `negated` for IS NOT NULL
  kIsTrue,        // IS [NOT] TRUE
  kIsFalse,       // IS [NOT] FALSE
  kIsUnknown,     // IS [NOT] UNKNOWN
  kCompare,       // args[0] `compare` args[1], both of type `operand_type`
  kInList,        // args[0] = ANY (args[1..]) (or <> ALL when `negated`), all of `operand_type`
  kArithmetic,    // args[0] `arithmetic` args[1] in `type`
  kNegate,        // -args[0] in `type`
  kAbs,           // abs(args[0]) in `type`
  kConcat,        // args[0] || args[1], both text
  kLike,          // args[0] [NOT] [I]LIKE args[1] [ESCAPE args[2]], all text
  kLower,
  kUpper,
  kLength,        // characters, as integer
  kCase,          // args: when1, then1, ..., [else]; `has_else`
  kCoalesce,
  kNullIf,        // NULLIF(args[0], args[1]) compared in `operand_type`, result `type`
  kGreatest,
  kLeast,
  kPlanError,     // PostgreSQL raises `message` when it plans a statement using this expression
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  SqlType type;              // result type
  SourceLocation where;      // the token a user would blame
  std::vector<Expr> args;

  Value constant;            // kConstant
  uint32_t column = 0;       // kColumn: position in the table
  std::string name;          // kSetting: setting name; kColumn: column name (for messages)
  std::string message;       // kPlanError
  bool missing_ok = false;   // kSetting
  bool negated = false;      // kIsNull/kIsTrue/kIsFalse/kIsUnknown/kInList/kLike
  bool case_insensitive = false;  // kLike (ILIKE)
  bool has_else = false;     // kCase
  CompareOp compare = CompareOp::kEq;
  ArithmeticOp arithmetic = ArithmeticOp::kAdd;
  CastMode cast_mode = CastMode::kExplicit;
  TypeId operand_type = TypeId::kUnknown;  // kCompare, kInList, kNullIf

  bool is_constant() const { return kind == ExprKind::kConstant; }
};

// Per-kind facts the passes share, so that a kind is described in one place.
struct ExprKindTraits {
  bool evaluates_all_args = false;  // all arguments are evaluated, then the node applies (not AND/OR/CASE/COALESCE)
  bool null_on_null_arg = false;    // PostgreSQL's strict functions: a NULL argument gives NULL
  bool calls_function = false;      // a PostgreSQL function or operator call (for cost and leakproofness)
};
const ExprKindTraits& kind_traits(ExprKind kind);

// PostgreSQL's spelling of an operator, as in "operator does not exist: integer + text".
const char* compare_symbol(CompareOp op);
const char* arithmetic_symbol(ArithmeticOp op);

// Whether the expression reads a column (PostgreSQL treats one that does not as a
// "pseudoconstant", evaluated once per statement).
bool references_columns(const Expr& expr);

// A compact S-expression for tests and --emit dumps: (and (= $tenant_id (cast text ...)) ...).
std::string describe_expr(const Expr& expr);

}  // namespace weftkit::policy
