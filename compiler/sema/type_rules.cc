// Operator and common-type resolution tables, read off PostgreSQL 15 (pg_typeof and EXPLAIN
// VERBOSE over every pair of the dialect's types).
#include "compiler/sema/type_rules.h"

#include "compiler/values/operations.h"

namespace weftkit::policy {
namespace {

int integer_rank(TypeId type) { return type == TypeId::kInt2 ? 0 : type == TypeId::kInt4 ? 1 : 2; }

TypeId wider_integer(TypeId left, TypeId right) { return integer_rank(left) >= integer_rank(right) ? left : right; }

// Numbers: integers mix into the wider integer, integers and numeric into numeric, anything
// with a float into double precision (real only when both are real, or real and an unknown).
std::optional<TypeId> numeric_operands(TypeId left, TypeId right) {
  if (left == TypeId::kUnknown && right == TypeId::kUnknown) return std::nullopt;
  if (left == TypeId::kUnknown) return is_numeric_category(right) ? std::optional(right) : std::nullopt;
  if (right == TypeId::kUnknown) return is_numeric_category(left) ? std::optional(left) : std::nullopt;
  if (!is_numeric_category(left) || !is_numeric_category(right)) return std::nullopt;
  if (is_integer_type(left) && is_integer_type(right)) return wider_integer(left, right);
  if (left == right) return left;
  if (is_float_type(left) || is_float_type(right)) return TypeId::kFloat8;
  return TypeId::kNumeric;
}

}  // namespace

std::optional<TypeId> arithmetic_type(ArithmeticOp op, TypeId left, TypeId right) {
  std::optional<TypeId> type = numeric_operands(left, right);
  if (!type) return std::nullopt;
  if (op == ArithmeticOp::kModulo && is_float_type(*type)) return std::nullopt;  // no float %
  return type;
}

std::optional<TypeId> comparison_type(TypeId left, TypeId right) {
  if (left == TypeId::kUnknown && right == TypeId::kUnknown) return TypeId::kText;
  if (left == TypeId::kUnknown) return right;
  if (right == TypeId::kUnknown) return left;
  if (left == right) return left;
  if (is_numeric_category(left) && is_numeric_category(right)) return numeric_operands(left, right);
  auto temporal = [](TypeId type) {
    return type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz;
  };
  if (temporal(left) && temporal(right)) {
    // Cross-type comparisons compare as the more precise type (timestamptz above timestamp
    // above date).
    if (left == TypeId::kTimestamptz || right == TypeId::kTimestamptz) return TypeId::kTimestamptz;
    return TypeId::kTimestamp;
  }
  return std::nullopt;
}

CommonType select_common_type(const std::vector<TypeId>& types) {
  CommonType result;
  std::optional<TypeId> chosen;
  for (TypeId type : types) {
    if (type == TypeId::kUnknown) continue;
    if (!chosen) {
      chosen = type;
      continue;
    }
    if (type == *chosen) continue;
    if (type_category(type) != type_category(*chosen)) {
      result.first_mismatch = *chosen;
      result.second_mismatch = type;
      return result;
    }
    // Move to the new type when the current one converts to it implicitly but not back, unless
    // the current one is its category's preferred type.
    if (!is_preferred_type(*chosen) && cast_exists(*chosen, type, CastMode::kImplicit) &&
        !cast_exists(type, *chosen, CastMode::kImplicit)) {
      chosen = type;
    }
  }
  result.type = chosen.value_or(TypeId::kText);
  return result;
}

}  // namespace weftkit::policy
