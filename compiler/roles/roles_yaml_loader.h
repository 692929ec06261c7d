// Reads a roles.yaml file into a RolesFileSpec, reporting malformed YAML and misplaced or
// unknown keys with their positions. Names are resolved later, across all files.
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/roles/roles_spec.h"

namespace weftkit::policy {

// `path` names the file in diagnostics; `text` is its content.
RolesFileSpec load_roles_yaml(const std::string& path, const std::string& text, Diagnostics& diagnostics);

}  // namespace weftkit::policy
