// An ahead-of-time module's shared library opened the way the runtime opens one
// (runtime/src/module_loader.cc): dlopen RTLD_NOW | RTLD_LOCAL of a file no other load shares,
// and the table weftkit_policy_module returns checked for ABI version and size before anything
// in it is used. Tests use the table itself rather than a PolicyVersion because they need what
// a PolicyVersion does not show: whether a statement ran precompiled code.
#pragma once

#include <memory>
#include <string>

#include "compiler/diag/result.h"
#include "runtime/include/weftkit/policy_module_abi.h"

namespace weftkit::policy::testing {

class ModuleLibrary {
 public:
  // `path` must name a file of its own (dlopen hands back an already loaded library of the
  // same name); it may be removed once this returns.
  static Result<std::unique_ptr<ModuleLibrary>> open(const std::string& path);
  ModuleLibrary(const ModuleLibrary&) = delete;
  ModuleLibrary& operator=(const ModuleLibrary&) = delete;
  ~ModuleLibrary();  // everything the module returned must be freed before

  const weftkit_module_v1& functions() const { return *functions_; }

 private:
  ModuleLibrary() = default;
  void* handle_ = nullptr;
  const weftkit_module_v1* functions_ = nullptr;
};

}  // namespace weftkit::policy::testing
