// Random, type-correct policy expressions over a table's columns, in the language that
// GeneratorLanguage allows. Types are tracked as PostgreSQL resolves them (sql_types.h), so
// PostgreSQL accepts every expression at CREATE POLICY time; case_generator_test checks that
// it does. Operators are written with as few parentheses as PostgreSQL's precedence allows
// (plus some redundant ones), so the parser's precedence is exercised as well.
#pragma once

#include <string>
#include <vector>

#include "tests/pg/generator_language.h"
#include "tests/pg/policy_case.h"
#include "tests/pg/random_source.h"
#include "tests/pg/sql_types.h"

namespace weftkit::policy::pgtest {

// A generated expression: its text, its type, and how tightly its top operator binds
// (PostgreSQL's precedence table, kPrecedenceAtom for anything self-delimiting).
struct Sql {
  std::string text;
  SqlType type = SqlType::kBool;
  int precedence = 0;
};

inline constexpr int kPrecedenceOr = 1;
inline constexpr int kPrecedenceAnd = 2;
inline constexpr int kPrecedenceNot = 3;
inline constexpr int kPrecedenceIs = 4;          // IS NULL, IS TRUE, ...
inline constexpr int kPrecedenceComparison = 5;  // = <> < > <= >= (non-associative)
inline constexpr int kPrecedenceLike = 6;        // LIKE ILIKE IN BETWEEN
inline constexpr int kPrecedenceOperator = 7;    // any other operator: ||
inline constexpr int kPrecedenceAdd = 8;         // binary + -
inline constexpr int kPrecedenceMultiply = 9;    // * / %
inline constexpr int kPrecedenceUnaryMinus = 11;
inline constexpr int kPrecedenceCast = 12;  // ::
inline constexpr int kPrecedenceAtom = 13;  // literals, columns, calls, CASE, (...)

struct ExpressionScope {
  std::string table;  // for table-qualified column references
  std::vector<Column> columns;
  std::vector<std::string> user_names;  // names current_user is compared with
};

class ExpressionGenerator {
 public:
  ExpressionGenerator(RandomSource& random, const GeneratorLanguage& language, ExpressionScope scope);

  // A boolean expression for USING or WITH CHECK, nested up to `depth` levels.
  std::string predicate(int depth);
  // A predicate around settings, with parts that read no column and that PostgreSQL's planner
  // evaluates (a whole IN over a setting, the setting side of a comparison with a column), in
  // an AND or OR with an ordinary clause now and then. Needs the current_setting and casts
  // features.
  std::string setting_predicate(int depth);

 private:
  Sql boolean(int depth);
  Sql boolean_leaf();  // a comparison of leaves, a boolean column or a literal
  Sql boolean_atom();  // a boolean column or literal: no operator
  Sql value(Family family, int depth);
  Sql number(int depth);
  Sql number_leaf();
  Sql text(int depth);
  Sql text_leaf();
  Sql temporal(int depth);
  Sql temporal_leaf();
  Sql uuid(int depth);
  Sql uuid_leaf();

  Sql comparison(int depth);
  Sql in_list(int depth);
  Sql between(int depth);
  Sql like(int depth);
  Sql case_when(Family family, int depth);
  Sql common_call(Family family, int depth);  // coalesce, greatest, least
  Sql current_setting_as(Family family);
  Sql setting_clause();
  // A setting as `family`, sometimes inside arithmetic or a function call (column-free parts of
  // any size).
  Sql setting_expression(Family family);
  Sql cast_to(const Sql& inner, SqlType target);
  // An int4 (or int2) operand for date arithmetic: other numbers are cast to integer.
  std::string as_integer_operand(const Sql& number, int min_precedence);

  bool family_available(Family family) const;
  Family comparable_family();
  std::vector<const Column*> columns_of(Family family) const;
  Sql column_of(Family family);  // requires one to exist
  Sql literal(Family family);
  Sql typed_null(Family family);

  // `sql` as an operand that must bind at least as tightly as `min_precedence`.
  std::string operand(const Sql& sql, int min_precedence);

  RandomSource& random_;
  const GeneratorLanguage& language_;
  ExpressionScope scope_;
};

}  // namespace weftkit::policy::pgtest
