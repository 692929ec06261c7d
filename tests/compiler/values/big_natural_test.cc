// The natural numbers under numeric's coefficients: text, powers of ten, and the four operations,
// long division included (every step of algorithm D, the rare add-back too).
#include "compiler/values/big_natural.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace weftkit::policy {
namespace {

BigNatural n(const std::string& digits) { return BigNatural::from_digits(digits); }

TEST(BigNatural, DigitsRoundTripWithoutLeadingZeros) {
  EXPECT_EQ(n("").to_digits(), "0");
  EXPECT_EQ(n("000").to_digits(), "0");
  EXPECT_TRUE(n("000").is_zero());
  EXPECT_EQ(n("000123").to_digits(), "123");
  EXPECT_EQ(n("1000000000").to_digits(), "1000000000");
  EXPECT_EQ(n("123456789012345678901234567890").to_digits(), "123456789012345678901234567890");
  EXPECT_EQ(BigNatural(18446744073709551615u).to_digits(), "18446744073709551615");
}

TEST(BigNatural, DigitCountIsZeroOnlyForZero) {
  EXPECT_EQ(n("0").digit_count(), 0);
  EXPECT_EQ(n("7").digit_count(), 1);
  EXPECT_EQ(n("999999999").digit_count(), 9);
  EXPECT_EQ(n("1000000000").digit_count(), 10);
  EXPECT_EQ(n("1" + std::string(131071, '0')).digit_count(), 131072);
}

TEST(BigNatural, ToUint64FailsBeyondTwoToThe64) {
  EXPECT_EQ(n("18446744073709551615").to_uint64(), 18446744073709551615u);
  EXPECT_EQ(n("18446744073709551616").to_uint64(), std::nullopt);
  EXPECT_EQ(n("1000000000000000000000000000").to_uint64(), std::nullopt);
  EXPECT_EQ(n("0").to_uint64(), 0u);
}

TEST(BigNatural, PowersOfTenShiftDigits) {
  EXPECT_EQ(n("123").times_power_of_ten(0).to_digits(), "123");
  EXPECT_EQ(n("123").times_power_of_ten(20).to_digits(), "123" + std::string(20, '0'));
  EXPECT_EQ(n("0").times_power_of_ten(50).to_digits(), "0");
  EXPECT_EQ(n("123456789012345678901234567890").divided_by_power_of_ten(7).to_digits(), "12345678901234567890123");
  EXPECT_EQ(n("123456789012345678901234567890").divided_by_power_of_ten(30).to_digits(), "0");
  EXPECT_EQ(n("123456789012345678901234567890").divided_by_power_of_ten(29).to_digits(), "1");
}

TEST(BigNatural, AdditionSubtractionAndMultiplicationCarryAcrossLimbs) {
  EXPECT_EQ((n("999999999999999999") + n("1")).to_digits(), "1000000000000000000");
  EXPECT_EQ((n("1000000000000000000") - n("1")).to_digits(), "999999999999999999");
  EXPECT_EQ((n("1000000000000000000") - n("1000000000000000000")).to_digits(), "0");
  EXPECT_EQ((n("99999999999999999999") * n("99999999999999999999")).to_digits(), "9999999999999999999800000000000000000001");
  EXPECT_EQ((n("123456789") * n("0")).to_digits(), "0");
}

TEST(BigNatural, ComparisonOrdersByMagnitude) {
  EXPECT_LT(n("999999999"), n("1000000000"));
  EXPECT_GT(n("1000000001"), n("1000000000"));
  EXPECT_EQ(n("0042"), n("42"));
}

TEST(BigNatural, DivisionBySmallAndLargeDivisors) {
  auto [q1, r1] = divide(n("1000000000000000000000"), n("7"));
  EXPECT_EQ(q1.to_digits(), "142857142857142857142");
  EXPECT_EQ(r1.to_digits(), "6");
  auto [q2, r2] = divide(n("12345678901234567890123456789012345678901234567890"), n("98765432109876543210"));
  EXPECT_EQ(q2.to_digits(), "124999998860937500015488281238");
  EXPECT_EQ(r2.to_digits(), "42607060205495273910");
  auto [q3, r3] = divide(n("5"), n("98765432109876543210"));
  EXPECT_EQ(q3.to_digits(), "0");
  EXPECT_EQ(r3.to_digits(), "5");
}

// Divisor limbs (most significant first) 500000000, 0, 999999999 and dividend 2 * divisor - 1:
// the two-limb estimate of the last quotient limb is 2, one too many, so the step adds back.
TEST(BigNatural, DivisionStepThatEstimatesOneTooManyAddsTheDivisorBack) {
  BigNatural divisor = n("500000000000000000999999999");
  BigNatural dividend = n("1000000000000000001999999997");
  auto [quotient, remainder] = divide(dividend, divisor);
  EXPECT_EQ(quotient.to_digits(), "1");
  EXPECT_EQ(remainder.to_digits(), "500000000000000000999999998");
}

TEST(BigNatural, RandomDivisionsSatisfyQuotientTimesDivisorPlusRemainder) {
  std::mt19937_64 random(20240915);
  auto random_digits = [&](int length) {
    std::string digits;
    // Runs of 9s and 0s stress the estimates and borrows.
    std::uniform_int_distribution<int> style(0, 3);
    int kind = style(random);
    for (int index = 0; index < length; ++index) {
      int digit = kind == 0 ? 9 : kind == 1 ? (index == 0 ? 1 : 0) : static_cast<int>(random() % 10);
      if (kind == 3 && random() % 4 == 0) digit = 9;
      digits.push_back(static_cast<char>('0' + digit));
    }
    return digits;
  };
  for (int trial = 0; trial < 3000; ++trial) {
    BigNatural dividend = n(random_digits(1 + static_cast<int>(random() % 120)));
    BigNatural divisor = n(random_digits(1 + static_cast<int>(random() % 60)));
    if (divisor.is_zero()) continue;
    auto [quotient, remainder] = divide(dividend, divisor);
    ASSERT_LT(remainder, divisor) << dividend.to_digits() << " / " << divisor.to_digits();
    ASSERT_EQ(quotient * divisor + remainder, dividend) << dividend.to_digits() << " / " << divisor.to_digits();
  }
}

}  // namespace
}  // namespace weftkit::policy
