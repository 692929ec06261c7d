// One time zone's rules, answering the two questions PostgreSQL 15's date/time input asks of a
// zone: what UTC offset a local time has (DetermineTimeZoneOffset, with its choice for local times
// that a change skips or repeats), and what an abbreviation meant there around a given time
// (DetermineTimeZoneAbbrevOffset). Built from a TZif file or a POSIX TZ string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/values/posix_time_zone.h"
#include "compiler/values/tzif_file.h"

namespace weftkit::policy {

struct ZoneOffset {
  int64_t utc_offset = 0;  // seconds east of UTC
  bool is_dst = false;
};

class TimeZone {
 public:
  // nullopt when PostgreSQL would not load it.
  static std::optional<TimeZone> from_tzif(std::string_view bytes);
  static std::optional<TimeZone> from_posix(std::string_view text);

  // The offset of a local wall-clock time (seconds since 1970-01-01 00:00 local). A time skipped
  // by a change (spring forward) takes the offset from before it, a repeated one (fall back) the
  // offset from after it.
  ZoneOffset offset_of_local_time(int64_t local_seconds) const;

  // What `abbreviation` (upper case) meant in this zone at UTC time `utc_seconds`: the latest
  // use at or before then, else the earliest after; nullopt when the zone never used it.
  std::optional<ZoneOffset> abbreviation_offset(std::string_view abbreviation, int64_t utc_seconds) const;

 private:
  // An entry of the transition table PostgreSQL builds: the file's transitions, then changes
  // generated from the TZ string for as long as needed.
  struct Transition {
    int64_t at = 0;
    size_t type = 0;
  };
  // pg_next_dst_boundary's answer for a time: the type in force and, when there is one, the next
  // change after it.
  struct Boundary {
    size_t before_type = 0;
    std::optional<Transition> next;
  };

  Boundary next_boundary(int64_t utc_seconds) const;
  size_t lowest_standard_type() const;
  std::vector<Transition> rule_transitions_in_years(int64_t first_year, int64_t last_year) const;
  int64_t leap_correction(int64_t at) const;
  void append_rule(const PosixTimeZone& rule);

  std::vector<Transition> transitions_;          // from the file
  std::vector<TzifLocalTimeType> types_;
  std::string designations_;                     // NUL-terminated abbreviations
  std::vector<TzifLeapSecond> leap_seconds_;
  std::optional<PosixTimeZone> rule_;            // only when it has changes
  size_t rule_standard_type_ = 0;
  size_t rule_daylight_type_ = 0;
};

}  // namespace weftkit::policy
