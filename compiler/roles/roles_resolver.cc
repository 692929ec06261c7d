// Name resolution and semantic checks for roles and users.
#include "compiler/roles/roles_resolver.h"

#include <algorithm>
#include <map>

#include "compiler/diag/suggest.h"
#include "compiler/roles/builtin_roles.h"

namespace weftkit::policy {
namespace {

class Resolver {
 public:
  Resolver(PolicyProgram& program, Diagnostics& diagnostics) : program_(program), diagnostics_(diagnostics) {}

  void run(const std::vector<RolesFileSpec>& files) {
    program_.roles = builtin_roles();
    program_.users.clear();
    // Roles first, in every file, so that inherits and users may name a role from any file.
    std::vector<const RoleSpec*> defined;  // parallel to program_.roles beyond the built-ins
    for (const RolesFileSpec& file : files) {
      for (const RoleSpec& spec : file.roles) {
        if (define_role(spec)) defined.push_back(&spec);
      }
    }
    size_t builtin_count = program_.roles.size() - defined.size();
    for (size_t index = 0; index < defined.size(); ++index) {
      resolve_inherits(*defined[index], program_.roles[builtin_count + index]);
    }
    report_cycles();
    for (const RolesFileSpec& file : files) {
      for (const UserSpec& spec : file.users) define_user(spec);
    }
    build_permission_matrix(program_);
  }

 private:
  std::vector<std::string> role_names() const {
    std::vector<std::string> names;
    for (const RoleDefinition& role : program_.roles) names.push_back(role.name);
    return names;
  }

  std::optional<RoleId> lookup_role(const Located<std::string>& reference, const std::string& context) {
    if (auto id = program_.find_role(reference.value)) return id;
    diagnostics_.error(reference.where, "unknown role '" + reference.value + "' " + context +
                                            did_you_mean(reference.value, role_names()));
    return std::nullopt;
  }

  bool define_role(const RoleSpec& spec) {
    const std::string& name = spec.name.value;
    if (name.empty()) {
      diagnostics_.error(spec.name.where, "role name is empty");
      return false;
    }
    if (is_builtin_role_name(name)) {
      diagnostics_.error(spec.name.where, "cannot redefine built-in role '" + name +
                                              "'; choose another name, or inherit from it");
      return false;
    }
    if (auto existing = program_.find_role(name)) {
      Diagnostic& diagnostic = diagnostics_.error(spec.name.where, "duplicate role '" + name + "'");
      diagnostic.notes.push_back(Note{program_.roles[*existing].where, "'" + name + "' was first defined here"});
      return false;
    }
    RoleDefinition role;
    role.name = name;
    role.where = spec.name.where;
    role.bypass_rls = spec.bypass_rls && spec.bypass_rls->value;
    add_rules(spec.allow, Effect::kAllow, role);
    add_rules(spec.deny, Effect::kDeny, role);
    add_scope(spec, role);
    warn_allow_deny_overlap(role);
    program_.roles.push_back(std::move(role));
    return true;
  }

  void add_rules(const std::vector<Located<std::string>>& items, Effect effect, RoleDefinition& role) {
    for (const Located<std::string>& item : items) {
      std::optional<OpMask> ops = parse_operation_or_group(item.value);
      if (!ops) {
        std::vector<std::string> names;
        for (int index = 0; index < kOperationCount; ++index) {
          names.emplace_back(operation_name(static_cast<Operation>(index)));
        }
        names.insert(names.end(), {"DDL", "ALL"});
        Diagnostic& diagnostic = diagnostics_.error(
            item.where, "unknown operation '" + item.value + "' in role '" + role.name + "'" +
                            did_you_mean(item.value, names));
        diagnostic.notes.push_back(Note{{}, "operations are: " + accepted_operation_names()});
        continue;
      }
      role.rules.push_back(PermissionRule{effect, *ops, item.value, item.where});
    }
  }

  void add_scope(const RoleSpec& spec, RoleDefinition& role) {
    if (!spec.on) {
      role.scope = {ResourcePattern{ResourcePattern::Kind::kAny, {}, {}}};
      return;
    }
    if (spec.on->empty()) {
      diagnostics_.error(spec.where, "role '" + role.name +
                                         "' has an empty 'on:' list, so it would apply to nothing; "
                                         "remove 'on:' to apply it to every resource");
      return;
    }
    for (const Located<std::string>& item : *spec.on) {
      ParsedResourcePattern parsed = parse_resource_pattern(item.value);
      if (!parsed.pattern) {
        diagnostics_.error(item.where, "bad resource pattern '" + item.value + "': it " + parsed.error);
        continue;
      }
      bool has_upper = false;
      for (char c : item.value) has_upper = has_upper || (c >= 'A' && c <= 'Z');
      if (has_upper) {
        diagnostics_.warning(item.where, "resource pattern '" + item.value +
                                             "' has upper-case letters; names match exactly, and PostgreSQL "
                                             "folds unquoted identifiers to lower case");
      }
      role.scope.push_back(*parsed.pattern);
    }
  }

  void warn_allow_deny_overlap(const RoleDefinition& role) {
    OpMask allowed = role.mask(Effect::kAllow);
    for (const PermissionRule& rule : role.rules) {
      if (rule.effect != Effect::kDeny || (rule.ops & allowed) == 0) continue;
      Diagnostic& diagnostic = diagnostics_.warning(
          rule.where, "role '" + role.name + "' both allows and denies " + describe_ops(rule.ops & allowed) +
                          " on the same resources; deny wins, so the allow has no effect");
      for (const PermissionRule& allow : role.rules) {
        if (allow.effect == Effect::kAllow && (allow.ops & rule.ops) != 0) {
          diagnostic.notes.push_back(Note{allow.where, "allowed here"});
        }
      }
    }
  }

  void resolve_inherits(const RoleSpec& spec, RoleDefinition& role) {
    for (const Located<std::string>& parent : spec.inherits) {
      std::optional<RoleId> id = lookup_role(parent, "in 'inherits' of role '" + role.name + "'");
      if (!id) continue;
      role.inherits.push_back(*id);
      inherit_locations_[{program_.find_role(role.name).value(), *id}] = parent.where;
    }
  }

  // Depth-first search; each cycle is reported once, at the inherits item that closes it.
  void report_cycles() {
    enum class Mark { kUnvisited, kOnPath, kDone };
    std::vector<Mark> marks(program_.roles.size(), Mark::kUnvisited);
    std::vector<RoleId> path;
    auto visit = [&](auto&& self, RoleId role) -> void {
      marks[role] = Mark::kOnPath;
      path.push_back(role);
      for (RoleId parent : program_.roles[role].inherits) {
        if (marks[parent] == Mark::kOnPath) {
          std::string cycle;
          auto start = std::find(path.begin(), path.end(), parent);
          for (auto it = start; it != path.end(); ++it) cycle += program_.roles[*it].name + " -> ";
          cycle += program_.roles[parent].name;
          diagnostics_.error(inherit_locations_[{role, parent}], "inheritance cycle: " + cycle);
        } else if (marks[parent] == Mark::kUnvisited) {
          self(self, parent);
        }
      }
      path.pop_back();
      marks[role] = Mark::kDone;
    };
    for (RoleId role = 0; role < program_.roles.size(); ++role) {
      if (marks[role] == Mark::kUnvisited) visit(visit, role);
    }
  }

  void define_user(const UserSpec& spec) {
    const std::string& name = spec.name.value;
    if (name.empty()) {
      diagnostics_.error(spec.name.where, "user name is empty");
      return;
    }
    if (const UserDefinition* existing = program_.find_user(name)) {
      Diagnostic& diagnostic = diagnostics_.error(spec.name.where, "duplicate user '" + name + "'");
      diagnostic.notes.push_back(Note{existing->where, "'" + name + "' was first defined here"});
      return;
    }
    UserDefinition user;
    user.name = name;
    user.where = spec.name.where;
    if (spec.tenant) user.tenant = spec.tenant->value;
    for (const Located<std::string>& tenant : spec.tenants) user.other_tenants.push_back(tenant.value);
    for (const Located<std::string>& role : spec.roles) {
      if (auto id = lookup_role(role, "in 'roles' of user '" + name + "'")) user.roles.push_back({*id, role.where});
    }
    program_.users.push_back(std::move(user));
  }

  PolicyProgram& program_;
  Diagnostics& diagnostics_;
  std::map<std::pair<RoleId, RoleId>, SourceLocation> inherit_locations_;
};

}  // namespace

void resolve_roles(const std::vector<RolesFileSpec>& files, PolicyProgram& program, Diagnostics& diagnostics) {
  Resolver(program, diagnostics).run(files);
}

}  // namespace weftkit::policy
