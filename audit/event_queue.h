// The writer's queue of submitted events: fixed-size chunks that are handed over whole and
// recycled, so that a producer's push never moves other events (a growing vector reallocated
// and moved the whole queue under the lock) and never allocates once the chunks are warm.
// Not synchronised: the writer's mutex guards it.
#pragma once

#include <weftkit/audit/check_event.h>
#include <weftkit/audit/event.h>

#include <cstddef>
#include <utility>
#include <variant>
#include <vector>

namespace weftkit::audit {

// A queued event as its producer handed it: checks stay CheckEvents (a few pointers) until the
// writer thread expands them, so the checking thread copies no identity text.
using QueuedEvent = std::variant<AuditEvent, CheckEvent>;

class EventQueue {
 public:
  using Chunk = std::vector<QueuedEvent>;
  static constexpr std::size_t kChunkEvents = 256;
  // Emptied chunks kept for reuse beyond those in flight; the rest are freed by the writer.
  static constexpr std::size_t kMaxSpareChunks = 64;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  template <class Event>
  void push(Event&& event) {
    if (chunks_.empty() || chunks_.back().size() == kChunkEvents) {
      if (spare_.empty()) {
        chunks_.emplace_back().reserve(kChunkEvents);
      } else {
        chunks_.push_back(std::move(spare_.back()));
        spare_.pop_back();
      }
    }
    chunks_.back().emplace_back(std::in_place_type<std::remove_cvref_t<Event>>, std::forward<Event>(event));
    ++size_;
  }

  // Hands every queued chunk to the writer: `out` must be empty; its own capacity comes back.
  void take_all(std::vector<Chunk>& out) {
    std::swap(out, chunks_);
    size_ = 0;
  }

  // Takes back chunks the writer has cleared (their events destroyed outside the lock), up to
  // the spare limit; what is left in `emptied` is the caller's to free, again outside the lock.
  void recycle(std::vector<Chunk>& emptied) {
    while (!emptied.empty() && spare_.size() < kMaxSpareChunks) {
      spare_.push_back(std::move(emptied.back()));
      emptied.pop_back();
    }
  }

 private:
  std::vector<Chunk> chunks_;
  std::vector<Chunk> spare_;
  std::size_t size_ = 0;
};

}  // namespace weftkit::audit
