// Turns the role files as written into the program's roles, users and permission matrix:
// resolves names across files, checks operations and patterns, finds inheritance cycles.
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/policy_program.h"
#include "compiler/roles/roles_spec.h"

namespace weftkit::policy {

// Fills program.roles (built-ins first), program.users and the permission matrix. Any error
// leaves `diagnostics.has_errors()` set; the caller then must not use the program.
void resolve_roles(const std::vector<RolesFileSpec>& files, PolicyProgram& program, Diagnostics& diagnostics);

}  // namespace weftkit::policy
