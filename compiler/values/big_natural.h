// An arbitrary-precision natural number: the coefficient of a numeric value. Limbs are base
// 10^9 so that what numeric needs most — scaling by powers of ten, counting decimal digits,
// converting to and from text — stays simple; arithmetic is schoolbook (policies hold small
// constants, and correctness matters far more than speed here).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weftkit::policy {

class BigNatural {
 public:
  BigNatural() = default;
  explicit BigNatural(uint64_t value);

  // `digits` holds only '0'..'9' (leading zeros allowed; empty means zero).
  static BigNatural from_digits(std::string_view digits);
  // Decimal digits without leading zeros; "0" for zero.
  std::string to_digits() const;

  bool is_zero() const { return limbs_.empty(); }
  // Number of decimal digits, 0 for zero.
  int64_t digit_count() const;
  std::optional<uint64_t> to_uint64() const;

  BigNatural times_power_of_ten(int64_t exponent) const;       // exponent >= 0
  BigNatural divided_by_power_of_ten(int64_t exponent) const;  // truncates; exponent >= 0

  friend BigNatural operator+(const BigNatural& left, const BigNatural& right);
  // Requires left >= right.
  friend BigNatural operator-(const BigNatural& left, const BigNatural& right);
  friend BigNatural operator*(const BigNatural& left, const BigNatural& right);
  // Truncating division with remainder; the divisor must not be zero.
  friend std::pair<BigNatural, BigNatural> divide(const BigNatural& dividend, const BigNatural& divisor);

  friend bool operator==(const BigNatural& left, const BigNatural& right) = default;
  friend std::strong_ordering operator<=>(const BigNatural& left, const BigNatural& right);

 private:
  void trim();

  std::vector<uint32_t> limbs_;  // least significant first; no leading zero limbs, so zero is empty
};

}  // namespace weftkit::policy
