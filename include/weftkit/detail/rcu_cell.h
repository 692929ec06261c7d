// RcuCell<T>: an immutable value that readers pin without locking or waiting for a writer to
// finish (a reader only repeats its announcement when a writer advanced the epoch meanwhile),
// and that writers replace. The value lives in a heap slot published through an atomic pointer; a
// reader announces itself in the counter of the current epoch's parity (see announce()), copies the shared_ptr
// out of the slot and leaves; a writer exchanges the slot, advances the epoch, waits until the
// old parity's counter drains, and only then deletes the old slot. All operations are
// sequentially consistent: a reader that announced itself after the writer saw the old
// counter at zero also loads the slot after the exchange, i.e. the new one.
// (std::atomic<std::shared_ptr> does the same job, but libstdc++ 12 implements it with a spin
// lock hidden in a pointer bit that ThreadSanitizer cannot see, so a race in it could not be
// told from a false report.)
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

namespace weftkit::detail {

template <class T>
class RcuCell {
 public:
  explicit RcuCell(std::shared_ptr<const T> initial) : slot_(new Slot{std::move(initial)}) {}
  ~RcuCell() { delete slot_.load(); }
  RcuCell(const RcuCell&) = delete;
  RcuCell& operator=(const RcuCell&) = delete;

  std::shared_ptr<const T> load() const {
    std::atomic<uint64_t>& readers = announce();
    std::shared_ptr<const T> value = slot_.load()->value;
    readers.fetch_sub(1);
    return value;
  }

  // Calls `use(value)` (a `const T*`, null if the cell holds none) while announced as a reader,
  // without copying the shared_ptr: no reference count is touched. The value stays alive until
  // `use` returns, by the argument that makes load() safe (announce()): the slot it was read
  // from is deleted, and its reference dropped, only after the writer that replaced it has
  // seen this reader's counter drain, and the counter is left only when `use` returns (or
  // throws).
  // Writers wait for `use` to finish, so it must be short and must not update this cell.
  template <class Use>
  void borrow(Use&& use) const {
    std::atomic<uint64_t>& readers = announce();
    struct Leave {
      std::atomic<uint64_t>& readers;
      ~Leave() { readers.fetch_sub(1); }
    } leave{readers};
    use(static_cast<const T*>(slot_.load()->value.get()));
  }

  // Replaces the value with `change(current value)`. Writers are serialised, so no update is
  // lost; they wait for readers in the middle of a copy, readers never wait for them.
  template <class Change>
  void update(Change&& change) {
    while (writing_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
    std::shared_ptr<const T> next = change(slot_.load()->value);
    Slot* old = slot_.exchange(new Slot{std::move(next)});
    uint64_t old_parity = epoch_.fetch_add(1) & 1;
    while (readers_[old_parity].load() != 0) std::this_thread::yield();
    writing_.clear(std::memory_order_release);
    delete old;  // its value lives on in whoever pinned it
  }

  void store(std::shared_ptr<const T> next) {
    update([&next](const std::shared_ptr<const T>&) { return std::move(next); });
  }

 private:
  // Counts this reader in the current epoch's parity and returns that counter. The epoch is
  // read again after the increment: a reader that read epoch E, was delayed while the writer
  // of E -> E+1 found its counter empty, and only then announced itself, would be counted in
  // E's parity while the next writer (E+1 -> E+2) waits on the other one, and that writer
  // could delete the slot the reader goes on to load. With the epoch unchanged after the
  // increment, the writer that leaves E waits for this reader, and writers are serialised, so
  // no later one runs before it. Readers retry only when a writer advanced the epoch meanwhile.
  std::atomic<uint64_t>& announce() const {
    for (;;) {
      const uint64_t epoch = epoch_.load();
      std::atomic<uint64_t>& readers = readers_[epoch & 1];
      readers.fetch_add(1);
      if (epoch_.load() == epoch) return readers;
      readers.fetch_sub(1);
    }
  }

  struct Slot {
    std::shared_ptr<const T> value;
  };
  std::atomic<Slot*> slot_;
  mutable std::atomic<uint64_t> epoch_{0};
  mutable std::atomic<uint64_t> readers_[2] = {0, 0};
  std::atomic_flag writing_ = ATOMIC_FLAG_INIT;
};

}  // namespace weftkit::detail
