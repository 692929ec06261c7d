// "did you mean ...?" hints: the closest candidate by edit distance, if close enough to help.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weftkit::policy {

// Case-insensitive; accepts a candidate within a third of the word's length (at least 1).
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or an empty string.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace weftkit::policy
