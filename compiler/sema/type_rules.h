// PostgreSQL 15's operator and type resolution for the types of the policy language, as
// tables: which arithmetic and comparison operators exist for a pair of types and in which
// type they compute, and select_common_type for CASE, COALESCE, GREATEST, LEAST and IN.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/expr.h"

namespace weftkit::policy {

// The type an arithmetic operator computes in; nullopt when PostgreSQL has no such operator.
// Date arithmetic (date +/- integer, date - date) is handled by the caller.
std::optional<TypeId> arithmetic_type(ArithmeticOp op, TypeId left, TypeId right);

// The type both sides of a comparison are converted to; nullopt when there is no operator.
std::optional<TypeId> comparison_type(TypeId left, TypeId right);

// select_common_type: nullopt when two inputs' categories differ (the caller names the
// construct in its message). All-unknown inputs resolve to text.
struct CommonType {
  std::optional<TypeId> type;
  TypeId first_mismatch = TypeId::kUnknown;   // for "X types A and B cannot be matched"
  TypeId second_mismatch = TypeId::kUnknown;
};
CommonType select_common_type(const std::vector<TypeId>& types);


}  // namespace weftkit::policy
