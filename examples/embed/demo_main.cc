// weftkit-embed-example: a small in-memory table engine that embeds the WeftKit Policy runtime
// as a real engine would. Usage: weftkit-embed-example ROLES.yaml POLICIES.sql DATA_DIR
// (what it prints, and why each answer is right, is in expected_output.txt and README.md).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "examples/embed/catalog.h"
#include "examples/embed/connection.h"
#include "examples/embed/policy_workspace.h"
#include "examples/embed/reload_section.h"
#include "examples/embed/row_printer.h"
#include "examples/embed/statement_runner.h"
#include "examples/embed/table_store.h"
#include "examples/embed/value_text.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::embed {
namespace {

// The users of examples/roles.yaml, each with the tenant its connection carries.
const std::vector<Connection> kConnections = {
    {"alice", "tenant-001", AuthMethod::kPassword, "10.0.0.11", {}},  // analyst
    {"bob", "tenant-002", AuthMethod::kJwt, "10.0.0.12", {}},         // read_write, audit_guard
    {"carol", "tenant-001", AuthMethod::kPassword, "10.0.0.13", {}},  // finance (inherits read_only)
    {"dave", "tenant-002", AuthMethod::kMtls, "10.0.0.14", {}},       // support
    {"mallory", "tenant-002", AuthMethod::kPassword, "10.0.0.15", {}},  // read_write, no_access
    {"root", std::nullopt, AuthMethod::kMtls, "10.0.0.1", {}},       // platform_admin (superuser)
};

struct Session {
  std::string label;
  SecurityContext context;
};

// A row as typed in a statement: one text per column, nullopt for NULL.
using TextRow = std::vector<std::optional<std::string>>;

class Demo {
 public:
  Demo(std::ostream& out, PolicyStore& store, const PolicyWorkspace& workspace, TableStore& tables)
      : out_(out), store_(store), workspace_(workspace), tables_(tables) {}

  Status connect_all();
  void print_tables(const std::vector<std::string>& sources);
  void check_permissions();
  void explain(const std::string& who, Operation op, const char* op_name, const std::string& table);
  void select(const std::string& who, const std::string& table, const std::string& why = "");
  void insert(const std::string& who, const std::string& table, const TextRow& values);
  void update_status(const std::string& who, int64_t id, const std::string& status);

 private:
  SecurityContext& context(const std::string& who);
  static std::string sql_literal(const ColumnSchema& column, const std::optional<std::string>& value);

  std::ostream& out_;
  PolicyStore& store_;
  const PolicyWorkspace& workspace_;
  TableStore& tables_;
  std::vector<Session> sessions_;
};

Status Demo::connect_all() {
  out_ << "\n== Connections: one SecurityContext each; app.tenant_id is set from the connection's tenant\n";
  for (const Connection& connection : kConnections) {
    StatusOr<SecurityContext> context = connect(store_, connection);
    if (!context.is_ok()) return context.status();
    std::string label = connection_label(connection);
    out_ << label << std::string(20 - label.size(), ' ') << auth_method_name(connection.auth_method) << " from "
         << connection.source_address << '\n';
    sessions_.push_back({label, std::move(context).value()});
  }
  // There are no anonymous operations: a context without a user cannot be built.
  StatusOr<SecurityContext> anonymous = connect(store_, Connection{"", std::nullopt, AuthMethod::kPassword, "10.0.0.99", {}});
  out_ << "(no user)           rejected: " << (anonymous.is_ok() ? "NOT REJECTED" : anonymous.status().message()) << '\n';
  return Status::ok();
}

SecurityContext& Demo::context(const std::string& who) {
  for (Session& session : sessions_) {
    if (session.label == who) return session.context;
  }
  std::cerr << "no session " << who << '\n';
  std::abort();  // a typo in this file, not a runtime condition
}

void Demo::print_tables(const std::vector<std::string>& sources) {
  out_ << "== Tables: CSV files loaded into Arrow-layout columns\n";
  for (const Table& table : tables_.tables()) {
    out_ << table.name() << ": " << table.row_count() << " rows from " << table.name() << ".csv (";
    for (size_t index = 0; index < table.schema().columns.size(); ++index) {
      const ColumnSchema& column = table.schema().columns[index];
      out_ << (index == 0 ? "" : ", ") << column.name << ' ' << declared_type(column) << (column.not_null ? " not null" : "");
    }
    out_ << ")\n";
  }
  out_ << "\n== Policy version compiled by PolicyCompiler from ";
  for (size_t index = 0; index < sources.size(); ++index) out_ << (index == 0 ? "" : " and ") << sources[index];
  out_ << ",\nserved from a scratch copy: " << workspace_.shown(store_.current()->describe()) << '\n';
}

void Demo::check_permissions() {
  static constexpr std::pair<Operation, const char*> kOperations[] = {
      {Operation::kSelect, "SELECT"}, {Operation::kInsert, "INSERT"}, {Operation::kUpdate, "UPDATE"},
      {Operation::kDelete, "DELETE"}, {Operation::kTruncate, "TRUNCATE"}};
  constexpr size_t kColumnWidth = 38;
  out_ << "\n== Permission checks: SecurityContext::allowed(operation, table)\n";
  const std::vector<std::string> tables = {"orders", "audit_log"};
  std::string header = std::string(20, ' ');
  for (const std::string& table : tables) header += table + std::string(kColumnWidth - table.size(), ' ');
  while (header.back() == ' ') header.pop_back();
  out_ << header << '\n';
  for (Session& session : sessions_) {
    std::string line = session.label + std::string(20 - session.label.size(), ' ');
    for (const std::string& table : tables) {
      std::string allowed;
      for (const auto& [op, name] : kOperations) {
        if (session.context.allowed(op, table)) allowed += (allowed.empty() ? "" : " ") + std::string(name);
      }
      if (allowed.empty()) allowed = "-";
      line += allowed + std::string(kColumnWidth - std::min(allowed.size(), kColumnWidth - 1), ' ');
    }
    while (line.back() == ' ') line.pop_back();
    out_ << line << '\n';
  }
}

void Demo::explain(const std::string& who, Operation op, const char* op_name, const std::string& table) {
  StatusOr<Statement> statement = context(who).begin_statement();
  out_ << "-- why may " << who << " " << (statement.is_ok() && statement.value().allowed(op, table) ? "" : "not ")
       << op_name << " " << table << "? Statement::explain\n";
  out_ << (statement.is_ok() ? workspace_.shown(statement.value().explain(op, table)) : statement.status().message()) << '\n';
}

void Demo::select(const std::string& who, const std::string& table_name, const std::string& why) {
  const Table& table = *tables_.find(table_name);
  out_ << "\n-- SELECT * FROM " << table_name << " as " << who << (why.empty() ? "" : " (" + why + ")") << '\n';
  StatusOr<std::vector<int64_t>> rows = select_all(context(who), table);
  if (!rows.is_ok()) {
    out_ << "ERROR:  " << rows.status().message() << '\n';
    return;
  }
  print_rows(out_, table, rows.value());
}

std::string Demo::sql_literal(const ColumnSchema& column, const std::optional<std::string>& value) {
  if (!value) return "NULL";
  if (column.type == ColumnType::kInteger || column.type == ColumnType::kBigint) return *value;
  std::string quoted = "'";
  for (char c : *value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

void Demo::insert(const std::string& who, const std::string& table_name, const TextRow& values) {
  Table& table = *tables_.find(table_name);
  std::string sql = "INSERT INTO " + table_name + " VALUES (";
  for (size_t index = 0; index < values.size(); ++index) {
    sql += (index == 0 ? "" : ", ") + sql_literal(table.schema().columns[index], values[index]);
  }
  out_ << "\n-- as " << who << ": " << sql << ")\n";
  // The engine parses the values to the columns' types first, as PostgreSQL does before any
  // policy sees the row.
  std::vector<Cell> row;
  for (size_t index = 0; index < values.size(); ++index) {
    StatusOr<Cell> cell = parse_value(table.schema().columns[index], values[index]);
    if (!cell.is_ok()) {
      out_ << "ERROR:  " << cell.status().message() << '\n';
      return;
    }
    row.push_back(std::move(cell).value());
  }
  Status inserted = insert_row(context(who), table, row);
  out_ << (inserted.is_ok() ? "INSERT 0 1" : "ERROR:  " + inserted.message()) << '\n';
}

void Demo::update_status(const std::string& who, int64_t id, const std::string& status) {
  Table& orders = *tables_.find("orders");
  out_ << "\n-- as " << who << ": UPDATE orders SET status = '" << status << "' WHERE id = " << id << '\n';
  size_t status_column = 4;  // orders (id, tenant_id, customer, amount, status, created)
  auto where = [id](const std::vector<Cell>& row) { return !row[0].is_null && row[0].integer == id; };
  StatusOr<int64_t> updated = update_rows(context(who), orders, where, status_column, Cell::of_text(status));
  out_ << (updated.is_ok() ? "UPDATE " + std::to_string(updated.value()) : "ERROR:  " + updated.status().message()) << '\n';
}

int run(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: weftkit-embed-example ROLES.yaml POLICIES.sql DATA_DIR\n";
    return 2;
  }
  std::ostream& out = std::cout;
  auto fail = [](const Status& status) {
    std::cerr << "weftkit-embed-example: " << status.message() << '\n';
    return 1;
  };

  StatusOr<TableStore> loaded = TableStore::load(example_catalog(), argv[3]);
  if (!loaded.is_ok()) return fail(loaded.status());
  TableStore tables = std::move(loaded).value();

  // The engine serves its policies from a directory of its own: here a scratch copy, so that
  // the demo can edit them below without touching examples/.
  StatusOr<std::unique_ptr<PolicyWorkspace>> workspace = PolicyWorkspace::create({argv[1], argv[2]});
  if (!workspace.is_ok()) return fail(workspace.status());
  const PolicyWorkspace& policy_files = *workspace.value();
  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  if (!compiler.is_ok()) return fail(compiler.status());
  StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler.value().compile(policy_files.files());
  if (!version.is_ok()) return fail(Status(version.status().code(), policy_files.shown(version.status().message())));
  PolicyStore store(std::move(version).value());

  Demo demo(out, store, policy_files, tables);
  demo.print_tables({std::filesystem::path(argv[1]).filename().string(), std::filesystem::path(argv[2]).filename().string()});
  Status connected = demo.connect_all();
  if (!connected.is_ok()) return fail(connected);

  demo.check_permissions();
  out << '\n';
  demo.explain("bob@tenant-002", Operation::kDelete, "DELETE", "audit_log");
  demo.explain("mallory@tenant-002", Operation::kSelect, "SELECT", "orders");
  demo.explain("dave@tenant-002", Operation::kUpdate, "UPDATE", "orders");

  out << "\n== Scans: Statement::row_filter(table, SELECT)->filter_batch(schema, batch) over the table's Arrow batch\n";
  demo.select("bob@tenant-002", "orders");
  demo.select("carol@tenant-001", "orders");
  demo.select("alice@tenant-001", "orders", "an analyst: settled orders only");
  demo.select("root", "orders", "superuser: bypasses row-level security");
  demo.select("mallory@tenant-002", "orders");
  demo.select("bob@tenant-002", "audit_log");
  demo.select("root", "audit_log", "timestamptz shown in UTC, as PostgreSQL with TimeZone = UTC");
  demo.select("dave@tenant-002", "audit_log");

  out << "\n== Writes: each new row checked with StatementRowFilter::check(row, new_row) before it is stored\n";
  demo.insert("bob@tenant-002", "orders", {"10", "tenant-002", "Cyberdyne", "250", "open", "2026-12-01"});
  demo.insert("bob@tenant-002", "orders", {"11", "tenant-001", "Cyberdyne", "999", "open", "2026-12-01"});
  demo.insert("alice@tenant-001", "orders", {"12", "tenant-001", "Acme", "10", "open", "2026-12-01"});
  demo.insert("bob@tenant-002", "audit_log", {"6", "tenant-002", "bob", "insert order 10", "2026-12-01 08:00:00+00"});
  demo.insert("bob@tenant-002", "audit_log", {"7", "tenant-002", "alice", "approve order 10", "2026-12-01 08:01:00+00"});
  demo.update_status("dave@tenant-002", 7, "closed");
  demo.update_status("dave@tenant-002", 7, "on_hold");
  demo.update_status("dave@tenant-002", 4, "on_hold");
  demo.update_status("dave@tenant-002", 2, "on_hold");
  demo.select("bob@tenant-002", "orders", "after the writes");

  out << "\n== Hot reload while queries run\n";
  Status reloaded = run_reload_section(out, store, compiler.value(), policy_files, tables);
  if (!reloaded.is_ok()) return fail(reloaded);
  return 0;
}

}  // namespace
}  // namespace weftkit::embed

int main(int argc, char** argv) { return weftkit::embed::run(argc, argv); }
