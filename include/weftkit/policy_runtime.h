// The runtime engines embed: a PolicyStore serving the current policy version (replaced
// atomically on reload, never blocking a reader), a SecurityContext per connection, and
// Statements that pin one version from start to end.
//
//   weftkit::PolicyStore store(initial_version);
//   auto context = weftkit::SecurityContext::build(store, {.user = "alice", .tenant = "42"});
//   weftkit::Statement statement = context.value().begin_statement();
//   if (!statement.allowed(weftkit::Operation::kSelect, "orders")) ...deny...
//   auto filter = statement.row_filter("orders", {weftkit::Command::kSelect});
//   filter.value()->filter_batch(schema, batch, nullptr);
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <weftkit/detail/reclaimer.h>
#include <weftkit/detail/rcu_cell.h>
#include <weftkit/policy_version.h>
#include <weftkit/status.h>

namespace weftkit {

namespace detail {
class ResourceNameCache;   // runtime/src/resource_name_cache.h
struct ContextResolution;  // runtime/src/context_resolution.h
}  // namespace detail

// Holds the serving version. publish() swaps it in with one atomic exchange; a reader that
// already pinned the previous version keeps it until it lets go, and then the next publish
// or, if none comes first, the store's reclaimer thread within 50 ms frees it
// (detail/reclaimer.h), never the reader. Thread-safe. Readers
// never lock and never wait: pinning the serving version is two atomic counter updates around
// a shared_ptr copy (detail/rcu_cell.h); publishers wait for readers that are in the middle
// of such a copy, never the other way round. Destroying the store waits until every version
// no longer in use is freed; versions still pinned elsewhere are freed when let go.
class PolicyStore {
 public:
  explicit PolicyStore(std::shared_ptr<const PolicyVersion> initial);
  PolicyStore(const PolicyStore&) = delete;
  PolicyStore& operator=(const PolicyStore&) = delete;

  // The serving version and its generation (1 for the first, one more per publish), read
  // together: a generation names one version for the store's whole life, unlike an address,
  // which a later version may reuse once an earlier one is freed.
  struct Serving {
    std::shared_ptr<const PolicyVersion> version;
    uint64_t generation = 0;
    // The classes of table names checked against this version, shared by every context
    // serving it: a warm check by name is one hash and one compare (names up to 32 bytes).
    std::shared_ptr<const detail::ResourceNameCache> names;
  };
  Serving serving() const { return *current_.load(); }
  std::shared_ptr<const PolicyVersion> current() const { return current_.load()->version; }
  // A cheap "has it changed?": the generation of the newest published version. It is set just
  // after the version is published, so it may briefly lag serving(), never lead it.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // `next` must not be null; a failed compile never gets here, so the old version keeps serving.
  // Before it returns, it frees the replaced versions no reader holds any more.
  void publish(std::shared_ptr<const PolicyVersion> next);

  // Replaced versions freed so far (by publishes or the reclaimer thread), and a wait for those let go
  // before the call (tests, orderly shutdown); false if `timeout` passed first.
  uint64_t reclaimed_versions() const { return reclaimer_->reclaimed(); }
  bool wait_until_reclaimed(std::chrono::milliseconds timeout) const { return reclaimer_->wait_until_idle(timeout); }

 private:
  std::shared_ptr<detail::Reclaimer> reclaimer_;  // before current_: it outlives what it frees
  detail::RcuCell<Serving> current_;
  std::atomic<uint64_t> generation_{1};
};

// What one reload triggered by a watcher (PolicyWatcher, PolicyModuleWatcher) did.
struct ReloadEvent {
  Status status;            // OK: published; otherwise why nothing changed (diagnostics)
  uint64_t generation = 0;  // the store's generation after it
};

class SecurityContext;

// One statement's view: the version serving when it began and the principal resolved against
// it. Checks and row filters of a statement never mix versions. Cheap to copy (one shared
// reference); copies may be used on other threads.
class Statement {
 public:
  const PolicyVersion& version() const { return *version_; }
  // Warm checks by name cost a hash and a compare (Serving::names).
  bool allowed(Operation op, std::string_view table) const;
  // The filter keeps the statement's version (and its code) alive as long as it lives.
  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(std::string_view table,
                                                                 const StatementShape& shape) const;
  std::string explain(Operation op, std::string_view table) const;

 private:
  friend class SecurityContext;
  std::shared_ptr<const detail::ContextResolution> resolution_;
  // resolution_'s parts, so that a check by name waits for no chain of loads.
  const PolicyVersion* version_ = nullptr;
  const detail::ResourceNameCache* names_ = nullptr;
  const uint64_t* masks_ = nullptr;
};

// A resource named once and checked many times: its class in one version (by generation; 0
// means not resolved).
struct ResourceHandle {
  std::string table;
  uint64_t generation = 0;
  uint32_t resource_class = 0;
};

// A connection's identity and its resolution against the serving version, redone when a
// reload publishes a new one. Like a connection, used by one thread at a time.
class SecurityContext {
 public:
  // Fails for an empty user (no anonymous contexts) and for requested roles the serving
  // version does not define.
  static StatusOr<SecurityContext> build(const PolicyStore& store, Identity identity);

  const Identity& identity() const { return *identity_; }

  // Pins the serving version for one statement. Fails (deny everything) when the identity no
  // longer resolves against it, e.g. a requested role was removed by a reload.
  StatusOr<Statement> begin_statement();

  // Single checks outside a statement, against the serving version. False whenever the
  // context cannot be resolved: deny by default. A name any context checked before under
  // the same version costs one hash and one compare (Serving::names).
  bool allowed(Operation op, std::string_view table);
  ResourceHandle resource(std::string_view table);
  // The fast path: a load, two compares, a shift and an AND while no reload intervened.
  bool allowed(Operation op, ResourceHandle& resource) {
    if (resource.generation == usable_generation_ && usable_generation_ == store_->generation()) {
      return (masks_[resource.resource_class] >> static_cast<unsigned>(op)) & 1;
    }
    return allowed_slow(op, resource);
  }

 private:
  SecurityContext() = default;
  Status refresh();  // re-resolve if the store serves another version
  bool allowed_slow(Operation op, ResourceHandle& resource);

  const PolicyStore* store_ = nullptr;
  std::shared_ptr<const Identity> identity_;
  std::shared_ptr<const PolicyVersion> pinned_;
  uint64_t pinned_generation_ = 0;  // of pinned_; 0 before the first resolution
  uint64_t usable_generation_ = 0;  // pinned_generation_ when the identity resolved, else 0
  std::shared_ptr<const detail::ContextResolution> resolution_;  // null while it does not resolve
  const detail::ResourceNameCache* names_ = nullptr;              // resolution_'s
  const uint64_t* masks_ = nullptr;                               // resolution_'s
  Status resolution_status_;  // why the identity does not resolve against pinned_, if it does not
};

}  // namespace weftkit
