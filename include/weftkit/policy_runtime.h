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
#include <mutex>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include <weftkit/detail/reclaimer.h>
#include <weftkit/detail/rcu_cell.h>
#include <weftkit/policy_version.h>
#include <weftkit/status.h>

namespace weftkit {

namespace detail {
class ResourceNameCache;   // runtime/src/resource_name_cache.h
struct ContextResolution;  // runtime/src/context_resolution.h
}  // namespace detail

namespace detail {
// Operations whose allowed checks are events of their own: CREATE, ALTER and DROP are
// schema_change, COPY TO is data_export.
constexpr uint32_t kSchemaOperations = (uint32_t{1} << static_cast<unsigned>(Operation::kCreate)) |
                                       (uint32_t{1} << static_cast<unsigned>(Operation::kAlter)) |
                                       (uint32_t{1} << static_cast<unsigned>(Operation::kDrop));
constexpr uint32_t kExportOperations = uint32_t{1} << static_cast<unsigned>(Operation::kCopyTo);

// The store's audit bits that ask for a check's report, as one nibble: `check_epoch() >> 60`.
// (Bit 3, authz_allow, is tested by the callers that can see it: on the inline handle path it
// makes the generation compare fail, so it is never set there.)
constexpr uint64_t kWantsExport = 1, kWantsSchema = 2, kWantsDenials = 4;
// For each operation, the bits that ask for its allowed checks: schema_change for CREATE,
// ALTER and DROP, data_export for COPY TO, none for the others.
constexpr uint8_t kAllowedWants[16] = {0, 0, 0, 0, 0, 0, 0, kWantsExport, 0, kWantsSchema, kWantsSchema, kWantsSchema,
                                       0, 0, 0, 0};
static_assert(kAllowedWants[static_cast<unsigned>(Operation::kCopyTo)] == kWantsExport);
static_assert(kAllowedWants[static_cast<unsigned>(Operation::kCreate)] == kWantsSchema);
static_assert(kAllowedWants[static_cast<unsigned>(Operation::kAlter)] == kWantsSchema);
static_assert(kAllowedWants[static_cast<unsigned>(Operation::kDrop)] == kWantsSchema);

// Whether a check's answer (`allowed`: 0 or 1) is reported, from the audit bits of `epoch`
// (PolicyStore::check_epoch): a denial while a sink wants authz_deny; an allowed CREATE, ALTER
// or DROP while it wants schema_change, an allowed COPY TO while it wants data_export. For an
// operation chosen at run time: one table load and a conditional move, and the caller's branch
// on the result. For a constant operation without an event of its own, only the denial is
// tested, as before these events existed.
inline bool reported_answer(uint64_t epoch, Operation op, uint64_t allowed) {
  const unsigned index = static_cast<unsigned>(op) & 15;
  const uint64_t wants = epoch >> 60;
  if (__builtin_constant_p(index) && kAllowedWants[index] == 0) return ((wants >> 2) & ~allowed & 1) != 0;
  return (wants & (allowed ? uint64_t{kAllowedWants[index]} : kWantsDenials)) != 0;
}
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
  uint64_t generation() const { return generation_.load(std::memory_order_acquire) & ~kAuditBits; }

  // `next` must not be null; a failed compile never gets here, so the old version keeps serving.
  // Before it returns, it frees the replaced versions no reader holds any more.
  void publish(std::shared_ptr<const PolicyVersion> next);

  // Replaced versions freed so far (by publishes or the reclaimer thread), and a wait for those let go
  // before the call (tests, orderly shutdown); false if `timeout` passed first.
  uint64_t reclaimed_versions() const { return reclaimer_->reclaimed(); }
  bool wait_until_reclaimed(std::chrono::milliseconds timeout) const { return reclaimer_->wait_until_idle(timeout); }

  // Where denied checks (authz_deny), allowed checks (authz_allow, when the sink wants them),
  // allowed CREATE, ALTER and DROP checks (schema_change) and COPY TO checks (data_export),
  // engines' own events (SecurityContext::report) and reloads publishing to this store
  // (policy_reload) are reported; nullptr detaches. Thread-safe: checks on other threads see
  // the new sink from their next check on, and never lock to find it. The sink's wants() of
  // the check kinds is asked here, once: a sink that changes its mind is attached again. The previous sink is let go of here, after any check still
  // reporting to it has returned (checks borrow the sink, they do not share its ownership).
  void set_audit_sink(std::shared_ptr<audit::AuditSink> sink);
  // The attached sink, or null. Without one, a single load answers (no pin of the cell), so
  // a denied check without a sink stays about as cheap as an allowed one.
  std::shared_ptr<audit::AuditSink> audit_sink() const {
    if (!audit_attached_.load(std::memory_order_acquire)) return nullptr;
    return audit_.load()->sink;
  }

 private:
  friend class SecurityContext;
  friend class Statement;

  // Why allowed checks cost nothing while nobody records them: the inline check compares the
  // context's generation with generation_, one load it makes anyway. While an attached sink
  // wants authz_allow, this bit is set in generation_, so that comparison fails for every
  // context and each check takes the out-of-line path, which reports what it allows. Without
  // it, the inline path would need a second load (a flag) on every check, records or not.
  // generation() masks it; generations never come near it.
  static constexpr uint64_t kAuditAllowedChecks = uint64_t{1} << 63;
  // Set while an attached sink wants authz_deny. The inline check masks it off before its
  // compare and tests it together with the mask bit, in the same load: without it, a denial
  // would be a branch on the answer itself, which a mixed stream of checks mispredicts (it made
  // runtime_latency's handle path 4x slower); with it, the branch is on a bit that does not
  // change while no sink is attached, and the code before the report is the old one.
  static constexpr uint64_t kAuditDeniedChecks = uint64_t{1} << 62;
  // Set while an attached sink wants schema_change (allowed CREATE, ALTER and DROP checks are
  // recorded as such) and data_export (allowed COPY TO checks). Tested like the denial bit, in
  // the same load, but only by checks of those operations: for an operation known at compile
  // time (the usual call) the test is folded away for every other one, so an allowed SELECT
  // costs what it did.
  static constexpr uint64_t kAuditSchemaChecks = uint64_t{1} << 61;
  static constexpr uint64_t kAuditExportChecks = uint64_t{1} << 60;
  // The bits that ask for a report without sending checks down the slow path.
  static constexpr uint64_t kAuditReportBits = kAuditDeniedChecks | kAuditSchemaChecks | kAuditExportChecks;
  static constexpr uint64_t kAuditBits = kAuditAllowedChecks | kAuditReportBits;
  // Calls `use(sink)` with the attached sink, if any, without touching its reference count: the
  // sink is borrowed through audit_'s reader announcement (RcuCell::borrow), which keeps the
  // attachment, and so the sink, alive until `use` returns. A concurrent set_audit_sink waits
  // for that before it lets the old attachment go, so a detached sink is never freed under a
  // reporter; and a sink's record() must never attach or detach on this store (it would wait
  // for itself).
  template <class Use>
  void borrow_audit_sink(Use&& use) const {
    if (!audit_attached_.load(std::memory_order_acquire)) return;
    audit_.borrow([&](const AuditAttachment* attachment) {
      if (attachment != nullptr && attachment->sink) use(*attachment->sink);
    });
  }

  // generation_ as the checks compare it: the generation and the two bits above.
  uint64_t check_epoch() const { return generation_.load(std::memory_order_acquire); }

  struct AuditAttachment {
    std::shared_ptr<audit::AuditSink> sink;
  };

  std::shared_ptr<detail::Reclaimer> reclaimer_;  // before current_: it outlives what it frees
  detail::RcuCell<Serving> current_;
  std::atomic<uint64_t> generation_{1};
  detail::RcuCell<AuditAttachment> audit_{std::make_shared<const AuditAttachment>()};
  std::atomic<bool> audit_attached_{false};  // whether audit_ holds a sink
  // Serialises the writers of generation_ (publish, set_audit_sink), so that neither loses
  // the other's part of it. Readers never take it.
  std::mutex generation_writers_;
};

// What one reload triggered by a watcher (PolicyWatcher, PolicyModuleWatcher) did.
struct ReloadEvent {
  Status status;            // OK: published; otherwise why nothing changed (diagnostics)
  uint64_t generation = 0;  // the store's generation after it
};

class SecurityContext;

// An event only the engine knows of, recorded through a context or statement so that it
// carries the connection's identity, tenant, source address, session (and statement) id and
// policy generation: a DDL statement it executed (schema_change, operation "CREATE TABLE"),
// rows it sent out (data_export, operation "COPY TO" or "EXPORT", reason "1204 rows").
struct EngineEvent {
  audit::EventKind kind = audit::EventKind::kSchemaChange;
  std::string_view operation;
  std::string_view resource;
  std::string_view result = "success";  // "success", "failure", ...
  std::string_view reason;              // empty: none
};

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
  // Records `event` with this statement's id (1, 2, ... in its context's order) if the store's
  // sink wants its kind; false if nothing recorded it (no sink, or a kind it does not want).
  bool report(const EngineEvent& event) const;
  // This statement's number in its context: the audit log's statement_id.
  uint64_t number() const { return number_; }

 private:
  friend class SecurityContext;
  // Out of line and cold, so that the checks' own code stays as short as without a sink.
  [[gnu::cold, gnu::noinline]] void report_check(Operation op, std::string_view table, bool allowed) const;

  std::shared_ptr<const detail::ContextResolution> resolution_;
  // resolution_'s parts, so that a check by name waits for no chain of loads.
  const PolicyVersion* version_ = nullptr;
  const detail::ResourceNameCache* names_ = nullptr;
  const uint64_t* masks_ = nullptr;
  const PolicyStore* store_ = nullptr;  // where its checks are reported
  uint64_t generation_ = 0;             // of version_
  // Which answers are reported: the store's audit bits (PolicyStore::kAuditBits) when the
  // statement began. A statement reports as of its start, as it checks with the version of
  // its start; no answer is a branch while they are 0.
  uint64_t report_bits_ = 0;
  uint64_t number_ = 0;
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
  // Records `event` (see EngineEvent) without a statement id; false if nothing recorded it.
  bool report(const EngineEvent& event) const;
  // The fast path: a load, two compares, a shift and an AND while no reload intervened.
  bool allowed(Operation op, ResourceHandle& resource) {
    // check_epoch() carries the store's "report allowed checks" bit, so while a sink wants
    // authz_allow this never matches and the slow path reports; see PolicyStore.
    const uint64_t epoch = store_->check_epoch();
    if (resource.generation == usable_generation_ && usable_generation_ == (epoch & ~PolicyStore::kAuditReportBits)) {
      const uint64_t allowed = (masks_[resource.resource_class] >> static_cast<unsigned>(op)) & 1;
      // Denied and a sink wants denials, tested as one bit (see PolicyStore::kAuditDeniedChecks);
      // allowed DDL or COPY TO and a sink wants it, folded away for other operations.
      if (detail::reported_answer(epoch, op, allowed)) report_answer(op, resource.table, allowed != 0);
      return allowed != 0;
    }
    return allowed_slow(op, resource);
  }

 private:
  SecurityContext() = default;
  Status refresh();  // re-resolve if the store serves another version
  bool allowed_slow(Operation op, ResourceHandle& resource);
  // Out of line and cold: the inline check gains a call, taken only for an answer a sink
  // wants reported (detail::reported_answer).
  [[gnu::cold, gnu::noinline]] void report_answer(Operation op, std::string_view table, bool allowed) const;
  // A denial because the identity does not resolve against the serving version.
  [[gnu::cold, gnu::noinline]] void report_unresolved(Operation op, std::string_view table, const Status& why) const;

  const PolicyStore* store_ = nullptr;
  std::shared_ptr<const Identity> identity_;
  std::shared_ptr<const PolicyVersion> pinned_;
  uint64_t pinned_generation_ = 0;  // of pinned_; 0 before the first resolution
  uint64_t usable_generation_ = 0;  // pinned_generation_ when the identity resolved, else 0
  std::shared_ptr<const detail::ContextResolution> resolution_;  // null while it does not resolve
  const detail::ResourceNameCache* names_ = nullptr;              // resolution_'s
  const uint64_t* masks_ = nullptr;                               // resolution_'s
  Status resolution_status_;  // why the identity does not resolve against pinned_, if it does not
  uint64_t statements_begun_ = 0;
};

}  // namespace weftkit
