/* weftkit_policy.h compiled as strict C99 (see CMakeLists.txt): it must be plain C, and a C
 * compiler must lay weftkit_datum out as the C++ side does. c_api_basics_test.cc compares. */
#include <stddef.h>

#include <weftkit/weftkit_policy.h>

size_t weftkit_c99_datum_layout(size_t offsets[6]) {
  offsets[0] = offsetof(weftkit_datum, bits);
  offsets[1] = offsetof(weftkit_datum, data);
  offsets[2] = offsetof(weftkit_datum, length);
  offsets[3] = offsetof(weftkit_datum, is_null);
  offsets[4] = offsetof(weftkit_datum, is_error);
  offsets[5] = offsetof(weftkit_datum, padding);
  return sizeof(weftkit_datum);
}

int weftkit_c99_api_version(void) { return WEFTKIT_POLICY_API_VERSION; }

/* The header's inline helpers, as a C99 caller uses them. */
weftkit_datum weftkit_c99_text_datum(const char* text) { return weftkit_datum_text(text, (int64_t)strlen(text)); }

/* The structs and enums C callers fill in: sizes and the offsets C++ reads them at. */
size_t weftkit_c99_identity_layout(size_t offsets[8]) {
  offsets[0] = offsetof(weftkit_identity, user);
  offsets[1] = offsetof(weftkit_identity, tenant);
  offsets[2] = offsetof(weftkit_identity, roles);
  offsets[3] = offsetof(weftkit_identity, role_count);
  offsets[4] = offsetof(weftkit_identity, settings);
  offsets[5] = offsetof(weftkit_identity, setting_count);
  offsets[6] = offsetof(weftkit_identity, source_address);
  offsets[7] = offsetof(weftkit_identity, auth_method);
  return sizeof(weftkit_identity);
}

size_t weftkit_c99_enum_size(void) { return sizeof(weftkit_operation); }
