// numeric with PostgreSQL 15's arbitrary precision: the answers of thousands of digits, which a
// case file would not show readably, and what is internal to the representation (identical
// datums, exact int64 conversion). Every expected value and message was read off a PostgreSQL
// 15.18 server; the rest of numeric's answers are in tests/cases/numbers.cases.
#include "compiler/values/decimal.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

using DecimalOperation = Decimal (*)(const Decimal&, const Decimal&);

std::string text_of(std::string_view input) { return format_decimal(parse_decimal(input)); }

std::string apply(DecimalOperation operation, std::string_view left, std::string_view right) {
  return format_decimal(operation(parse_decimal(left), parse_decimal(right)));
}

std::string sql_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SqlError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string zeros(size_t count) { return std::string(count, '0'); }

TEST(DecimalLimits, UpTo131072DigitsBeforeThePoint) {
  EXPECT_EQ(text_of("9e131071"), "9" + zeros(131071));
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e131072"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("1" + zeros(131072)); }), "value overflows numeric format");
}

TEST(DecimalLimits, UpTo16383DigitsAfterThePoint) {
  EXPECT_EQ(text_of("1e-16383"), "0." + zeros(16382) + "1");
  EXPECT_EQ(text_of("0.000e-16380"), "0." + zeros(16383));
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e-16384"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("0.000e-16381"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("0e-20000"); }), "value overflows numeric format");
}

TEST(DecimalLimits, TheLargestValueLessOneKeepsEveryDigit) {
  std::string largest = std::string(131072, '9');
  EXPECT_EQ(apply(decimal_subtract, largest, "1"), std::string(131071, '9') + "8");
}

// The exact product is rounded (half away from zero) only past 16383 fraction digits.
TEST(DecimalMultiply, FractionDigitsBeyond16383AreRounded) {
  EXPECT_EQ(apply(decimal_multiply, "1e-8192", "5e-8192"), "0." + zeros(16382) + "1");
  EXPECT_EQ(apply(decimal_multiply, "1e-8192", "4.9e-8192"), "0." + zeros(16383));
  EXPECT_EQ(apply(decimal_multiply, "1e-10000", "1e-10000"), "0." + zeros(16383));
}

// select_div_scale allows at most 1000 fraction digits, and no fewer than either input has.
TEST(DecimalDivide, ScaleIsAtMostOneThousandDigits) {
  EXPECT_EQ(apply(decimal_divide, "0." + std::string(1500, '3'), "1"), "0." + std::string(1000, '3'));
  EXPECT_EQ(apply(decimal_divide, "7", "0." + zeros(1200) + "7"), "1" + zeros(1201) + "." + zeros(1000));
}

TEST(DecimalDivide, RoundsHalfAwayFromZeroAtTheThousandthDigit) {
  // 1e-1000 / 2 is exactly 5e-1001, one digit past the 1000 the scale allows.
  EXPECT_EQ(apply(decimal_divide, "1e-1000", "2"), "0." + zeros(999) + "1");
  EXPECT_EQ(apply(decimal_divide, "-1e-1000", "2"), "-0." + zeros(999) + "1");
  EXPECT_EQ(apply(decimal_divide, "1e-1000", "3"), "0." + zeros(1000));
}

TEST(DecimalEquality, IdenticalDatumsNeedTheSameScale) {
  EXPECT_TRUE(parse_decimal("1.50") == parse_decimal("150e-2"));
  EXPECT_FALSE(parse_decimal("1.5") == parse_decimal("1.50"));
  EXPECT_TRUE(parse_decimal("-0.0") == parse_decimal("0.0"));
  EXPECT_TRUE(parse_decimal("inf") == parse_decimal("Infinity"));
}

TEST(DecimalToInteger, ExactInt64IsOnlyForIntegersWithoutFractionDigits) {
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("9223372036854775807")), INT64_MAX);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("9223372036854775808")), std::nullopt);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("1.0")), std::nullopt);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("NaN")), std::nullopt);
}

// numeric_float8 reads numeric's text back with float8in: an error that quotes the whole text
// when it rounds to zero or overflows.
TEST(DecimalToDouble, OutOfRangeQuotesTheWholeText) {
  auto to_double = [](std::string_view text) { return decimal_to_double(parse_decimal(text)); };
  EXPECT_EQ(sql_error_of([&] { to_double("1e400"); }),
            "\"1" + zeros(400) + "\" is out of range for type double precision");
  EXPECT_EQ(sql_error_of([&] { to_double("1.7976931348623159e308"); }),
            "\"17976931348623159" + zeros(292) + "\" is out of range for type double precision");
  EXPECT_EQ(sql_error_of([&] { to_double("-1e-400"); }),
            "\"-0." + zeros(399) + "1\" is out of range for type double precision");
}

// float8_numeric prints DBL_DIG (15) significant digits, however far from the point they are.
TEST(DecimalFromDouble, FifteenSignificantDigitsOfVeryLargeAndVerySmallValues) {
  EXPECT_EQ(format_decimal(decimal_from_double(1e300)), "1" + zeros(300));
  EXPECT_EQ(format_decimal(decimal_from_double(5e-324)), "0." + zeros(323) + "494065645841247");
}

}  // namespace
}  // namespace weftkit::policy
