// The C ABI of a compiled permission module: the symbols every generated module defines, the
// same for the JIT and for emitted assembly/objects. Nothing here needs LLVM.
#pragma once

#include <cstdint>

namespace weftkit::policy::native {

// Bumped whenever a symbol below changes meaning or signature.
inline constexpr uint32_t kModuleAbiVersion = 1;

// bool weftkit_check(const uint64_t* principal_masks, uint32_t resource_class, uint32_t op)
// Branch-free: principal_masks[min(resource_class, class_count)] >> op & 1, and false for
// op >= 64. principal_masks holds mask_count = class_count + 1 entries, the last one zero, so
// an out-of-range class reads that zero entry instead of past the end.
inline constexpr const char* kCheckSymbol = "weftkit_check";
using CheckFunction = bool (*)(const uint64_t* principal_masks, uint32_t resource_class, uint32_t op);

// void weftkit_principal_masks(const uint32_t* role_ids, uint32_t role_count, uint64_t* out)
// Writes mask_count entries: per class, (OR of the roles' allow) & ~(OR of their deny), then
// the trailing zero. role_ids must already be closed over inheritance; an unknown role id
// contributes nothing. Runs once per principal (when its context is built), not per check.
inline constexpr const char* kPrincipalMasksSymbol = "weftkit_principal_masks";
using PrincipalMasksFunction = void (*)(const uint32_t* role_ids, uint32_t role_count, uint64_t* out_masks);

// Constant tables and metadata (all emitted as constant globals):
//   uint32_t weftkit_module_abi_version, weftkit_role_count, weftkit_class_count,
//            weftkit_mask_count;
//   uint64_t weftkit_allow_masks[(role_count + 1) * class_count]   (row-major, role × class,
//   uint64_t weftkit_deny_masks [(role_count + 1) * class_count]    trailing all-zero role row)
inline constexpr const char* kAbiVersionSymbol = "weftkit_module_abi_version";
inline constexpr const char* kRoleCountSymbol = "weftkit_role_count";
inline constexpr const char* kClassCountSymbol = "weftkit_class_count";
inline constexpr const char* kMaskCountSymbol = "weftkit_mask_count";
inline constexpr const char* kAllowMasksSymbol = "weftkit_allow_masks";
inline constexpr const char* kDenyMasksSymbol = "weftkit_deny_masks";

}  // namespace weftkit::policy::native
