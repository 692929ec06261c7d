// The statements the example engine runs, each through the runtime as an engine must: pin one
// policy version with begin_statement(), open the statement's row filter (which checks the
// permission first: a statement the principal may not run gets no filter), then run the rows
// through it. Errors carry PostgreSQL's message ("permission denied for table orders", "new row
// violates row-level security policy for table "orders"").
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "examples/embed/cell.h"
#include "examples/embed/table.h"
#include <weftkit/policy_runtime.h>

namespace weftkit::embed {

// SELECT * FROM table: the indices of the rows the principal may see, through filter_batch
// over the whole table as one Arrow batch.
StatusOr<std::vector<int64_t>> select_all(SecurityContext& context, const Table& table);

// INSERT INTO table VALUES (row): the new row is checked with check() before it is stored.
Status insert_row(SecurityContext& context, Table& table, const std::vector<Cell>& row);

// UPDATE table SET column = value WHERE where(row): each matching row the principal may update
// is checked with its new values; one violation fails the statement and changes nothing.
// Returns the number of rows updated.
StatusOr<int64_t> update_rows(SecurityContext& context, Table& table,
                              const std::function<bool(const std::vector<Cell>&)>& where, size_t column,
                              const Cell& value);

}  // namespace weftkit::embed
