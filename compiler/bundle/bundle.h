// The bundle: a compiled policy program on disk, versioned and checksummed. A bundle that is
// truncated, corrupted, from another format version or internally inconsistent is rejected
// whole with a message that says which.
//
// Layout: magic "WKPOLBND" | u32 format version | u32 flags (0) | u64 payload size |
//         SHA-256 of the payload (32 bytes) | payload.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy {

inline constexpr std::string_view kBundleMagic = "WKPOLBND";
inline constexpr uint32_t kBundleFormatVersion = 4;  // 2: tables and row-level security; 3: numeric as text;
                                                    // 4: users' other tenants
inline constexpr size_t kBundleHeaderSize = 8 + 4 + 4 + 8 + 32;

std::string write_bundle(const PolicyProgram& program);

// `path` names the bundle in diagnostics.
Result<PolicyProgram> read_bundle(std::string_view bytes, const std::string& path);

}  // namespace weftkit::policy
