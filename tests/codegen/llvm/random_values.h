// Values for the JIT's randomized differential test: each native type's edge values (integer
// limits and the operands that overflow them, NaN, infinities, tiny and huge floats, the first
// and last dates and timestamps, LIKE metacharacters, multi-byte text) mixed with small common
// values (so that comparisons are often equal and divisors often zero), whole rows, and the
// session a statement runs in.
#pragma once

#include <string>
#include <vector>

#include "codegen/semantics/session.h"
#include "compiler/ir/row_security.h"
#include "compiler/values/value.h"
#include "tests/codegen/llvm/random_source.h"

namespace weftkit::policy::jittest {

// Every type the generated code holds (codegen/native/native_plan.cc, is_native_type).
const std::vector<TypeId>& native_types();

// A non-null value of `type`: an edge value with probability `edge_chance`, else a common one.
Value random_value(RandomSource& random, TypeId type, double edge_chance);

// Text meant as a LIKE pattern (with %, _, backslashes, a trailing escape) and as an ESCAPE
// argument (empty, one character, or two: invalid).
std::string random_like_pattern(RandomSource& random);
std::string random_like_escape(RandomSource& random);

// How one column of a batch is filled: how often NULL and how often an edge value.
struct ColumnProfile {
  double null_chance = 0;
  double edge_chance = 0;
};
std::vector<ColumnProfile> random_profiles(RandomSource& random, const TableDefinition& table);
std::vector<std::vector<Value>> random_rows(RandomSource& random, const TableDefinition& table,
                                            const std::vector<ColumnProfile>& profiles, size_t count);

// A session setting policies read, and the type they usually cast it to (unknown: never set).
struct SettingKind {
  std::string name;
  TypeId reads_as;
};
const std::vector<SettingKind>& setting_kinds();

// current_user, session_user and each setting of setting_kinds() (sometimes unset; sometimes
// text that does not read as its type, so that casting it raises).
semantics::SessionValues random_session(RandomSource& random);

// "int4 -7", "float8 NaN", "text 'a%'", "date 2000-01-01 (0)", "NULL int2": for reports.
std::string describe_value(const Value& value);

}  // namespace weftkit::policy::jittest
