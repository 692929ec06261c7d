// The record's canonical JSON form and its timestamp (record.h).
#include <weftkit/audit/record.h>

#include "audit/json_line.h"

#include <ctime>

namespace weftkit::audit {

std::string_view event_name(EventKind kind) { return config::to_string(kind); }

std::string format_timestamp(Clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  // Floor division, so that times before 1970 still get a fraction in [0, 1e6).
  int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    seconds -= 1;
  }
  const std::time_t as_time_t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  // RFC 3339 has four-digit years only; a clock that far off is shown as the nearest end.
  if (gmtime_r(&as_time_t, &utc) == nullptr || utc.tm_year + 1900 < 0) return "0000-01-01T00:00:00.000000Z";
  if (utc.tm_year + 1900 > 9999) return "9999-12-31T23:59:59.999999Z";
  // Written digit by digit: snprintf was a tenth of the writer's time.
  std::string text = "0000-00-00T00:00:00.000000Z";
  const auto put = [&](std::size_t at, int64_t number, int digits) {
    for (int i = digits - 1; i >= 0; --i, number /= 10) text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + number % 10);
  };
  put(0, utc.tm_year + 1900, 4);
  put(5, utc.tm_mon + 1, 2);
  put(8, utc.tm_mday, 2);
  put(11, utc.tm_hour, 2);
  put(14, utc.tm_min, 2);
  put(17, utc.tm_sec, 2);
  put(20, fraction, 6);
  return text;
}

std::string canonical_record(const AuditEvent& event, const ChainPosition& position, std::optional<uint64_t> dropped) {
  std::string out;
  out.reserve(256 + event.identity.size() + event.resource.size());
  JsonLine line(out);
  line.number_member("v", kRecordVersion);
  line.number_member("seq", position.seq);
  line.string_member("timestamp", format_timestamp(event.timestamp.value_or(Clock::time_point{})));
  line.string_member("event", dropped ? std::string_view("events_dropped") : event_name(event.kind));
  line.string_member("identity", event.identity);
  line.string_member("tenant", event.tenant);
  line.string_member("operation", event.operation);
  line.string_member("resource", event.resource);
  line.string_member("result", event.result);
  line.string_member("source_ip", event.source_ip);
  if (event.auth_method) line.string_member("auth_method", *event.auth_method);
  if (event.reason) line.string_member("reason", *event.reason);
  if (event.policy_generation) line.number_member("policy_generation", *event.policy_generation);
  if (event.decided_by) line.string_member("decided_by", *event.decided_by);
  if (event.session_id) line.string_member("session_id", *event.session_id);
  if (event.statement_id) line.string_member("statement_id", *event.statement_id);
  if (dropped) line.number_member("dropped", *dropped);
  line.string_member("prev", position.prev_hash);
  out.push_back('}');
  return out;
}

std::string finish_record(std::string_view canonical, std::string_view hash_hex) {
  std::string out;
  out.reserve(canonical.size() + hash_hex.size() + 12);
  out.append(canonical.substr(0, canonical.empty() ? 0 : canonical.size() - 1));
  out += ",\"hash\":\"";
  out.append(hash_hex);
  out += "\"}\n";
  return out;
}

}  // namespace weftkit::audit
