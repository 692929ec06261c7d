// Whole pages in and out for `page`: bytes read from a file or stdin (bounded: a page is small),
// and written to a file only whole, by renaming a finished temporary file over it, so a refused
// or failed run never leaves a partial or stale-looking output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace weftkit::policy::cli {

struct PageInput {
  std::vector<std::uint8_t> bytes;
  std::string error;  // set when the input could not be read
};

// At most `limit` bytes (one more than any acceptable input, so "too large" is still seen).
// `path` unset: stdin.
PageInput read_page_input(const std::optional<std::string>& path, std::size_t limit);

// Writes bytes to stdout, or to `path` through a temporary file in its directory (mode 0600:
// a decrypted page is as private as the keyring). An error message, or empty on success.
std::string write_page_output(const std::optional<std::string>& path, std::span<const std::uint8_t> bytes);

}  // namespace weftkit::policy::cli
