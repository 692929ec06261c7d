// The C API's compiler handle (weftkit_policy.h): PolicyCompiler for C callers. It lives in
// weftkit_policy_compiler, next to the JIT it needs, so that the runtime's own C API links
// without LLVM.
#include <string>
#include <vector>

#include <weftkit/policy_compiler.h>
#include <weftkit/detail/c_api_bridge.h>

using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::report;

struct weftkit_compiler {
  weftkit::PolicyCompiler compiler;
};

namespace {

// The C array of file names, or the reason it is unusable.
weftkit_status read_file_list(const char* const* files, size_t file_count, std::vector<std::string>& out,
                              weftkit_error** error) {
  if (files == nullptr || file_count == 0) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "no files given (files is NULL or file_count is 0)", error);
  }
  for (size_t index = 0; index < file_count; ++index) {
    if (files[index] == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "files[" + std::to_string(index) + "] is NULL", error);
    }
    out.emplace_back(files[index]);
  }
  return WEFTKIT_OK;
}

}  // namespace

extern "C" {

weftkit_status weftkit_compiler_create(weftkit_compiler** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out == nullptr) return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_compiler_create: out must not be NULL", error);
    *out = nullptr;
    weftkit::StatusOr<weftkit::PolicyCompiler> created = weftkit::PolicyCompiler::create();
    if (!created.is_ok()) return report(created.status(), error);
    *out = new weftkit_compiler{std::move(created).value()};
    return WEFTKIT_OK;
  });
}

void weftkit_compiler_free(weftkit_compiler* compiler) { delete compiler; }

weftkit_status weftkit_compiler_compile(const weftkit_compiler* compiler, const char* const* files, size_t file_count,
                                        weftkit_store** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (compiler == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_compiler_compile: compiler and out must not be NULL", error);
    }
    std::vector<std::string> paths;
    if (weftkit_status status = read_file_list(files, file_count, paths, error); status != WEFTKIT_OK) return status;
    auto version = compiler->compiler.compile(paths);
    if (!version.is_ok()) return report(version.status(), error);
    *out = weftkit::c_api::wrap_store(std::make_shared<weftkit::PolicyStore>(std::move(version).value()));
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_compiler_reload(const weftkit_compiler* compiler, weftkit_store* store, const char* const* files,
                                       size_t file_count, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (compiler == nullptr || store == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_compiler_reload: compiler and store must not be NULL", error);
    }
    std::vector<std::string> paths;
    if (weftkit_status status = read_file_list(files, file_count, paths, error); status != WEFTKIT_OK) return status;
    return report(compiler->compiler.reload(weftkit::c_api::store_of(*store), paths), error);
  });
}

}  // extern "C"
