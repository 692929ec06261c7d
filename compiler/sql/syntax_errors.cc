// Syntax error reporting for the generated SQL parser.
#include "compiler/sql/syntax_errors.h"

#include <algorithm>
#include <set>
#include <vector>

#include "PolicySqlParser.h"
#include "antlr4-runtime.h"

namespace weftkit::policy::sql {
namespace {

using generated::PolicySqlParser;
using P = PolicySqlParser;

// The first line of a token's text, shortened: enough to recognise it in a message.
std::string display_text(const std::string& text) {
  constexpr size_t kMaxBytes = 40;
  std::string shown = text.substr(0, text.find_first_of("\r\n"));
  if (shown.size() > kMaxBytes) {
    size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  return shown;
}

bool is_keyword(size_t type) { return type >= P::ALL && type <= P::RESERVED_KEYWORD; }

// Tokens that can continue a complete expression: listing them after "expected" says nothing.
const std::set<size_t>& continuation_tokens() {
  static const std::set<size_t> tokens = {
      P::TYPECAST, P::LBRACKET, P::COLLATE, P::AT,     P::STAR,    P::SLASH,    P::PERCENT, P::PLUS,
      P::MINUS,    P::OPERATOR, P::CONCAT,  P::ESCAPE, P::NOT,     P::IN,       P::BETWEEN, P::LIKE,
      P::ILIKE,    P::SIMILAR,  P::EQ,      P::NE,     P::BANG_EQ, P::LT,       P::LE,      P::GT,
      P::GE,       P::IS,       P::ISNULL,  P::NOTNULL, P::AND,    P::OR};
  return tokens;
}

// The tokens that can start a rule, read from the grammar itself.
antlr4::misc::IntervalSet rule_start_tokens(const antlr4::Parser& parser, size_t rule) {
  const antlr4::atn::ATN& atn = parser.getATN();
  return atn.nextTokens(atn.ruleToStartState[rule]);
}

std::string describe_token_type(size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  if (type == antlr4::Token::EOF) return "end of input";
  if (type == P::IDENT) return "a name";
  if (type == P::INTEGER_LITERAL) return "an integer";
  if (type == P::STRING) return "a string";
  if (is_keyword(type)) {
    std::string name = vocabulary.getSymbolicName(type);
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "_P") == 0) name.resize(name.size() - 2);
    return name;
  }
  std::string literal = vocabulary.getLiteralName(type);  // '(' with single quotes
  if (literal.size() >= 2) return "\"" + literal.substr(1, literal.size() - 2) + "\"";
  return vocabulary.getSymbolicName(type);
}

// "expected X, Y or Z" for a short, meaningful set of expected tokens; otherwise nothing.
std::string expected_suffix(const antlr4::misc::IntervalSet& expected, const antlr4::Parser& parser) {
  std::set<size_t> types;
  for (ssize_t type : expected.toList()) types.insert(static_cast<size_t>(type));
  if (types.empty()) return "";

  // Whole classes of tokens are named as a class: "an expression", "a name".
  std::vector<std::string> items;
  auto remove_all = [&types](const antlr4::misc::IntervalSet& set) {
    for (ssize_t type : set.toList()) types.erase(static_cast<size_t>(type));
  };
  if (types.count(P::AND) > 0 || types.count(P::OR) > 0) {
    for (size_t type : continuation_tokens()) types.erase(type);
  }
  if (types.count(P::INTEGER_LITERAL) > 0) {
    remove_all(rule_start_tokens(parser, P::RuleExpr));
    // Keywords left are the labels of named arguments (f(x => 1)): not worth listing.
    for (auto it = types.begin(); it != types.end();) it = is_keyword(*it) ? types.erase(it) : std::next(it);
    items.push_back("an expression");
  } else if (types.count(P::IDENT) > 0) {
    remove_all(rule_start_tokens(parser, P::RuleNonReservedWord));
    items.push_back("a name");
  }
  // After a complete statement only ';' may follow: saying so would hide the optional
  // clauses the statement could still have had.
  bool only_statement_end = std::all_of(types.begin(), types.end(), [](size_t type) {
    return type == P::SEMI || type == antlr4::Token::EOF;
  });
  if (items.empty() && only_statement_end) return "";
  for (size_t type : types) items.push_back(describe_token_type(type, parser.getVocabulary()));
  if (items.size() > 8) return "";

  std::string text = ": expected ";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += (i + 1 == items.size()) ? " or " : ", ";
    text += items[i];
  }
  return text;
}

class StatementErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  StatementErrorStrategy(std::string path, Diagnostics& diagnostics)
      : path_(std::move(path)), diagnostics_(diagnostics) {}

  void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& error) override {
    antlr4::Token* offending = error.getOffendingToken();
    if (offending == nullptr) offending = parser->getCurrentToken();
    antlr4::misc::IntervalSet expected;
    if (dynamic_cast<const antlr4::NoViableAltException*>(&error) != nullptr) {
      // The parser may have looked ahead past the start of the construct; the expected
      // tokens of the decision are only meaningful when it failed on its first token.
      auto* no_viable = static_cast<const antlr4::NoViableAltException*>(&error);
      if (no_viable->getStartToken() == offending) expected = parser->getExpectedTokens();
    } else {
      expected = error.getExpectedTokens();
    }
    report(parser, offending, expected);
  }

  void recover(antlr4::Parser*, std::exception_ptr) override { throw antlr4::ParseCancellationException(); }

  antlr4::Token* recoverInline(antlr4::Parser* parser) override {
    report(parser, parser->getCurrentToken(), parser->getExpectedTokens());
    throw antlr4::ParseCancellationException();
  }

  // Called before each decision. Like ANTLR's own sync it reports a token that no path
  // from here accepts — while the expected set still holds every choice, such as both "," and
  // ")" after a column — but it never resynchronises: the caller skips to the next ';'.
  void sync(antlr4::Parser* parser) override {
    const antlr4::atn::ATN& atn = parser->getATN();
    antlr4::atn::ATNState* state = atn.states[parser->getState()];
    antlr4::misc::IntervalSet next = atn.nextTokens(state);
    if (next.contains(antlr4::Token::EPSILON) || next.contains(parser->getTokenStream()->LA(1))) return;
    switch (state->getStateType()) {
      case antlr4::atn::ATNState::BLOCK_START:
      case antlr4::atn::ATNState::STAR_BLOCK_START:
      case antlr4::atn::ATNState::PLUS_BLOCK_START:
      case antlr4::atn::ATNState::STAR_LOOP_ENTRY:
      case antlr4::atn::ATNState::PLUS_LOOP_BACK:
      case antlr4::atn::ATNState::STAR_LOOP_BACK:
        report(parser, parser->getCurrentToken(), parser->getExpectedTokens());
        throw antlr4::ParseCancellationException();
      default:
        break;
    }
  }

 private:
  void report(antlr4::Parser* parser, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected) {
    std::string lexical = lexical_error_message(offending);
    if (!lexical.empty()) {
      diagnostics_.error(token_location(path_, offending), lexical + " " + near_token_text(offending));
      return;
    }
    diagnostics_.error(token_location(path_, offending),
                       "syntax error " + near_token_text(offending) + expected_suffix(expected, *parser));
  }

  std::string path_;
  Diagnostics& diagnostics_;
};

}  // namespace

std::shared_ptr<antlr4::ANTLRErrorStrategy> make_statement_error_strategy(const std::string& path,
                                                                          Diagnostics& diagnostics) {
  return std::make_shared<StatementErrorStrategy>(path, diagnostics);
}

std::string lexical_error_message(antlr4::Token* token) {
  switch (token->getType()) {
    case P::UNTERMINATED_STRING: return "unterminated quoted string";
    case P::UNTERMINATED_QUOTED_IDENT: return "unterminated quoted identifier";
    case P::UNTERMINATED_BLOCK_COMMENT: return "unterminated /* comment";
    case P::UNTERMINATED_DOLLAR_STRING: return "unterminated dollar-quoted string";
    case P::NUMBER_WITH_JUNK: return "trailing junk after numeric literal";
    default: return "";
  }
}

std::string near_token_text(antlr4::Token* token) {
  if (token->getType() == antlr4::Token::EOF) return "at end of input";
  return "at or near \"" + display_text(token->getText()) + "\"";
}

SourceLocation token_location(const std::string& path, antlr4::Token* token) {
  return SourceLocation{path, static_cast<uint32_t>(token->getLine()),
                        static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
}

}  // namespace weftkit::policy::sql
