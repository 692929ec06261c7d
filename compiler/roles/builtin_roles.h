// The five roles every program has without declaring them, exactly as the product page's table.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/ir/policy_program.h"

namespace weftkit::policy {

inline constexpr std::string_view kBuiltinRoleFile = "<built-in>";

// superuser, read_write, read_only, schema_admin, no_access — in that order, ids 0..4.
std::vector<RoleDefinition> builtin_roles();

bool is_builtin_role_name(std::string_view name);

}  // namespace weftkit::policy
