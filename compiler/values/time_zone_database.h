// Time zones by name, found as PostgreSQL 15's pg_tzset finds them: a file of the system tz
// database (/usr/share/zoneinfo, which Debian's tzdata installs and Debian's PostgreSQL reads),
// matched case-insensitively one directory level at a time, else a POSIX TZ string ("UTC+3").
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "compiler/values/time_zone.h"

namespace weftkit::policy {

class TimeZoneDatabase {
 public:
  explicit TimeZoneDatabase(std::filesystem::path directory);

  // The zone, or nullptr when PostgreSQL would not recognize the name. Raises SqlError saying so
  // when the tz database itself is missing, rather than calling every zone unknown.
  std::shared_ptr<const TimeZone> find(std::string_view name) const;

  // The database PostgreSQL reads on Debian.
  static const TimeZoneDatabase& system();

 private:
  std::shared_ptr<const TimeZone> load(const std::string& upper_name, std::string_view name) const;
  bool installed() const;

  std::filesystem::path directory_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const TimeZone>> zones_;  // by upper-case name
};

}  // namespace weftkit::policy
