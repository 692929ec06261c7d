// Reads single WEFTKIT_* values out of an environment map, collecting every problem as a
// message instead of stopping at the first; a secret's value is never quoted in a message.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "weftkit/config.h"

namespace weftkit::config {

class VariableReader {
 public:
  VariableReader(const EnvironmentMap& environment, std::vector<std::string>& errors,
                 std::vector<std::string>& warnings)
      : environment_(environment), errors_(errors), warnings_(warnings) {}

  // Present in the map at all (even empty).
  bool is_set(std::string_view name) const;
  // The value when set and not empty; an empty value is an error (a forgotten `-e NAME=`).
  std::optional<std::string> text(std::string_view name);
  // One of `allowed` (exact spelling); anything else is an error listing them.
  template <class Enum>
  std::optional<Enum> choice(std::string_view name, std::initializer_list<std::pair<std::string_view, Enum>> allowed);
  // A decimal whole number in [minimum, maximum].
  std::optional<int64_t> whole_number(std::string_view name, int64_t minimum, int64_t maximum);

  // "NAME=\"value\" is not allowed: <expected>" (the value left out for secrets), plus a
  // did-you-mean for `candidates` when one is close.
  void bad_value(std::string_view name, std::string_view value, std::string_view expected,
                 const std::vector<std::string_view>& candidates = {});
  void error(std::string message) { errors_.push_back(std::move(message)); }
  void warning(std::string message) { warnings_.push_back(std::move(message)); }
  // An error when `name` is absent: "<because> needs <name> (<what>)".
  void require(std::string_view name, std::string_view because, std::string_view what);
  // A warning when `name` is set although the configuration does not use it.
  void ignored_unless(bool used, std::string_view name, std::string_view because);

 private:
  const EnvironmentMap& environment_;
  std::vector<std::string>& errors_;
  std::vector<std::string>& warnings_;
};

template <class Enum>
std::optional<Enum> VariableReader::choice(std::string_view name,
                                           std::initializer_list<std::pair<std::string_view, Enum>> allowed) {
  std::optional<std::string> value = text(name);
  if (!value) return std::nullopt;
  std::vector<std::string_view> spellings;
  for (const auto& [spelling, option] : allowed) {
    if (*value == spelling) return option;
    spellings.push_back(spelling);
  }
  std::string expected = "expected ";
  for (size_t i = 0; i < spellings.size(); ++i) {
    if (i > 0) expected += i + 1 == spellings.size() ? " or " : ", ";
    expected += spellings[i];
  }
  bad_value(name, *value, expected, spellings);
  return std::nullopt;
}

}  // namespace weftkit::config
