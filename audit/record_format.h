// The record's bytes appended into a buffer the caller reuses: what canonical_record and
// finish_record (record.h) return, without a string allocated per record. The writer builds
// each record in place in its output buffer and hashes it there.
#pragma once

#include <weftkit/audit/record.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::audit {

// Formats RFC 3339 timestamps, remembering the date and time of the last whole second: records
// come in time order, so almost every one only needs its six fraction digits written.
class TimestampFormatter {
 public:
  void append(std::string& out, Clock::time_point time);

 private:
  int64_t cached_second_ = 0;
  bool cached_ = false;
  // "YYYY-MM-DDTHH:MM:SS.ffffffZ"; `clamped_` when the year was outside 0000-9999 and the whole
  // text is fixed (the fraction is part of the clamp).
  char text_[27] = {};
  bool clamped_ = false;
};

// Appends canonical_record(event, {seq, prev_hash}, dropped) to `out`.
void append_canonical_record(std::string& out, TimestampFormatter& timestamps, const AuditEvent& event,
                             uint64_t seq, std::string_view prev_hash, std::optional<uint64_t> dropped);

// Turns the canonical form that ends `out` (it must end with its closing `}`) into the finished
// line: `,"hash":"<hex>"}` and the newline.
void finish_record_in_place(std::string& out, std::string_view hash_hex);

}  // namespace weftkit::audit
