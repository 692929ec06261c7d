// The reader threads and the phase bookkeeping.
#include "examples/embed/concurrent_readers.h"

#include <chrono>

#include "examples/embed/statement_runner.h"
#include "examples/embed/value_text.h"

namespace weftkit::embed {

std::string describe_answer(const Table& table, const StatusOr<std::vector<int64_t>>& rows) {
  if (!rows.is_ok()) return "ERROR:  " + rows.status().message();
  std::string answer;
  for (int64_t row : rows.value()) {
    answer += (answer.empty() ? "" : ", ") + format_value(table.schema().columns[0], table.row(row)[0]);
  }
  return answer.empty() ? "no rows" : answer;
}

ConcurrentReaders::~ConcurrentReaders() { stop(); }

void ConcurrentReaders::add(std::string label, SecurityContext context, const Table& table) {
  auto reader = std::make_unique<Reader>();
  reader->label = std::move(label);
  reader->context.emplace(std::move(context));
  reader->table = &table;
  readers_.push_back(std::move(reader));
}

void ConcurrentReaders::start() {
  for (std::unique_ptr<Reader>& reader : readers_) reader->thread = std::thread([this, &reader = *reader] { run(reader); });
}

void ConcurrentReaders::run(Reader& reader) {
  while (!stopping_.load(std::memory_order_acquire)) {
    // The phase is read before the statement begins: if it says p, the p-th reload had
    // returned (and published, if it succeeded) before this statement pinned its version.
    int phase = phase_.load(std::memory_order_acquire);
    std::string answer = describe_answer(*reader.table, select_all(*reader.context, *reader.table));
    if (!reader.observations.empty() && reader.observations.back().phase == phase &&
        reader.observations.back().answer == answer) {
      ++reader.observations.back().statements;
    } else {
      reader.observations.push_back({phase, std::move(answer), 1});
    }
    reader.completed[static_cast<size_t>(phase)].fetch_add(1, std::memory_order_release);
  }
}

void ConcurrentReaders::next_phase() {
  if (phase_.load() + 1 < kMaxPhases) phase_.fetch_add(1, std::memory_order_acq_rel);
}

Status ConcurrentReaders::wait_for_statements(int64_t count) const {
  size_t phase = static_cast<size_t>(phase_.load(std::memory_order_acquire));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  for (;;) {
    bool done = true;
    for (const std::unique_ptr<Reader>& reader : readers_) {
      done = done && reader->completed[phase].load(std::memory_order_acquire) >= count;
    }
    if (done) return Status::ok();
    if (std::chrono::steady_clock::now() > deadline) {
      return Status(StatusCode::kInternal, "the readers did not complete " + std::to_string(count) +
                                               " statements in phase " + std::to_string(phase) + " within a minute");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::vector<ReaderReport> ConcurrentReaders::stop() {
  stopping_.store(true, std::memory_order_release);
  std::vector<ReaderReport> reports;
  for (std::unique_ptr<Reader>& reader : readers_) {
    if (reader->thread.joinable()) reader->thread.join();
    reports.push_back({reader->label, std::move(reader->observations)});
    reader->observations.clear();
  }
  return reports;
}

}  // namespace weftkit::embed
