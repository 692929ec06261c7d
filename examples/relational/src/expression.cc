// The expression evaluator (see expression.h).
#include "expression.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace relational {
namespace {

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kBoolean: return "boolean";
    case Value::Kind::kInteger: return "integer";
    case Value::Kind::kText: return "text";
    case Value::Kind::kUnknown: return "unknown";
    case Value::Kind::kDate: return "date";
    case Value::Kind::kTimestamp: return "timestamp with time zone";
    case Value::Kind::kNull: return "unknown";
  }
  return "unknown";
}

SqlError no_operator(const std::string& op, const Value& left, const Value& right) {
  return {"42883", "operator does not exist: " + std::string(kind_name(left.kind)) + " " + op + " " + kind_name(right.kind)};
}

ColumnType type_of(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kBoolean: return ColumnType::kBoolean;
    case Value::Kind::kInteger: return ColumnType::kBigint;
    case Value::Kind::kDate: return ColumnType::kDate;
    case Value::Kind::kTimestamp: return ColumnType::kTimestamptz;
    default: return ColumnType::kText;
  }
}

// Brings two non-null operands to one kind: an untyped literal takes the other side's type.
SqlStatus unify(Value& left, Value& right, const std::string& op) {
  auto text_like = [](Value::Kind kind) { return kind == Value::Kind::kText || kind == Value::Kind::kUnknown; };
  if (left.kind == right.kind) return std::nullopt;
  if (text_like(left.kind) && text_like(right.kind)) return std::nullopt;
  if (left.kind == Value::Kind::kUnknown) {
    SqlResult<Value> typed = parse_typed_text(left.text, type_of(right.kind));
    if (!typed.ok()) return typed.error();
    left = typed.value();
    return std::nullopt;
  }
  if (right.kind == Value::Kind::kUnknown) return unify(right, left, op);
  if (left.kind == Value::Kind::kDate && right.kind == Value::Kind::kTimestamp) {
    left = Value{Value::Kind::kTimestamp, left.integer * 86'400'000'000, {}};
    return std::nullopt;
  }
  if (left.kind == Value::Kind::kTimestamp && right.kind == Value::Kind::kDate) return unify(right, left, op);
  return no_operator(op, left, right);
}

int compare_same(const Value& left, const Value& right) {
  if (left.kind == Value::Kind::kText || left.kind == Value::Kind::kUnknown) {
    const int c = left.text.compare(right.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return left.integer < right.integer ? -1 : left.integer > right.integer ? 1 : 0;
}

SqlResult<Value> comparison(const std::string& op, Value left, Value right) {
  if (left.is_null() || right.is_null()) return Value::null();
  if (auto error = unify(left, right, op)) return *error;
  const int c = compare_same(left, right);
  bool answer = false;
  if (op == "=") answer = c == 0;
  else if (op == "<>") answer = c != 0;
  else if (op == "<") answer = c < 0;
  else if (op == "<=") answer = c <= 0;
  else if (op == ">") answer = c > 0;
  else answer = c >= 0;
  return Value::boolean(answer);
}

SqlResult<Value> arithmetic(const std::string& op, Value left, Value right) {
  if (op == "||") {
    if (left.is_null() || right.is_null()) return Value::null();
    return Value::text_value(to_text(left) + to_text(right));
  }
  if (left.is_null() || right.is_null()) return Value::null();
  if (left.kind == Value::Kind::kUnknown) left.kind = Value::Kind::kText;  // resolved below
  if (right.kind == Value::Kind::kUnknown) right.kind = Value::Kind::kText;
  for (Value* operand : {&left, &right}) {
    if (operand->kind == Value::Kind::kText) {
      SqlResult<Value> number = parse_typed_text(operand->text, ColumnType::kBigint);
      if (!number.ok()) return number.error();
      *operand = number.value();
    }
  }
  if (left.kind != Value::Kind::kInteger || right.kind != Value::Kind::kInteger) return no_operator(op, left, right);
  int64_t result = 0;
  bool overflow = false;
  if (op == "+") overflow = __builtin_add_overflow(left.integer, right.integer, &result);
  else if (op == "-") overflow = __builtin_sub_overflow(left.integer, right.integer, &result);
  else if (op == "*") overflow = __builtin_mul_overflow(left.integer, right.integer, &result);
  else {
    if (right.integer == 0) return SqlError{"22012", "division by zero"};
    if (left.integer == INT64_MIN && right.integer == -1) overflow = true;
    else result = left.integer / right.integer;
  }
  if (overflow) return SqlError{"22003", "bigint out of range"};
  return Value::integer_value(result);
}

SqlResult<bool> as_boolean(const Value& value, std::string_view context) {
  if (value.kind == Value::Kind::kBoolean) return value.integer != 0;
  if (value.kind == Value::Kind::kUnknown) {
    SqlResult<Value> parsed = parse_typed_text(value.text, ColumnType::kBoolean);
    if (!parsed.ok()) return parsed.error();
    return parsed.value().integer != 0;
  }
  return SqlError{"42804", "argument of " + std::string(context) + " must be type boolean, not type " + kind_name(value.kind)};
}

SqlResult<Value> logical(const Expression& expression, const EvaluationScope& scope) {
  const bool is_and = expression.op == "AND";
  bool saw_null = false;
  for (const ExpressionPtr& operand : expression.operands) {
    SqlResult<Value> value = evaluate(*operand, scope);
    if (!value.ok()) return value;
    if (value.value().is_null()) {
      saw_null = true;
      continue;
    }
    SqlResult<bool> truth = as_boolean(value.value(), expression.op);
    if (!truth.ok()) return truth.error();
    if (truth.value() != is_and) return Value::boolean(!is_and);  // FALSE decides AND, TRUE decides OR
  }
  return saw_null ? Value::null() : Value::boolean(is_and);
}

SqlResult<Value> function_call(const Expression& expression, const EvaluationScope& scope) {
  std::vector<Value> arguments;
  for (const ExpressionPtr& operand : expression.operands) {
    SqlResult<Value> value = evaluate(*operand, scope);
    if (!value.ok()) return value;
    arguments.push_back(std::move(value).value());
  }
  const std::string& name = expression.name;
  auto wrong_arguments = [&]() { return SqlError{"42883", "function " + name + " with these arguments does not exist"}; };
  if (name == "current_setting") {
    if (arguments.empty() || arguments.size() > 2) return wrong_arguments();
    if (arguments[0].is_null()) return Value::null();
    const bool missing_ok = arguments.size() == 2 && arguments[1].kind == Value::Kind::kBoolean && arguments[1].integer;
    std::optional<std::string> setting = scope.setting ? scope.setting(arguments[0].text) : std::nullopt;
    if (!setting) {
      if (missing_ok) return Value::null();
      return SqlError{"42704", "unrecognized configuration parameter \"" + arguments[0].text + "\""};
    }
    return Value::text_value(*setting);
  }
  if (name == "now" || name == "current_timestamp" || name == "current_date") {
    if (!arguments.empty()) return wrong_arguments();
    // Microseconds since 2000-01-01 UTC (946684800 s after the Unix epoch).
    const int64_t unix_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count();
    const int64_t micros = unix_micros - 946'684'800'000'000;
    if (name == "current_date") {
      const int64_t day = 86'400'000'000;
      return Value{Value::Kind::kDate, (micros >= 0 ? micros : micros - day + 1) / day, {}};
    }
    return Value{Value::Kind::kTimestamp, micros, {}};
  }
  if (name == "version") {
    if (!arguments.empty()) return wrong_arguments();
    return Value::text_value("PostgreSQL 15.0 (weftkit-relational, a WeftKit Policy example engine)");
  }
  if (name == "coalesce") {
    if (arguments.empty()) return wrong_arguments();
    for (Value& argument : arguments) {
      if (!argument.is_null()) return std::move(argument);
    }
    return Value::null();
  }
  if (name == "lower" || name == "upper" || name == "length") {
    if (arguments.size() != 1) return wrong_arguments();
    if (arguments[0].is_null()) return Value::null();
    std::string text = to_text(arguments[0]);
    if (name == "length") return Value::integer_value(static_cast<int64_t>(text.size()));
    for (char& c : text) {
      c = static_cast<char>(name == "lower" ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
    }
    return Value::text_value(std::move(text));
  }
  return SqlError{"42883", "function " + name + " does not exist"};
}

}  // namespace

std::optional<size_t> column_index(const std::vector<ColumnDef>& columns, std::string_view name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return i;
  }
  return std::nullopt;
}

SqlResult<Value> evaluate(const Expression& expression, const EvaluationScope& scope) {
  using Kind = Expression::Kind;
  switch (expression.kind) {
    case Kind::kLiteral: return expression.value;
    case Kind::kCurrentUser: return Value::text_value(std::string(scope.user));
    case Kind::kColumn: {
      if (scope.columns == nullptr || scope.row == nullptr) return undefined_column(expression.name);
      std::optional<size_t> index = column_index(*scope.columns, expression.name);
      if (!index) return undefined_column(expression.name);
      return (*scope.row)[*index];
    }
    case Kind::kUnary: {
      SqlResult<Value> operand = evaluate(*expression.operands[0], scope);
      if (!operand.ok() || operand.value().is_null()) return operand;
      if (expression.op == "NOT") {
        SqlResult<bool> truth = as_boolean(operand.value(), "NOT");
        if (!truth.ok()) return truth.error();
        return Value::boolean(!truth.value());
      }
      return arithmetic("-", Value::integer_value(0), operand.value());
    }
    case Kind::kBinary: {
      if (expression.op == "AND" || expression.op == "OR") return logical(expression, scope);
      SqlResult<Value> left = evaluate(*expression.operands[0], scope);
      if (!left.ok()) return left;
      SqlResult<Value> right = evaluate(*expression.operands[1], scope);
      if (!right.ok()) return right;
      if (expression.op == "+" || expression.op == "-" || expression.op == "*" || expression.op == "/" ||
          expression.op == "||") {
        return arithmetic(expression.op, left.value(), right.value());
      }
      return comparison(expression.op, left.value(), right.value());
    }
    case Kind::kIsNull: {
      SqlResult<Value> operand = evaluate(*expression.operands[0], scope);
      if (!operand.ok()) return operand;
      return Value::boolean(operand.value().is_null() != expression.negated);
    }
    case Kind::kInList: {
      SqlResult<Value> needle = evaluate(*expression.operands[0], scope);
      if (!needle.ok()) return needle;
      bool saw_null = needle.value().is_null();
      bool found = false;
      for (size_t i = 1; i < expression.operands.size() && !found; ++i) {
        SqlResult<Value> item = evaluate(*expression.operands[i], scope);
        if (!item.ok()) return item;
        SqlResult<Value> equal = comparison("=", needle.value(), item.value());
        if (!equal.ok()) return equal;
        if (equal.value().is_null()) saw_null = true;
        else if (equal.value().integer) found = true;
      }
      if (found) return Value::boolean(!expression.negated);
      if (saw_null) return Value::null();
      return Value::boolean(expression.negated);
    }
    case Kind::kFunction: return function_call(expression, scope);
    case Kind::kCast: {
      SqlResult<Value> operand = evaluate(*expression.operands[0], scope);
      if (!operand.ok() || operand.value().is_null()) return operand;
      Value value = operand.value();
      if (value.kind != Value::Kind::kUnknown && value.kind != Value::Kind::kText) value = Value::unknown(to_text(value));
      if (expression.cast_type == ColumnType::kText) return Value::text_value(value.text);
      SqlResult<Value> cast = parse_typed_text(value.text, expression.cast_type);
      if (cast.ok() && cast.value().kind == Value::Kind::kInteger) return cast;
      return cast;
    }
  }
  return internal_error("unknown expression kind");
}

SqlResult<bool> is_true(const Expression& expression, const EvaluationScope& scope) {
  SqlResult<Value> value = evaluate(expression, scope);
  if (!value.ok()) return value.error();
  if (value.value().is_null()) return false;
  return as_boolean(value.value(), "WHERE");
}

SqlStatus check_columns(const Expression& expression, const std::vector<ColumnDef>* columns) {
  if (expression.kind == Expression::Kind::kColumn) {
    if (columns == nullptr || !column_index(*columns, expression.name)) return undefined_column(expression.name);
  }
  for (const ExpressionPtr& operand : expression.operands) {
    if (auto error = check_columns(*operand, columns)) return error;
  }
  return std::nullopt;
}

std::string output_name(const Expression& expression) {
  switch (expression.kind) {
    case Expression::Kind::kColumn: return expression.name;
    case Expression::Kind::kFunction: return expression.name;
    case Expression::Kind::kCurrentUser: return "current_user";
    case Expression::Kind::kCast: return output_name(*expression.operands[0]);
    default: return "?column?";
  }
}

int compare_for_sort(const Value& left, const Value& right) {
  if (left.kind == Value::Kind::kText || left.kind == Value::Kind::kUnknown) {
    const int c = left.text.compare(right.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return left.integer < right.integer ? -1 : left.integer > right.integer ? 1 : 0;
}

}  // namespace relational
