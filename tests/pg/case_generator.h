// Seeded random cases for the differential test: a schema of 2-6 columns, row-level
// security on, forced, off or switched off again, 0-4 policies over a handful of roles, a
// principal with some roles and settings, a statement, and rows with NULLs and edge values.
// The same seed and language always give the same case.
#pragma once

#include <cstdint>

#include "tests/pg/generator_language.h"
#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

PolicyCase generate_case(uint64_t seed, const GeneratorLanguage& language);

}  // namespace weftkit::policy::pgtest
