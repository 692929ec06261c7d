// Environment parsing; a malformed value is an error, never silently the default.
#include "tests/pg/differential_settings.h"

#include <chrono>
#include <cstdlib>
#include <random>

namespace weftkit::policy::pgtest {
namespace {

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<unsigned long long> parse_number(const std::string& text) {
  try {
    size_t used = 0;
    unsigned long long value = std::stoull(text, &used, 0);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<DifferentialSettings> differential_settings_from_environment(std::string& problem) {
  DifferentialSettings settings;
  if (auto seed = variable("WEFTKIT_PG_SEED")) {
    if (*seed == "random") {
      settings.seed = std::random_device{}() ^
                      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    } else if (auto number = parse_number(*seed)) {
      settings.seed = *number;
    } else {
      problem = "WEFTKIT_PG_SEED must be a number or \"random\", not '" + *seed + "'";
      return std::nullopt;
    }
  }
  if (auto cases = variable("WEFTKIT_PG_CASES")) {
    auto number = parse_number(*cases);
    if (!number || *number == 0 || *number > 1000000) {
      problem = "WEFTKIT_PG_CASES must be a positive number, not '" + *cases + "'";
      return std::nullopt;
    }
    settings.case_count = static_cast<int>(*number);
  }
  if (auto every = variable("WEFTKIT_PG_AOT_EVERY")) {
    auto number = parse_number(*every);
    if (!number || *number == 0 || *number > 1000000) {
      problem = "WEFTKIT_PG_AOT_EVERY must be a positive number, not '" + *every + "'";
      return std::nullopt;
    }
    settings.aot_every = static_cast<int>(*number);
  }
  if (auto only = variable("WEFTKIT_PG_CASE")) {
    auto number = parse_number(*only);
    if (!number || *number > 1000000) {
      problem = "WEFTKIT_PG_CASE must be a case index, not '" + *only + "'";
      return std::nullopt;
    }
    settings.only_case = static_cast<int>(*number);
  }
  if (auto features = variable("WEFTKIT_PG_FEATURES")) {
    auto language = GeneratorLanguage::from_spec(*features, problem);
    if (!language) return std::nullopt;
    settings.language = *language;
  }
  if (auto save = variable("WEFTKIT_PG_SAVE_DIR")) settings.save_dir = *save;
  return settings;
}

}  // namespace weftkit::policy::pgtest
