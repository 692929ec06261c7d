// For C++ libraries that extend the C API of weftkit_policy.h with functions of their own (the
// compiler's weftkit_compiler_*, the security modules' C APIs): the one way a Status becomes a
// weftkit_status plus weftkit_error, the guard that keeps exceptions from unwinding into C,
// and the bridge between a C store handle and the C++ store behind it. C++ only; engines
// written in C never include it.
#pragma once

#include <exception>
#include <memory>
#include <new>
#include <string_view>

#include <weftkit/policy_runtime.h>
#include <weftkit/status.h>
#include <weftkit/weftkit_policy.h>

namespace weftkit::c_api {

weftkit_status to_c_status(StatusCode code);

// Sets *error (when `error` is not null) to a new weftkit_error holding `code` and the
// message, and returns `code`. Allocates with malloc and never throws: if memory runs out,
// *error stays null and the code still tells the caller.
weftkit_status fail(weftkit_status code, std::string_view message, weftkit_error** error) noexcept;

// OK → WEFTKIT_OK (*error untouched, already cleared by guarded); otherwise fail().
weftkit_status report(const Status& status, weftkit_error** error) noexcept;

// A malloc'ed NUL-terminated copy, for strings the caller frees with weftkit_string_free.
// Throws std::bad_alloc, to be caught by guarded().
char* duplicate(std::string_view text);

// Runs a C entry point's body with *error cleared first, turning any exception into
// WEFTKIT_INTERNAL: nothing thrown inside may unwind into C.
template <class Body>
weftkit_status guarded(weftkit_error** error, Body&& body) noexcept {
  if (error != nullptr) *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(WEFTKIT_INTERNAL, "out of memory", error);
  } catch (const std::exception& exception) {
    return fail(WEFTKIT_INTERNAL, exception.what(), error);
  } catch (...) {
    return fail(WEFTKIT_INTERNAL, "internal error: an unknown exception reached the C API", error);
  }
}

// For checks: an exception denies.
template <class Body>
bool guarded_check(Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return false;
  }
}

// A C handle for a C++ store (freed with weftkit_store_free), and the store behind a handle.
weftkit_store* wrap_store(std::shared_ptr<PolicyStore> store);
PolicyStore& store_of(weftkit_store& store);
// The store shared, for a library that keeps it beyond the call (the auth C API's directory).
std::shared_ptr<const PolicyStore> shared_store_of(const weftkit_store& store);
// The context and statement behind handles, for libraries that record through them (the audit
// C API's engine events).
const SecurityContext& context_of(const weftkit_context& context);
const Statement& statement_of(const weftkit_statement& statement);

}  // namespace weftkit::c_api
