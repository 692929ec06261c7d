// The reclaimer's thread (see detail/reclaimer.h).
#include <weftkit/detail/reclaimer.h>

#include <pthread.h>


namespace weftkit::detail {

std::shared_ptr<Reclaimer> Reclaimer::start() {
  std::shared_ptr<Reclaimer> reclaimer(new Reclaimer());
  reclaimer->self_ = reclaimer;
  reclaimer->thread_ = std::thread(run, reclaimer->shared_);
  return reclaimer;
}

Reclaimer::~Reclaimer() {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->stop.notify_one();
  // Only a value destroyed by the thread itself could drop the last reference there (one that
  // owns another adopted value of this reclaimer); a thread cannot join itself, so it is let
  // go: it touches nothing but Shared, which it owns, and exits with the list empty.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void Reclaimer::hand_over(Node* node) {
  // Counted before it is visible, so wait_until_idle never sees it reclaimed before handed.
  shared_->handed_over.fetch_add(1);
  node->next = shared_->pending.load(std::memory_order_relaxed);
  while (!shared_->pending.compare_exchange_weak(node->next, node, std::memory_order_release,
                                                 std::memory_order_relaxed)) {
  }
}

void Reclaimer::drain(Shared& shared) {
  Node* list = shared.pending.exchange(nullptr, std::memory_order_acquire);
  while (list != nullptr) {
    Node* next = list->next;
    delete list;  // destroys the value, unless somebody still owns the unwrapped original
    shared.reclaimed.fetch_add(1, std::memory_order_release);
    list = next;
  }
}

void Reclaimer::run(std::shared_ptr<Shared> shared) {
  // Named, so that an engine's operators (top -H, perf, gdb) can tell it from their threads.
  pthread_setname_np(pthread_self(), "weftkit-reclaim");
  constexpr std::chrono::milliseconds kPoll{50};
  for (;;) {
    drain(*shared);
    std::unique_lock<std::mutex> lock(shared->mutex);
    if (shared->stopping) {
      lock.unlock();
      // Nothing can be handed over any more (every adopted value held a reference to the
      // Reclaimer, and it is being destroyed), but the last hand-overs may not be freed yet.
      drain(*shared);
      return;
    }
    shared->stop.wait_for(lock, kPoll, [&] { return shared->stopping; });
  }
}

bool Reclaimer::wait_until_idle(std::chrono::milliseconds timeout) const {
  uint64_t target = handed_over();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (reclaimed() < target) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

}  // namespace weftkit::detail
