// Reclaimer: a thread that destroys what readers let go of. A replaced policy version is
// freed by whoever drops the last reference to it, and that is usually a reader: freeing a
// version means freeing JIT code (ORC's session lock) or dlclose-ing a module (the dynamic
// loader's lock, which a concurrent reload's dlopen holds) — milliseconds a reader would
// spend waiting. adopt() wraps a value so that its last owner only pushes it onto a
// lock-free list; the reclaimer's thread destroys it. Nothing is allocated on the reader's
// side: the list node is made when the value is adopted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace weftkit::detail {

class Reclaimer {
 public:
  // Starts the thread. It stops, after destroying everything handed over, when the last
  // reference to the Reclaimer is gone; every adopted value holds one.
  static std::shared_ptr<Reclaimer> start();
  ~Reclaimer();
  Reclaimer(const Reclaimer&) = delete;
  Reclaimer& operator=(const Reclaimer&) = delete;

  // A pointer to the same object whose last owner hands `value` over to the thread.
  template <class T>
  std::shared_ptr<const T> adopt(std::shared_ptr<const T> value) {
    const T* object = value.get();
    Node* node = new Node{std::move(value), nullptr};
    std::shared_ptr<Reclaimer> self = self_.lock();
    return std::shared_ptr<const T>(object, [self, node](const T*) { self->hand_over(node); });
  }

  // Destroys, on the calling thread, what has been handed over so far (PolicyStore::publish
  // calls it: the thread that reloads pays for freeing what earlier reloads replaced).
  void reclaim_now() { drain(*shared_); }

  // How many adopted values were handed over, and how many of those have been destroyed.
  uint64_t handed_over() const { return shared_->handed_over.load(std::memory_order_acquire); }
  uint64_t reclaimed() const { return shared_->reclaimed.load(std::memory_order_acquire); }
  // Waits until every value handed over before the call is destroyed, or `timeout` passes.
  bool wait_until_idle(std::chrono::milliseconds timeout) const;

 private:
  struct Node {
    std::shared_ptr<const void> value;
    Node* next;
  };
  // What the thread uses; it owns a reference, so it outlives the Reclaimer if it must.
  // Readers only push onto `pending` and count: they never wake the thread (a futex wake is a
  // system call, and on a busy machine the woken thread may take the reader's core). The
  // thread looks every 50 ms; `stop` (under `mutex`) wakes it at once, for the destructor
  // only. Most replaced versions are freed sooner, by the next publish (reclaim_now): freeing
  // a module or JIT code takes a fraction of a millisecond of CPU, and a thread of its own
  // doing that during back-to-back reloads made a third busy thread on a 2-core machine, which
  // the scheduler served by preempting readers.
  struct Shared {
    std::atomic<Node*> pending{nullptr};
    std::atomic<uint64_t> handed_over{0};
    std::atomic<uint64_t> reclaimed{0};
    std::mutex mutex;
    std::condition_variable stop;
    bool stopping = false;  // under mutex
  };

  Reclaimer() = default;
  void hand_over(Node* node);  // lock-free: a CAS loop and a counter, no system call
  static void run(std::shared_ptr<Shared> shared);
  static void drain(Shared& shared);  // any thread, any number at once: each takes a whole list

  std::weak_ptr<Reclaimer> self_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::thread thread_;
};

}  // namespace weftkit::detail
