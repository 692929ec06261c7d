// libpq calls behind PgConnection; notices (e.g. CREATE POLICY warnings) are dropped, not printed.
#include "tests/pg/pg_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace weftkit::policy::pgtest {
namespace {

void ignore_notice(void*, const char*) {}

std::string error_field(const PGresult* result, int field) {
  const char* value = PQresultErrorField(result, field);
  return value ? value : "";
}

}  // namespace

PgConnection PgConnection::open(const std::string& conninfo) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) {
    std::string message = connection ? PQerrorMessage(connection) : "out of memory";
    PQfinish(connection);
    throw std::runtime_error("cannot connect to PostgreSQL (" + conninfo + "): " + message);
  }
  PQsetNoticeProcessor(connection, ignore_notice, nullptr);
  if (PQsetClientEncoding(connection, "UTF8") != 0) {
    PQfinish(connection);
    throw std::runtime_error("cannot set client encoding UTF8");
  }
  return PgConnection(connection);
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    PQfinish(connection_);
    connection_ = std::exchange(other.connection_, nullptr);
  }
  return *this;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

QueryResult PgConnection::exec(const std::string& sql) {
  QueryResult answer;
  PGresult* result = PQexec(connection_, sql.c_str());
  if (result == nullptr) {
    answer.message = PQerrorMessage(connection_);
    return answer;
  }
  ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
    answer.ok = true;
    int row_count = PQntuples(result);
    int column_count = PQnfields(result);
    for (int row = 0; row < row_count; ++row) {
      std::vector<std::optional<std::string>>& values = answer.rows.emplace_back();
      for (int column = 0; column < column_count; ++column) {
        if (PQgetisnull(result, row, column)) {
          values.emplace_back(std::nullopt);
        } else {
          values.emplace_back(std::string(PQgetvalue(result, row, column), PQgetlength(result, row, column)));
        }
      }
    }
    const char* affected = PQcmdTuples(result);
    answer.affected_rows = status == PGRES_TUPLES_OK ? row_count : (affected && *affected ? std::atol(affected) : 0);
  } else {
    answer.sqlstate = error_field(result, PG_DIAG_SQLSTATE);
    answer.message = error_field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (answer.message.empty()) answer.message = PQresultErrorMessage(result);
  }
  PQclear(result);
  return answer;
}

QueryResult PgConnection::exec_or_throw(const std::string& sql) {
  QueryResult result = exec(sql);
  if (!result.ok) {
    throw std::runtime_error("PostgreSQL rejected `" + sql + "`: " + result.message + " (SQLSTATE " +
                             result.sqlstate + ")");
  }
  return result;
}

}  // namespace weftkit::policy::pgtest
