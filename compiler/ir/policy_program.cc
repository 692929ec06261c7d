// Resource classification and the permission matrix derived from roles.
#include "compiler/ir/policy_program.h"

#include <set>
#include <utility>

namespace weftkit::policy {

OpMask RoleDefinition::mask(Effect effect) const {
  OpMask result = 0;
  for (const PermissionRule& rule : rules) {
    if (rule.effect == effect) result |= rule.ops;
  }
  return result;
}

std::string ResourceClass::describe() const {
  switch (kind) {
    case Kind::kExact: return schema + "." + table;
    case Kind::kRestOfSchema: return "other resources in schema " + schema;
    case Kind::kEverythingElse: return "every other resource";
  }
  return "every other resource";
}

ResourceClassId ResourceClassTable::classify(const ResourceName& name) const {
  // Exact classes win over the rest of their schema, which wins over everything else.
  std::optional<ResourceClassId> rest_of_schema;
  for (ResourceClassId id = 0; id < classes.size(); ++id) {
    const ResourceClass& candidate = classes[id];
    if (candidate.kind == ResourceClass::Kind::kExact && candidate.schema == name.schema &&
        candidate.table == name.table) {
      return id;
    }
    if (candidate.kind == ResourceClass::Kind::kRestOfSchema && candidate.schema == name.schema) {
      rest_of_schema = id;
    }
  }
  if (rest_of_schema) return *rest_of_schema;
  return static_cast<ResourceClassId>(classes.size() - 1);
}

bool ResourceClassTable::pattern_covers(const ResourcePattern& pattern, const ResourceClass& resource_class) {
  switch (pattern.kind) {
    case ResourcePattern::Kind::kAny: return true;
    case ResourcePattern::Kind::kWholeSchema:
      return resource_class.kind != ResourceClass::Kind::kEverythingElse && resource_class.schema == pattern.schema;
    case ResourcePattern::Kind::kExact:
      return resource_class.kind == ResourceClass::Kind::kExact && resource_class.schema == pattern.schema &&
             resource_class.table == pattern.table;
  }
  return false;
}

std::optional<RoleId> PolicyProgram::find_role(std::string_view name) const {
  for (RoleId id = 0; id < roles.size(); ++id) {
    if (roles[id].name == name) return id;
  }
  return std::nullopt;
}

const UserDefinition* PolicyProgram::find_user(std::string_view name) const {
  for (const UserDefinition& user : users) {
    if (user.name == name) return &user;
  }
  return nullptr;
}

const TableDefinition* PolicyProgram::find_table(const ResourceName& name) const {
  for (const TableDefinition& table : tables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

void build_permission_matrix(PolicyProgram& program) {
  // Sorted sets keep class ids stable for the same input, so bundles are reproducible.
  std::set<std::pair<std::string, std::string>> exact_names;
  std::set<std::string> wildcard_schemas;
  for (const RoleDefinition& role : program.roles) {
    for (const ResourcePattern& pattern : role.scope) {
      if (pattern.kind == ResourcePattern::Kind::kExact) exact_names.emplace(pattern.schema, pattern.table);
      if (pattern.kind == ResourcePattern::Kind::kWholeSchema) wildcard_schemas.insert(pattern.schema);
    }
  }
  ResourceClassTable& table = program.resource_classes;
  table.classes.clear();
  for (const auto& [schema, name] : exact_names) {
    table.classes.push_back({ResourceClass::Kind::kExact, schema, name});
  }
  for (const std::string& schema : wildcard_schemas) {
    table.classes.push_back({ResourceClass::Kind::kRestOfSchema, schema, {}});
  }
  table.classes.push_back({ResourceClass::Kind::kEverythingElse, {}, {}});

  PermissionMatrix& matrix = program.permissions;
  matrix.role_count = static_cast<uint32_t>(program.roles.size());
  matrix.class_count = static_cast<uint32_t>(table.classes.size());
  matrix.allow.assign(static_cast<size_t>(matrix.role_count) * matrix.class_count, 0);
  matrix.deny.assign(matrix.allow.size(), 0);
  for (RoleId role = 0; role < matrix.role_count; ++role) {
    const RoleDefinition& definition = program.roles[role];
    OpMask allow = definition.mask(Effect::kAllow);
    OpMask deny = definition.mask(Effect::kDeny);
    for (ResourceClassId id = 0; id < matrix.class_count; ++id) {
      bool covered = false;
      for (const ResourcePattern& pattern : definition.scope) {
        covered = covered || ResourceClassTable::pattern_covers(pattern, table.classes[id]);
      }
      if (!covered) continue;
      size_t index = static_cast<size_t>(role) * matrix.class_count + id;
      matrix.allow[index] = allow;
      matrix.deny[index] = deny;
    }
  }
}

}  // namespace weftkit::policy
