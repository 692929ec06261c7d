// The reference row filter: runs a statement's plan (compiler/ir/statement_plan.h) over rows,
// as PostgreSQL 15 executes it — plan-time errors first, then constant and once-per-statement
// checks, then per-row checks in order — and says for each row: pass, filtered, violation or
// error (with PostgreSQL's message).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codegen/interp/session.h"
#include "compiler/ir/statement_plan.h"
#include "compiler/values/value.h"

namespace weftkit::policy::interp {

enum class RowResult { kPass, kFiltered, kViolation, kError };

const char* row_result_name(RowResult result);

struct RowOutcome {
  RowResult result = RowResult::kPass;
  std::string message;  // kViolation and kError
};

class RowFilter {
 public:
  RowFilter(const TableDefinition& table, StatementPlan plan, SessionValues session);

  // SELECT and DELETE: the row as stored. INSERT: the new row. UPDATE: old and new rows.
  RowOutcome check(const std::vector<Value>& row, const std::vector<Value>* new_row = nullptr);

 private:
  // A conjunct of the row filters: one expression, or the OR of several policies'.
  struct Conjunct {
    std::vector<const Expr*> any_of;
  };
  struct NewRowCheck {
    std::vector<Conjunct> conjuncts;
    std::string violation;
  };

  void prepare();
  bool conjunct_passes(const Conjunct& conjunct, const std::vector<Value>& row);

  const TableDefinition& table_;
  StatementPlan plan_;
  SessionValues session_;
  std::optional<RowOutcome> statement_outcome_;  // decided once for every row
  std::vector<Conjunct> per_row_filters_;
  std::vector<NewRowCheck> new_row_checks_;
};

}  // namespace weftkit::policy::interp
