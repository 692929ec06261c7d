// The HS256 secret keyed into OpenSSL's HMAC once per verifier. HMAC() fetches HMAC and SHA-256
// by name, builds a context and hashes the key pads again on every call, about half of it fixed
// cost next to the hash of a 1 KB token; a verify here copies the keyed context instead.
#pragma once

#include <memory>
#include <string_view>

struct evp_mac_ctx_st;

namespace weftkit::auth {

class Hs256Key {
 public:
  // nullptr when OpenSSL cannot make the context (the caller then uses HMAC() per token).
  static std::unique_ptr<Hs256Key> create(std::string_view secret);
  ~Hs256Key();
  Hs256Key(const Hs256Key&) = delete;
  Hs256Key& operator=(const Hs256Key&) = delete;

  // Whether `signature` is HMAC-SHA-256 of `signing_input` under the secret, compared in
  // constant time. Thread-safe: the keyed context is only ever copied from.
  bool verifies(std::string_view signing_input, std::string_view signature) const;

 private:
  explicit Hs256Key(evp_mac_ctx_st* keyed) : keyed_(keyed) {}
  evp_mac_ctx_st* keyed_;
};

}  // namespace weftkit::auth
