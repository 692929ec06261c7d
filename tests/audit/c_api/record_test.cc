// Recording from C: the event's fields in the written record, the events filter, the writer's
// health, counters and stop, refusals, and the written file's chain checked by verify.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <weftkit/audit/verify.h>

#include "tests/audit/c_api/audit_c_api_fixture.h"

namespace weftkit::audit::c_api_testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kKey = "an HMAC key of at least thirty-two bytes";

weftkit_audit_event export_event() {
  static const uint64_t generation = 7;
  weftkit_audit_event event = {};
  event.kind = WEFTKIT_AUDIT_EVENT_DATA_EXPORT;
  event.identity = "alice";
  event.tenant = "t1";
  event.operation = "COPY TO";
  event.resource = "orders";
  event.result = "allowed";
  event.source_ip = "10.0.0.5";
  event.reason = "nightly export";
  event.policy_generation = &generation;
  event.session_id = "s-1";
  return event;
}

TEST(AuditCApiRecord, AnEventsFieldsAreWrittenAndNullOptionalFieldsAreAbsent) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  const weftkit_audit_event event = export_event();
  bool queued = false;
  ErrorSlot error;
  ASSERT_EQ(weftkit_audit_submit(log.get(), &event, &queued, error.out()), WEFTKIT_OK) << error.message();
  EXPECT_TRUE(queued);
  weftkit_audit_event bare = {};
  bare.kind = WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE;
  ASSERT_EQ(weftkit_audit_submit(log.get(), &bare, nullptr, error.out()), WEFTKIT_OK);
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);

  const std::vector<nlohmann::json> records = records_of(path);
  ASSERT_EQ(records.size(), 2u);
  const nlohmann::json& record = records[0];
  EXPECT_EQ(record["event"], "data_export");
  EXPECT_EQ(record["identity"], "alice");
  EXPECT_EQ(record["tenant"], "t1");
  EXPECT_EQ(record["operation"], "COPY TO");
  EXPECT_EQ(record["resource"], "orders");
  EXPECT_EQ(record["result"], "allowed");
  EXPECT_EQ(record["source_ip"], "10.0.0.5");
  EXPECT_EQ(record["reason"], "nightly export");
  EXPECT_EQ(record["policy_generation"], 7);
  EXPECT_EQ(record["session_id"], "s-1");
  EXPECT_FALSE(record.contains("auth_method"));
  EXPECT_FALSE(record.contains("decided_by"));
  EXPECT_FALSE(record.contains("statement_id"));
  EXPECT_EQ(records[1]["event"], "schema_change");
  EXPECT_EQ(records[1]["identity"], "");
  EXPECT_FALSE(records[1].contains("reason"));
}

TEST(AuditCApiRecord, KindsNotListedAreNotWantedAndNotQueued) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  const weftkit_audit_kind kinds[] = {WEFTKIT_AUDIT_EVENT_AUTHZ_DENY};
  weftkit_audit_options options;
  weftkit_audit_options_init(&options);
  options.output = path.c_str();
  options.events = kinds;
  options.event_count = 1;
  weftkit_audit_log* opened = nullptr;
  ErrorSlot error;
  ASSERT_EQ(weftkit_audit_open(&options, &opened, error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_audit_log> log(opened);
  EXPECT_TRUE(weftkit_audit_wants(log.get(), WEFTKIT_AUDIT_EVENT_AUTHZ_DENY));
  EXPECT_FALSE(weftkit_audit_wants(log.get(), WEFTKIT_AUDIT_EVENT_DATA_EXPORT));
  EXPECT_FALSE(weftkit_audit_wants(log.get(), static_cast<weftkit_audit_kind>(99)));
  EXPECT_FALSE(weftkit_audit_wants(nullptr, WEFTKIT_AUDIT_EVENT_AUTH));
  const weftkit_audit_event event = export_event();
  bool queued = true;
  ASSERT_EQ(weftkit_audit_submit(log.get(), &event, &queued, error.out()), WEFTKIT_OK);
  EXPECT_FALSE(queued);
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);
  EXPECT_TRUE(records_of(path).empty());
}

TEST(AuditCApiRecord, StatsCountWhatWasWrittenAndStopIsFinal) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_audit_log> log = open_log(path);
  ASSERT_NE(log, nullptr);
  const weftkit_audit_event event = export_event();
  ErrorSlot error;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(weftkit_audit_submit(log.get(), &event, nullptr, error.out()), WEFTKIT_OK);
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);
  ASSERT_EQ(weftkit_audit_stop(log.get(), error.out()), WEFTKIT_OK);  // idempotent
  weftkit_audit_stats stats = {};
  ASSERT_EQ(weftkit_audit_get_stats(log.get(), &stats, error.out()), WEFTKIT_OK);
  EXPECT_EQ(stats.written, 3u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.rotations, 0u);
  EXPECT_EQ(stats.write_errors, 0u);
  EXPECT_TRUE(weftkit_audit_healthy(log.get()));
  bool queued = true;
  ASSERT_EQ(weftkit_audit_submit(log.get(), &event, &queued, error.out()), WEFTKIT_OK);
  EXPECT_FALSE(queued);
  EXPECT_EQ(records_of(path).size(), 3u);
}

TEST(AuditCApiRecord, NullArgumentsAndBadKindsAreRefused) {
  testing::ScratchDirectory scratch;
  Owned<weftkit_audit_log> log = open_log(scratch.file("audit.log"));
  ASSERT_NE(log, nullptr);
  weftkit_audit_event event = export_event();
  ErrorSlot error;
  EXPECT_EQ(weftkit_audit_submit(nullptr, &event, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("weftkit_audit_submit"));
  EXPECT_EQ(weftkit_audit_submit(log.get(), nullptr, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  event.kind = static_cast<weftkit_audit_kind>(-3);
  EXPECT_EQ(weftkit_audit_submit(log.get(), &event, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), HasSubstr("event->kind"));
  weftkit_audit_stats stats;
  EXPECT_EQ(weftkit_audit_get_stats(nullptr, &stats, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_audit_get_stats(log.get(), nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_audit_stop(nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(weftkit_audit_stop(nullptr, nullptr), WEFTKIT_INVALID_ARGUMENT);  // error may be NULL
  EXPECT_FALSE(weftkit_audit_healthy(nullptr));
  weftkit_audit_close(nullptr);  // accepted
}

TEST(AuditCApiRecord, TheWrittenFileVerifiesUnderItsKey) {
  testing::ScratchDirectory scratch;
  const std::string path = scratch.file("audit.log");
  Owned<weftkit_audit_log> log = open_log(path, kKey);
  ASSERT_NE(log, nullptr);
  const weftkit_audit_event event = export_event();
  ErrorSlot error;
  for (int i = 0; i < 5; ++i) ASSERT_EQ(weftkit_audit_submit(log.get(), &event, nullptr, error.out()), WEFTKIT_OK);
  log.reset();  // the last holder: the writer stops and writes everything

  VerifyOptions keyed;
  keyed.hmac_key = kKey;
  StatusOr<VerifyReport> report = verify_files({path}, keyed);
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_TRUE(report.value().ok()) << describe(report.value());
  EXPECT_EQ(report.value().verified, 5u);
  VerifyOptions wrong_key;
  wrong_key.hmac_key = std::string(kKey) + "!";
  StatusOr<VerifyReport> refused = verify_files({path}, wrong_key);
  ASSERT_TRUE(refused.is_ok());
  EXPECT_FALSE(refused.value().ok());
}

}  // namespace
}  // namespace weftkit::audit::c_api_testing
