// Input and output functions: what a literal of each type accepts, and PostgreSQL's messages.
#include <gtest/gtest.h>

#include <tuple>

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"
#include "tests/compiler/values/value_input_support.h"

namespace weftkit::policy {
namespace {


TEST(ValueInput, IntegersAllowSurroundingSpaceAndRejectTheRest) {
  EXPECT_EQ(round_trip(" 12 ", TypeId::kInt4), "12");
  EXPECT_EQ(round_trip("-2147483648", TypeId::kInt4), "-2147483648");
  EXPECT_EQ(input_error("9999999999", TypeId::kInt4), "value \"9999999999\" is out of range for type integer");
  EXPECT_EQ(input_error("abc", TypeId::kInt4), "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(input_error("1.5", TypeId::kInt8), "invalid input syntax for type bigint: \"1.5\"");
  EXPECT_EQ(input_error("", TypeId::kInt2), "invalid input syntax for type smallint: \"\"");
  EXPECT_EQ(input_error("40000", TypeId::kInt2), "value \"40000\" is out of range for type smallint");
}

TEST(ValueInput, FloatsAcceptSpecialValuesAndRejectOverflow) {
  EXPECT_EQ(round_trip("NaN", TypeId::kFloat8), "NaN");
  EXPECT_EQ(round_trip("-Infinity", TypeId::kFloat8), "-Infinity");
  EXPECT_EQ(round_trip(" 1.5e3", TypeId::kFloat8), "1500");
  EXPECT_EQ(input_error("1e400", TypeId::kFloat8), "\"1e400\" is out of range for type double precision");
  EXPECT_EQ(input_error("0x10", TypeId::kFloat8), "invalid input syntax for type double precision: \"0x10\"");
}

TEST(ValueInput, BooleansAcceptUniquePrefixes) {
  EXPECT_EQ(round_trip("yes", TypeId::kBool), "t");
  EXPECT_EQ(round_trip("of", TypeId::kBool), "f");
  EXPECT_EQ(round_trip(" t ", TypeId::kBool), "t");
  EXPECT_EQ(round_trip("1", TypeId::kBool), "t");
  EXPECT_EQ(input_error("o", TypeId::kBool), "invalid input syntax for type boolean: \"o\"");
  EXPECT_EQ(input_error("truth", TypeId::kBool), "invalid input syntax for type boolean: \"truth\"");
}

TEST(ValueInput, DatesAndTimestampsInIsoForm) {
  EXPECT_EQ(round_trip("2024-02-29", TypeId::kDate), "2024-02-29");
  EXPECT_EQ(round_trip("0001-01-01 BC", TypeId::kDate), "0001-01-01 BC");
  EXPECT_EQ(round_trip("infinity", TypeId::kDate), "infinity");
  EXPECT_EQ(round_trip("2024-1-5", TypeId::kDate), "2024-01-05");
  EXPECT_EQ(round_trip("2024-01-05 13:45:00", TypeId::kTimestamp), "2024-01-05 13:45:00");
  EXPECT_EQ(round_trip("2024-01-05T13:45:00.123456789", TypeId::kTimestamp), "2024-01-05 13:45:00.123457");
  EXPECT_EQ(round_trip("2024-01-05 13:45:00+02", TypeId::kTimestamptz), "2024-01-05 11:45:00+00");
  EXPECT_EQ(round_trip("2024-01-05 13:45:00+02", TypeId::kTimestamp), "2024-01-05 13:45:00")
      << "a zone is ignored for timestamp without time zone";
  EXPECT_EQ(input_error("2024-02-30", TypeId::kDate), "date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(input_error("yesterday-ish", TypeId::kDate), "invalid input syntax for type date: \"yesterday-ish\"");
}

// DateStyle ISO, MDY, as PostgreSQL's default; every expected value read off PostgreSQL 15.
TEST(ValueInput, DatesInPostgresOtherStyles) {
  const std::pair<const char*, const char*> cases[] = {
      {"20240131", "2024-01-31"},       {"240131", "2024-01-31"},         {"01/31/2024", "2024-01-31"},
      {"1/8/99", "1999-01-08"},         {"01-31-2024", "2024-01-31"},     {"2024/01/31", "2024-01-31"},
      {"Jan 31 2024", "2024-01-31"},    {"January 31, 2024", "2024-01-31"}, {"31 Jan 2024", "2024-01-31"},
      {"31-Jan-2024", "2024-01-31"},    {"Jan-31-2024", "2024-01-31"},    {"2024-Jan-31", "2024-01-31"},
      {"epoch", "1970-01-01"},          {"sept 3 2024", "2024-09-03"},    {"1/8/69", "2069-01-08"},
      {"1/8/70", "1970-01-08"},         {"08.01.2024", "2024-08-01"},     {"2024.01.31", "2024-01-31"},
      {"Wed Jan 31 2024", "2024-01-31"}, {"J2451545", "2000-01-01"}, {"J0", "4714-11-24 BC"},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(round_trip(input, TypeId::kDate), expected) << input;
}

TEST(ValueInput, TimestampsWithMeridiemAndZones) {
  const std::tuple<const char*, TypeId, const char*> cases[] = {
      {"Jan 31 2024 1:30pm", TypeId::kTimestamp, "2024-01-31 13:30:00"},
      {"01/31/2024 1:30 pm", TypeId::kTimestamp, "2024-01-31 13:30:00"},
      {"2024-01-31 12:30:00 +02", TypeId::kTimestamptz, "2024-01-31 10:30:00+00"},
      {"2024-01-31 12:30:00+0230", TypeId::kTimestamptz, "2024-01-31 10:00:00+00"},
      {"2024-01-31 12:30 UTC", TypeId::kTimestamptz, "2024-01-31 12:30:00+00"},
      {"2024-01-31 12:30 GMT", TypeId::kTimestamptz, "2024-01-31 12:30:00+00"},
      {"2024-01-31 12:30:00Z", TypeId::kTimestamptz, "2024-01-31 12:30:00+00"},
      {"2024-01-31 12:30 am", TypeId::kTimestamptz, "2024-01-31 00:30:00+00"},
      {"2024-01-31 12:30 pm", TypeId::kTimestamptz, "2024-01-31 12:30:00+00"},
      {"2024-01-31 00:30 pm", TypeId::kTimestamptz, "2024-01-31 12:30:00+00"},
      {"epoch", TypeId::kTimestamptz, "1970-01-01 00:00:00+00"},
      {"2024-01-31 12:30:00 +02", TypeId::kTimestamp, "2024-01-31 12:30:00"},
  };
  for (const auto& [input, type, expected] : cases) EXPECT_EQ(round_trip(input, type), expected) << input;
}

TEST(ValueInput, UuidsAcceptBracesAndHyphensAfterGroupsOfFour) {
  EXPECT_EQ(round_trip("{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}", TypeId::kUuid), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(round_trip("a0eebc999c0b4ef8bb6d6bb9bd380a11", TypeId::kUuid), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(input_error("x", TypeId::kUuid), "invalid input syntax for type uuid: \"x\"");
  EXPECT_EQ(input_error("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", TypeId::kUuid),
            "invalid input syntax for type uuid: \"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\"");
}

TEST(ValueCasts, BooleanToTextIsTheWord) {
  EXPECT_EQ(cast_value(Value::boolean(true), SqlType{TypeId::kText}, CastMode::kExplicit).text, "true");
}

TEST(ValueCasts, ExplicitVarcharCastTruncatesAssignmentRaises) {
  EXPECT_EQ(cast_value(Value::text_of("abcdef"), SqlType{TypeId::kText, 3}, CastMode::kExplicit).text, "abc");
  EXPECT_EQ(cast_value(Value::text_of("héllo"), SqlType{TypeId::kText, 2}, CastMode::kExplicit).text, "hé");
  EXPECT_EQ(cast_value(Value::text_of("ab   "), SqlType{TypeId::kText, 3}, CastMode::kAssignment).text, "ab ");
  try {
    cast_value(Value::text_of("abcd"), SqlType{TypeId::kText, 3}, CastMode::kAssignment);
    FAIL() << "expected an error";
  } catch (const SqlError& error) {
    EXPECT_STREQ(error.what(), "value too long for type character varying(3)");
  }
}

}  // namespace
}  // namespace weftkit::policy
