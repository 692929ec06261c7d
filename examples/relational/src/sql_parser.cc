// The SQL parser (see sql_parser.h). Grammar, informally:
//   CREATE TABLE [IF NOT EXISTS] t (col type [constraints], ... [, table constraints])
//   INSERT INTO t [(cols)] VALUES (exprs), ...
//   SELECT items [FROM t [WHERE e] [ORDER BY e [ASC|DESC], ...] [LIMIT n]]
//   UPDATE t SET col = e, ... [WHERE e]      DELETE FROM t [WHERE e]
//   COPY t TO STDOUT     SET name {=|TO} value     SHOW name     BEGIN | COMMIT | ROLLBACK
// Expressions: OR < AND < NOT < comparison / IS [NOT] NULL / [NOT] IN < || + - < * / < unary -,
// with literals, columns, (e), name(args), current_user and e::type.
#include "sql_parser.h"

#include <algorithm>
#include <charconv>

#include "sql_lexer.h"

namespace relational {
namespace {

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  bool at_end() const { return peek().kind == Token::Kind::kEnd; }
  bool at_symbol(std::string_view symbol) const {
    return peek().kind == Token::Kind::kSymbol && peek().text == symbol;
  }
  bool at_keyword(std::string_view keyword, size_t ahead = 0) const {
    const Token& token = peek(ahead);
    return token.kind == Token::Kind::kIdentifier && token.text == keyword;
  }
  bool accept_symbol(std::string_view symbol) {
    if (!at_symbol(symbol)) return false;
    ++position_;
    return true;
  }
  bool accept_keyword(std::string_view keyword) {
    if (!at_keyword(keyword)) return false;
    ++position_;
    return true;
  }

  SqlError error_here() const {
    if (at_end()) return syntax_error("syntax error at end of input");
    return syntax_error("syntax error at or near \"" + peek().raw + "\"");
  }
  SqlStatus expect_symbol(std::string_view symbol) {
    if (accept_symbol(symbol)) return std::nullopt;
    return error_here();
  }
  SqlStatus expect_keyword(std::string_view keyword) {
    if (accept_keyword(keyword)) return std::nullopt;
    return error_here();
  }

  // An identifier: a table or column name (schema-qualified names keep their dots).
  SqlResult<std::string> name() {
    const Token& token = peek();
    if (token.kind != Token::Kind::kIdentifier && token.kind != Token::Kind::kQuotedIdentifier) return error_here();
    ++position_;
    std::string text = token.text;
    while (at_symbol(".") && (peek(1).kind == Token::Kind::kIdentifier || peek(1).kind == Token::Kind::kQuotedIdentifier)) {
      position_ += 2;
      text += "." + tokens_[position_ - 1].text;
    }
    return text;
  }

  SqlResult<Statement> statement() {
    if (accept_keyword("create")) return create_table();
    if (accept_keyword("insert")) return insert();
    if (accept_keyword("select")) return select();
    if (accept_keyword("update")) return update();
    if (accept_keyword("delete")) return delete_rows();
    if (accept_keyword("copy")) return copy_to();
    if (accept_keyword("set")) return set();
    if (accept_keyword("show")) return show();
    if (accept_keyword("reset")) {  // RESET name: SET name TO DEFAULT
      SqlResult<std::string> setting = name();
      if (!setting.ok()) return setting.error();
      return Statement{SetStatement{setting.value(), "DEFAULT"}};
    }
    for (std::string_view tag : {"begin", "commit", "rollback", "start", "end"}) {
      if (accept_keyword(tag)) {
        while (!at_end() && !at_symbol(";")) ++position_;  // TRANSACTION, WORK, isolation levels
        std::string upper = tag == "start" ? "START TRANSACTION" : tag == "end" ? "COMMIT" : std::string(tag);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return Statement{TransactionStatement{upper}};
      }
    }
    return error_here();
  }

  SqlResult<ColumnType> column_type(int32_t& max_length) {
    max_length = -1;
    const Token& token = peek();
    if (token.kind != Token::Kind::kIdentifier) return error_here();
    std::string type = token.text;
    ++position_;
    if (type == "character" && accept_keyword("varying")) type = "varchar";
    if (type == "double" && accept_keyword("precision")) type = "double precision";
    if (type == "timestamp" || type == "time") {
      if (accept_keyword("with")) {
        if (auto e = expect_keyword("time")) return *e;
        if (auto e = expect_keyword("zone")) return *e;
      } else if (accept_keyword("without")) {
        if (auto e = expect_keyword("time")) return *e;
        if (auto e = expect_keyword("zone")) return *e;
      }
    }
    if (type == "varchar" || type == "char" || type == "character" || type == "bpchar") {
      if (accept_symbol("(")) {
        if (peek().kind != Token::Kind::kNumber) return error_here();
        std::from_chars(peek().text.data(), peek().text.data() + peek().text.size(), max_length);
        ++position_;
        if (auto e = expect_symbol(")")) return *e;
      }
      return ColumnType::kText;
    }
    if (type == "text") return ColumnType::kText;
    if (type == "integer" || type == "int" || type == "int4" || type == "serial") return ColumnType::kInteger;
    if (type == "bigint" || type == "int8" || type == "bigserial") return ColumnType::kBigint;
    if (type == "smallint" || type == "int2") return ColumnType::kSmallint;
    if (type == "boolean" || type == "bool") return ColumnType::kBoolean;
    if (type == "date") return ColumnType::kDate;
    if (type == "timestamptz" || type == "timestamp") return ColumnType::kTimestamptz;
    return SqlError{"0A000", "type \"" + type + "\" is not supported by this engine"};
  }

  SqlResult<Statement> create_table() {
    if (auto e = expect_keyword("table")) return *e;
    CreateTableStatement create;
    if (accept_keyword("if")) {
      if (auto e = expect_keyword("not")) return *e;
      if (auto e = expect_keyword("exists")) return *e;
      create.if_not_exists = true;
    }
    SqlResult<std::string> table = name();
    if (!table.ok()) return table.error();
    create.table = table.value();
    if (auto e = expect_symbol("(")) return *e;
    do {
      // Table constraints: skipped to the next top-level comma; the engine enforces none of them.
      if (at_keyword("primary") || at_keyword("unique") || at_keyword("constraint") || at_keyword("foreign") ||
          at_keyword("check")) {
        skip_to_column_end();
        continue;
      }
      ColumnDef column;
      SqlResult<std::string> column_name = name();
      if (!column_name.ok()) return column_name.error();
      column.name = column_name.value();
      SqlResult<ColumnType> type = column_type(column.max_length);
      if (!type.ok()) return type.error();
      column.type = type.value();
      // Column constraints: NOT NULL is kept, the others (PRIMARY KEY, DEFAULT, ...) skipped.
      while (!at_end() && !at_symbol(",") && !at_symbol(")")) {
        if (at_keyword("not") && at_keyword("null", 1)) {
          column.not_null = true;
          position_ += 2;
        } else if (at_keyword("primary") && at_keyword("key", 1)) {
          column.not_null = true;
          position_ += 2;
        } else if (at_symbol("(")) {
          skip_parenthesised();
        } else {
          ++position_;
        }
      }
      for (const ColumnDef& existing : create.columns) {
        if (existing.name == column.name) return SqlError{"42701", "column \"" + column.name + "\" specified more than once"};
      }
      create.columns.push_back(std::move(column));
    } while (accept_symbol(","));
    if (auto e = expect_symbol(")")) return *e;
    return Statement{std::move(create)};
  }

  void skip_parenthesised() {
    int depth = 0;
    do {
      if (at_symbol("(")) ++depth;
      if (at_symbol(")")) --depth;
      ++position_;
    } while (depth > 0 && !at_end());
  }
  void skip_to_column_end() {
    while (!at_end() && !at_symbol(",") && !at_symbol(")")) {
      if (at_symbol("(")) {
        skip_parenthesised();
      } else {
        ++position_;
      }
    }
  }

  SqlResult<Statement> insert() {
    if (auto e = expect_keyword("into")) return *e;
    InsertStatement insert;
    SqlResult<std::string> table = name();
    if (!table.ok()) return table.error();
    insert.table = table.value();
    if (accept_symbol("(")) {
      do {
        SqlResult<std::string> column = name();
        if (!column.ok()) return column.error();
        insert.columns.push_back(column.value());
      } while (accept_symbol(","));
      if (auto e = expect_symbol(")")) return *e;
    }
    if (auto e = expect_keyword("values")) return *e;
    do {
      if (auto e = expect_symbol("(")) return *e;
      std::vector<ExpressionPtr> row;
      do {
        SqlResult<ExpressionPtr> value = expression();
        if (!value.ok()) return value.error();
        row.push_back(std::move(value).value());
      } while (accept_symbol(","));
      if (auto e = expect_symbol(")")) return *e;
      insert.rows.push_back(std::move(row));
    } while (accept_symbol(","));
    return Statement{std::move(insert)};
  }

  SqlResult<Statement> select() {
    SelectStatement select;
    do {
      SelectItem item;
      if (!accept_symbol("*")) {
        SqlResult<ExpressionPtr> value = expression();
        if (!value.ok()) return value.error();
        item.expression = std::move(value).value();
        if (accept_keyword("as")) {
          SqlResult<std::string> alias = name();
          if (!alias.ok()) return alias.error();
          item.alias = alias.value();
        } else if (peek().kind == Token::Kind::kQuotedIdentifier ||
                   (peek().kind == Token::Kind::kIdentifier && !is_clause_keyword(peek().text))) {
          item.alias = peek().text;
          ++position_;
        }
      }
      select.items.push_back(std::move(item));
    } while (accept_symbol(","));
    if (accept_keyword("from")) {
      SqlResult<std::string> table = name();
      if (!table.ok()) return table.error();
      select.table = table.value();
      // FROM t [AS] alias: with one table, "alias.col" and "col" are the same column.
      if (accept_keyword("as") ||
          (peek().kind == Token::Kind::kIdentifier && !is_clause_keyword(peek().text)) ||
          peek().kind == Token::Kind::kQuotedIdentifier) {
        SqlResult<std::string> alias = name();
        if (!alias.ok()) return alias.error();
      }
    }
    if (accept_keyword("where")) {
      SqlResult<ExpressionPtr> where = expression();
      if (!where.ok()) return where.error();
      select.where = std::move(where).value();
    }
    if (accept_keyword("order")) {
      if (auto e = expect_keyword("by")) return *e;
      do {
        OrderKey key;
        SqlResult<ExpressionPtr> value = expression();
        if (!value.ok()) return value.error();
        key.expression = std::move(value).value();
        if (accept_keyword("desc")) {
          key.descending = true;
        } else {
          accept_keyword("asc");
        }
        select.order_by.push_back(std::move(key));
      } while (accept_symbol(","));
    }
    if (accept_keyword("limit")) {
      if (accept_keyword("all")) {
        // no limit
      } else {
        if (peek().kind != Token::Kind::kNumber) return error_here();
        int64_t limit = 0;
        auto [end, error] = std::from_chars(peek().text.data(), peek().text.data() + peek().text.size(), limit);
        if (error != std::errc()) return SqlError{"22003", "LIMIT is out of range"};
        ++position_;
        select.limit = limit;
      }
    }
    return Statement{std::move(select)};
  }

  static bool is_clause_keyword(const std::string& word) {
    for (std::string_view keyword : {"from", "where", "order", "limit", "as", "and", "or", "not", "is", "in"}) {
      if (word == keyword) return true;
    }
    return false;
  }

  SqlResult<Statement> update() {
    UpdateStatement update;
    SqlResult<std::string> table = name();
    if (!table.ok()) return table.error();
    update.table = table.value();
    if (auto e = expect_keyword("set")) return *e;
    do {
      Assignment assignment;
      SqlResult<std::string> column = name();
      if (!column.ok()) return column.error();
      assignment.column = column.value();
      if (auto e = expect_symbol("=")) return *e;
      SqlResult<ExpressionPtr> value = expression();
      if (!value.ok()) return value.error();
      assignment.value = std::move(value).value();
      update.assignments.push_back(std::move(assignment));
    } while (accept_symbol(","));
    if (accept_keyword("where")) {
      SqlResult<ExpressionPtr> where = expression();
      if (!where.ok()) return where.error();
      update.where = std::move(where).value();
    }
    return Statement{std::move(update)};
  }

  SqlResult<Statement> delete_rows() {
    if (auto e = expect_keyword("from")) return *e;
    DeleteStatement remove;
    SqlResult<std::string> table = name();
    if (!table.ok()) return table.error();
    remove.table = table.value();
    if (accept_keyword("where")) {
      SqlResult<ExpressionPtr> where = expression();
      if (!where.ok()) return where.error();
      remove.where = std::move(where).value();
    }
    return Statement{std::move(remove)};
  }

  SqlResult<Statement> copy_to() {
    CopyToStatement copy;
    if (at_symbol("(")) return SqlError{"0A000", "COPY (query) TO is not supported by this engine; name a table"};
    SqlResult<std::string> table = name();
    if (!table.ok()) return table.error();
    copy.table = table.value();
    if (accept_symbol("(")) {
      do {
        SqlResult<std::string> column = name();
        if (!column.ok()) return column.error();
        copy.columns.push_back(column.value());
      } while (accept_symbol(","));
      if (auto e = expect_symbol(")")) return *e;
    }
    if (accept_keyword("from")) return SqlError{"0A000", "COPY FROM is not supported by this engine"};
    if (auto e = expect_keyword("to")) return *e;
    if (!accept_keyword("stdout")) return SqlError{"0A000", "only COPY ... TO STDOUT is supported"};
    accept_keyword("with");
    std::optional<char> delimiter;
    if (accept_symbol("(")) {  // WITH (FORMAT csv, HEADER [bool], DELIMITER 'c')
      do {
        if (auto e = copy_option(copy.options, delimiter, /*parenthesised=*/true)) return *e;
      } while (accept_symbol(","));
      if (auto e = expect_symbol(")")) return *e;
    } else {  // the older spelling psql's \copy sends: CSV HEADER DELIMITER ','
      while (!at_end() && !at_symbol(";")) {
        if (auto e = copy_option(copy.options, delimiter, /*parenthesised=*/false)) return *e;
      }
    }
    if (copy.options.header && copy.options.format != CopyOptions::Format::kCsv) {
      return SqlError{"0A000", "COPY HEADER available only in CSV mode"};
    }
    copy.options.delimiter = delimiter.value_or(copy.options.format == CopyOptions::Format::kCsv ? ',' : '\t');
    return Statement{std::move(copy)};
  }

  SqlStatus copy_option(CopyOptions& options, std::optional<char>& delimiter, bool parenthesised) {
    if (peek().kind != Token::Kind::kIdentifier) return error_here();
    const std::string option = tokens_[position_++].text;
    if (option == "format" && parenthesised) {
      if (peek().kind != Token::Kind::kIdentifier) return error_here();
      const std::string format = tokens_[position_++].text;
      if (format == "csv") options.format = CopyOptions::Format::kCsv;
      else if (format == "text") options.format = CopyOptions::Format::kText;
      else return SqlError{"0A000", "COPY format \"" + format + "\" is not supported"};
      return std::nullopt;
    }
    if (option == "csv" && !parenthesised) {
      options.format = CopyOptions::Format::kCsv;
      return std::nullopt;
    }
    if (option == "header") {
      options.header = true;
      if (parenthesised && peek().kind == Token::Kind::kIdentifier) {
        const std::string value = tokens_[position_++].text;
        options.header = value == "true" || value == "on";
        if (!options.header && value != "false" && value != "off") return SqlError{"22023", "header requires a Boolean value"};
      }
      return std::nullopt;
    }
    if (option == "delimiter") {
      accept_keyword("as");
      if (peek().kind != Token::Kind::kString || peek().text.size() != 1) {
        return SqlError{"22023", "COPY delimiter must be a single one-byte character"};
      }
      delimiter = tokens_[position_++].text[0];
      return std::nullopt;
    }
    if (option == "binary") return SqlError{"0A000", "COPY BINARY is not supported by this engine"};
    --position_;
    return error_here();
  }

  // SET [SESSION|LOCAL] name {= | TO} value: the value as text (a word, a string or a number).
  SqlResult<Statement> set() {
    accept_keyword("session");
    accept_keyword("local");
    SetStatement set;
    SqlResult<std::string> setting = name();
    if (!setting.ok()) return setting.error();
    set.name = setting.value();
    if (!accept_symbol("=") && !accept_keyword("to")) return error_here();
    const Token& token = peek();
    if (token.kind == Token::Kind::kEnd || token.kind == Token::Kind::kSymbol) return error_here();
    set.value = token.kind == Token::Kind::kIdentifier && token.text == "default" ? "DEFAULT" : token.text;
    ++position_;
    return Statement{std::move(set)};
  }

  SqlResult<Statement> show() {
    SqlResult<std::string> setting = name();
    if (!setting.ok()) return setting.error();
    return Statement{ShowStatement{setting.value()}};
  }

  // Expressions, by precedence. Nesting is bounded: a hostile query of a million parentheses
  // (or NOTs, or minus signs) is an error, not a stack overflow that would end every session.
  static constexpr int kMaxNesting = 64;
  SqlResult<ExpressionPtr> expression() {
    if (++depth_ > kMaxNesting) {
      --depth_;
      return SqlError{"54001", "expression nesting exceeds " + std::to_string(kMaxNesting) + " levels"};
    }
    SqlResult<ExpressionPtr> result = binary_level(0);
    --depth_;
    return result;
  }

  SqlResult<ExpressionPtr> binary_level(int level) {
    // 0: OR, 1: AND, 2: NOT (prefix), 3: comparisons, 4: || + -, 5: * /
    if (level == 2) {
      if (accept_keyword("not")) {
        SqlResult<ExpressionPtr> operand = nested([&] { return binary_level(2); });
        if (!operand.ok()) return operand;
        return make_unary("NOT", std::move(operand).value());
      }
      return comparison();
    }
    if (level >= 6) return unary();
    SqlResult<ExpressionPtr> left = binary_level(level + 1);
    if (!left.ok()) return left;
    ExpressionPtr result = std::move(left).value();
    while (true) {
      std::string op;
      if (level == 0 && accept_keyword("or")) op = "OR";
      else if (level == 1 && accept_keyword("and")) op = "AND";
      else if (level == 4 && (at_symbol("+") || at_symbol("-") || at_symbol("||"))) op = tokens_[position_++].text;
      else if (level == 5 && (at_symbol("*") || at_symbol("/"))) op = tokens_[position_++].text;
      else break;
      SqlResult<ExpressionPtr> right = binary_level(level + 1);
      if (!right.ok()) return right;
      result = make_binary(op, std::move(result), std::move(right).value());
      if (result->height > kMaxHeight) return too_deep();
    }
    return result;
  }

  SqlResult<ExpressionPtr> comparison() {
    SqlResult<ExpressionPtr> left = binary_level(4);
    if (!left.ok()) return left;
    ExpressionPtr result = std::move(left).value();
    if (accept_keyword("is")) {
      auto node = std::make_unique<Expression>();
      node->kind = Expression::Kind::kIsNull;
      node->negated = accept_keyword("not");
      if (auto e = expect_keyword("null")) return *e;
      node->operands.push_back(std::move(result));
      node->height = height_of(node->operands);
      if (node->height > kMaxHeight) return too_deep();
      return node;
    }
    bool negated = false;
    if (at_keyword("not") && at_keyword("in", 1)) {
      position_ += 1;
      negated = true;
    }
    if (accept_keyword("in")) {
      auto node = std::make_unique<Expression>();
      node->kind = Expression::Kind::kInList;
      node->negated = negated;
      node->operands.push_back(std::move(result));
      if (auto e = expect_symbol("(")) return *e;
      do {
        SqlResult<ExpressionPtr> item = expression();
        if (!item.ok()) return item;
        node->operands.push_back(std::move(item).value());
      } while (accept_symbol(","));
      if (auto e = expect_symbol(")")) return *e;
      node->height = height_of(node->operands);
      if (node->height > kMaxHeight) return too_deep();
      return node;
    }
    for (std::string_view op : {"=", "<>", "!=", "<", "<=", ">", ">="}) {
      if (accept_symbol(op)) {
        SqlResult<ExpressionPtr> right = binary_level(4);
        if (!right.ok()) return right;
        ExpressionPtr compared = make_binary(op == "!=" ? "<>" : std::string(op), std::move(result), std::move(right).value());
        if (compared->height > kMaxHeight) return too_deep();
        return compared;
      }
    }
    return result;
  }

  SqlResult<ExpressionPtr> unary() {
    if (accept_symbol("-")) {
      SqlResult<ExpressionPtr> operand = nested([&] { return unary(); });
      if (!operand.ok()) return operand;
      return make_unary("-", std::move(operand).value());
    }
    if (accept_symbol("+")) return nested([&] { return unary(); });
    SqlResult<ExpressionPtr> primary_result = primary();
    if (!primary_result.ok()) return primary_result;
    ExpressionPtr result = std::move(primary_result).value();
    while (accept_symbol("::")) {
      int32_t ignored = 0;
      SqlResult<ColumnType> type = column_type(ignored);
      if (!type.ok()) return type.error();
      auto cast = std::make_unique<Expression>();
      cast->kind = Expression::Kind::kCast;
      cast->cast_type = type.value();
      cast->operands.push_back(std::move(result));
      cast->height = height_of(cast->operands);
      if (cast->height > kMaxHeight) return too_deep();
      result = std::move(cast);
    }
    return result;
  }

  SqlResult<ExpressionPtr> primary() {
    const Token token = peek();
    auto node = std::make_unique<Expression>();
    switch (token.kind) {
      case Token::Kind::kNumber: {
        ++position_;
        int64_t number = 0;
        auto [end, error] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), number);
        if (error != std::errc()) return SqlError{"22003", "value \"" + token.text + "\" is out of range for type bigint"};
        node->value = Value::integer_value(number);
        return node;
      }
      case Token::Kind::kString:
        ++position_;
        node->value = Value::unknown(token.text);
        return node;
      case Token::Kind::kSymbol:
        if (accept_symbol("(")) {
          SqlResult<ExpressionPtr> inner = expression();
          if (!inner.ok()) return inner;
          if (auto e = expect_symbol(")")) return *e;
          return inner;
        }
        return error_here();
      case Token::Kind::kQuotedIdentifier:
        ++position_;
        node->kind = Expression::Kind::kColumn;
        node->name = token.text;
        return node;
      case Token::Kind::kIdentifier: {
        if (token.text == "null") {
          ++position_;
          return node;  // a NULL literal
        }
        if (token.text == "true" || token.text == "false") {
          ++position_;
          node->value = Value::boolean(token.text == "true");
          return node;
        }
        if (token.text == "current_timestamp" || token.text == "current_date") {
          ++position_;
          node->kind = Expression::Kind::kFunction;
          node->name = token.text;
          return node;
        }
        if (token.text == "current_user" || token.text == "session_user" || token.text == "user") {
          ++position_;
          node->kind = Expression::Kind::kCurrentUser;
          return node;
        }
        if (is_clause_keyword(token.text) && token.text != "not") return error_here();
        ++position_;
        if (accept_symbol("(")) {
          node->kind = Expression::Kind::kFunction;
          node->name = token.text;
          if (!accept_symbol(")")) {
            do {
              SqlResult<ExpressionPtr> argument = expression();
              if (!argument.ok()) return argument;
              node->operands.push_back(std::move(argument).value());
            } while (accept_symbol(","));
            if (auto e = expect_symbol(")")) return *e;
          }
          node->height = height_of(node->operands);
          if (node->height > kMaxHeight) return too_deep();
          return node;
        }
        node->kind = Expression::Kind::kColumn;
        node->name = token.text;
        // t.col: the engine queries one table, so the qualifier names it and is dropped.
        if (at_symbol(".") && (peek(1).kind == Token::Kind::kIdentifier || peek(1).kind == Token::Kind::kQuotedIdentifier)) {
          node->name = peek(1).text;
          position_ += 2;
        }
        return node;
      }
      case Token::Kind::kEnd: break;
    }
    return error_here();
  }

  // A long chain (a + a + a ...) builds a deep tree without nesting: bounded separately.
  static constexpr uint32_t kMaxHeight = 512;
  static SqlError too_deep() {
    return SqlError{"54001", "expression is deeper than " + std::to_string(kMaxHeight) + " operators"};
  }
  static uint32_t height_of(const std::vector<ExpressionPtr>& operands) {
    uint32_t height = 0;
    for (const ExpressionPtr& operand : operands) height = std::max(height, operand->height);
    return height + 1;
  }

  // One more level of a prefix operator's recursion, within the same bound as parentheses.
  template <class Parse>
  SqlResult<ExpressionPtr> nested(Parse&& parse) {
    if (++depth_ > kMaxNesting) {
      --depth_;
      return SqlError{"54001", "expression nesting exceeds " + std::to_string(kMaxNesting) + " levels"};
    }
    SqlResult<ExpressionPtr> result = parse();
    --depth_;
    return result;
  }

  static ExpressionPtr make_unary(std::string op, ExpressionPtr operand) {
    auto node = std::make_unique<Expression>();
    node->kind = Expression::Kind::kUnary;
    node->op = std::move(op);
    node->operands.push_back(std::move(operand));
    node->height = height_of(node->operands);
    return node;
  }
  static ExpressionPtr make_binary(std::string op, ExpressionPtr left, ExpressionPtr right) {
    auto node = std::make_unique<Expression>();
    node->kind = Expression::Kind::kBinary;
    node->op = std::move(op);
    node->operands.push_back(std::move(left));
    node->operands.push_back(std::move(right));
    node->height = height_of(node->operands);
    return node;
  }

  const Token& peek(size_t ahead = 0) const {
    const size_t index = position_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  size_t position() const { return position_; }
  void seek(size_t position) { position_ = position; }

 private:
  std::vector<Token> tokens_;
  size_t position_ = 0;
  int depth_ = 0;
};

}  // namespace

SqlResult<std::vector<Statement>> parse_statements(std::string_view sql) {
  SqlResult<std::vector<Token>> tokens = tokenize(sql);
  if (!tokens.ok()) return tokens.error();
  Parser parser(std::move(tokens).value());
  std::vector<Statement> statements;
  while (!parser.at_end()) {
    if (parser.accept_symbol(";")) continue;
    SqlResult<Statement> statement = parser.statement();
    if (!statement.ok()) return statement.error();
    statements.push_back(std::move(statement).value());
    if (!parser.at_end() && !parser.accept_symbol(";")) return parser.error_here();
  }
  return statements;
}

SqlResult<std::vector<CreateTableStatement>> parse_policy_tables(std::string_view sql, std::vector<std::string>& skipped) {
  SqlResult<std::vector<Token>> tokens = tokenize(sql);
  if (!tokens.ok()) return tokens.error();
  std::vector<CreateTableStatement> tables;
  Parser parser(std::move(tokens).value());
  while (!parser.at_end()) {
    if (parser.at_keyword("create") && parser.at_keyword("table", 1)) {
      parser.accept_keyword("create");
      SqlResult<Statement> statement = parser.create_table();
      if (statement.ok()) {
        tables.push_back(std::get<CreateTableStatement>(std::move(statement).value()));
      } else {
        skipped.push_back(statement.error().message);
      }
    }
    // On to the next statement, whatever this one was.
    while (!parser.at_end() && !parser.accept_symbol(";")) parser.seek(parser.position() + 1);
  }
  return tables;
}

}  // namespace relational
