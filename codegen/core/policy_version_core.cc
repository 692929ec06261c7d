// The policy-version core shared by every back end (see policy_version_core.h).
#include "codegen/core/policy_version_core.h"

#include <optional>

#include "codegen/semantics/decision_text.h"
#include "codegen/native/native_plan.h"

namespace weftkit::policy::core {

namespace {

// The plain spellings of each declared table ("schema.table", and "table" in the default
// schema), each kept only when parsing it gives back this very table: `public."x.y"` is not
// spelled "x.y" (table y of schema x), so a hit answers exactly what parsing would.
FrozenTextMap table_spellings(const PolicyProgram& program) {
  std::vector<std::pair<std::string, uint32_t>> spellings;
  for (uint32_t index = 0; index < program.tables.size(); ++index) {
    const ResourceName& name = program.tables[index].name;
    for (std::string spelling : {name.qualified(), name.schema == kDefaultSchema ? name.table : std::string()}) {
      if (spelling.empty()) continue;
      if (parse_resource_name(spelling).name == name) spellings.emplace_back(std::move(spelling), index);
    }
  }
  return FrozenTextMap(spellings);
}

}  // namespace

PolicyVersionCore::PolicyVersionCore(PolicyProgram program, std::string origin)
    : program_(std::move(program)),
      resource_names_(program_),
      table_spellings_(table_spellings(program_)),
      origin_(std::move(origin)) {}

weftkit::StatusOr<std::shared_ptr<const CorePrincipal>> PolicyVersionCore::resolve(const weftkit::Identity& identity) const {
  std::vector<RoleId> requested;
  for (const std::string& name : identity.roles) {
    std::optional<RoleId> role = program_.find_role(name);
    if (!role) {
      return weftkit::Status(weftkit::StatusCode::kNotFound,
                             "role \"" + name + "\" is not defined by the serving policy version (" + origin_ + ")");
    }
    requested.push_back(*role);
  }
  auto resolved = std::make_shared<CorePrincipal>();
  resolved->principal = semantics::resolve_principal(program_, identity.user, requested);
  for (const semantics::HeldRole& role : resolved->principal.roles) resolved->held_roles.push_back(role.role);
  resolved->bypasses_row_security = semantics::bypasses_row_security(program_, resolved->principal);
  resolved->session.current_user = identity.user;
  resolved->session.session_user = identity.user;
  for (const auto& [setting, value] : identity.settings) resolved->session.set(setting, value);
  resolved->user = identity.user;
  resolved->roles = identity.roles;
  resolved->settings = identity.settings;
  return std::shared_ptr<const CorePrincipal>(std::move(resolved));
}

std::optional<weftkit::DirectoryUser> PolicyVersionCore::directory_user(std::string_view user) const {
  const UserDefinition* entry = program_.find_user(user);
  if (entry == nullptr) return std::nullopt;
  weftkit::DirectoryUser found{.default_tenant = entry->tenant, .other_tenants = entry->other_tenants, .roles = {}};
  for (const RoleGrant& grant : entry->roles) found.roles.push_back(program_.roles[grant.role].name);
  return found;
}

weftkit::StatusOr<const TableDefinition*> PolicyVersionCore::table(std::string_view table_name) const {
  // A name spelled as the program spells it is one probe; any other text is parsed (quotes,
  // case, spaces) and then looked up.
  if (std::optional<uint32_t> index = table_spellings_.find(table_name)) return &program_.tables[*index];
  ParsedResourceName name = parse_resource_name(table_name);
  if (!name.name) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument,
                           "bad table name '" + std::string(table_name) + "': it " + name.error);
  }
  const TableDefinition* definition = program_.find_table(*name.name);
  if (definition == nullptr) {
    return weftkit::Status(weftkit::StatusCode::kNotFound,
                           "table " + name.name->qualified() + " is not declared (CREATE TABLE) in " + origin_ +
                               ", so its columns and row-level security are unknown");
  }
  return definition;
}

weftkit::StatusOr<PolicyVersionCore::RowFilter> PolicyVersionCore::row_filter(const CorePrincipal& principal,
                                                                              const weftkit::Identity& identity,
                                                                              std::string_view table_name,
                                                                              const policy::StatementShape& shape,
                                                                              const PlanSource& plans) const {
  if (identity.user != principal.user || identity.roles != principal.roles) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument,
                           "the statement's identity (user \"" + identity.user +
                               "\") is not the one its principal was resolved for");
  }
  // Almost always the principal's own settings: its session, built once. A caller that keeps
  // a principal and passes other settings gets a session of its own, never the principal's.
  std::optional<semantics::SessionValues> own_session;
  if (identity.settings != principal.settings) {
    own_session.emplace();
    own_session->current_user = identity.user;
    own_session->session_user = identity.user;
    for (const auto& [setting, value] : identity.settings) own_session->set(setting, value);
  }
  return filter_with(principal, own_session ? *own_session : principal.session, table_name, shape, plans);
}

weftkit::StatusOr<PolicyVersionCore::RowFilter> PolicyVersionCore::row_filter_as_resolved(
    const CorePrincipal& principal, std::string_view table_name, const policy::StatementShape& shape,
    const PlanSource& plans) const {
  return filter_with(principal, principal.session, table_name, shape, plans);
}

weftkit::StatusOr<PolicyVersionCore::RowFilter> PolicyVersionCore::filter_with(const CorePrincipal& principal,
                                                                               const semantics::SessionValues& session,
                                                                               std::string_view table_name,
                                                                               const policy::StatementShape& shape,
                                                                               const PlanSource& plans) const {
  weftkit::StatusOr<const TableDefinition*> found = table(table_name);
  if (!found.is_ok()) return found.status();
  const TableDefinition& definition = *found.value();
  const size_t table_index = static_cast<size_t>(&definition - program_.tables.data());
  // The statements of a principal mostly repeat: their plan, bound in the principal's session,
  // is remembered per (table, shape). A statement with settings of its own binds its own.
  const bool own_session = &session != &principal.session;
  if (std::shared_ptr<const native::BoundPlan> known = principal.plans.find(table_index, shape)) {
    if (!own_session) return RowFilter{native::StatementFilter(std::move(known)), definition.columns.size()};
    return RowFilter{native::StatementFilter(known->shared_code(), session), definition.columns.size()};
  }
  auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program_, principal.principal, policy); };
  StatementPlan plan = plan_statement(definition, shape, applies, principal.bypasses_row_security);
  std::string key = native::plan_key(definition.name.qualified(), plan);
  std::shared_ptr<const native::CompiledPlan> code = plans.find(key);
  if (!code) {
    // No code for this plan (a combination of roles roles.yaml does not name, or a plan the
    // code generator does not lower): the reference interpreter answers, and the source may
    // compile it for the next statements.
    plans.missing(key, plan, definition);
    interpreted_.fetch_add(1, std::memory_order_relaxed);
    return RowFilter{native::StatementFilter(std::move(plan), session, definition),
                     definition.columns.size()};
  }
  if (own_session) {
    // Remembered bound in the principal's session, for the statements that use it.
    principal.plans.remember(table_index, shape, std::make_shared<const native::BoundPlan>(code, principal.session));
    return RowFilter{native::StatementFilter(std::move(code), session), definition.columns.size()};
  }
  auto bound = std::make_shared<const native::BoundPlan>(std::move(code), session);
  principal.plans.remember(table_index, shape, bound);
  return RowFilter{native::StatementFilter(std::move(bound)), definition.columns.size()};
}

std::string PolicyVersionCore::explain(const CorePrincipal& principal, policy::Operation op, std::string_view table) const {
  return semantics::describe_decision(program_, principal.principal, op, table);
}

StatementCommand statement_command(weftkit::Command command) {
  switch (command) {
    case weftkit::Command::kSelect: return StatementCommand::kSelect;
    case weftkit::Command::kInsert: return StatementCommand::kInsert;
    case weftkit::Command::kUpdate: return StatementCommand::kUpdate;
    case weftkit::Command::kDelete: return StatementCommand::kDelete;
  }
  return StatementCommand::kSelect;
}

}  // namespace weftkit::policy::core
