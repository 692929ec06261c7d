// A small libpq wrapper: run SQL text, get rows as text or PostgreSQL's error (SQLSTATE and
// primary message) as a value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;

namespace weftkit::policy::pgtest {

struct QueryResult {
  bool ok = false;
  std::string sqlstate;  // set when !ok
  std::string message;   // PostgreSQL's primary message when !ok, e.g. "division by zero"
  std::vector<std::vector<std::optional<std::string>>> rows;  // text format; nullopt is NULL
  long affected_rows = 0;  // rows returned, or rows inserted/updated/deleted
};

class PgConnection {
 public:
  // Throws std::runtime_error when the connection fails.
  static PgConnection open(const std::string& conninfo);

  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  // One statement (or several separated by ';', in which case the last result counts).
  QueryResult exec(const std::string& sql);
  // Throws std::runtime_error with the statement and message when it fails.
  QueryResult exec_or_throw(const std::string& sql);

 private:
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  pg_conn* connection_ = nullptr;
};

}  // namespace weftkit::policy::pgtest
