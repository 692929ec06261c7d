// Base64 without leniency: what a peer sends is either canonical or refused.
#include "auth/base64.h"

#include <array>
#include <cstdint>

namespace weftkit::auth {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> make_values() {
  std::array<int8_t, 256> values{};
  for (auto& value : values) value = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}
constexpr std::array<int8_t, 256> kValues = make_values();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                           (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                           uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    for (int shift = 18; shift >= 0; shift -= 6) text.push_back(kAlphabet[(group >> shift) & 63]);
  }
  const size_t left = bytes.size() - i;
  if (left > 0) {
    uint32_t group = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (left == 2) group |= uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    text.push_back(kAlphabet[(group >> 18) & 63]);
    text.push_back(kAlphabet[(group >> 12) & 63]);
    text.push_back(left == 2 ? kAlphabet[(group >> 6) & 63] : '=');
    text.push_back('=');
  }
  return text;
}

namespace {

constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> make_url_values() {
  std::array<int8_t, 256> values{};
  for (auto& value : values) value = -1;
  for (size_t i = 0; i < kUrlAlphabet.size(); ++i) values[static_cast<unsigned char>(kUrlAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}
constexpr std::array<int8_t, 256> kUrlValues = make_url_values();

// Each character's 6 bits already shifted to their place in a 4-character group (18, 12, 6 or
// 0 bits up); a character outside the alphabet has a bit above the group's 24, so one test per
// group finds it.
using ShiftedValues = std::array<std::array<uint32_t, 256>, 4>;
constexpr uint32_t kNotInAlphabet = 0xff000000;

constexpr ShiftedValues make_shifted(const std::array<int8_t, 256>& values) {
  ShiftedValues shifted{};
  for (size_t place = 0; place < 4; ++place) {
    for (size_t c = 0; c < 256; ++c) {
      shifted[place][c] = values[c] < 0 ? kNotInAlphabet : uint32_t(values[c]) << (18 - 6 * place);
    }
  }
  return shifted;
}
constexpr ShiftedValues kShiftedValues = make_shifted(kValues);
constexpr ShiftedValues kShiftedUrlValues = make_shifted(kUrlValues);

uint32_t group_of(const ShiftedValues& shifted, const char* text) {
  return shifted[0][static_cast<unsigned char>(text[0])] | shifted[1][static_cast<unsigned char>(text[1])] |
         shifted[2][static_cast<unsigned char>(text[2])] | shifted[3][static_cast<unsigned char>(text[3])];
}

// Decodes `text` whose padding (if any) was already removed: 2 or 3 characters may be left
// over at the end, and the bits they carry beyond whole bytes must be zero. Into `bytes`, whose
// capacity is reused (a verifier decodes every token into the same buffers); false, with
// `bytes` meaning nothing, if the text is not base64.
bool decode_unpadded(std::string_view text, const std::array<int8_t, 256>& values, const ShiftedValues& shifted,
                     std::string& bytes) {
  if (text.size() % 4 == 1) return false;
  bytes.resize(text.size() / 4 * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1));
  char* out = bytes.data();
  size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    const uint32_t group = group_of(shifted, text.data() + i);
    if ((group & kNotInAlphabet) != 0) return false;
    out[0] = static_cast<char>(group >> 16);
    out[1] = static_cast<char>(group >> 8);
    out[2] = static_cast<char>(group);
    out += 3;
  }
  const size_t left = text.size() - i;
  if (left >= 2) {
    const int a = values[static_cast<unsigned char>(text[i])];
    const int b = values[static_cast<unsigned char>(text[i + 1])];
    const int c = left == 3 ? values[static_cast<unsigned char>(text[i + 2])] : 0;
    if ((a | b | c) < 0) return false;
    const uint32_t group = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6);
    // Bits past the last whole byte must be zero, or two texts would decode the same.
    if ((left == 2 && (group & 0xffff) != 0) || (left == 3 && (group & 0xff) != 0)) return false;
    *out++ = static_cast<char>(group >> 16);
    if (left == 3) *out++ = static_cast<char>((group >> 8) & 0xff);
  }
  return true;
}

std::optional<std::string> decode_unpadded(std::string_view text, const std::array<int8_t, 256>& values,
                                           const ShiftedValues& shifted) {
  std::string bytes;
  if (!decode_unpadded(text, values, shifted, bytes)) return std::nullopt;
  return bytes;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.ends_with("==")) text.remove_suffix(2);
  else if (text.ends_with("=")) text.remove_suffix(1);
  return decode_unpadded(text, kValues, kShiftedValues);  // a '=' left inside is not in the alphabet
}

std::optional<std::string> base64url_decode(std::string_view text) { return decode_unpadded(text, kUrlValues, kShiftedUrlValues); }

bool base64url_decode_into(std::string_view text, std::string& bytes) {
  return decode_unpadded(text, kUrlValues, kShiftedUrlValues, bytes);
}

std::string base64url_encode(std::string_view bytes) {
  std::string text = base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return text;
}

}  // namespace weftkit::auth
