// The serving policy version and its replacement.
//
// On std::atomic<std::shared_ptr>: libstdc++ guards the control block with a lock bit held
// for the few instructions of a load or store, never across a compile; readers pay it only
// when they (re)pin a version — the per-check path compares current_address() instead.
#include "runtime/include/weftkit/policy_runtime.h"

namespace weftkit {

PolicyStore::PolicyStore(std::shared_ptr<const PolicyVersion> initial) {
  current_address_.store(initial.get(), std::memory_order_release);
  current_.store(std::move(initial), std::memory_order_release);
}

void PolicyStore::publish(std::shared_ptr<const PolicyVersion> next) {
  if (!next) return;
  const PolicyVersion* address = next.get();
  // The version first, then its address: whoever sees the new address finds the new version.
  current_.store(std::move(next), std::memory_order_release);
  current_address_.store(address, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace weftkit
