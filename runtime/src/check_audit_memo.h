// What the reported checks of one resolution share, so that a denial copies pointers instead
// of building text: the identity's fields as the log holds them (built once), and the
// decided_by position of each (resource class, operation) pair (asked of the version once).
// Made on the first report, never for a resolution nobody audits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <weftkit/audit/check_event.h>
#include <weftkit/policy_version.h>

namespace weftkit::detail {

std::shared_ptr<const audit::CheckSubject> make_check_subject(const Identity& identity);

class CheckAuditMemo {
 public:
  CheckAuditMemo(const Identity& identity, std::size_t class_count);
  ~CheckAuditMemo();
  CheckAuditMemo(const CheckAuditMemo&) = delete;
  CheckAuditMemo& operator=(const CheckAuditMemo&) = delete;

  const std::shared_ptr<const audit::CheckSubject>& subject() const { return subject_; }

  // The rule that denied `op` on `table` (null: denied by default), from the version on the
  // first denial of its (class, operation) and from memory after. Sound because a role's
  // decision is constant over a resource class: classes partition names by the scope patterns
  // that match them, so the same rules, in the same order, apply to every name of a class.
  // Thread-safe: statements share their context's resolution across threads.
  std::shared_ptr<const std::string> decided_by(const PolicyVersion& version, const ResolvedPrincipal& principal,
                                                uint32_t resource_class, Operation op, std::string_view table) const;

 private:
  static constexpr std::size_t kOperations = 16;  // Operation's values
  struct Decided {
    std::shared_ptr<const std::string> position;
  };

  std::shared_ptr<const audit::CheckSubject> subject_;
  std::size_t class_count_;
  // class * kOperations + op; null until that pair's first denial. Published with a
  // compare-and-swap, so two threads denying the same pair at once keep one answer.
  std::unique_ptr<std::atomic<const Decided*>[]> decided_;
};

}  // namespace weftkit::detail
