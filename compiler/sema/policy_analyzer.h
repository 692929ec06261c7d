// Semantic analysis of SQL policy files: applies CREATE TABLE, ALTER TABLE ... ROW LEVEL
// SECURITY and CREATE / ALTER / DROP POLICY, in file and statement order, to the program's
// tables, checking each statement as PostgreSQL would when it runs it. A statement with an
// error is reported and contributes nothing; the caller then produces no program at all.
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/policy_program.h"
#include "compiler/sql/ast.h"

namespace weftkit::policy {

// The role a policy file is defined by: PostgreSQL resolves TO CURRENT_USER to the role that
// runs CREATE POLICY; WeftKit policy files are defined by the built-in superuser.
inline constexpr std::string_view kPolicyDefinerRole = "superuser";

// Roles and users must already be resolved in `program` (TO lists name them).
void analyze_policies(const std::vector<sql::Script>& scripts, PolicyProgram& program, Diagnostics& diagnostics);

}  // namespace weftkit::policy
