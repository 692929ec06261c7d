// Report text. Sections start with "--" so that the SQL parts can be pasted into psql.
#include "tests/pg/case_report.h"

#include <sstream>

#include "tests/pg/case_files.h"
#include "tests/pg/case_sql.h"

namespace weftkit::policy::pgtest {
namespace {

std::string indent(const std::string& text) {
  std::string indented;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) indented += "    " + line + "\n";
  return indented;
}

std::string statement_description(const Statement& statement) {
  std::string text = command_name(statement.command);
  text += statement.reads_columns ? ", reads columns (WHERE clause)" : ", reads no column (--no-read)";
  if (statement.returning) text += ", RETURNING *";
  return text;
}

}  // namespace

std::string describe_case(const PolicyCase& policy_case) {
  std::ostringstream out;
  out << "-- policies.sql\n" << indent(policies_sql_file(policy_case));
  out << "-- roles.yaml\n" << indent(roles_yaml(policy_case));
  out << "-- principal: user " << policy_case.principal.user << ", settings:";
  if (policy_case.principal.settings.empty()) out << " none";
  for (const auto& [name, value] : policy_case.principal.settings) out << " " << name << "=" << quote_literal(value);
  out << "\n-- statement: " << statement_description(policy_case.statement) << "\n";
  out << "-- rows.jsonl\n" << indent(rows_jsonl(policy_case, policy_case.rows));
  if (policy_case.statement.command == Command::kUpdate) {
    out << "-- new.jsonl\n" << indent(rows_jsonl(policy_case, policy_case.new_rows));
  }
  return out.str();
}

std::string describe_disagreement(const std::string& title, const PolicyCase& policy_case,
                                  const OracleAnswer& postgres, const EvalRun& eval, const std::string& policyc) {
  std::ostringstream out;
  out << "==== " << title << "\n" << describe_case(policy_case);
  out << "-- command (in a directory holding the files above)\n    " << shell_command(policyc, eval.arguments) << "\n";
  if (postgres.rejected()) {
    out << "-- PostgreSQL rejected: " << *postgres.rejected_statement << "\n    " << postgres.rejection_message << "\n";
    out << "-- eval: " << weftkit::testing::describe_outcome(eval.process) << " (expected exit status 1, policy errors)\n";
  } else {
    out << "-- answers (postgres | eval)\n";
    size_t first_difference = SIZE_MAX;
    size_t count = std::max(postgres.outcomes.size(), eval.outcomes ? eval.outcomes->size() : 0);
    for (size_t index = 0; index < count; ++index) {
      std::string expected = index < postgres.outcomes.size() ? to_json_line(postgres.outcomes[index]) : "(none)";
      std::string actual = eval.outcomes && index < eval.outcomes->size() ? to_json_line((*eval.outcomes)[index])
                                                                           : "(none)";
      bool differs = expected != actual;
      if (differs && first_difference == SIZE_MAX) first_difference = index;
      out << (differs ? "  ! " : "    ") << expected << " | " << actual << "\n";
    }
    if (!eval.problem.empty()) out << "-- eval: " << eval.problem << "\n";
    if (first_difference != SIZE_MAX && first_difference < policy_case.rows.size()) {
      out << "-- SQL the oracle ran for row " << first_difference + 1 << " (as the superuser, after policies.sql)\n";
      for (const std::string& step : row_script(policy_case, first_difference)) out << "    " << step << ";\n";
    }
  }
  if (!eval.process.err.empty()) out << "-- eval stderr\n" << indent(eval.process.err);
  if (!eval.outcomes && !eval.process.out.empty()) out << "-- eval stdout\n" << indent(eval.process.out);
  return out.str();
}

}  // namespace weftkit::policy::pgtest
