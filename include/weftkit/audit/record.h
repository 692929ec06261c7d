// The audit record: one JSON line per event, chained to the previous record by hash
// (SHA-256, or HMAC-SHA256 with a key). Used by the writer and by verify; public so that
// tests and tools can build records exactly as the writer does.
#pragma once

#include <weftkit/audit/event.h>
#include <weftkit/status.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::audit {

inline constexpr int kRecordVersion = 1;
inline constexpr std::size_t kHashHexSize = 64;
// The `prev` of the very first record of a log.
inline const std::string kGenesisHash(kHashHexSize, '0');

// Computes record hashes: HMAC-SHA256 under `key` when one is given, else SHA-256. Reuses
// one OpenSSL context, so one ChainHasher per thread.
class ChainHasher {
 public:
  static StatusOr<ChainHasher> create(std::optional<std::string> key);
  ChainHasher(ChainHasher&&) noexcept;
  ChainHasher& operator=(ChainHasher&&) noexcept;
  ~ChainHasher();

  bool keyed() const;
  // Lowercase hex of the hash of `canonical`, or an error if OpenSSL fails.
  StatusOr<std::string> hex_hash(std::string_view canonical);
  // The same hex written to `hex_out[0, kHashHexSize)`, for callers that reuse a buffer.
  Status hex_hash_into(std::string_view canonical, char* hex_out);

 private:
  struct State;
  explicit ChainHasher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Where a record sits in the chain.
struct ChainPosition {
  uint64_t seq = 0;
  std::string prev_hash = kGenesisHash;
};

// The canonical form of a record: the JSON object without its `hash` member, exactly the
// bytes of the line before `,"hash":` followed by `}`. `dropped` is set only for the writer's
// own events_dropped record (then `event` is ignored and written as "events_dropped").
std::string canonical_record(const AuditEvent& event, const ChainPosition& position,
                             std::optional<uint64_t> dropped = std::nullopt);

// The complete line, newline included: canonical form with `"hash":"<hex>"` appended.
std::string finish_record(std::string_view canonical, std::string_view hash_hex);

// RFC 3339 UTC with microseconds: 2026-12-07T05:41:00.123456Z.
std::string format_timestamp(Clock::time_point time);

// The record's name for an event kind, as in WEFTKIT_AUDIT_EVENTS ("authz_deny").
std::string_view event_name(EventKind kind);

}  // namespace weftkit::audit
