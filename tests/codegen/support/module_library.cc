// Opening ahead-of-time module libraries as the runtime does (see module_library.h).
#include "tests/codegen/support/module_library.h"

#include <dlfcn.h>

namespace weftkit::policy::testing {
namespace {

Result<std::unique_ptr<ModuleLibrary>> refused(const std::string& why) {
  Diagnostics diagnostics;
  diagnostics.error(SourceLocation{}, why);
  return Result<std::unique_ptr<ModuleLibrary>>::failure(std::move(diagnostics));
}

}  // namespace

Result<std::unique_ptr<ModuleLibrary>> ModuleLibrary::open(const std::string& path) {
  std::unique_ptr<ModuleLibrary> library(new ModuleLibrary());
  library->handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library->handle_ == nullptr) {
    const char* reason = dlerror();
    return refused("cannot load " + path + ": " + (reason != nullptr ? reason : "unknown reason"));
  }
  auto entry = reinterpret_cast<weftkit_module_entry>(dlsym(library->handle_, WEFTKIT_MODULE_ENTRY_SYMBOL));
  if (entry == nullptr) return refused(path + " has no " WEFTKIT_MODULE_ENTRY_SYMBOL);
  library->functions_ = entry();
  if (library->functions_ == nullptr) return refused(path + ": its embedded bundle does not decode");
  if (library->functions_->abi_version != WEFTKIT_MODULE_ABI_VERSION ||
      library->functions_->struct_size < sizeof(weftkit_module_v1) || library->functions_->mask_count == 0) {
    return refused(path + " has module ABI version " + std::to_string(library->functions_->abi_version) +
                   " and table size " + std::to_string(library->functions_->struct_size) + ", not " +
                   std::to_string(WEFTKIT_MODULE_ABI_VERSION) + " and " + std::to_string(sizeof(weftkit_module_v1)));
  }
  return Result<std::unique_ptr<ModuleLibrary>>::success(std::move(library));
}

ModuleLibrary::~ModuleLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

}  // namespace weftkit::policy::testing
