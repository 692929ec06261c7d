// A time zone as PostgreSQL 15 holds one (src/timezone/localtime.c: tzloadbody, tzparse,
// pg_next_dst_boundary, pg_interpret_timezone_abbrev; src/backend/utils/adt/datetime.c:
// DetermineTimeZoneOffsetInternal). PostgreSQL extends the file's transitions with changes
// generated from the TZ string for a few hundred years and repeats them every 400 years after
// that; here those changes are generated on demand for the years asked about, which gives the
// same answers for every year.
#include "compiler/values/time_zone.h"

#include <algorithm>

#include "compiler/values/civil_calendar.h"

namespace weftkit::policy {
namespace {

constexpr size_t kMaxDesignationChars = 50;  // tzfile.h's TZ_MAX_CHARS

// The NUL-terminated string starting at `index` of a designation list.
std::string_view designation_at(const std::string& designations, size_t index) {
  size_t end = designations.find('\0', index);
  if (end == std::string::npos) end = designations.size();
  return std::string_view(designations).substr(index, end - index);
}

int64_t year_of(int64_t utc_seconds) {
  int64_t year;
  unsigned month, day;
  civil_from_days(unix_day_of(utc_seconds), year, month, day);
  return year;
}

// Whether tzparse would generate any change for this rule: it tries year after year, so a rule
// with daylight time all year long gives none (and the zone is in daylight time for ever).
bool rule_has_transitions(const PosixTimeZone& rule) {
  if (!rule.daylight) return false;
  for (int64_t year = 1970; year < 1970 + 400; ++year) {
    if (posix_transitions_in_year(rule, year).count > 0) return true;
  }
  return false;
}

}  // namespace

std::optional<TimeZone> TimeZone::from_tzif(std::string_view bytes) {
  std::optional<TzifContents> contents = read_tzif(bytes);
  if (!contents) return std::nullopt;
  TimeZone zone;
  for (size_t index = 0; index < contents->transition_times.size(); ++index) {
    zone.transitions_.push_back({contents->transition_times[index], contents->transition_types[index]});
  }
  zone.types_ = std::move(contents->types);
  zone.designations_ = std::move(contents->designations);
  zone.leap_seconds_ = std::move(contents->leap_seconds);
  if (contents->footer) {
    // A TZ string PostgreSQL cannot read leaves the file's data as it is.
    if (std::optional<PosixTimeZone> rule = parse_posix_time_zone(*contents->footer)) zone.append_rule(*rule);
  }
  return zone;
}

std::optional<TimeZone> TimeZone::from_posix(std::string_view text) {
  std::optional<PosixTimeZone> rule = parse_posix_time_zone(text);
  if (!rule) return std::nullopt;
  TimeZone zone;
  // tzparse's layout: the standard type, then the daylight one; a zone in daylight time for
  // ever keeps only the daylight type.
  zone.designations_ = rule->standard_abbreviation + '\0';
  if (rule->daylight) zone.designations_ += rule->daylight->abbreviation + '\0';
  const size_t daylight_index = rule->standard_abbreviation.size() + 1;
  if (!rule->daylight) {
    zone.types_.push_back({rule->standard_utc_offset, false, 0});
  } else if (!rule_has_transitions(*rule)) {
    zone.types_.push_back({rule->daylight->utc_offset, true, daylight_index});
  } else {
    zone.types_.push_back({rule->standard_utc_offset, false, 0});
    zone.types_.push_back({rule->daylight->utc_offset, true, daylight_index});
    zone.rule_ = *rule;
    zone.rule_standard_type_ = 0;
    zone.rule_daylight_type_ = 1;
  }
  return zone;
}

// tzloadbody's extension of a file's data by its TZ string.
void TimeZone::append_rule(const PosixTimeZone& rule) {
  const bool has_transitions = rule_has_transitions(rule);
  std::vector<TzifLocalTimeType> rule_types;
  std::vector<std::string> rule_names;
  if (!rule.daylight || has_transitions) {
    rule_types.push_back({rule.standard_utc_offset, false, 0});
    rule_names.push_back(rule.standard_abbreviation);
  }
  if (rule.daylight) {
    rule_types.push_back({rule.daylight->utc_offset, true, 0});
    rule_names.push_back(rule.daylight->abbreviation);
  }
  // Reuse an abbreviation already in the file, even as the tail of a longer one ("EST" inside
  // "WEST"), else append it while there is room; give up on the rule when there is none.
  std::string designations = designations_;
  for (size_t index = 0; index < rule_types.size(); ++index) {
    bool found = false;
    for (size_t start = 0; start < designations.size(); ++start) {
      if (designation_at(designations, start) == rule_names[index]) {
        rule_types[index].designation_index = start;
        found = true;
        break;
      }
    }
    if (!found && designations.size() + rule_names[index].size() < kMaxDesignationChars) {
      rule_types[index].designation_index = designations.size();
      designations += rule_names[index] + '\0';
      found = true;
    }
    if (!found) return;
  }
  designations_ = std::move(designations);
  // zic may end a file with transitions that change nothing; PostgreSQL drops them.
  while (transitions_.size() > 1 && transitions_.back().type == transitions_[transitions_.size() - 2].type) {
    transitions_.pop_back();
  }
  const size_t first_rule_type = types_.size();
  types_.insert(types_.end(), rule_types.begin(), rule_types.end());
  if (has_transitions) {
    rule_ = rule;
    rule_standard_type_ = first_rule_type;
    rule_daylight_type_ = first_rule_type + 1;
  }
}

int64_t TimeZone::leap_correction(int64_t at) const {
  for (auto leap = leap_seconds_.rbegin(); leap != leap_seconds_.rend(); ++leap) {
    if (at >= leap->at) return leap->correction;
  }
  return 0;
}

// The rule's changes in these years, in order, as entries after the file's last transition.
std::vector<TimeZone::Transition> TimeZone::rule_transitions_in_years(int64_t first_year, int64_t last_year) const {
  std::vector<Transition> result;
  for (int64_t year = first_year; year <= last_year; ++year) {
    PosixYearTransitions changes = posix_transitions_in_year(*rule_, year);
    for (int index = 0; index < changes.count; ++index) {
      const PosixYearTransitions::Transition& change = changes.transitions[index];
      const int64_t at = change.at + leap_correction(change.at);
      if (!transitions_.empty() && at <= transitions_.back().at) continue;
      result.push_back({at, change.to_daylight ? rule_daylight_type_ : rule_standard_type_});
    }
  }
  return result;
}

// The first type that is not daylight time, else the first type: what a zone without
// transitions, or a time before the first one, uses.
size_t TimeZone::lowest_standard_type() const {
  for (size_t index = 0; index < types_.size(); ++index) {
    if (!types_[index].is_dst) return index;
  }
  return 0;
}

TimeZone::Boundary TimeZone::next_boundary(int64_t utc_seconds) const {
  if (transitions_.empty() && !rule_) return {lowest_standard_type(), std::nullopt};
  if (!transitions_.empty() && utc_seconds < transitions_.front().at) {
    return {lowest_standard_type(), transitions_.front()};
  }
  if (!transitions_.empty() && utc_seconds < transitions_.back().at) {
    auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                                 [](int64_t time, const Transition& transition) { return time < transition.at; });
    return {std::prev(next)->type, *next};
  }
  if (!rule_) return {transitions_.back().type, std::nullopt};
  // Past the file's data: the rule's changes around this time.
  const int64_t year = year_of(utc_seconds);
  std::optional<size_t> before;
  std::optional<Transition> next;
  for (const Transition& change : rule_transitions_in_years(year - 2, year + 2)) {
    if (change.at <= utc_seconds) {
      before = change.type;
    } else if (!next) {
      next = change;
    }
  }
  if (!before) before = transitions_.empty() ? rule_standard_type_ : transitions_.back().type;
  return {*before, next};
}

// DetermineTimeZoneOffsetInternal: look for a change from a day before the local time on (no
// zone changes its offset by a day or more, nor twice within two days), then see on which side
// of it the local time falls under each of the two offsets.
ZoneOffset TimeZone::offset_of_local_time(int64_t local_seconds) const {
  const Boundary boundary = next_boundary(local_seconds - kSecondsPerDay);
  const TzifLocalTimeType& before = types_[boundary.before_type];
  if (!boundary.next) return {before.utc_offset, before.is_dst};
  const TzifLocalTimeType& after = types_[boundary.next->type];
  const int64_t before_time = local_seconds - before.utc_offset;
  const int64_t after_time = local_seconds - after.utc_offset;
  const int64_t change = boundary.next->at;
  if (before_time < change && after_time < change) return {before.utc_offset, before.is_dst};
  if (before_time > change && after_time >= change) return {after.utc_offset, after.is_dst};
  // Skipped or repeated: spring forward keeps the earlier offset, fall back takes the later one.
  if (before_time > after_time) return {before.utc_offset, before.is_dst};
  return {after.utc_offset, after.is_dst};
}

std::optional<ZoneOffset> TimeZone::abbreviation_offset(std::string_view abbreviation, int64_t utc_seconds) const {
  // Only whole entries of the list count, not the tail of a longer abbreviation.
  std::optional<size_t> wanted;
  for (size_t start = 0; start < designations_.size();) {
    std::string_view name = designation_at(designations_, start);
    if (name == abbreviation) {
      wanted = start;
      break;
    }
    start += name.size() + 1;
  }
  if (!wanted) return std::nullopt;
  auto matches = [&](const Transition& transition) { return types_[transition.type].designation_index == *wanted; };
  auto offset_of = [&](const Transition& transition) {
    const TzifLocalTimeType& type = types_[transition.type];
    return ZoneOffset{type.utc_offset, type.is_dst};
  };
  const bool past_file = transitions_.empty() || utc_seconds >= transitions_.back().at;
  const int64_t year = year_of(utc_seconds);
  // The latest use at or before the time...
  if (past_file && rule_) {
    std::vector<Transition> changes = rule_transitions_in_years(year - 2, year);
    for (auto change = changes.rbegin(); change != changes.rend(); ++change) {
      if (change->at <= utc_seconds && matches(*change)) return offset_of(*change);
    }
  }
  const auto cutoff = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                                       [](int64_t time, const Transition& transition) { return time < transition.at; });
  for (auto transition = std::make_reverse_iterator(cutoff); transition != transitions_.rend(); ++transition) {
    if (matches(*transition)) return offset_of(*transition);
  }
  // ...else the earliest use after it.
  for (auto transition = cutoff; transition != transitions_.end(); ++transition) {
    if (matches(*transition)) return offset_of(*transition);
  }
  if (rule_) {
    const int64_t from_year = past_file ? year : year_of(transitions_.back().at);
    for (const Transition& change : rule_transitions_in_years(from_year, from_year + 2)) {
      if (change.at > utc_seconds && matches(change)) return offset_of(change);
    }
  }
  return std::nullopt;
}

}  // namespace weftkit::policy
