// Reference permission evaluation over the permission matrix, with reasons.
#include "codegen/semantics/permission_check.h"

namespace weftkit::policy::semantics {

std::vector<OpMask> effective_masks(const PolicyProgram& program, const Principal& principal) {
  const PermissionMatrix& matrix = program.permissions;
  std::vector<OpMask> effective(matrix.class_count, 0);
  for (ResourceClassId id = 0; id < matrix.class_count; ++id) {
    OpMask allow = 0;
    OpMask deny = 0;
    for (const HeldRole& held : principal.roles) {
      allow |= matrix.allow_at(held.role, id);
      deny |= matrix.deny_at(held.role, id);
    }
    effective[id] = allow & ~deny;
  }
  return effective;
}

bool is_allowed(const PolicyProgram& program, const Principal& principal, Operation op, const ResourceName& resource) {
  ResourceClassId id = program.resource_classes.classify(resource);
  return (effective_masks(program, principal)[id] >> static_cast<unsigned>(op)) & 1;
}

Decision explain(const PolicyProgram& program, const Principal& principal, Operation op, const ResourceName& resource) {
  Decision decision;
  decision.op = op;
  decision.resource = resource;
  decision.resource_class = program.resource_classes.classify(resource);
  const OpMask bit = op_bit(op);
  for (const HeldRole& held : principal.roles) {
    // The matrix says whether the role's scope covers this class; the rules say which line.
    bool role_allows = (program.permissions.allow_at(held.role, decision.resource_class) & bit) != 0;
    bool role_denies = (program.permissions.deny_at(held.role, decision.resource_class) & bit) != 0;
    for (const PermissionRule& rule : program.roles[held.role].rules) {
      if ((rule.ops & bit) == 0) continue;
      if (rule.effect == Effect::kDeny && role_denies) decision.denies.push_back({held.role, &rule});
      if (rule.effect == Effect::kAllow && role_allows) decision.allows.push_back({held.role, &rule});
    }
  }
  decision.allowed = decision.denies.empty() && !decision.allows.empty();
  return decision;
}

}  // namespace weftkit::policy::semantics
