// A permission decision in one line, for the runtime's explain(): ALLOW or DENY, the
// operation, the table and the roles.yaml lines that decided it.
#pragma once

#include <string>
#include <string_view>

#include "codegen/semantics/principal.h"

namespace weftkit::policy::semantics {

// "ALLOW SELECT on public.orders for alice; allowed by role clerk at roles.yaml:3:13", or
// "DENY DELETE on public.orders for alice: no held role allows it (denied by default)".
std::string describe_decision(const PolicyProgram& program, const Principal& principal, Operation op,
                              std::string_view table);

}  // namespace weftkit::policy::semantics
