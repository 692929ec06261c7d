/* A policy module as weftkit-policyc built them for module ABI version 1, before the function
 * table gained column_count: the loader must refuse it by its version, never read the table. */
#include <stddef.h>

#include <weftkit/policy_module_abi.h>

const weftkit_module_v1* weftkit_policy_module(void) {
  static weftkit_module_v1 table;
  table.abi_version = 1;
  table.struct_size = (uint32_t)offsetof(weftkit_module_v1, column_count);
  table.origin = "an older weftkit-policyc";
  table.mask_count = 1;
  return &table;
}
