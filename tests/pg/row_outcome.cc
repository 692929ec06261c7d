// JSON lines in and out, with nlohmann::json doing the escaping.
#include "tests/pg/row_outcome.h"

#include <sstream>

#include <nlohmann/json.hpp>

namespace weftkit::policy::pgtest {

RowOutcome pass(int row) { return {row, "pass", std::nullopt}; }
RowOutcome filtered(int row) { return {row, "filtered", std::nullopt}; }
RowOutcome violation(int row, std::string message) { return {row, "violation", std::move(message)}; }
RowOutcome error(int row, std::string message) { return {row, "error", std::move(message)}; }

std::string to_json_line(const RowOutcome& outcome) {
  // Written by hand for the exact spacing of eval's lines; dump() escapes the strings.
  std::string message = outcome.message ? nlohmann::json(*outcome.message).dump() : "null";
  return "{\"row\": " + std::to_string(outcome.row) + ", \"result\": " + nlohmann::json(outcome.result).dump() +
         ", \"message\": " + message + "}";
}

std::optional<RowOutcome> parse_json_line(const std::string& line, std::string& problem) {
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    problem = "not a JSON object: " + line;
    return std::nullopt;
  }
  RowOutcome outcome;
  if (!parsed.contains("row") || !parsed["row"].is_number_integer()) {
    problem = "no integer \"row\": " + line;
    return std::nullopt;
  }
  outcome.row = parsed["row"].get<int>();
  if (!parsed.contains("result") || !parsed["result"].is_string()) {
    problem = "no string \"result\": " + line;
    return std::nullopt;
  }
  outcome.result = parsed["result"].get<std::string>();
  if (parsed.contains("message") && !parsed["message"].is_null()) {
    if (!parsed["message"].is_string()) {
      problem = "\"message\" is neither a string nor null: " + line;
      return std::nullopt;
    }
    outcome.message = parsed["message"].get<std::string>();
  }
  for (const auto& [key, value] : parsed.items()) {
    if (key != "row" && key != "result" && key != "message") {
      problem = "unexpected key \"" + key + "\": " + line;
      return std::nullopt;
    }
  }
  return outcome;
}

std::optional<std::vector<RowOutcome>> parse_json_lines(const std::string& text, std::string& problem) {
  std::vector<RowOutcome> outcomes;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::optional<RowOutcome> outcome = parse_json_line(line, problem);
    if (!outcome) return std::nullopt;
    outcomes.push_back(*outcome);
  }
  return outcomes;
}

void PrintTo(const RowOutcome& outcome, std::ostream* out) { *out << to_json_line(outcome); }

}  // namespace weftkit::policy::pgtest
