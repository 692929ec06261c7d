// The auth C API tests' shared helpers.
#include "tests/auth/c_api/auth_c_api_fixture.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

namespace weftkit::auth::c_api_testing {

ScratchDirectory::ScratchDirectory() {
  static std::atomic<int> next{0};
  directory_ = std::filesystem::temp_directory_path() /
               ("weftkit-auth-capi-" + std::to_string(getpid()) + "-" + std::to_string(next++));
  std::filesystem::create_directories(directory_);
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string ScratchDirectory::write(const std::string& name, const std::string& text) const {
  const std::string file = path(name);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  return file;
}

Owned<weftkit_auth_config> config_of(const std::vector<std::string>& variables) {
  std::vector<const char*> entries;
  for (const std::string& variable : variables) entries.push_back(variable.c_str());
  weftkit_auth_config* config = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_config_from_variables(entries.data(), entries.size(), &config, error.out()), WEFTKIT_OK)
      << error.message();
  return Owned<weftkit_auth_config>(config);
}

Owned<weftkit_authenticator> authenticator_of(const std::vector<std::string>& variables,
                                              const weftkit_store* directory) {
  Owned<weftkit_auth_config> config = config_of(variables);
  weftkit_authenticator* authenticator = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_authenticator_create(config.get(), directory, &authenticator, error.out()), WEFTKIT_OK)
      << error.message();
  return Owned<weftkit_authenticator>(authenticator);
}

std::string outcome(const weftkit_auth_result* result) {
  if (!weftkit_auth_result_ok(result)) {
    return std::string(weftkit_auth_result_failure(result)) + ": " + weftkit_auth_result_message(result);
  }
  std::string text = std::string("ok user=") + weftkit_auth_result_user(result) +
                     " tenant=" + (weftkit_auth_result_tenant(result) ? weftkit_auth_result_tenant(result) : "-") +
                     " roles=";
  for (size_t i = 0; i < weftkit_auth_result_role_count(result); ++i) {
    text += (i > 0 ? "," : "") + std::string(weftkit_auth_result_role_at(result, i));
  }
  return text + " method=" + std::to_string(static_cast<int>(weftkit_auth_result_method(result)));
}

Owned<weftkit_store> compile_store(const std::vector<std::string>& files) {
  weftkit_compiler* compiler = nullptr;
  ErrorSlot error;
  EXPECT_EQ(weftkit_compiler_create(&compiler, error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_compiler> owned_compiler(compiler);
  std::vector<const char*> paths;
  for (const std::string& file : files) paths.push_back(file.c_str());
  weftkit_store* store = nullptr;
  EXPECT_EQ(weftkit_compiler_compile(compiler, paths.data(), paths.size(), &store, error.out()), WEFTKIT_OK)
      << error.message();
  return Owned<weftkit_store>(store);
}

}  // namespace weftkit::auth::c_api_testing
