// One compiled, immutable policy version as the runtime sees it: what a principal may do on
// which table, and each statement's row filter. Implemented by the in-process compiler + JIT
// (codegen/jit/) and by ahead-of-time modules; the runtime never knows which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <weftkit/arrow_c_data.h>
#include <weftkit/status.h>

namespace weftkit {

// Bit positions in a permission mask, the same as roles.yaml's operations.
enum class Operation : uint8_t {
  kSelect = 0, kInsert, kUpdate, kDelete, kTruncate, kReferences, kTrigger, kCopyTo, kCopyFrom,
  kCreate, kAlter, kDrop, kGrant, kRevoke, kConnect, kExecute,
};

enum class AuthMethod : uint8_t { kPassword, kJwt, kMtls };

// Who is connected. Every operation carries one; there is no anonymous identity.
struct Identity {
  std::string user;                    // required
  std::optional<std::string> tenant;
  std::vector<std::string> roles;      // requested on top of the user's roles.yaml entry
  std::vector<std::pair<std::string, std::string>> settings;  // as SET app.tenant_id = '42'
  std::string source_address;
  AuthMethod auth_method = AuthMethod::kPassword;
  // The connection's id in the audit log's session_id. Empty: SecurityContext::build makes one
  // that is unique in the process and, with a random prefix, across restarts.
  std::string session_id;
};

enum class Command : uint8_t { kSelect, kInsert, kUpdate, kDelete };

// What a statement does, as far as row-level security cares (see PostgreSQL's rules: UPDATE
// and DELETE that read columns, and RETURNING, apply the SELECT policies too).
struct StatementShape {
  Command command = Command::kSelect;
  bool reads_columns = true;
  bool returning = false;
};

// One value of a row, laid out as the generated code reads it (the same layout as
// codegen/native/predicate_abi.h's NativeDatum): bool 0/1, integers, date days and timestamp
// microseconds since 2000-01-01, float bits, text data + length (data never null).
struct Datum {
  int64_t bits = 0;
  const char* data = "";
  int64_t length = 0;
  uint8_t is_null = 1;
  uint8_t is_error = 0;  // always 0 in rows
  uint8_t padding[6] = {};
};
static_assert(sizeof(Datum) == 32, "Datum is part of the module ABI");

enum class RowResult : uint8_t { kPass, kFiltered, kViolation, kError };

struct RowOutcome {
  RowResult result = RowResult::kPass;
  std::string message;  // kViolation and kError: PostgreSQL's message
};

// A batch's answer: bit i of `selection` set when row i passes; violations and errors listed
// with their messages, in row order (their rows are not selected).
struct BatchOutcome {
  std::vector<uint64_t> selection;
  std::vector<std::pair<int64_t, RowOutcome>> exceptions;
};

// A principal resolved against one version: per-resource-class masks and what the version
// needs to plan its statements. Built once per (context, version).
struct ResolvedPrincipal {
  std::vector<uint64_t> masks;  // per resource class, then one trailing zero entry
  bool bypasses_row_security = false;
  std::shared_ptr<const void> detail;  // the version's own view of the principal
};

// The row filter of one statement on one table: immutable after construction, so one
// statement may use it from several threads.
class Statement;

class StatementRowFilter {
 public:
  virtual ~StatementRowFilter() = default;
  // The table's columns (its CREATE TABLE): the Datums a row passed to check() must hold.
  virtual size_t column_count() const = 0;
  // `new_row` for UPDATE's new values (nullptr otherwise). Both must point at column_count()
  // Datums: the filter reads that many without knowing how many there are. Callers that
  // cannot vouch for the length use the span overload below.
  virtual RowOutcome check(const Datum* row, const Datum* new_row) const = 0;
  // The result alone, for scans that only need to know which rows pass: kViolation and kError
  // come without their message (check() gives it). Same rows, same answers as check().
  virtual RowResult result(const Datum* row, const Datum* new_row) const { return check(row, new_row).result; }
  // The same with the lengths checked first: kInvalidArgument, and nothing read, unless `row`
  // (and `new_row`, when it is not empty) has exactly column_count() Datums.
  StatusOr<RowOutcome> check(std::span<const Datum> row, std::span<const Datum> new_row = {}) const;
  // An Arrow struct array (one child per table column; formats: bool "b", smallint "s",
  // integer "i", bigint "l", real "f", double "g", text "u", date "tdD", timestamp "tsu:",
  // timestamptz "tsu:UTC").
  virtual StatusOr<BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                              const ArrowArray* new_batch) const = 0;

 private:
  friend class Statement;
  // What the filter's code lives in (its statement's version), set by Statement::row_filter
  // before the filter is handed out. A base-class member, so it is released after everything
  // the implementation holds.
  mutable std::shared_ptr<const void> keeps_alive_;
};

// How a version answers row filters, for operators' metrics: plans it holds as native code
// (compiled with the version, or since, off the readers' path), and statement filters it
// answered with the reference interpreter because their plan had no code yet (a principal
// whose combination of roles roles.yaml does not name). Both only grow.
struct RowFilterCounts {
  uint64_t native_plans = 0;
  uint64_t interpreted_filters = 0;
};

// A user's entry in roles.yaml's users: as login backends need it: which tenants the user may
// connect to and the roles the entry grants.
struct DirectoryUser {
  std::optional<std::string> default_tenant;  // 'tenant:': what a login naming no tenant gets
  std::vector<std::string> other_tenants;     // 'tenants:': may be named at login as well
  std::vector<std::string> roles;             // 'roles:', as written
};

class PolicyVersion {
 public:
  virtual ~PolicyVersion() = default;

  // Where it came from, for logs: "roles.yaml, policies.sql (sha256 1f2e...)".
  virtual std::string describe() const = 0;
  virtual StatusOr<ResolvedPrincipal> resolve(const Identity& identity) const = 0;
  // The resource class of a table name ("orders", "sales.orders"); unknown names fall into
  // the class of names no pattern covers, and a text that is no table name at all into the
  // trailing always-denied entry. Called on every check by name, so implementations answer
  // without allocating (a precomputed lookup by name text).
  virtual uint32_t resource_class(std::string_view table) const = 0;
  virtual StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal& principal,
                                                                         const Identity& identity,
                                                                         std::string_view table,
                                                                         const StatementShape& shape) const = 0;
  // "ALLOW ..."/"DENY ..." with the roles.yaml lines that decided it.
  virtual std::string explain(const ResolvedPrincipal& principal, const Identity& identity, Operation op,
                              std::string_view table) const = 0;
  // The roles.yaml or SQL position ("roles.yaml:12:9") of the rule that decided a denial, for
  // the audit log's decided_by; none when no rule decided it (denied by default: no held role
  // allows it) or the version cannot say (a module's). Called only for denials that are
  // reported, so it may allocate.
  virtual std::optional<std::string> denied_by(const ResolvedPrincipal& /*principal*/, Operation /*op*/,
                                               std::string_view /*table*/) const {
    return std::nullopt;
  }
  // A version that compiles nothing (a test's) has none of either.
  virtual RowFilterCounts row_filter_counts() const { return {}; }

  // The user directory of this version's roles files, for the auth backends (a version without
  // roles files, such as a test's, knows no user and no role).
  virtual std::optional<DirectoryUser> find_user(std::string_view /*user*/) const { return std::nullopt; }
  virtual bool role_exists(std::string_view /*role*/) const { return false; }
};

}  // namespace weftkit
