// A principal as every back end sees it: a user name and the roles it holds, each with
// how it came to be held, closed over inheritance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/policy_program.h"

namespace weftkit::policy::semantics {

struct HeldRole {
  enum class Source : uint8_t { kUserEntry, kRequested, kInherited };
  RoleId role = 0;
  Source source = Source::kUserEntry;
  RoleId inherited_by = 0;  // for kInherited: the held role whose 'inherits' named it
  SourceLocation where;     // for kUserEntry: the item in the user's roles list
};

struct Principal {
  std::string user;
  const UserDefinition* user_entry = nullptr;  // the users: entry, if any
  std::vector<HeldRole> roles;                 // each role once, in discovery order

  bool holds(RoleId role) const;
};

// The principal holds the roles listed for `user` in `users:` plus `requested_roles`, and
// everything those inherit, transitively.
Principal resolve_principal(const PolicyProgram& program, const std::string& user,
                            const std::vector<RoleId>& requested_roles);

// Whether the principal holds a role with bypass_rls (superuser does): no row filtering.
bool bypasses_row_security(const PolicyProgram& program, const Principal& principal);

// Whether a policy's TO list matches the principal: PUBLIC, a role it holds, or — users being
// roles in PostgreSQL — its own user name.
bool policy_applies_to(const PolicyProgram& program, const Principal& principal, const RowPolicy& policy);

}  // namespace weftkit::policy::semantics
