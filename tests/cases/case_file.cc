// Reading case files (see case_file.h and README.md).
#include "tests/cases/case_file.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace weftkit::policy::cases {
namespace {

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

bool is_name(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

// The end (one past the closing brace) of the JSON object starting at text[begin] == '{',
// braces inside strings ignored; npos when it does not close.
size_t json_object_end(const std::string& text, size_t begin) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = begin; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string::npos;
}

bool valid_outcome(const std::string& outcome) {
  return outcome == "pass" || outcome == "filtered" || (outcome.rfind("violation: ", 0) == 0 && outcome.size() > 11) ||
         (outcome.rfind("error: ", 0) == 0 && outcome.size() > 7);
}

class Parser {
 public:
  Parser(const std::string& file, const std::string& text) : file_(file) {
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(line);
    }
  }

  CaseFile parse() {
    while (next_ < lines_.size()) {
      const std::string& line = lines_[next_];
      int number = static_cast<int>(next_) + 1;
      ++next_;
      std::string text = trim(line);
      if (text.empty() || text[0] == '#') continue;
      if (line[0] == ' ' || line[0] == '\t') {
        error(number, "indented line outside a sql:, roles: or define block");
      } else if (text.rfind("define ", 0) == 0) {
        parse_define(number, text);
      } else if (text.rfind("case ", 0) == 0) {
        parse_case_start(number, text);
      } else if (current_ == nullptr) {
        error(number, "expected `case NAME` or `define NAME:`, found `" + text + "`");
      } else {
        parse_case_line(number, text);
      }
    }
    finish_case();
    return std::move(result_);
  }

 private:
  void error(int line, const std::string& message) {
    result_.errors.push_back(file_ + ":" + std::to_string(line) + ": " + message);
  }

  // The indented lines after the current one, two spaces of indentation removed; blank lines
  // inside the block are kept.
  std::string indented_block() {
    std::string block;
    std::string pending_blank;
    while (next_ < lines_.size()) {
      const std::string& line = lines_[next_];
      if (trim(line).empty()) {
        pending_blank += "\n";
        ++next_;
        continue;
      }
      if (line.rfind("  ", 0) != 0) break;
      block += pending_blank + line.substr(2) + "\n";
      pending_blank.clear();
      ++next_;
    }
    return block;
  }

  // `@name @other` on a block's first line: the defined texts, in order.
  std::string references(int line, const std::string& text) {
    std::string joined;
    for (const std::string& word : split_words(text)) {
      if (word[0] != '@' || defines_.count(word.substr(1)) == 0) {
        error(line, word[0] == '@' ? "no `define " + word.substr(1) + ":` above this line"
                                   : "expected `@name` references after the colon, found `" + word + "`");
        continue;
      }
      joined += defines_[word.substr(1)];
    }
    return joined;
  }

  void parse_define(int line, const std::string& text) {
    finish_case();
    std::string name = trim(text.substr(7));
    if (name.empty() || name.back() != ':' || !is_name(name.substr(0, name.size() - 1))) {
      error(line, "expected `define NAME:` (letters, digits, _)");
      indented_block();
      return;
    }
    name.pop_back();
    if (defines_.count(name) != 0) error(line, "`" + name + "` is already defined");
    defines_[name] = indented_block();
  }

  void parse_case_start(int line, const std::string& text) {
    finish_case();
    std::string name = trim(text.substr(5));
    if (!is_name(name)) error(line, "a case name is letters, digits and _ (it names the test): `" + name + "`");
    if (!case_names_.insert({name, line}).second) {
      error(line, "case `" + name + "` is already defined at line " + std::to_string(case_names_[name]));
    }
    result_.cases.push_back(PolicyCase{});
    current_ = &result_.cases.back();
    current_->file = file_;
    current_->line = line;
    current_->name = name;
  }

  void parse_case_line(int line, const std::string& text) {
    PolicyCase& c = *current_;
    if (text[0] == '{') {
      parse_row(line, text);
      return;
    }
    size_t colon = text.find(':');
    if (colon == std::string::npos) {
      error(line, "expected `key: value` or a row, found `" + text + "`");
      return;
    }
    std::string key = trim(text.substr(0, colon));
    std::string value = trim(text.substr(colon + 1));
    if (key == "sql") {
      c.sql += references(line, value) + indented_block();
    } else if (key == "roles") {
      c.roles += references(line, value) + indented_block();
    } else if (key == "user") {
      if (!c.user.empty()) error(line, "the case already has a user");
      c.user = value;
    } else if (key == "request") {
      std::istringstream roles(value);
      for (std::string role; std::getline(roles, role, ',');) {
        if (!trim(role).empty()) c.requested_roles.push_back(trim(role));
      }
    } else if (key == "set") {
      size_t equals = value.find('=');
      if (equals == std::string::npos || trim(value.substr(0, equals)).empty()) {
        error(line, "expected `set: name = value`");
      } else {
        c.settings.emplace_back(trim(value.substr(0, equals)), trim(value.substr(equals + 1)));
      }
    } else if (key == "table") {
      c.table = value;
    } else if (key == "statement") {
      parse_statement(line, value);
    } else if (key.rfind("known difference ", 0) == 0) {
      std::string engine = trim(key.substr(17));
      const std::vector<std::string>& names = engine_names();
      if (std::find(names.begin(), names.end(), engine) == names.end()) {
        error(line, "unknown engine `" + engine + "`; engines are interp, jit, aot, runtime-jit, runtime-aot");
      } else if (value.empty()) {
        error(line, "a known difference needs its reason after the colon");
      } else {
        c.known_differences.push_back({line, engine, value});
      }
    } else {
      error(line, "unknown key `" + key + "`");
    }
  }

  void parse_statement(int line, const std::string& value) {
    std::vector<std::string> words = split_words(value);
    static const std::map<std::string, StatementCommand> commands = {{"SELECT", StatementCommand::kSelect},
                                                                     {"INSERT", StatementCommand::kInsert},
                                                                     {"UPDATE", StatementCommand::kUpdate},
                                                                     {"DELETE", StatementCommand::kDelete}};
    if (words.empty() || commands.count(words[0]) == 0) {
      error(line, "expected `statement: SELECT|INSERT|UPDATE|DELETE [no-read] [returning]`");
      return;
    }
    statement_seen_ = true;
    current_->shape = StatementShape{commands.at(words[0]), true, false};
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i] == "no-read") current_->shape.reads_columns = false;
      else if (words[i] == "returning") current_->shape.returning = true;
      else error(line, "unknown statement option `" + words[i] + "` (no-read, returning)");
    }
  }

  void parse_row(int line, const std::string& text) {
    CaseRow row;
    row.line = line;
    size_t end = json_object_end(text, 0);
    if (end == std::string::npos) {
      error(line, "the row's JSON object does not close");
      return;
    }
    row.row_json = text.substr(0, end);
    std::string rest = trim(text.substr(end));
    if (rest.rfind("=>", 0) == 0) {
      rest = trim(rest.substr(2));
      size_t new_end = rest.empty() || rest[0] != '{' ? std::string::npos : json_object_end(rest, 0);
      if (new_end == std::string::npos) {
        error(line, "expected the new row's JSON object after `=>`");
        return;
      }
      row.new_row_json = rest.substr(0, new_end);
      rest = trim(rest.substr(new_end));
    }
    if (rest.rfind("->", 0) != 0) {
      error(line, "expected `-> outcome` after the row");
      return;
    }
    row.expected = trim(rest.substr(2));
    if (!valid_outcome(row.expected)) {
      error(line, "the outcome is pass, filtered, `violation: MESSAGE` or `error: MESSAGE`, not `" + row.expected + "`");
      return;
    }
    current_->rows.push_back(std::move(row));
  }

  // Checks what only the whole case can tell.
  void finish_case() {
    if (current_ == nullptr) return;
    PolicyCase& c = *current_;
    if (c.sql.empty()) error(c.line, "case `" + c.name + "` has no sql:");
    if (c.user.empty()) error(c.line, "case `" + c.name + "` has no user:");
    if (!statement_seen_) error(c.line, "case `" + c.name + "` has no statement:");
    if (c.rows.empty()) error(c.line, "case `" + c.name + "` has no rows");
    bool update = c.shape.command == StatementCommand::kUpdate;
    for (const CaseRow& row : c.rows) {
      if (update != row.new_row_json.has_value()) {
        error(row.line, update ? "an UPDATE row is `{old} => {new} -> outcome`"
                               : "only UPDATE rows have a new row (`=>`)");
      }
    }
    current_ = nullptr;
    statement_seen_ = false;
  }

  std::string file_;
  std::vector<std::string> lines_;
  size_t next_ = 0;
  std::map<std::string, std::string> defines_;
  std::map<std::string, int> case_names_;
  CaseFile result_;
  PolicyCase* current_ = nullptr;
  bool statement_seen_ = false;
};

}  // namespace

CaseFile parse_case_file(const std::string& file, const std::string& text) { return Parser(file, text).parse(); }

}  // namespace weftkit::policy::cases
