// Roles files for the auth verbs: compiled, served by an interpreted policy version (no JIT is
// needed to answer who may connect where), and read through the engines' directory functions.
#include "tools/weftkit-policyc/auth_roles.h"

#include <weftkit/auth/policy_directory.h>
#include "codegen/core/core_policy_version.h"
#include "compiler/driver/compile_files.h"

namespace weftkit::policy::cli {

std::vector<std::string> AuthRoles::roles_of(std::string_view user) const {
  if (!store_) return {};
  std::optional<DirectoryUser> entry = store_->current()->find_user(user);
  return entry ? entry->roles : std::vector<std::string>{};
}

std::function<bool(std::string_view)> AuthRoles::role_exists() const {
  if (!store_) return [](std::string_view) { return true; };
  return auth::role_exists_in(store_);
}

auth::TenantLookup AuthRoles::tenant_lookup() const {
  if (!store_) return {};
  return auth::tenant_lookup_from(store_);
}

LoadedAuthRoles load_auth_roles(const std::vector<std::string>& files) {
  if (files.empty()) return {AuthRoles(), ""};
  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_files(files, sources);
  std::string rendered = render_diagnostics(compiled.diagnostics(), sources);
  if (!compiled.ok()) return {std::nullopt, rendered};
  std::string origin;
  for (const std::string& file : files) origin += (origin.empty() ? "" : ", ") + file;
  auto store = std::make_shared<const PolicyStore>(
      core::make_interpreted_policy_version(std::move(compiled).value(), std::move(origin)));
  return {AuthRoles(std::move(store)), rendered};
}

}  // namespace weftkit::policy::cli
