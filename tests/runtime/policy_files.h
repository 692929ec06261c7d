// A scratch directory holding a roles file and a policy file that tests rewrite, as an
// operator would before a reload.
#pragma once

#include <string>
#include <vector>

namespace weftkit::testing {

class PolicyFiles {
 public:
  PolicyFiles(const std::string& roles_yaml, const std::string& policies_sql);
  PolicyFiles(const PolicyFiles&) = delete;
  PolicyFiles& operator=(const PolicyFiles&) = delete;
  ~PolicyFiles();

  void write_roles(const std::string& text) const;
  void write_policies(const std::string& text) const;
  std::vector<std::string> paths() const { return {roles_path(), policies_path()}; }
  std::string roles_path() const { return directory_ + "/roles.yaml"; }
  std::string policies_path() const { return directory_ + "/policies.sql"; }

 private:
  std::string directory_;
};

}  // namespace weftkit::testing
