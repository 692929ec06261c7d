// The same policy files as both kinds of PolicyVersion the runtime serves: compiled in
// process (JIT) and as an ahead-of-time module built by the real weftkit-policyc, for tests
// that hold the two to the same answers.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <weftkit/policy_version.h>

namespace weftkit::testing {

struct JitAndModuleVersions {
  std::shared_ptr<const PolicyVersion> jit;
  std::shared_ptr<const PolicyVersion> module;
  std::string error;  // empty when both were made

  // For a test's name: "jit" or "module".
  std::vector<std::pair<const char*, std::shared_ptr<const PolicyVersion>>> both() const {
    return {{"jit", jit}, {"module", module}};
  }
};

JitAndModuleVersions compile_jit_and_module(const std::vector<std::string>& files);

}  // namespace weftkit::testing
