// Queries that keep running on other threads while the main thread reloads the policies: each
// reader has its own SecurityContext (a context is used by one thread at a time, like its
// connection) and runs SELECT * FROM its table in a loop, recording what every statement saw.
//
// The main thread marks phases: after a reload returns it calls next_phase(), so a statement
// that began in phase p began after the p-th reload had returned. Statements of the same
// phase and answer are counted together, so memory stays small however long the readers run.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "examples/embed/table.h"
#include <weftkit/policy_runtime.h>

namespace weftkit::embed {

inline constexpr int kMaxPhases = 8;

// Consecutive statements begun in `phase` that saw the same answer: the ids of the rows they
// selected ("1, 8"), or "ERROR:  message".
struct Observation {
  int phase = 0;
  std::string answer;
  int64_t statements = 0;
};

struct ReaderReport {
  std::string label;
  std::vector<Observation> observations;
};

// The answer a statement gives: the id column (the first) of the selected rows, or the error.
std::string describe_answer(const Table& table, const StatusOr<std::vector<int64_t>>& rows);

class ConcurrentReaders {
 public:
  ConcurrentReaders() = default;
  ~ConcurrentReaders();  // stops the readers if stop() was not called
  ConcurrentReaders(const ConcurrentReaders&) = delete;
  ConcurrentReaders& operator=(const ConcurrentReaders&) = delete;

  // Before start(): a reader, with its label for the report. The table must not change until stop().
  void add(std::string label, SecurityContext context, const Table& table);
  void start();
  // Statements that begin from now on are in the next phase.
  void next_phase();
  // Waits until every reader has completed `count` statements begun in the current phase; an
  // error after a minute (a stuck reader should fail the demo, not hang it).
  Status wait_for_statements(int64_t count) const;
  std::vector<ReaderReport> stop();

 private:
  struct Reader {
    std::string label;
    std::optional<SecurityContext> context;
    const Table* table = nullptr;
    std::vector<Observation> observations;  // written by the reader's thread only, read after join
    std::array<std::atomic<int64_t>, kMaxPhases> completed{};
    std::thread thread;
  };
  void run(Reader& reader);

  std::vector<std::unique_ptr<Reader>> readers_;
  std::atomic<int> phase_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace weftkit::embed
