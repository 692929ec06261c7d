// The statement executor (see executor.h).
#include "executor.h"

#include <algorithm>

#include "expression.h"

namespace relational {
namespace {

using weftkit::Command;
using weftkit::Operation;

// A statement pinned to one policy version, with the table's schema.
struct OpenTable {
  weftkit::Statement statement;
  TableSchema schema;
};

SqlResult<OpenTable> open_table(Session& session, EngineState& engine, const std::string& table, Operation op) {
  std::optional<TableSchema> schema = engine.catalog->find(table);
  if (!schema) return undefined_table(table);
  weftkit::StatusOr<weftkit::Statement> statement = session.context->begin_statement();
  if (!statement.is_ok()) return permission_denied("permission denied: " + statement.status().message());
  // Deny by default: the check is the first thing the statement does, before any row is read.
  if (!statement.value().allowed(op, table)) {
    return permission_denied("permission denied for table " + table);
  }
  return OpenTable{std::move(statement).value(), std::move(*schema)};
}

// The row filter of the statement on the table. A table created by a client is one no policy
// file declares: the version answers kNotFound for it, and row-level security is not enabled on
// it (as in PostgreSQL for a table without policies; its rows are still only its tenant's).
// Any other failure, or a disagreement about the columns, refuses the statement.
SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> row_filter(const OpenTable& open,
                                                                         const weftkit::StatementShape& shape) {
  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
      open.statement.row_filter(open.schema.name, shape);
  if (!filter.is_ok()) {
    const weftkit::Status& status = filter.status();
    if (status.code() == weftkit::StatusCode::kPermissionDenied) return permission_denied(status.message());
    if (!open.schema.from_policy_files && status.code() == weftkit::StatusCode::kNotFound) {
      return std::unique_ptr<const weftkit::StatementRowFilter>();
    }
    return internal_error("row filter for table " + open.schema.name + ": " + status.message());
  }
  std::unique_ptr<const weftkit::StatementRowFilter> result = std::move(filter).value();
  if (result->column_count() != open.schema.columns.size()) {
    return internal_error("the policies declare table " + open.schema.name + " with other columns than the engine stores");
  }
  return result;
}

std::vector<weftkit::Datum> datums_of(const Row& row) {
  std::vector<weftkit::Datum> datums;
  datums.reserve(row.size());
  for (const Value& value : row) datums.push_back(to_datum(value));
  return datums;
}

// PASS, FILTERED, or the statement's error for a violation or a policy error.
SqlResult<bool> passes(const weftkit::StatementRowFilter* filter, const Row& row, const Row* new_row) {
  if (filter == nullptr) return true;
  std::vector<weftkit::Datum> old_datums = datums_of(row);
  std::vector<weftkit::Datum> new_datums;
  if (new_row) new_datums = datums_of(*new_row);
  weftkit::StatusOr<weftkit::RowOutcome> outcome = filter->check(old_datums, new_datums);
  if (!outcome.is_ok()) return internal_error(outcome.status().message());
  switch (outcome.value().result) {
    case weftkit::RowResult::kPass: return true;
    case weftkit::RowResult::kFiltered: return false;
    case weftkit::RowResult::kViolation: return permission_denied(outcome.value().message);
    case weftkit::RowResult::kError: return SqlError{"22000", outcome.value().message};
  }
  return false;
}

EvaluationScope scope_for(const Session& session, const TableSchema* schema, const Row* row) {
  EvaluationScope scope;
  scope.columns = schema ? &schema->columns : nullptr;
  scope.row = row;
  scope.user = session.identity.user;
  scope.setting = [&session](std::string_view name) { return session_setting(session, name); };
  return scope;
}

// The table's rows as this query string sees them: loaded (and locked) on first use.
SqlResult<QueryTransaction::Table*> table_rows(Session& session, EngineState& engine, const TableSchema& schema) {
  auto found = session.transaction.tables.find(schema.name);
  if (found != session.transaction.tables.end()) return &found->second;
  QueryTransaction::Table table;
  table.mutex = engine.locks->lock_for(session.storage->tenant_key() + "/" + schema.name);
  table.lock = std::unique_lock(*table.mutex, std::defer_lock);
  // Two query strings taking the same tables in opposite orders would wait for each other for
  // ever: the later one gives up instead.
  if (!table.lock.try_lock_for(std::chrono::seconds(10))) {
    return SqlError{"40P01", "deadlock detected: table \"" + schema.name + "\" stayed locked by another session"};
  }
  SqlResult<std::optional<std::string>> bytes = session.storage->load(schema.name);
  if (!bytes.ok()) return bytes.error();
  if (bytes.value()) {
    SqlResult<std::vector<Row>> rows = decode_rows(schema, *bytes.value());
    if (!rows.ok()) return rows.error();
    table.rows = std::move(rows).value();
  }
  table.schema = schema;
  return &session.transaction.tables.emplace(schema.name, std::move(table)).first->second;
}

SqlStatus check_not_null(const TableSchema& schema, const Row& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i].is_null() && schema.columns[i].not_null) {
      return SqlError{"23502", "null value in column \"" + schema.columns[i].name + "\" of relation \"" + schema.name +
                                   "\" violates not-null constraint"};
    }
  }
  return std::nullopt;
}

// The rows of the table this statement may see (USING) that its WHERE keeps, in stored order.
SqlResult<std::vector<Row>> visible_rows(Session& session, EngineState& engine, const OpenTable& open,
                                         const weftkit::StatementRowFilter* filter, const Expression* where) {
  SqlResult<QueryTransaction::Table*> table = table_rows(session, engine, open.schema);
  if (!table.ok()) return table.error();
  std::vector<Row> kept;
  for (const Row& row : table.value()->rows) {
    SqlResult<bool> allowed = passes(filter, row, nullptr);
    if (!allowed.ok()) return allowed.error();
    if (!allowed.value()) continue;  // the policies hide it: the WHERE never sees it
    if (where) {
      SqlResult<bool> wanted = is_true(*where, scope_for(session, &open.schema, &row));
      if (!wanted.ok()) return wanted.error();
      if (!wanted.value()) continue;
    }
    kept.push_back(row);
  }
  return kept;
}

std::optional<std::string> text_of(const Value& value) {
  if (value.is_null()) return std::nullopt;
  return to_text(value);
}

// What an ORDER BY key sorts by, as in PostgreSQL: a position ("ORDER BY 2") or an output
// column's alias names a select-list entry; anything else is an expression over the row.
// `synthesized` owns the column references made for the positions of a "*".
SqlResult<const Expression*> resolve_order_key(const Expression& key, const SelectStatement& select,
                                               const TableSchema& schema, std::vector<ExpressionPtr>& synthesized) {
  std::vector<const Expression*> outputs;
  std::vector<std::string> names;
  for (const SelectItem& item : select.items) {
    if (item.expression) {
      outputs.push_back(item.expression.get());
      names.push_back(item.alias);
      continue;
    }
    for (const ColumnDef& column : schema.columns) {
      auto reference = std::make_unique<Expression>();
      reference->kind = Expression::Kind::kColumn;
      reference->name = column.name;
      outputs.push_back(reference.get());
      names.push_back({});
      synthesized.push_back(std::move(reference));
    }
  }
  if (key.kind == Expression::Kind::kLiteral && key.value.kind == Value::Kind::kInteger) {
    if (key.value.integer < 1 || key.value.integer > static_cast<int64_t>(outputs.size())) {
      return SqlError{"42P10", "ORDER BY position " + std::to_string(key.value.integer) + " is not in select list"};
    }
    return outputs[static_cast<size_t>(key.value.integer - 1)];
  }
  if (key.kind == Expression::Kind::kColumn && !column_index(schema.columns, key.name)) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == key.name) return outputs[i];
    }
  }
  if (auto error = check_columns(key, &schema.columns)) return *error;
  return &key;
}

SqlResult<StatementResult> run_select(const SelectStatement& select, Session& session, EngineState& engine) {
  StatementResult result;
  if (!select.table) {
    // SELECT without FROM: expressions over no table (SELECT 1, current_setting(...)).
    std::vector<std::optional<std::string>> row;
    result.columns.emplace();
    for (const SelectItem& item : select.items) {
      if (!item.expression) return syntax_error("SELECT * with no tables specified is not valid");
      if (auto error = check_columns(*item.expression, nullptr)) return *error;
      SqlResult<Value> value = evaluate(*item.expression, scope_for(session, nullptr, nullptr));
      if (!value.ok()) return value.error();
      result.columns->push_back({item.alias.empty() ? output_name(*item.expression) : item.alias,
                                 value_type_oid(value.value()), -1});
      row.push_back(text_of(value.value()));
    }
    if (select.where) {
      SqlResult<bool> keep = is_true(*select.where, scope_for(session, nullptr, nullptr));
      if (!keep.ok()) return keep.error();
      if (!keep.value()) {
        result.command_tag = "SELECT 0";
        return result;
      }
    }
    result.rows.push_back(std::move(row));
    result.command_tag = "SELECT 1";
    return result;
  }

  SqlResult<OpenTable> open = open_table(session, engine, *select.table, Operation::kSelect);
  if (!open.ok()) return open.error();
  const TableSchema& schema = open.value().schema;
  for (const SelectItem& item : select.items) {
    if (item.expression) {
      if (auto error = check_columns(*item.expression, &schema.columns)) return *error;
    }
  }
  if (select.where) {
    if (auto error = check_columns(*select.where, &schema.columns)) return *error;
  }
  std::vector<ExpressionPtr> synthesized;
  std::vector<const Expression*> sort_keys;
  for (const OrderKey& key : select.order_by) {
    SqlResult<const Expression*> resolved = resolve_order_key(*key.expression, select, schema, synthesized);
    if (!resolved.ok()) return resolved.error();
    sort_keys.push_back(resolved.value());
  }
  SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> filter = row_filter(open.value(), {Command::kSelect});
  if (!filter.ok()) return filter.error();

  SqlResult<std::vector<Row>> visible = visible_rows(session, engine, open.value(), filter.value().get(), select.where.get());
  if (!visible.ok()) return visible.error();
  std::vector<Row> rows = std::move(visible).value();

  if (!select.order_by.empty()) {
    // Sort keys computed once per row; NULLs sort last ascending and first descending.
    std::vector<std::pair<std::vector<Value>, size_t>> keyed;
    for (size_t i = 0; i < rows.size(); ++i) {
      std::vector<Value> keys;
      for (const Expression* key : sort_keys) {
        SqlResult<Value> value = evaluate(*key, scope_for(session, &schema, &rows[i]));
        if (!value.ok()) return value.error();
        keys.push_back(std::move(value).value());
      }
      keyed.emplace_back(std::move(keys), i);
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      for (size_t k = 0; k < select.order_by.size(); ++k) {
        const Value& x = a.first[k];
        const Value& y = b.first[k];
        int c = 0;
        if (x.is_null() || y.is_null()) c = x.is_null() == y.is_null() ? 0 : x.is_null() ? 1 : -1;
        else c = compare_for_sort(x, y);
        if (select.order_by[k].descending) c = -c;
        if (c != 0) return c < 0;
      }
      return false;
    });
    std::vector<Row> sorted;
    for (auto& [keys, index] : keyed) sorted.push_back(std::move(rows[index]));
    rows = std::move(sorted);
  }
  if (select.limit && static_cast<int64_t>(rows.size()) > *select.limit) rows.resize(static_cast<size_t>(std::max<int64_t>(0, *select.limit)));

  result.columns.emplace();
  for (const SelectItem& item : select.items) {
    if (!item.expression) {
      for (const ColumnDef& column : schema.columns) {
        result.columns->push_back({column.name, type_oid(column.type), type_size(column.type)});
      }
    } else if (item.expression->kind == Expression::Kind::kColumn) {
      const ColumnDef& column = schema.columns[*column_index(schema.columns, item.expression->name)];
      result.columns->push_back({item.alias.empty() ? column.name : item.alias, type_oid(column.type), type_size(column.type)});
    } else {
      result.columns->push_back({item.alias.empty() ? output_name(*item.expression) : item.alias, 0, -1});
    }
  }
  for (const Row& row : rows) {
    std::vector<std::optional<std::string>> out;
    size_t column = 0;
    for (const SelectItem& item : select.items) {
      if (!item.expression) {
        for (const Value& value : row) out.push_back(text_of(value));
        column += schema.columns.size();
        continue;
      }
      SqlResult<Value> value = evaluate(*item.expression, scope_for(session, &schema, &row));
      if (!value.ok()) return value.error();
      if ((*result.columns)[column].type_oid == 0) (*result.columns)[column].type_oid = value_type_oid(value.value());
      out.push_back(text_of(value.value()));
      ++column;
    }
    result.rows.push_back(std::move(out));
  }
  for (ResultColumn& column : *result.columns) {
    if (column.type_oid == 0) column.type_oid = 25;
  }
  result.command_tag = "SELECT " + std::to_string(result.rows.size());
  return result;
}

SqlResult<StatementResult> run_insert(const InsertStatement& insert, Session& session, EngineState& engine) {
  SqlResult<OpenTable> open = open_table(session, engine, insert.table, Operation::kInsert);
  if (!open.ok()) return open.error();
  const TableSchema& schema = open.value().schema;
  std::vector<size_t> targets;
  if (insert.columns.empty()) {
    for (size_t i = 0; i < schema.columns.size(); ++i) targets.push_back(i);
  } else {
    for (const std::string& name : insert.columns) {
      std::optional<size_t> index = column_index(schema.columns, name);
      if (!index) return SqlError{"42703", "column \"" + name + "\" of relation \"" + schema.name + "\" does not exist"};
      targets.push_back(*index);
    }
  }
  // Without RETURNING an INSERT reads nothing back: only the INSERT policies' WITH CHECK apply.
  SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
      row_filter(open.value(), {Command::kInsert, /*reads_columns=*/false, /*returning=*/false});
  if (!filter.ok()) return filter.error();

  std::vector<Row> new_rows;
  for (const std::vector<ExpressionPtr>& values : insert.rows) {
    if (values.size() > targets.size()) return syntax_error("INSERT has more expressions than target columns");
    if (values.size() < targets.size()) return syntax_error("INSERT has more target columns than expressions");
    Row row(schema.columns.size());
    for (size_t i = 0; i < values.size(); ++i) {
      if (auto error = check_columns(*values[i], nullptr)) return *error;
      SqlResult<Value> value = evaluate(*values[i], scope_for(session, nullptr, nullptr));
      if (!value.ok()) return value.error();
      SqlResult<Value> stored = coerce_to_column(value.value(), schema.columns[targets[i]]);
      if (!stored.ok()) return stored.error();
      row[targets[i]] = std::move(stored).value();
    }
    if (auto error = check_not_null(schema, row)) return *error;
    // WITH CHECK: a row the policies would not let this session write fails the whole statement.
    SqlResult<bool> allowed = passes(filter.value().get(), row, nullptr);
    if (!allowed.ok()) return allowed.error();
    if (!allowed.value()) return permission_denied("new row violates row-level security policy for table \"" + schema.name + "\"");
    new_rows.push_back(std::move(row));
  }

  SqlResult<QueryTransaction::Table*> table = table_rows(session, engine, schema);
  if (!table.ok()) return table.error();
  for (Row& row : new_rows) table.value()->rows.push_back(std::move(row));
  table.value()->changed = true;
  StatementResult result;
  result.command_tag = "INSERT 0 " + std::to_string(insert.rows.size());
  return result;
}

bool reads_columns(const Expression* expression) {
  if (expression == nullptr) return false;
  if (expression->kind == Expression::Kind::kColumn) return true;
  for (const ExpressionPtr& operand : expression->operands) {
    if (reads_columns(operand.get())) return true;
  }
  return false;
}

SqlResult<StatementResult> run_update(const UpdateStatement& update, Session& session, EngineState& engine) {
  SqlResult<OpenTable> open = open_table(session, engine, update.table, Operation::kUpdate);
  if (!open.ok()) return open.error();
  const TableSchema& schema = open.value().schema;
  std::vector<size_t> targets;
  bool reads = update.where != nullptr;
  for (const Assignment& assignment : update.assignments) {
    std::optional<size_t> index = column_index(schema.columns, assignment.column);
    if (!index) return SqlError{"42703", "column \"" + assignment.column + "\" of relation \"" + schema.name + "\" does not exist"};
    if (auto error = check_columns(*assignment.value, &schema.columns)) return *error;
    reads = reads || reads_columns(assignment.value.get());
    targets.push_back(*index);
  }
  if (update.where) {
    if (auto error = check_columns(*update.where, &schema.columns)) return *error;
  }
  // An UPDATE that reads columns (WHERE, or SET from columns) applies the SELECT policies too.
  SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
      row_filter(open.value(), {Command::kUpdate, reads, /*returning=*/false});
  if (!filter.ok()) return filter.error();

  SqlResult<QueryTransaction::Table*> table = table_rows(session, engine, schema);
  if (!table.ok()) return table.error();
  // Changes go to a copy, so a statement that fails half-way leaves the table as it was.
  std::vector<Row> rows = table.value()->rows;
  int64_t updated = 0;
  for (Row& row : rows) {
    Row new_row = row;
    for (size_t i = 0; i < targets.size(); ++i) {
      SqlResult<Value> value = evaluate(*update.assignments[i].value, scope_for(session, &schema, &row));
      if (!value.ok()) return value.error();
      SqlResult<Value> stored = coerce_to_column(value.value(), schema.columns[targets[i]]);
      if (!stored.ok()) return stored.error();
      new_row[targets[i]] = std::move(stored).value();
    }
    // The policies decide first (a security barrier): a row their USING hides is skipped before
    // the WHERE sees it; a new row their WITH CHECK refuses fails the statement if it is chosen.
    SqlResult<bool> allowed = passes(filter.value().get(), row, &new_row);
    if (!allowed.ok() && allowed.error().sqlstate != "42501") return allowed.error();
    if (allowed.ok() && !allowed.value()) continue;
    if (update.where) {
      SqlResult<bool> wanted = is_true(*update.where, scope_for(session, &schema, &row));
      if (!wanted.ok()) return wanted.error();
      if (!wanted.value()) continue;
    }
    if (!allowed.ok()) return allowed.error();
    if (auto error = check_not_null(schema, new_row)) return *error;
    row = std::move(new_row);
    ++updated;
  }
  if (updated > 0) {
    table.value()->rows = std::move(rows);
    table.value()->changed = true;
  }
  StatementResult result;
  result.command_tag = "UPDATE " + std::to_string(updated);
  return result;
}

SqlResult<StatementResult> run_delete(const DeleteStatement& remove, Session& session, EngineState& engine) {
  SqlResult<OpenTable> open = open_table(session, engine, remove.table, Operation::kDelete);
  if (!open.ok()) return open.error();
  const TableSchema& schema = open.value().schema;
  if (remove.where) {
    if (auto error = check_columns(*remove.where, &schema.columns)) return *error;
  }
  SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
      row_filter(open.value(), {Command::kDelete, remove.where != nullptr, /*returning=*/false});
  if (!filter.ok()) return filter.error();
  SqlResult<QueryTransaction::Table*> table = table_rows(session, engine, schema);
  if (!table.ok()) return table.error();
  std::vector<Row> kept;
  int64_t deleted = 0;
  for (const Row& row : table.value()->rows) {
    SqlResult<bool> allowed = passes(filter.value().get(), row, nullptr);
    if (!allowed.ok()) return allowed.error();
    bool remove_it = allowed.value();
    if (remove_it && remove.where) {
      SqlResult<bool> wanted = is_true(*remove.where, scope_for(session, &schema, &row));
      if (!wanted.ok()) return wanted.error();
      remove_it = wanted.value();
    }
    if (remove_it) {
      ++deleted;
    } else {
      kept.push_back(row);
    }
  }
  if (deleted > 0) {
    table.value()->rows = std::move(kept);
    table.value()->changed = true;
  }
  StatementResult result;
  result.command_tag = "DELETE " + std::to_string(deleted);
  return result;
}

SqlResult<StatementResult> run_copy_to(const CopyToStatement& copy, Session& session, EngineState& engine) {
  // COPY TO is its own operation (an export, audited as data_export), and reads what SELECT may.
  SqlResult<OpenTable> open = open_table(session, engine, copy.table, Operation::kCopyTo);
  if (!open.ok()) return open.error();
  SqlResult<std::unique_ptr<const weftkit::StatementRowFilter>> filter = row_filter(open.value(), {Command::kSelect});
  if (!filter.ok()) return filter.error();
  const TableSchema& schema = open.value().schema;
  std::vector<size_t> columns;
  for (const std::string& name : copy.columns) {
    std::optional<size_t> index = column_index(schema.columns, name);
    if (!index) return SqlError{"42703", "column \"" + name + "\" of relation \"" + schema.name + "\" does not exist"};
    columns.push_back(*index);
  }
  if (columns.empty()) {
    for (size_t i = 0; i < schema.columns.size(); ++i) columns.push_back(i);
  }
  SqlResult<std::vector<Row>> visible = visible_rows(session, engine, open.value(), filter.value().get(), nullptr);
  if (!visible.ok()) return visible.error();
  std::vector<Row> rows = std::move(visible).value();
  StatementResult result;
  result.copy_out = copy.options;
  result.columns.emplace();
  for (size_t index : columns) {
    const ColumnDef& column = schema.columns[index];
    result.columns->push_back({column.name, type_oid(column.type), type_size(column.type)});
  }
  for (const Row& row : rows) {
    std::vector<std::optional<std::string>> out;
    for (size_t index : columns) out.push_back(text_of(row[index]));
    result.rows.push_back(std::move(out));
  }
  const std::string count = std::to_string(rows.size()) + " rows";
  open.value().statement.report({.kind = weftkit::audit::EventKind::kDataExport, .operation = "COPY TO",
                                 .resource = copy.table, .result = "success", .reason = count});
  result.command_tag = "COPY " + std::to_string(rows.size());
  return result;
}

SqlResult<StatementResult> run_create_table(const CreateTableStatement& create, Session& session, EngineState& engine) {
  weftkit::StatusOr<weftkit::Statement> statement = session.context->begin_statement();
  if (!statement.is_ok()) return permission_denied("permission denied: " + statement.status().message());
  if (!statement.value().allowed(Operation::kCreate, create.table)) {
    return permission_denied("permission denied to create table " + create.table);
  }
  StatementResult result;
  result.command_tag = "CREATE TABLE";
  if (engine.catalog->find(create.table)) {
    if (create.if_not_exists) return result;
    return SqlError{"42P07", "relation \"" + create.table + "\" already exists"};
  }
  if (create.columns.empty()) return syntax_error("a table needs at least one column");
  if (auto error = engine.catalog->create(create)) return *error;
  statement.value().report({.kind = weftkit::audit::EventKind::kSchemaChange, .operation = "CREATE TABLE",
                            .resource = create.table, .result = "success", .reason = {}});
  return result;
}

// Settings PostgreSQL reports and psql may SHOW; the values this engine runs with.
const std::map<std::string, std::string>& fixed_parameters() {
  static const std::map<std::string, std::string> parameters = {
      {"server_version", "15.0"}, {"server_encoding", "UTF8"}, {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"}, {"timezone", "UTC"}, {"transaction_isolation", "read committed"},
      {"is_superuser", "off"}, {"max_identifier_length", "63"}};
  return parameters;
}

SqlResult<StatementResult> run_set(const SetStatement& set, Session& session) {
  StatementResult result;
  result.command_tag = "SET";
  if (set.name == "app.tenant_id") {
    // The tenant is the connection's, decided by authentication: it can be restated, never changed.
    const std::optional<std::string>& tenant = session.identity.tenant;
    if (!tenant || set.value != *tenant) return permission_denied("permission denied to set parameter \"app.tenant_id\"");
    return result;
  }
  if (fixed_parameters().count(set.name)) {
    return SqlError{"55P02", "parameter \"" + set.name + "\" cannot be changed"};
  }
  if (set.name.find('.') != std::string::npos) {
    // A custom setting the policies may read with current_setting(): the context is rebuilt
    // with it, so the next statement's row filters see the new value.
    weftkit::Identity identity = session.identity;
    auto& settings = identity.settings;
    settings.erase(std::remove_if(settings.begin(), settings.end(), [&](const auto& s) { return s.first == set.name; }),
                   settings.end());
    if (set.value != "DEFAULT") settings.emplace_back(set.name, set.value);
    weftkit::StatusOr<weftkit::SecurityContext> context = weftkit::SecurityContext::build(*session.store, identity);
    if (!context.is_ok()) return permission_denied(context.status().message());
    session.identity = std::move(identity);
    session.context.emplace(std::move(context).value());
    return result;
  }
  if (set.value == "DEFAULT") session.parameters.erase(set.name);
  else session.parameters[set.name] = set.value;
  return result;
}

SqlResult<StatementResult> run_show(const ShowStatement& show, Session& session) {
  std::optional<std::string> value = session_setting(session, show.name);
  if (!value) return SqlError{"42704", "unrecognized configuration parameter \"" + show.name + "\""};
  StatementResult result;
  result.columns = std::vector<ResultColumn>{{show.name, 25, -1}};
  result.rows.push_back({*value});
  result.command_tag = "SHOW";
  return result;
}

}  // namespace

std::optional<std::string> session_setting(const Session& session, std::string_view name) {
  std::string lowered(name);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [key, value] : session.identity.settings) {
    if (key == lowered) return value;
  }
  if (auto found = session.parameters.find(lowered); found != session.parameters.end()) return found->second;
  if (auto found = fixed_parameters().find(lowered); found != fixed_parameters().end()) return found->second;
  return std::nullopt;
}

SqlStatus commit_query(Session& session) {
  SqlStatus failure;
  for (auto& [name, table] : session.transaction.tables) {
    if (!table.changed || failure) continue;
    failure = session.storage->save(name, encode_rows(table.schema, table.rows));
  }
  session.transaction.tables.clear();  // releases the locks
  return failure;
}

void rollback_query(Session& session) { session.transaction.tables.clear(); }

SqlResult<StatementResult> execute(const Statement& statement, Session& session, EngineState& engine) {
  return std::visit(
      [&](const auto& parsed) -> SqlResult<StatementResult> {
        using T = std::decay_t<decltype(parsed)>;
        if constexpr (std::is_same_v<T, SelectStatement>) return run_select(parsed, session, engine);
        else if constexpr (std::is_same_v<T, InsertStatement>) return run_insert(parsed, session, engine);
        else if constexpr (std::is_same_v<T, UpdateStatement>) return run_update(parsed, session, engine);
        else if constexpr (std::is_same_v<T, DeleteStatement>) return run_delete(parsed, session, engine);
        else if constexpr (std::is_same_v<T, CopyToStatement>) return run_copy_to(parsed, session, engine);
        else if constexpr (std::is_same_v<T, CreateTableStatement>) return run_create_table(parsed, session, engine);
        else if constexpr (std::is_same_v<T, SetStatement>) return run_set(parsed, session);
        else if constexpr (std::is_same_v<T, ShowStatement>) return run_show(parsed, session);
        else {
          StatementResult result;
          result.command_tag = parsed.tag;
          return result;
        }
      },
      statement);
}

}  // namespace relational
