// The policy program: the one IR every back end consumes (reference evaluator, LLVM, bundle).
// Role-based access control lives here as roles with provenance plus a permission matrix of
// allow and deny masks per (role, resource class); row-level security joins it later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source_location.h"
#include "compiler/ir/operation.h"
#include "compiler/ir/resource_pattern.h"
#include "compiler/ir/row_security.h"

namespace weftkit::policy {

using RoleId = uint32_t;
using ResourceClassId = uint32_t;

enum class Effect : uint8_t { kAllow, kDeny };

// One item of a role's allow or deny list, kept so that a decision can cite its line.
struct PermissionRule {
  Effect effect = Effect::kAllow;
  OpMask ops = 0;
  std::string written;  // as the user wrote it, e.g. "COPY TO" or "DDL"
  SourceLocation where;
};

struct RoleDefinition {
  std::string name;
  bool builtin = false;
  bool bypass_rls = false;
  SourceLocation where;
  std::vector<RoleId> inherits;          // direct parents, in the order written
  std::vector<ResourcePattern> scope;    // where this role's own rules apply; never empty
  std::vector<PermissionRule> rules;

  OpMask mask(Effect effect) const;
};

// A role named in a user's `roles:` list, with where it was named.
struct RoleGrant {
  RoleId role = 0;
  SourceLocation where;
};

struct UserDefinition {
  std::string name;
  std::vector<RoleGrant> roles;
  std::optional<std::string> tenant;        // the default: a login that names no tenant gets it
  std::vector<std::string> other_tenants;   // roles.yaml 'tenants:': may be named at login too
  SourceLocation where;
};

// Resource classes partition every possible resource name by which scope patterns match it:
// each exactly named resource is a class, the rest of each wildcard schema is a class, and
// everything else is the last class. A role's masks are constant over a class.
struct ResourceClass {
  enum class Kind : uint8_t { kExact, kRestOfSchema, kEverythingElse };
  Kind kind = Kind::kEverythingElse;
  std::string schema;
  std::string table;

  std::string describe() const;
  friend bool operator==(const ResourceClass&, const ResourceClass&) = default;
};

struct ResourceClassTable {
  std::vector<ResourceClass> classes;  // the last one is always kEverythingElse

  ResourceClassId classify(const ResourceName& name) const;
  static bool pattern_covers(const ResourcePattern& pattern, const ResourceClass& resource_class);
};

// allow/deny masks, row-major: index = role * class_count + class.
struct PermissionMatrix {
  uint32_t role_count = 0;
  uint32_t class_count = 0;
  std::vector<OpMask> allow;
  std::vector<OpMask> deny;

  OpMask allow_at(RoleId role, ResourceClassId resource_class) const {
    return allow[static_cast<size_t>(role) * class_count + resource_class];
  }
  OpMask deny_at(RoleId role, ResourceClassId resource_class) const {
    return deny[static_cast<size_t>(role) * class_count + resource_class];
  }
};

struct PolicyProgram {
  std::vector<RoleDefinition> roles;  // built-in roles first
  std::vector<UserDefinition> users;
  ResourceClassTable resource_classes;
  PermissionMatrix permissions;
  std::vector<TableDefinition> tables;  // from CREATE TABLE, with their row-level security

  std::optional<RoleId> find_role(std::string_view name) const;
  const UserDefinition* find_user(std::string_view name) const;
  const TableDefinition* find_table(const ResourceName& name) const;
};

// Derives resource classes and the permission matrix from the program's roles.
void build_permission_matrix(PolicyProgram& program);

}  // namespace weftkit::policy
