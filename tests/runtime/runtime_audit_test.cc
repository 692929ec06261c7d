// The runtime reports to the store's audit sink: denied checks (every overload, the inline
// handle path included), refused statements, allowed checks only while the sink wants them,
// and the compiler's reloads, accepted and rejected.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>
#include "tests/runtime/policy_files.h"
#include "tests/runtime/recording_sink.h"

namespace weftkit {
namespace {

using audit::EventKind;
using testing::RecordingSink;

// clerk may SELECT and INSERT orders but is explicitly denied DELETE (the DELETE of line 6, column 12);
// UPDATE is denied by default.
const std::string kRoles =
    "roles:\n"
    "  - name: clerk\n"
    "    allow: [SELECT, INSERT]\n"
    "    on: [orders]\n"
    "  - name: no_delete\n"
    "    deny: [DELETE]\n"
    "    on: [orders]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [clerk, no_delete]\n";

const std::string kPolicies = "CREATE TABLE orders (id integer, owner text);\n";

class RuntimeAudit : public ::testing::Test {
 protected:
  RuntimeAudit() : files_(kRoles, kPolicies) {
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    EXPECT_TRUE(compiler.is_ok()) << compiler.status().message();
    compiler_ = std::make_unique<PolicyCompiler>(std::move(compiler).value());
    StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler_->compile(files_.paths());
    EXPECT_TRUE(version.is_ok()) << version.status().message();
    store_ = std::make_unique<PolicyStore>(std::move(version).value());
  }

  // Records the context's session id for expect_check.
  SecurityContext alice(std::vector<std::string> roles = {}) {
    SecurityContext context = make_alice(std::move(roles));
    session_ = context.identity().session_id;
    return context;
  }

  SecurityContext make_alice(std::vector<std::string> roles = {}) const {
    Identity identity;
    identity.user = "alice";
    identity.tenant = "tenant-7";
    identity.roles = std::move(roles);
    identity.source_address = "10.0.0.7";
    identity.auth_method = AuthMethod::kJwt;
    StatusOr<SecurityContext> built = SecurityContext::build(*store_, std::move(identity));
    EXPECT_TRUE(built.is_ok()) << built.status().message();
    return std::move(built).value();
  }

  std::shared_ptr<RecordingSink> attach(std::set<EventKind> kinds) {
    auto sink = std::make_shared<RecordingSink>(std::move(kinds));
    store_->set_audit_sink(sink);
    return sink;
  }

  // `statement`: the statement_id of a statement's check; none for a context's own checks.
  void expect_check(const audit::AuditEvent& event, EventKind kind, const std::string& operation,
                    const std::string& result, uint64_t generation,
                    std::optional<std::string> statement = std::nullopt) const {
    EXPECT_EQ(event.kind, kind);
    EXPECT_FALSE(event.timestamp.has_value());  // the writer stamps it
    EXPECT_EQ(event.identity, "alice");
    EXPECT_EQ(event.tenant, "tenant-7");
    EXPECT_EQ(event.operation, operation);
    EXPECT_EQ(event.resource, "orders");
    EXPECT_EQ(event.result, result);
    EXPECT_EQ(event.source_ip, "10.0.0.7");
    EXPECT_EQ(event.auth_method, "jwt");
    EXPECT_EQ(event.policy_generation, generation);
    EXPECT_EQ(event.session_id, session_);  // the last context alice() built
    EXPECT_EQ(event.statement_id, statement);
  }

  testing::PolicyFiles files_;
  std::unique_ptr<PolicyCompiler> compiler_;
  std::unique_ptr<PolicyStore> store_;
  std::string session_;
};

TEST_F(RuntimeAudit, DenialByARuleIsRecordedWithItsPosition) {
  auto sink = attach({EventKind::kAuthzDeny});
  SecurityContext context = alice();
  EXPECT_FALSE(context.allowed(Operation::kDelete, "orders"));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  expect_check(events[0], EventKind::kAuthzDeny, "DELETE", "denied", 1);
  EXPECT_EQ(events[0].decided_by, files_.roles_path() + ":6:12");
  EXPECT_EQ(events[0].reason, "a rule denies");
}

TEST_F(RuntimeAudit, DenialByDefaultIsRecordedWithoutAPosition) {
  auto sink = attach({EventKind::kAuthzDeny});
  SecurityContext context = alice();
  EXPECT_FALSE(context.allowed(Operation::kUpdate, "orders"));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  expect_check(events[0], EventKind::kAuthzDeny, "UPDATE", "denied", 1);
  EXPECT_FALSE(events[0].decided_by.has_value());
  EXPECT_EQ(events[0].reason, "no role allows");
}

TEST_F(RuntimeAudit, DeniedHandleCheckOnTheInlinePathIsRecorded) {
  SecurityContext context = alice();
  ResourceHandle orders = context.resource("orders");
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));  // the handle is warm: inline path
  auto sink = attach({EventKind::kAuthzDeny});
  EXPECT_FALSE(context.allowed(Operation::kDelete, orders));
  EXPECT_FALSE(context.allowed(Operation::kUpdate, orders));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  expect_check(events[0], EventKind::kAuthzDeny, "DELETE", "denied", 1);
  EXPECT_EQ(events[0].decided_by, files_.roles_path() + ":6:12");
  expect_check(events[1], EventKind::kAuthzDeny, "UPDATE", "denied", 1);
}

TEST_F(RuntimeAudit, StatementDenialIsRecorded) {
  auto sink = attach({EventKind::kAuthzDeny});
  SecurityContext context = alice();
  StatusOr<Statement> statement = context.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  EXPECT_FALSE(statement.value().allowed(Operation::kDelete, "orders"));
  EXPECT_FALSE(statement.value().row_filter("orders", {Command::kUpdate}).is_ok());
  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  expect_check(events[0], EventKind::kAuthzDeny, "DELETE", "denied", 1, "1");
  expect_check(events[1], EventKind::kAuthzDeny, "UPDATE", "denied", 1, "1");
}

TEST_F(RuntimeAudit, RefusedStatementAndUnresolvedChecksAreRecorded) {
  SecurityContext context = alice({"no_delete"});
  // A reload removes the requested role: the identity no longer resolves.
  std::string without = kRoles;
  const std::string role = "  - name: no_delete\n    deny: [DELETE]\n    on: [orders]\n";
  without.replace(without.find(role), role.size(), "");
  without.replace(without.find("[clerk, no_delete]"), 18, "[clerk]");
  files_.write_roles(without);
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  auto sink = attach({EventKind::kAuthzDeny});
  EXPECT_FALSE(context.begin_statement().is_ok());
  EXPECT_FALSE(context.allowed(Operation::kSelect, "orders"));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kAuthzDeny);
  EXPECT_EQ(events[0].operation, "BEGIN");
  EXPECT_EQ(events[0].resource, "");
  EXPECT_EQ(events[0].result, "denied");
  EXPECT_EQ(events[0].policy_generation, 2u);
  ASSERT_TRUE(events[0].reason.has_value());
  EXPECT_NE(events[0].reason->find("no_delete"), std::string::npos) << *events[0].reason;
  expect_check(events[1], EventKind::kAuthzDeny, "SELECT", "denied", 2);
  EXPECT_NE(events[1].reason->find("the identity does not resolve"), std::string::npos) << *events[1].reason;
}

TEST_F(RuntimeAudit, AllowedChecksAreNotRecordedWhileAuthzAllowIsOff) {
  auto sink = attach({EventKind::kAuthzDeny, EventKind::kPolicyReload});
  SecurityContext context = alice();
  ResourceHandle orders = context.resource("orders");
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));
  EXPECT_TRUE(context.allowed(Operation::kSelect, "orders"));
  StatusOr<Statement> statement = context.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  EXPECT_TRUE(statement.value().allowed(Operation::kInsert, "orders"));
  EXPECT_EQ(sink->count(), 0u);
  // The sink is live: a denial through the same handle is recorded, and only it.
  EXPECT_FALSE(context.allowed(Operation::kDelete, orders));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::kAuthzDeny);
  EXPECT_EQ(events[0].operation, "DELETE");
}

TEST_F(RuntimeAudit, AllowedChecksAreRecordedWhileAuthzAllowIsOn) {
  SecurityContext context = alice();
  ResourceHandle orders = context.resource("orders");
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));  // warm before the sink comes
  auto sink = attach({EventKind::kAuthzAllow});
  EXPECT_EQ(store_->generation(), 1u);  // the store's reporting bit never shows
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));  // every time, not only after a change
  EXPECT_TRUE(context.allowed(Operation::kInsert, "orders"));
  StatusOr<Statement> statement = context.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  EXPECT_TRUE(statement.value().allowed(Operation::kSelect, "orders"));
  EXPECT_FALSE(context.allowed(Operation::kDelete, orders));  // not wanted: not recorded
  auto events = sink->events();
  ASSERT_EQ(events.size(), 4u);
  expect_check(events[0], EventKind::kAuthzAllow, "SELECT", "allowed", 1);
  expect_check(events[1], EventKind::kAuthzAllow, "SELECT", "allowed", 1);
  expect_check(events[2], EventKind::kAuthzAllow, "INSERT", "allowed", 1);
  expect_check(events[3], EventKind::kAuthzAllow, "SELECT", "allowed", 1, "1");
  for (const auto& event : events) EXPECT_FALSE(event.decided_by.has_value());

  // Detached: the inline path again, nothing recorded.
  store_->set_audit_sink(nullptr);
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));
  EXPECT_EQ(sink->count(), 4u);
}

// alice may also CREATE, ALTER and DROP orders and COPY it out; a reload brings it in.
const std::string kBuilderRoles =
    "roles:\n"
    "  - name: clerk\n"
    "    allow: [SELECT, INSERT]\n"
    "    on: [orders]\n"
    "  - name: builder\n"
    "    allow: [CREATE, ALTER, DROP, \"COPY TO\"]\n"
    "    on: [orders]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [clerk, builder]\n";

TEST_F(RuntimeAudit, AllowedDdlIsASchemaChangeAndAllowedCopyToADataExportOnEveryPath) {
  files_.write_roles(kBuilderRoles);
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  SecurityContext context = alice();
  ResourceHandle orders = context.resource("orders");
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));  // warm: the inline path from here on
  auto sink = attach({EventKind::kSchemaChange, EventKind::kDataExport});
  EXPECT_TRUE(context.allowed(Operation::kCreate, orders));   // inline, constant operation
  EXPECT_TRUE(context.allowed(Operation::kSelect, orders));   // not an event
  EXPECT_TRUE(context.allowed(Operation::kInsert, "orders"));  // not an event
  EXPECT_TRUE(context.allowed(Operation::kDrop, "orders"));   // by name
  EXPECT_FALSE(context.allowed(Operation::kDelete, orders));  // a denial: authz_deny, not wanted
  StatusOr<Statement> statement = context.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  EXPECT_TRUE(statement.value().allowed(Operation::kAlter, "orders"));
  EXPECT_TRUE(statement.value().allowed(Operation::kCopyTo, "orders"));
  EXPECT_FALSE(statement.value().allowed(Operation::kCopyFrom, "orders"));
  // An operation chosen at run time takes the same test without the constant folded.
  for (Operation op : {Operation::kSelect, Operation::kCopyTo}) EXPECT_TRUE(context.allowed(op, orders));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 5u);
  expect_check(events[0], EventKind::kSchemaChange, "CREATE", "allowed", 2);
  expect_check(events[1], EventKind::kSchemaChange, "DROP", "allowed", 2);
  expect_check(events[2], EventKind::kSchemaChange, "ALTER", "allowed", 2, "1");
  expect_check(events[3], EventKind::kDataExport, "COPY TO", "allowed", 2, "1");
  expect_check(events[4], EventKind::kDataExport, "COPY TO", "allowed", 2);
}

TEST_F(RuntimeAudit, AllowedDdlIsRecordedAsBothKindsWhenBothAreWantedAndAsNeitherWhenNeither) {
  files_.write_roles(kBuilderRoles);
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  SecurityContext context = alice();
  ResourceHandle orders = context.resource("orders");
  auto both = attach({EventKind::kAuthzAllow, EventKind::kSchemaChange});
  EXPECT_TRUE(context.allowed(Operation::kCreate, orders));
  auto events = both->events();
  ASSERT_EQ(events.size(), 2u);
  expect_check(events[0], EventKind::kAuthzAllow, "CREATE", "allowed", 2);
  expect_check(events[1], EventKind::kSchemaChange, "CREATE", "allowed", 2);

  auto denials_only = attach({EventKind::kAuthzDeny});
  EXPECT_TRUE(context.allowed(Operation::kCreate, orders));
  EXPECT_TRUE(context.allowed(Operation::kCopyTo, "orders"));
  EXPECT_EQ(denials_only->count(), 0u);
  EXPECT_FALSE(context.allowed(Operation::kUpdate, orders));
  EXPECT_EQ(denials_only->count(), 1u);  // the sink is live
}

TEST_F(RuntimeAudit, EngineEventsCarryTheContextsIdentitySessionAndStatement) {
  auto sink = attach({EventKind::kSchemaChange, EventKind::kDataExport});
  SecurityContext context = alice();
  EXPECT_TRUE(context.report({EventKind::kSchemaChange, "CREATE TABLE", "orders", "success", ""}));
  StatusOr<Statement> first = context.begin_statement();
  StatusOr<Statement> second = context.begin_statement();
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  EXPECT_EQ(first.value().number(), 1u);
  EXPECT_EQ(second.value().number(), 2u);
  EXPECT_TRUE(second.value().report({EventKind::kDataExport, "COPY TO", "orders", "success", "1204 rows"}));
  EXPECT_FALSE(context.report({EventKind::kAuth, "LOGIN", "", "success", ""}));  // not wanted
  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  expect_check(events[0], EventKind::kSchemaChange, "CREATE TABLE", "success", 1);
  EXPECT_FALSE(events[0].reason.has_value());
  expect_check(events[1], EventKind::kDataExport, "COPY TO", "success", 1, "2");
  EXPECT_EQ(events[1].reason, "1204 rows");

  store_->set_audit_sink(nullptr);
  EXPECT_FALSE(context.report({EventKind::kSchemaChange, "DROP TABLE", "orders", "success", ""}));
}

TEST_F(RuntimeAudit, SessionIdsAreUniqueUnlessTheEngineGivesItsOwn) {
  SecurityContext first = make_alice();
  SecurityContext second = make_alice();
  EXPECT_FALSE(first.identity().session_id.empty());
  EXPECT_NE(first.identity().session_id, second.identity().session_id);
  Identity identity;
  identity.user = "alice";
  identity.session_id = "pg-backend-4242";
  StatusOr<SecurityContext> given = SecurityContext::build(*store_, std::move(identity));
  ASSERT_TRUE(given.is_ok());
  auto sink = attach({EventKind::kAuthzDeny});
  EXPECT_FALSE(given.value().allowed(Operation::kDelete, "orders"));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].session_id, "pg-backend-4242");
}

TEST_F(RuntimeAudit, ReloadAcrossTheReportingBitKeepsBoth) {
  auto sink = attach({EventKind::kAuthzAllow});
  SecurityContext context = alice();
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  EXPECT_EQ(store_->generation(), 2u);
  EXPECT_TRUE(context.allowed(Operation::kSelect, "orders"));
  ASSERT_EQ(sink->count(), 1u);
  EXPECT_EQ(sink->events()[0].policy_generation, 2u);
}

TEST_F(RuntimeAudit, AcceptedReloadIsRecordedWithFilesAndHashes) {
  auto sink = attach({EventKind::kPolicyReload});
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  const audit::AuditEvent& event = events[0];
  EXPECT_EQ(event.kind, EventKind::kPolicyReload);
  EXPECT_EQ(event.identity, "");
  EXPECT_EQ(event.tenant, "");
  EXPECT_EQ(event.operation, "RELOAD");
  // sha256sum of kRoles and kPolicies, as the files hold them.
  EXPECT_EQ(event.resource, files_.roles_path() + " sha256:b83c38c1ec2cfd608038413cb2fc81d93c08a45436864e588c830818e358496f, " + files_.policies_path() +
                                " sha256:68e790ef15e49376afece39dd66fa4a0a9058103adc1b3f0155891f954f4780a");
  EXPECT_EQ(event.result, "accepted");
  EXPECT_EQ(event.source_ip, "");
  EXPECT_FALSE(event.auth_method.has_value());
  EXPECT_EQ(event.reason, "generation 1 replaced by 2");
  EXPECT_EQ(event.policy_generation, 2u);
  EXPECT_FALSE(event.decided_by.has_value());
}

TEST_F(RuntimeAudit, RejectedReloadIsRecordedWithItsDiagnosticAndTheOldVersionServes) {
  auto sink = attach({EventKind::kPolicyReload});
  SecurityContext context = alice();
  files_.write_policies(kPolicies + "CREATE POLICY broken ON orders USING (nosuch = 1);\n");
  EXPECT_FALSE(compiler_->reload(*store_, files_.paths()).is_ok());
  EXPECT_EQ(store_->generation(), 1u);
  EXPECT_TRUE(context.allowed(Operation::kSelect, "orders"));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 1u);
  const audit::AuditEvent& event = events[0];
  EXPECT_EQ(event.kind, EventKind::kPolicyReload);
  EXPECT_EQ(event.operation, "RELOAD");
  EXPECT_EQ(event.result, "rejected");
  EXPECT_EQ(event.policy_generation, 1u);  // the old generation, still serving
  EXPECT_EQ(event.reason, files_.policies_path() + ":2:39: error: column \"nosuch\" does not exist");
  EXPECT_NE(event.resource.find(files_.policies_path() + " sha256:"), std::string::npos);
}

TEST_F(RuntimeAudit, PolicyWatcherReloadsAreRecorded) {
  auto sink = attach({EventKind::kPolicyReload});
  StatusOr<std::unique_ptr<PolicyWatcher>> watcher =
      PolicyWatcher::start(*compiler_, *store_, files_.paths(), std::chrono::milliseconds(20), nullptr);
  ASSERT_TRUE(watcher.is_ok()) << watcher.status().message();
  files_.write_policies(kPolicies + "CREATE POLICY broken ON orders USING (nosuch = 1);\n");
  for (int i = 0; i < 2000 && sink->count() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  files_.write_policies(kPolicies);
  for (int i = 0; i < 2000 && sink->count() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].result, "rejected");
  EXPECT_EQ(events[0].policy_generation, 1u);
  EXPECT_EQ(events[0].reason, files_.policies_path() + ":2:39: error: column \"nosuch\" does not exist");
  EXPECT_EQ(events[1].result, "accepted");
  EXPECT_EQ(events[1].policy_generation, 2u);
  EXPECT_EQ(events[1].reason, "generation 1 replaced by 2");
  EXPECT_NE(events[1].resource.find(files_.roles_path() + " sha256:"), std::string::npos) << events[1].resource;
}

// Checks on four threads while the sink is attached and detached, and wants authz_allow or
// not: no check is lost or torn, and every recorded event is whole (run under TSan too).
TEST_F(RuntimeAudit, SinkAttachedAndDetachedWhileFourThreadsCheck) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  std::atomic<uint64_t> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      SecurityContext context = make_alice();
      ResourceHandle orders = context.resource("orders");
      while (!stop.load()) {
        if (!context.allowed(Operation::kSelect, orders)) ++wrong;
        if (context.allowed(Operation::kDelete, t % 2 ? "orders" : std::string_view("orders"))) ++wrong;
        StatusOr<Statement> statement = context.begin_statement();
        if (!statement.is_ok() || statement.value().allowed(Operation::kUpdate, "orders")) ++wrong;
      }
    });
  }
  std::vector<std::shared_ptr<RecordingSink>> sinks;
  for (int i = 0; i < 200; ++i) {
    if (i % 3 == 2) {
      store_->set_audit_sink(nullptr);
    } else {
      sinks.push_back(attach(i % 3 == 0 ? std::set<EventKind>{EventKind::kAuthzDeny}
                                        : std::set<EventKind>{EventKind::kAuthzDeny, EventKind::kAuthzAllow}));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  stop = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0u);
  size_t recorded = 0;
  for (const auto& sink : sinks) {
    for (const auto& event : sink->events()) {
      ++recorded;
      EXPECT_EQ(event.identity, "alice");
      EXPECT_EQ(event.resource, "orders");
      EXPECT_EQ(event.result, event.kind == EventKind::kAuthzAllow ? "allowed" : "denied");
    }
  }
  EXPECT_GT(recorded, 0u);
}

}  // namespace
}  // namespace weftkit
