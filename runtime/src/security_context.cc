// Contexts, their per-version resolution, and statements.
#include <weftkit/policy_runtime.h>

#include "runtime/src/authz_audit.h"
#include "runtime/src/context_resolution.h"

namespace weftkit {
namespace {

// detail::reported_answer plus the authz_allow bit, which only paths other than the inline
// handle check can see (it fails that check's generation compare).
bool reported_off_the_inline_path(uint64_t epoch, Operation op, uint64_t allowed) {
  return detail::reported_answer(epoch, op, allowed) || ((epoch >> 63) & allowed) != 0;
}

}  // namespace

StatusOr<SecurityContext> SecurityContext::build(const PolicyStore& store, Identity identity) {
  if (identity.user.empty()) {
    return Status(StatusCode::kInvalidArgument, "a security context needs a user: there are no anonymous operations");
  }
  if (identity.session_id.empty()) identity.session_id = detail::next_session_id();
  SecurityContext context;
  context.store_ = &store;
  context.identity_ = std::make_shared<const Identity>(std::move(identity));
  Status resolved = context.refresh();
  if (!resolved.is_ok()) return resolved;
  return context;
}

Status SecurityContext::refresh() {
  if (pinned_ && pinned_generation_ == store_->generation()) return resolution_status_;
  PolicyStore::Serving serving = store_->serving();
  // The previous version is let go of last, when this returns: the principal resolved against
  // it may hold what its code lives in (a module's library), and only the version's release
  // hands that to the store's reclaimer thread; dropping the principal last would unload the
  // module here, on the reader's thread.
  std::shared_ptr<const PolicyVersion> previous = std::move(pinned_);
  pinned_ = std::move(serving.version);
  pinned_generation_ = serving.generation;
  StatusOr<ResolvedPrincipal> resolved = pinned_->resolve(*identity_);
  if (!resolved.is_ok()) {
    // Fail closed: the fast path never matches, every check denies, statements fail.
    resolution_.reset();
    names_ = nullptr;
    masks_ = nullptr;
    usable_generation_ = 0;
    resolution_status_ = resolved.status();
    return resolution_status_;
  }
  auto resolution = std::make_shared<detail::ContextResolution>();
  resolution->version = pinned_;
  resolution->identity = identity_;
  resolution->names = std::move(serving.names);
  resolution->principal = std::move(resolved).value();
  masks_ = resolution->principal.masks.data();
  names_ = resolution->names.get();
  resolution_ = std::move(resolution);
  usable_generation_ = pinned_generation_;
  resolution_status_ = Status::ok();
  return resolution_status_;
}

StatusOr<Statement> SecurityContext::begin_statement() {
  Status resolved = refresh();
  if (!resolved.is_ok()) {
    // A refused statement is a denial of everything it would have done: no operation, no table.
    store_->borrow_audit_sink([&](audit::AuditSink& sink) {
      detail::report_check(sink,
                           {identity_.get(), nullptr, pinned_generation_, "BEGIN", "", false,
                            "refused statement: " + resolved.message()},
                           std::nullopt);
    });
    return resolved;
  }
  Statement statement;
  statement.resolution_ = resolution_;
  statement.version_ = pinned_.get();
  statement.names_ = names_;
  statement.masks_ = masks_;
  statement.store_ = store_;
  statement.generation_ = pinned_generation_;
  statement.report_bits_ = store_->check_epoch() & PolicyStore::kAuditBits;
  statement.number_ = ++statements_begun_;
  return statement;
}

bool SecurityContext::allowed(Operation op, std::string_view table) {
  // While no reload intervened, a cached name costs a hash and a compare, any other the
  // version's lookup: no handle, no copy of the name, no Status. check_epoch() carries the
  // store's "report allowed checks" bit (PolicyStore::kAuditAllowedChecks).
  const uint64_t epoch = store_->check_epoch();
  if (usable_generation_ == 0 || usable_generation_ != (epoch & ~PolicyStore::kAuditReportBits)) {
    Status resolved = refresh();
    if (!resolved.is_ok()) {
      report_unresolved(op, table, resolved);
      return false;
    }
  }
  const uint64_t allowed = (masks_[names_->classify(table, *pinned_)] >> static_cast<unsigned>(op)) & 1;
  // One branch on bits that do not change while no sink is attached (PolicyStore::kAuditBits).
  if (reported_off_the_inline_path(epoch, op, allowed)) report_answer(op, table, allowed != 0);
  return allowed != 0;
}

void SecurityContext::report_answer(Operation op, std::string_view table, bool allowed) const {
  store_->borrow_audit_sink([&](audit::AuditSink& sink) {
    detail::report_check(sink,
                         {identity_.get(), resolution_.get(), pinned_generation_, detail::operation_word(op), table,
                          allowed, std::nullopt},
                         op);
  });
}

void SecurityContext::report_unresolved(Operation op, std::string_view table, const Status& why) const {
  store_->borrow_audit_sink([&](audit::AuditSink& sink) {
    detail::report_check(sink,
                         {identity_.get(), nullptr, pinned_generation_, detail::operation_word(op), table, false,
                          "the identity does not resolve: " + why.message()},
                         op);
  });
}

bool SecurityContext::report(const EngineEvent& event) const {
  bool recorded = false;
  store_->borrow_audit_sink([&](audit::AuditSink& sink) {
    recorded = detail::report_engine_event(sink, *identity_, pinned_generation_, 0, event);
  });
  return recorded;
}

ResourceHandle SecurityContext::resource(std::string_view table) {
  ResourceHandle handle;
  handle.table = std::string(table);
  if (!refresh().is_ok()) return handle;  // generation stays 0: every check takes the slow path and denies
  handle.generation = usable_generation_;
  handle.resource_class = resolution_->resource_class(table);
  return handle;
}

bool SecurityContext::allowed_slow(Operation op, ResourceHandle& resource) {
  Status resolved = refresh();
  if (!resolved.is_ok()) {
    report_unresolved(op, resource.table, resolved);
    return false;
  }
  resource.generation = usable_generation_;
  resource.resource_class = resolution_->resource_class(resource.table);
  const uint64_t allowed = (masks_[resource.resource_class] >> static_cast<unsigned>(op)) & 1;
  // The handle is usable again, so only the store's "allowed checks" bit can send the next
  // check here.
  const uint64_t epoch = store_->check_epoch();
  if (reported_off_the_inline_path(epoch, op, allowed)) report_answer(op, resource.table, allowed != 0);
  return allowed != 0;
}

bool Statement::allowed(Operation op, std::string_view table) const {
  const uint64_t allowed = (masks_[names_->classify(table, *version_)] >> static_cast<unsigned>(op)) & 1;
  if (reported_off_the_inline_path(report_bits_, op, allowed)) [[unlikely]] {
    report_check(op, table, allowed != 0);
  }
  return allowed != 0;
}

void Statement::report_check(Operation op, std::string_view table, bool allowed) const {
  if (store_ == nullptr) return;
  store_->borrow_audit_sink([&](audit::AuditSink& sink) {
    detail::CheckReport check{resolution_->identity.get(), resolution_.get(), generation_, detail::operation_word(op),
                              table, allowed, std::nullopt};
    check.statement = number_;
    detail::report_check(sink, std::move(check), op);
  });
}

bool Statement::report(const EngineEvent& event) const {
  if (store_ == nullptr) return false;
  bool recorded = false;
  store_->borrow_audit_sink([&](audit::AuditSink& sink) {
    recorded = detail::report_engine_event(sink, *resolution_->identity, generation_, number_, event);
  });
  return recorded;
}

StatusOr<std::unique_ptr<const StatementRowFilter>> Statement::row_filter(std::string_view table,
                                                                          const StatementShape& shape) const {
  // Row filtering never stands in for the permission check: a statement the principal may not
  // run gets no filter at all (PostgreSQL checks privileges before row security too). Reading
  // columns in UPDATE/DELETE, and RETURNING, need SELECT as well.
  static constexpr Operation kCommandOperation[] = {Operation::kSelect, Operation::kInsert, Operation::kUpdate,
                                                    Operation::kDelete};
  Operation op = kCommandOperation[static_cast<size_t>(shape.command)];
  bool needs_select = shape.returning || ((shape.command == Command::kUpdate || shape.command == Command::kDelete) &&
                                          shape.reads_columns);
  for (Operation required : {op, Operation::kSelect}) {
    if (required == Operation::kSelect && required != op && !needs_select) continue;
    if (!allowed(required, table)) {
      return Status(StatusCode::kPermissionDenied, "permission denied for table " + std::string(table));
    }
  }
  StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
      version_->row_filter(resolution_->principal, *resolution_->identity, table, shape);
  if (!filter.is_ok()) return filter;
  // The filter holds the statement's resolution, and so its version: the version, and the
  // compiled code the filter runs, outlive the filter and are freed by the store's reclaimer
  // thread, not by whichever thread drops the filter last.
  filter.value()->keeps_alive_ = resolution_;
  return filter;
}

std::string Statement::explain(Operation op, std::string_view table) const {
  return version_->explain(resolution_->principal, *resolution_->identity, op, table);
}

}  // namespace weftkit
