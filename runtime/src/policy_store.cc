// The serving policy version and its replacement (see policy_runtime.h, detail/rcu_cell.h).
#include "runtime/include/weftkit/policy_runtime.h"

namespace weftkit {

PolicyStore::PolicyStore(std::shared_ptr<const PolicyVersion> initial)
    : current_(initial), current_address_(initial.get()) {}

void PolicyStore::publish(std::shared_ptr<const PolicyVersion> next) {
  if (!next) return;
  const PolicyVersion* address = next.get();
  // The version first, then its address: whoever sees the new address finds the new version.
  current_.store(std::move(next));
  current_address_.store(address);
  generation_.fetch_add(1);
}

}  // namespace weftkit
