// Compiled plans by their plan_key(): a copy-on-write map in an RcuCell, so that lookups take
// no lock and a miss is filled outside any lock (two threads missing together both fill; the
// first insert stays). Used by in-process versions (JIT compiles on a miss) and by
// ahead-of-time modules (a miss wraps the precompiled functions once). No LLVM here.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "codegen/native/compiled_plan.h"
#include <weftkit/detail/rcu_cell.h>

namespace weftkit::policy::native {

class PlanCache {
 public:
  size_t size() const { return map_.load()->size(); }

  std::shared_ptr<const CompiledPlan> find(const std::string& key) const {
    std::shared_ptr<const Map> map = map_.load();
    auto found = map->find(key);
    return found == map->end() ? nullptr : found->second;
  }

  // Adds every plan of `plans` whose key is not cached yet, in one copy of the map.
  void insert_all(const std::map<std::string, std::shared_ptr<const CompiledPlan>>& plans) {
    map_.update([&](const std::shared_ptr<const Map>& current) {
      auto next = std::make_shared<Map>(*current);
      for (const auto& [key, plan] : plans) next->emplace(key, plan);
      return std::shared_ptr<const Map>(std::move(next));
    });
  }

  // The cached plan for `key`: the one already there, else `plan`, inserted.
  std::shared_ptr<const CompiledPlan> insert(const std::string& key, std::shared_ptr<const CompiledPlan> plan) {
    std::shared_ptr<const CompiledPlan> kept;
    map_.update([&](const std::shared_ptr<const Map>& current) {
      auto found = current->find(key);
      if (found != current->end()) {
        kept = found->second;
        return current;
      }
      kept = plan;
      auto next = std::make_shared<Map>(*current);
      next->emplace(key, plan);
      return std::shared_ptr<const Map>(std::move(next));
    });
    return kept;
  }

 private:
  using Map = std::map<std::string, std::shared_ptr<const CompiledPlan>>;
  weftkit::detail::RcuCell<Map> map_{std::make_shared<const Map>()};
};

}  // namespace weftkit::policy::native
