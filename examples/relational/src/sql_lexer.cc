// The SQL tokenizer (see sql_lexer.h).
#include "sql_lexer.h"

#include <cctype>

namespace relational {

SqlResult<std::vector<Token>> tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto is_ident_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; };
  auto is_ident_char = [&](char c) { return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; };
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // comment to end of line
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return syntax_error("unterminated /* comment");
      i = end + 2;
      continue;
    }
    Token token;
    token.offset = i;
    if (is_ident_start(c)) {
      while (i < sql.size() && is_ident_char(sql[i])) {
        token.text += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i])));
        ++i;
      }
      token.kind = Token::Kind::kIdentifier;
    } else if (c == '"') {
      ++i;
      while (true) {
        if (i >= sql.size()) return syntax_error("unterminated quoted identifier");
        if (sql[i] == '"') {
          if (i + 1 < sql.size() && sql[i + 1] == '"') {
            token.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        token.text += sql[i++];
      }
      if (token.text.empty()) return syntax_error("zero-length delimited identifier");
      token.kind = Token::Kind::kQuotedIdentifier;
    } else if (c == '\'') {
      ++i;
      while (true) {
        if (i >= sql.size()) return syntax_error("unterminated quoted string");
        if (sql[i] == '\'') {
          if (i + 1 < sql.size() && sql[i + 1] == '\'') {
            token.text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        token.text += sql[i++];
      }
      token.kind = Token::Kind::kString;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) token.text += sql[i++];
      if (i < sql.size() && (sql[i] == '.' || is_ident_start(sql[i]))) {
        return SqlError{"0A000", "only integer numbers are supported"};
      }
      token.kind = Token::Kind::kNumber;
    } else {
      static const char* const kTwoCharacter[] = {"<=", ">=", "<>", "!=", "::", "||"};
      token.kind = Token::Kind::kSymbol;
      for (const char* symbol : kTwoCharacter) {
        if (sql.substr(i, 2) == symbol) token.text = symbol;
      }
      if (token.text.empty()) {
        if (std::string_view("(),;=<>+-*/.").find(c) == std::string_view::npos) {
          return syntax_error("syntax error at or near \"" + std::string(1, c) + "\"");
        }
        token.text = std::string(1, c);
      }
      i += token.text.size();
    }
    token.raw = std::string(sql.substr(token.offset, i - token.offset));
    tokens.push_back(std::move(token));
  }
  tokens.push_back(Token{Token::Kind::kEnd, "", sql.size(), ""});
  return tokens;
}

}  // namespace relational
