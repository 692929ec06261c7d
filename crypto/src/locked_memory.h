// Slots of kKeySize bytes carved from pages that are mlock'ed (never swapped) and excluded
// from core dumps; a slot is wiped when freed. One mlock per 64 KiB chunk, not per key: opening
// a keyring of 10,000 tenants takes five system calls, not 10,000, and stays far below
// RLIMIT_MEMLOCK (320 KiB for 10,000 keys).
#pragma once

#include <cstdint>

namespace weftkit::crypto::detail {

// nullptr when no locked memory can be had (RLIMIT_MEMLOCK reached, out of memory).
std::uint8_t* allocate_locked_key_slot();
// Wipes the slot and returns it to the free list. nullptr is ignored.
void free_locked_key_slot(std::uint8_t* slot);

}  // namespace weftkit::crypto::detail
