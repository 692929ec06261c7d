// The compiler's front door: reads the input files, dispatches each by extension to its front
// end, and returns a whole program or none (every diagnostic either way).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy {

enum class InputKind { kRoles, kPolicies, kBundle, kUnknown };

// .yaml/.yml roles, .sql policies, .wkpb compiled bundle.
InputKind input_kind(const std::string& path);

// An input given as text: used by tests and by callers that hold the text already.
struct SourceInput {
  std::string path;
  std::string text;
};

// Compiles inputs whose text is known. `sources` receives every text, for rendering.
Result<PolicyProgram> compile_sources(const std::vector<SourceInput>& inputs, SourceTexts& sources);

// Reads the files (unreadable files are errors) and compiles them.
Result<PolicyProgram> compile_files(const std::vector<std::string>& paths, SourceTexts& sources);

}  // namespace weftkit::policy
