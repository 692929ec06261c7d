// What a predicate exercises, by name, so that a randomized test can show that its generator
// reaches every construct of the code generator: "compare int2", "/ int8", "cast float8 ->
// real", "cast date -> timestamp (cross-type operand)", "like escape", "param
// current_setting", ... Row-dependent nodes (those the JIT lowers) are named by kind and type;
// column-free ones, which the JIT binds as parameters, are prefixed "param".
#pragma once

#include <set>
#include <string>

#include "compiler/ir/expr.h"

namespace weftkit::policy::jittest {

void collect_features(const Expr& condition, std::set<std::string>& features);

}  // namespace weftkit::policy::jittest
