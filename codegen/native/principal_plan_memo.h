// The compiled plans one resolved principal's statements have found, by table and statement
// shape. Which policies apply, and so the statement's plan and its key, depend on nothing but
// the principal, the table and the shape (session settings only feed the plan's parameters,
// evaluated per statement), so the second statement of a kind skips planning and printing the
// key: about 40 % of opening a row filter (bench/README.md, runtime_latency). A principal is
// resolved against one version and dies with it, so what it remembers is never stale. Only
// compiled plans are remembered: a statement the interpreter answered is planned again next
// time, and finds its code once the background compiler has made it. No LLVM here.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "codegen/native/compiled_plan.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::native {

class PrincipalPlanMemo {
 public:
  // `table` indexes the program's tables.
  std::shared_ptr<const CompiledPlan> find(size_t table, const StatementShape& shape) const {
    std::lock_guard<std::mutex> lock(mutex_);  // uncontended: a principal serves one connection
    auto found = plans_.find(slot_of(table, shape));
    return found != plans_.end() ? found->second : nullptr;
  }

  void remember(size_t table, const StatementShape& shape, std::shared_ptr<const CompiledPlan> plan) {
    std::lock_guard<std::mutex> lock(mutex_);
    plans_[slot_of(table, shape)] = std::move(plan);
  }

 private:
  static size_t slot_of(size_t table, const StatementShape& shape) {
    size_t shape_bits = static_cast<size_t>(shape.command) * 4 + (shape.reads_columns ? 2 : 0) + (shape.returning ? 1 : 0);
    return table * 16 + shape_bits;
  }

  mutable std::mutex mutex_;
  // Only the kinds this principal ran: a connection uses a few of a program's many tables.
  std::unordered_map<size_t, std::shared_ptr<const CompiledPlan>> plans_;
};

}  // namespace weftkit::policy::native
