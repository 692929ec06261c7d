// A semantic error in one statement: thrown while analysing it, caught at the statement
// boundary and reported as a diagnostic. The statement then contributes nothing.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"

namespace weftkit::policy {

struct SemaError {
  SourceLocation where;
  std::string message;
  std::vector<Note> notes;
};

[[noreturn]] inline void raise_sema_error(const SourceLocation& where, std::string message) {
  throw SemaError{where, std::move(message), {}};
}

}  // namespace weftkit::policy
