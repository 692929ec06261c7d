// Errors and strings at the C API's boundary: everything handed to C is malloc'ed, so that
// the *_free functions are plain free() and work whatever allocator C++ uses.
#include "runtime/src/c_api_boundary.h"

#include <cstdlib>
#include <cstring>

namespace weftkit::c_api {

// The C enum mirrors StatusCode value for value; a new code must be added to both.
static_assert(WEFTKIT_OK == static_cast<int>(StatusCode::kOk));
static_assert(WEFTKIT_INVALID_ARGUMENT == static_cast<int>(StatusCode::kInvalidArgument));
static_assert(WEFTKIT_NOT_FOUND == static_cast<int>(StatusCode::kNotFound));
static_assert(WEFTKIT_PERMISSION_DENIED == static_cast<int>(StatusCode::kPermissionDenied));
static_assert(WEFTKIT_POLICY_ERROR == static_cast<int>(StatusCode::kPolicyError));
static_assert(WEFTKIT_INTERNAL == static_cast<int>(StatusCode::kInternal));

weftkit_status to_c_status(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return WEFTKIT_OK;
    case StatusCode::kInvalidArgument: return WEFTKIT_INVALID_ARGUMENT;
    case StatusCode::kNotFound: return WEFTKIT_NOT_FOUND;
    case StatusCode::kPermissionDenied: return WEFTKIT_PERMISSION_DENIED;
    case StatusCode::kPolicyError: return WEFTKIT_POLICY_ERROR;
    case StatusCode::kInternal: return WEFTKIT_INTERNAL;
  }
  return WEFTKIT_INTERNAL;  // a code this file does not know yet is never mistaken for success
}

static char* malloc_copy(std::string_view text) noexcept {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) return nullptr;
  if (!text.empty()) std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

weftkit_status fail(weftkit_status code, std::string_view message, weftkit_error** error) noexcept {
  if (error == nullptr) return code;
  *error = nullptr;
  auto* made = static_cast<weftkit_error*>(std::malloc(sizeof(weftkit_error)));
  if (made == nullptr) return code;
  made->code = code;
  made->message = malloc_copy(message);
  if (made->message == nullptr) {
    std::free(made);
    return code;
  }
  *error = made;
  return code;
}

weftkit_status report(const Status& status, weftkit_error** error) noexcept {
  if (status.is_ok()) return WEFTKIT_OK;
  return fail(to_c_status(status.code()), status.message(), error);
}

char* duplicate(std::string_view text) {
  char* copy = malloc_copy(text);
  if (copy == nullptr) throw std::bad_alloc();
  return copy;
}

}  // namespace weftkit::c_api

extern "C" {

uint32_t weftkit_api_version(void) { return WEFTKIT_POLICY_API_VERSION; }

void weftkit_error_free(weftkit_error* error) {
  if (error == nullptr) return;
  std::free(error->message);
  std::free(error);
}

void weftkit_string_free(char* text) { std::free(text); }

const char* weftkit_status_name(weftkit_status status) {
  switch (status) {
    case WEFTKIT_OK: return "WEFTKIT_OK";
    case WEFTKIT_INVALID_ARGUMENT: return "WEFTKIT_INVALID_ARGUMENT";
    case WEFTKIT_NOT_FOUND: return "WEFTKIT_NOT_FOUND";
    case WEFTKIT_PERMISSION_DENIED: return "WEFTKIT_PERMISSION_DENIED";
    case WEFTKIT_POLICY_ERROR: return "WEFTKIT_POLICY_ERROR";
    case WEFTKIT_INTERNAL: return "WEFTKIT_INTERNAL";
    case WEFTKIT_BUFFER_TOO_SMALL: return "WEFTKIT_BUFFER_TOO_SMALL";
  }
  return "WEFTKIT_UNKNOWN_STATUS";
}

}  // extern "C"
