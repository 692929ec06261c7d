// Module reloads, by reload_policy_module and by PolicyModuleWatcher, are recorded with the
// store's audit sink: the file and its SHA-256, accepted or rejected with the reason, and the
// generations before and after.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <chrono>
#include <string>
#include <thread>

#include <weftkit/policy_module.h>
#include "tests/runtime/module_test_files.h"
#include "tests/runtime/recording_sink.h"

namespace weftkit {
namespace {

using audit::EventKind;
using testing::RecordingSink;
using testing::ScratchDirectory;

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) hex += {kHex[digest[i] >> 4], kHex[digest[i] & 15]};
  return hex;
}

void expect_reload(const audit::AuditEvent& event, const std::string& path, const std::string& bytes,
                   const std::string& result, uint64_t generation) {
  EXPECT_EQ(event.kind, EventKind::kPolicyReload);
  EXPECT_EQ(event.identity, "");
  EXPECT_EQ(event.tenant, "");
  EXPECT_EQ(event.operation, "RELOAD");
  EXPECT_EQ(event.resource, path + " sha256:" + sha256_hex(bytes));
  EXPECT_EQ(event.result, result);
  EXPECT_EQ(event.source_ip, "");
  EXPECT_FALSE(event.auth_method.has_value());
  EXPECT_EQ(event.policy_generation, generation);
  EXPECT_FALSE(event.decided_by.has_value());
  EXPECT_FALSE(event.session_id.has_value());
  EXPECT_FALSE(event.statement_id.has_value());
}

TEST(ModuleReloadAudit, AcceptedAndRejectedModuleReloadsAreRecorded) {
  ScratchDirectory scratch;
  const std::string path = scratch.path("policy.so");
  const std::string module_a = testing::read_bytes(WEFTKIT_TEST_MODULE_A);
  const std::string module_b = testing::read_bytes(WEFTKIT_TEST_MODULE_B);
  testing::write_bytes(path, module_a);
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  auto sink = std::make_shared<RecordingSink>(std::set<EventKind>{EventKind::kPolicyReload});
  store.set_audit_sink(sink);

  testing::write_bytes(path, module_b);
  ASSERT_TRUE(reload_policy_module(store, path).is_ok());
  testing::write_bytes(path, "not a module at all");
  EXPECT_FALSE(reload_policy_module(store, path).is_ok());
  EXPECT_EQ(store.generation(), 2u);
  EXPECT_TRUE(testing::alice_may_insert(store));  // B still serves

  auto events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  expect_reload(events[0], path, module_b, "accepted", 2);
  EXPECT_EQ(events[0].reason, "generation 1 replaced by 2");
  expect_reload(events[1], path, "not a module at all", "rejected", 2);
  EXPECT_EQ(events[1].reason, "cannot load policy module " + path + ": not a policy module (not an ELF file)");
}

TEST(ModuleReloadAudit, WatcherReloadsAreRecorded) {
  ScratchDirectory scratch;
  const std::string path = scratch.path("policy.so");
  const std::string module_a = testing::read_bytes(WEFTKIT_TEST_MODULE_A);
  const std::string module_b = testing::read_bytes(WEFTKIT_TEST_MODULE_B);
  testing::write_bytes(path, module_a);
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(path);
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  PolicyStore store(std::move(first).value());
  auto sink = std::make_shared<RecordingSink>(std::set<EventKind>{EventKind::kPolicyReload});
  store.set_audit_sink(sink);
  StatusOr<std::unique_ptr<PolicyModuleWatcher>> watcher =
      PolicyModuleWatcher::start(store, path, std::chrono::milliseconds(20), nullptr, std::chrono::milliseconds(100));
  ASSERT_TRUE(watcher.is_ok()) << watcher.status().message();

  auto wait_for = [&](size_t count) {
    for (int i = 0; i < 2000 && sink->count() < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return sink->events();
  };
  testing::write_bytes(path, "not a module at all");
  auto events = wait_for(1);
  ASSERT_EQ(events.size(), 1u);
  expect_reload(events[0], path, "not a module at all", "rejected", 1);
  EXPECT_EQ(events[0].reason, "cannot load policy module " + path + ": not a policy module (not an ELF file)");
  EXPECT_FALSE(testing::alice_may_insert(store));  // A still serves

  testing::write_bytes(path, module_b);
  events = wait_for(2);
  ASSERT_EQ(events.size(), 2u);
  expect_reload(events[1], path, module_b, "accepted", 2);
  EXPECT_EQ(events[1].reason, "generation 1 replaced by 2");
}

}  // namespace
}  // namespace weftkit
