// Session settings with PostgreSQL's case-insensitive names.
#include "codegen/semantics/session.h"

#include <cctype>

namespace weftkit::policy::semantics {
namespace {

std::string lower(const std::string& name) {
  std::string out;
  for (char c : name) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

void SessionValues::set(const std::string& name, const std::string& value) { settings[lower(name)] = value; }

std::optional<std::string> SessionValues::find(const std::string& name) const {
  auto found = settings.find(lower(name));
  if (found == settings.end()) return std::nullopt;
  return found->second;
}

}  // namespace weftkit::policy::semantics
