// A resolution's shared audit parts (check_audit_memo.h).
#include "runtime/src/check_audit_memo.h"

#include "runtime/src/authz_audit.h"
#include "runtime/src/context_resolution.h"

namespace weftkit::detail {

std::shared_ptr<const audit::CheckSubject> make_check_subject(const Identity& identity) {
  auto subject = std::make_shared<audit::CheckSubject>();
  subject->identity = identity.user;
  subject->tenant = identity.tenant.value_or("");
  subject->source_ip = identity.source_address;
  subject->auth_method = std::string(auth_method_word(identity.auth_method));
  subject->session_id = identity.session_id;
  return subject;
}

CheckAuditMemo::CheckAuditMemo(const Identity& identity, std::size_t class_count)
    : subject_(make_check_subject(identity)),
      class_count_(class_count),
      decided_(new std::atomic<const Decided*>[class_count * kOperations]) {
  for (std::size_t i = 0; i < class_count * kOperations; ++i) decided_[i].store(nullptr, std::memory_order_relaxed);
}

CheckAuditMemo::~CheckAuditMemo() {
  for (std::size_t i = 0; i < class_count_ * kOperations; ++i) delete decided_[i].load(std::memory_order_relaxed);
}

std::shared_ptr<const std::string> CheckAuditMemo::decided_by(const PolicyVersion& version,
                                                               const ResolvedPrincipal& principal,
                                                               uint32_t resource_class, Operation op,
                                                               std::string_view table) const {
  const std::size_t index = static_cast<std::size_t>(resource_class) * kOperations + static_cast<std::size_t>(op);
  if (resource_class >= class_count_ || static_cast<std::size_t>(op) >= kOperations) {
    // Out of the table (a version whose classes and masks disagree): ask every time.
    std::optional<std::string> position = version.denied_by(principal, op, table);
    return position ? std::make_shared<const std::string>(std::move(*position)) : nullptr;
  }
  if (const Decided* known = decided_[index].load(std::memory_order_acquire)) return known->position;
  auto made = std::make_unique<Decided>();
  if (std::optional<std::string> position = version.denied_by(principal, op, table)) {
    made->position = std::make_shared<const std::string>(std::move(*position));
  }
  const Decided* expected = nullptr;
  if (decided_[index].compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel,
                                              std::memory_order_acquire)) {
    return made.release()->position;
  }
  return expected->position;  // another thread's, the same answer
}

}  // namespace weftkit::detail

// ContextResolution's memo (context_resolution.h) lives here, with the memo's definition.
namespace weftkit::detail {

const CheckAuditMemo& ContextResolution::audit_memo() const {
  if (const CheckAuditMemo* memo = audit_memo_.load(std::memory_order_acquire)) return *memo;
  auto made = std::make_unique<const CheckAuditMemo>(*identity, principal.masks.size());
  const CheckAuditMemo* expected = nullptr;
  if (audit_memo_.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel, std::memory_order_acquire)) {
    return *made.release();
  }
  return *expected;  // another thread's, made from the same identity
}

ContextResolution::~ContextResolution() { delete audit_memo_.load(std::memory_order_relaxed); }

}  // namespace weftkit::detail
