// Role-set resolution by breadth-first walk over inheritance.
#include "codegen/semantics/principal.h"

#include <deque>

namespace weftkit::policy::semantics {

bool Principal::holds(RoleId role) const {
  for (const HeldRole& held : roles) {
    if (held.role == role) return true;
  }
  return false;
}

Principal resolve_principal(const PolicyProgram& program, const std::string& user,
                            const std::vector<RoleId>& requested_roles) {
  Principal principal;
  principal.user = user;
  principal.user_entry = program.find_user(user);
  std::deque<size_t> pending;
  auto add = [&](HeldRole held) {
    if (principal.holds(held.role)) return;
    principal.roles.push_back(held);
    pending.push_back(principal.roles.size() - 1);
  };
  if (principal.user_entry != nullptr) {
    for (const RoleGrant& grant : principal.user_entry->roles) {
      add({grant.role, HeldRole::Source::kUserEntry, 0, grant.where});
    }
  }
  for (RoleId role : requested_roles) add({role, HeldRole::Source::kRequested, 0, {}});
  while (!pending.empty()) {
    RoleId current = principal.roles[pending.front()].role;
    pending.pop_front();
    for (RoleId parent : program.roles[current].inherits) add({parent, HeldRole::Source::kInherited, current, {}});
  }
  return principal;
}

bool bypasses_row_security(const PolicyProgram& program, const Principal& principal) {
  for (const HeldRole& held : principal.roles) {
    if (program.roles[held.role].bypass_rls) return true;
  }
  return false;
}

bool policy_applies_to(const PolicyProgram& program, const Principal& principal, const RowPolicy& policy) {
  for (const PolicyGrantee& grantee : policy.grantees) {
    if (grantee.kind == PolicyGrantee::Kind::kPublic || grantee.role == principal.user) return true;
    std::optional<RoleId> role = program.find_role(grantee.role);
    if (role && principal.holds(*role)) return true;
  }
  return false;
}

}  // namespace weftkit::policy::semantics
