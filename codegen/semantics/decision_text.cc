// Permission decisions as text (see decision_text.h).
#include "codegen/semantics/decision_text.h"

#include "codegen/semantics/permission_check.h"

namespace weftkit::policy::semantics {

std::string describe_decision(const PolicyProgram& program, const Principal& principal, Operation op,
                              std::string_view table) {
  std::string operation(operation_name(op));
  ParsedResourceName name = parse_resource_name(table);
  if (!name.name) return "DENY " + operation + " on " + std::string(table) + ": not a table name (it " + name.error + ")";
  Decision decision = explain(program, principal, op, *name.name);
  std::string out = std::string(decision.allowed ? "ALLOW " : "DENY ") + operation + " on " +
                    decision.resource.qualified() + " for " + principal.user;
  const std::vector<DecisionReason>& reasons = decision.denies.empty() ? decision.allows : decision.denies;
  if (reasons.empty()) return out + ": no held role allows it (denied by default)";
  for (const DecisionReason& reason : reasons) {
    out += "; " + std::string(reason.rule->effect == Effect::kAllow ? "allowed" : "denied") + " by role " +
           program.roles[reason.role].name + " at " + reason.rule->where.to_string();
  }
  return out;
}

}  // namespace weftkit::policy::semantics
