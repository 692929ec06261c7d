// Roles files for the auth verbs. The compiled program answers roles and default tenants; the
// `tenants:` lists are read from the files' specs, because they matter to logins only and so
// are not part of the compiled program (nor of bundles).
#include "tools/weftkit-policyc/auth_roles.h"

#include "compiler/driver/compile_files.h"
#include "compiler/roles/roles_yaml_loader.h"

namespace weftkit::policy::cli {

AuthRoles::AuthRoles(PolicyProgram program, std::map<std::string, std::vector<std::string>, std::less<>> extra_tenants)
    : program_(std::move(program)), extra_tenants_(std::move(extra_tenants)) {}

std::vector<std::string> AuthRoles::roles_of(std::string_view user) const {
  std::vector<std::string> names;
  if (!program_) return names;
  if (const UserDefinition* entry = program_->find_user(user)) {
    for (const RoleGrant& grant : entry->roles) names.push_back(program_->roles[grant.role].name);
  }
  return names;
}

std::optional<std::string> AuthRoles::default_tenant_of(std::string_view user) const {
  if (!program_) return std::nullopt;
  const UserDefinition* entry = program_->find_user(user);
  return entry ? entry->tenant : std::nullopt;
}

bool AuthRoles::role_exists(std::string_view role) const {
  return !program_ || program_->find_role(role).has_value();
}

auth::TenantLookup AuthRoles::tenant_lookup() const {
  return [this](std::string_view user) -> std::optional<auth::UserTenants> {
    if (!program_) return std::nullopt;
    const UserDefinition* entry = program_->find_user(user);
    if (!entry) return std::nullopt;
    auth::UserTenants tenants{.default_tenant = entry->tenant, .allowed = {}};
    if (auto found = extra_tenants_.find(user); found != extra_tenants_.end()) tenants.allowed = found->second;
    return tenants;
  };
}

LoadedAuthRoles load_auth_roles(const std::vector<std::string>& files) {
  if (files.empty()) return {AuthRoles(), ""};
  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_files(files, sources);
  std::string rendered = render_diagnostics(compiled.diagnostics(), sources);
  if (!compiled.ok()) return {std::nullopt, rendered};
  std::map<std::string, std::vector<std::string>, std::less<>> extra_tenants;
  for (const std::string& file : files) {
    const std::string* text = sources.find(file);
    if (text == nullptr) continue;
    Diagnostics ignored;  // already reported by the compile above
    for (const UserSpec& user : load_roles_yaml(file, *text, ignored).users) {
      for (const Located<std::string>& tenant : user.tenants) extra_tenants[user.name.value].push_back(tenant.value);
    }
  }
  return {AuthRoles(std::move(compiled).value(), std::move(extra_tenants)), rendered};
}

}  // namespace weftkit::policy::cli
