// Values of the policy language as NativeDatums (predicate_abi.h) and back: how the host lays
// out rows and parameters for generated code, and how the helpers that generated code calls
// read their arguments. No LLVM here.
#pragma once

#include <deque>
#include <string>
#include <string_view>

#include "codegen/native/predicate_abi.h"
#include "compiler/values/value.h"

namespace weftkit::policy::native {

// The datum of `value`. Text and uuid point into `value`; a numeric's text (numeric_out) is
// appended to `storage`, which must outlive the datum (a deque never moves its strings).
NativeDatum datum_of_value(const Value& value, std::deque<std::string>& storage);

// The value of a datum of `type`. Never raises: a numeric whose text does not read as one is
// NaN, a uuid that is not 16 bytes long is read as what bytes it has.
Value value_of_datum(const NativeDatum& datum, TypeId type);

// A numeric's text read as PostgreSQL's numeric_in reads it; NaN when it does not read.
Decimal decimal_of_text(std::string_view text);

// Types whose datums are `data` + `length` rather than `bits`.
inline bool is_pointer_type(TypeId type) {
  return type == TypeId::kText || type == TypeId::kNumeric || type == TypeId::kUuid;
}

}  // namespace weftkit::policy::native
