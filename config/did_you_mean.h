// Suggests the known name closest to a misspelt one, for "did you mean" notes.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace weftkit::config {

// The candidate within a small edit distance of `word` (ignoring case), the closest first in
// `candidates`' order on ties; nothing when every candidate is too far to be a typo.
std::optional<std::string_view> closest_name(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace weftkit::config
