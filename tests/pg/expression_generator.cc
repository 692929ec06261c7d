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

Sql atom(std::string text, SqlType type) { return {std::move(text), type, kPrecedenceAtom}; }

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string upper_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
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

// Numeric literals (type numeric in PostgreSQL) and floating-point inputs for casts.
const std::vector<std::string>& numeric_literals() {
  static const std::vector<std::string> literals = {"1.5", "0.1", "2.50", "-0.5", "100.0", "0.333", "1e3", "-2.5"};
  return literals;
}
// Literal inputs are converted when the policy is created, so each must fit its type.
const std::vector<std::string>& float_inputs(SqlType type) {
  static const std::vector<std::string> real = {"1.5", "0.1", "-0.5", "NaN", "Infinity", "-Infinity", "3.4028235e38", "0"};
  static const std::vector<std::string> double_precision = {"1.5", "0.1", "-0.5", "NaN", "Infinity", "-Infinity",
                                                            "1e308", "0", "0.30000000000000004"};
  return type == SqlType::kFloat4 ? real : double_precision;
}

}  // namespace

ExpressionGenerator::ExpressionGenerator(RandomSource& random, const GeneratorLanguage& language,
                                         ExpressionScope scope)
    : random_(random), language_(language), scope_(std::move(scope)) {}

std::string ExpressionGenerator::predicate(int depth) { return boolean(depth).text; }

std::string ExpressionGenerator::setting_predicate(int depth) {
  Sql clause = setting_clause();
  // No NOT around it: negate_clause would turn `column <> setting` into `=`, an equivalence
  // class candidate (see setting_clause).
  switch (random_.weighted({3.0, 1.5, 1.5, 0.0, 0.4})) {
    case 1:
    case 2: {
      // Either side first: AND/OR stop early at run time, the planner's estimation does not.
      Sql other = boolean(std::max(depth - 1, 0));
      bool setting_first = random_.chance(0.5);
      const Sql& left = setting_first ? clause : other;
      const Sql& right = setting_first ? other : clause;
      int precedence = kPrecedenceAnd + (random_.chance(0.5) ? 0 : -1);
      std::string op = precedence == kPrecedenceAnd ? " AND " : " OR ";
      return operand(left, precedence) + op + operand(right, precedence + 1);
    }
    case 4: return operand(clause, kPrecedenceIs + 1) + (random_.chance(0.5) ? " IS TRUE" : " IS NOT FALSE");
    default: return clause.text;
  }
}

Sql ExpressionGenerator::setting_expression(Family family) {
  Sql setting = current_setting_as(family);
  if (family == Family::kNumber && language_.has(Feature::kArithmetic) && random_.chance(0.25)) {
    Sql other = literal(Family::kNumber);
    return {operand(setting, kPrecedenceAdd) + (random_.chance(0.5) ? " + " : " - ") + operand(other, kPrecedenceAdd + 1),
            arithmetic_result(setting.type, other.type), kPrecedenceAdd};
  }
  if (family == Family::kText && language_.has(Feature::kFunctions) && random_.chance(0.25)) {
    return atom(random_.pick(std::vector<std::string>{"lower", "upper"}) + "(" + setting.text + ")", SqlType::kText);
  }
  return setting;
}

// The clause shapes whose column-free parts planning evaluates. No `=` between a setting and a
// constant: PostgreSQL may merge that into an equivalence class with another `column =
// constant` and check it as a one-time filter, which eval does not model.
Sql ExpressionGenerator::setting_clause() {
  std::vector<Family> families = {Family::kNumber, Family::kNumber, Family::kText};
  if (family_available(Family::kTemporal) && language_.has(Feature::kDate)) families.push_back(Family::kTemporal);
  if (family_available(Family::kUuid)) families.push_back(Family::kUuid);
  Family family = random_.pick(families);
  bool has_column = !columns_of(family).empty();
  std::vector<std::string> non_equal = {"<>", "<", "<=", ">", ">="};
  switch (random_.weighted({language_.has(Feature::kInList) ? 3.0 : 0.0, has_column ? 2.5 : 0.0,
                            has_column && language_.has(Feature::kInList) ? 1.0 : 0.0, 1.0})) {
    case 0: {
      // The whole IN reads no column: a list of at least two constants is one array.
      Sql subject = setting_expression(family);
      std::vector<std::string> items;
      int count = random_.between(2, 4);
      for (int index = 0; index < count; ++index) items.push_back(literal(family).text);
      if (random_.chance(0.35)) items.insert(items.begin() + random_.between(0, static_cast<int>(items.size())), "NULL");
      std::string op = random_.chance(0.4) ? " NOT IN (" : " IN (";
      return {operand(subject, kPrecedenceLike + 1) + op + join(items) + ")", SqlType::kBool, kPrecedenceLike};
    }
    case 1: {
      // A column against a setting: the setting side is evaluated while planning.
      Sql column = column_of(family);
      Sql setting = setting_expression(family);
      std::string op = random_.pick(non_equal);
      bool column_left = random_.chance(0.6);
      const Sql& left = column_left ? column : setting;
      const Sql& right = column_left ? setting : column;
      return {operand(left, kPrecedenceComparison + 1) + " " + op + " " + operand(right, kPrecedenceComparison + 1),
              SqlType::kBool, kPrecedenceComparison};
    }
    case 2: {
      // A column IN a list holding a setting: the setting is part of the constant array.
      Sql column = column_of(family);
      std::vector<std::string> items = {setting_expression(family).text, literal(family).text};
      if (random_.chance(0.5)) items.push_back(literal(family).text);
      random_.shuffle(items);
      std::string op = random_.chance(0.4) ? " NOT IN (" : " IN (";
      return {operand(column, kPrecedenceLike + 1) + op + join(items) + ")", SqlType::kBool, kPrecedenceLike};
    }
    default: {
      // Both sides column-free: not estimated, so an error surfaces only for rows that reach it.
      Sql setting = setting_expression(family);
      Sql other = literal(family);
      return {operand(setting, kPrecedenceComparison + 1) + " " + random_.pick(non_equal) + " " +
                  operand(other, kPrecedenceComparison + 1),
              SqlType::kBool, kPrecedenceComparison};
    }
  }
}

std::string ExpressionGenerator::operand(const Sql& sql, int min_precedence) {
  bool needed = sql.precedence < min_precedence;
  if (needed || (sql.precedence < kPrecedenceAtom && random_.chance(kRedundantParentheses))) {
    return "(" + sql.text + ")";
  }
  return sql.text;
}

// ---- columns, literals, settings, casts ----

bool ExpressionGenerator::family_available(Family family) const {
  if (family == Family::kTemporal) return language_.has(Feature::kDate) || language_.has(Feature::kTimestamp);
  if (family == Family::kUuid) return language_.has(Feature::kUuid);
  return true;
}

std::vector<const Column*> ExpressionGenerator::columns_of(Family family) const {
  std::vector<const Column*> found;
  for (const Column& column : scope_.columns) {
    if (family_of(column_sql_type(column.type)) == family) found.push_back(&column);
  }
  return found;
}

Sql ExpressionGenerator::column_of(Family family) {
  const Column& column = *random_.pick(columns_of(family));
  std::string name = column.name;
  size_t spelling = random_.weighted({0.8, 0.08, 0.06, 0.06});
  if (spelling == 1) name = scope_.table + "." + column.name;
  if (spelling == 2) name = quote_identifier(column.name);
  if (spelling == 3) name = upper_case(name);  // folds to lower case
  return atom(name, column_sql_type(column.type));
}

Sql ExpressionGenerator::cast_to(const Sql& inner, SqlType target) {
  // A quoted literal cast straight to another type is converted (and may fail) at CREATE
  // POLICY time; through text the conversion happens when a statement runs.
  bool quoted_literal = inner.text[0] == '\'' && inner.precedence == kPrecedenceAtom;
  std::string source = quoted_literal && target != SqlType::kText ? inner.text + "::text" : inner.text;
  if (quoted_literal || random_.chance(0.5)) {
    return {(quoted_literal ? source : operand(inner, kPrecedenceCast)) + "::" + type_name(target), target,
            kPrecedenceCast};
  }
  return atom("CAST(" + source + " AS " + type_name(target) + ")", target);
}

Sql ExpressionGenerator::literal(Family family) {
  switch (family) {
    case Family::kBool:
      return atom(random_.pick(std::vector<std::string>{"TRUE", "FALSE", "true", "false"}), SqlType::kBool);
    case Family::kNumber: {
      bool floats = language_.has(Feature::kFloat);
      size_t kind = random_.weighted({0.65, floats ? 0.2 : 0.0, floats && language_.has(Feature::kCasts) ? 0.15 : 0.0});
      if (kind == 1) {
        std::string text = random_.pick(numeric_literals());
        return {text, SqlType::kNumeric, text[0] == '-' ? kPrecedenceUnaryMinus : kPrecedenceAtom};
      }
      if (kind == 2) {
        SqlType type = random_.chance(0.5) ? SqlType::kFloat4 : SqlType::kFloat8;
        std::string input = quote_literal(random_.pick(float_inputs(type)));
        if (random_.chance(0.6)) return {input + "::" + type_name(type), type, kPrecedenceCast};
        return atom("CAST(" + input + " AS " + type_name(type) + ")", type);
      }
      long long value = random_.pick(common_integers());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) {
        ColumnType pool = language_.has(Feature::kBigint) && random_.chance(0.3) ? ColumnType::kBigint
                          : random_.chance(0.3)                                  ? ColumnType::kSmallint
                                                                                 : ColumnType::kInteger;
        value = random_.pick(edge_integers(pool));
      }
      // Integer literals outside int4 are int8 (and -2147483648 is still int4).
      bool fits_int4 = value >= -2147483648LL && value <= 2147483647LL;
      return {std::to_string(value), fits_int4 ? SqlType::kInt4 : SqlType::kInt8,
              value < 0 ? kPrecedenceUnaryMinus : kPrecedenceAtom};
    }
    case Family::kText: {
      std::string text = random_.pick(common_texts());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) text = random_.pick(edge_texts());
      if (language_.has(Feature::kNonAscii) && random_.chance(0.08)) text = random_.pick(non_ascii_texts());
      return atom(quote_literal(text), SqlType::kText);
    }
    case Family::kTemporal: {
      bool timestamp = language_.has(Feature::kTimestamp) && (!language_.has(Feature::kDate) || random_.chance(0.4));
      SqlType type = timestamp ? SqlType::kTimestamp : SqlType::kDate;
      std::string value = timestamp ? random_.pick(common_timestamps()) : random_.pick(common_dates());
      if (language_.has(Feature::kEdgeValues) && random_.chance(0.2)) {
        value = timestamp ? random_.pick(edge_timestamps()) : random_.pick(edge_dates());
      }
      size_t form = language_.has(Feature::kCasts) ? random_.weighted({0.6, 0.2, 0.2}) : 0;
      if (form == 1) return {quote_literal(value) + "::" + type_name(type), type, kPrecedenceCast};
      if (form == 2) return atom("CAST(" + quote_literal(value) + " AS " + type_name(type) + ")", type);
      return atom(upper_case(type_name(type)) + " " + quote_literal(value), type);
    }
    case Family::kUuid: {
      std::string value = quote_literal(random_.pick(uuids()));
      if (random_.chance(0.7)) return {value + "::uuid", SqlType::kUuid, kPrecedenceCast};
      return atom("CAST(" + value + " AS uuid)", SqlType::kUuid);
    }
  }
  throw std::logic_error("literal: unknown family");
}

Sql ExpressionGenerator::typed_null(Family family) {
  if (!language_.has(Feature::kCasts)) {
    // Without casts a bare NULL only works where the other operand fixes the type; callers
    // avoid that, so fall back to a literal.
    return literal(family);
  }
  SqlType type = SqlType::kBool;
  switch (family) {
    case Family::kBool: type = SqlType::kBool; break;
    case Family::kNumber: type = SqlType::kInt4; break;
    case Family::kText: type = SqlType::kText; break;
    case Family::kTemporal: type = language_.has(Feature::kDate) ? SqlType::kDate : SqlType::kTimestamp; break;
    case Family::kUuid: type = SqlType::kUuid; break;
  }
  if (random_.chance(0.5)) return {"NULL::" + type_name(type), type, kPrecedenceCast};
  return atom("CAST(NULL AS " + type_name(type) + ")", type);
}

Sql ExpressionGenerator::current_setting_as(Family family) {
  std::vector<SettingKind> kinds = settings_for(language_);
  std::vector<const SettingKind*> matching;
  for (const SettingKind& kind : kinds) {
    Family reads_as = family_of(column_sql_type(kind.reads_as));
    if (reads_as == family) matching.push_back(&kind);
  }
  // Now and then a setting meant as another type: its cast fails at run time.
  const SettingKind* kind = matching.empty() || random_.chance(0.15) ? &random_.pick(kinds) : random_.pick(matching);
  std::string call = "current_setting(" + quote_literal(kind->name);
  if (random_.chance(0.4)) call += random_.chance(0.8) ? ", true" : ", false";
  Sql setting = atom(call + ")", SqlType::kText);
  switch (family) {
    case Family::kText: return setting;
    case Family::kNumber: {
      std::vector<SqlType> targets = {SqlType::kInt4, SqlType::kInt4, SqlType::kInt8};
      if (language_.has(Feature::kFloat)) targets.push_back(SqlType::kFloat8);
      return cast_to(setting, random_.pick(targets));
    }
    case Family::kTemporal:
      return cast_to(setting, language_.has(Feature::kDate) ? SqlType::kDate : SqlType::kTimestamp);
    case Family::kUuid: return cast_to(setting, SqlType::kUuid);
    case Family::kBool: break;
  }
  throw std::logic_error("current_setting_as: no boolean settings");
}

// ---- values by family ----

Sql ExpressionGenerator::value(Family family, int depth) {
  switch (family) {
    case Family::kBool: return depth <= 0 ? boolean_atom() : boolean(depth);
    case Family::kNumber: return number(depth);
    case Family::kText: return text(depth);
    case Family::kTemporal: return temporal(depth);
    case Family::kUuid: return uuid(depth);
  }
  throw std::logic_error("value: unknown family");
}

Sql ExpressionGenerator::common_call(Family family, int depth) {
  std::string name = random_.pick(std::vector<std::string>{"coalesce", "coalesce", "greatest", "least", "COALESCE"});
  std::vector<std::string> arguments;
  Sql first = value(family, depth - 1);
  SqlType type = first.type;
  arguments.push_back(first.text);
  int count = random_.between(2, 3);
  for (int index = 1; index < count; ++index) {
    Sql argument = value(family, depth - 1);
    if (family == Family::kNumber || family == Family::kTemporal) type = common_type(type, argument.type);
    arguments.push_back(argument.text);
  }
  return atom(name + "(" + join(arguments) + ")", type);
}

std::string ExpressionGenerator::as_integer_operand(const Sql& number, int min_precedence) {
  if (number.type == SqlType::kInt2 || number.type == SqlType::kInt4) return operand(number, min_precedence);
  return "CAST(" + number.text + " AS integer)";
}

Sql ExpressionGenerator::number_leaf() {
  bool has_column = !columns_of(Family::kNumber).empty();
  bool setting = language_.has(Feature::kCurrentSetting) && language_.has(Feature::kCasts);
  bool has_text_column = !columns_of(Family::kText).empty();
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, setting ? 0.4 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.12 : 0.0,
                                    language_.has(Feature::kFunctions) && has_text_column ? 0.3 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kNumber);
    case 2: return current_setting_as(Family::kNumber);
    case 3: return typed_null(Family::kNumber);
    case 4: return atom("length(" + column_of(Family::kText).text + ")", SqlType::kInt4);
    default: return literal(Family::kNumber);
  }
}

Sql ExpressionGenerator::number(int depth) {
  if (depth <= 0) return number_leaf();
  bool arithmetic = language_.has(Feature::kArithmetic);
  bool functions = language_.has(Feature::kFunctions);
  bool casts = language_.has(Feature::kCasts);
  bool dates = language_.has(Feature::kDate) && !columns_of(Family::kTemporal).empty();
  size_t choice = random_.weighted({3.0, arithmetic ? 2.0 : 0.0, language_.has(Feature::kDivision) ? 1.0 : 0.0,
                                    arithmetic ? 0.4 : 0.0, functions ? 0.4 : 0.0, functions ? 0.8 : 0.0,
                                    functions ? 0.3 : 0.0, functions ? 0.4 : 0.0,
                                    language_.has(Feature::kCase) ? 0.4 : 0.0, casts ? 0.4 : 0.0,
                                    casts ? 0.2 : 0.0, casts ? 0.1 : 0.0, dates && arithmetic ? 0.2 : 0.0});
  switch (choice) {
    case 1:
    case 2: {
      Sql left = number(depth - 1);
      Sql right = number(depth - 1);
      std::string op = choice == 1 ? random_.pick(std::vector<std::string>{"+", "-", "*"})
                                   : random_.pick(std::vector<std::string>{"/", "%"});
      if (op == "%" && (is_float(left.type) || is_float(right.type))) op = "/";  // no % for floating point
      int precedence = op == "+" || op == "-" ? kPrecedenceAdd : kPrecedenceMultiply;
      return {operand(left, precedence) + " " + op + " " + operand(right, precedence + 1),
              arithmetic_result(left.type, right.type), precedence};
    }
    case 3: {
      Sql inner = number(depth - 1);
      std::string text = operand(inner, kPrecedenceUnaryMinus);
      if (text[0] == '-') text = "(" + text + ")";  // "--" would start a comment
      return {"-" + text, inner.type, kPrecedenceUnaryMinus};
    }
    case 4: {
      Sql inner = number(depth - 1);
      return atom("abs(" + inner.text + ")", inner.type);
    }
    case 5: return common_call(Family::kNumber, depth);
    case 6: {
      Sql first = number(depth - 1);
      Sql second = number(depth - 1);
      return atom("nullif(" + first.text + ", " + second.text + ")", nullif_result(first.type, second.type));
    }
    case 7: return atom("length(" + text(depth - 1).text + ")", SqlType::kInt4);
    case 8: return case_when(Family::kNumber, depth);
    case 9: {
      std::vector<SqlType> targets = {SqlType::kInt4};
      if (language_.has(Feature::kSmallint)) targets.push_back(SqlType::kInt2);
      if (language_.has(Feature::kBigint)) targets.push_back(SqlType::kInt8);
      if (language_.has(Feature::kFloat)) {
        targets.push_back(SqlType::kFloat4);
        targets.push_back(SqlType::kFloat8);
      }
      return cast_to(number(depth - 1), random_.pick(targets));
    }
    case 10: {
      SqlType target = language_.has(Feature::kFloat) && random_.chance(0.3) ? SqlType::kFloat8 : SqlType::kInt4;
      return cast_to(text(depth - 1), target);
    }
    case 11: return cast_to(boolean(depth - 1), SqlType::kInt4);
    case 12: {
      // date - date is an integer (timestamp - timestamp would be an interval).
      Sql left = temporal(depth - 1);
      Sql right = temporal(depth - 1);
      if (left.type != SqlType::kDate) left = cast_to(left, SqlType::kDate);
      if (right.type != SqlType::kDate) right = cast_to(right, SqlType::kDate);
      return {operand(left, kPrecedenceAdd) + " - " + operand(right, kPrecedenceAdd + 1), SqlType::kInt4,
              kPrecedenceAdd};
    }
    default: return number_leaf();
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
                                    casts && family_available(Family::kTemporal) ? 0.1 : 0.0,
                                    casts && language_.has(Feature::kVarchar) ? 0.2 : 0.0,
                                    casts && family_available(Family::kUuid) ? 0.1 : 0.0});
  switch (choice) {
    case 1: {
      Sql left = text(depth - 1);
      // text || number is text too (anynonarray || text).
      Sql right = random_.chance(0.2) ? number(depth - 1) : text(depth - 1);
      return {operand(left, kPrecedenceOperator) + " || " + operand(right, kPrecedenceOperator + 1), SqlType::kText,
              kPrecedenceOperator};
    }
    case 2: {
      std::string name = random_.pick(std::vector<std::string>{"lower", "upper", "LOWER"});
      return atom(name + "(" + text(depth - 1).text + ")", SqlType::kText);
    }
    case 3: return common_call(Family::kText, depth);
    case 4: return atom("nullif(" + text(depth - 1).text + ", " + text(depth - 1).text + ")", SqlType::kText);
    case 5: return case_when(Family::kText, depth);
    case 6: return cast_to(number(depth - 1), SqlType::kText);
    case 7: return cast_to(temporal(depth - 1), SqlType::kText);
    case 8: {
      Sql inner = text(depth - 1);
      std::string length = std::to_string(random_.pick(std::vector<int>{1, 3, 5}));
      return {operand(inner, kPrecedenceCast) + "::varchar(" + length + ")", SqlType::kText, kPrecedenceCast};
    }
    case 9: return cast_to(uuid(depth - 1), SqlType::kText);
    default: return text_leaf();
  }
}

Sql ExpressionGenerator::temporal_leaf() {
  bool has_column = !columns_of(Family::kTemporal).empty();
  bool setting = language_.has(Feature::kCurrentSetting) && language_.has(Feature::kCasts);
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, setting ? 0.2 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.1 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kTemporal);
    case 2: return current_setting_as(Family::kTemporal);
    case 3: return typed_null(Family::kTemporal);
    default: return literal(Family::kTemporal);
  }
}

Sql ExpressionGenerator::temporal(int depth) {
  if (depth <= 0) return temporal_leaf();
  bool dates = language_.has(Feature::kDate);
  bool casts = language_.has(Feature::kCasts);
  size_t choice = random_.weighted({3.0, dates && language_.has(Feature::kArithmetic) ? 1.0 : 0.0,
                                    language_.has(Feature::kFunctions) ? 0.4 : 0.0,
                                    language_.has(Feature::kCase) ? 0.3 : 0.0,
                                    casts && dates && language_.has(Feature::kTimestamp) ? 0.3 : 0.0});
  switch (choice) {
    case 1: {
      // date + integer and date - integer take int4 (int2 widens implicitly, nothing else does).
      Sql left = temporal(depth - 1);
      if (left.type != SqlType::kDate) left = cast_to(left, SqlType::kDate);
      std::string days = as_integer_operand(number(depth - 1), kPrecedenceAdd + 1);
      std::string op = random_.chance(0.5) ? " + " : " - ";
      return {operand(left, kPrecedenceAdd) + op + days, SqlType::kDate, kPrecedenceAdd};
    }
    case 2: return common_call(Family::kTemporal, depth);
    case 3: return case_when(Family::kTemporal, depth);
    case 4: {
      Sql inner = temporal(depth - 1);
      return cast_to(inner, inner.type == SqlType::kDate ? SqlType::kTimestamp : SqlType::kDate);
    }
    default: return temporal_leaf();
  }
}

Sql ExpressionGenerator::uuid_leaf() {
  bool has_column = !columns_of(Family::kUuid).empty();
  bool setting = language_.has(Feature::kCurrentSetting) && language_.has(Feature::kCasts);
  size_t choice = random_.weighted({has_column ? 4.0 : 0.0, 2.0, setting ? 0.3 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.1 : 0.0});
  switch (choice) {
    case 0: return column_of(Family::kUuid);
    case 2: return current_setting_as(Family::kUuid);
    case 3: return typed_null(Family::kUuid);
    default: return literal(Family::kUuid);
  }
}

Sql ExpressionGenerator::uuid(int depth) {
  if (depth <= 0) return uuid_leaf();
  bool functions = language_.has(Feature::kFunctions);
  size_t choice = random_.weighted({3.0, functions ? 0.3 : 0.0, functions ? 0.2 : 0.0,
                                    language_.has(Feature::kCase) ? 0.3 : 0.0,
                                    language_.has(Feature::kCasts) ? 0.15 : 0.0});
  switch (choice) {
    case 1: return common_call(Family::kUuid, depth);
    case 2: return atom("nullif(" + uuid(depth - 1).text + ", " + uuid(depth - 1).text + ")", SqlType::kUuid);
    case 3: return case_when(Family::kUuid, depth);
    case 4: return cast_to(text(depth - 1), SqlType::kUuid);
    default: return uuid_leaf();
  }
}

// ---- booleans ----

Family ExpressionGenerator::comparable_family() {
  // Mostly the family of one of the table's columns, so that the comparison reads the row.
  if (!scope_.columns.empty() && random_.chance(0.85)) {
    return family_of(column_sql_type(random_.pick(scope_.columns).type));
  }
  std::vector<Family> families = {Family::kNumber, Family::kText, Family::kBool};
  if (family_available(Family::kTemporal)) families.push_back(Family::kTemporal);
  if (family_available(Family::kUuid)) families.push_back(Family::kUuid);
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
  Family family = comparable_family();
  if (family == Family::kBool) family = random_.chance(0.5) ? Family::kNumber : Family::kText;
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
    bool mixes = family == Family::kNumber || family == Family::kTemporal;
    type = first || !mixes ? result.type : common_type(type, result.type);
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
      Sql subject = value(comparable_family(), depth - 1);
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
        if (random_.chance(0.5)) return {user + " IN (" + join(names) + ")", SqlType::kBool, kPrecedenceLike};
        return {user + " = " + random_.pick(names), SqlType::kBool, kPrecedenceComparison};
      }
      return {column_of(Family::kText).text + " = " + user, SqlType::kBool, kPrecedenceComparison};
    }
    default: return boolean_leaf();
  }
}

}  // namespace weftkit::policy::pgtest
