// nlohmann's parser with a callback that watches member names and depth; its own lexer already
// refuses invalid UTF-8 and trailing text.
#include "auth/strict_json.h"

#include <set>
#include <vector>

namespace weftkit::auth {

std::variant<nlohmann::json, std::string> parse_strict_json(std::string_view text) {
  std::vector<std::set<std::string>> open_objects;
  std::string problem;
  auto watch = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (!problem.empty()) return false;
    using Event = nlohmann::json::parse_event_t;
    if ((event == Event::object_start || event == Event::array_start) && depth >= kMaxJsonDepth) {
      problem = "nested deeper than " + std::to_string(kMaxJsonDepth);
      return false;
    }
    if (event == Event::object_start) open_objects.emplace_back();
    if (event == Event::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == Event::key && !open_objects.empty()) {
      const std::string& name = parsed.get_ref<const std::string&>();
      if (!open_objects.back().insert(name).second) {
        problem = "duplicate member \"" + name + "\"";
        return false;
      }
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (!problem.empty()) return problem;
  if (value.is_discarded()) return std::string("not valid JSON (or not valid UTF-8)");
  return value;
}

}  // namespace weftkit::auth
