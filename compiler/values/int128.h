// A 128-bit integer for exact overflow checks and decimals (a GCC/Clang extension, marked as
// such so that -Wpedantic stays quiet about this one deliberate use).
#pragma once

namespace weftkit::policy {
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;
}  // namespace weftkit::policy
