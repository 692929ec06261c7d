// The abstract syntax tree of a policy SQL file, as the parser hands it to semantic analysis:
// untyped, unresolved, but with every name case-folded and every node placed in the source.
//
// Shape: plain structs. A statement is a `Statement` holding one of five statement structs in
// a std::variant; an expression is an `Expr` holding one of the node structs below in a
// std::variant, owning its children through `ExprPtr` (std::unique_ptr). A null ExprPtr means
// "absent" wherever a field is documented as optional. The tree is move-only.
//
// Locations (`where`): 1-based line and column (in Unicode code points) of the token a user
// would blame — the first token of a name, literal, CASE, CAST or function call, and the
// operator token of an operator node (`=` in `a = 1`, IS in `a IS NULL`, the NOT of
// `a NOT IN (...)`, `::` in `x::int`). This is where PostgreSQL places the same nodes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/diag/source_location.h"

namespace weftkit::policy::sql {

// A name as PostgreSQL sees it: unquoted names are folded to lower case (ASCII letters only,
// as PostgreSQL does), quoted names keep their case with "" turned into ". Names longer than
// 63 bytes are truncated to 63 bytes, as PostgreSQL truncates them (with a warning).
struct Identifier {
  std::string name;
  bool quoted = false;  // written as "..."; sema rarely needs this
  SourceLocation where;
};

// schema.table, table.column, schema.function: the parts in source order, each folded.
using QualifiedName = std::vector<Identifier>;

// "a.b.c" (names as folded, without quotes): for messages.
std::string qualified_name_text(const QualifiedName& name);

// A type as written in a column definition, a cast or a typed literal.
struct TypeName {
  // Canonical for the types of the dialect: "boolean", "smallint", "integer", "bigint",
  // "real", "double precision", "text", "varchar", "date", "timestamp", "timestamptz",
  // "uuid" — whichever spelling was used (int4, INT, float8, character varying,
  // timestamp with time zone, pg_catalog.int8, ...). Other keyword types are named as
  // PostgreSQL's catalog names them ("numeric", "bpchar", "time", "timetz", "interval",
  // "bit", "varbit"); any other name is kept as written ("json", "myschema.mytype").
  std::string name;
  // Type modifiers as written: varchar(10) → {10}; numeric(10, 2) → {10, 2};
  // timestamp(3) → {3}; float(p) is resolved to real or double precision and keeps none.
  std::vector<int32_t> modifiers;
  SourceLocation where;
};

// ---------------------------------------------------------------------------------------------
// Expressions

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// col, table.col, schema.table.col.
struct ColumnRef {
  QualifiedName parts;
};

// Digits, as written; a unary minus applied directly to a number is folded into it
// ("-5", as PostgreSQL's grammar does), so "-2147483648" is one integer literal. The value
// may exceed 64 bits: sema picks integer, bigint or numeric by value, as PostgreSQL does.
struct IntegerLiteral {
  std::string text;
};

// A number with a decimal point or an exponent (1.5, .5, 1e3, -2.5), as written.
struct NumericLiteral {
  std::string text;
};

// A string constant ('...' or $$...$$), quotes removed and '' turned into '.
struct StringLiteral {
  std::string value;
};

struct BoolLiteral {
  bool value = false;
};

struct NullLiteral {};

// type 'string': DATE '2024-01-01', TIMESTAMPTZ '...', INTEGER '5', uuid '...'.
struct TypedLiteral {
  TypeName type;
  std::string value;
};

enum class UnaryOp { kPlus, kMinus };

struct Unary {
  UnaryOp op = UnaryOp::kMinus;
  ExprPtr operand;
};

enum class BinaryOp {
  kAdd,           // +
  kSubtract,      // -
  kMultiply,      // *
  kDivide,        // /
  kModulo,        // %
  kEqual,         // =
  kNotEqual,      // <> (also written !=)
  kLess,          // <
  kLessEqual,     // <=
  kGreater,       // >
  kGreaterEqual,  // >=
  kAnd,           // AND
  kOr,            // OR
  kConcat,        // ||
};

struct Binary {
  BinaryOp op = BinaryOp::kEqual;
  ExprPtr left;
  ExprPtr right;
};

struct Not {
  ExprPtr operand;
};

// x IS [NOT] NULL, x ISNULL, x NOTNULL.
struct IsNull {
  bool negated = false;
  ExprPtr operand;
};

enum class BoolTestValue { kTrue, kFalse, kUnknown };

// x IS [NOT] TRUE | FALSE | UNKNOWN.
struct IsBool {
  BoolTestValue value = BoolTestValue::kTrue;
  bool negated = false;
  ExprPtr operand;
};

// x [NOT] IN (item, ...); at least one item.
struct InList {
  bool negated = false;
  ExprPtr operand;
  std::vector<ExprPtr> items;
};

// x [NOT] BETWEEN [ASYMMETRIC] low AND high.
struct Between {
  bool negated = false;
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
};

// x [NOT] LIKE | ILIKE pattern [ESCAPE escape].
struct Like {
  bool negated = false;
  bool case_insensitive = false;  // ILIKE
  ExprPtr operand;
  ExprPtr pattern;
  ExprPtr escape;  // optional
};

struct CaseWhen {
  ExprPtr condition;  // with an operand: the value compared to it
  ExprPtr result;
  SourceLocation where;  // the WHEN keyword
};

// CASE [operand] WHEN ... THEN ... [...] [ELSE ...] END; at least one WHEN.
struct Case {
  ExprPtr operand;  // optional: CASE x WHEN 1 THEN ... compares x = 1
  std::vector<CaseWhen> whens;
  ExprPtr else_result;  // optional: a missing ELSE is NULL
};

// x::type or CAST(x AS type).
struct Cast {
  ExprPtr operand;
  TypeName type;
};

// name(args) or schema.name(args); the name is folded like any other.
struct FunctionCall {
  QualifiedName name;
  std::vector<ExprPtr> args;
};

// CURRENT_USER (also written USER or CURRENT_ROLE, which PostgreSQL treats the same) and
// SESSION_USER, keywords written without parentheses.
enum class SpecialValueKind { kCurrentUser, kSessionUser };

struct SpecialValue {
  SpecialValueKind kind = SpecialValueKind::kCurrentUser;
};

using ExprNode = std::variant<ColumnRef, IntegerLiteral, NumericLiteral, StringLiteral, BoolLiteral,
                              NullLiteral, TypedLiteral, Unary, Binary, Not, IsNull, IsBool, InList,
                              Between, Like, Case, Cast, FunctionCall, SpecialValue>;

struct Expr {
  ExprNode node;
  SourceLocation where;
};

// Expressions nest at most this deep (a chain of 500 ORs counts as 500 levels); deeper input
// is rejected, so that code walking the tree recursively cannot run out of stack, even in a
// sanitizer build.
inline constexpr int kMaxExpressionDepth = 500;

// ---------------------------------------------------------------------------------------------
// Statements

struct ColumnDefinition {
  Identifier name;
  TypeName type;
  bool not_null = false;     // NOT NULL written (PRIMARY KEY implies it, but is not folded in)
  bool primary_key = false;  // PRIMARY KEY on the column itself
  ExprPtr default_value;     // optional
  SourceLocation where;      // the column name
};

// CREATE TABLE [schema.]name (column, ..., [PRIMARY KEY (col, ...)]).
struct CreateTable {
  QualifiedName name;
  std::vector<ColumnDefinition> columns;
  // The table-level PRIMARY KEY (a, b), empty when there is none. A table has at most one
  // primary key, at column or table level; the parser rejects a second one.
  std::vector<Identifier> primary_key;
  SourceLocation primary_key_where;  // the PRIMARY keyword of the table-level clause
};

enum class RowSecurityAction { kEnable, kDisable, kForce, kNoForce };

// ALTER TABLE [ONLY] name ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY. A statement
// with several actions (ENABLE ..., FORCE ...) becomes one of these per action, in order.
struct AlterTableRowSecurity {
  QualifiedName table;
  RowSecurityAction action = RowSecurityAction::kEnable;
  SourceLocation action_where;  // the first keyword of the action
};

enum class PolicyCommand { kAll, kSelect, kInsert, kUpdate, kDelete };

enum class RoleKind { kPublic, kCurrentUser, kSessionUser, kNamed };

// One entry of TO role, ...: PUBLIC (any spelling, quoted or not, as in PostgreSQL),
// CURRENT_USER (or CURRENT_ROLE), SESSION_USER, or a role name (folded).
struct RoleSpec {
  RoleKind kind = RoleKind::kPublic;
  std::string name;  // kNamed only
  SourceLocation where;
};

// CREATE POLICY name ON table [AS PERMISSIVE | RESTRICTIVE] [FOR command] [TO roles]
// [USING (expr)] [WITH CHECK (expr)]. Which clauses a command allows (no USING for INSERT,
// no WITH CHECK for SELECT and DELETE) is checked by sema, as PostgreSQL checks it there.
struct CreatePolicy {
  Identifier name;
  QualifiedName table;
  bool permissive = true;
  PolicyCommand command = PolicyCommand::kAll;
  SourceLocation command_where;  // the command keyword; unknown when FOR was not written
  // As written, in order. Empty when TO was not written, which means PUBLIC. PostgreSQL
  // keeps only PUBLIC (with a warning) when PUBLIC is listed with other roles: sema's call.
  std::vector<RoleSpec> roles;
  ExprPtr using_expr;  // optional
  ExprPtr with_check;  // optional
};

// ALTER POLICY name ON table RENAME TO new_name, or
// ALTER POLICY name ON table [TO roles] [USING (expr)] [WITH CHECK (expr)].
// A rename carries only rename_to (and if_exists); a change carries the clauses written.
struct AlterPolicy {
  Identifier name;
  QualifiedName table;
  bool if_exists = false;  // ALTER POLICY IF EXISTS ... RENAME TO
  std::optional<Identifier> rename_to;
  std::optional<std::vector<RoleSpec>> roles;
  ExprPtr using_expr;  // optional
  ExprPtr with_check;  // optional
};

// DROP POLICY [IF EXISTS] name ON table [CASCADE | RESTRICT] (both mean nothing for a
// policy, which nothing depends on, and are accepted as PostgreSQL accepts them).
struct DropPolicy {
  bool if_exists = false;
  Identifier name;
  QualifiedName table;
};

using StatementNode = std::variant<CreateTable, AlterTableRowSecurity, CreatePolicy, AlterPolicy, DropPolicy>;

struct Statement {
  StatementNode node;
  SourceLocation where;  // the first token of the statement
};

// A parsed file: its statements in source order.
struct Script {
  std::string path;
  std::vector<Statement> statements;
};

// Names for messages and printers: "+", "<>", "AND", "||"; "SELECT"; "ENABLE".
const char* binary_op_text(BinaryOp op);
const char* unary_op_text(UnaryOp op);
const char* policy_command_text(PolicyCommand command);
const char* row_security_action_text(RowSecurityAction action);

}  // namespace weftkit::policy::sql
