// The files `weftkit-policyc eval` reads for a case: policies.sql, roles.yaml, rows.jsonl
// and (UPDATE) new.jsonl.
#pragma once

#include <string>
#include <vector>

#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

inline constexpr const char* kPoliciesFile = "policies.sql";
inline constexpr const char* kRolesFile = "roles.yaml";
inline constexpr const char* kRowsFile = "rows.jsonl";
inline constexpr const char* kNewRowsFile = "new.jsonl";

// Every role (with its inherits) and both users (the principal with its roles).
std::string roles_yaml(const PolicyCase& policy_case);
// One JSON object per row, keys in column order.
std::string rows_jsonl(const PolicyCase& policy_case, const std::vector<Row>& rows);

// Writes the files into `directory`, replacing what a previous case left there.
void write_case_files(const std::string& directory, const PolicyCase& policy_case);

}  // namespace weftkit::policy::pgtest
