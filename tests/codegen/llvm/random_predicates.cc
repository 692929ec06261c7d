// Random tables, typed expression trees and statement plans (see random_predicates.h). Every
// node is typed the way compiler/sema/expr_typer.cc types it: operands of a comparison, IN or
// NULLIF in `operand_type`, arithmetic in its result type, casts with the mode sema would
// give them.
#include "tests/codegen/llvm/random_predicates.h"

#include <cstdint>
#include <limits>
#include <map>

#include "compiler/values/operations.h"
#include "tests/codegen/llvm/random_values.h"

namespace weftkit::policy::jittest {
namespace {

bool is_integer(TypeId type) { return type == TypeId::kInt2 || type == TypeId::kInt4 || type == TypeId::kInt8; }
bool is_float(TypeId type) { return type == TypeId::kFloat4 || type == TypeId::kFloat8; }
bool is_timestamp(TypeId type) { return type == TypeId::kTimestamp || type == TypeId::kTimestamptz; }

Expr node(ExprKind kind, TypeId type, std::vector<Expr> args = {}) {
  Expr expr;
  expr.kind = kind;
  expr.type = SqlType{type};
  expr.args = std::move(args);
  return expr;
}

Expr constant(Value value, TypeId type) {
  Expr expr = node(ExprKind::kConstant, type);
  value.type = type;
  expr.constant = std::move(value);
  return expr;
}

bool is_number(TypeId type) { return is_integer(type) || is_float(type) || type == TypeId::kNumeric; }

// The types PostgreSQL casts to `to` (every cast of cast_exists, all lowered natively), other
// than `to`; text (whose casts mostly raise on random text) only when `from_text`.
std::vector<TypeId> cast_sources(TypeId to, bool from_text = true) {
  std::vector<TypeId> sources;
  for (TypeId from : native_types()) {
    if (from == to || (from == TypeId::kText && !from_text)) continue;
    if (cast_exists(from, to, CastMode::kExplicit)) sources.push_back(from);
  }
  return sources;
}

// The modes sema gives such a cast: explicit (CAST, ::) always; assignment for a narrowing
// one; implicit for a widening one; a cross-type operand where a cross-type operator compares
// the narrower type as the wider (int2 = int8, real < double precision, date < timestamp).
// Only date -> timestamp behaves differently across modes, so it draws the cross-type mode
// more often.
CastMode random_cast_mode(RandomSource& random, TypeId from, TypeId to) {
  if (from == TypeId::kText) return CastMode::kExplicit;  // a type's input function
  if (to == TypeId::kText) return random.chance(0.5) ? CastMode::kExplicit : CastMode::kAssignment;
  if (from == TypeId::kBool || to == TypeId::kBool) return CastMode::kExplicit;
  // Between numbers, widening is what converts implicitly (the compiler's own rule).
  bool widening = (is_number(from) && is_number(to) && from != to && cast_exists(from, to, CastMode::kImplicit)) ||
                  (from == TypeId::kDate && to != TypeId::kDate) || (from == TypeId::kTimestamp && to == TypeId::kTimestamptz);
  bool same_family = (is_integer(from) && is_integer(to)) || (is_float(from) && is_float(to)) ||
                     from == TypeId::kDate || (is_timestamp(from) && is_timestamp(to));
  std::vector<CastMode> modes = {CastMode::kExplicit};
  if (!widening) modes.push_back(CastMode::kAssignment);
  if (widening) modes.push_back(CastMode::kImplicit);
  if (widening && same_family) modes.push_back(CastMode::kCrossTypeOperand);
  if (from == TypeId::kDate) modes.push_back(CastMode::kCrossTypeOperand);
  return random.pick(modes);
}

Expr cast_to(RandomSource& random, Expr arg, TypeId to) {
  TypeId from = arg.type.id;
  Expr cast = node(ExprKind::kCast, to, {std::move(arg)});
  cast.cast_mode = random_cast_mode(random, from, to);
  return cast;
}

class ExprGenerator {
 public:
  ExprGenerator(RandomSource& random, const TableDefinition& table) : random_(random), table_(table) {
    for (uint32_t index = 0; index < table.columns.size(); ++index) {
      columns_[table.columns[index].type.id].push_back(index);
    }
  }

  Expr condition(int depth) {
    // A bare leaf is a poor condition: mostly start with an operator.
    return random_.chance(0.9) ? composite(TypeId::kBool, depth - 1) : of_type(TypeId::kBool, depth);
  }

  Expr of_type(TypeId type, int depth) {
    if (depth <= 0 || random_.chance(depth >= 3 ? 0.2 : 0.45)) return leaf(type);
    return composite(type, depth - 1);
  }

 private:
  bool has_column(TypeId type) const { return columns_.count(type) != 0; }

  Expr column(TypeId type) {
    uint32_t index = random_.pick(columns_.at(type));
    Expr expr = node(ExprKind::kColumn, type);
    expr.column = index;
    expr.name = table_.columns[index].name;
    return expr;
  }

  // A column of `type`, or a cast of a column of another type, if the table allows either.
  std::optional<Expr> column_based(TypeId type) {
    std::vector<TypeId> sources;
    for (TypeId from : cast_sources(type, random_.chance(0.3))) {
      if (has_column(from)) sources.push_back(from);
    }
    if (has_column(type) && (sources.empty() || random_.chance(0.75))) return column(type);
    if (sources.empty()) return std::nullopt;
    return cast_to(random_, column(random_.pick(sources)), type);
  }

  Expr literal(TypeId type) {
    if (random_.chance(0.12)) return constant(Value::null_of(type), type);
    return constant(random_value(random_, type, 0.5), type);
  }

  // current_setting(...) (text), current_user, session_user, or a cast of a setting: bound
  // once per statement; a setting that is unset (missing_ok false) or does not read as the
  // type raises, in the rows that reach it.
  Expr parameter(TypeId type) {
    if (type == TypeId::kText && random_.chance(0.3)) {
      return node(random_.chance(0.7) ? ExprKind::kCurrentUser : ExprKind::kSessionUser, TypeId::kText);
    }
    std::vector<SettingKind> matching;
    for (const SettingKind& kind : setting_kinds()) {
      if (kind.reads_as == type || (is_integer(type) && is_integer(kind.reads_as))) matching.push_back(kind);
    }
    const SettingKind& kind = !matching.empty() && random_.chance(0.9) ? random_.pick(matching) : random_.pick(setting_kinds());
    Expr setting = node(ExprKind::kSetting, TypeId::kText);
    setting.name = kind.name;
    setting.missing_ok = random_.chance(0.5);
    if (type == TypeId::kText) return setting;
    Expr cast = node(ExprKind::kCast, type, {std::move(setting)});
    cast.cast_mode = CastMode::kExplicit;
    return cast;
  }

  Expr leaf(TypeId type) {
    switch (random_.weighted({24, 10, 3})) {
      case 0:
        if (std::optional<Expr> found = column_based(type)) return std::move(*found);
        return literal(type);
      case 1: return literal(type);
      default: return parameter(type);
    }
  }

  Expr composite(TypeId type, int depth) {
    switch (type) {
      case TypeId::kBool: return boolean(depth);
      case TypeId::kInt2:
      case TypeId::kInt4:
      case TypeId::kInt8:
      case TypeId::kFloat4:
      case TypeId::kFloat8:
      case TypeId::kNumeric: return number(type, depth);
      case TypeId::kTimestamp:
      case TypeId::kTimestamptz:
      case TypeId::kUuid:
        if (random_.chance(0.5)) return cast_to(random_, of_type(random_.pick(cast_sources(type)), depth), type);
        return conditional(type, depth);
      case TypeId::kDate:
        switch (random_.weighted({2, 2, 3})) {
          case 0: return date_arithmetic(depth);
          case 1: return cast_to(random_, of_type(random_.pick(cast_sources(type)), depth), type);
          default: return conditional(type, depth);
        }
      default: return text(depth);
    }
  }

  // date + integer, integer + date, date - integer; the days sometimes far out of range.
  Expr date_arithmetic(int depth) {
    int shape = static_cast<int>(random_.between(0, 2));
    static const std::vector<int64_t> kFarDays = {2147483647, -2147483648LL, 2000000000, -2451545, 1, -1};
    Expr days = random_.chance(0.3) ? constant(Value::integer_of(TypeId::kInt4, random_.pick(kFarDays)), TypeId::kInt4)
                                    : of_type(TypeId::kInt4, depth);
    Expr date = of_type(TypeId::kDate, depth);
    Expr out = shape == 1 ? node(ExprKind::kArithmetic, TypeId::kDate, {std::move(days), std::move(date)})
                          : node(ExprKind::kArithmetic, TypeId::kDate, {std::move(date), std::move(days)});
    out.arithmetic = shape == 2 ? ArithmeticOp::kSubtract : ArithmeticOp::kAdd;
    return out;
  }

  // Text functions, casts to text and varchar(n), or a conditional.
  Expr text(int depth) {
    switch (random_.weighted({2, 1, 1, 3, 1, 3})) {
      case 0: return node(ExprKind::kConcat, TypeId::kText, {of_type(TypeId::kText, depth), of_type(TypeId::kText, depth)});
      case 1: return node(ExprKind::kLower, TypeId::kText, {of_type(TypeId::kText, depth)});
      case 2: return node(ExprKind::kUpper, TypeId::kText, {of_type(TypeId::kText, depth)});
      case 3: return cast_to(random_, of_type(random_.pick(cast_sources(TypeId::kText)), depth), TypeId::kText);
      case 4: {
        // varchar(n): explicit casts truncate, assignments raise unless only spaces go.
        Expr arg = random_.chance(0.7) ? of_type(TypeId::kText, depth) : of_type(random_.pick(native_types()), depth);
        TypeId from = arg.type.id;
        Expr cast = node(ExprKind::kCast, TypeId::kText, {std::move(arg)});
        cast.type.max_length = static_cast<int32_t>(random_.between(0, 4));
        cast.cast_mode = random_.chance(0.5) ? CastMode::kExplicit : CastMode::kAssignment;
        if (from != TypeId::kText) cast.cast_mode = CastMode::kExplicit;
        return cast;
      }
      default: return conditional(TypeId::kText, depth);
    }
  }

  Expr boolean(int depth) {
    switch (random_.weighted({3, 1, 2, 2, 6, 3, 3, 2, 1})) {
      case 0: {
        Expr logical = node(random_.chance(0.5) ? ExprKind::kAnd : ExprKind::kOr, TypeId::kBool);
        int count = static_cast<int>(random_.between(2, 4));
        for (int index = 0; index < count; ++index) logical.args.push_back(of_type(TypeId::kBool, depth));
        return logical;
      }
      case 1: return node(ExprKind::kNot, TypeId::kBool, {of_type(TypeId::kBool, depth)});
      case 2: {
        Expr test = node(ExprKind::kIsNull, TypeId::kBool, {of_type(random_.pick(native_types()), depth)});
        test.negated = random_.chance(0.5);
        return test;
      }
      case 3: {
        static const std::vector<ExprKind> kTests = {ExprKind::kIsTrue, ExprKind::kIsFalse, ExprKind::kIsUnknown};
        Expr test = node(random_.pick(kTests), TypeId::kBool, {of_type(TypeId::kBool, depth)});
        test.negated = random_.chance(0.5);
        return test;
      }
      case 4: return comparison(depth);
      case 5: return in_list(depth);
      case 6: return like(depth);
      case 7: return conditional(TypeId::kBool, depth);
      default: return cast_to(random_, of_type(TypeId::kInt4, depth), TypeId::kBool);
    }
  }

  Expr comparison(int depth) {
    static const std::vector<CompareOp> kOps = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                                                CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};
    TypeId operand = random_.pick(native_types());
    Expr compare = node(ExprKind::kCompare, TypeId::kBool, {of_type(operand, depth), of_type(operand, depth)});
    compare.compare = random_.pick(kOps);
    compare.operand_type = operand;
    return compare;
  }

  // x [NOT] IN (items): mostly constants (as sema builds its array), some NULL, sometimes an
  // expression.
  Expr in_list(int depth) {
    TypeId operand = random_.pick(native_types());
    Expr in = node(ExprKind::kInList, TypeId::kBool, {of_type(operand, depth)});
    int count = static_cast<int>(random_.between(1, 5));
    for (int index = 0; index < count; ++index) {
      in.args.push_back(random_.chance(0.8) ? literal(operand) : of_type(operand, depth - 1));
    }
    in.negated = random_.chance(0.5);
    in.operand_type = operand;
    return in;
  }

  Expr like(int depth) {
    Expr pattern = random_.chance(0.7) ? constant(Value::text_of(random_like_pattern(random_)), TypeId::kText)
                                       : of_type(TypeId::kText, depth);
    Expr match = node(ExprKind::kLike, TypeId::kBool, {of_type(TypeId::kText, depth), std::move(pattern)});
    if (random_.chance(0.4)) {
      match.args.push_back(random_.chance(0.85) ? constant(Value::text_of(random_like_escape(random_)), TypeId::kText)
                                                : of_type(TypeId::kText, depth - 1));
    }
    match.negated = random_.chance(0.5);
    match.case_insensitive = random_.chance(0.5);
    return match;
  }

  Expr number(TypeId type, int depth) {
    if (type == TypeId::kInt4 && random_.chance(0.1)) {
      // length(text) and date - date are integers too.
      if (random_.chance(0.5)) return node(ExprKind::kLength, TypeId::kInt4, {of_type(TypeId::kText, depth)});
      Expr difference = node(ExprKind::kArithmetic, TypeId::kInt4, {of_type(TypeId::kDate, depth), of_type(TypeId::kDate, depth)});
      difference.arithmetic = ArithmeticOp::kSubtract;
      return difference;
    }
    switch (random_.weighted({8, 1, 1, 3, 3})) {
      case 0: {
        std::vector<ArithmeticOp> ops = {ArithmeticOp::kAdd, ArithmeticOp::kSubtract, ArithmeticOp::kMultiply,
                                         ArithmeticOp::kDivide};
        if (!is_float(type)) ops.push_back(ArithmeticOp::kModulo);  // no float % in PostgreSQL
        Expr arithmetic = node(ExprKind::kArithmetic, type, {of_type(type, depth), of_type(type, depth)});
        arithmetic.arithmetic = random_.pick(ops);
        if (random_.chance(0.5)) {
          // One operand one of the few values that overflow the operator, divide by zero or
          // make MIN / -1 with an edge value of the other; the other then mostly a column, so
          // that the generated code (not a parameter) computes it.
          bool divides = arithmetic.arithmetic == ArithmeticOp::kDivide || arithmetic.arithmetic == ArithmeticOp::kModulo;
          size_t tight = divides ? (random_.chance(0.8) ? 1 : 0) : (random_.chance(0.5) ? 0 : 1);
          arithmetic.args[tight] = tight_operand(type, arithmetic.arithmetic, tight == 1);
          if (random_.chance(0.7)) {
            if (std::optional<Expr> other = column_based(type)) arithmetic.args[1 - tight] = std::move(*other);
          }
        }
        return arithmetic;
      }
      case 1: return node(ExprKind::kNegate, type, {of_type(type, depth)});
      case 2: return node(ExprKind::kAbs, type, {of_type(type, depth)});
      case 3: return cast_to(random_, of_type(random_.pick(cast_sources(type)), depth), type);
      default: return conditional(type, depth);
    }
  }

  Expr tight_operand(TypeId type, ArithmeticOp op, bool divisor) {
    if (type == TypeId::kNumeric) {
      std::vector<std::string> values = {"0", "NaN", "Infinity", "-Infinity", "1e-400", "0.001", "1e131071", "-1"};
      if (divisor) values = {"0", "0", "0.000", "NaN", "Infinity", "3", "0.0000000000000000000001"};
      return constant(parse_value(random_.pick(values), type), type);
    }
    if (is_integer(type)) {
      int64_t limit = type == TypeId::kInt2 ? INT16_MAX : type == TypeId::kInt4 ? INT32_MAX : INT64_MAX;
      std::vector<int64_t> values = {-1, 0, 1, 2, limit, -limit - 1};
      if (divisor) values = {-1, -1, -1, 0, 0, 1, 2, limit};  // MIN / -1 overflows, MIN % -1 is 0
      if (op == ArithmeticOp::kDivide && !divisor) values = {-limit - 1, -limit - 1, 0, limit};
      return constant(Value::integer_of(type, random_.pick(values)), type);
    }
    bool single = type == TypeId::kFloat4;
    double smallest = single ? std::numeric_limits<float>::denorm_min() : std::numeric_limits<double>::denorm_min();
    double largest = single ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
    double value = random_.pick(std::vector<double>{0.0, -0.0, -1.0, smallest, largest, 1e-30, 1e30,
                                                    std::numeric_limits<double>::infinity(),
                                                    std::numeric_limits<double>::quiet_NaN()});
    return constant(Value::real_of(type, single ? static_cast<double>(static_cast<float>(value)) : value), type);
  }

  // CASE, COALESCE, NULLIF, GREATEST, LEAST with a result of `type`.
  Expr conditional(TypeId type, int depth) {
    // NULLIF of real (rare: reals are few) more often, to reach its cross-type form too.
    switch (random_.weighted({3, 2, type == TypeId::kFloat4 ? 6 : 2, 2, 2})) {
      case 0: {
        Expr when = node(ExprKind::kCase, type);
        int pairs = static_cast<int>(random_.between(1, 3));
        for (int index = 0; index < pairs; ++index) {
          when.args.push_back(of_type(TypeId::kBool, depth));
          when.args.push_back(of_type(type, depth));
        }
        when.has_else = random_.chance(0.6);
        if (when.has_else) when.args.push_back(of_type(type, depth));
        return when;
      }
      case 1: {
        Expr coalesce = node(ExprKind::kCoalesce, type);
        int count = static_cast<int>(random_.between(1, 4));
        for (int index = 0; index < count; ++index) coalesce.args.push_back(of_type(type, depth));
        return coalesce;
      }
      case 2: {
        Expr null_if = node(ExprKind::kNullIf, type, {of_type(type, depth), of_type(type, depth)});
        null_if.operand_type = type;
        // With a cross-type =, the first argument keeps its own (narrower) type.
        static const std::map<TypeId, TypeId> kWider = {{TypeId::kInt2, TypeId::kInt8}, {TypeId::kInt4, TypeId::kInt8},
                                                        {TypeId::kFloat4, TypeId::kFloat8}, {TypeId::kDate, TypeId::kTimestamp},
                                                        {TypeId::kTimestamp, TypeId::kTimestamptz}};
        auto wider = kWider.find(type);
        if (wider != kWider.end() && random_.chance(0.5)) {
          null_if.operand_type = wider->second;
          null_if.args[1] = of_type(wider->second, depth);
        }
        return null_if;
      }
      default: {
        Expr extreme = node(random_.chance(0.5) ? ExprKind::kGreatest : ExprKind::kLeast, type);
        int count = static_cast<int>(random_.between(1, 4));
        for (int index = 0; index < count; ++index) extreme.args.push_back(of_type(type, depth));
        return extreme;
      }
    }
  }

  RandomSource& random_;
  const TableDefinition& table_;
  std::map<TypeId, std::vector<uint32_t>> columns_;
};

std::vector<Expr> random_conditions(RandomSource& random, const TableDefinition& table, int low, int high) {
  std::vector<Expr> conditions;
  int count = static_cast<int>(random.between(low, high));
  for (int index = 0; index < count; ++index) conditions.push_back(random_condition(random, table, 4));
  return conditions;
}

}  // namespace

TableDefinition random_table(RandomSource& random) {
  TableDefinition table;
  table.name = ResourceName{"public", "t"};
  table.rls_enabled = true;
  std::vector<TypeId> types;
  for (TypeId type : native_types()) {
    if (random.chance(0.85)) types.push_back(type);
    if (random.chance(0.25)) types.push_back(type);
  }
  if (types.empty()) types.push_back(TypeId::kInt4);
  for (size_t index = types.size(); index > 1; --index) {
    std::swap(types[index - 1], types[static_cast<size_t>(random.between(0, static_cast<int64_t>(index) - 1))]);
  }
  for (size_t index = 0; index < types.size(); ++index) {
    ColumnDefinition column;
    column.name = "c" + std::to_string(index) + "_" + std::string(type_name(types[index]));
    for (char& c : column.name) {
      if (c == ' ') c = '_';
    }
    column.type = SqlType{types[index]};
    table.columns.push_back(std::move(column));
  }
  return table;
}

const char* plan_shape_name(PlanShape shape) {
  switch (shape) {
    case PlanShape::kSelect: return "SELECT-like (filters only)";
    case PlanShape::kInsert: return "INSERT-like (checks only)";
    case PlanShape::kUpdate: return "UPDATE-like (filters on the old row, checks on a separate new row)";
    case PlanShape::kFilterAndCheck: return "filters and checks on the same row";
  }
  return "?";
}

Expr random_condition(RandomSource& random, const TableDefinition& table, int depth) {
  return ExprGenerator(random, table).condition(depth);
}

RandomPlan random_plan(RandomSource& random, const TableDefinition& table) {
  RandomPlan out;
  out.shape = static_cast<PlanShape>(random.weighted({35, 20, 35, 10}));
  out.plan.filtered_by_row_security = true;
  if (out.shape != PlanShape::kInsert) out.plan.row_filters = random_conditions(random, table, 1, 3);
  if (out.shape != PlanShape::kSelect) {
    int checks = static_cast<int>(random.between(1, 2));
    for (int index = 0; index < checks; ++index) {
      NewRowCheck check;
      check.conditions = random_conditions(random, table, 1, 2);
      // Distinct messages, so that a violation reported for the wrong check shows.
      check.violation_message = index == 0 ? "new row violates row-level security policy for table \"t\""
                                           : "new row violates row-level security policy \"p" +
                                                 std::to_string(index) + "\" for table \"t\"";
      out.plan.new_row_checks.push_back(std::move(check));
    }
  }
  return out;
}

}  // namespace weftkit::policy::jittest
