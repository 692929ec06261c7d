// The pieces under time zone input: POSIX TZ strings as tzparse reads them, the changes they
// generate, TZif decoding, and the tz database lookup. Instants are checked against PostgreSQL
// 15.18 (extract(epoch from timestamptz '...+00')); tests/cases/value_input.cases covers the results
// as PostgreSQL prints them.
#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/values/civil_calendar.h"
#include "compiler/values/posix_time_zone.h"
#include "compiler/values/sql_error.h"
#include "compiler/values/time_zone.h"
#include "compiler/values/time_zone_database.h"

namespace weftkit::policy {
namespace {

TEST(PosixTimeZone, ReadsNamesOffsetsAndRulesWithWestPositiveOffsets) {
  std::optional<PosixTimeZone> paris = parse_posix_time_zone("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(paris.has_value());
  EXPECT_EQ(paris->standard_abbreviation, "CET");
  EXPECT_EQ(paris->standard_utc_offset, 3600);
  ASSERT_TRUE(paris->daylight.has_value());
  EXPECT_EQ(paris->daylight->abbreviation, "CEST");
  EXPECT_EQ(paris->daylight->utc_offset, 7200) << "daylight defaults to an hour ahead";
  EXPECT_EQ(paris->daylight->start.month, 3);
  EXPECT_EQ(paris->daylight->start.week, 5);
  EXPECT_EQ(paris->daylight->start.time, 7200) << "02:00 by default";
  EXPECT_EQ(paris->daylight->end.time, 3 * 3600);

  std::optional<PosixTimeZone> quoted = parse_posix_time_zone("<+0330>-3:30");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(quoted->standard_abbreviation, "+0330");
  EXPECT_EQ(quoted->standard_utc_offset, 3 * 3600 + 1800);
  EXPECT_FALSE(quoted->daylight.has_value());
}

TEST(PosixTimeZone, RejectsWhatTzparseRejects) {
  for (const char* text : {"CET", "CET-1CEST,M3.5.0", "ABC5DEF4X", "ABC168", "<ABC5", "ABC5DEF,M13.1.0,M10.5.0",
                           "ABC5DEF,M3.5.0,M10.5.0/3x"}) {
    EXPECT_FALSE(parse_posix_time_zone(text).has_value()) << text;
  }
  EXPECT_TRUE(parse_posix_time_zone("ABC167").has_value()) << "offsets run to 167 hours";
}

TEST(PosixTimeZone, DaylightNameWithoutRulesFollowsTodaysUsRules) {
  std::optional<PosixTimeZone> zone = parse_posix_time_zone("ABC5DEF");
  ASSERT_TRUE(zone.has_value());
  PosixYearTransitions changes = posix_transitions_in_year(*zone, 1990);
  ASSERT_EQ(changes.count, 2);
  // Second Sunday of March 1990, 02:00 at UTC-5 (PostgreSQL: '1990-03-11 07:00+00').
  EXPECT_EQ(changes.transitions[0].at, 637138800);
  EXPECT_TRUE(changes.transitions[0].to_daylight);
}

TEST(PosixTimeZone, ChangesOfAYearComeInTimeOrder) {
  const PosixTimeZone central_europe = parse_posix_time_zone("CET-1CEST,M3.5.0,M10.5.0/3").value();
  PosixYearTransitions paris = posix_transitions_in_year(central_europe, 2024);
  ASSERT_EQ(paris.count, 2);
  EXPECT_EQ(paris.transitions[0].at, 1711846800);  // 2024-03-31 01:00+00
  EXPECT_TRUE(paris.transitions[0].to_daylight);
  EXPECT_EQ(paris.transitions[1].at, 1729990800);  // 2024-10-27 01:00+00
  EXPECT_FALSE(paris.transitions[1].to_daylight);
  // Southern hemisphere: daylight time ends in April and starts again in October.
  const PosixTimeZone eastern_australia = parse_posix_time_zone("AEST-10AEDT,M10.1.0,M4.1.0/3").value();
  PosixYearTransitions sydney = posix_transitions_in_year(eastern_australia, 2024);
  ASSERT_EQ(sydney.count, 2);
  EXPECT_EQ(sydney.transitions[0].at, 1712419200);  // 2024-04-06 16:00+00
  EXPECT_FALSE(sydney.transitions[0].to_daylight);
  EXPECT_EQ(sydney.transitions[1].at, 1728144000);  // 2024-10-05 16:00+00
  EXPECT_TRUE(sydney.transitions[1].to_daylight);
}

TEST(PosixTimeZone, NegativeRuleTimeFallsOnThePreviousDay) {
  // America/Nuuk's rule: the change "at -1:00 on the last Sunday of March" is Saturday 23:00.
  std::optional<PosixTimeZone> rule = parse_posix_time_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  ASSERT_TRUE(rule.has_value());
  PosixYearTransitions nuuk = posix_transitions_in_year(*rule, 2024);
  ASSERT_EQ(nuuk.count, 2);
  EXPECT_EQ(nuuk.transitions[0].at, 1711846800);  // 2024-03-31 01:00+00
  EXPECT_EQ(nuuk.transitions[1].at, 1729990800);  // 2024-10-27 01:00+00
}

TEST(TimeZone, PosixZoneReadsSkippedAndRepeatedLocalTimesLikeNamedZones) {
  std::optional<TimeZone> zone = TimeZone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(zone.has_value());
  // Local wall-clock times, counted like Unix seconds.
  auto local = [](unsigned month, unsigned day, int64_t seconds) {
    return days_from_civil(2024, month, day) * kSecondsPerDay + seconds;
  };
  EXPECT_EQ(zone->offset_of_local_time(local(3, 31, 2 * 3600 + 1800)).utc_offset, 3600) << "02:30 skipped: before";
  EXPECT_EQ(zone->offset_of_local_time(local(3, 31, 3 * 3600)).utc_offset, 7200);
  EXPECT_EQ(zone->offset_of_local_time(local(10, 27, 2 * 3600 + 1800)).utc_offset, 3600) << "02:30 repeated: after";
  EXPECT_EQ(zone->offset_of_local_time(local(10, 27, 1 * 3600 + 1800)).utc_offset, 7200);
}

TEST(TimeZone, RejectsBytesThatAreNoTzifFile) {
  EXPECT_FALSE(TimeZone::from_tzif("").has_value());
  EXPECT_FALSE(TimeZone::from_tzif("# tzdb timezone descriptions\nAD\t+4230+00131\tEurope/Andorra\n").has_value());
  EXPECT_FALSE(TimeZone::from_tzif(std::string("TZif") + std::string(40, '\0')).has_value())
      << "a file must have at least one local time type";
}

TEST(TimeZoneDatabase, MissingDatabaseIsReportedAsMissingNotAsAnUnknownZone) {
  TimeZoneDatabase database(std::filesystem::path("/nonexistent/zoneinfo"));
  try {
    database.find("europe/paris");
    FAIL() << "expected an error";
  } catch (const SqlError& error) {
    EXPECT_STREQ(error.what(),
                 "time zone \"europe/paris\" cannot be looked up: the time zone database /nonexistent/zoneinfo is "
                 "missing (install the tzdata package)");
  }
}

TEST(TimeZoneDatabase, FindsFilesIgnoringCaseButNeverOutsideTheDatabase) {
  const TimeZoneDatabase& database = TimeZoneDatabase::system();
  EXPECT_NE(database.find("europe/paris"), nullptr);
  EXPECT_EQ(database.find("europe/paris"), database.find("EUROPE/PARIS")) << "one zone, cached by its upper-case name";
  EXPECT_EQ(database.find("europe/../utc"), nullptr);
  EXPECT_EQ(database.find("europe"), nullptr) << "a directory is no zone";
  EXPECT_EQ(database.find("zone.tab"), nullptr) << "nor a file that is not TZif";
  EXPECT_NE(database.find("utc+3"), nullptr) << "a POSIX TZ string";
}

}  // namespace
}  // namespace weftkit::policy
