// The asynchronous writer: concurrent producers, overflow, rotation, continuing a log, and
// write errors reported and retried.
#include <weftkit/audit/record.h>
#include <weftkit/audit/verify.h>
#include <weftkit/audit/writer.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "tests/audit/audit_test_files.h"

namespace weftkit::audit {
namespace {

using testing::read_file;
using testing::ScratchDirectory;
using testing::split_lines;
using testing::write_file;

AuditEvent deny_event(const std::string& identity) {
  AuditEvent event;
  event.kind = EventKind::kAuthzDeny;
  event.identity = identity;
  event.tenant = "t1";
  event.operation = "SELECT";
  event.resource = "orders";
  event.result = "denied";
  event.source_ip = "127.0.0.1";
  return event;
}

std::unique_ptr<AuditWriter> open_writer(WriterOptions options) {
  auto writer = AuditWriter::open(std::move(options));
  EXPECT_TRUE(writer.is_ok()) << writer.status().message();
  return std::move(writer).value();
}

VerifyReport verify_log(const std::vector<std::string>& files, std::optional<std::string> key = std::nullopt,
                        bool require_genesis = true) {
  VerifyOptions options;
  options.hmac_key = std::move(key);
  options.require_genesis = require_genesis;
  auto report = verify_files(files, options);
  EXPECT_TRUE(report.is_ok()) << report.status().message();
  return report.value();
}

// The messages a writer reports through on_error, from whichever thread calls it.
class ErrorMessages {
 public:
  std::function<void(const Status&)> callback() {
    return [this](const Status& status) {
      std::lock_guard lock(mutex_);
      messages_.push_back(status.message());
    };
  }
  std::vector<std::string> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
};

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return predicate();
}

TEST(AuditWriter, EightProducersOf100000EventsLoseNothingAndTheSequenceIsGapFree) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  options.hmac_key = "k";
  options.fsync = config::AuditFsync::kNever;
  options.queue_capacity = 8192;
  options.max_bytes = 64ull * 1024 * 1024;  // ~200 MB of records: rotated into several files
  auto writer = open_writer(options);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> producers;
  std::atomic<int> refused{0};
  const auto started = std::chrono::steady_clock::now();
  for (int thread = 0; thread < kThreads; ++thread) {
    producers.emplace_back([&, thread] {
      const std::string identity = "p" + std::to_string(thread);
      for (int i = 0; i < kPerThread; ++i) {
        if (!writer->submit(deny_event(identity))) refused.fetch_add(1);
      }
    });
  }
  for (auto& producer : producers) producer.join();
  writer->stop();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // A figure for the reader, never asserted (the machine may be shared).
  std::printf("800000 HMAC-chained events written in %.2f s: %.0f events/s\n", seconds, 800000 / seconds);
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(writer->stats().written, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(writer->stats().dropped, 0u);
  EXPECT_TRUE(writer->healthy());

  const auto files = rotated_files(options.output);
  EXPECT_GE(files.size(), 3u);
  EXPECT_EQ(writer->stats().rotations, files.size() - 1);
  const VerifyReport report = verify_log(files, options.hmac_key);
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, uint64_t{kThreads} * kPerThread);  // seq 1..800000, no gap
  EXPECT_FALSE(report.torn_last_line.has_value());

  // Every producer's events are all there.
  std::vector<std::size_t> counts(kThreads, 0);
  const std::string needle = "\"identity\":\"p";
  for (const std::string& file : files) {
    const std::string content = read_file(file);
    for (std::size_t at = content.find(needle); at != std::string::npos; at = content.find(needle, at + 1)) {
      const int thread = content[at + needle.size()] - '0';
      ASSERT_TRUE(thread >= 0 && thread < kThreads && content[at + needle.size() + 1] == '"');
      ++counts[thread];
    }
  }
  for (int thread = 0; thread < kThreads; ++thread) EXPECT_EQ(counts[thread], std::size_t{kPerThread}) << thread;
}

// A pipe nobody reads until the test says so: the writer blocks on it and the queue fills.
class StalledPipe {
 public:
  StalledPipe() {
    EXPECT_EQ(::pipe2(fds_, O_CLOEXEC), 0);
    path_ = "/proc/self/fd/" + std::to_string(fds_[1]);
  }
  ~StalledPipe() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    if (reader_.joinable()) reader_.join();
    ::close(fds_[0]);
  }
  const std::string& path() const { return path_; }
  void start_draining() {
    reader_ = std::thread([this] {
      char buffer[65536];
      for (;;) {
        const ssize_t count = ::read(fds_[0], buffer, sizeof buffer);
        if (count <= 0) return;
        std::lock_guard lock(mutex_);
        content_.append(buffer, static_cast<std::size_t>(count));
      }
    });
  }
  // Closes the test's write end (the writer's own, opened through /proc, is closed by stop()).
  std::string finish() {
    ::close(fds_[1]);
    fds_[1] = -1;
    reader_.join();
    std::lock_guard lock(mutex_);
    return content_;
  }

 private:
  int fds_[2] = {-1, -1};
  std::string path_;
  std::thread reader_;
  std::mutex mutex_;
  std::string content_;
};

TEST(AuditWriter, DropModeCountsRefusedEventsInAnEventsDroppedRecord) {
  StalledPipe pipe;
  WriterOptions options;
  options.output = pipe.path();
  options.overflow = config::AuditOverflow::kDrop;
  options.fsync = config::AuditFsync::kNever;
  options.max_bytes = 0;
  options.queue_capacity = 16;
  auto writer = open_writer(options);
  // ~64 KiB of pipe, then the writer stalls holding one batch and 16 more fit the queue.
  constexpr int kSubmitted = 2000;
  int accepted = 0;
  for (int i = 0; i < kSubmitted; ++i) accepted += writer->submit(deny_event("u" + std::to_string(i))) ? 1 : 0;
  const uint64_t refused = kSubmitted - accepted;
  EXPECT_GT(refused, 0u);
  EXPECT_EQ(writer->stats().dropped, refused);
  pipe.start_draining();
  writer->stop();
  const std::string content = pipe.finish();

  uint64_t dropped_in_records = 0;
  uint64_t notices = 0;
  uint64_t events = 0;
  for (const std::string& line : split_lines(content)) {
    const auto record = nlohmann::json::parse(line);
    if (record["event"] == "events_dropped") {
      ++notices;
      dropped_in_records += record["dropped"].get<uint64_t>();
      EXPECT_EQ(record["reason"], "the audit queue was full");
    } else {
      ++events;
    }
  }
  EXPECT_EQ(events, static_cast<uint64_t>(accepted));
  EXPECT_EQ(dropped_in_records, refused);
  EXPECT_GE(notices, 1u);
  EXPECT_EQ(writer->stats().written, events + notices);

  ScratchDirectory directory;
  write_file(directory.file("copy.jsonl"), content);
  const VerifyReport report = verify_log({directory.file("copy.jsonl")});
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, events + notices);
}

TEST(AuditWriter, BlockModeWaitsForRoomAndLosesNothing) {
  StalledPipe pipe;
  WriterOptions options;
  options.output = pipe.path();
  options.fsync = config::AuditFsync::kNever;
  options.max_bytes = 0;
  options.queue_capacity = 4;
  auto writer = open_writer(options);
  std::atomic<int> submitted{0};
  std::thread producer([&] {
    for (int i = 0; i < 2000; ++i) {
      EXPECT_TRUE(writer->submit(deny_event("u")));
      submitted.fetch_add(1);
    }
  });
  // The stalled pipe holds the producer back well before it is done.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_LT(submitted.load(), 2000);
  pipe.start_draining();
  producer.join();
  writer->stop();
  const std::string content = pipe.finish();
  EXPECT_EQ(split_lines(content).size(), 2000u);
  EXPECT_EQ(writer->stats().dropped, 0u);
}

TEST(AuditWriter, RotationBySizeContinuesTheChainIntoNumberedFiles) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  options.max_bytes = 4096;
  options.hmac_key = "rotation key";
  auto writer = open_writer(options);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(writer->submit(deny_event("user" + std::to_string(i))));
  writer->stop();
  const auto files = rotated_files(options.output);
  ASSERT_GE(files.size(), 3u);
  EXPECT_EQ(files.front(), options.output + ".1");
  EXPECT_EQ(files.back(), options.output);
  EXPECT_EQ(writer->stats().rotations, files.size() - 1);
  for (const std::string& file : files) EXPECT_LE(std::filesystem::file_size(file), 4096u) << file;
  const VerifyReport report = verify_log(files, options.hmac_key);
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, 200u);
  // Any one file alone is not the whole log.
  const VerifyReport without_first = verify_log({files.begin() + 1, files.end()}, options.hmac_key);
  ASSERT_TRUE(without_first.problem.has_value());
  EXPECT_EQ(without_first.problem->kind, ProblemKind::kRemoved);
}

TEST(AuditWriter, ReopeningALogContinuesItsSequenceAndChain) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  options.max_bytes = 2048;
  for (int round = 0; round < 3; ++round) {
    auto writer = open_writer(options);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(writer->submit(deny_event("r" + std::to_string(round))));
  }
  const VerifyReport report = verify_log(rotated_files(options.output));
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, 30u);
}

TEST(AuditWriter, ReopeningCutsOffATornLastLine) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  open_writer(options)->submit(deny_event("before"));  // destroyed at the end of the statement: flushed
  const std::string complete = read_file(options.output);
  write_file(options.output, complete + complete.substr(0, 40));  // a crash mid-write
  {
    auto writer = open_writer(options);
    writer->submit(deny_event("after"));
  }
  const VerifyReport report = verify_log({options.output});
  EXPECT_TRUE(report.ok()) << describe(report);
  EXPECT_EQ(report.verified, 2u);
  EXPECT_FALSE(report.torn_last_line.has_value());
}

TEST(AuditWriter, ReopeningRefusesAFileWhoseLastLineIsNotARecord) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  write_file(options.output, "hello\n");
  const auto writer = AuditWriter::open(options);
  ASSERT_FALSE(writer.is_ok());
  EXPECT_EQ(writer.status().message(), "audit: cannot continue " + options.output + ": its last line is not a record");
}

TEST(AuditWriter, FullDeviceIsReportedThroughTheCallbackAndTheHealthFlag) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  WriterOptions options;
  options.output = "/dev/full";
  options.retry_delay = std::chrono::milliseconds(5);
  options.shutdown_retry = std::chrono::milliseconds(50);
  ErrorMessages errors;
  options.on_error = errors.callback();
  auto writer = open_writer(options);
  EXPECT_TRUE(writer->healthy());
  ASSERT_TRUE(writer->submit(deny_event("u")));
  EXPECT_TRUE(eventually([&] { return writer->stats().write_errors >= 3; }));  // retried, failing each time
  EXPECT_FALSE(writer->healthy());
  writer->stop();
  const std::vector<std::string> messages = errors.messages();
  ASSERT_GE(messages.size(), 3u);
  EXPECT_EQ(messages.front(), "audit: cannot write to /dev/full: No space left on device");
  // The one record's bytes (its length does not depend on the time it was written).
  AuditEvent event = deny_event("u");
  event.timestamp = Clock::now();
  const std::string line = finish_record(canonical_record(event, ChainPosition{1, kGenesisHash}), kGenesisHash);
  EXPECT_EQ(messages.back(), "audit: giving up on " + std::to_string(line.size()) + " bytes at shutdown");
}

// Names of this process's threads (/proc/self/task/*/comm).
std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name = read_file((task.path() / "comm").string());
    while (!name.empty() && name.back() == '\n') name.pop_back();
    names.push_back(name);
  }
  return names;
}

bool has_thread(const std::string& name) {
  const std::vector<std::string> names = thread_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(AuditWriter, PeriodicFsyncRunsOnItsOwnThreadAndItsFailuresAreReported) {
  // fdatasync of a character device fails with EINVAL: a failure only the periodic sync sees,
  // while every write succeeds.
  WriterOptions options;
  options.output = "/dev/null";
  options.fsync = config::AuditFsync::kInterval;
  options.fsync_interval = std::chrono::milliseconds(5);
  ErrorMessages errors;
  options.on_error = errors.callback();
  auto writer = open_writer(options);
  // The thread names itself when it starts.
  EXPECT_TRUE(eventually([] { return has_thread("weftkit-fsync"); }));
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(writer->submit(deny_event("u" + std::to_string(i))));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_TRUE(eventually([&] { return writer->stats().write_errors >= 1; }));
  writer->stop();
  EXPECT_FALSE(has_thread("weftkit-fsync"));
  EXPECT_EQ(writer->stats().written, 20u);
  const std::vector<std::string> messages = errors.messages();
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front(), "audit: cannot fsync /dev/null: Invalid argument");
}

TEST(AuditWriter, NoFsyncThreadWithoutPeriodicFsync) {
  ScratchDirectory dir;
  for (config::AuditFsync fsync : {config::AuditFsync::kNever, config::AuditFsync::kAlways}) {
    WriterOptions options;
    options.output = dir.file(fsync == config::AuditFsync::kNever ? "never.jsonl" : "always.jsonl");
    options.fsync = fsync;
    auto writer = open_writer(options);
    EXPECT_FALSE(has_thread("weftkit-fsync"));
    ASSERT_TRUE(writer->submit(deny_event("u")));
    writer->stop();
    EXPECT_EQ(verify_log({options.output}).verified, 1u);
  }
}

TEST(AuditWriter, RemovedFileIsReportedAndWritingResumesInANewFileWhenPossible) {
  ScratchDirectory directory;
  const std::string log_directory = directory.file("logs");
  std::filesystem::create_directories(log_directory);
  WriterOptions options;
  options.output = log_directory + "/audit.jsonl";
  options.retry_delay = std::chrono::milliseconds(5);
  std::atomic<int> errors{0};
  options.on_error = [&](const Status&) { errors.fetch_add(1); };
  auto writer = open_writer(options);
  ASSERT_TRUE(writer->submit(deny_event("first")));
  ASSERT_TRUE(eventually([&] { return writer->stats().written == 1; }));
  std::filesystem::remove_all(log_directory);
  ASSERT_TRUE(writer->submit(deny_event("second")));
  ASSERT_TRUE(eventually([&] { return errors.load() >= 2 && !writer->healthy(); }));  // removed, then cannot open
  std::filesystem::create_directories(log_directory);
  EXPECT_TRUE(eventually([&] { return writer->healthy(); }));
  writer->stop();
  const auto lines = split_lines(read_file(options.output));
  ASSERT_EQ(lines.size(), 1u);
  const auto record = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(record["identity"], "second");
  EXPECT_EQ(record["seq"], 2);
  // The new file continues the chain; only its start is missing.
  const VerifyReport report = verify_log({options.output}, std::nullopt, /*require_genesis=*/false);
  EXPECT_TRUE(report.ok()) << describe(report);
}

TEST(AuditWriter, SubmitAfterStopIsRefused) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  auto writer = open_writer(options);
  writer->stop();
  EXPECT_FALSE(writer->submit(deny_event("late")));
  writer->stop();  // idempotent
  EXPECT_EQ(read_file(options.output), "");
}

TEST(AuditWriter, OnlyTheConfiguredEventKindsAreRecorded) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  options.events = std::vector<EventKind>{EventKind::kAuth, EventKind::kAuthzDeny};
  auto writer = open_writer(options);
  EXPECT_TRUE(writer->wants(EventKind::kAuth));
  EXPECT_TRUE(writer->wants(EventKind::kAuthzDeny));
  EXPECT_FALSE(writer->wants(EventKind::kAuthzAllow));
  EXPECT_FALSE(writer->wants(EventKind::kTenantViolation));
  AuditEvent allowed = deny_event("a");
  allowed.kind = EventKind::kAuthzAllow;
  AuditEvent login = deny_event("b");
  login.kind = EventKind::kAuth;
  EXPECT_FALSE(writer->submit(allowed));
  EXPECT_TRUE(writer->submit(login));
  EXPECT_TRUE(writer->submit(deny_event("c")));
  writer->stop();
  EXPECT_EQ(writer->stats().dropped, 0u);  // filtered out is not dropped
  const auto lines = split_lines(read_file(options.output));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["event"], "auth");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["event"], "authz_deny");
}

TEST(AuditWriter, EveryKindIsRecordedWhenNoneAreConfigured) {
  ScratchDirectory directory;
  WriterOptions options;
  options.output = directory.file("audit.jsonl");
  auto writer = open_writer(options);
  const std::vector<EventKind> kinds = {EventKind::kAuth,         EventKind::kAuthzDeny,    EventKind::kAuthzAllow,
                                        EventKind::kSchemaChange, EventKind::kDataExport,   EventKind::kPolicyReload,
                                        EventKind::kKeyRotation,  EventKind::kTenantViolation};
  for (EventKind kind : kinds) {
    AuditEvent event = deny_event("u");
    event.kind = kind;
    EXPECT_TRUE(writer->submit(event));
  }
  writer->stop();
  const auto lines = split_lines(read_file(options.output));
  ASSERT_EQ(lines.size(), kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(lines[i])["event"], std::string(event_name(kinds[i])));
  }
}

TEST(AuditWriter, OptionsComeFromTheAuditConfiguration) {
  config::AuditConfig audit;
  audit.enabled = true;
  audit.output = "/var/log/weftkit/audit.jsonl";
  audit.hmac_key = config::Secret("secret");
  audit.max_bytes = 1234;
  audit.overflow = config::AuditOverflow::kDrop;
  audit.fsync = config::AuditFsync::kAlways;
  audit.events = {EventKind::kAuth, EventKind::kSchemaChange};
  const WriterOptions options = writer_options(audit);
  EXPECT_EQ(options.events, (std::vector<EventKind>{EventKind::kAuth, EventKind::kSchemaChange}));
  EXPECT_EQ(options.output, "/var/log/weftkit/audit.jsonl");
  EXPECT_EQ(options.hmac_key, std::optional<std::string>("secret"));
  EXPECT_EQ(options.max_bytes, 1234u);
  EXPECT_EQ(options.overflow, config::AuditOverflow::kDrop);
  EXPECT_EQ(options.fsync, config::AuditFsync::kAlways);
}

}  // namespace
}  // namespace weftkit::audit
