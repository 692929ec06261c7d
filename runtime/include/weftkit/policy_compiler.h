// For engines that compile policy text at run time (they link weftkit_policy_compiler, which
// brings the compiler and LLVM's JIT; the runtime alone does not): role and policy files to a
// PolicyVersion, and reload = compile off the hot path, then publish.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/include/weftkit/policy_runtime.h"

namespace weftkit {

class PolicyCompiler {
 public:
  static StatusOr<PolicyCompiler> create();

  // roles files (.yaml/.yml) and policy files (.sql). On failure the status is kPolicyError
  // and its message holds every diagnostic as file:line:col with the source line.
  StatusOr<std::shared_ptr<const PolicyVersion>> compile(const std::vector<std::string>& files) const;

  // Compiles `files` and publishes the result. A failure changes nothing: the store keeps
  // serving its version and the status says why.
  Status reload(PolicyStore& store, const std::vector<std::string>& files) const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace weftkit
