// Loading ahead-of-time policy modules (`weftkit-policyc compile --emit=so`): a PolicyVersion
// from a shared library, without LLVM or the compiler. The library's C ABI version is checked
// before anything in it is used; a module that does not fit is refused, never half-loaded.
#pragma once

#include <memory>
#include <string>

#include "runtime/include/weftkit/policy_runtime.h"

namespace weftkit {

// The library is copied to a private file before it is loaded, so that the operator may
// replace the module file at any time (and reload it) while the old version still serves.
StatusOr<std::shared_ptr<const PolicyVersion>> load_policy_module(const std::string& path);

// load_policy_module, then publish. A failure changes nothing.
Status reload_policy_module(PolicyStore& store, const std::string& path);

}  // namespace weftkit
