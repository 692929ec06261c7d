// Time zones in date/time input: full tz database names, PostgreSQL's default abbreviations, POSIX
// TZ strings, and PostgreSQL's choices and messages around them. Every expected value was read off
// PostgreSQL 15.18 (Debian 15.18-0+deb12u1) with SET TimeZone = 'UTC', reading the same
// /usr/share/zoneinfo (tzdata 2025b); a later tzdata that changes a zone's rules changes
// PostgreSQL's answers for it too.
#include <gtest/gtest.h>

#include <tuple>

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"
#include "tests/compiler/values/value_input_support.h"

namespace weftkit::policy {
namespace {


using Case = std::pair<const char*, const char*>;

void expect_timestamptz(std::initializer_list<Case> cases) {
  for (const auto& [input, expected] : cases) EXPECT_EQ(round_trip(input, TypeId::kTimestamptz), expected) << input;
}

TEST(TimeZoneInput, NamedZoneGivesItsOffsetOnEachSideOfDaylightTime) {
  expect_timestamptz({
      {"2024-01-15 12:00 Europe/Paris", "2024-01-15 11:00:00+00"},
      {"2024-07-15 12:00 Europe/Paris", "2024-07-15 10:00:00+00"},
      {"2024-01-15 12:00 America/New_York", "2024-01-15 17:00:00+00"},
      {"2024-07-15 12:00 America/New_York", "2024-07-15 16:00:00+00"},
      {"2024-01-15 12:00 Australia/Sydney", "2024-01-15 01:00:00+00"},  // southern summer
      {"2024-07-15 12:00 Australia/Sydney", "2024-07-15 02:00:00+00"},
      {"2024-07-15 12:00 Asia/Kolkata", "2024-07-15 06:30:00+00"},
      {"2024-07-15 12:00 America/Argentina/Buenos_Aires", "2024-07-15 15:00:00+00"},
      {"2024-07-15 12:00 America/Port-au-Prince", "2024-07-15 16:00:00+00"},
      {"2024-07-15 12:00 Etc/GMT+5", "2024-07-15 17:00:00+00"},  // POSIX sign: GMT+5 is west
      {"2024-07-15 12:00 w-su", "2024-07-15 09:00:00+00"},
      {"2024-07-15 12:00 posix/Europe/Paris", "2024-07-15 10:00:00+00"},
  });
}

TEST(TimeZoneInput, ZoneNamesAreCaseInsensitive) {
  expect_timestamptz({
      {"2024-07-15 12:00 europe/paris", "2024-07-15 10:00:00+00"},
      {"2024-07-15 12:00 EUROPE/PARIS", "2024-07-15 10:00:00+00"},
      {"2024-07-15 12:00 eUrOpE/pArIs", "2024-07-15 10:00:00+00"},
      {"2024-07-15 12:00 japan", "2024-07-15 03:00:00+00"},
      {"2024-07-15 12:00 JAPAN", "2024-07-15 03:00:00+00"},
  });
}

TEST(TimeZoneInput, ZoneMayFollowTheTimeDirectlyOrComeAmongTheDateFields) {
  expect_timestamptz({
      {"2024-07-15T12:00:00Europe/Paris", "2024-07-15 10:00:00+00"},
      {"2024-07-15 1:00pm Europe/Paris", "2024-07-15 11:00:00+00"},
      {"Jul 15 Europe/Paris 2024 12:00", "2024-07-15 10:00:00+00"},  // month and day already read
      {"2024-07-15 at 12:00 Europe/Paris", "2024-07-15 10:00:00+00"},
  });
}

// DetermineTimeZoneOffset: a local time skipped when clocks spring forward is read with the
// offset from before the change.
TEST(TimeZoneInput, LocalTimeSkippedBySpringForwardTakesTheOffsetFromBefore) {
  expect_timestamptz({
      {"2024-03-31 01:59:59 Europe/Paris", "2024-03-31 00:59:59+00"},
      {"2024-03-31 02:00 Europe/Paris", "2024-03-31 01:00:00+00"},
      {"2024-03-31 02:30 Europe/Paris", "2024-03-31 01:30:00+00"},
      {"2024-03-31 02:59:59 Europe/Paris", "2024-03-31 01:59:59+00"},
      {"2024-03-31 03:00 Europe/Paris", "2024-03-31 01:00:00+00"},
      {"2024-03-10 02:30 America/New_York", "2024-03-10 07:30:00+00"},
      {"2024-10-06 02:30 Australia/Sydney", "2024-10-05 16:30:00+00"},
  });
}

// ...and a local time repeated when clocks fall back is read with the offset from after it.
TEST(TimeZoneInput, LocalTimeRepeatedByFallBackTakesTheOffsetFromAfter) {
  expect_timestamptz({
      {"2024-10-27 01:59:59 Europe/Paris", "2024-10-26 23:59:59+00"},
      {"2024-10-27 02:00 Europe/Paris", "2024-10-27 01:00:00+00"},
      {"2024-10-27 02:30 Europe/Paris", "2024-10-27 01:30:00+00"},
      {"2024-10-27 02:59:59 Europe/Paris", "2024-10-27 01:59:59+00"},
      {"2024-10-27 03:00 Europe/Paris", "2024-10-27 02:00:00+00"},
      {"2024-11-03 01:30 America/New_York", "2024-11-03 06:30:00+00"},
      {"2024-04-07 02:30 Australia/Sydney", "2024-04-06 16:30:00+00"},
  });
}

// Past the last transition stored in the file, the TZ string at its end rules, for any year.
TEST(TimeZoneInput, DatesBeyondTheLastTransitionFollowTheZonesPosixRule) {
  expect_timestamptz({
      {"2038-07-01 12:00 Europe/Paris", "2038-07-01 10:00:00+00"},
      {"2100-01-01 12:00 Europe/Paris", "2100-01-01 11:00:00+00"},
      {"3000-07-01 12:00 Europe/Paris", "3000-07-01 10:00:00+00"},
      {"3000-03-30 02:30 Europe/Paris", "3000-03-30 01:30:00+00"},  // skipped
      {"3000-10-26 02:30 Europe/Paris", "3000-10-26 01:30:00+00"},  // repeated
      {"10000-07-01 12:00 America/New_York", "10000-07-01 16:00:00+00"},
      {"294276-07-01 12:00 Europe/Paris", "294276-07-01 10:00:00+00"},
  });
}

// Before the first transition a zone keeps its first standard type: local mean time.
TEST(TimeZoneInput, DatesBeforeTheFirstTransitionUseLocalMeanTime) {
  expect_timestamptz({
      {"1800-01-01 12:00 Europe/Paris", "1800-01-01 11:50:39+00"},
      {"1000-01-01 12:00 America/New_York", "1000-01-01 16:56:02+00"},
      {"1883-11-18 11:59 America/New_York", "1883-11-18 16:55:02+00"},
      {"1883-11-18 12:05 America/New_York", "1883-11-18 17:05:00+00"},  // railway time began at noon
      {"0044-03-15 12:00 Europe/Rome BC", "0044-03-15 11:10:04+00 BC"},
  });
}

TEST(TimeZoneInput, FixedAbbreviationsKeepTheirOffsetAllYear) {
  expect_timestamptz({
      {"2024-07-15 12:00 EST", "2024-07-15 17:00:00+00"},
      {"2024-07-15 12:00 PST", "2024-07-15 20:00:00+00"},
      {"2024-07-15 12:00 CET", "2024-07-15 11:00:00+00"},
      {"2024-01-15 12:00 CEST", "2024-01-15 10:00:00+00"},
      {"2024-07-15 12:00 JST", "2024-07-15 03:00:00+00"},
      {"2024-07-15 12:00 NZDT", "2024-07-14 23:00:00+00"},
      {"2024-07-15 12:00 ACST", "2024-07-15 02:30:00+00"},
      {"2024-07-15 12:00 z", "2024-07-15 12:00:00+00"},
      {"2024-07-15 12:00 zulu", "2024-07-15 12:00:00+00"},
      {"2024-07-15 12:00 UT", "2024-07-15 12:00:00+00"},
  });
}

TEST(TimeZoneInput, AbbreviationsAreCaseInsensitive) {
  expect_timestamptz({
      {"2024-07-15 12:00 jst", "2024-07-15 03:00:00+00"},
      {"2024-07-15 12:00 JsT", "2024-07-15 03:00:00+00"},
  });
}

// A dynamic abbreviation (MSK means Europe/Moscow) takes the meaning its zone gave it at that
// time: the latest use at or before it, else the zone's own offset then.
TEST(TimeZoneInput, DynamicAbbreviationsMeanWhatTheirZoneMeantThen) {
  expect_timestamptz({
      {"2010-07-15 12:00 MSK", "2010-07-15 09:00:00+00"},
      {"2012-07-15 12:00 MSK", "2012-07-15 08:00:00+00"},  // Moscow kept +04 in 2011-2014
      {"2024-07-15 12:00 MSK", "2024-07-15 09:00:00+00"},
      {"2024-07-15 12:00 MSD", "2024-07-15 08:00:00+00"},  // last used in 2010, as +04
      {"2010-07-15 12:00 VET", "2010-07-15 16:30:00+00"},
      {"2024-07-15 12:00 VET", "2024-07-15 16:00:00+00"},
      {"2024-01-15 12:00 LHDT", "2024-01-15 01:00:00+00"},
      {"2024-07-15 12:00 LHDT", "2024-07-15 01:30:00+00"},
      // America/Santiago's data no longer says CLT: the zone's offset at the time.
      {"2024-01-15 12:00 CLT", "2024-01-15 15:00:00+00"},
      {"2024-07-15 12:00 CLT", "2024-07-15 16:00:00+00"},
  });
}

TEST(TimeZoneInput, DateWithoutTimeMeansMidnightInTheZone) {
  expect_timestamptz({
      {"2024-07-15 Europe/Paris", "2024-07-14 22:00:00+00"},
      {"2024-07-15 EST", "2024-07-15 05:00:00+00"},
      {"2024-07-15 MSK", "2024-07-14 21:00:00+00"},
      {"2024-07-15 +02", "2024-07-14 22:00:00+00"},
  });
}

TEST(TimeZoneInput, TimestampAndDateCheckTheZoneButIgnoreIt) {
  EXPECT_EQ(round_trip("2024-07-15 12:00 Europe/Paris", TypeId::kTimestamp), "2024-07-15 12:00:00");
  EXPECT_EQ(round_trip("2024-07-15 12:00 MSK", TypeId::kTimestamp), "2024-07-15 12:00:00");
  EXPECT_EQ(round_trip("2024-07-15 23:30 Europe/Paris", TypeId::kDate), "2024-07-15");
  EXPECT_EQ(input_error("2024-07-15 12:00 Foo/Bar", TypeId::kTimestamp), "time zone \"foo/bar\" not recognized");
  EXPECT_EQ(input_error("2024-07-15 Foo/Bar", TypeId::kDate), "time zone \"foo/bar\" not recognized");
}

// A word with a slash (or a dot, dash or digits after letters) read where a zone may stand is
// a zone name, and PostgreSQL names it, lower case, when there is no such zone.
TEST(TimeZoneInput, UnknownZoneNamesAreNotRecognized) {
  EXPECT_EQ(input_error("2024-07-15 12:00 Foo/Bar", TypeId::kTimestamptz), "time zone \"foo/bar\" not recognized");
  EXPECT_EQ(input_error("2024-07-15 12:00 zone.tab", TypeId::kTimestamptz), "time zone \"zone.tab\" not recognized");
  EXPECT_EQ(input_error("2024-07-15 12:00 Europe/../UTC", TypeId::kTimestamptz),
            "time zone \"europe/../utc\" not recognized");
  EXPECT_EQ(input_error("2024-07-15 12:00 Europe/", TypeId::kTimestamptz), "time zone \"europe/\" not recognized");
}

// An unknown word of letters alone, or a zone before the date, is plain bad syntax.
TEST(TimeZoneInput, UnknownWordsAndMisplacedZonesAreBadSyntax) {
  for (const char* input : {"2024-07-15 12:00 Foo", "2024-07-15 12:00 Europe", "2024-07-15 12:00 abc",
                            "Europe/Paris 2024-07-15 12:00"}) {
    EXPECT_EQ(input_error(input, TypeId::kTimestamptz),
              "invalid input syntax for type timestamp with time zone: \"" + std::string(input) + "\"");
  }
}

// A name that is no file is tried as a POSIX TZ string: west of Greenwich is positive, and a
// daylight name without rules follows today's US rules, even in 1990.
TEST(TimeZoneInput, NamesThatAreNoFileAreReadAsPosixTzStrings) {
  expect_timestamptz({
      {"2024-07-15 12:00 utc+3", "2024-07-15 15:00:00+00"},
      {"2024-07-15 12:00 gmt-5", "2024-07-15 07:00:00+00"},
      {"2024-01-15 12:00 abc5def", "2024-01-15 17:00:00+00"},
      {"2024-07-15 12:00 abc5def", "2024-07-15 16:00:00+00"},
      {"1990-03-20 12:00 abc5def", "1990-03-20 16:00:00+00"},
  });
}

TEST(TimeZoneInput, OnlyOneZonePerValue) {
  for (const char* input : {"2024-07-15 12:00 Europe/Paris +01", "2024-07-15 12:00 +02 +03",
                            "2024-07-15 12:00 EST PST"}) {
    EXPECT_EQ(input_error(input, TypeId::kTimestamptz),
              "invalid input syntax for type timestamp with time zone: \"" + std::string(input) + "\"");
  }
}

// "DST" adds an hour to the fixed zone read so far; it cannot go with a daylight abbreviation,
// a zone name, a dynamic abbreviation, or no zone.
TEST(TimeZoneInput, DstModifierAddsAnHourToAFixedZone) {
  expect_timestamptz({
      {"2024-07-15 12:00 CET DST", "2024-07-15 10:00:00+00"},
      {"2024-07-15 12:00 DST CET", "2024-07-15 11:00:00+00"},  // CET comes after and replaces it
      {"2024-07-15 12:00 +01 DST", "2024-07-15 10:00:00+00"},
  });
  for (const char* input : {"2024-07-15 12:00 CEST DST", "2024-07-15 12:00 Europe/Paris DST",
                            "2024-07-15 12:00 MSK DST", "2024-07-15 12:00 DST"}) {
    EXPECT_EQ(input_error(input, TypeId::kTimestamptz),
              "invalid input syntax for type timestamp with time zone: \"" + std::string(input) + "\"");
  }
}

TEST(TimeZoneInput, NumericOffsetsAreReadLikeDecodeTimezone) {
  expect_timestamptz({
      {"2024-07-15 12:00 +530", "2024-07-15 06:30:00+00"},
      {"2024-07-15 12:00 +5", "2024-07-15 07:00:00+00"},
      {"2024-07-15 12:00 +05:30:15", "2024-07-15 06:29:45+00"},
      {"2024-07-15 12:00 +15:59", "2024-07-14 20:01:00+00"},
      {"2024-07-15 12:00 + 02", "2024-07-15 10:00:00+00"},
  });
  EXPECT_EQ(input_error("2024-07-15 12:00 +16", TypeId::kTimestamptz),
            "time zone displacement out of range: \"2024-07-15 12:00 +16\"");
  EXPECT_EQ(input_error("2024-07-15 12:00 +05:60", TypeId::kTimestamptz),
            "time zone displacement out of range: \"2024-07-15 12:00 +05:60\"");
  EXPECT_EQ(input_error("-2024-07-15", TypeId::kTimestamptz), "time zone displacement out of range: \"-2024-07-15\"");
  EXPECT_EQ(input_error("2024-07-15 12:00 +05.5", TypeId::kTimestamptz),
            "invalid input syntax for type timestamp with time zone: \"2024-07-15 12:00 +05.5\"");
}

// tm2timestamp checks the range after moving to UTC.
TEST(TimeZoneInput, TimestampRangeIsCheckedAfterApplyingTheZone) {
  expect_timestamptz({
      {"4714-11-24 00:00:00-01 BC", "4714-11-24 01:00:00+00 BC"},
      {"4714-11-24 00:09:21 Europe/Paris BC", "4714-11-24 00:00:00+00 BC"},
      {"294277-01-01 00:00:00+01", "294276-12-31 23:00:00+00"},
  });
  EXPECT_EQ(input_error("4714-11-24 00:00:00+01 BC", TypeId::kTimestamptz),
            "timestamp out of range: \"4714-11-24 00:00:00+01 BC\"");
  EXPECT_EQ(input_error("4714-11-24 00:09:20 Europe/Paris BC", TypeId::kTimestamptz),
            "timestamp out of range: \"4714-11-24 00:09:20 Europe/Paris BC\"");
  EXPECT_EQ(input_error("294276-12-31 23:59:59 America/New_York", TypeId::kTimestamptz),
            "timestamp out of range: \"294276-12-31 23:59:59 America/New_York\"");
  EXPECT_EQ(input_error("294276-12-31 24:00:00", TypeId::kTimestamp),
            "timestamp out of range: \"294276-12-31 24:00:00\"");
}

// right/ zones count leap seconds in their transition times, and PostgreSQL compares local
// times with them unadjusted: for 27 seconds after the change, New York is still read as EST.
TEST(TimeZoneInput, LeapSecondZonesKeepPostgresqlsUnadjustedTransitionTimes) {
  expect_timestamptz({
      {"2024-03-10 03:00:10 America/New_York", "2024-03-10 07:00:10+00"},
      {"2024-03-10 03:00:10 right/America/New_York", "2024-03-10 08:00:10+00"},
  });
}

}  // namespace
}  // namespace weftkit::policy
