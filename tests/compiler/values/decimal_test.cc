// numeric with PostgreSQL 15's arbitrary precision, limits, special values and conversions.
// Every expected value and message was read off a PostgreSQL 15.18 server.
#include "compiler/values/decimal.h"

#include <gtest/gtest.h>

#include <cmath>
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

TEST(DecimalInput, LiteralsOfFiftyAndMoreDigitsKeepEveryDigit) {
  EXPECT_EQ(text_of("12345678901234567890123456789012345678901234567890.123456789"),
            "12345678901234567890123456789012345678901234567890.123456789");
  EXPECT_EQ(text_of("-000000000000000000000000000000000000000000000000000000001.50"), "-1.50");
  std::string seventy_digits = "9876543210987654321098765432109876543210987654321098765432109876543210";
  EXPECT_EQ(text_of(seventy_digits), seventy_digits);
  EXPECT_EQ(text_of("-0." + seventy_digits), "-0." + seventy_digits);
}

TEST(DecimalInput, ExponentShiftsDigitsAndLowersTheScale) {
  EXPECT_EQ(text_of("1.2345e2"), "123.45");
  EXPECT_EQ(text_of("1.2345e10"), "12345000000");
  EXPECT_EQ(text_of("+.5e1"), "5");
  EXPECT_EQ(text_of("1.5e-60"), "0." + zeros(59) + "15");
  EXPECT_EQ(text_of("5."), "5");
  EXPECT_EQ(text_of(".5"), "0.5");
}

TEST(DecimalInput, ZeroIsNeverNegativeButKeepsItsScale) {
  EXPECT_EQ(text_of("-0"), "0");
  EXPECT_EQ(text_of("-0.00"), "0.00");
  EXPECT_EQ(text_of("0e100000"), "0");
  EXPECT_EQ(format_decimal(decimal_negate(parse_decimal("0.0"))), "0.0");
}

// The exponent is read by strtol, which skips white space before its sign.
TEST(DecimalInput, ExponentIsReadLikeStrtol) {
  EXPECT_EQ(text_of("1e 5"), "100000");
  EXPECT_EQ(text_of("1e +5"), "100000");
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e+ 5"); }), "invalid input syntax for type numeric: \"1e+ 5\"");
}

TEST(DecimalInput, WhiteSpaceAroundTheNumberIsAllowed) {
  EXPECT_EQ(text_of("  12  "), "12");
  EXPECT_EQ(text_of("\t12\n"), "12");
  EXPECT_EQ(text_of(" nan "), "NaN");
}

TEST(DecimalInput, BadSyntaxNamesTheWholeInput) {
  for (const char* bad : {"", ".", "-", "1e", "1e+", "1.2.3", "1_000", "0x10", "+NaN", "infinit", "nanx", "1 2"}) {
    EXPECT_EQ(sql_error_of([&] { parse_decimal(bad); }), "invalid input syntax for type numeric: \"" + std::string(bad) + "\"")
        << bad;
  }
}

TEST(DecimalInput, InfinityAndNanInEverySpellingPostgresAccepts) {
  EXPECT_EQ(text_of("Infinity"), "Infinity");
  EXPECT_EQ(text_of("+Infinity"), "Infinity");
  EXPECT_EQ(text_of("-Infinity"), "-Infinity");
  EXPECT_EQ(text_of("INF"), "Infinity");
  EXPECT_EQ(text_of(" +inf "), "Infinity");
  EXPECT_EQ(text_of("-inf"), "-Infinity");
  EXPECT_EQ(text_of("nan"), "NaN");
  EXPECT_EQ(text_of("NAN"), "NaN");
}

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

// An exponent of INT_MAX / 2 or more overflows at once, before trailing junk is looked at.
TEST(DecimalLimits, HugeExponentsOverflowBeforeTrailingJunkIsSeen) {
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e99999999999999999999"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e-99999999999999999999"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e99999999999999999999x"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("1e1073741822"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { parse_decimal("x1e99999999999999999999"); }),
            "invalid input syntax for type numeric: \"x1e99999999999999999999\"");
}

TEST(DecimalLimits, ResultsBeyondTheLimitsOverflow) {
  EXPECT_EQ(sql_error_of([] { apply(decimal_multiply, "1e131071", "10"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { apply(decimal_add, "9e131071", "1e131071"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { apply(decimal_subtract, "-9e131071", "1e131071"); }), "value overflows numeric format");
  EXPECT_EQ(sql_error_of([] { apply(decimal_divide, "1e131071", "0.1"); }), "value overflows numeric format");
  std::string largest = std::string(131072, '9');
  EXPECT_EQ(apply(decimal_subtract, largest, "1"), std::string(131071, '9') + "8");
}

TEST(DecimalArithmetic, SumsKeepTheLargerScale) {
  EXPECT_EQ(apply(decimal_add, "99999999999999999999999999999999999999999999999999", "0.00000000000000000001"),
            "99999999999999999999999999999999999999999999999999.00000000000000000001");
  EXPECT_EQ(apply(decimal_subtract, "1.50", "1.5"), "0.00");
  EXPECT_EQ(apply(decimal_subtract, "-1e40", "-1e40"), "0");
}

TEST(DecimalMultiply, ProductsGrowBeyond38Digits) {
  EXPECT_EQ(apply(decimal_multiply, "99999999999999999999", "99999999999999999999"),
            "9999999999999999999800000000000000000001");
  EXPECT_EQ(apply(decimal_multiply, "123456789012345678901234567890.5", "-98765432109876543210.25"),
            "-12193263113702179522527434839539932936891510440477.625");
}

// The exact product is rounded (half away from zero) only past 16383 fraction digits.
TEST(DecimalMultiply, FractionDigitsBeyond16383AreRounded) {
  EXPECT_EQ(apply(decimal_multiply, "1e-8192", "5e-8192"), "0." + zeros(16382) + "1");
  EXPECT_EQ(apply(decimal_multiply, "1e-8192", "4.9e-8192"), "0." + zeros(16383));
  EXPECT_EQ(apply(decimal_multiply, "1e-10000", "1e-10000"), "0." + zeros(16383));
}

// select_div_scale: at least 16 significant digits, no fewer fraction digits than either
// input, at most 1000.
TEST(DecimalDivide, ScaleFollowsSelectDivScale) {
  EXPECT_EQ(apply(decimal_divide, "1", "3"), "0.33333333333333333333");
  EXPECT_EQ(apply(decimal_divide, "10000", "3"), "3333.3333333333333333");
  EXPECT_EQ(apply(decimal_divide, "1", "7.000"), "0.14285714285714285714");
  EXPECT_EQ(apply(decimal_divide, "0.001", "3"), "0.00033333333333333333");
  EXPECT_EQ(apply(decimal_divide, "2", "3.00000000000000000000000"), "0.66666666666666666666667");
  EXPECT_EQ(apply(decimal_divide, "1e40", "3"), "3333333333333333333333333333333333333333");
  EXPECT_EQ(apply(decimal_divide, "0." + std::string(1500, '3'), "1"), "0." + std::string(1000, '3'));
  EXPECT_EQ(apply(decimal_divide, "7", "0." + zeros(1200) + "7"), "1" + zeros(1201) + "." + zeros(1000));
}

TEST(DecimalDivide, QuotientsBeyond38Digits) {
  EXPECT_EQ(apply(decimal_divide, "12345678901234567890123456789012345678901234567890", "7"),
            "1763668414462081127160493827001763668414462081127");
  EXPECT_EQ(apply(decimal_divide, "1", "123456789012345678901234567890123456789012345678901234567890.0"),
            "0.0000000000000000000000000000000000000000000000000000000000081000000729000007");
  EXPECT_EQ(apply(decimal_divide, "1.000000000000000000000000000000000000000001", "0.999999999999999999999999999999999999999999"),
            "1.000000000000000000000000000000000000000002");
}

TEST(DecimalDivide, RoundsHalfAwayFromZero) {
  EXPECT_EQ(apply(decimal_divide, "2", "3"), "0.66666666666666666667");
  EXPECT_EQ(apply(decimal_divide, "-2", "3"), "-0.66666666666666666667");
  // 1e-1000 / 2 is exactly 5e-1001, one digit past the 1000 the scale allows.
  EXPECT_EQ(apply(decimal_divide, "1e-1000", "2"), "0." + zeros(999) + "1");
  EXPECT_EQ(apply(decimal_divide, "-1e-1000", "2"), "-0." + zeros(999) + "1");
  EXPECT_EQ(apply(decimal_divide, "1e-1000", "3"), "0." + zeros(1000));
}

TEST(DecimalDivide, ByZeroIsAnErrorEvenForZeroAndInfinity) {
  EXPECT_EQ(sql_error_of([] { apply(decimal_divide, "1.0", "0"); }), "division by zero");
  EXPECT_EQ(sql_error_of([] { apply(decimal_divide, "0", "0.000"); }), "division by zero");
  EXPECT_EQ(sql_error_of([] { apply(decimal_divide, "Infinity", "0"); }), "division by zero");
  EXPECT_EQ(apply(decimal_divide, "NaN", "0"), "NaN");
}

TEST(DecimalModulo, LargeValuesKeepTheDividendSignAndTheLargerScale) {
  EXPECT_EQ(apply(decimal_modulo, "1e50", "7"), "2");
  EXPECT_EQ(apply(decimal_modulo, "-123456789012345678901234567890123456789012345", "987654321.123"), "-649774615.323");
  EXPECT_EQ(apply(decimal_modulo, "123456789012345678901234567890123456789012345", "-0.0000000000000000000001"),
            "0.0000000000000000000000");
  EXPECT_EQ(sql_error_of([] { apply(decimal_modulo, "1", "0.0"); }), "division by zero");
}

TEST(DecimalSpecialValues, ArithmeticWithInfinityAndNan) {
  EXPECT_EQ(apply(decimal_add, "-Infinity", "Infinity"), "NaN");
  EXPECT_EQ(apply(decimal_add, "Infinity", "-1e131071"), "Infinity");
  EXPECT_EQ(apply(decimal_subtract, "Infinity", "Infinity"), "NaN");
  EXPECT_EQ(apply(decimal_subtract, "-Infinity", "Infinity"), "-Infinity");
  EXPECT_EQ(apply(decimal_subtract, "1", "Infinity"), "-Infinity");
  EXPECT_EQ(apply(decimal_multiply, "Infinity", "0"), "NaN");
  EXPECT_EQ(apply(decimal_multiply, "-Infinity", "-2.5"), "Infinity");
  EXPECT_EQ(apply(decimal_multiply, "NaN", "0"), "NaN");
  EXPECT_EQ(apply(decimal_divide, "Infinity", "-3"), "-Infinity");
  EXPECT_EQ(apply(decimal_divide, "-Infinity", "-Infinity"), "NaN");
  EXPECT_EQ(apply(decimal_divide, "-5.123", "Infinity"), "0");
  EXPECT_EQ(apply(decimal_modulo, "Infinity", "3"), "NaN");
  EXPECT_EQ(sql_error_of([] { apply(decimal_modulo, "Infinity", "0"); }), "division by zero");
  EXPECT_EQ(apply(decimal_modulo, "-5.50", "Infinity"), "-5.50");
  EXPECT_EQ(apply(decimal_modulo, "5.5", "-Infinity"), "5.5");
  EXPECT_EQ(apply(decimal_modulo, "NaN", "0"), "NaN");
  EXPECT_EQ(format_decimal(decimal_negate(parse_decimal("Infinity"))), "-Infinity");
  EXPECT_EQ(format_decimal(decimal_negate(parse_decimal("NaN"))), "NaN");
  EXPECT_EQ(format_decimal(decimal_abs(parse_decimal("-Infinity"))), "Infinity");
}

TEST(DecimalCompare, NanAboveInfinityAboveEveryNumberAboveMinusInfinity) {
  auto compare = [](std::string_view left, std::string_view right) {
    return compare_decimal(parse_decimal(left), parse_decimal(right));
  };
  EXPECT_EQ(compare("NaN", "NaN"), 0);
  EXPECT_EQ(compare("NaN", "Infinity"), 1);
  EXPECT_EQ(compare("Infinity", "9e131071"), 1);
  EXPECT_EQ(compare("Infinity", "inf"), 0);
  EXPECT_EQ(compare("-Infinity", "-1e131071"), -1);
  EXPECT_EQ(compare("1.0", "1.000"), 0);
  EXPECT_EQ(compare("-0.0", "0"), 0);
  EXPECT_EQ(compare("-1e-16383", "0"), -1);
  EXPECT_EQ(compare("100000000000000000000000000000000000000000000000001", "100000000000000000000000000000000000000000000000000.9"), 1);
}

TEST(DecimalEquality, IdenticalDatumsNeedTheSameScale) {
  EXPECT_TRUE(parse_decimal("1.50") == parse_decimal("150e-2"));
  EXPECT_FALSE(parse_decimal("1.5") == parse_decimal("1.50"));
  EXPECT_TRUE(parse_decimal("-0.0") == parse_decimal("0.0"));
  EXPECT_TRUE(parse_decimal("inf") == parse_decimal("Infinity"));
}

TEST(DecimalToInteger, RoundsHalfAwayFromZeroRightAtEachLimit) {
  auto to_int = [](std::string_view text, int bits) { return decimal_to_int(parse_decimal(text), bits); };
  EXPECT_EQ(to_int("0.5", 32), 1);
  EXPECT_EQ(to_int("-0.5", 32), -1);
  EXPECT_EQ(to_int("0.49999999999999999999999999999999999999999", 32), 0);
  EXPECT_EQ(to_int("1e-16383", 64), 0);
  EXPECT_EQ(to_int("32767.4999", 16), 32767);
  EXPECT_EQ(to_int("-32768.4999", 16), -32768);
  EXPECT_EQ(sql_error_of([&] { to_int("32767.5", 16); }), "smallint out of range");
  EXPECT_EQ(sql_error_of([&] { to_int("-32768.5", 16); }), "smallint out of range");
  EXPECT_EQ(to_int("-2147483648.4", 32), INT32_MIN);
  EXPECT_EQ(sql_error_of([&] { to_int("-2147483648.5", 32); }), "integer out of range");
  EXPECT_EQ(to_int("9223372036854775807.4999", 64), INT64_MAX);
  EXPECT_EQ(to_int("-9223372036854775808.4999", 64), INT64_MIN);
  EXPECT_EQ(sql_error_of([&] { to_int("9223372036854775807.5", 64); }), "bigint out of range");
  EXPECT_EQ(sql_error_of([&] { to_int("-9223372036854775808.5", 64); }), "bigint out of range");
  EXPECT_EQ(sql_error_of([&] { to_int("1e30", 16); }), "smallint out of range");
  EXPECT_EQ(sql_error_of([&] { to_int("-9e131071", 64); }), "bigint out of range");
}

TEST(DecimalToInteger, NanAndInfinityCannotConvert) {
  EXPECT_EQ(sql_error_of([] { decimal_to_int(parse_decimal("NaN"), 64); }), "cannot convert NaN to bigint");
  EXPECT_EQ(sql_error_of([] { decimal_to_int(parse_decimal("Infinity"), 32); }), "cannot convert infinity to integer");
  EXPECT_EQ(sql_error_of([] { decimal_to_int(parse_decimal("-Infinity"), 16); }), "cannot convert infinity to smallint");
}

TEST(DecimalToInteger, ExactInt64IsOnlyForIntegersWithoutFractionDigits) {
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("9223372036854775807")), INT64_MAX);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("9223372036854775808")), std::nullopt);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("1.0")), std::nullopt);
  EXPECT_EQ(decimal_to_exact_int64(parse_decimal("NaN")), std::nullopt);
}

// numeric_float8 reads numeric's text back with float8in: correctly rounded, and an error that
// quotes the whole text when it rounds to zero or overflows.
TEST(DecimalToDouble, LargeValuesRoundOnceAndOutOfRangeQuotesTheText) {
  auto to_double = [](std::string_view text) { return decimal_to_double(parse_decimal(text)); };
  EXPECT_EQ(to_double("123456789012345678901234567890"), 1.2345678901234568e+29);
  EXPECT_EQ(to_double("-1.7976931348623157e308"), -1.7976931348623157e+308);
  EXPECT_EQ(to_double("1e-320"), 1e-320) << "a denormal is accepted";
  EXPECT_EQ(sql_error_of([&] { to_double("1e400"); }),
            "\"1" + zeros(400) + "\" is out of range for type double precision");
  EXPECT_EQ(sql_error_of([&] { to_double("1.7976931348623159e308"); }),
            "\"17976931348623159" + zeros(292) + "\" is out of range for type double precision");
  EXPECT_EQ(sql_error_of([&] { to_double("-1e-400"); }),
            "\"-0." + zeros(399) + "1\" is out of range for type double precision");
  EXPECT_EQ(to_double("Infinity"), INFINITY);
  EXPECT_EQ(to_double("-Infinity"), -INFINITY);
  EXPECT_TRUE(std::isnan(to_double("NaN")));
}

// float8_numeric prints DBL_DIG (15) significant digits and reads them back; float4_numeric
// FLT_DIG (6). Infinities are numeric values since PostgreSQL 14.
TEST(DecimalFromDouble, FifteenSignificantDigitsAndInfinitiesCarryOver) {
  EXPECT_EQ(format_decimal(decimal_from_double(1.23456789012345678)), "1.23456789012346");
  EXPECT_EQ(format_decimal(decimal_from_double(1e300)), "1" + zeros(300));
  EXPECT_EQ(format_decimal(decimal_from_double(5e-324)), "0." + zeros(323) + "494065645841247");
  EXPECT_EQ(format_decimal(decimal_from_double(-0.0)), "0");
  EXPECT_EQ(format_decimal(decimal_from_double(INFINITY)), "Infinity");
  EXPECT_EQ(format_decimal(decimal_from_double(-INFINITY)), "-Infinity");
  EXPECT_EQ(format_decimal(decimal_from_double(NAN)), "NaN");
  EXPECT_EQ(format_decimal(decimal_from_float(3.4028235e38f)), "340282000000000000000000000000000000000");
  EXPECT_EQ(format_decimal(decimal_from_float(0.1f)), "0.1");
  EXPECT_EQ(format_decimal(decimal_from_float(-INFINITY)), "-Infinity");
}

}  // namespace
}  // namespace weftkit::policy
