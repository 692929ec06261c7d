// Edit-distance suggestions for misspelt keys, roles and operations.
#include "compiler/diag/suggest.h"

#include <algorithm>
#include <cctype>

namespace weftkit::policy {
namespace {

size_t edit_distance(std::string_view left, std::string_view right) {
  std::vector<size_t> previous(right.size() + 1);
  std::vector<size_t> current(right.size() + 1);
  for (size_t j = 0; j <= right.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= left.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= right.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(left[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(right[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[right.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  size_t limit = std::max<size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> match = closest_match(word, candidates);
  return match ? "; did you mean '" + *match + "'?" : std::string();
}

}  // namespace weftkit::policy
