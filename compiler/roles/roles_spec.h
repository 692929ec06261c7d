// A roles.yaml file as written, before any name is resolved: every value keeps its position so
// that the resolver can point at the exact item it rejects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source_location.h"

namespace weftkit::policy {

template <class T>
struct Located {
  T value;
  SourceLocation where;
};

struct RoleSpec {
  Located<std::string> name;
  std::vector<Located<std::string>> allow;
  std::vector<Located<std::string>> deny;
  std::vector<Located<std::string>> inherits;
  std::optional<std::vector<Located<std::string>>> on;  // absent means every resource
  std::optional<Located<bool>> bypass_rls;
  SourceLocation where;  // the role's mapping
};

struct UserSpec {
  Located<std::string> name;
  std::vector<Located<std::string>> roles;
  std::optional<Located<std::string>> tenant;
  // Tenants the user may name at login besides the default one (`tenant:`).
  std::vector<Located<std::string>> tenants;
  SourceLocation where;
};

struct RolesFileSpec {
  std::string path;
  std::vector<RoleSpec> roles;
  std::vector<UserSpec> users;
};

}  // namespace weftkit::policy
