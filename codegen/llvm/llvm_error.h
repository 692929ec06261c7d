// The one place where an llvm::Error (or the error of an llvm::Expected) becomes a project
// diagnostic. Internal to codegen/llvm; never include from a public header.
#pragma once

#include <string_view>

#include "compiler/diag/diagnostics.h"

namespace llvm {
class Error;
}

namespace weftkit::policy::llvm_backend {

// Consumes `error`. When it holds a failure, appends "<while_doing>: <LLVM's message>" as an
// error to `diagnostics` and returns true; a success returns false and adds nothing.
// Use with Expected as: if (!value) report_llvm_error(value.takeError(), ...).
bool report_llvm_error(llvm::Error error, std::string_view while_doing, Diagnostics& diagnostics);

}  // namespace weftkit::policy::llvm_backend
