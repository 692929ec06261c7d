// The answer for one input row, in the output format of `weftkit-policyc eval`:
// {"row": N, "result": "pass"|"filtered"|"violation"|"error", "message": ...}
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace weftkit::policy::pgtest {

struct RowOutcome {
  int row = 0;         // 1-based: the line of the row in rows.jsonl
  std::string result;  // pass, filtered, violation, error
  std::optional<std::string> message;  // PostgreSQL's message for violation and error

  bool operator==(const RowOutcome&) const = default;
};

RowOutcome pass(int row);
RowOutcome filtered(int row);
RowOutcome violation(int row, std::string message);
RowOutcome error(int row, std::string message);

// One JSON line, keys in the order above, message null when absent.
std::string to_json_line(const RowOutcome& outcome);

// Parses one line of eval's output. An absent "message" equals null. Returns nullopt and
// sets `problem` when the line is not such an object.
std::optional<RowOutcome> parse_json_line(const std::string& line, std::string& problem);

// Splits eval's stdout into lines and parses each; nullopt with `problem` on the first bad line.
std::optional<std::vector<RowOutcome>> parse_json_lines(const std::string& text, std::string& problem);

// GoogleTest prints outcomes with this.
void PrintTo(const RowOutcome& outcome, std::ostream* out);

}  // namespace weftkit::policy::pgtest
