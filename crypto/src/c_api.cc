// The C API (weftkit_crypto.h) over the C++ one: handles own shared pointers, errors become
// codes and heap messages, and no exception crosses the boundary.
#include <weftkit/crypto/weftkit_crypto.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/page_cipher.h>

using weftkit::crypto::Error;
using weftkit::crypto::ErrorCode;

struct weftkit_keyring {
  std::shared_ptr<weftkit::crypto::Keyring> keyring;
};

struct weftkit_page_cipher {
  weftkit::crypto::PageCipher cipher;
};

namespace {

static_assert(static_cast<int>(ErrorCode::kInternal) + 1 == WEFTKIT_CRYPTO_INTERNAL,
              "the C codes must follow ErrorCode one to one");

weftkit_crypto_code code_of(ErrorCode code) { return static_cast<weftkit_crypto_code>(static_cast<int>(code) + 1); }

weftkit_crypto_code fail(weftkit_crypto_error** error, weftkit_crypto_code code, const char* message) {
  if (error == nullptr) return code;
  *error = nullptr;
  auto* result = static_cast<weftkit_crypto_error*>(std::malloc(sizeof(weftkit_crypto_error)));
  char* text = static_cast<char*>(std::malloc(std::strlen(message) + 1));
  if (result == nullptr || text == nullptr) {
    std::free(result);
    std::free(text);
    return code;
  }
  std::strcpy(text, message);
  result->code = code;
  result->message = text;
  *error = result;
  return code;
}

weftkit_crypto_code fail(weftkit_crypto_error** error, const Error& cause) {
  return fail(error, code_of(cause.code()), cause.message().c_str());
}

weftkit_crypto_code succeed(weftkit_crypto_error** error) {
  if (error != nullptr) *error = nullptr;
  return WEFTKIT_CRYPTO_OK;
}

weftkit_crypto_code null_argument(weftkit_crypto_error** error) {
  return fail(error, WEFTKIT_CRYPTO_INVALID_ARGUMENT, "a required pointer is NULL");
}

// Every entry point runs its body here: an exception (only std::bad_alloc is possible) becomes
// a code instead of crossing into C.
template <class Body>
weftkit_crypto_code guarded(weftkit_crypto_error** error, Body body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, WEFTKIT_CRYPTO_INTERNAL, "out of memory");
  } catch (...) {
    return fail(error, WEFTKIT_CRYPTO_INTERNAL, "unexpected exception");
  }
}

template <bool kCreate>
weftkit_crypto_code keyring_env(const char* path, const char* key, weftkit_keyring** out, weftkit_crypto_error** error) {
  if (out != nullptr) *out = nullptr;
  if (path == nullptr || key == nullptr || out == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto provider = weftkit::crypto::make_env_key_provider(std::string_view(key));
    if (!provider.ok()) return fail(error, provider.error());
    weftkit::crypto::KeyringSettings settings;
    settings.path = path;
    auto keyring = kCreate ? weftkit::crypto::Keyring::create(settings, provider.value())
                           : weftkit::crypto::Keyring::open(settings, provider.value());
    if (!keyring.ok()) return fail(error, keyring.error());
    *out = new weftkit_keyring{std::move(keyring).value()};
    return succeed(error);
  });
}

}  // namespace

extern "C" {

const char* weftkit_crypto_code_name(weftkit_crypto_code code) {
  if (code == WEFTKIT_CRYPTO_OK) return "ok";
  if (code < WEFTKIT_CRYPTO_AUTHENTICATION_FAILED || code > WEFTKIT_CRYPTO_INTERNAL) return "unknown";
  // error_code_name returns views of string literals, so data() is NUL-terminated.
  return weftkit::crypto::error_code_name(static_cast<ErrorCode>(static_cast<int>(code) - 1)).data();
}

void weftkit_crypto_error_free(weftkit_crypto_error* error) {
  if (error == nullptr) return;
  std::free(error->message);
  std::free(error);
}

weftkit_crypto_code weftkit_keyring_create_env(const char* path, const char* master_key_base64, weftkit_keyring** out,
                                               weftkit_crypto_error** error) {
  return keyring_env<true>(path, master_key_base64, out, error);
}

weftkit_crypto_code weftkit_keyring_open_env(const char* path, const char* master_key_base64, weftkit_keyring** out,
                                             weftkit_crypto_error** error) {
  return keyring_env<false>(path, master_key_base64, out, error);
}

void weftkit_keyring_free(weftkit_keyring* keyring) { delete keyring; }

weftkit_crypto_code weftkit_keyring_add_tenant(weftkit_keyring* keyring, const char* name, uint32_t* tenant,
                                               weftkit_crypto_error** error) {
  if (keyring == nullptr || name == nullptr || tenant == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto added = keyring->keyring->add_tenant(name);
    if (!added.ok()) return fail(error, added.error());
    *tenant = static_cast<uint32_t>(added.value());
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_keyring_find_tenant(const weftkit_keyring* keyring, const char* name, uint32_t* tenant,
                                                weftkit_crypto_error** error) {
  if (keyring == nullptr || name == nullptr || tenant == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto found = keyring->keyring->find_tenant(name);
    if (!found.ok()) return fail(error, found.error());
    *tenant = static_cast<uint32_t>(found.value());
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_keyring_rotate(weftkit_keyring* keyring, uint32_t tenant, uint32_t* new_version,
                                           weftkit_crypto_error** error) {
  if (keyring == nullptr || new_version == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto rotated = keyring->keyring->rotate(static_cast<weftkit::crypto::TenantId>(tenant));
    if (!rotated.ok()) return fail(error, rotated.error());
    *new_version = rotated.value();
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_keyring_rewrap_env(weftkit_keyring* keyring, const char* new_master_key_base64,
                                               weftkit_crypto_error** error) {
  if (keyring == nullptr || new_master_key_base64 == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto provider = weftkit::crypto::make_env_key_provider(std::string_view(new_master_key_base64));
    if (!provider.ok()) return fail(error, provider.error());
    auto rewrapped = keyring->keyring->rewrap(provider.value());
    if (!rewrapped.ok()) return fail(error, rewrapped.error());
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_keyring_retire(weftkit_keyring* keyring, uint32_t tenant, uint32_t version,
                                           weftkit_crypto_error** error) {
  if (keyring == nullptr) return null_argument(error);
  return guarded(error, [&] {
    auto retired = keyring->keyring->retire(static_cast<weftkit::crypto::TenantId>(tenant), version);
    if (!retired.ok()) return fail(error, retired.error());
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_page_cipher_create(weftkit_keyring* keyring, weftkit_page_cipher** out,
                                               weftkit_crypto_error** error) {
  if (out != nullptr) *out = nullptr;
  if (keyring == nullptr || out == nullptr) return null_argument(error);
  return guarded(error, [&] {
    *out = new weftkit_page_cipher{weftkit::crypto::PageCipher(keyring->keyring)};
    return succeed(error);
  });
}

void weftkit_page_cipher_free(weftkit_page_cipher* cipher) { delete cipher; }

size_t weftkit_sealed_page_size(size_t plaintext_size) { return weftkit::crypto::sealed_page_size(plaintext_size); }

weftkit_crypto_code weftkit_page_encrypt(weftkit_page_cipher* cipher, uint32_t tenant, uint64_t object,
                                         uint64_t page_number, uint64_t page_version, const uint8_t* plaintext,
                                         size_t plaintext_size, uint8_t* out, size_t out_capacity, size_t* out_size,
                                         weftkit_crypto_error** error) {
  if (cipher == nullptr || (plaintext == nullptr && plaintext_size > 0) || out == nullptr || out_size == nullptr) {
    return null_argument(error);
  }
  return guarded(error, [&] {
    auto sealed = cipher->cipher.encrypt(static_cast<weftkit::crypto::TenantId>(tenant), {object, page_number}, page_version,
                                         std::span(plaintext, plaintext_size), std::span(out, out_capacity));
    if (!sealed.ok()) return fail(error, sealed.error());
    *out_size = sealed.value();
    return succeed(error);
  });
}

weftkit_crypto_code weftkit_page_decrypt(weftkit_page_cipher* cipher, uint32_t tenant, uint64_t object,
                                         uint64_t page_number, uint64_t expected_version, const uint8_t* sealed,
                                         size_t sealed_size, uint8_t* out, size_t out_capacity, size_t* out_size,
                                         weftkit_crypto_error** error) {
  if (cipher == nullptr || sealed == nullptr || (out == nullptr && out_capacity > 0) || out_size == nullptr) {
    return null_argument(error);
  }
  return guarded(error, [&] {
    auto opened = cipher->cipher.decrypt(static_cast<weftkit::crypto::TenantId>(tenant), {object, page_number},
                                         expected_version, std::span(sealed, sealed_size), std::span(out, out_capacity));
    if (!opened.ok()) return fail(error, opened.error());
    *out_size = opened.value();
    return succeed(error);
  });
}

}  // extern "C"
