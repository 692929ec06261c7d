// The time zone abbreviations PostgreSQL 15 accepts in date/time input with its default
// timezone_abbreviations = 'Default': a fixed offset (EST, standard; CEST, daylight) or a zone
// whose own history says what the abbreviation meant at the time (MSK means Europe/Moscow).
#pragma once

#include <cstdint>
#include <string_view>

namespace weftkit::policy {

struct TimeZoneAbbreviation {
  enum class Kind { kStandard, kDaylight, kDynamic };
  std::string_view name;  // lower case
  Kind kind;
  int32_t utc_offset;     // seconds east of UTC, for a fixed abbreviation
  std::string_view zone;  // the zone's name, for a dynamic one
};

// The abbreviation with this name (lower case), or nullptr.
const TimeZoneAbbreviation* find_time_zone_abbreviation(std::string_view lower_name);

}  // namespace weftkit::policy
