// The directory the example engine serves its policy files from: a scratch copy of the roles
// and policy files, so that the demo can edit them and reload without touching examples/.
// Printed text names it "<policy-dir>", so that the output is the same on every run.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/status.h>

namespace weftkit::embed {

class PolicyWorkspace {
 public:
  // Copies each file into a new temporary directory under its own base name.
  static StatusOr<std::unique_ptr<PolicyWorkspace>> create(const std::vector<std::string>& sources);
  ~PolicyWorkspace();  // removes the directory
  PolicyWorkspace(const PolicyWorkspace&) = delete;
  PolicyWorkspace& operator=(const PolicyWorkspace&) = delete;

  // The copies, in the order given: what PolicyCompiler::compile and reload read.
  const std::vector<std::string>& files() const { return files_; }
  // Replaces the one occurrence of `from` in the copy named `file_name` (an edit an operator
  // would make); fails when `from` is not there exactly once.
  Status edit(const std::string& file_name, std::string_view from, std::string_view to) const;
  // `text` with the directory's path replaced by "<policy-dir>".
  std::string shown(std::string text) const;

 private:
  PolicyWorkspace() = default;
  std::string directory_;
  std::vector<std::string> files_;
};

}  // namespace weftkit::embed
