// Strict base64 decoding for key material (see base64.h).
#include "crypto/src/base64.h"

namespace weftkit::crypto::detail {
namespace {

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'; }

}  // namespace

Base64Decoded decode_base64(std::string_view text, std::span<std::uint8_t> out) {
  Base64Decoded result;
  std::uint32_t bits = 0;
  int bit_count = 0;
  std::size_t symbols = 0;  // alphabet characters and padding, whitespace excluded
  std::size_t padding = 0;
  auto emit = [&](std::uint8_t byte) {
    if (result.decoded_size < out.size()) out[result.decoded_size] = byte;
    ++result.decoded_size;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_space(c)) continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    int value = sextet(c);
    if (value < 0) {
      result.problem = "character " + std::to_string(i + 1) + " is not in the base64 alphabet";
      return result;
    }
    if (padding > 0) {
      result.problem = "base64 padding '=' is followed by more data at character " + std::to_string(i + 1);
      return result;
    }
    ++symbols;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      emit(static_cast<std::uint8_t>(bits >> bit_count));
      bits &= (1u << bit_count) - 1;
    }
  }
  if (symbols == 0) {
    result.problem = "it is empty";
    return result;
  }
  if (symbols % 4 != 0 || padding > 2) {
    result.problem = "base64 of " + std::to_string(symbols) + " characters (not a multiple of 4 with '=' padding)";
    return result;
  }
  // Leftover bits must be zero, or the text is not what an encoder writes (e.g. a cut value).
  if (bits != 0) {
    result.problem = "the last base64 group has bits that no encoder sets";
    return result;
  }
  result.ok = true;
  return result;
}

std::string encode_base64(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  // Reserved up front so the string never reallocates and leaves a copy of a secret behind.
  text.reserve(4 * ((bytes.size() + 2) / 3));
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t group = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) text += kAlphabet[(group >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    if (rest == 2) group |= std::uint32_t{bytes[i + 1]} << 8;
    text += kAlphabet[(group >> 18) & 63];
    text += kAlphabet[(group >> 12) & 63];
    text += rest == 2 ? kAlphabet[(group >> 6) & 63] : '=';
    text += '=';
  }
  return text;
}

}  // namespace weftkit::crypto::detail
