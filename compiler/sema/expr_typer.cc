// AST → typed IR for policy expressions.
#include "compiler/sema/expr_typer.h"

#include <limits>

#include "compiler/ir/constant_folding.h"
#include "compiler/sema/sema_error.h"
#include "compiler/sema/type_rules.h"
#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

std::string type_text(TypeId type) { return std::string(type_name(type)); }

Expr make_node(ExprKind kind, SqlType type, const SourceLocation& where) {
  Expr expr;
  expr.kind = kind;
  expr.type = type;
  expr.where = where;
  return expr;
}

Expr make_constant(Value value, SqlType type, const SourceLocation& where) {
  Expr expr = make_node(ExprKind::kConstant, type, where);
  value.type = type.id;
  expr.constant = std::move(value);
  return expr;
}

class Typer {
 public:
  explicit Typer(const TableDefinition& table) : table_(table) {}

  Expr type(const sql::Expr& ast) {
    return std::visit([&](const auto& node) { return type_node(node, ast.where); }, ast.node);
  }

  // Converts `expr` to `target` where PostgreSQL converts implicitly (an unknown literal is
  // read as the target type right away, as PostgreSQL does when it parses the policy).
  Expr coerce(Expr expr, SqlType target, CastMode mode = CastMode::kImplicit) {
    if (expr.type.id == target.id && (target.max_length < 0 || expr.type == target)) return expr;
    if (expr.type.id == TypeId::kUnknown) {
      if (expr.kind != ExprKind::kConstant) {
        raise_sema_error(expr.where, "cannot determine the type of this expression");
      }
      if (expr.constant.is_null) return make_constant(Value::null_of(target.id), target, expr.where);
      try {
        Value value = cast_value(Value::text_of(expr.constant.text), target, CastMode::kExplicit);
        return make_constant(std::move(value), target, expr.where);
      } catch (const SqlError& error) {
        raise_sema_error(expr.where, error.what());
      }
    }
    if (!cast_exists(expr.type.id, target.id, mode)) {
      raise_sema_error(expr.where, "cannot cast type " + type_text(expr.type.id) + " to " + type_display_name(target));
    }
    Expr cast = make_node(ExprKind::kCast, target, expr.where);
    cast.cast_mode = mode;
    cast.args.push_back(std::move(expr));
    return cast;
  }

  Expr require_boolean(Expr expr, const std::string& construct) {
    if (expr.type.id == TypeId::kBool) return expr;
    if (expr.type.id == TypeId::kUnknown) return coerce(std::move(expr), SqlType{TypeId::kBool});
    raise_sema_error(expr.where, "argument of " + construct + " must be type boolean, not type " +
                                     type_text(expr.type.id));
  }

 private:
  // ---- leaves

  Expr type_node(const sql::ColumnRef& node, const SourceLocation& where) {
    const sql::QualifiedName& parts = node.parts;
    const std::string& column = parts.back().name;
    if (parts.size() > 3) raise_sema_error(where, "improper qualified name (too many dotted names): " +
                                                      sql::qualified_name_text(parts));
    if (parts.size() >= 2) {
      const std::string& qualifier_table = parts[parts.size() - 2].name;
      bool schema_matches = parts.size() < 3 || parts[0].name == table_.name.schema;
      if (qualifier_table != table_.name.table || !schema_matches) {
        std::string qualifier = parts.size() == 3 ? parts[0].name + "." + qualifier_table : qualifier_table;
        raise_sema_error(parts[0].where, "missing FROM-clause entry for table \"" + qualifier + "\"");
      }
    }
    std::optional<uint32_t> index = table_.column_index(column);
    if (!index) {
      std::string shown = parts.size() >= 2 ? parts[parts.size() - 2].name + "." + column : column;
      raise_sema_error(where, "column " + (parts.size() >= 2 ? shown : "\"" + column + "\"") + " does not exist");
    }
    Expr expr = make_node(ExprKind::kColumn, SqlType{table_.columns[*index].type.id}, where);
    expr.column = *index;
    expr.name = column;
    return expr;
  }

  Expr type_node(const sql::IntegerLiteral& node, const SourceLocation& where) {
    // PostgreSQL: integer when it fits, else bigint, else numeric.
    try {
      Decimal value = parse_decimal(node.text);
      if (std::optional<int64_t> integer = decimal_to_exact_int64(value)) {
        if (*integer >= std::numeric_limits<int32_t>::min() && *integer <= std::numeric_limits<int32_t>::max()) {
          return make_constant(Value::integer_of(TypeId::kInt4, *integer), SqlType{TypeId::kInt4}, where);
        }
        return make_constant(Value::integer_of(TypeId::kInt8, *integer), SqlType{TypeId::kInt8}, where);
      }
      return make_constant(Value::numeric(value), SqlType{TypeId::kNumeric}, where);
    } catch (const SqlError& error) {
      raise_sema_error(where, error.what());
    }
  }

  Expr type_node(const sql::NumericLiteral& node, const SourceLocation& where) {
    try {
      return make_constant(Value::numeric(parse_decimal(node.text)), SqlType{TypeId::kNumeric}, where);
    } catch (const SqlError& error) {
      raise_sema_error(where, error.what());
    }
  }

  Expr type_node(const sql::StringLiteral& node, const SourceLocation& where) {
    return make_constant(Value::unknown_literal(node.value), SqlType{TypeId::kUnknown}, where);
  }

  Expr type_node(const sql::BoolLiteral& node, const SourceLocation& where) {
    return make_constant(Value::boolean(node.value), SqlType{TypeId::kBool}, where);
  }

  Expr type_node(const sql::NullLiteral&, const SourceLocation& where) {
    return make_constant(Value::null_of(TypeId::kUnknown), SqlType{TypeId::kUnknown}, where);
  }

  Expr type_node(const sql::TypedLiteral& node, const SourceLocation& where) {
    SqlType target = resolve_type(node.type);
    try {
      return make_constant(cast_value(Value::text_of(node.value), target, CastMode::kExplicit), target, where);
    } catch (const SqlError& error) {
      raise_sema_error(where, error.what());
    }
  }

  Expr type_node(const sql::SpecialValue& node, const SourceLocation& where) {
    return make_node(node.kind == sql::SpecialValueKind::kCurrentUser ? ExprKind::kCurrentUser : ExprKind::kSessionUser,
                     SqlType{TypeId::kText}, where);
  }

  // ---- operators

  Expr type_node(const sql::Unary& node, const SourceLocation& where) {
    Expr operand = type(*node.operand);
    const char* symbol = node.op == sql::UnaryOp::kMinus ? "-" : "+";
    if (operand.type.id == TypeId::kUnknown) {
      raise_sema_error(where, std::string("operator is not unique: ") + symbol + " unknown");
    }
    if (!is_numeric_category(operand.type.id)) {
      raise_sema_error(where, std::string("operator does not exist: ") + symbol + " " + type_text(operand.type.id));
    }
    if (node.op == sql::UnaryOp::kPlus) return operand;
    Expr negate = make_node(ExprKind::kNegate, operand.type, where);
    negate.args.push_back(std::move(operand));
    return negate;
  }

  Expr type_node(const sql::Binary& node, const SourceLocation& where) {
    switch (node.op) {
      case sql::BinaryOp::kAnd:
      case sql::BinaryOp::kOr: {
        const bool is_and = node.op == sql::BinaryOp::kAnd;
        Expr out = make_node(is_and ? ExprKind::kAnd : ExprKind::kOr, SqlType{TypeId::kBool}, where);
        out.args.push_back(require_boolean(type(*node.left), is_and ? "AND" : "OR"));
        out.args.push_back(require_boolean(type(*node.right), is_and ? "AND" : "OR"));
        return out;
      }
      case sql::BinaryOp::kConcat: return concat(type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kEqual: return compare(CompareOp::kEq, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kNotEqual: return compare(CompareOp::kNe, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kLess: return compare(CompareOp::kLt, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kLessEqual: return compare(CompareOp::kLe, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kGreater: return compare(CompareOp::kGt, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kGreaterEqual: return compare(CompareOp::kGe, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kAdd: return arithmetic(ArithmeticOp::kAdd, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kSubtract:
        return arithmetic(ArithmeticOp::kSubtract, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kMultiply:
        return arithmetic(ArithmeticOp::kMultiply, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kDivide: return arithmetic(ArithmeticOp::kDivide, type(*node.left), type(*node.right), where);
      case sql::BinaryOp::kModulo: return arithmetic(ArithmeticOp::kModulo, type(*node.left), type(*node.right), where);
    }
    raise_sema_error(where, "unsupported operator");
  }

  Expr compare(CompareOp op, Expr left, Expr right, const SourceLocation& where) {
    std::optional<TypeId> operand = comparison_type(left.type.id, right.type.id);
    if (!operand) {
      raise_sema_error(where, std::string("operator does not exist: ") + type_text(left.type.id) + " " +
                                  compare_symbol(op) + " " + type_text(right.type.id));
    }
    Expr out = make_node(ExprKind::kCompare, SqlType{TypeId::kBool}, where);
    out.compare = op;
    out.operand_type = *operand;
    out.args.push_back(operand_to(std::move(left), *operand));
    out.args.push_back(operand_to(std::move(right), *operand));
    return out;
  }

  // PostgreSQL has cross-type operators for the integer types among themselves, real with
  // double precision, and the date/time types among themselves: no cast is made there, which
  // matters for dates beyond the timestamp range (they compare as infinity).
  static bool native_cross_type(TypeId from, TypeId to) {
    auto temporal = [](TypeId type) {
      return type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz;
    };
    return (is_integer_type(from) && is_integer_type(to)) || (is_float_type(from) && is_float_type(to)) ||
           (temporal(from) && temporal(to));
  }

  Expr operand_to(Expr expr, TypeId operand) {
    if (expr.type.id != operand && expr.type.id != TypeId::kUnknown && native_cross_type(expr.type.id, operand)) {
      return coerce(std::move(expr), SqlType{operand}, CastMode::kCrossTypeOperand);
    }
    return coerce(std::move(expr), SqlType{operand});
  }

  Expr arithmetic(ArithmeticOp op, Expr left, Expr right, const SourceLocation& where) {
    TypeId a = left.type.id;
    TypeId b = right.type.id;
    if (a == TypeId::kUnknown && b == TypeId::kUnknown) {
      raise_sema_error(where, std::string("operator is not unique: unknown ") + arithmetic_symbol(op) + " unknown");
    }
    if (a == TypeId::kDate || b == TypeId::kDate) return date_arithmetic(op, std::move(left), std::move(right), where);
    std::optional<TypeId> result = arithmetic_type(op, a, b);
    auto temporal = [](TypeId type) { return type == TypeId::kTimestamp || type == TypeId::kTimestamptz; };
    if (!result && op == ArithmeticOp::kSubtract && temporal(a) && temporal(b)) {
      raise_sema_error(where, std::string("subtracting ") + type_text(b) + " from " + type_text(a) +
                                  " yields an interval, which is not supported in WeftKit policies");
    }
    if (!result) {
      raise_sema_error(where, std::string("operator does not exist: ") + type_text(a) + " " + arithmetic_symbol(op) +
                                  " " + type_text(b));
    }
    Expr out = make_node(ExprKind::kArithmetic, SqlType{*result}, where);
    out.arithmetic = op;
    out.args.push_back(coerce(std::move(left), SqlType{*result}));
    out.args.push_back(coerce(std::move(right), SqlType{*result}));
    return out;
  }

  // date + integer, integer + date, date - integer (all date), date - date (integer): days.
  Expr date_arithmetic(ArithmeticOp op, Expr left, Expr right, const SourceLocation& where) {
    TypeId a = left.type.id;
    TypeId b = right.type.id;
    auto small_integer = [](TypeId type) { return type == TypeId::kInt2 || type == TypeId::kInt4; };
    auto fail = [&](const char* problem) -> Expr {
      raise_sema_error(where, std::string(problem) + type_text(a) + " " + arithmetic_symbol(op) + " " + type_text(b));
    };
    if (op == ArithmeticOp::kAdd && (a == TypeId::kUnknown || b == TypeId::kUnknown)) fail("operator is not unique: ");
    auto timestamp = [](TypeId type) { return type == TypeId::kTimestamp || type == TypeId::kTimestamptz; };
    if (op == ArithmeticOp::kSubtract && (timestamp(a) || timestamp(b)) && (a == TypeId::kDate || b == TypeId::kDate)) {
      raise_sema_error(where, std::string("subtracting ") + type_text(b) + " from " + type_text(a) +
                                  " yields an interval, which is not supported in WeftKit policies");
    }
    Expr out = make_node(ExprKind::kArithmetic, SqlType{TypeId::kDate}, where);
    out.arithmetic = op;
    if (op == ArithmeticOp::kSubtract && (a == TypeId::kDate || a == TypeId::kUnknown) &&
        (b == TypeId::kDate || b == TypeId::kUnknown)) {
      out.type = SqlType{TypeId::kInt4};
      out.args.push_back(coerce(std::move(left), SqlType{TypeId::kDate}));
      out.args.push_back(coerce(std::move(right), SqlType{TypeId::kDate}));
      return out;
    }
    bool date_plus_days = a == TypeId::kDate && small_integer(b) &&
                          (op == ArithmeticOp::kAdd || op == ArithmeticOp::kSubtract);
    bool days_plus_date = small_integer(a) && b == TypeId::kDate && op == ArithmeticOp::kAdd;
    if (!date_plus_days && !days_plus_date) fail("operator does not exist: ");
    // Days are added as integer, as date_pli does.
    out.args.push_back(date_plus_days ? std::move(left) : coerce(std::move(left), SqlType{TypeId::kInt4}));
    out.args.push_back(date_plus_days ? coerce(std::move(right), SqlType{TypeId::kInt4}) : std::move(right));
    return out;
  }

  Expr concat(Expr left, Expr right, const SourceLocation& where) {
    auto textual = [](TypeId type) { return type == TypeId::kText || type == TypeId::kUnknown; };
    if (!textual(left.type.id) && !textual(right.type.id)) {
      raise_sema_error(where, "operator does not exist: " + type_text(left.type.id) + " || " + type_text(right.type.id));
    }
    Expr out = make_node(ExprKind::kConcat, SqlType{TypeId::kText}, where);
    // anything || text casts the other side to text (PostgreSQL's anytextcat: $1::text || $2).
    out.args.push_back(to_text(std::move(left)));
    out.args.push_back(to_text(std::move(right)));
    return out;
  }

  Expr to_text(Expr expr) {
    if (expr.type.id == TypeId::kText) return expr;
    if (expr.type.id == TypeId::kUnknown) return coerce(std::move(expr), SqlType{TypeId::kText});
    return coerce(std::move(expr), SqlType{TypeId::kText}, CastMode::kExplicit);
  }

  Expr type_node(const sql::Not& node, const SourceLocation& where) {
    Expr out = make_node(ExprKind::kNot, SqlType{TypeId::kBool}, where);
    out.args.push_back(require_boolean(type(*node.operand), "NOT"));
    return out;
  }

  Expr type_node(const sql::IsNull& node, const SourceLocation& where) {
    Expr out = make_node(ExprKind::kIsNull, SqlType{TypeId::kBool}, where);
    out.negated = node.negated;
    Expr operand = type(*node.operand);
    if (operand.type.id == TypeId::kUnknown) operand = coerce(std::move(operand), SqlType{TypeId::kText});
    out.args.push_back(std::move(operand));
    return out;
  }

  Expr type_node(const sql::IsBool& node, const SourceLocation& where) {
    static const char* kNames[2][3] = {{"IS TRUE", "IS FALSE", "IS UNKNOWN"},
                                       {"IS NOT TRUE", "IS NOT FALSE", "IS NOT UNKNOWN"}};
    int value_index = node.value == sql::BoolTestValue::kTrue ? 0 : node.value == sql::BoolTestValue::kFalse ? 1 : 2;
    ExprKind kind = value_index == 0 ? ExprKind::kIsTrue : value_index == 1 ? ExprKind::kIsFalse : ExprKind::kIsUnknown;
    Expr out = make_node(kind, SqlType{TypeId::kBool}, where);
    out.negated = node.negated;
    out.args.push_back(require_boolean(type(*node.operand), kNames[node.negated ? 1 : 0][value_index]));
    return out;
  }

  // x [NOT] IN (...): items without columns are compared as one array when there are at least
  // two of them and they share a type with x; the others one by one (PostgreSQL's
  // transformAExprIn), OR'ed (AND'ed with <> for NOT IN).
  Expr type_node(const sql::InList& node, const SourceLocation& where) {
    std::vector<Expr> items;
    for (const sql::ExprPtr& item : node.items) items.push_back(type(*item));
    std::vector<Expr> constants;
    std::vector<Expr> with_columns;
    for (Expr& item : items) (references_columns(item) ? with_columns : constants).push_back(std::move(item));
    Expr subject = type(*node.operand);
    std::vector<Expr> conditions;
    std::vector<Expr> one_by_one;
    if (constants.size() > 1) {
      std::vector<TypeId> types = {subject.type.id};
      for (const Expr& item : constants) types.push_back(item.type.id);
      CommonType common = select_common_type(types);
      if (common.type) {
        Expr array = make_node(ExprKind::kInList, SqlType{TypeId::kBool}, where);
        array.negated = node.negated;
        array.operand_type = *common.type;
        array.args.push_back(operand_to(Expr(subject), *common.type));
        for (Expr& item : constants) array.args.push_back(coerce(std::move(item), SqlType{*common.type}));
        conditions.push_back(std::move(array));
        constants.clear();
      }
    }
    for (Expr& item : constants) one_by_one.push_back(std::move(item));
    for (Expr& item : with_columns) one_by_one.push_back(std::move(item));
    for (Expr& item : one_by_one) {
      conditions.push_back(compare(node.negated ? CompareOp::kNe : CompareOp::kEq, Expr(subject), std::move(item), where));
    }
    if (conditions.size() == 1) return std::move(conditions[0]);
    Expr combined = make_node(node.negated ? ExprKind::kAnd : ExprKind::kOr, SqlType{TypeId::kBool}, where);
    combined.args = std::move(conditions);
    return combined;
  }

  Expr type_node(const sql::Between& node, const SourceLocation& where) {
    Expr subject = type(*node.operand);
    Expr out = make_node(node.negated ? ExprKind::kOr : ExprKind::kAnd, SqlType{TypeId::kBool}, where);
    out.args.push_back(compare(node.negated ? CompareOp::kLt : CompareOp::kGe, Expr(subject), type(*node.low), where));
    out.args.push_back(compare(node.negated ? CompareOp::kGt : CompareOp::kLe, std::move(subject), type(*node.high), where));
    return out;
  }

  Expr type_node(const sql::Like& node, const SourceLocation& where) {
    Expr subject = type(*node.operand);
    Expr pattern = type(*node.pattern);
    auto textual = [](TypeId type) { return type == TypeId::kText || type == TypeId::kUnknown; };
    if (!textual(subject.type.id) || !textual(pattern.type.id)) {
      const char* op = node.case_insensitive ? (node.negated ? "!~~*" : "~~*") : (node.negated ? "!~~" : "~~");
      raise_sema_error(where, "operator does not exist: " + type_text(subject.type.id) + " " + op + " " +
                                  type_text(pattern.type.id));
    }
    Expr out = make_node(ExprKind::kLike, SqlType{TypeId::kBool}, where);
    out.negated = node.negated;
    out.case_insensitive = node.case_insensitive;
    out.args.push_back(coerce(std::move(subject), SqlType{TypeId::kText}));
    out.args.push_back(coerce(std::move(pattern), SqlType{TypeId::kText}));
    if (node.escape) {
      Expr escape = type(*node.escape);
      if (!textual(escape.type.id)) {
        raise_sema_error(escape.where, "function like_escape(text, " + type_text(escape.type.id) + ") does not exist");
      }
      out.args.push_back(coerce(std::move(escape), SqlType{TypeId::kText}));
    }
    return out;
  }

  Expr type_node(const sql::Case& node, const SourceLocation& where) {
    Expr out = make_node(ExprKind::kCase, SqlType{TypeId::kUnknown}, where);
    std::optional<Expr> operand;
    if (node.operand) operand = type(*node.operand);
    std::vector<Expr> results;
    for (const sql::CaseWhen& when : node.whens) {
      Expr condition = operand ? compare(CompareOp::kEq, Expr(*operand), type(*when.condition), when.where)
                               : require_boolean(type(*when.condition), "CASE/WHEN");
      out.args.push_back(std::move(condition));
      results.push_back(type(*when.result));
    }
    if (node.else_result) results.push_back(type(*node.else_result));
    // PostgreSQL resolves the result type with the ELSE result first, then the WHENs in order.
    std::vector<Expr> resolution_order;
    if (node.else_result) resolution_order.push_back(results.back());
    for (size_t index = 0; index < node.whens.size(); ++index) resolution_order.push_back(results[index]);
    TypeId common = common_type(resolution_order, "CASE");
    size_t result_index = 0;
    std::vector<Expr> args;
    for (Expr& condition : out.args) {
      args.push_back(std::move(condition));
      args.push_back(coerce(std::move(results[result_index++]), SqlType{common}));
    }
    if (node.else_result) args.push_back(coerce(std::move(results[result_index]), SqlType{common}));
    out.args = std::move(args);
    out.has_else = node.else_result != nullptr;
    out.type = SqlType{common};
    return out;
  }

  TypeId common_type(const std::vector<Expr>& exprs, const std::string& construct) {
    std::vector<TypeId> types;
    for (const Expr& expr : exprs) types.push_back(expr.type.id);
    CommonType common = select_common_type(types);
    if (!common.type) {
      const Expr* offending = &exprs[0];
      for (const Expr& expr : exprs) {
        if (expr.type.id == common.second_mismatch) {
          offending = &expr;
          break;
        }
      }
      raise_sema_error(offending->where, construct + " types " + type_text(common.first_mismatch) + " and " +
                                             type_text(common.second_mismatch) + " cannot be matched");
    }
    return *common.type;
  }

  Expr type_node(const sql::Cast& node, const SourceLocation& where) {
    Expr operand = type(*node.operand);
    SqlType target = resolve_type(node.type);
    if (operand.type.id == TypeId::kUnknown && operand.kind == ExprKind::kConstant) {
      // A literal is read as the target type when the policy is parsed.
      try {
        Value value = operand.constant.is_null ? Value::null_of(target.id)
                                               : cast_value(Value::text_of(operand.constant.text), target, CastMode::kExplicit);
        return make_constant(std::move(value), target, operand.where);
      } catch (const SqlError& error) {
        raise_sema_error(operand.where, error.what());
      }
    }
    if (!cast_exists(operand.type.id, target.id, CastMode::kExplicit)) {
      raise_sema_error(where, "cannot cast type " + type_text(operand.type.id) + " to " + type_display_name(target));
    }
    Expr cast = make_node(ExprKind::kCast, target, where);
    cast.cast_mode = CastMode::kExplicit;
    cast.args.push_back(std::move(operand));
    return cast;
  }

  SqlType resolve_type(const sql::TypeName& written) {
    std::optional<TypeId> id = type_from_name(written.name);
    if (!id) {
      raise_sema_error(written.where, "type \"" + written.name +
                                          "\" is not supported in WeftKit policies (supported: boolean, smallint, "
                                          "integer, bigint, real, double precision, numeric, text, varchar(n), date, "
                                          "timestamp, timestamptz, uuid)");
    }
    SqlType type{*id};
    if (written.name == "varchar" && !written.modifiers.empty()) type.max_length = written.modifiers[0];
    if (*id == TypeId::kNumeric && !written.modifiers.empty()) {
      raise_sema_error(written.where, "numeric with precision and scale is not supported in WeftKit policies");
    }
    return type;
  }

  // ---- functions

  Expr type_node(const sql::FunctionCall& node, const SourceLocation& where) {
    const sql::QualifiedName& name = node.name;
    std::string function = name.back().name;
    if (name.size() > 2 || (name.size() == 2 && name[0].name != "pg_catalog")) {
      raise_sema_error(where, "function " + sql::qualified_name_text(name) + " is not supported in WeftKit policies");
    }
    std::vector<Expr> args;
    for (const sql::ExprPtr& arg : node.args) args.push_back(type(*arg));
    auto signature = [&] {
      std::string text = function + "(";
      for (size_t index = 0; index < args.size(); ++index) text += (index ? ", " : "") + type_text(args[index].type.id);
      return text + ")";
    };
    auto no_such_function = [&]() -> Expr {
      raise_sema_error(where, "function " + signature() + " does not exist");
    };
    if (function == "coalesce" || function == "greatest" || function == "least") {
      ExprKind kind = function == "coalesce" ? ExprKind::kCoalesce
                      : function == "greatest" ? ExprKind::kGreatest
                                               : ExprKind::kLeast;
      std::string construct = function == "coalesce" ? "COALESCE" : function == "greatest" ? "GREATEST" : "LEAST";
      if (args.empty()) no_such_function();
      TypeId common = common_type(args, construct);
      Expr out = make_node(kind, SqlType{common}, where);
      for (Expr& arg : args) out.args.push_back(coerce(std::move(arg), SqlType{common}));
      return out;
    }
    if (function == "nullif") {
      // NULLIF(a, b) compares with a's = operator and returns a: with a cross-type operator a
      // keeps its own type; otherwise a is first converted to the comparison type.
      if (args.size() != 2) no_such_function();
      TypeId left_type = args[0].type.id;
      Expr equality = compare(CompareOp::kEq, std::move(args[0]), std::move(args[1]), where);
      bool cross = left_type != equality.operand_type && left_type != TypeId::kUnknown &&
                   native_cross_type(left_type, equality.operand_type);
      Expr out = make_node(ExprKind::kNullIf, SqlType{cross ? left_type : equality.operand_type}, where);
      out.operand_type = equality.operand_type;
      out.args = std::move(equality.args);
      if (cross) {
        // Keep a itself; the comparison converts it. (Take the child out first: assigning a
        // node from its own child would free the child while it is read.)
        Expr left = std::move(out.args[0].args[0]);
        out.args[0] = std::move(left);
      }
      return out;
    }
    if (function == "lower" || function == "upper" || function == "length") {
      if (args.size() != 1 || (args[0].type.id != TypeId::kText && args[0].type.id != TypeId::kUnknown)) {
        no_such_function();
      }
      ExprKind kind = function == "lower" ? ExprKind::kLower : function == "upper" ? ExprKind::kUpper : ExprKind::kLength;
      Expr out = make_node(kind, SqlType{kind == ExprKind::kLength ? TypeId::kInt4 : TypeId::kText}, where);
      out.args.push_back(coerce(std::move(args[0]), SqlType{TypeId::kText}));
      return out;
    }
    if (function == "abs") {
      if (args.size() != 1) no_such_function();
      TypeId type = args[0].type.id == TypeId::kUnknown ? TypeId::kFloat8 : args[0].type.id;
      if (!is_numeric_category(type)) no_such_function();
      Expr out = make_node(ExprKind::kAbs, SqlType{type}, where);
      out.args.push_back(coerce(std::move(args[0]), SqlType{type}));
      return out;
    }
    if (function == "current_setting") return current_setting(std::move(args), where, signature());
    raise_sema_error(where, "function " + signature() +
                                " is not supported in WeftKit policies (supported: current_setting, coalesce, nullif, "
                                "lower, upper, length, abs, greatest, least)");
  }

  // current_setting(name [, missing_ok]): both must be constants, because session values are
  // bound once per statement.
  Expr current_setting(std::vector<Expr> args, const SourceLocation& where, const std::string& signature) {
    if (args.empty() || args.size() > 2) raise_sema_error(where, "function " + signature + " does not exist");
    Expr name = coerce(std::move(args[0]), SqlType{TypeId::kText});
    if (!name.is_constant() || name.constant.is_null) {
      raise_sema_error(name.where, "the setting name of current_setting must be a string constant in WeftKit policies");
    }
    Expr out = make_node(ExprKind::kSetting, SqlType{TypeId::kText}, where);
    out.name = name.constant.text;
    if (args.size() == 2) {
      Expr missing_ok = coerce(std::move(args[1]), SqlType{TypeId::kBool});
      if (!missing_ok.is_constant() || missing_ok.constant.is_null) {
        raise_sema_error(missing_ok.where, "missing_ok of current_setting must be a boolean constant in WeftKit policies");
      }
      out.missing_ok = missing_ok.constant.truth();
    }
    return out;
  }

  const TableDefinition& table_;
};

// Unknown-typed constants left at the end (e.g. 'x' IS NULL) are text, as PostgreSQL resolves them.
void resolve_unknowns(Expr& expr) {
  if (expr.type.id == TypeId::kUnknown) {
    expr.type.id = TypeId::kText;
    if (expr.is_constant()) expr.constant.type = TypeId::kText;
  }
  for (Expr& arg : expr.args) resolve_unknowns(arg);
}

}  // namespace

Expr type_policy_condition(const sql::Expr& condition, const TableDefinition& table) {
  Typer typer(table);
  Expr typed = typer.require_boolean(typer.type(condition), "POLICY");
  resolve_unknowns(typed);
  return fold_constants(std::move(typed));
}

}  // namespace weftkit::policy
