// The record's canonical JSON form and its timestamp (record.h, record_format.h).
#include <weftkit/audit/record.h>

#include "audit/json_line.h"
#include "audit/record_format.h"

#include <charconv>
#include <ctime>

namespace weftkit::audit {
namespace {

void put_digits(char* text, int64_t number, int digits) {
  for (int i = digits - 1; i >= 0; --i, number /= 10) text[i] = static_cast<char>('0' + number % 10);
}

}  // namespace

std::string_view event_name(EventKind kind) { return config::to_string(kind); }

void TimestampFormatter::append(std::string& out, Clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  // Floor division, so that times before 1970 still get a fraction in [0, 1e6).
  int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    seconds -= 1;
  }
  if (!cached_ || seconds != cached_second_) {
    // gmtime_r takes a lock and converts through the time zone code: once per second is enough.
    cached_ = true;
    cached_second_ = seconds;
    clamped_ = false;
    const std::time_t as_time_t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    // RFC 3339 has four-digit years only; a clock that far off is shown as the nearest end.
    if (gmtime_r(&as_time_t, &utc) == nullptr || utc.tm_year + 1900 < 0) {
      std::string_view("0000-01-01T00:00:00.000000Z").copy(text_, sizeof text_);
      clamped_ = true;
    } else if (utc.tm_year + 1900 > 9999) {
      std::string_view("9999-12-31T23:59:59.999999Z").copy(text_, sizeof text_);
      clamped_ = true;
    } else {
      std::string_view("0000-00-00T00:00:00.000000Z").copy(text_, sizeof text_);
      put_digits(text_, utc.tm_year + 1900, 4);
      put_digits(text_ + 5, utc.tm_mon + 1, 2);
      put_digits(text_ + 8, utc.tm_mday, 2);
      put_digits(text_ + 11, utc.tm_hour, 2);
      put_digits(text_ + 14, utc.tm_min, 2);
      put_digits(text_ + 17, utc.tm_sec, 2);
    }
  }
  if (!clamped_) put_digits(text_ + 20, fraction, 6);
  out.append(text_, sizeof text_);
}

std::string format_timestamp(Clock::time_point time) {
  TimestampFormatter formatter;
  std::string text;
  formatter.append(text, time);
  return text;
}

namespace {

// The members after the first are appended as one literal `,"name":"` (or `,"name":`), the value
// and the closing quote: three appends where a generic JSON writer makes seven, which showed in
// the writer's profile. The names are the record's own constants and need no escaping.
void string_member(std::string& out, std::string_view prefix, std::string_view value) {
  out.append(prefix);
  append_json_string_body(out, value);
  out.push_back('"');
}

void number_member(std::string& out, std::string_view prefix, uint64_t value) {
  out.append(prefix);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

void append_canonical_record(std::string& out, TimestampFormatter& timestamps, const AuditEvent& event,
                             uint64_t seq, std::string_view prev_hash, std::optional<uint64_t> dropped) {
  static_assert(kRecordVersion == 1, "the literal below spells the version");
  out.append("{\"v\":1");
  number_member(out, ",\"seq\":", seq);
  // The timestamp needs no escaping: digits and separators only.
  out.append(",\"timestamp\":\"");
  timestamps.append(out, event.timestamp.value_or(Clock::time_point{}));
  out.push_back('"');
  string_member(out, ",\"event\":\"", dropped ? std::string_view("events_dropped") : event_name(event.kind));
  string_member(out, ",\"identity\":\"", event.identity);
  string_member(out, ",\"tenant\":\"", event.tenant);
  string_member(out, ",\"operation\":\"", event.operation);
  string_member(out, ",\"resource\":\"", event.resource);
  string_member(out, ",\"result\":\"", event.result);
  string_member(out, ",\"source_ip\":\"", event.source_ip);
  if (event.auth_method) string_member(out, ",\"auth_method\":\"", *event.auth_method);
  if (event.reason) string_member(out, ",\"reason\":\"", *event.reason);
  if (event.policy_generation) number_member(out, ",\"policy_generation\":", *event.policy_generation);
  if (event.decided_by) string_member(out, ",\"decided_by\":\"", *event.decided_by);
  if (event.session_id) string_member(out, ",\"session_id\":\"", *event.session_id);
  if (event.statement_id) string_member(out, ",\"statement_id\":\"", *event.statement_id);
  if (dropped) number_member(out, ",\"dropped\":", *dropped);
  string_member(out, ",\"prev\":\"", prev_hash);
  out.push_back('}');
}

void finish_record_in_place(std::string& out, std::string_view hash_hex) {
  if (!out.empty()) out.pop_back();  // the canonical form's closing brace
  out += ",\"hash\":\"";
  out.append(hash_hex);
  out += "\"}\n";
}

std::string canonical_record(const AuditEvent& event, const ChainPosition& position, std::optional<uint64_t> dropped) {
  std::string out;
  out.reserve(256 + event.identity.size() + event.resource.size());
  TimestampFormatter timestamps;
  append_canonical_record(out, timestamps, event, position.seq, position.prev_hash, dropped);
  return out;
}

std::string finish_record(std::string_view canonical, std::string_view hash_hex) {
  std::string out;
  out.reserve(canonical.size() + hash_hex.size() + 12);
  out.append(canonical);
  finish_record_in_place(out, hash_hex);
  return out;
}

}  // namespace weftkit::audit
