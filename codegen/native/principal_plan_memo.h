// The bound plans one resolved principal's statements have found, by table and statement
// shape. Which policies apply, and so the statement's plan and its key, depend on nothing but
// the principal, the table and the shape, and its parameters on nothing but the principal's
// session; so the second statement of a kind neither plans, nor prints the plan's key, nor
// evaluates a parameter (bench/README.md, runtime_latency and runtime_row_latency). A
// principal is resolved against one version and dies with it, so what it remembers is never
// stale. Only compiled plans are remembered: a statement the interpreter answered is planned
// again next time, and finds its code once the background compiler has made it. No LLVM here.
//
// Statements of one principal may run on several threads. Lookups take no lock: entries are
// immutable once published and never removed while the memo lives; the table of pointers to
// them is replaced, never changed in place, when it fills, and the tables it replaced are kept
// until the memo dies (a principal runs a few kinds of statement, so they are small).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "codegen/native/compiled_row_filter.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::native {

class PrincipalPlanMemo {
 public:
  PrincipalPlanMemo() = default;
  PrincipalPlanMemo(const PrincipalPlanMemo&) = delete;
  PrincipalPlanMemo& operator=(const PrincipalPlanMemo&) = delete;

  // `table` indexes the program's tables.
  std::shared_ptr<const BoundPlan> find(size_t table, const StatementShape& shape) const {
    const Table* current = table_.load(std::memory_order_acquire);
    if (current == nullptr) return nullptr;
    const size_t key = key_of(table, shape);
    for (size_t index = spread(key) & current->mask;; index = (index + 1) & current->mask) {
      const Entry* entry = current->slots[index].load(std::memory_order_acquire);
      if (entry == nullptr) return nullptr;
      if (entry->key == key) return entry->plan;
    }
  }

  // The first plan remembered for a kind stays: both were bound from the same session.
  void remember(size_t table, const StatementShape& shape, std::shared_ptr<const BoundPlan> plan) {
    std::lock_guard<std::mutex> lock(writer_);
    const size_t key = key_of(table, shape);
    if (find(table, shape)) return;
    entries_.push_back(std::make_unique<const Entry>(Entry{key, std::move(plan)}));
    const Table* current = table_.load(std::memory_order_relaxed);
    if (current == nullptr || entries_.size() * 2 > current->mask + 1) {
      // Fill a bigger table with every entry, then publish it whole.
      size_t capacity = 8;
      while (capacity < entries_.size() * 4) capacity *= 2;
      auto bigger = std::make_unique<Table>(capacity);
      for (const std::unique_ptr<const Entry>& entry : entries_) place(*bigger, entry.get(), std::memory_order_relaxed);
      table_.store(bigger.get(), std::memory_order_release);
      tables_.push_back(std::move(bigger));
      return;
    }
    place(*tables_.back(), entries_.back().get(), std::memory_order_release);  // the current table
  }

 private:
  struct Entry {
    size_t key;
    std::shared_ptr<const BoundPlan> plan;
  };
  struct Table {
    explicit Table(size_t capacity) : mask(capacity - 1), slots(new std::atomic<const Entry*>[capacity]) {
      for (size_t index = 0; index < capacity; ++index) slots[index].store(nullptr, std::memory_order_relaxed);
    }
    size_t mask;
    std::unique_ptr<std::atomic<const Entry*>[]> slots;
  };

  static size_t key_of(size_t table, const StatementShape& shape) {
    size_t shape_bits = static_cast<size_t>(shape.command) * 4 + (shape.reads_columns ? 2 : 0) + (shape.returning ? 1 : 0);
    return table * 16 + shape_bits;
  }
  static size_t spread(size_t key) { return (key * 0x9E3779B97F4A7C15ull) >> 32; }

  static void place(Table& table, const Entry* entry, std::memory_order order) {
    size_t index = spread(entry->key) & table.mask;
    while (table.slots[index].load(std::memory_order_relaxed) != nullptr) index = (index + 1) & table.mask;
    table.slots[index].store(entry, order);
  }

  std::atomic<const Table*> table_{nullptr};
  std::mutex writer_;                                // serialises remember()
  std::vector<std::unique_ptr<const Entry>> entries_;  // every entry, owned here
  std::vector<std::unique_ptr<Table>> tables_;        // every table published, the current one last
};

}  // namespace weftkit::policy::native
