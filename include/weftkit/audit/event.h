// One security event as a producer reports it, before the writer gives it a sequence number
// and a place in the hash chain.
#pragma once

#include <weftkit/config.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace weftkit::audit {

// The event kinds are the ones WEFTKIT_AUDIT_EVENTS names (config::AuditEvent), so that the
// filter and the record share one list.
using EventKind = config::AuditEvent;

using Clock = std::chrono::system_clock;

struct AuditEvent {
  EventKind kind = EventKind::kAuth;
  // Unset: the writer stamps the time the event was submitted.
  std::optional<Clock::time_point> timestamp;
  std::string identity;
  std::string tenant;
  std::string operation;
  std::string resource;
  std::string result;  // "success", "failure", "denied", "allowed", "accepted", "rejected", ...
  std::string source_ip;
  std::optional<std::string> auth_method;
  std::optional<std::string> reason;
  std::optional<uint64_t> policy_generation;
  std::optional<std::string> decided_by;  // "policies.sql:12:18"
  std::optional<std::string> session_id;
  std::optional<std::string> statement_id;
};

}  // namespace weftkit::audit
