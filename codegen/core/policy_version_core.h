// What every policy version does the same way, whichever back end runs its plans: the program
// and its frozen index of resource names, principal resolution (requested roles by name, the
// roles held, row-security bypass, session values built once), and a statement's row filter as
// plan -> the principal's memo -> the version's compiled plans -> the reference interpreter.
// The JIT-backed version, the support code inside ahead-of-time modules and the interpreted
// version all answer through this one class; only where compiled plans come from differs
// (PlanSource). No LLVM here.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "codegen/semantics/principal.h"
#include "codegen/semantics/session.h"
#include "codegen/native/principal_plan_memo.h"
#include "codegen/native/statement_filter.h"
#include "compiler/ir/frozen_text_map.h"
#include "compiler/ir/policy_program.h"
#include "compiler/ir/resource_class_index.h"
#include <weftkit/policy_version.h>
#include <weftkit/status.h>

namespace weftkit::policy::core {

// Where a version's compiled statement plans come from: the JIT compiles the ones it lacks;
// a module looks them up in the table it was built with; the interpreted version has none.
class PlanSource {
 public:
  virtual ~PlanSource() = default;
  // The compiled plan for `key` (plan_key of table and plan), or null.
  virtual std::shared_ptr<const native::CompiledPlan> find(const std::string& key) const = 0;
  // A statement's plan had no code, and the interpreter answers it; a source may compile it
  // for the next statements, off the caller's path.
  virtual void missing(const std::string& key, const StatementPlan& plan, const TableDefinition& table) const = 0;
  virtual uint64_t native_plan_count() const = 0;
};

// A principal resolved by the core: ResolvedPrincipal::detail of the versions built on it.
struct CorePrincipal {
  semantics::Principal principal;
  std::vector<RoleId> held_roles;  // in the order principal.roles lists them
  bool bypasses_row_security = false;
  semantics::SessionValues session;   // current_user, session_user and the settings, built once
  mutable native::PrincipalPlanMemo plans;  // the bound plans its statements found
  // The identity it was resolved for, which its statements must carry.
  std::string user;
  std::vector<std::string> roles;
  std::vector<std::pair<std::string, std::string>> settings;
};

class PolicyVersionCore {
 public:
  PolicyVersionCore(PolicyProgram program, std::string origin);
  PolicyVersionCore(const PolicyVersionCore&) = delete;
  PolicyVersionCore& operator=(const PolicyVersionCore&) = delete;

  const PolicyProgram& program() const { return program_; }
  // Where the version came from, for messages and logs.
  const std::string& origin() const { return origin_; }

  // kNotFound when a requested role is not defined by this version.
  weftkit::StatusOr<std::shared_ptr<const CorePrincipal>> resolve(const weftkit::Identity& identity) const;

  // The resource class of a table name, from a frozen index: unknown names fall into the class
  // of names no pattern covers, a text that is no table name into the always-denied entry.
  uint32_t resource_class(std::string_view table) const { return resource_names_.classify(table); }

  // The users: entry of `user` (tenants and granted roles), for the login backends.
  std::optional<weftkit::DirectoryUser> directory_user(std::string_view user) const;

  // The table a name declares (CREATE TABLE): kInvalidArgument for a text that is no table
  // name, kNotFound for a table the version does not declare.
  weftkit::StatusOr<const TableDefinition*> table(std::string_view table_name) const;

  // One statement's row filter for a principal this core resolved, and the number of columns
  // of its table (the Datums each row holds). `identity` is the statement's: another user or
  // other roles than the principal was resolved for is kInvalidArgument (never another
  // principal's filter); other settings are the statement's own (its session is built from
  // them instead of the principal's).
  struct RowFilter {
    native::StatementFilter filter;
    size_t column_count = 0;
  };
  weftkit::StatusOr<RowFilter> row_filter(const CorePrincipal& principal, const weftkit::Identity& identity,
                                                              std::string_view table_name,
                                                              const policy::StatementShape& shape,
                                                              const PlanSource& plans) const;
  // The same for a statement whose identity the caller knows to be the one `principal` was
  // resolved for (the module ABI compares it in place): no identity is copied or compared again.
  weftkit::StatusOr<RowFilter> row_filter_as_resolved(const CorePrincipal& principal, std::string_view table_name,
                                                      const policy::StatementShape& shape,
                                                      const PlanSource& plans) const;

  // "ALLOW ..."/"DENY ..." with the roles.yaml lines that decided.
  std::string explain(const CorePrincipal& principal, policy::Operation op, std::string_view table) const;

  // Statement filters answered by the interpreter because their plan had no code.
  uint64_t interpreted_filter_count() const { return interpreted_.load(std::memory_order_relaxed); }

 private:
  weftkit::StatusOr<RowFilter> filter_with(const CorePrincipal& principal, const semantics::SessionValues& session,
                                           std::string_view table_name, const policy::StatementShape& shape,
                                           const PlanSource& plans) const;

  PolicyProgram program_;
  ResourceClassIndex resource_names_;  // built from program_
  FrozenTextMap table_spellings_;      // "schema.table" and, in the default schema, "table" -> index
  std::string origin_;
  mutable std::atomic<uint64_t> interpreted_{0};
};

// The runtime's command as the IR's.
StatementCommand statement_command(weftkit::Command command);

}  // namespace weftkit::policy::core
