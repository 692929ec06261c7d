// The demo's hot-reload part: queries keep running on other threads while the main thread
// reloads a changed policy file and then a broken one; what the readers saw is checked and
// printed as a summary (their statement counts vary from run to run, so they are not printed).
#pragma once

#include <ostream>

#include "examples/embed/policy_workspace.h"
#include "examples/embed/table_store.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::embed {

// Fails when a reload that should succeed did not, or a reader saw something no serving
// version could have shown it.
Status run_reload_section(std::ostream& out, PolicyStore& store, const PolicyCompiler& compiler,
                          const PolicyWorkspace& workspace, TableStore& tables);

}  // namespace weftkit::embed
