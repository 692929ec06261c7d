// The statements and expressions this engine understands, as the parser hands them over.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "value.h"

namespace relational {

struct Expression;
using ExpressionPtr = std::unique_ptr<Expression>;

// One node: a literal, a column reference, an operator over operands, or a function call.
struct Expression {
  enum class Kind : uint8_t {
    kLiteral,     // value
    kColumn,      // name
    kUnary,       // op: "NOT", "-"; operands[0]
    kBinary,      // op: "AND", "OR", "=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "||"; operands[0..1]
    kIsNull,      // operands[0]; negated: IS NOT NULL
    kInList,      // operands[0] IN (operands[1..]); negated: NOT IN
    kFunction,    // name(operands...): current_setting, lower, upper, length, coalesce
    kCurrentUser, // current_user / session_user
    kCast,        // operands[0]::cast_type
  };
  Kind kind = Kind::kLiteral;
  Value value;
  std::string name;
  std::string op;
  bool negated = false;
  ColumnType cast_type = ColumnType::kText;
  std::vector<ExpressionPtr> operands;
  uint32_t height = 1;  // of the tree below: bounded by the parser, so evaluation's recursion is too
};

struct CreateTableStatement {
  std::string table;
  std::vector<ColumnDef> columns;
  bool if_not_exists = false;
};

struct InsertStatement {
  std::string table;
  std::vector<std::string> columns;  // empty: all, in table order
  std::vector<std::vector<ExpressionPtr>> rows;
};

struct SelectItem {
  ExpressionPtr expression;  // null for *
  std::string alias;         // empty: derived from the expression
};

struct OrderKey {
  ExpressionPtr expression;
  bool descending = false;
};

struct SelectStatement {
  std::vector<SelectItem> items;
  std::optional<std::string> table;  // none: SELECT 1, SELECT current_setting(...)
  ExpressionPtr where;
  std::vector<OrderKey> order_by;
  std::optional<int64_t> limit;
};

struct Assignment {
  std::string column;
  ExpressionPtr value;
};

struct UpdateStatement {
  std::string table;
  std::vector<Assignment> assignments;
  ExpressionPtr where;
};

struct DeleteStatement {
  std::string table;
  ExpressionPtr where;
};

// COPY's output options: text (tab-separated, \N for NULL) or CSV, a header line, a delimiter.
struct CopyOptions {
  enum class Format : uint8_t { kText, kCsv };
  Format format = Format::kText;
  bool header = false;  // CSV only, as in PostgreSQL
  char delimiter = '\t';
};

struct CopyToStatement {
  std::string table;
  std::vector<std::string> columns;  // empty: all, in table order
  CopyOptions options;
};

struct SetStatement {
  std::string name;   // lower case
  std::string value;  // as text; "DEFAULT" resets
};

struct ShowStatement {
  std::string name;  // lower case
};

// BEGIN, COMMIT, ROLLBACK: accepted and answered; every statement commits on its own.
struct TransactionStatement {
  std::string tag;
};

using Statement = std::variant<CreateTableStatement, InsertStatement, SelectStatement, UpdateStatement,
                               DeleteStatement, CopyToStatement, SetStatement, ShowStatement, TransactionStatement>;

}  // namespace relational
