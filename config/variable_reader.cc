// Value reading and message wording shared by every section of the configuration.
#include "config/variable_reader.h"

#include <charconv>

#include "config/did_you_mean.h"
#include "config/variables.h"

namespace weftkit::config {

bool VariableReader::is_set(std::string_view name) const { return environment_.find(name) != environment_.end(); }

std::optional<std::string> VariableReader::text(std::string_view name) {
  auto found = environment_.find(name);
  if (found == environment_.end()) return std::nullopt;
  if (found->second.empty()) {
    error(std::string(name) + " is set but empty: give it a value or unset it");
    return std::nullopt;
  }
  return found->second;
}

std::optional<int64_t> VariableReader::whole_number(std::string_view name, int64_t minimum, int64_t maximum) {
  std::optional<std::string> value = text(name);
  if (!value) return std::nullopt;
  int64_t number = 0;
  const char* end = value->data() + value->size();
  auto [stop, problem] = std::from_chars(value->data(), end, number);
  if (problem != std::errc() || stop != end || (*value)[0] == '-' || number < minimum || number > maximum) {
    bad_value(name, *value,
              "expected a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum));
    return std::nullopt;
  }
  return number;
}

void VariableReader::bad_value(std::string_view name, std::string_view value, std::string_view expected,
                               const std::vector<std::string_view>& candidates) {
  std::string message(name);
  if (is_secret_variable(name)) {
    message += " (value not shown) is not allowed: ";
  } else {
    message += "=\"" + std::string(value) + "\" is not allowed: ";
  }
  message += expected;
  if (!is_secret_variable(name)) {
    if (std::optional<std::string_view> suggestion = closest_name(value, candidates)) {
      message += " (did you mean \"" + std::string(*suggestion) + "\"?)";
    }
  }
  error(std::move(message));
}

void VariableReader::require(std::string_view name, std::string_view because, std::string_view what) {
  if (is_set(name)) return;  // an empty value was already reported by text()
  error(std::string(because) + " needs " + std::string(name) + " (" + std::string(what) + ")");
}

void VariableReader::ignored_unless(bool used, std::string_view name, std::string_view because) {
  if (used || !is_set(name)) return;
  warning(std::string(name) + " is set but not used: " + std::string(because));
}

}  // namespace weftkit::config
