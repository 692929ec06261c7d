// Schoolbook arithmetic on base-10^9 limbs, with Knuth's algorithm D for long division.
#include "compiler/values/big_natural.h"

#include <algorithm>
#include <cassert>

#include "compiler/values/int128.h"

namespace weftkit::policy {
namespace {

constexpr uint32_t kBase = 1000000000;
constexpr int kLimbDigits = 9;
constexpr uint32_t kPowersOfTen[kLimbDigits] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// limbs * factor, for a factor below the base.
std::vector<uint32_t> multiply_small(const std::vector<uint32_t>& limbs, uint32_t factor) {
  std::vector<uint32_t> result;
  result.reserve(limbs.size() + 1);
  uint64_t carry = 0;
  for (uint32_t limb : limbs) {
    uint64_t product = static_cast<uint64_t>(limb) * factor + carry;
    result.push_back(static_cast<uint32_t>(product % kBase));
    carry = product / kBase;
  }
  if (carry != 0) result.push_back(static_cast<uint32_t>(carry));
  return result;
}

// limbs / divisor in place, for a divisor below the base; returns the remainder.
uint32_t divide_small(std::vector<uint32_t>& limbs, uint32_t divisor) {
  uint64_t remainder = 0;
  for (size_t index = limbs.size(); index-- > 0;) {
    uint64_t current = remainder * kBase + limbs[index];
    limbs[index] = static_cast<uint32_t>(current / divisor);
    remainder = current % divisor;
  }
  return static_cast<uint32_t>(remainder);
}

int limb_digit_count(uint32_t limb) {
  int digits = 1;
  while (digits < kLimbDigits && limb >= kPowersOfTen[digits]) ++digits;
  return digits;
}

}  // namespace

BigNatural::BigNatural(uint64_t value) {
  while (value != 0) {
    limbs_.push_back(static_cast<uint32_t>(value % kBase));
    value /= kBase;
  }
}

BigNatural BigNatural::from_digits(std::string_view digits) {
  BigNatural result;
  result.limbs_.reserve(digits.size() / kLimbDigits + 1);
  size_t end = digits.size();
  while (end > 0) {
    size_t begin = end >= kLimbDigits ? end - kLimbDigits : 0;
    uint32_t limb = 0;
    for (size_t index = begin; index < end; ++index) limb = limb * 10 + static_cast<uint32_t>(digits[index] - '0');
    result.limbs_.push_back(limb);
    end = begin;
  }
  result.trim();
  return result;
}

std::string BigNatural::to_digits() const {
  if (limbs_.empty()) return "0";
  std::string text = std::to_string(limbs_.back());
  text.reserve(limbs_.size() * kLimbDigits);
  for (size_t index = limbs_.size() - 1; index-- > 0;) {
    std::string limb = std::to_string(limbs_[index]);
    text.append(static_cast<size_t>(kLimbDigits) - limb.size(), '0');
    text += limb;
  }
  return text;
}

int64_t BigNatural::digit_count() const {
  if (limbs_.empty()) return 0;
  return static_cast<int64_t>(limbs_.size() - 1) * kLimbDigits + limb_digit_count(limbs_.back());
}

std::optional<uint64_t> BigNatural::to_uint64() const {
  // 3 limbs reach 10^27; anything that needs them must fit below 2^64 on the way up.
  if (limbs_.size() > 3) return std::nullopt;
  UInt128 value = 0;
  for (size_t index = limbs_.size(); index-- > 0;) value = value * kBase + limbs_[index];
  if (value > UINT64_MAX) return std::nullopt;
  return static_cast<uint64_t>(value);
}

BigNatural BigNatural::times_power_of_ten(int64_t exponent) const {
  assert(exponent >= 0);
  if (limbs_.empty() || exponent == 0) return *this;
  BigNatural result;
  result.limbs_ = multiply_small(limbs_, kPowersOfTen[exponent % kLimbDigits]);
  result.limbs_.insert(result.limbs_.begin(), static_cast<size_t>(exponent / kLimbDigits), 0);
  return result;
}

BigNatural BigNatural::divided_by_power_of_ten(int64_t exponent) const {
  assert(exponent >= 0);
  auto whole_limbs = static_cast<size_t>(exponent / kLimbDigits);
  if (whole_limbs >= limbs_.size()) return BigNatural();
  BigNatural result;
  result.limbs_.assign(limbs_.begin() + static_cast<std::ptrdiff_t>(whole_limbs), limbs_.end());
  divide_small(result.limbs_, kPowersOfTen[exponent % kLimbDigits]);
  result.trim();
  return result;
}

BigNatural operator+(const BigNatural& left, const BigNatural& right) {
  const std::vector<uint32_t>& longer = left.limbs_.size() >= right.limbs_.size() ? left.limbs_ : right.limbs_;
  const std::vector<uint32_t>& shorter = left.limbs_.size() >= right.limbs_.size() ? right.limbs_ : left.limbs_;
  BigNatural result;
  result.limbs_.reserve(longer.size() + 1);
  uint32_t carry = 0;
  for (size_t index = 0; index < longer.size(); ++index) {
    uint32_t sum = longer[index] + (index < shorter.size() ? shorter[index] : 0) + carry;
    carry = sum >= kBase ? 1 : 0;
    result.limbs_.push_back(sum - carry * kBase);
  }
  if (carry != 0) result.limbs_.push_back(carry);
  return result;
}

BigNatural operator-(const BigNatural& left, const BigNatural& right) {
  assert(left >= right);
  BigNatural result;
  result.limbs_.reserve(left.limbs_.size());
  int64_t borrow = 0;
  for (size_t index = 0; index < left.limbs_.size(); ++index) {
    int64_t difference = static_cast<int64_t>(left.limbs_[index]) -
                         (index < right.limbs_.size() ? right.limbs_[index] : 0) - borrow;
    borrow = difference < 0 ? 1 : 0;
    result.limbs_.push_back(static_cast<uint32_t>(difference + borrow * kBase));
  }
  result.trim();
  return result;
}

BigNatural operator*(const BigNatural& left, const BigNatural& right) {
  BigNatural result;
  if (left.is_zero() || right.is_zero()) return result;
  result.limbs_.assign(left.limbs_.size() + right.limbs_.size(), 0);
  for (size_t outer = 0; outer < left.limbs_.size(); ++outer) {
    uint64_t carry = 0;
    uint64_t factor = left.limbs_[outer];
    for (size_t inner = 0; inner < right.limbs_.size(); ++inner) {
      // < 10^9 + (10^9 - 1)^2 + 10^9: fits 64 bits.
      uint64_t current = result.limbs_[outer + inner] + factor * right.limbs_[inner] + carry;
      result.limbs_[outer + inner] = static_cast<uint32_t>(current % kBase);
      carry = current / kBase;
    }
    result.limbs_[outer + right.limbs_.size()] = static_cast<uint32_t>(carry);
  }
  result.trim();
  return result;
}

std::pair<BigNatural, BigNatural> divide(const BigNatural& dividend, const BigNatural& divisor) {
  assert(!divisor.is_zero());
  if (dividend < divisor) return {BigNatural(), dividend};
  BigNatural quotient;
  BigNatural remainder;
  if (divisor.limbs_.size() == 1) {
    quotient.limbs_ = dividend.limbs_;
    uint32_t rest = divide_small(quotient.limbs_, divisor.limbs_[0]);
    quotient.trim();
    return {quotient, BigNatural(rest)};
  }
  // Knuth, TAOCP vol. 2, 4.3.1, algorithm D. Scaling both operands by `normalizer` makes the
  // divisor's top limb at least half the base, so that each estimated quotient limb is at most
  // one too large after the two-limb test.
  const size_t divisor_size = divisor.limbs_.size();
  const size_t steps = dividend.limbs_.size() - divisor_size;
  const uint32_t normalizer = kBase / (divisor.limbs_.back() + 1);
  std::vector<uint32_t> numerator = multiply_small(dividend.limbs_, normalizer);
  numerator.resize(dividend.limbs_.size() + 1, 0);
  std::vector<uint32_t> denominator = multiply_small(divisor.limbs_, normalizer);
  const uint64_t top = denominator[divisor_size - 1];
  const uint64_t second = denominator[divisor_size - 2];
  quotient.limbs_.assign(steps + 1, 0);
  for (size_t step = steps + 1; step-- > 0;) {
    uint64_t head = static_cast<uint64_t>(numerator[step + divisor_size]) * kBase + numerator[step + divisor_size - 1];
    uint64_t estimate = head / top;
    uint64_t rest = head % top;
    while (estimate >= kBase || estimate * second > rest * kBase + numerator[step + divisor_size - 2]) {
      --estimate;
      rest += top;
      if (rest >= kBase) break;
    }
    // numerator[step ..] -= estimate * denominator
    uint64_t carry = 0;
    int64_t borrow = 0;
    for (size_t index = 0; index < divisor_size; ++index) {
      uint64_t product = estimate * denominator[index] + carry;
      carry = product / kBase;
      int64_t difference = static_cast<int64_t>(numerator[step + index]) - static_cast<int64_t>(product % kBase) - borrow;
      borrow = difference < 0 ? 1 : 0;
      numerator[step + index] = static_cast<uint32_t>(difference + borrow * kBase);
    }
    int64_t head_difference = static_cast<int64_t>(numerator[step + divisor_size]) - static_cast<int64_t>(carry) - borrow;
    if (head_difference < 0) {
      // The estimate was one too large: add the divisor back once (the carry out cancels the
      // negative head).
      --estimate;
      uint32_t add_carry = 0;
      for (size_t index = 0; index < divisor_size; ++index) {
        uint32_t sum = numerator[step + index] + denominator[index] + add_carry;
        add_carry = sum >= kBase ? 1 : 0;
        numerator[step + index] = sum - add_carry * kBase;
      }
      head_difference = 0;
    }
    numerator[step + divisor_size] = static_cast<uint32_t>(head_difference);
    quotient.limbs_[step] = static_cast<uint32_t>(estimate);
  }
  quotient.trim();
  numerator.resize(divisor_size);
  divide_small(numerator, normalizer);
  remainder.limbs_ = std::move(numerator);
  remainder.trim();
  return {quotient, remainder};
}

std::strong_ordering operator<=>(const BigNatural& left, const BigNatural& right) {
  if (left.limbs_.size() != right.limbs_.size()) return left.limbs_.size() <=> right.limbs_.size();
  for (size_t index = left.limbs_.size(); index-- > 0;) {
    if (left.limbs_[index] != right.limbs_[index]) return left.limbs_[index] <=> right.limbs_[index];
  }
  return std::strong_ordering::equal;
}

void BigNatural::trim() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

}  // namespace weftkit::policy
