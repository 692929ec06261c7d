// Runs one parsed statement for one connection: the permission check through the connection's
// SecurityContext, then every row through the statement's row filter (USING for the rows a
// statement sees, WITH CHECK for the rows it writes), then the engine's own WHERE, and the
// tenant's storage. Nothing reaches the client that the policies did not let through.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>

#include "catalog.h"
#include "page_storage.h"
#include "sql_ast.h"
#include "sql_error.h"
#include "table_codec.h"

namespace relational {

// Serialises query strings on the same tenant's table across connections (load, change, save).
class TableLocks {
 public:
  std::shared_ptr<std::timed_mutex> lock_for(const std::string& key) {
    std::lock_guard guard(mutex_);
    std::shared_ptr<std::timed_mutex>& lock = locks_[key];
    if (!lock) lock = std::make_shared<std::timed_mutex>();
    return lock;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<std::timed_mutex>> locks_;
};

// The tables one simple-query string has touched: each locked from its first use to the end of
// the string, changed in memory, and written to storage only when every statement of the string
// succeeded (PostgreSQL runs a multi-statement query string as one implicit transaction).
struct QueryTransaction {
  struct Table {
    std::shared_ptr<std::timed_mutex> mutex;  // before lock: the lock is released first
    std::unique_lock<std::timed_mutex> lock;
    TableSchema schema;
    std::vector<Row> rows;
    bool changed = false;
  };
  std::map<std::string, Table> tables;
};

struct ResultColumn {
  std::string name;
  uint32_t type_oid = 25;
  int16_t type_size = -1;
};

// What the client is sent for one statement.
struct StatementResult {
  std::optional<std::vector<ResultColumn>> columns;  // set: RowDescription + DataRows (or COPY)
  std::vector<std::vector<std::optional<std::string>>> rows;  // text format; nullopt is NULL
  std::optional<CopyOptions> copy_out;  // set: rows go out as COPY data instead of DataRows
  std::string command_tag;  // "SELECT 3", "INSERT 0 1", ...
};

// One connection's state as the executor needs it.
struct Session {
  const weftkit::PolicyStore* store = nullptr;
  weftkit::Identity identity;  // as authenticated, with the session's settings
  std::optional<weftkit::SecurityContext> context;
  std::unique_ptr<TenantStorage> storage;
  std::map<std::string, std::string> parameters;  // SHOW-able settings (DateStyle, application_name, ...)
  QueryTransaction transaction;  // of the query string being run
};

struct EngineState {
  Catalog* catalog = nullptr;
  TableLocks* locks = nullptr;
};

SqlResult<StatementResult> execute(const Statement& statement, Session& session, EngineState& engine);

// The end of a query string: its changes saved (then the locks released), or all dropped.
SqlStatus commit_query(Session& session);
void rollback_query(Session& session);

// The session settings current_setting() reads: app.* from the identity, then the parameters.
std::optional<std::string> session_setting(const Session& session, std::string_view name);

}  // namespace relational
