// The integrity record of policy module files (weftkit_module_seal_v1 in policy_module_abi.h):
// written by `weftkit-policyc compile --emit=so` after linking, checked by the runtime on its
// private copy of a module before that copy is handed to the dynamic loader.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <weftkit/status.h>

namespace weftkit {

// Appends the integrity record over the file's current contents. The file must be a complete
// module that is not sealed yet (sealing twice would seal the first record too; refused).
Status seal_policy_module(const std::string& path);

// Why a module file may not be loaded, as its bytes say; what load_policy_module checks before
// dlopen. `complete` is false for the failures that a module still being written shows
// (truncated, no record yet, a digest that does not match the bytes so far): a reload waits for
// such a file instead of reporting it broken.
struct ModuleImageCheck {
  Status status;          // OK, or kPolicyError with the reason ("truncated: 400000 of 710080 bytes")
  bool complete = true;   // false: the file may still be being written
};

// The record (present, well-formed, its length and digest those of the bytes), then the ELF
// headers against the bytes: a 64-bit shared library for this machine whose program headers,
// loadable segments and dynamic table all lie inside the file, so that the loader never maps
// or reads past its end.
ModuleImageCheck check_policy_module_image(std::span<const uint8_t> bytes);

}  // namespace weftkit
