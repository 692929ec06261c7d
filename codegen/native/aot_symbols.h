// The symbols an ahead-of-time module's generated object defines for the support code linked
// beside it (codegen/aot/aot_module.cc): the embedded bundle, the precompiled plans by key, and the
// permission functions of codegen/native/module_abi.h; and the one the support code defines for
// the object, whose weftkit_policy_module returns it. The emitter (codegen/llvm/aot_emit.cc)
// and the support code agree through this header.
#pragma once

#include <cstdint>

#include "codegen/native/predicate_abi.h"
#include <weftkit/policy_module_abi.h>

namespace weftkit::policy::native {

// One precompiled plan: its plan_key() and its functions. Laid out as three pointers.
struct PrecompiledPlan {
  const char* key;
  PlanRowFunction row;
  PlanBatchFunction batch;
};

inline constexpr const char* kBundleSymbol = "weftkit_aot_bundle";          // const uint8_t[]
inline constexpr const char* kBundleSizeSymbol = "weftkit_aot_bundle_size";  // const uint64_t
inline constexpr const char* kPlansSymbol = "weftkit_aot_plans";             // const PrecompiledPlan[]
inline constexpr const char* kPlanCountSymbol = "weftkit_aot_plan_count";    // const uint64_t
inline constexpr const char* kOriginSymbol = "weftkit_aot_origin";           // const char[]
// Defined by the support code: the module's table (null when its bundle does not decode).
inline constexpr const char* kModuleTableSymbol = "weftkit_aot_module_table";

}  // namespace weftkit::policy::native

extern "C" {
extern const uint8_t weftkit_aot_bundle[];
extern const uint64_t weftkit_aot_bundle_size;
extern const weftkit::policy::native::PrecompiledPlan weftkit_aot_plans[];
extern const uint64_t weftkit_aot_plan_count;
extern const char weftkit_aot_origin[];
void weftkit_principal_masks(const uint32_t* role_ids, uint32_t role_count, uint64_t* out_masks);
__attribute__((visibility("hidden"))) const weftkit_module_v1* weftkit_aot_module_table(void);
}
