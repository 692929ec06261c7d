// Drives the generated lexer and parser statement by statement and collects the AST.
#include "compiler/sql/parse_sql.h"

#include <pthread.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string_view>

#include "PolicySqlLexer.h"
#include "PolicySqlParser.h"
#include "antlr4-runtime.h"
#include "compiler/sql/ast_builder.h"
#include "compiler/sql/syntax_errors.h"

namespace weftkit::policy::sql {
namespace {

using generated::PolicySqlLexer;
using generated::PolicySqlParser;

// ANTLR's parser recurses once per grammar rule, so nesting is bounded before it can exhaust
// the stack: at most about 1000 rule frames. A parenthesis costs two rules (expr and
// primaryExpr), so parentheses may nest about 500 deep. Those frames take under 1 MB in a
// normal build but over 12 MB with AddressSanitizer, so parsing runs on a thread of its own
// with a stack sized for the limit (see run_on_parser_stack), not on the caller's.
constexpr size_t kMaxRuleDepth = 2 * kMaxExpressionDepth + 64;

// Thrown when a statement nests deeper than the parser may recurse.
struct NestingTooDeep {
  SourceLocation where;
};

class NestingLimitedParser : public PolicySqlParser {
 public:
  NestingLimitedParser(antlr4::TokenStream* input, const std::string& path) : PolicySqlParser(input), path_(path) {}

  using PolicySqlParser::enterRecursionRule;

  // Both checks run before the base class makes the new rule current, so that unwinding
  // leaves the parser's rule stack consistent.
  void enterRule(antlr4::ParserRuleContext* context, size_t state, size_t rule) override {
    check_depth();
    PolicySqlParser::enterRule(context, state, rule);
  }
  void enterRecursionRule(antlr4::ParserRuleContext* context, size_t state, size_t rule, int precedence) override {
    check_depth();
    PolicySqlParser::enterRecursionRule(context, state, rule, precedence);
  }

 private:
  void check_depth() {
    if (_ctx != nullptr && static_cast<size_t>(_ctx->depth()) >= kMaxRuleDepth) {
      throw NestingTooDeep{token_location(path_, getCurrentToken())};
    }
  }

  const std::string& path_;
};

struct InvalidSequence {
  size_t offset;
  size_t length;
};

// The first byte sequence that is not UTF-8 (NUL included, as PostgreSQL rejects it too).
std::optional<InvalidSequence> find_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
    unsigned char lead = byte(0);
    if (lead == 0) return InvalidSequence{i, 1};
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0) return InvalidSequence{i, 1};
    size_t available = std::min(length, text.size() - i);
    uint32_t code_point = lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) {
      if (k >= available || (byte(k) & 0xC0) != 0x80) return InvalidSequence{i, available};
      code_point = (code_point << 6) | (byte(k) & 0x3F);
    }
    bool overlong = (length == 2 && code_point < 0x80) || (length == 3 && code_point < 0x800) ||
                    (length == 4 && code_point < 0x10000);
    bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) return InvalidSequence{i, length};
    i += length;
  }
  return std::nullopt;
}

void skip_statement(antlr4::CommonTokenStream& tokens) {
  while (tokens.LA(1) != antlr4::Token::EOF && tokens.LA(1) != PolicySqlParser::SEMI) tokens.consume();
}

void report_invalid_utf8(const std::string& path, std::string_view text, InvalidSequence bad, Diagnostics& diagnostics) {
  uint32_t line = 1;
  uint32_t column = 1;
  for (size_t i = 0; i < bad.offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  std::string bytes;
  for (size_t i = 0; i < bad.length; ++i) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[bad.offset + i]));
    bytes += (i == 0 ? "" : " ") + std::string(hex);
  }
  diagnostics.error(SourceLocation{path, line, column}, "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

// Parses the statements one at a time. Each is tried first with ANTLR's fast SLL prediction
// and no error reporting; only a statement that fails is parsed again with full LL prediction,
// which is exact and reports the error (the two-stage strategy ANTLR's authors recommend).
void parse_statements(const std::string& path, std::string_view text, Diagnostics& diagnostics,
                      std::vector<Statement>& statements) {
  antlr4::ANTLRInputStream input(text.data(), text.size());
  PolicySqlLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  NestingLimitedParser parser(&tokens, path);
  parser.removeErrorListeners();
  auto* prediction = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  auto fast_errors = std::make_shared<antlr4::BailErrorStrategy>();
  auto reported_errors = make_statement_error_strategy(path, diagnostics);
  BuildState state;

  auto parse_statement = [&]() -> PolicySqlParser::StatementEntryContext* {
    size_t start = tokens.index();
    try {
      prediction->setPredictionMode(antlr4::atn::PredictionMode::SLL);
      parser.setErrorHandler(fast_errors);
      return parser.statementEntry();
    } catch (const antlr4::ParseCancellationException&) {
      tokens.seek(start);
    }
    prediction->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(reported_errors);
    reported_errors->reset(&parser);
    return parser.statementEntry();
  };

  while (tokens.LA(1) != antlr4::Token::EOF) {
    if (tokens.LA(1) == PolicySqlParser::SEMI) {
      tokens.consume();  // an empty statement
      continue;
    }
    try {
      PolicySqlParser::StatementEntryContext* entry = parse_statement();
      build_statement(entry->statement(), path, diagnostics, state, statements);
    } catch (const antlr4::ParseCancellationException&) {
      // The error is reported; resume after the statement's ';'.
      skip_statement(tokens);
    } catch (const NestingTooDeep& error) {
      diagnostics.error(error.where, "expression is nested too deeply (the limit is " +
                                         std::to_string(kMaxExpressionDepth) + " levels)");
      skip_statement(tokens);
    }
    // The statement's parse tree is done with; freeing it now keeps memory flat.
    parser.getTreeTracker().reset();
  }
}

// Runs `work` (which must not throw) on a thread with kParserStackBytes of stack and waits
// for it. The stack is reserved, not committed: only the pages a deep statement touches cost
// memory. Should no thread be available, `work` runs on the caller's stack instead.
constexpr size_t kParserStackBytes = size_t{64} << 20;

void run_on_parser_stack(const std::function<void()>& work) {
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) {
    work();
    return;
  }
  auto run = [](void* argument) -> void* {
    (*static_cast<const std::function<void()>*>(argument))();
    return nullptr;
  };
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attributes, kParserStackBytes) == 0 &&
                 pthread_create(&thread, &attributes, run, const_cast<std::function<void()>*>(&work)) == 0;
  pthread_attr_destroy(&attributes);
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    work();
  }
}

}  // namespace

Result<Script> parse_sql(const std::string& path, const std::string& text) {
  Diagnostics diagnostics;
  Script script;
  script.path = path;
  std::string_view source = text;
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  if (auto bad = find_invalid_utf8(source)) {
    report_invalid_utf8(path, source, *bad, diagnostics);
    return Result<Script>::failure(std::move(diagnostics));
  }
  run_on_parser_stack([&] {
    try {
      parse_statements(path, source, diagnostics, script.statements);
    } catch (const std::exception& error) {
      // Never a user error; reported rather than thrown so that no exception crosses the API.
      diagnostics.error(SourceLocation{path, 0, 0}, std::string("internal error in the SQL parser: ") + error.what());
    } catch (...) {
      diagnostics.error(SourceLocation{path, 0, 0}, "internal error in the SQL parser");
    }
  });
  return Result<Script>::from(std::move(script), std::move(diagnostics));
}

}  // namespace weftkit::policy::sql
