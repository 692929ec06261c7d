// Scratch policy files for runtime tests.
#include "tests/runtime/policy_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace weftkit::testing {

PolicyFiles::PolicyFiles(const std::string& roles_yaml, const std::string& policies_sql) {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-runtime-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  write_roles(roles_yaml);
  write_policies(policies_sql);
}

PolicyFiles::~PolicyFiles() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void PolicyFiles::write_roles(const std::string& text) const { std::ofstream(roles_path(), std::ios::trunc) << text; }
void PolicyFiles::write_policies(const std::string& text) const {
  std::ofstream(policies_path(), std::ios::trunc) << text;
}

}  // namespace weftkit::testing
