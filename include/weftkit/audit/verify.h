// Checks audit log files: each record's hash, the gap-free sequence and the chain of `prev`
// hashes, across rotated files given oldest first.
#pragma once

#include <weftkit/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weftkit::audit {

enum class ProblemKind {
  kAltered,    // the record's hash or its link to the previous record does not match
  kRemoved,    // records are missing before this one (sequence gap)
  kInserted,   // a record that does not belong to the chain (repeated sequence number)
  kReordered,  // a record before one with a smaller sequence number
  kMalformed,  // not a version-1 audit record at all (includes a line cut in the middle)
};

std::string_view to_string(ProblemKind kind);

struct Problem {
  ProblemKind kind;
  std::string file;
  uint64_t line = 0;                // 1-based line in `file`
  std::optional<uint64_t> seq;      // the record's sequence number, when it could be read
  std::string detail;               // one sentence: what did not match
};

struct VerifyReport {
  uint64_t verified = 0;            // records whose hash, sequence and link were checked
  std::optional<Problem> problem;   // the first record that failed, if any
  // A last line without its newline at the end of the last file: a write cut short by a
  // crash, not tampering. Its record is not counted.
  std::optional<uint64_t> torn_last_line;
  bool ok() const { return !problem.has_value(); }
};

struct VerifyOptions {
  std::optional<std::string> hmac_key;  // given: every hash must be HMAC-SHA256 under it
  // The first record must be seq 1 with the genesis `prev`; false accepts a log whose older
  // files were deleted, starting wherever the first given file starts.
  bool require_genesis = true;
};

// `files` oldest first (audit.jsonl.1, audit.jsonl.2, ..., audit.jsonl). An error Status only
// when a file cannot be read; tampering is a Problem in the report.
StatusOr<VerifyReport> verify_files(const std::vector<std::string>& files, const VerifyOptions& options);

// The files of a rotated log, oldest first: `active.N` for each existing N in increasing
// order, then `active` itself if it exists.
std::vector<std::string> rotated_files(const std::string& active);

// "line 12 (seq 11): altered: ..." style, for tools and test messages.
std::string describe(const VerifyReport& report);

}  // namespace weftkit::audit
