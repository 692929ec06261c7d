// PostgreSQL 15's operators, casts and functions of the policy language over Values: the one
// definition of their semantics (results, overflow, division by zero, messages) shared by
// constant folding and the reference evaluator. Arguments are non-null unless stated; errors
// are raised as SqlError.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/values/operator_kinds.h"
#include "compiler/values/sql_type.h"
#include "compiler/values/value.h"

namespace weftkit::policy {

// Three-way comparison of two values of the same type (PostgreSQL's btree order: NaN above
// every number and equal to itself; text in C collation, i.e. byte order).
int compare_values(const Value& left, const Value& right);

Value apply_arithmetic(ArithmeticOp op, const Value& left, const Value& right, TypeId type);
Value negate_value(const Value& value);
Value abs_value(const Value& value);

// Whether PostgreSQL has a cast from `from` to `to` usable in the given context.
bool cast_exists(TypeId from, TypeId to, CastMode mode);
// Converts a value; a NULL stays NULL (typed `to`).
Value cast_value(const Value& value, const SqlType& to, CastMode mode);

Value concat_text(const Value& left, const Value& right);
Value lower_text(const Value& value);  // ASCII letters only, as in the C locale
Value upper_text(const Value& value);
Value text_length(const Value& value);

// [NOT] LIKE / ILIKE; `escape` absent means the default backslash.
bool like_matches(std::string_view text, std::string_view pattern, const std::optional<std::string>& escape,
                  bool case_insensitive);

}  // namespace weftkit::policy
