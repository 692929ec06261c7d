// Case files: policies, roles, a principal, a statement and rows with PostgreSQL's answer for
// each, in the text format README.md describes. Reading only; case_engines.h runs them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::cases {

// One row of a case and the answer expected for it.
struct CaseRow {
  int line = 0;
  std::string row_json;                     // the existing row, or INSERT's new row
  std::optional<std::string> new_row_json;  // UPDATE's new row
  std::string expected;                     // "pass", "filtered", "violation: ...", "error: ..."
};

// An engine allowed to give another answer than the expected one, and why. The driver still
// requires it to differ, so that a fixed difference is noticed and its mark removed.
struct KnownDifference {
  int line = 0;
  std::string engine;
  std::string reason;
};

struct PolicyCase {
  std::string file;  // the path as given, for messages
  int line = 0;      // of the `case` line
  std::string name;
  std::string sql;
  std::string roles;  // roles.yaml text; empty: no roles file
  std::string user;
  std::vector<std::string> requested_roles;
  std::vector<std::pair<std::string, std::string>> settings;
  std::string table;  // empty: the first table of `sql`
  StatementShape shape;
  std::vector<CaseRow> rows;
  std::vector<KnownDifference> known_differences;

  // "row_filters.cases:12", for messages.
  std::string where() const { return file + ":" + std::to_string(line); }
};

struct CaseFile {
  std::vector<PolicyCase> cases;
  std::vector<std::string> errors;  // "file:line: message"; any error makes the file unusable
};

// The engines a known difference may name.
inline const std::vector<std::string>& engine_names() {
  static const std::vector<std::string> names = {"interp", "jit", "aot", "runtime-jit", "runtime-aot"};
  return names;
}

// `file` names the text in messages.
CaseFile parse_case_file(const std::string& file, const std::string& text);

}  // namespace weftkit::policy::cases
