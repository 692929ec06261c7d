// What a statement knows about its session: the values behind current_user, session_user and
// current_setting(). Bound once per statement; expressions read them, never re-derive them.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace weftkit::policy::semantics {

struct SessionValues {
  std::string current_user;
  std::string session_user;
  // Custom settings as with SET: names compare case-insensitively, so keys are lower case.
  std::map<std::string, std::string> settings;

  void set(const std::string& name, const std::string& value);
  std::optional<std::string> find(const std::string& name) const;
};

}  // namespace weftkit::policy::semantics
