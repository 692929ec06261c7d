// Permission decisions and their explanation, as the runtime and every back end make them:
// the executable specification of RBAC.
// Effective permission on a resource = union of the held roles' allow masks for the resource's
// class, minus the union of their deny masks. Deny always wins; nothing allowed means denied.
#pragma once

#include <vector>

#include "codegen/semantics/principal.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy::semantics {

// Effective operation mask per resource class, computed once per principal.
std::vector<OpMask> effective_masks(const PolicyProgram& program, const Principal& principal);

bool is_allowed(const PolicyProgram& program, const Principal& principal, Operation op, const ResourceName& resource);

// One allow or deny line that bears on a decision.
struct DecisionReason {
  RoleId role = 0;
  const PermissionRule* rule = nullptr;
};

struct Decision {
  bool allowed = false;
  Operation op = Operation::kSelect;
  ResourceName resource;
  ResourceClassId resource_class = 0;
  std::vector<DecisionReason> denies;  // non-empty: these lines decided DENY
  std::vector<DecisionReason> allows;  // decided ALLOW, or were overridden by a deny
};

Decision explain(const PolicyProgram& program, const Principal& principal, Operation op, const ResourceName& resource);

}  // namespace weftkit::policy::semantics
