// The policy_reload event of a reload that published to a store, or was refused: shared by
// PolicyCompiler::reload and PolicyWatcher (the compiler library) and the module reloads
// (the runtime), which all reach the sink through the store they publish to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>
#include <weftkit/status.h>

namespace weftkit::detail {

// Whether reloads of this store are recorded at all: the files are hashed only then.
bool wants_reload_events(const PolicyStore& store);

// The SHA-256 (lowercase hex) of each file's bytes as they are now, "unreadable" for one that
// cannot be read.
std::vector<std::string> sha256_of_files(const std::vector<std::string>& paths);

// Records one reload with the store's sink, if it wants policy_reload: `old_generation` the
// one serving before, the store's generation now the one after (the same when refused);
// `outcome` OK for accepted, else the refusal, whose first line (the first diagnostic,
// "file:line:col: error: ...") becomes the reason.
void report_reload(const PolicyStore& store, uint64_t old_generation, const std::vector<std::string>& paths,
                   const std::vector<std::string>& sha256, const Status& outcome);

}  // namespace weftkit::detail
