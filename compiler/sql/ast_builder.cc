// From ANTLR parse tree to AST: folds names, decodes literals, canonicalises type names,
// emulates PostgreSQL's non-associative operators, and rejects what the dialect leaves out.
#include "compiler/sql/ast_builder.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "PolicySqlParser.h"
#include "antlr4-runtime.h"
#include "compiler/sql/syntax_errors.h"
#include "compiler/sql/token_values.h"

namespace weftkit::policy::sql {
namespace {

using P = generated::PolicySqlParser;
using antlr4::Token;

enum class NameUse { kTable, kColumn, kFunction, kType };

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

bool is_keyword(size_t type) { return type >= P::ALL && type <= P::RESERVED_KEYWORD; }
bool is_word(Token* token) { return token->getType() == P::IDENT || is_keyword(token->getType()); }

// Type names as pg_type spells them, mapped to the names the AST uses.
const std::map<std::string, std::string>& catalog_type_names() {
  static const std::map<std::string, std::string> names = {
      {"bool", "boolean"},   {"int2", "smallint"},       {"int4", "integer"},   {"int8", "bigint"},
      {"float4", "real"},    {"float8", "double precision"}, {"varchar", "varchar"}, {"text", "text"},
      {"date", "date"},      {"timestamp", "timestamp"}, {"timestamptz", "timestamptz"}, {"uuid", "uuid"},
      {"numeric", "numeric"}, {"bpchar", "bpchar"},      {"time", "time"},      {"timetz", "timetz"},
      {"interval", "interval"}, {"bit", "bit"},          {"varbit", "varbit"}};
  return names;
}

// The comparison-level and BETWEEN/IN/LIKE-level operators are non-associative in
// PostgreSQL. A LIKE, BETWEEN or SIMILAR TO whose last operand is followed directly by
// another operator of that level is a syntax error there; IN, whose operand list is closed by
// its parenthesis, is not.
bool ends_open_at_like_level(P::ExprContext* ctx) {
  return dynamic_cast<P::LikeContext*>(ctx) != nullptr || dynamic_cast<P::BetweenContext*>(ctx) != nullptr ||
         dynamic_cast<P::SimilarToContext*>(ctx) != nullptr;
}

// The first token of an operator at the BETWEEN/IN/LIKE level (NOT in "NOT IN"), or null.
Token* like_level_operator(P::ExprContext* ctx) {
  if (auto* in = dynamic_cast<P::InContext*>(ctx)) return (in->NOT() ? in->NOT() : in->IN())->getSymbol();
  if (auto* between = dynamic_cast<P::BetweenContext*>(ctx)) {
    return (between->NOT() ? between->NOT() : between->BETWEEN())->getSymbol();
  }
  if (auto* like = dynamic_cast<P::LikeContext*>(ctx)) return like->NOT() ? like->NOT()->getSymbol() : like->op;
  if (auto* similar = dynamic_cast<P::SimilarToContext*>(ctx)) {
    return (similar->NOT() ? similar->NOT() : similar->SIMILAR())->getSymbol();
  }
  return nullptr;
}

class AstBuilder {
 public:
  AstBuilder(const std::string& path, Diagnostics& diagnostics, BuildState& state)
      : path_(path), diagnostics_(diagnostics), state_(state) {}

  void statement(P::StatementContext* ctx, std::vector<Statement>& out) {
    SourceLocation where = at(ctx);
    if (ctx->createTable() != nullptr) {
      out.push_back(Statement{create_table(ctx->createTable()), where});
    } else if (ctx->alterTable() != nullptr) {
      for (AlterTableRowSecurity& action : alter_table(ctx->alterTable())) {
        out.push_back(Statement{std::move(action), where});
      }
    } else if (ctx->createPolicy() != nullptr) {
      out.push_back(Statement{create_policy(ctx->createPolicy()), where});
    } else if (ctx->alterPolicy() != nullptr) {
      out.push_back(Statement{alter_policy(ctx->alterPolicy()), where});
    } else if (ctx->dropPolicy() != nullptr) {
      out.push_back(Statement{drop_policy(ctx->dropPolicy()), where});
    } else if (ctx->unsupportedStatement() != nullptr) {
      unsupported_statement(ctx->unsupportedStatement());
    }
  }

 private:
  // --- locations and reporting ----------------------------------------------------------------

  SourceLocation at(Token* token) const { return token_location(path_, token); }
  SourceLocation at(antlr4::tree::TerminalNode* node) const { return at(node->getSymbol()); }
  SourceLocation at(antlr4::ParserRuleContext* ctx) const { return at(ctx->getStart()); }

  Diagnostic& error(const SourceLocation& where, std::string message) {
    return diagnostics_.error(where, std::move(message));
  }
  // A token the parser took where the grammar allows anything (a skipped unsupported
  // statement) may itself be a lexical error; that is then the message.
  void syntax_error(Token* token) {
    std::string lexical = lexical_error_message(token);
    error(at(token), (lexical.empty() ? "syntax error" : lexical) + " " + near_token_text(token));
  }

  // --- names -------------------------------------------------------------------------------------

  // A name from its token: an identifier, a quoted identifier, or a keyword serving as a name.
  Identifier name(Token* token) {
    Identifier id;
    id.where = at(token);
    switch (token->getType()) {
      case P::QUOTED_IDENT:
        id.name = unquote_identifier(token->getText());
        id.quoted = true;
        if (id.name.empty()) error(id.where, "zero-length delimited identifier " + near_token_text(token));
        break;
      case P::UNICODE_QUOTED_IDENT:
        error(id.where, "Unicode escape identifiers (U&\"...\") are not supported");
        id.name = token->getText();
        id.quoted = true;
        break;
      default:
        id.name = fold_identifier(token->getText());
        break;
    }
    std::string written = id.name;
    if (truncate_identifier(id.name)) {
      diagnostics_.warning(id.where, "identifier \"" + written + "\" will be truncated to \"" + id.name + "\"");
    }
    return id;
  }
  // colId, colLabel, typeFunctionName and nonReservedWord are each one token.
  Identifier name(antlr4::ParserRuleContext* ctx) { return name(ctx->getStart()); }

  // The parts of a dotted name: every name-rule child of `ctx`, in order.
  QualifiedName qualified_name(antlr4::ParserRuleContext* ctx, NameUse use) {
    QualifiedName parts;
    for (antlr4::tree::ParseTree* child : ctx->children) {
      if (dynamic_cast<P::ColIdContext*>(child) != nullptr || dynamic_cast<P::ColLabelContext*>(child) != nullptr ||
          dynamic_cast<P::TypeFunctionNameContext*>(child) != nullptr) {
        parts.push_back(name(static_cast<antlr4::ParserRuleContext*>(child)));
      }
    }
    // PostgreSQL's own limits: schema.table, schema.function, schema.table.column; one more
    // part would name a database.
    size_t allowed = use == NameUse::kColumn ? 3 : 2;
    if (parts.size() > allowed + 1) {
      error(at(ctx), "improper qualified name (too many dotted names): " + qualified_name_text(parts));
    } else if (parts.size() == allowed + 1) {
      error(at(ctx), "cross-database references are not supported: " + qualified_name_text(parts));
    }
    return parts;
  }

  // --- types ------------------------------------------------------------------------------------

  TypeName type_name(P::TypeNameContext* ctx) {
    if (ctx->arrayBounds() != nullptr) error(at(ctx->arrayBounds()), "array types are not supported");
    P::SimpleTypeNameContext* simple = ctx->simpleTypeName();
    if (simple->constTypeName() != nullptr) return const_type_name(simple->constTypeName());
    TypeName type;
    type.where = at(simple);
    type.name = generic_type_name(qualified_name(simple, NameUse::kType));
    type.modifiers = modifiers(simple->typeModifiers());
    return type;
  }

  std::string generic_type_name(const QualifiedName& parts) {
    bool in_catalog = parts.size() == 2 && parts[0].name == "pg_catalog";
    if (parts.size() != 1 && !in_catalog) return qualified_name_text(parts);
    const std::string& written = parts.back().name;
    auto found = catalog_type_names().find(written);
    return found == catalog_type_names().end() ? written : found->second;
  }

  TypeName const_type_name(P::ConstTypeNameContext* ctx) {
    TypeName type;
    type.where = at(ctx);
    if (dynamic_cast<P::BooleanTypeContext*>(ctx)) {
      type.name = "boolean";
    } else if (dynamic_cast<P::SmallintTypeContext*>(ctx)) {
      type.name = "smallint";
    } else if (dynamic_cast<P::IntegerTypeContext*>(ctx)) {
      type.name = "integer";
    } else if (dynamic_cast<P::BigintTypeContext*>(ctx)) {
      type.name = "bigint";
    } else if (dynamic_cast<P::RealTypeContext*>(ctx)) {
      type.name = "real";
    } else if (auto* float_type = dynamic_cast<P::FloatTypeContext*>(ctx)) {
      type.name = float_type_name(float_type);
    } else if (dynamic_cast<P::DoubleTypeContext*>(ctx)) {
      type.name = "double precision";
    } else if (auto* numeric_type = dynamic_cast<P::NumericTypeContext*>(ctx)) {
      type.name = "numeric";
      type.modifiers = modifiers(numeric_type->typeModifiers());
    } else if (auto* character_type = dynamic_cast<P::CharacterTypeContext*>(ctx)) {
      type.name = character_type->VARYING() != nullptr ? "varchar" : "bpchar";
      type.modifiers = modifiers(character_type->typeModifiers());
    } else if (auto* varchar_type = dynamic_cast<P::VarcharTypeContext*>(ctx)) {
      type.name = "varchar";
      type.modifiers = modifiers(varchar_type->typeModifiers());
    } else if (auto* bit_type = dynamic_cast<P::BitTypeContext*>(ctx)) {
      type.name = bit_type->VARYING() != nullptr ? "varbit" : "bit";
      type.modifiers = modifiers(bit_type->typeModifiers());
    } else if (auto* timestamp_type = dynamic_cast<P::TimestampTypeContext*>(ctx)) {
      bool with_zone = timestamp_type->timeZone() != nullptr && timestamp_type->timeZone()->WITH() != nullptr;
      type.name = with_zone ? "timestamptz" : "timestamp";
      type.modifiers = modifiers(timestamp_type->typeModifiers());
    } else if (auto* time_type = dynamic_cast<P::TimeTypeContext*>(ctx)) {
      bool with_zone = time_type->timeZone() != nullptr && time_type->timeZone()->WITH() != nullptr;
      type.name = with_zone ? "timetz" : "time";
      type.modifiers = modifiers(time_type->typeModifiers());
    } else if (auto* interval_type = dynamic_cast<P::IntervalTypeContext*>(ctx)) {
      type.name = "interval";
      type.modifiers = modifiers(interval_type->typeModifiers());
    }
    return type;
  }

  // float(p) is real for p <= 24 and double precision up to 53, as in PostgreSQL.
  std::string float_type_name(P::FloatTypeContext* ctx) {
    std::vector<int32_t> precision = modifiers(ctx->typeModifiers());
    if (precision.empty()) return "double precision";
    SourceLocation where = at(ctx->typeModifiers()->expr(0));
    if (precision.size() > 1) {
      error(where, "type float takes one precision, as in float(24)");
    } else if (precision[0] < 1) {
      error(where, "precision for type float must be at least 1 bit");
    } else if (precision[0] > 53) {
      error(where, "precision for type float must be less than 54 bits");
    }
    return precision[0] <= 24 ? "real" : "double precision";
  }

  std::vector<int32_t> modifiers(P::TypeModifiersContext* ctx) {
    std::vector<int32_t> values;
    if (ctx == nullptr) return values;
    for (P::ExprContext* modifier : ctx->expr()) {
      ExprPtr value = expr(modifier, 1);
      auto* integer = std::get_if<IntegerLiteral>(&value->node);
      if (integer == nullptr) {
        error(value->where, "type modifiers must be integer constants");
        continue;
      }
      int32_t number = 0;
      const std::string& text = integer->text;
      auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (status != std::errc() || end != text.data() + text.size()) {
        error(value->where, "type modifier " + text + " is out of range");
        continue;
      }
      values.push_back(number);
    }
    return values;
  }

  // --- expressions -------------------------------------------------------------------------------

  template <class Node>
  static ExprPtr make(Node node, SourceLocation where) {
    return std::make_unique<Expr>(Expr{ExprNode(std::move(node)), std::move(where)});
  }

  // What an unsupported construct becomes once reported: the tree stays well formed.
  static ExprPtr placeholder(SourceLocation where) { return make(NullLiteral{}, std::move(where)); }

  ExprPtr unsupported(const SourceLocation& where, const std::string& message) {
    error(where, message);
    return placeholder(where);
  }

  bool too_deep(int depth, antlr4::ParserRuleContext* ctx) {
    if (depth <= kMaxExpressionDepth) return false;
    if (!depth_reported_) {
      error(at(ctx), "expression is nested too deeply (the limit is " + std::to_string(kMaxExpressionDepth) + " levels)");
      depth_reported_ = true;
    }
    return true;
  }

  BinaryOp binary_op(Token* op) {
    switch (op->getType()) {
      case P::PLUS: return BinaryOp::kAdd;
      case P::MINUS: return BinaryOp::kSubtract;
      case P::STAR: return BinaryOp::kMultiply;
      case P::SLASH: return BinaryOp::kDivide;
      case P::PERCENT: return BinaryOp::kModulo;
      case P::EQ: return BinaryOp::kEqual;
      case P::NE: case P::BANG_EQ: return BinaryOp::kNotEqual;
      case P::LT: return BinaryOp::kLess;
      case P::LE: return BinaryOp::kLessEqual;
      case P::GT: return BinaryOp::kGreater;
      case P::GE: return BinaryOp::kGreaterEqual;
      case P::AND: return BinaryOp::kAnd;
      case P::OR: return BinaryOp::kOr;
      default: return BinaryOp::kConcat;
    }
  }

  // Operands are built left to right (a braced list fixes the order), so that diagnostics
  // come out in source order.
  ExprPtr binary(Token* op, P::ExprContext* left, P::ExprContext* right, int depth) {
    return make(Binary{binary_op(op), expr(left, depth + 1), expr(right, depth + 1)}, at(op));
  }
  ExprPtr binary(Token* op, P::BExprContext* left, P::BExprContext* right, int depth) {
    return make(Binary{binary_op(op), b_expr(left, depth + 1), b_expr(right, depth + 1)}, at(op));
  }

  // Unary minus on a number folds into it, as PostgreSQL's grammar does (doNegate): the
  // literal -2147483648 is then an integer, not the negation of a bigint.
  ExprPtr unary_sign(Token* op, ExprPtr operand) {
    if (op->getType() == P::MINUS) {
      std::string* text = nullptr;
      if (auto* integer = std::get_if<IntegerLiteral>(&operand->node)) text = &integer->text;
      if (auto* numeric = std::get_if<NumericLiteral>(&operand->node)) text = &numeric->text;
      if (text != nullptr) {
        *text = (!text->empty() && (*text)[0] == '-') ? text->substr(1) : "-" + *text;
        operand->where = at(op);
        return operand;
      }
    }
    UnaryOp unary = op->getType() == P::MINUS ? UnaryOp::kMinus : UnaryOp::kPlus;
    return make(Unary{unary, std::move(operand)}, at(op));
  }

  ExprPtr unsupported_operator(Token* op) {
    return unsupported(at(op), "operator \"" + op->getText() + "\" is not supported");
  }

  ExprPtr expr(P::ExprContext* ctx, int depth) {
    if (too_deep(depth, ctx)) return placeholder(at(ctx));
    if (auto* c = dynamic_cast<P::PrimaryContext*>(ctx)) return primary(c->primaryExpr(), depth);
    if (auto* c = dynamic_cast<P::ComparisonContext*>(ctx)) {
      Token* op = c->comparisonOperator()->getStart();
      if (dynamic_cast<P::ComparisonContext*>(c->expr(0)) != nullptr ||
          dynamic_cast<P::QuantifiedComparisonContext*>(c->expr(0)) != nullptr) {
        syntax_error(op);  // a = b = c: comparison is non-associative
        return placeholder(at(op));
      }
      return binary(op, c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::AndContext*>(ctx)) {
      return binary(c->AND()->getSymbol(), c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::OrContext*>(ctx)) {
      return binary(c->OR()->getSymbol(), c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::NotContext*>(ctx)) return make(Not{expr(c->expr(), depth + 1)}, at(c->NOT()));
    if (auto* c = dynamic_cast<P::IsTestContext*>(ctx)) {
      bool negated = c->NOT() != nullptr;
      ExprPtr operand = expr(c->expr(), depth + 1);
      switch (c->test->getType()) {
        case P::NULL_P: return make(IsNull{negated, std::move(operand)}, at(c->IS()));
        case P::TRUE_P: return make(IsBool{BoolTestValue::kTrue, negated, std::move(operand)}, at(c->IS()));
        case P::FALSE_P: return make(IsBool{BoolTestValue::kFalse, negated, std::move(operand)}, at(c->IS()));
        default: return make(IsBool{BoolTestValue::kUnknown, negated, std::move(operand)}, at(c->IS()));
      }
    }
    if (auto* c = dynamic_cast<P::InContext*>(ctx)) return in_list(c, depth);
    if (auto* c = dynamic_cast<P::AdditiveContext*>(ctx)) {
      return binary(c->op, c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::MultiplicativeContext*>(ctx)) {
      return binary(c->op, c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::TypecastContext*>(ctx)) {
      return make(Cast{expr(c->expr(), depth + 1), type_name(c->typeName())}, at(c->TYPECAST()));
    }
    if (auto* c = dynamic_cast<P::OtherOperatorContext*>(ctx)) {
      if (c->op->getType() != P::CONCAT) return unsupported_operator(c->op);
      return binary(c->op, c->expr(0), c->expr(1), depth);
    }
    if (auto* c = dynamic_cast<P::LikeContext*>(ctx)) return like(c, depth);
    if (auto* c = dynamic_cast<P::BetweenContext*>(ctx)) return between(c, depth);
    if (auto* c = dynamic_cast<P::UnarySignContext*>(ctx)) return unary_sign(c->op, expr(c->expr(), depth + 1));
    if (auto* c = dynamic_cast<P::NullTestContext*>(ctx)) {
      return make(IsNull{c->op->getType() == P::NOTNULL, expr(c->expr(), depth + 1)}, at(c->op));
    }
    if (auto* c = dynamic_cast<P::EscapeContext*>(ctx)) {
      // ESCAPE belongs to a LIKE; anywhere else it is out of place.
      syntax_error(c->ESCAPE()->getSymbol());
      return placeholder(at(c->ESCAPE()));
    }
    if (auto* c = dynamic_cast<P::SubscriptContext*>(ctx)) {
      return unsupported(at(c->LBRACKET()), "array subscripts are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::CollateContext*>(ctx)) {
      return unsupported(at(c->COLLATE()), "COLLATE is not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::AtTimeZoneContext*>(ctx)) {
      return unsupported(at(c->AT()), "AT TIME ZONE is not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::PrefixOperatorContext*>(ctx)) return unsupported_operator(c->op);
    if (auto* c = dynamic_cast<P::SimilarToContext*>(ctx)) {
      return unsupported(at(c->SIMILAR()), "SIMILAR TO is not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::QuantifiedComparisonContext*>(ctx)) {
      return unsupported(at(c->quantifier),
                         upper(c->quantifier->getText()) + " (...) is not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::IsDistinctFromContext*>(ctx)) {
      return unsupported(at(c->IS()), "IS DISTINCT FROM is not supported in policy expressions");
    }
    return unsupported(at(ctx), "internal error: unknown expression form");
  }

  // Reports `a LIKE b LIKE c` and the like (see ends_open_at_like_level): `left` is the left
  // operand of the operator starting at `op`.
  bool left_operand_conflicts(P::ExprContext* left, Token* op) {
    if (!ends_open_at_like_level(left)) return false;
    syntax_error(op);
    return true;
  }
  // ... and `a LIKE b IN (c)`: `last` is the last operand of a LIKE, BETWEEN or SIMILAR TO.
  bool last_operand_conflicts(P::ExprContext* last) {
    Token* op = like_level_operator(last);
    if (op == nullptr) return false;
    syntax_error(op);
    return true;
  }

  ExprPtr in_list(P::InContext* ctx, int depth) {
    Token* op = like_level_operator(ctx);
    if (left_operand_conflicts(ctx->expr(), op)) return placeholder(at(op));
    if (auto* subquery = dynamic_cast<P::InSubqueryContext*>(ctx->inList())) {
      return unsupported(at(subquery->queryBody()), "subqueries are not supported in policy expressions");
    }
    auto* list = static_cast<P::InExpressionsContext*>(ctx->inList());
    InList node{ctx->NOT() != nullptr, expr(ctx->expr(), depth + 1), {}};
    for (P::ExprContext* item : list->expr()) node.items.push_back(expr(item, depth + 1));
    return make(std::move(node), at(op));
  }

  ExprPtr between(P::BetweenContext* ctx, int depth) {
    Token* op = like_level_operator(ctx);
    if (left_operand_conflicts(ctx->expr(0), op) || last_operand_conflicts(ctx->expr(1))) return placeholder(at(op));
    if (ctx->symmetry != nullptr && ctx->symmetry->getType() == P::SYMMETRIC) {
      return unsupported(at(ctx->symmetry), "BETWEEN SYMMETRIC is not supported in policy expressions");
    }
    return make(Between{ctx->NOT() != nullptr, expr(ctx->expr(0), depth + 1), b_expr(ctx->bExpr(), depth + 1),
                        expr(ctx->expr(1), depth + 1)},
                at(op));
  }

  ExprPtr like(P::LikeContext* ctx, int depth) {
    Token* op = like_level_operator(ctx);
    if (left_operand_conflicts(ctx->expr(0), op)) return placeholder(at(op));
    // `a LIKE b ESCAPE c` parses as a LIKE (b ESCAPE c): ESCAPE binds just tighter than LIKE.
    P::ExprContext* pattern = ctx->expr(1);
    P::ExprContext* escape = nullptr;
    if (auto* with_escape = dynamic_cast<P::EscapeContext*>(pattern)) {
      if (dynamic_cast<P::EscapeContext*>(with_escape->expr(0)) != nullptr) {
        syntax_error(with_escape->ESCAPE()->getSymbol());
        return placeholder(at(op));
      }
      pattern = with_escape->expr(0);
      escape = with_escape->expr(1);
    }
    if (last_operand_conflicts(pattern)) return placeholder(at(op));
    Like node;
    node.negated = ctx->NOT() != nullptr;
    node.case_insensitive = ctx->op->getType() == P::ILIKE;
    node.operand = expr(ctx->expr(0), depth + 1);
    node.pattern = expr(pattern, depth + 1);
    if (escape != nullptr) node.escape = expr(escape, depth + 1);
    return make(std::move(node), at(op));
  }

  // PostgreSQL's b_expr: BETWEEN's lower bound and column defaults.
  ExprPtr b_expr(P::BExprContext* ctx, int depth) {
    if (too_deep(depth, ctx)) return placeholder(at(ctx));
    if (auto* c = dynamic_cast<P::BPrimaryContext*>(ctx)) return primary(c->primaryExpr(), depth);
    if (auto* c = dynamic_cast<P::BTypecastContext*>(ctx)) {
      return make(Cast{b_expr(c->bExpr(), depth + 1), type_name(c->typeName())}, at(c->TYPECAST()));
    }
    if (auto* c = dynamic_cast<P::BSubscriptContext*>(ctx)) {
      return unsupported(at(c->LBRACKET()), "array subscripts are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::BUnarySignContext*>(ctx)) return unary_sign(c->op, b_expr(c->bExpr(), depth + 1));
    if (auto* c = dynamic_cast<P::BMultiplicativeContext*>(ctx)) {
      return binary(c->op, c->bExpr(0), c->bExpr(1), depth);
    }
    if (auto* c = dynamic_cast<P::BAdditiveContext*>(ctx)) {
      return binary(c->op, c->bExpr(0), c->bExpr(1), depth);
    }
    if (auto* c = dynamic_cast<P::BPrefixOperatorContext*>(ctx)) return unsupported_operator(c->op);
    if (auto* c = dynamic_cast<P::BOtherOperatorContext*>(ctx)) {
      if (c->op->getType() != P::CONCAT) return unsupported_operator(c->op);
      return binary(c->op, c->bExpr(0), c->bExpr(1), depth);
    }
    if (auto* c = dynamic_cast<P::BComparisonContext*>(ctx)) {
      Token* op = c->comparisonOperator()->getStart();
      if (dynamic_cast<P::BComparisonContext*>(c->bExpr(0)) != nullptr) {
        syntax_error(op);
        return placeholder(at(op));
      }
      return binary(op, c->bExpr(0), c->bExpr(1), depth);
    }
    if (auto* c = dynamic_cast<P::BIsDistinctFromContext*>(ctx)) {
      return unsupported(at(c->IS()), "IS DISTINCT FROM is not supported in policy expressions");
    }
    return unsupported(at(ctx), "internal error: unknown expression form");
  }

  ExprPtr primary(P::PrimaryExprContext* ctx, int depth) {
    if (auto* c = dynamic_cast<P::ColumnRefContext*>(ctx)) {
      return make(ColumnRef{qualified_name(c->qualifiedName(), NameUse::kColumn)}, at(c));
    }
    if (auto* c = dynamic_cast<P::LiteralExprContext*>(ctx)) return literal(c->literal()->getStart());
    if (auto* c = dynamic_cast<P::FunctionCallExprContext*>(ctx)) return function_call(c->functionCall(), depth);
    if (auto* c = dynamic_cast<P::ParenthesizedContext*>(ctx)) {
      if (c->COMMA().empty()) return expr(c->expr(0), depth);
      return unsupported(at(c), "row constructors are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::SpecialValueContext*>(ctx)) {
      SpecialValueKind kind =
          c->special->getType() == P::SESSION_USER ? SpecialValueKind::kSessionUser : SpecialValueKind::kCurrentUser;
      return make(SpecialValue{kind}, at(c->special));
    }
    if (auto* c = dynamic_cast<P::TypedLiteralContext*>(ctx)) {
      TypeName type = const_type_name(c->constTypeName());
      return make(TypedLiteral{std::move(type), string_constant(c->sconst()->getStart())}, at(c));
    }
    if (auto* c = dynamic_cast<P::GenericTypedLiteralContext*>(ctx)) {
      TypeName type;
      type.where = at(c);
      type.name = generic_type_name(qualified_name(c->functionName(), NameUse::kType));
      return make(TypedLiteral{std::move(type), string_constant(c->sconst()->getStart())}, at(c));
    }
    if (auto* c = dynamic_cast<P::CastExprContext*>(ctx)) {
      return make(Cast{expr(c->expr(), depth + 1), type_name(c->typeName())}, at(c->CAST()));
    }
    if (auto* c = dynamic_cast<P::CaseExprContext*>(ctx)) return case_expr(c, depth);
    if (auto* c = dynamic_cast<P::UnsupportedSpecialValueContext*>(ctx)) {
      return unsupported(at(c->special), upper(c->special->getText()) + " is not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::ExplicitRowContext*>(ctx)) {
      return unsupported(at(c), "row constructors are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::SubqueryContext*>(ctx)) {
      return unsupported(at(c->queryBody()), "subqueries are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::ExistsContext*>(ctx)) {
      return unsupported(at(c), "EXISTS subqueries are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::ArrayConstructorContext*>(ctx)) {
      return unsupported(at(c), "arrays are not supported in policy expressions");
    }
    if (auto* c = dynamic_cast<P::ParameterContext*>(ctx)) {
      return unsupported(at(c), "parameters (" + c->getText() + ") are not supported in policy expressions");
    }
    return unsupported(at(ctx), "internal error: unknown expression form");
  }

  ExprPtr literal(Token* token) {
    SourceLocation where = at(token);
    switch (token->getType()) {
      case P::INTEGER_LITERAL: return make(IntegerLiteral{token->getText()}, where);
      case P::NUMERIC_LITERAL: return make(NumericLiteral{token->getText()}, where);
      case P::TRUE_P: return make(BoolLiteral{true}, where);
      case P::FALSE_P: return make(BoolLiteral{false}, where);
      case P::NULL_P: return make(NullLiteral{}, where);
      case P::BIT_STRING: return unsupported(where, "bit-string constants (B'...' and X'...') are not supported");
      case P::NATIONAL_STRING: return unsupported(where, "national character constants (N'...') are not supported");
      default: return make(StringLiteral{string_constant(token)}, where);
    }
  }

  // The value of a string token; the kinds outside the dialect are reported.
  std::string string_constant(Token* token) {
    switch (token->getType()) {
      case P::STRING: return standard_string_value(token->getText());
      case P::DOLLAR_STRING: return dollar_string_value(token->getText());
      case P::ESCAPE_STRING:
        error(at(token), "escape string constants (E'...') are not supported; write '' for a quote in a plain string");
        return "";
      default:
        error(at(token), "Unicode escape strings (U&'...') are not supported");
        return "";
    }
  }

  ExprPtr case_expr(P::CaseExprContext* ctx, int depth) {
    Case node;
    if (ctx->operand != nullptr) node.operand = expr(ctx->operand, depth + 1);
    for (P::CaseWhenContext* when : ctx->caseWhen()) {
      node.whens.push_back(
          CaseWhen{expr(when->condition, depth + 1), expr(when->result, depth + 1), at(when->WHEN())});
    }
    if (ctx->elseResult != nullptr) node.else_result = expr(ctx->elseResult, depth + 1);
    return make(std::move(node), at(ctx->CASE()));
  }

  ExprPtr function_call(P::FunctionCallContext* ctx, int depth) {
    SourceLocation where = at(ctx);
    QualifiedName function = qualified_name(ctx->functionName(), NameUse::kFunction);
    if (ctx->STAR() != nullptr) {
      return unsupported(at(ctx->STAR()), "aggregate functions are not supported in policy expressions");
    }
    if (ctx->DISTINCT() != nullptr) {
      return unsupported(at(ctx->DISTINCT()), "aggregate functions are not supported in policy expressions");
    }
    if (ctx->OVER() != nullptr) {
      return unsupported(at(ctx->OVER()), "window functions are not supported in policy expressions");
    }
    FunctionCall call{std::move(function), {}};
    for (P::FunctionArgumentContext* argument : ctx->functionArgument()) {
      if (argument->colLabel() != nullptr) {
        error(at(argument), "named function arguments are not supported");
      }
      call.args.push_back(expr(argument->expr(), depth + 1));
    }
    return make(std::move(call), where);
  }

  // --- CREATE TABLE ------------------------------------------------------------------------------

  CreateTable create_table(P::CreateTableContext* ctx) {
    CreateTable table;
    table.name = qualified_name(ctx->qualifiedName(), NameUse::kTable);
    if (ctx->IF() != nullptr) error(at(ctx->IF()), "CREATE TABLE IF NOT EXISTS is not supported");
    bool has_primary_key = false;
    for (P::TableElementContext* element : ctx->tableElement()) {
      if (element->columnDefinition() != nullptr) {
        table.columns.push_back(column_definition(element->columnDefinition(), table, has_primary_key));
      } else {
        table_constraint(element->tableConstraint(), table, has_primary_key);
      }
    }
    return table;
  }

  std::string table_text(const CreateTable& table) const {
    return table.name.empty() ? std::string() : table.name.back().name;
  }

  void report_constraint_name(antlr4::tree::TerminalNode* constraint_keyword) {
    if (constraint_keyword == nullptr) return;
    error(at(constraint_keyword), "constraint names (CONSTRAINT name) are not supported");
  }

  ColumnDefinition column_definition(P::ColumnDefinitionContext* ctx, const CreateTable& table, bool& has_primary_key) {
    ColumnDefinition column;
    column.name = name(ctx->colId());
    column.where = column.name.where;
    column.type = type_name(ctx->typeName());
    bool saw_nullability = false;
    std::string of_column = "column \"" + column.name.name + "\" of table \"" + table_text(table) + "\"";
    for (P::ColumnConstraintContext* constraint : ctx->columnConstraint()) {
      report_constraint_name(constraint->CONSTRAINT());
      P::ColumnConstraintBodyContext* body = constraint->columnConstraintBody();
      if (dynamic_cast<P::NotNullConstraintContext*>(body) != nullptr ||
          dynamic_cast<P::NullConstraintContext*>(body) != nullptr) {
        bool not_null = dynamic_cast<P::NotNullConstraintContext*>(body) != nullptr;
        if (saw_nullability && column.not_null != not_null) {
          error(at(body), "conflicting NULL/NOT NULL declarations for " + of_column);
        }
        column.not_null = not_null;
        saw_nullability = true;
      } else if (dynamic_cast<P::PrimaryKeyConstraintContext*>(body) != nullptr) {
        if (has_primary_key) {
          error(at(body), "multiple primary keys for table \"" + table_text(table) + "\" are not allowed");
        }
        column.primary_key = true;
        has_primary_key = true;
      } else if (auto* default_value = dynamic_cast<P::DefaultConstraintContext*>(body)) {
        if (column.default_value != nullptr) {
          error(at(body), "multiple default values specified for " + of_column);
        } else {
          column.default_value = b_expr(default_value->bExpr(), 0);
        }
      } else if (auto* other = dynamic_cast<P::UnsupportedColumnConstraintContext*>(body)) {
        unsupported_constraint(other->kind);
      }
    }
    return column;
  }

  void table_constraint(P::TableConstraintContext* ctx, CreateTable& table, bool& has_primary_key) {
    report_constraint_name(ctx->CONSTRAINT());
    P::TableConstraintBodyContext* body = ctx->tableConstraintBody();
    if (auto* primary_key = dynamic_cast<P::PrimaryKeyTableConstraintContext*>(body)) {
      if (has_primary_key) {
        error(at(body), "multiple primary keys for table \"" + table_text(table) + "\" are not allowed");
        return;
      }
      has_primary_key = true;
      table.primary_key_where = at(primary_key->PRIMARY());
      for (P::ColIdContext* column : primary_key->colId()) table.primary_key.push_back(name(column));
    } else if (auto* other = dynamic_cast<P::UnsupportedTableConstraintContext*>(body)) {
      unsupported_constraint(other->kind);
    }
  }

  void unsupported_constraint(Token* kind) {
    switch (kind->getType()) {
      case P::UNIQUE: error(at(kind), "UNIQUE constraints are not supported"); break;
      case P::CHECK: error(at(kind), "CHECK constraints are not supported"); break;
      case P::REFERENCES: error(at(kind), "foreign keys (REFERENCES) are not supported"); break;
      case P::FOREIGN: error(at(kind), "foreign keys (FOREIGN KEY) are not supported"); break;
      case P::GENERATED: error(at(kind), "generated columns are not supported"); break;
      default: error(at(kind), "COLLATE is not supported"); break;
    }
  }

  // --- ALTER TABLE -------------------------------------------------------------------------------

  std::vector<AlterTableRowSecurity> alter_table(P::AlterTableContext* ctx) {
    std::vector<AlterTableRowSecurity> actions;
    QualifiedName table = qualified_name(ctx->qualifiedName(), NameUse::kTable);
    if (ctx->IF() != nullptr) error(at(ctx->IF()), "ALTER TABLE IF EXISTS is not supported");
    for (P::AlterTableActionContext* action : ctx->alterTableAction()) {
      RowSecurityAction kind;
      if (dynamic_cast<P::EnableRowSecurityContext*>(action) != nullptr) {
        kind = RowSecurityAction::kEnable;
      } else if (dynamic_cast<P::DisableRowSecurityContext*>(action) != nullptr) {
        kind = RowSecurityAction::kDisable;
      } else if (dynamic_cast<P::ForceRowSecurityContext*>(action) != nullptr) {
        kind = RowSecurityAction::kForce;
      } else if (dynamic_cast<P::NoForceRowSecurityContext*>(action) != nullptr) {
        kind = RowSecurityAction::kNoForce;
      } else {
        // Commas inside an unsupported action split it further: one report is enough.
        error(at(action), "ALTER TABLE ... " + upper(action->getStart()->getText()) +
                              " is not supported; only ENABLE, DISABLE, FORCE and NO FORCE ROW LEVEL SECURITY are");
        break;
      }
      actions.push_back(AlterTableRowSecurity{table, kind, at(action)});
    }
    return actions;
  }

  // --- policies ----------------------------------------------------------------------------------

  std::vector<RoleSpec> roles(P::RoleListContext* ctx) {
    std::vector<RoleSpec> list;
    for (P::RoleSpecContext* spec : ctx->roleSpec()) {
      RoleSpec role;
      role.where = at(spec);
      switch (spec->getStart()->getType()) {
        case P::CURRENT_USER:
        case P::CURRENT_ROLE: role.kind = RoleKind::kCurrentUser; break;
        case P::SESSION_USER: role.kind = RoleKind::kSessionUser; break;
        default: {
          // As in PostgreSQL, "public" is PUBLIC however it is written, and "none" is reserved.
          Identifier role_name = name(spec->nonReservedWord());
          if (role_name.name == "public") {
            role.kind = RoleKind::kPublic;
          } else {
            if (role_name.name == "none") error(role.where, "role name \"none\" is reserved");
            role.kind = RoleKind::kNamed;
            role.name = role_name.name;
          }
        }
      }
      list.push_back(std::move(role));
    }
    return list;
  }

  CreatePolicy create_policy(P::CreatePolicyContext* ctx) {
    CreatePolicy policy;
    policy.name = name(ctx->colId(0));
    policy.table = qualified_name(ctx->qualifiedName(), NameUse::kTable);
    if (ctx->AS() != nullptr) {
      Identifier option = name(ctx->colId(1));
      if (option.name == "restrictive") {
        policy.permissive = false;
      } else if (option.name != "permissive") {
        Diagnostic& diagnostic = error(option.where, "unrecognized row security option \"" + option.name + "\"");
        diagnostic.notes.push_back(Note{option.where, "only PERMISSIVE or RESTRICTIVE policies are supported"});
      }
    }
    if (ctx->policyCommand() != nullptr) {
      Token* command = ctx->policyCommand()->getStart();
      policy.command_where = at(command);
      switch (command->getType()) {
        case P::SELECT: policy.command = PolicyCommand::kSelect; break;
        case P::INSERT: policy.command = PolicyCommand::kInsert; break;
        case P::UPDATE: policy.command = PolicyCommand::kUpdate; break;
        case P::DELETE: policy.command = PolicyCommand::kDelete; break;
        default: policy.command = PolicyCommand::kAll; break;
      }
    }
    if (ctx->roleList() != nullptr) policy.roles = roles(ctx->roleList());
    if (ctx->usingClause() != nullptr) policy.using_expr = expr(ctx->usingClause()->expr(), 1);
    if (ctx->withCheckClause() != nullptr) policy.with_check = expr(ctx->withCheckClause()->expr(), 1);
    return policy;
  }

  AlterPolicy alter_policy(P::AlterPolicyContext* ctx) {
    AlterPolicy policy;
    if (auto* rename = dynamic_cast<P::RenamePolicyContext*>(ctx)) {
      policy.if_exists = rename->IF() != nullptr;
      policy.name = name(rename->colId(0));
      policy.table = qualified_name(rename->qualifiedName(), NameUse::kTable);
      policy.rename_to = name(rename->colId(1));
    } else if (auto* change = dynamic_cast<P::ChangePolicyContext*>(ctx)) {
      policy.name = name(change->colId());
      policy.table = qualified_name(change->qualifiedName(), NameUse::kTable);
      if (change->roleList() != nullptr) policy.roles = roles(change->roleList());
      if (change->usingClause() != nullptr) policy.using_expr = expr(change->usingClause()->expr(), 1);
      if (change->withCheckClause() != nullptr) policy.with_check = expr(change->withCheckClause()->expr(), 1);
    }
    return policy;
  }

  DropPolicy drop_policy(P::DropPolicyContext* ctx) {
    DropPolicy policy;
    policy.if_exists = ctx->IF() != nullptr;
    policy.name = name(ctx->colId());
    policy.table = qualified_name(ctx->qualifiedName(), NameUse::kTable);
    return policy;
  }

  // --- everything else ---------------------------------------------------------------------------

  // Names the statement by its first words (CREATE OR REPLACE FUNCTION, GRANT, DROP TABLE).
  void unsupported_statement(P::UnsupportedStatementContext* ctx) {
    std::vector<Token*> tokens;
    for (antlr4::tree::ParseTree* child : ctx->children) {
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) tokens.push_back(terminal->getSymbol());
    }
    Token* first = tokens.front();
    if (!is_word(first)) {
      syntax_error(first);
      return;
    }
    static const std::vector<std::string> kCreateModifiers = {
        "OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "MATERIALIZED",
        "RECURSIVE", "TRUSTED", "PROCEDURAL", "DEFAULT", "CONSTRAINT"};
    std::string description = upper(first->getText());
    size_t next = 1;
    if (first->getType() == P::CREATE) {
      while (next < tokens.size() && is_word(tokens[next]) &&
             std::find(kCreateModifiers.begin(), kCreateModifiers.end(), upper(tokens[next]->getText())) !=
                 kCreateModifiers.end()) {
        description += " " + upper(tokens[next++]->getText());
      }
    }
    bool names_object = first->getType() == P::CREATE || first->getType() == P::ALTER || first->getType() == P::DROP;
    if (names_object && next < tokens.size() && is_word(tokens[next])) description += " " + upper(tokens[next]->getText());
    Diagnostic& diagnostic = error(at(first), description + " is not supported");
    if (!state_.listed_supported_statements) {
      diagnostic.notes.push_back(Note{at(first),
                                      "a policy file may contain only CREATE TABLE, ALTER TABLE ... ROW LEVEL "
                                      "SECURITY, and CREATE, ALTER or DROP POLICY statements"});
      state_.listed_supported_statements = true;
    }
  }

  const std::string& path_;
  Diagnostics& diagnostics_;
  BuildState& state_;
  bool depth_reported_ = false;
};

}  // namespace

void build_statement(antlr4::ParserRuleContext* statement, const std::string& path, Diagnostics& diagnostics,
                     BuildState& state, std::vector<Statement>& out) {
  AstBuilder builder(path, diagnostics, state);
  builder.statement(static_cast<P::StatementContext*>(statement), out);
}

}  // namespace weftkit::policy::sql
