// The expression grammar, one function per construct. Weights favour comparisons that involve
// columns, so that policies split rows rather than pass or fail them all.
#include "tests/pg/expression_generator.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "tests/pg/case_sql.h"
#include "tests/pg/value_pools.h"

namespace weftkit::policy::pgtest {
namespace {

constexpr double kRedundantParentheses = 0.12;

SqlType column_sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::kBoolean: return SqlType::kBool;
    case ColumnType::kSmallint: return SqlType::kInt2;
    case ColumnType::kInteger: return SqlType::kInt4;
    case ColumnType::kBigint: return SqlType::kInt8;
    case ColumnType::kText:
    case ColumnType::kVarchar: return SqlType::kText;
    case ColumnType::kDate: return SqlType::kDate;
  }
  return SqlType::kText;
}

int integer_rank(SqlType type) { return type == SqlType::kInt2 ? 0 : type == SqlType::kInt4 ? 1 : 2; }

// PostgreSQL's result type for integer operands of mixed widths: the wider one.
SqlType wider(SqlType left, SqlType right) { return integer_rank(left) >= integer_rank(right) ? left : right; }

std::string integer_type_name(SqlType type) {
  return type == SqlType::kInt2 ? "smallint" : type == SqlType::kInt4 ? "integer" : "bigint";
}

Sql atom(std::string text, SqlType type) { return {std::move(text), type, kPrecedenceAtom}; }

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// LIKE patterns (SQL string contents) mixing literal text, % and _ and backslash escapes.
const std::vector<std::string>& like_patterns() {
  static const std::vector<std::string> patterns = {"a%",        "%a%",   "_",        "%",      "alice",
                                                    "tenant-%",  "tenant-00_", "%\\%%", "a\\_c",  "%-001",
                                                    "A%",        "",      "\\\\%",    "%é%",    "__",
                                                    "%\\\\",     "b_b",   "%C%",      "x\\y"};
  return patterns;
}

}  // namespace

ExpressionGenerator::ExpressionGenerator(RandomSource& random, const GeneratorLanguage& language,
                                         ExpressionScope scope)
    : random_(random), language_(language), scope_(std::move(scope)) {}

std::string ExpressionGenerator::predicate(int depth) { return boolean(depth).text; }

std::string ExpressionGenerator::operand(const Sql& sql, int min_precedence) {
  bool needed = sql.precedence < min_precedence;
  if (needed || (sql.precedence < kPrecedenceAtom && random_.chance(kRedundantParentheses))) {
    return "(" + sql.text + ")";
  }
  return sql.text;
}

// ---- columns and literals ----

std::vector<const Column*> ExpressionGenerator::columns_of(Family family) const {
  std::vector<const Column*> found;
  for (const Column& column : scope_.columns) {
    SqlType type = column_sql_type(column.type);
    bool matches = (family == Family::kBool && type == SqlType::kBool) ||
                   (family == Family::kText && type == SqlType::kText) ||
                   (family == Family::kDate && type == SqlType::kDate) ||
                   (family == Family::kInteger && (type == SqlType::kInt2 || type == SqlType::kInt4 ||
                                                   type == SqlType::kInt8));
    if (matches) found.push_back(&column);
  }
  return found;
}

Sql ExpressionGenerator::column_of(Family family) {
  const Column& column = *random_.pick(columns_of(family));
  std::string name = column.name;
  size_t spelling = random_.weighted({0.8, 0.08, 0.06, 0.06});
  if (spelling == 1) name = scope_.table + "." + column.name;
  if (spelling == 2) name = quote_identifier(column.name);
  if (spelling == 3) std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });  // folds to lower case
  return atom(name, column_sql_type(column.type));
}

Sql ExpressionGenerator::literal(Family family) {
  switch (family) {
    case Family::kBool:
      return atom(random_.pick(std::vector<std::string>{"TRUE", "FALSE", "true", "false"}), SqlType::kBool);
    case Family::kInteger: {
      long long value = random_.pick(common_integers());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) {
        ColumnType pool = language_.has(Feature::kBigint) && random_.chance(0.3) ? ColumnType::kBigint
                          : random_.chance(0.3)                                  ? ColumnType::kSmallint
                                                                                 : ColumnType::kInteger;
        value = random_.pick(edge_integers(pool));
      }
      // Integer literals outside int4 are int8 (and -2147483648 is still int4).
      bool fits_int4 = value >= -2147483648LL && value <= 2147483647LL;
      Sql sql{std::to_string(value), fits_int4 ? SqlType::kInt4 : SqlType::kInt8,
              value < 0 ? kPrecedenceUnaryMinus : kPrecedenceAtom};
      return sql;
    }
    case Family::kText: {
      std::string text = random_.pick(common_texts());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) text = random_.pick(edge_texts());
      if (language_.has(Feature::kNonAscii) && random_.chance(0.08)) text = random_.pick(non_ascii_texts());
      return atom(quote_literal(text), SqlType::kText);
    }
    case Family::kDate: {
      std::string day = random_.pick(common_dates());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) day = random_.pick(edge_dates());
      size_t form = language_.has(Feature::kCasts) ? random_.weighted({0.6, 0.2, 0.2}) : 0;
      if (form == 1) return {quote_literal(day) + "::date", SqlType::kDate, kPrecedenceCast};
      if (form == 2) return atom("CAST(" + quote_literal(day) + " AS date)", SqlType::kDate);
      return atom("DATE " + quote_literal(day), SqlType::kDate);
    }
  }
  throw std::logic_error("literal: unknown family");
}

Sql ExpressionGenerator::typed_null(Family family) {
  SqlType type = family == Family::kBool    ? SqlType::kBool
                 : family == Family::kText  ? SqlType::kText
                 : family == Family::kDate  ? SqlType::kDate
                                            : SqlType::kInt4;
  std::string name = family == Family::kBool ? "boolean" : family == Family::kText ? "text"
                     : family == Family::kDate ? "date" : "integer";
  if (!language_.has(Feature::kCasts)) {
    // Without casts a bare NULL only works where the other operand fixes the type; callers
    // avoid that, so fall back to a literal.
    return literal(family);
  }
  if (random_.chance(0.5)) return {"NULL::" + name, type, kPrecedenceCast};
  return atom("CAST(NULL AS " + name + ")", type);
}

Sql ExpressionGenerator::current_setting_as(Family family) {
  const std::vector<SettingKind>& kinds = setting_kinds();
  std::vector<const SettingKind*> candidates;
  for (const SettingKind& kind : kinds) {
    bool fits = (family == Family::kText && kind.reads_as == ColumnType::kText) ||
                (family == Family::kInteger && kind.reads_as == ColumnType::kInteger) ||
                (family == Family::kDate && kind.reads_as == ColumnType::kDate);
    if (fits && (kind.reads_as != ColumnType::kDate || language_.has(Feature::kDate))) candidates.push_back(&kind);
  }
  const SettingKind* kind = candidates.empty() || random_.chance(0.15) ? &kinds[0] : random_.pick(candidates);
  std::string call = "current_setting(" + quote_literal(kind->name);
  if (random_.chance(0.4)) call += random_.chance(0.8) ? ", true" : ", false";
  call += ")";
  if (family == Family::kText) return atom(call, SqlType::kText);
  if (family == Family::kInteger) {
    SqlType type = random_.chance(0.8) ? SqlType::kInt4 : SqlType::kInt8;
    if (random_.chance(0.6)) return {call + "::" + integer_type_name(type), type, kPrecedenceCast};
    return atom("CAST(" + call + " AS " + integer_type_name(type) + ")", type);
  }
  return {call + "::date", SqlType::kDate, kPrecedenceCast};
}

// ---- values by family ----

Sql ExpressionGenerator::value(Family family, int depth) {
  switch (family) {
    case Family::kBool: return depth <= 0 ? boolean_atom() : boolean(depth);
    case Family::kInteger: return integer(depth);
    case Family::kText: return text(depth);
    case Family::kDate: return date(depth);
  }
  throw std::logic_error("value: unknown family");
}

Sql ExpressionGenerator::integer_leaf() {
  bool has_column = !columns_of(Family::kInteger).empty();
  bool setting = language_.has(Feature::kCurrentSetting) && language_.has(Feature::kCasts);
  bool has_text_column = !columns_of(Family::kText).empty();
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, setting ? 0.4 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.12 : 0.0,
                                    language_.has(Feature::kFunctions) && has_text_column ? 0.3 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kInteger);
    case 2: return current_setting_as(Family::kInteger);
    case 3: return typed_null(Family::kInteger);
    case 4: return atom("length(" + column_of(Family::kText).text + ")", SqlType::kInt4);
    default: return literal(Family::kInteger);
  }
}

Sql ExpressionGenerator::integer(int depth) {
  if (depth <= 0) return integer_leaf();
  bool arithmetic = language_.has(Feature::kArithmetic);
  bool functions = language_.has(Feature::kFunctions);
  bool casts = language_.has(Feature::kCasts);
  bool dates = language_.has(Feature::kDate) && !columns_of(Family::kDate).empty();
  size_t choice = random_.weighted({3.0, arithmetic ? 2.0 : 0.0, language_.has(Feature::kDivision) ? 1.0 : 0.0,
                                    arithmetic ? 0.4 : 0.0, functions ? 0.4 : 0.0, functions ? 0.8 : 0.0,
                                    functions ? 0.3 : 0.0, functions ? 0.4 : 0.0,
                                    language_.has(Feature::kCase) ? 0.4 : 0.0, casts ? 0.4 : 0.0,
                                    casts ? 0.2 : 0.0, casts ? 0.1 : 0.0, dates && arithmetic ? 0.2 : 0.0});
  switch (choice) {
    case 1:
    case 2: {
      Sql left = integer(depth - 1);
      Sql right = integer(depth - 1);
      std::string op = choice == 1 ? random_.pick(std::vector<std::string>{"+", "-", "*"})
                                   : random_.pick(std::vector<std::string>{"/", "%"});
      int precedence = op == "+" || op == "-" ? kPrecedenceAdd : kPrecedenceMultiply;
      return {operand(left, precedence) + " " + op + " " + operand(right, precedence + 1),
              wider(left.type, right.type), precedence};
    }
    case 3: {
      Sql inner = integer(depth - 1);
      std::string text = operand(inner, kPrecedenceUnaryMinus);
      if (text[0] == '-') text = "(" + text + ")";  // "--" would start a comment
      return {"-" + text, inner.type, kPrecedenceUnaryMinus};
    }
    case 4: {
      Sql inner = integer(depth - 1);
      return atom("abs(" + inner.text + ")", inner.type);
    }
    case 5: {
      // coalesce, greatest, least: 2 or 3 arguments, the widest type.
      std::string name = random_.pick(std::vector<std::string>{"coalesce", "greatest", "least", "COALESCE"});
      std::vector<std::string> arguments;
      SqlType type = SqlType::kInt2;
      int count = random_.between(2, 3);
      for (int index = 0; index < count; ++index) {
        Sql argument = integer(depth - 1);
        type = index == 0 ? argument.type : wider(type, argument.type);
        arguments.push_back(argument.text);
      }
      return atom(name + "(" + join(arguments) + ")", type);
    }
    case 6: {
      // nullif has its first argument's type.
      Sql first = integer(depth - 1);
      Sql second = integer(depth - 1);
      return atom("nullif(" + first.text + ", " + second.text + ")", first.type);
    }
    case 7: return atom("length(" + text(depth - 1).text + ")", SqlType::kInt4);
    case 8: return case_when(Family::kInteger, depth);
    case 9: {
      Sql inner = integer(depth - 1);
      SqlType target = random_.pick(std::vector<SqlType>{SqlType::kInt2, SqlType::kInt4, SqlType::kInt8});
      if (target == SqlType::kInt2 && !language_.has(Feature::kSmallint)) target = SqlType::kInt4;
      if (target == SqlType::kInt8 && !language_.has(Feature::kBigint)) target = SqlType::kInt4;
      if (random_.chance(0.5)) return {operand(inner, kPrecedenceCast) + "::" + integer_type_name(target), target, kPrecedenceCast};
      return atom("CAST(" + inner.text + " AS " + integer_type_name(target) + ")", target);
    }
    case 10: {
      Sql inner = text(depth - 1);
      // A quoted literal cast straight to integer is converted (and may fail) at CREATE
      // POLICY time; through text the conversion happens when a statement runs.
      std::string through = inner.text[0] == '\'' ? "::text" : "";
      return {operand(inner, kPrecedenceCast) + through + "::integer", SqlType::kInt4, kPrecedenceCast};
    }
    case 11: {
      Sql inner = boolean(depth - 1);
      return {operand(inner, kPrecedenceCast) + "::integer", SqlType::kInt4, kPrecedenceCast};
    }
    case 12: {
      Sql left = date(depth - 1);
      Sql right = date(depth - 1);
      return {operand(left, kPrecedenceAdd) + " - " + operand(right, kPrecedenceAdd + 1), SqlType::kInt4,
              kPrecedenceAdd};
    }
    default: return integer_leaf();
  }
}

Sql ExpressionGenerator::text_leaf() {
  bool has_column = !columns_of(Family::kText).empty();
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, language_.has(Feature::kCurrentUser) ? 0.6 : 0.0,
                                    language_.has(Feature::kCurrentSetting) ? 0.6 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.1 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kText);
    case 2:
      return atom(random_.pick(std::vector<std::string>{"current_user", "current_user", "CURRENT_USER", "session_user"}),
                  SqlType::kText);
    case 3: return current_setting_as(Family::kText);
    case 4: return typed_null(Family::kText);
    default: return literal(Family::kText);
  }
}

Sql ExpressionGenerator::text(int depth) {
  if (depth <= 0) return text_leaf();
  bool functions = language_.has(Feature::kFunctions);
  bool casts = language_.has(Feature::kCasts);
  size_t choice = random_.weighted({3.0, language_.has(Feature::kConcat) ? 1.2 : 0.0, functions ? 0.6 : 0.0,
                                    functions ? 0.5 : 0.0, functions ? 0.3 : 0.0,
                                    language_.has(Feature::kCase) ? 0.4 : 0.0, casts ? 0.3 : 0.0,
                                    casts && language_.has(Feature::kDate) ? 0.1 : 0.0,
                                    casts && language_.has(Feature::kVarchar) ? 0.2 : 0.0});
  switch (choice) {
    case 1: {
      Sql left = text(depth - 1);
      // text || integer is text too (anynonarray || text).
      Sql right = random_.chance(0.2) ? integer(depth - 1) : text(depth - 1);
      return {operand(left, kPrecedenceOperator) + " || " + operand(right, kPrecedenceOperator + 1), SqlType::kText,
              kPrecedenceOperator};
    }
    case 2: {
      std::string name = random_.pick(std::vector<std::string>{"lower", "upper", "LOWER"});
      return atom(name + "(" + text(depth - 1).text + ")", SqlType::kText);
    }
    case 3: {
      std::string name = random_.pick(std::vector<std::string>{"coalesce", "coalesce", "greatest", "least"});
      std::vector<std::string> arguments;
      int count = random_.between(2, 3);
      for (int index = 0; index < count; ++index) arguments.push_back(text(depth - 1).text);
      return atom(name + "(" + join(arguments) + ")", SqlType::kText);
    }
    case 4: return atom("nullif(" + text(depth - 1).text + ", " + text(depth - 1).text + ")", SqlType::kText);
    case 5: return case_when(Family::kText, depth);
    case 6: {
      Sql inner = integer(depth - 1);
      if (random_.chance(0.5)) return {operand(inner, kPrecedenceCast) + "::text", SqlType::kText, kPrecedenceCast};
      return atom("CAST(" + inner.text + " AS text)", SqlType::kText);
    }
    case 7: {
      Sql inner = date(depth - 1);
      return {operand(inner, kPrecedenceCast) + "::text", SqlType::kText, kPrecedenceCast};
    }
    case 8: {
      Sql inner = text(depth - 1);
      std::string length = std::to_string(random_.pick(std::vector<int>{1, 3, 5}));
      return {operand(inner, kPrecedenceCast) + "::varchar(" + length + ")", SqlType::kText, kPrecedenceCast};
    }
    default: return text_leaf();
  }
}

Sql ExpressionGenerator::date_leaf() {
  bool has_column = !columns_of(Family::kDate).empty();
  bool setting = language_.has(Feature::kCurrentSetting) && language_.has(Feature::kCasts);
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, setting ? 0.2 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.1 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kDate);
    case 2: return current_setting_as(Family::kDate);
    case 3: return typed_null(Family::kDate);
    default: return literal(Family::kDate);
  }
}

Sql ExpressionGenerator::date(int depth) {
  if (depth <= 0) return date_leaf();
  size_t choice = random_.weighted({3.0, language_.has(Feature::kArithmetic) ? 1.0 : 0.0,
                                    language_.has(Feature::kFunctions) ? 0.4 : 0.0,
                                    language_.has(Feature::kCase) ? 0.3 : 0.0});
  switch (choice) {
    case 1: {
      // date + integer and date - integer take int4 (int2 widens implicitly, int8 does not).
      Sql left = date(depth - 1);
      Sql days = integer(depth - 1);
      std::string days_text = operand(days, kPrecedenceAdd + 1);
      if (days.type == SqlType::kInt8) {
        if (!language_.has(Feature::kCasts)) {
          days = literal(Family::kInteger);
          while (days.type == SqlType::kInt8) days = literal(Family::kInteger);
          days_text = operand(days, kPrecedenceAdd + 1);
        } else {
          days_text = "CAST(" + days.text + " AS integer)";
        }
      }
      std::string op = random_.chance(0.5) ? " + " : " - ";
      return {operand(left, kPrecedenceAdd) + op + days_text, SqlType::kDate, kPrecedenceAdd};
    }
    case 2: {
      std::string name = random_.pick(std::vector<std::string>{"coalesce", "greatest", "least"});
      return atom(name + "(" + date(depth - 1).text + ", " + date(depth - 1).text + ")", SqlType::kDate);
    }
    case 3: return case_when(Family::kDate, depth);
    default: return date_leaf();
  }
}

// ---- booleans ----

ExpressionGenerator::Family ExpressionGenerator::comparable_family() {
  // Mostly the family of one of the table's columns, so that the comparison reads the row.
  if (!scope_.columns.empty() && random_.chance(0.85)) {
    SqlType type = column_sql_type(random_.pick(scope_.columns).type);
    if (type == SqlType::kBool) return Family::kBool;
    if (type == SqlType::kText) return Family::kText;
    if (type == SqlType::kDate) return Family::kDate;
    return Family::kInteger;
  }
  std::vector<Family> families = {Family::kInteger, Family::kText, Family::kBool};
  if (language_.has(Feature::kDate)) families.push_back(Family::kDate);
  return random_.pick(families);
}

Sql ExpressionGenerator::boolean_atom() {
  bool has_column = !columns_of(Family::kBool).empty();
  size_t choice = random_.weighted({has_column ? 3.0 : 0.0, 1.0, language_.has(Feature::kCasts) ? 0.1 : 0.0});
  if (choice == 0) return column_of(Family::kBool);
  if (choice == 2) return typed_null(Family::kBool);
  return literal(Family::kBool);
}

Sql ExpressionGenerator::boolean_leaf() {
  bool has_column = !columns_of(Family::kBool).empty();
  size_t choice = random_.weighted({has_column ? 2.0 : 0.0, 0.4, 5.0, language_.has(Feature::kCasts) ? 0.05 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kBool);
    case 1: return literal(Family::kBool);
    case 3: return typed_null(Family::kBool);
    default: return comparison(0);
  }
}

Sql ExpressionGenerator::comparison(int depth) {
  Family family = comparable_family();
  Sql left = value(family, std::max(depth - 1, 0));
  Sql right = value(family, std::max(depth - 1, 0));
  std::string op = random_.pick(std::vector<std::string>{"=", "=", "<>", "!=", "<", "<=", ">", ">="});
  return {operand(left, kPrecedenceComparison + 1) + " " + op + " " + operand(right, kPrecedenceComparison + 1),
          SqlType::kBool, kPrecedenceComparison};
}

Sql ExpressionGenerator::in_list(int depth) {
  Family family = comparable_family();
  Sql subject = value(family, std::max(depth - 1, 0));
  std::vector<std::string> items;
  int count = random_.between(1, 4);
  for (int index = 0; index < count; ++index) {
    items.push_back(random_.chance(0.15) ? value(family, 0).text : literal(family).text);
  }
  if (random_.chance(0.3)) items.insert(items.begin() + random_.between(0, static_cast<int>(items.size())), "NULL");
  std::string op = random_.chance(0.4) ? " NOT IN (" : " IN (";
  return {operand(subject, kPrecedenceLike + 1) + op + join(items) + ")", SqlType::kBool, kPrecedenceLike};
}

Sql ExpressionGenerator::between(int depth) {
  std::vector<Family> families = {Family::kInteger, Family::kText};
  if (language_.has(Feature::kDate)) families.push_back(Family::kDate);
  Family family = comparable_family();
  if (family == Family::kBool) family = random_.pick(families);
  Sql subject = value(family, std::max(depth - 1, 0));
  Sql low = random_.chance(0.7) ? literal(family) : value(family, 0);
  Sql high = random_.chance(0.7) ? literal(family) : value(family, 0);
  std::string op = random_.chance(0.3) ? " NOT BETWEEN " : " BETWEEN ";
  return {operand(subject, kPrecedenceLike + 1) + op + operand(low, kPrecedenceOperator) + " AND " +
              operand(high, kPrecedenceOperator),
          SqlType::kBool, kPrecedenceLike};
}

Sql ExpressionGenerator::like(int depth) {
  Sql subject = text(std::max(depth - 1, 0));
  Sql pattern = random_.chance(0.75) ? atom(quote_literal(random_.pick(like_patterns())), SqlType::kText)
                                     : text(std::max(depth - 1, 0));
  std::string op = random_.pick(std::vector<std::string>{" LIKE ", " LIKE ", " NOT LIKE ", " ILIKE ", " NOT ILIKE "});
  return {operand(subject, kPrecedenceLike + 1) + op + operand(pattern, kPrecedenceLike + 1), SqlType::kBool,
          kPrecedenceLike};
}

Sql ExpressionGenerator::case_when(Family family, int depth) {
  std::string text = "CASE";
  SqlType type = SqlType::kBool;
  bool first = true;
  auto branch_value = [&]() {
    Sql result = value(family, depth - 1);
    if (family == Family::kInteger) {
      type = first ? result.type : wider(type, result.type);
    } else {
      type = result.type;
    }
    first = false;
    return result.text;
  };
  int branches = random_.between(1, 2);
  for (int index = 0; index < branches; ++index) {
    std::string condition = boolean(depth - 1).text;
    text += " WHEN " + condition + " THEN " + branch_value();
  }
  if (random_.chance(0.7)) text += " ELSE " + branch_value();
  return atom(text + " END", type);
}

Sql ExpressionGenerator::boolean(int depth) {
  if (depth <= 0) return boolean_leaf();
  bool has_text = !columns_of(Family::kText).empty();
  size_t choice = random_.weighted({6.0, 2.0, 2.0, 1.0, language_.has(Feature::kIsNull) ? 1.5 : 0.0,
                                    language_.has(Feature::kIsTruth) ? 0.7 : 0.0,
                                    language_.has(Feature::kInList) ? 1.5 : 0.0,
                                    language_.has(Feature::kBetween) ? 1.0 : 0.0,
                                    language_.has(Feature::kLike) ? (has_text ? 1.5 : 0.3) : 0.0,
                                    language_.has(Feature::kCase) ? 0.4 : 0.0,
                                    language_.has(Feature::kFunctions) ? 0.3 : 0.0, 1.0,
                                    language_.has(Feature::kCurrentUser) ? 0.8 : 0.0});
  switch (choice) {
    case 0: return comparison(depth);
    case 1:
    case 2: {
      Sql left = boolean(depth - 1);
      Sql right = boolean(depth - 1);
      int precedence = choice == 1 ? kPrecedenceAnd : kPrecedenceOr;
      std::string op = choice == 1 ? (random_.chance(0.9) ? " AND " : " and ") : (random_.chance(0.9) ? " OR " : " or ");
      return {operand(left, precedence) + op + operand(right, precedence + 1), SqlType::kBool, precedence};
    }
    case 3: return {"NOT " + operand(boolean(depth - 1), kPrecedenceNot), SqlType::kBool, kPrecedenceNot};
    case 4: {
      Family family = comparable_family();
      Sql subject = value(family, depth - 1);
      return {operand(subject, kPrecedenceIs + 1) + (random_.chance(0.5) ? " IS NULL" : " IS NOT NULL"),
              SqlType::kBool, kPrecedenceIs};
    }
    case 5: {
      Sql subject = boolean(depth - 1);
      std::string test = random_.pick(std::vector<std::string>{" IS TRUE", " IS NOT TRUE", " IS FALSE", " IS NOT FALSE"});
      return {operand(subject, kPrecedenceIs + 1) + test, SqlType::kBool, kPrecedenceIs};
    }
    case 6: return in_list(depth);
    case 7: return between(depth);
    case 8: return like(depth);
    case 9: return case_when(Family::kBool, depth);
    case 10: {
      Sql inner = boolean(depth - 1);
      return atom("coalesce(" + inner.text + ", " + literal(Family::kBool).text + ")", SqlType::kBool);
    }
    case 12: {
      // The shapes of real tenant and ownership policies.
      std::string user = random_.chance(0.3) ? "session_user" : "current_user";
      if (!has_text || random_.chance(0.3)) {
        std::vector<std::string> names;
        for (const std::string& name : scope_.user_names) names.push_back(quote_literal(name));
        if (random_.chance(0.5)) {
          return {user + " IN (" + join(names) + ")", SqlType::kBool, kPrecedenceLike};
        }
        return {user + " = " + random_.pick(names), SqlType::kBool, kPrecedenceComparison};
      }
      return {column_of(Family::kText).text + " = " + user, SqlType::kBool, kPrecedenceComparison};
    }
    default: return boolean_leaf();
  }
}

}  // namespace weftkit::policy::pgtest
