// Links the generated object of an ahead-of-time policy module (codegen/llvm/aot_emit.h,
// `weftkit-policyc compile --emit=obj`) with the support libraries into the shared library the
// runtime loads: the one link command behind --emit=so, shared with the tests that link an
// object themselves. Not part of any module; needs no LLVM.
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"

namespace weftkit::policy::aot {

// Writes `output` (directly, not atomically: callers that replace a file link to a temporary
// and rename it). The library exports weftkit_policy_module and nothing else. On failure
// returns false with an error in `diagnostics` quoting what the linker printed.
bool link_policy_module(const std::string& object_path, const std::string& output, Diagnostics& diagnostics);

}  // namespace weftkit::policy::aot
