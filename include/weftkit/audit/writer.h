// The asynchronous audit writer: producers hand events to a bounded in-memory queue and
// never touch the disk; one writer thread numbers, chains, writes, fsyncs and rotates.
#pragma once

#include <weftkit/audit/event.h>
#include <weftkit/audit/sink.h>
#include <weftkit/config.h>
#include <weftkit/status.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weftkit::audit {

struct WriterOptions {
  std::string output;  // a file path, or "-" for standard output (never rotated)
  std::optional<std::string> hmac_key;
  // The kinds to record (WEFTKIT_AUDIT_EVENTS); unset: every kind.
  std::optional<std::vector<EventKind>> events;
  uint64_t max_bytes = 100ull * 1024 * 1024;  // 0: never rotate
  config::AuditOverflow overflow = config::AuditOverflow::kBlock;
  config::AuditFsync fsync = config::AuditFsync::kInterval;
  std::chrono::milliseconds fsync_interval{1000};
  std::size_t queue_capacity = 65536;  // events waiting for the writer thread
  // Called on the writer thread for every failed write, open or fsync (and again for each
  // retry that fails), or, for a periodic fsync (fsync "interval"), on the writer's fsync
  // thread, possibly while the writer thread calls it too; the writer keeps the data and
  // retries.
  std::function<void(const Status&)> on_error;
  std::chrono::milliseconds retry_delay{50};
  // On stop(), how long a failing output is still retried before the rest is given up.
  std::chrono::milliseconds shutdown_retry{2000};
};

// Options from the WEFTKIT_AUDIT_* configuration.
WriterOptions writer_options(const config::AuditConfig& audit);

struct WriterStats {
  uint64_t written = 0;   // records written (events_dropped records included)
  uint64_t dropped = 0;   // events refused by a full queue in drop mode
  uint64_t rotations = 0;
  uint64_t write_errors = 0;
};

class AuditWriter final : public AuditSink {
 public:
  // Opens (or creates) the output and starts the writer thread. A new log starts at seq 1;
  // an existing file is continued from its last complete record (a torn tail is cut off).
  static StatusOr<std::unique_ptr<AuditWriter>> open(WriterOptions options);
  ~AuditWriter() override;  // stop()
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Whether events of `kind` are recorded at all: producers ask before building an event.
  bool wants(EventKind kind) const noexcept override;

  // Queues one event. Block mode waits for room; drop mode returns false on a full queue and
  // counts the event for the next events_dropped record. False also, without counting, for a
  // kind that is not wanted and after stop().
  bool submit(AuditEvent event);
  // The sink interface: submit(), its answer kept in stats().
  void record(AuditEvent event) override { submit(std::move(event)); }
  // A check is queued as it comes (shared parts, no strings copied) and expanded into its
  // record on the writer thread; the same guarantees as submit().
  void record_check(CheckEvent&& event) override;

  // Writes everything queued, fsyncs and joins the writer thread. Idempotent.
  void stop();

  // False from a failed write until a write succeeds again.
  bool healthy() const;
  WriterStats stats() const;

 private:
  struct Impl;
  explicit AuditWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weftkit::audit
