// `weftkit-policyc explain`: one decision, and the lines that made it.
#include <iostream>
#include <sstream>

#include "codegen/semantics/permission_check.h"
#include "compiler/driver/compile_files.h"
#include "compiler/roles/builtin_roles.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/diagnostics_json.h"

namespace weftkit::policy::cli {
namespace {

using semantics::Decision;
using semantics::DecisionReason;
using semantics::HeldRole;
using semantics::Principal;

std::string rule_origin(const PolicyProgram& program, const DecisionReason& reason) {
  const RoleDefinition& role = program.roles[reason.role];
  std::string effect = reason.rule->effect == Effect::kAllow ? "allow" : "deny";
  if (role.builtin) return effect + " " + reason.rule->written + " in built-in role '" + role.name + "'";
  return effect + " " + reason.rule->written + " in role '" + role.name + "' at " + reason.rule->where.to_string();
}

std::string held_origin(const PolicyProgram& program, const Principal& principal, const HeldRole& held) {
  switch (held.source) {
    case HeldRole::Source::kUserEntry:
      return "granted to '" + principal.user + "' at " + held.where.to_string();
    case HeldRole::Source::kRequested:
      return "--role";
    case HeldRole::Source::kInherited:
      return "inherited from '" + program.roles[held.inherited_by].name + "'";
  }
  return "";
}

const char* source_name(HeldRole::Source source) {
  switch (source) {
    case HeldRole::Source::kUserEntry: return "users";
    case HeldRole::Source::kRequested: return "command_line";
    case HeldRole::Source::kInherited: return "inherited";
  }
  return "";
}

void print_text(const PolicyProgram& program, const Principal& principal, const Decision& decision) {
  std::string op(operation_name(decision.op));
  std::string resource = decision.resource.qualified();
  std::cout << (decision.allowed ? "ALLOW" : "DENY") << ": user '" << principal.user << "' "
            << (decision.allowed ? "may " : "may not ") << op << " on " << resource << "\n";
  std::cout << "  roles held: ";
  if (principal.roles.empty()) {
    std::cout << (principal.user_entry != nullptr
                      ? "none (the users: entry for '" + principal.user + "' lists no roles, and no --role)"
                      : "none (no users: entry for '" + principal.user + "' and no --role)");
  }
  for (size_t index = 0; index < principal.roles.size(); ++index) {
    const HeldRole& held = principal.roles[index];
    std::cout << (index ? ", " : "") << program.roles[held.role].name << " ("
              << held_origin(program, principal, held) << ")";
  }
  std::cout << "\n";
  if (!decision.denies.empty()) {
    for (const DecisionReason& reason : decision.denies) {
      std::cout << "  decided by: " << rule_origin(program, reason) << "\n";
    }
    for (const DecisionReason& reason : decision.allows) {
      std::cout << "  overridden: " << rule_origin(program, reason) << " (deny wins)\n";
    }
  } else if (!decision.allows.empty()) {
    for (const DecisionReason& reason : decision.allows) {
      std::cout << "  decided by: " << rule_origin(program, reason) << "\n";
    }
  } else {
    std::cout << "  decided by: no held role allows " << op << " on " << resource << ": denied by default\n";
  }
}

nlohmann::ordered_json reasons_json(const PolicyProgram& program, const std::vector<DecisionReason>& reasons) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const DecisionReason& reason : reasons) {
    nlohmann::ordered_json item = location_json(reason.rule->where);
    item["effect"] = reason.rule->effect == Effect::kAllow ? "allow" : "deny";
    item["role"] = program.roles[reason.role].name;
    item["builtin"] = program.roles[reason.role].builtin;
    item["written"] = reason.rule->written;
    list.push_back(std::move(item));
  }
  return list;
}

void print_json(const PolicyProgram& program, const Principal& principal, const Decision& decision,
                const Diagnostics& warnings) {
  nlohmann::ordered_json roles = nlohmann::ordered_json::array();
  for (const HeldRole& held : principal.roles) {
    nlohmann::ordered_json item = {{"role", program.roles[held.role].name}, {"source", source_name(held.source)}};
    if (held.source == HeldRole::Source::kInherited) item["inherited_from"] = program.roles[held.inherited_by].name;
    roles.push_back(std::move(item));
  }
  bool denied_by_line = !decision.denies.empty();
  nlohmann::ordered_json out = {
      {"decision", decision.allowed ? "ALLOW" : "DENY"},
      {"user", principal.user},
      {"operation", std::string(operation_name(decision.op))},
      {"resource", decision.resource.qualified()},
      {"resource_class", program.resource_classes.classes[decision.resource_class].describe()},
      {"roles", roles},
      {"default_deny", !decision.allowed && !denied_by_line},
      {"decided_by", reasons_json(program, denied_by_line ? decision.denies : decision.allows)},
      {"overridden", reasons_json(program, denied_by_line ? decision.allows : std::vector<DecisionReason>{})},
      {"diagnostics", diagnostics_json(warnings)},
  };
  std::cout << out.dump(2) << "\n";
}

}  // namespace

int run_explain(const CommandLine& line) {
  std::optional<Operation> op = parse_operation(*line.op);
  if (!op) {
    std::cerr << "weftkit-policyc: error: unknown operation '" << *line.op << "' for --op (expected one of: "
              << accepted_operation_names().substr(0, accepted_operation_names().rfind(", DDL")) << ")\n";
    return kExitUsage;
  }
  ParsedResourceName resource = parse_resource_name(*line.table);
  if (!resource.name) {
    std::cerr << "weftkit-policyc: error: bad --table '" << *line.table << "': it " << resource.error << "\n";
    return kExitUsage;
  }
  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_files(line.files, sources);
  if (!compiled.ok()) {
    if (line.json) {
      std::cout << nlohmann::ordered_json{{"ok", false}, {"diagnostics", diagnostics_json(compiled.diagnostics())}}.dump(2)
                << "\n";
    } else {
      std::cerr << render_diagnostics(compiled.diagnostics(), sources);
    }
    return kExitPolicyErrors;
  }
  if (!line.json) std::cerr << render_diagnostics(compiled.diagnostics(), sources);
  const PolicyProgram& program = compiled.value();
  std::vector<RoleId> requested;
  for (const std::string& name : line.roles) {
    std::optional<RoleId> role = program.find_role(name);
    if (!role) {
      std::cerr << "weftkit-policyc: error: unknown role '" << name << "' given with --role\n";
      return kExitUsage;
    }
    requested.push_back(*role);
  }
  Principal principal = semantics::resolve_principal(program, *line.user, requested);
  Decision decision = semantics::explain(program, principal, *op, *resource.name);
  if (line.json) {
    print_json(program, principal, decision, compiled.diagnostics());
  } else {
    print_text(program, principal, decision);
  }
  return kExitOk;
}

}  // namespace weftkit::policy::cli
