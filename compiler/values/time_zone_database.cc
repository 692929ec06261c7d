// pg_tzset (src/timezone/pgtz.c) and the file lookup under it (pg_open_tzfile,
// scan_directory_ci), over the system tz database.
#include "compiler/values/time_zone_database.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

constexpr size_t kMaxNameLength = 255;  // TZ_STRLEN_MAX
constexpr const char* kSystemDirectory = "/usr/share/zoneinfo";

std::string upper_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The entry of `directory` whose name equals `component` ignoring case; entries starting with
// a dot never match, so ".." cannot leave the database.
std::optional<std::filesystem::path> find_entry(const std::filesystem::path& directory, std::string_view component) {
  if (component.empty()) return std::nullopt;
  std::error_code error;
  std::filesystem::directory_iterator entries(directory, error);
  if (error) return std::nullopt;
  for (const std::filesystem::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (upper_case(name) == component) return entry.path();
  }
  return std::nullopt;
}

// The bytes of a regular file (a directory, like "Europe" itself, is no zone).
std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return std::nullopt;
  return bytes;
}

}  // namespace

TimeZoneDatabase::TimeZoneDatabase(std::filesystem::path directory) : directory_(std::move(directory)) {}

const TimeZoneDatabase& TimeZoneDatabase::system() {
  static const TimeZoneDatabase database{std::filesystem::path(kSystemDirectory)};
  return database;
}

// tzdata installs UTC at the top level and under Etc/; without either, there is no database.
bool TimeZoneDatabase::installed() const {
  std::error_code error;
  return std::filesystem::is_regular_file(directory_ / "UTC", error) ||
         std::filesystem::is_regular_file(directory_ / "Etc" / "UTC", error);
}

std::shared_ptr<const TimeZone> TimeZoneDatabase::find(std::string_view name) const {
  if (name.size() > kMaxNameLength) return nullptr;
  const std::string upper_name = upper_case(name);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto cached = zones_.find(upper_name); cached != zones_.end()) return cached->second;
  }
  std::shared_ptr<const TimeZone> zone = load(upper_name, name);
  if (zone) {
    std::lock_guard<std::mutex> lock(mutex_);
    zones_.emplace(upper_name, zone);
  }
  return zone;
}

std::shared_ptr<const TimeZone> TimeZoneDatabase::load(const std::string& upper_name, std::string_view name) const {
  // PostgreSQL always builds GMT from its TZ string, never from a file.
  if (upper_name == "GMT") return std::make_shared<const TimeZone>(*TimeZone::from_posix("GMT0"));
  if (!installed()) {
    raise_sql_error("time zone \"" + std::string(name) + "\" cannot be looked up: the time zone database " +
                    directory_.string() + " is missing (install the tzdata package)");
  }
  // The file, one directory level at a time.
  std::optional<std::filesystem::path> path = directory_;
  for (size_t start = 0; path;) {
    const size_t slash = upper_name.find('/', start);
    const std::string_view component =
        std::string_view(upper_name).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    path = find_entry(*path, component);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (path) {
    if (std::optional<std::string> bytes = read_file(*path)) {
      if (std::optional<TimeZone> zone = TimeZone::from_tzif(*bytes)) return std::make_shared<const TimeZone>(*zone);
    }
  }
  // Not a zone file: perhaps a POSIX TZ string ("UTC+3" is three hours west).
  if (upper_name.empty() || upper_name[0] == ':') return nullptr;
  if (std::optional<TimeZone> zone = TimeZone::from_posix(upper_name)) return std::make_shared<const TimeZone>(*zone);
  return nullptr;
}

}  // namespace weftkit::policy
