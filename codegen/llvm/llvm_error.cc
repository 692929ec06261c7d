// Conversion of llvm::Error into diagnostics (see llvm_error.h).
#include "codegen/llvm/llvm_error.h"

#include <llvm/Support/Error.h>

#include <string>

namespace weftkit::policy::llvm_backend {

bool report_llvm_error(llvm::Error error, std::string_view while_doing, Diagnostics& diagnostics) {
  if (!error) return false;
  // toString consumes every payload of the error, so it is handled exactly once.
  diagnostics.error(SourceLocation{}, "internal error: " + std::string(while_doing) + ": " +
                                          llvm::toString(std::move(error)));
  return true;
}

}  // namespace weftkit::policy::llvm_backend
