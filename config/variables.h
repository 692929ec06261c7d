// The table of WEFTKIT_* variables the loader knows: their names, in describe()'s order, and
// which hold secrets (whose values never appear in a message).
#pragma once

#include <span>
#include <string_view>

namespace weftkit::config {

struct VariableSpec {
  std::string_view name;
  bool secret = false;
};

std::span<const VariableSpec> variable_specs();
bool is_secret_variable(std::string_view name);

}  // namespace weftkit::config
