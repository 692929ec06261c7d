// AuditWriter (writer.h): a mutex-guarded bounded queue that the writer thread swaps out whole,
// so producers only ever copy an event in; numbering, hashing and I/O happen on the writer.
#include <weftkit/audit/record.h>
#include <weftkit/audit/verify.h>
#include <weftkit/audit/writer.h>

#include "audit/event_queue.h"
#include "audit/record_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <pthread.h>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace weftkit::audit {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Records are written once this many bytes are pending (and at the end of each batch).
constexpr std::size_t kWriteChunk = 256 * 1024;

// After a batch that left the queue empty the writer naps this long before it takes the queue
// again, and producers do not wake it for each event: under a steady stream a futex wake per
// batch was the slowest part of submit(). Only an idle writer (a nap that found nothing) is
// woken by the next event. This bounds the extra delay before a record reaches the file.
constexpr std::chrono::microseconds kNap{500};
// During a nap, producers wake the writer anyway once this much of the queue is used.
constexpr std::size_t kWakeDuringNap = 4096;

enum class WriterState { kRunning, kNapping, kSleeping };

Status errno_status(const std::string& what) {
  return Status(StatusCode::kInternal, "audit: " + what + ": " + std::strerror(errno));
}

// The chain position after the last complete record of `path`, cutting off a torn tail (a
// write a crash left unfinished, never acknowledged to anyone). Nullopt for an empty file.
StatusOr<std::optional<ChainPosition>> last_position(const std::string& path) {
  struct stat info {};
  // Devices and pipes are not logs to continue (and reading a pipe would wait forever).
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::optional<ChainPosition>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<ChainPosition>();
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  in.close();
  std::size_t complete = content.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete != content.size()) {
    if (::truncate(path.c_str(), static_cast<off_t>(complete)) != 0) return errno_status("cannot cut the torn tail of " + path);
  }
  if (complete == 0) return std::optional<ChainPosition>();
  const std::size_t line_start = content.rfind('\n', complete - 2);
  const std::string last = content.substr(line_start == std::string::npos ? 0 : line_start + 1,
                                          complete - 1 - (line_start == std::string::npos ? 0 : line_start + 1));
  const nlohmann::json record = nlohmann::json::parse(last, nullptr, false);
  if (!record.is_object() || !record.contains("seq") || !record["seq"].is_number_unsigned() ||
      !record.contains("hash") || !record["hash"].is_string()) {
    return Status(StatusCode::kInvalidArgument, "audit: cannot continue " + path + ": its last line is not a record");
  }
  return std::optional<ChainPosition>(ChainPosition{record["seq"].get<uint64_t>(), record["hash"].get<std::string>()});
}

uint64_t next_rotation_number(const std::string& active) {
  uint64_t highest = 0;
  for (const std::string& file : rotated_files(active)) {
    if (file == active) continue;
    highest = std::max<uint64_t>(highest, std::stoull(file.substr(file.rfind('.') + 1)));
  }
  return highest + 1;
}

}  // namespace

WriterOptions writer_options(const config::AuditConfig& audit) {
  WriterOptions options;
  options.output = audit.output;
  if (audit.hmac_key) options.hmac_key = audit.hmac_key->reveal();
  options.events = audit.events;
  options.max_bytes = audit.max_bytes;
  options.overflow = audit.overflow;
  options.fsync = audit.fsync;
  return options;
}

struct AuditWriter::Impl {
  WriterOptions options;
  uint32_t wanted_kinds = ~uint32_t{0};  // bit per EventKind, from options.events
  ChainHasher hasher;
  bool to_stdout = false;
  int fd = -1;
  uint64_t file_bytes = 0;
  uint64_t rotation_number = 1;
  ChainPosition last;  // seq and hash of the last record written
  TimestampFormatter timestamps;
  SteadyClock::time_point last_fsync = SteadyClock::now();
  bool unsynced = false;

  std::mutex mutex;
  std::condition_variable writer_wakeup;
  std::condition_variable room;
  EventQueue queue;
  WriterState writer_state = WriterState::kRunning;
  std::size_t wake_threshold = 1;  // queue size that ends a nap, set at open
  uint64_t dropped_pending = 0;
  bool stopping = false;
  SteadyClock::time_point stop_requested;

  std::atomic<bool> healthy{true};
  std::atomic<uint64_t> written{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> rotations{0};
  std::atomic<uint64_t> write_errors{0};
  std::once_flag stop_once;
  std::thread thread;

  // fsync "interval": the periodic fdatasync runs on a thread of its own, on a duplicate of the
  // file descriptor, so that the writer goes on formatting and writing while the disk flushes
  // (a synchronous fdatasync of a second's records stalled the writer for as long as the disk
  // took: a third of the throughput). Forced syncs (rotation, stop, "always") stay synchronous.
  struct BackgroundSync {
    std::mutex mutex;
    std::condition_variable wakeup;
    int fd = -1;         // a duplicate to sync and close; -1: nothing asked
    bool busy = false;   // a sync is asked for or running
    bool stopping = false;
    std::atomic<bool> failed{false};  // the last one failed: the data it covered is unsynced
    std::thread thread;
  };
  BackgroundSync background;

  explicit Impl(WriterOptions writer_options, ChainHasher chain_hasher)
      : options(std::move(writer_options)), hasher(std::move(chain_hasher)) {}

  void report(const Status& status) {
    write_errors.fetch_add(1, std::memory_order_relaxed);
    healthy.store(false, std::memory_order_release);
    if (options.on_error) options.on_error(status);
  }

  Status open_output() {
    fd = ::open(options.output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return errno_status("cannot open " + options.output);
    struct stat info {};
    file_bytes = ::fstat(fd, &info) == 0 ? static_cast<uint64_t>(info.st_size) : 0;
    return Status::ok();
  }

  void close_output() {
    if (fd >= 0 && !to_stdout) ::close(fd);
    if (!to_stdout) fd = -1;
  }

  // True once the stop deadline for a failing output has passed.
  bool giving_up() {
    std::lock_guard lock(mutex);
    return stopping && SteadyClock::now() - stop_requested > options.shutdown_retry;
  }

  // Writes all of `data`, retrying (and reopening the file) until it succeeds or stop() gives
  // up. A partial write is continued where it stopped, so a line is never written twice.
  void write_all(std::string_view data) {
    // A file removed under the writer would swallow writes silently: start a new one at the path.
    struct stat info {};
    if (!to_stdout && fd >= 0 && ::fstat(fd, &info) == 0 && info.st_nlink == 0) {
      report(Status(StatusCode::kInternal, "audit: " + options.output + " was removed; writing to a new file"));
      close_output();
    }
    std::size_t offset = 0;
    while (offset < data.size()) {
      if (fd < 0) {
        Status opened = open_output();
        if (!opened.is_ok()) {
          report(opened);
          if (giving_up()) return;
          std::this_thread::sleep_for(options.retry_delay);
          continue;
        }
      }
      const ssize_t count = ::write(fd, data.data() + offset, data.size() - offset);
      if (count > 0) {
        offset += static_cast<std::size_t>(count);
        file_bytes += static_cast<uint64_t>(count);
        continue;
      }
      if (count < 0 && errno == EINTR) continue;
      report(errno_status("cannot write to " + options.output));
      if (giving_up()) {
        if (options.on_error) {
          options.on_error(Status(StatusCode::kInternal, "audit: giving up on " + std::to_string(data.size() - offset) +
                                                             " bytes at shutdown"));
        }
        return;
      }
      close_output();  // reopened on the next attempt: the file may have been removed or replaced
      std::this_thread::sleep_for(options.retry_delay);
    }
    unsynced = true;
    if (!healthy.load(std::memory_order_relaxed)) healthy.store(true, std::memory_order_release);
  }

  void sync(bool force) {
    if (background.failed.exchange(false, std::memory_order_acq_rel)) unsynced = true;
    if (to_stdout || fd < 0 || !unsynced || options.fsync == config::AuditFsync::kNever) return;
    const auto now = SteadyClock::now();
    if (!force && options.fsync == config::AuditFsync::kInterval) {
      if (now - last_fsync < options.fsync_interval) return;
      switch (sync_in_background()) {
        case BackgroundSyncAsked::kAsked:
          last_fsync = now;
          unsynced = false;
          return;
        case BackgroundSyncAsked::kBusy:
          return;  // the previous one still runs (the disk is slower than the interval): next batch
        case BackgroundSyncAsked::kUnavailable:
          break;  // no thread, or no duplicate descriptor: synchronously, as before
      }
    }
    if (::fdatasync(fd) != 0) {
      report(errno_status("cannot fsync " + options.output));
      return;
    }
    last_fsync = now;
    unsynced = false;
  }

  enum class BackgroundSyncAsked { kAsked, kBusy, kUnavailable };

  // Hands a duplicate of the file descriptor to the background sync thread.
  BackgroundSyncAsked sync_in_background() {
    if (!background.thread.joinable()) return BackgroundSyncAsked::kUnavailable;
    std::lock_guard lock(background.mutex);
    if (background.busy) return BackgroundSyncAsked::kBusy;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return BackgroundSyncAsked::kUnavailable;
    background.fd = copy;
    background.busy = true;
    background.wakeup.notify_one();
    return BackgroundSyncAsked::kAsked;
  }

  void run_background_sync() {
    pthread_setname_np(pthread_self(), "weftkit-fsync");
    std::unique_lock lock(background.mutex);
    for (;;) {
      background.wakeup.wait(lock, [&] { return background.fd >= 0 || background.stopping; });
      if (background.fd < 0) return;  // stopping with nothing asked
      const int target = background.fd;
      background.fd = -1;
      lock.unlock();
      if (::fdatasync(target) != 0) {
        report(errno_status("cannot fsync " + options.output));
        background.failed.store(true, std::memory_order_release);
      }
      ::close(target);
      lock.lock();
      background.busy = false;
    }
  }

  void stop_background_sync() {
    if (!background.thread.joinable()) return;
    {
      std::lock_guard lock(background.mutex);
      background.stopping = true;
    }
    background.wakeup.notify_one();
    background.thread.join();
  }

  void rotate() {
    sync(true);
    close_output();
    const std::string target = options.output + "." + std::to_string(rotation_number);
    if (::rename(options.output.c_str(), target.c_str()) != 0) {
      report(errno_status("cannot rename " + options.output + " to " + target));
    } else {
      ++rotation_number;
      rotations.fetch_add(1, std::memory_order_relaxed);
    }
    Status opened = open_output();
    if (!opened.is_ok()) report(opened);  // write_all retries the open
  }

  // Numbers, chains and writes one record into `pending`, rotating first when it would not fit.
  // The record is built and hashed in place at the end of `pending`: no string per record.
  void append_record(std::string& pending, const AuditEvent& event, std::optional<uint64_t> dropped_count) {
    const std::size_t start = pending.size();
    const uint64_t seq = last.seq + 1;
    append_canonical_record(pending, timestamps, event, seq, last.prev_hash, dropped_count);
    char hash[kHashHexSize];
    Status hashed = hasher.hex_hash_into(std::string_view(pending).substr(start), hash);
    if (!hashed.is_ok()) {
      // Without a hash there is no record; the sequence number stays free for the next one.
      pending.resize(start);
      report(hashed);
      return;
    }
    finish_record_in_place(pending, std::string_view(hash, kHashHexSize));
    const std::size_t line_size = pending.size() - start;
    if (!to_stdout && options.max_bytes > 0 && file_bytes + start > 0 &&
        file_bytes + start + line_size > options.max_bytes) {
      write_all(std::string_view(pending).substr(0, start));
      pending.erase(0, start);
      rotate();
    }
    last.seq = seq;
    last.prev_hash.assign(hash, kHashHexSize);
    written.fetch_add(1, std::memory_order_relaxed);
    // Written in chunks that stay in the cache, not one string the size of the whole batch (a
    // batch can be the whole queue): the kernel's copy into the page cache then reads warm data.
    if (pending.size() >= kWriteChunk) {
      write_all(pending);
      pending.clear();
    }
  }

  // Waits for work (with `mutex` held): a nap after a busy batch, a sleep that the next event
  // ends after an idle one, either way no longer than the fsync interval.
  void wait_for_work(std::unique_lock<std::mutex>& lock, bool busy) {
    const auto has_work = [&] { return !queue.empty() || dropped_pending > 0 || stopping; };
    if (has_work()) return;
    if (busy) {
      writer_state = WriterState::kNapping;
      writer_wakeup.wait_for(lock, kNap, [&] { return queue.size() >= wake_threshold || dropped_pending > 0 || stopping; });
    }
    if (!has_work()) {
      writer_state = WriterState::kSleeping;
      const auto wait_for = options.fsync == config::AuditFsync::kInterval ? options.fsync_interval
                                                                             : std::chrono::milliseconds(1000);
      writer_wakeup.wait_for(lock, wait_for, has_work);
    }
    writer_state = WriterState::kRunning;
  }

  // Queues one wanted, stamped event: block mode waits for room, drop mode counts it.
  template <class Event>
  bool enqueue(Event&& event) {
    std::unique_lock lock(mutex);
    if (stopping) return false;
    if (queue.size() >= options.queue_capacity) {
      if (options.overflow == config::AuditOverflow::kDrop) {
        ++dropped_pending;
        dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      room.wait(lock, [&] { return queue.size() < options.queue_capacity || stopping; });
      if (stopping) return false;
    }
    queue.push(std::forward<Event>(event));
    // Only a sleeping writer, or a napping one with the queue filling up, is woken: the wake is a
    // system call, too slow to make once per batch on the producer's path.
    const bool wake = writer_state == WriterState::kSleeping ||
                      (writer_state == WriterState::kNapping && queue.size() >= wake_threshold);
    if (wake) writer_state = WriterState::kRunning;
    lock.unlock();
    if (wake) writer_wakeup.notify_one();
    return true;
  }

  void run() {
    // Named so that top, perf and a debugger show which thread is the audit log's.
    pthread_setname_np(pthread_self(), "weftkit-audit");
    std::vector<EventQueue::Chunk> batch;
    std::vector<EventQueue::Chunk> emptied;
    std::string pending;
    pending.reserve(kWriteChunk + 4096);
    bool busy = false;
    for (;;) {
      uint64_t dropped_count = 0;
      bool finished = false;
      {
        std::unique_lock lock(mutex);
        queue.recycle(emptied);
        wait_for_work(lock, busy);
        queue.take_all(batch);
        dropped_count = dropped_pending;
        dropped_pending = 0;
        finished = stopping && batch.empty() && dropped_count == 0;
      }
      room.notify_all();
      emptied.clear();  // chunks beyond the spare limit, freed outside the lock
      busy = !batch.empty() || dropped_count > 0;
      if (dropped_count > 0) {
        AuditEvent notice;
        notice.timestamp = Clock::now();
        notice.result = "dropped";
        notice.reason = "the audit queue was full";
        append_record(pending, notice, dropped_count);
      }
      for (EventQueue::Chunk& chunk : batch) {
        for (QueuedEvent& queued : chunk) {
          if (AuditEvent* event = std::get_if<AuditEvent>(&queued)) {
            append_record(pending, *event, std::nullopt);
          } else {
            // A check's shared parts become its record's text here, not on the checking thread.
            append_record(pending, to_audit_event(std::move(std::get<CheckEvent>(queued))), std::nullopt);
          }
        }
        // The events are destroyed here, on the writer and outside the lock, not by a producer.
        chunk.clear();
        emptied.push_back(std::move(chunk));
      }
      batch.clear();
      if (!pending.empty()) {
        write_all(pending);
        pending.clear();
      }
      sync(options.fsync == config::AuditFsync::kAlways || finished);
      if (finished) return;
    }
  }
};

AuditWriter::AuditWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AuditWriter::~AuditWriter() { stop(); }

StatusOr<std::unique_ptr<AuditWriter>> AuditWriter::open(WriterOptions options) {
  if (options.output.empty()) return Status(StatusCode::kInvalidArgument, "audit: no output (WEFTKIT_AUDIT_OUTPUT)");
  if (options.queue_capacity == 0) return Status(StatusCode::kInvalidArgument, "audit: the queue capacity is 0");
  auto hasher = ChainHasher::create(options.hmac_key);
  if (!hasher.is_ok()) return hasher.status();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(hasher).value());
  if (impl->options.events) {
    impl->wanted_kinds = 0;
    for (EventKind kind : *impl->options.events) impl->wanted_kinds |= uint32_t{1} << static_cast<unsigned>(kind);
  }
  impl->wake_threshold = std::clamp<std::size_t>(impl->options.queue_capacity / 2, 1, kWakeDuringNap);
  if (impl->options.output == "-") {
    impl->to_stdout = true;
    impl->fd = STDOUT_FILENO;
  } else {
    // Continue the chain from the newest non-empty file (the active one may be empty after a
    // crash right after a rotation).
    const auto files = rotated_files(impl->options.output);
    for (auto file = files.rbegin(); file != files.rend(); ++file) {
      auto position = last_position(*file);
      if (!position.is_ok()) return position.status();
      if (position.value()) {
        impl->last = *position.value();
        break;
      }
    }
    impl->rotation_number = next_rotation_number(impl->options.output);
    Status opened = impl->open_output();
    if (!opened.is_ok()) return opened;
  }
  Impl* raw = impl.get();
  if (!impl->to_stdout && impl->options.fsync == config::AuditFsync::kInterval) {
    impl->background.thread = std::thread([raw] { raw->run_background_sync(); });
  }
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<AuditWriter>(new AuditWriter(std::move(impl)));
}

bool AuditWriter::wants(EventKind kind) const noexcept {
  return (impl_->wanted_kinds >> static_cast<unsigned>(kind)) & 1u;
}

bool AuditWriter::submit(AuditEvent event) {
  if (!wants(event.kind)) return false;
  if (!event.timestamp) event.timestamp = Clock::now();
  return impl_->enqueue(std::move(event));
}

void AuditWriter::record_check(CheckEvent&& event) {
  if (!wants(event.kind)) return;
  if (!event.timestamp) event.timestamp = Clock::now();
  impl_->enqueue(std::move(event));
}

void AuditWriter::stop() {
  std::call_once(impl_->stop_once, [this] {
    {
      std::lock_guard lock(impl_->mutex);
      impl_->stopping = true;
      impl_->stop_requested = SteadyClock::now();
    }
    impl_->writer_wakeup.notify_one();
    impl_->room.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
    // The writer's last sync was synchronous and covers everything; a background one still
    // running finishes on its own duplicate descriptor first.
    impl_->stop_background_sync();
    impl_->close_output();
  });
}

bool AuditWriter::healthy() const { return impl_->healthy.load(std::memory_order_acquire); }

WriterStats AuditWriter::stats() const {
  return WriterStats{impl_->written.load(), impl_->dropped.load(), impl_->rotations.load(), impl_->write_errors.load()};
}

}  // namespace weftkit::audit
