// TZif decoding with tzloadbody's checks and limits (src/timezone/localtime.c, tzfile.h of
// PostgreSQL 15), so that a file PostgreSQL rejects is rejected here too.
#include "compiler/values/tzif_file.h"

namespace weftkit::policy {
namespace {

// tzfile.h's limits; tzloadbody rejects counts that reach them.
constexpr int64_t kMaxTimes = 2000;
constexpr int64_t kMaxTypes = 256;
constexpr int64_t kMaxChars = 50;
constexpr int64_t kMaxLeaps = 50;
constexpr size_t kHeaderSize = 44;  // "TZif", version, 15 reserved bytes, six counts

int64_t read_big_endian(std::string_view bytes, size_t offset, int width) {
  uint64_t value = 0;
  for (int index = 0; index < width; ++index) value = (value << 8) | static_cast<uint8_t>(bytes[offset + index]);
  if (width == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return static_cast<int64_t>(value);
}

// One header and its data block at `offset`, with times `width` bytes wide; the block's size is
// returned in `block_size`. Fills `contents` (replacing what an earlier block put there).
bool read_block(std::string_view bytes, size_t offset, int width, TzifContents& contents, size_t& block_size) {
  if (bytes.size() < offset + kHeaderSize) return false;
  const int64_t std_count = read_big_endian(bytes, offset + 24, 4);
  const int64_t ut_count = read_big_endian(bytes, offset + 20, 4);
  const int64_t leap_count = read_big_endian(bytes, offset + 28, 4);
  const int64_t time_count = read_big_endian(bytes, offset + 32, 4);
  const int64_t type_count = read_big_endian(bytes, offset + 36, 4);
  const int64_t char_count = read_big_endian(bytes, offset + 40, 4);
  if (!(0 <= leap_count && leap_count < kMaxLeaps && 0 <= type_count && type_count < kMaxTypes &&
        0 <= time_count && time_count < kMaxTimes && 0 <= char_count && char_count < kMaxChars &&
        (std_count == type_count || std_count == 0) && (ut_count == type_count || ut_count == 0))) {
    return false;
  }
  block_size = static_cast<size_t>(time_count * width + time_count + type_count * 6 + char_count +
                                   leap_count * (width + 4) + std_count + ut_count);
  if (bytes.size() < offset + kHeaderSize + block_size) return false;
  size_t position = offset + kHeaderSize;

  // Transitions: an equal time replaces the one before it; a smaller one makes the file bad.
  contents.transition_times.clear();
  std::vector<bool> kept(static_cast<size_t>(time_count), true);
  for (int64_t index = 0; index < time_count; ++index, position += width) {
    const int64_t at = read_big_endian(bytes, position, width);
    if (!contents.transition_times.empty() && at <= contents.transition_times.back()) {
      if (at < contents.transition_times.back()) return false;
      kept[static_cast<size_t>(index - 1)] = false;
      contents.transition_times.pop_back();
    }
    contents.transition_times.push_back(at);
  }
  contents.transition_types.clear();
  for (int64_t index = 0; index < time_count; ++index) {
    const uint8_t type = static_cast<uint8_t>(bytes[position++]);
    if (type >= type_count) return false;
    if (kept[static_cast<size_t>(index)]) contents.transition_types.push_back(type);
  }
  contents.types.clear();
  for (int64_t index = 0; index < type_count; ++index) {
    TzifLocalTimeType type;
    type.utc_offset = static_cast<int32_t>(read_big_endian(bytes, position, 4));
    const uint8_t is_dst = static_cast<uint8_t>(bytes[position + 4]);
    const uint8_t designation = static_cast<uint8_t>(bytes[position + 5]);
    position += 6;
    if (is_dst > 1 || designation >= char_count) return false;
    type.is_dst = is_dst == 1;
    type.designation_index = designation;
    contents.types.push_back(type);
  }
  contents.designations.assign(bytes.substr(position, static_cast<size_t>(char_count)));
  position += static_cast<size_t>(char_count);

  // Leap seconds: after the epoch, at least 28 days apart, each changing the total by one.
  contents.leap_seconds.clear();
  int64_t previous_at = 0;
  int32_t previous_correction = 0;
  for (int64_t index = 0; index < leap_count; ++index, position += width + 4) {
    const int64_t at = read_big_endian(bytes, position, width);
    const int32_t correction = static_cast<int32_t>(read_big_endian(bytes, position + width, 4));
    if (at < 0) return false;
    if (at - previous_at < 28 * 86'400 - 1 ||
        (correction != previous_correction - 1 && correction != previous_correction + 1)) {
      return false;
    }
    contents.leap_seconds.push_back({at, correction});
    previous_at = at;
    previous_correction = correction;
  }
  // Standard/wall and UT/local indicators: only their values are checked, tzparse ignores them.
  for (int64_t index = 0; index < std_count + ut_count; ++index) {
    if (static_cast<uint8_t>(bytes[position++]) > 1) return false;
  }
  return true;
}

}  // namespace

std::optional<TzifContents> read_tzif(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != "TZif") return std::nullopt;
  const bool version_1 = bytes[4] == '\0';
  TzifContents contents;
  size_t block_size = 0;
  if (!read_block(bytes, 0, 4, contents, block_size)) return std::nullopt;
  size_t end = kHeaderSize + block_size;
  if (!version_1) {
    // Version 2 and later repeat everything with 64-bit times, then the TZ string.
    if (!read_block(bytes, end, 8, contents, block_size)) return std::nullopt;
    end += kHeaderSize + block_size;
    std::string_view rest = bytes.substr(end);
    if (rest.size() > 2 && rest.front() == '\n' && rest.back() == '\n' &&
        static_cast<int64_t>(contents.types.size()) + 2 <= kMaxTypes) {
      contents.footer = std::string(rest.substr(1, rest.size() - 2));
    }
  }
  if (contents.types.empty()) return std::nullopt;
  return contents;
}

}  // namespace weftkit::policy
