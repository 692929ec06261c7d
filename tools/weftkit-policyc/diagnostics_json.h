// Diagnostics as JSON, for --json output.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostics.h"

namespace weftkit::policy::cli {

nlohmann::ordered_json location_json(const SourceLocation& where);
nlohmann::ordered_json diagnostics_json(const Diagnostics& diagnostics);

}  // namespace weftkit::policy::cli
