// A context's identity resolved against one policy version: what its checks and statements
// read, shared by the context and every statement begun from it (one reference count per
// statement instead of one per part), and made anew whenever a reload publishes a version.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/src/resource_name_cache.h"
#include <weftkit/policy_version.h>

namespace weftkit::detail {

class CheckAuditMemo;

struct ContextResolution {
  // Declared first, so destroyed last: the principal's detail may live in the version's code
  // (a module's library), and only the version's release hands that to the store's reclaimer.
  std::shared_ptr<const PolicyVersion> version;
  std::shared_ptr<const Identity> identity;
  ResolvedPrincipal principal;
  std::shared_ptr<const ResourceNameCache> names;  // the version's, shared by every context serving it

  uint32_t resource_class(std::string_view table) const { return names->classify(table, *version); }

  // What this resolution's reported checks share, made by the first report (check_audit_memo.h).
  const CheckAuditMemo& audit_memo() const;

  ContextResolution() = default;
  ContextResolution(const ContextResolution&) = delete;
  ContextResolution& operator=(const ContextResolution&) = delete;
  ~ContextResolution();

 private:
  mutable std::atomic<const CheckAuditMemo*> audit_memo_{nullptr};
};

}  // namespace weftkit::detail
