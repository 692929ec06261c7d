// Builds an ahead-of-time policy module with the real `weftkit-policyc compile --emit=so`, as
// an operator would, for the tests that load one.
#pragma once

#include <string>
#include <vector>

namespace weftkit::testing {

// Compiles `inputs` into `output`; returns "" on success, else what the compiler printed.
std::string build_policy_module(const std::vector<std::string>& inputs, const std::string& output);

}  // namespace weftkit::testing
