// Where the gcp-kms provider's OAuth access token comes from: either a token given as is
// (WEFTKIT_GCP_ACCESS_TOKEN; whoever issued it renews it), or a service-account JSON key file
// (GOOGLE_APPLICATION_CREDENTIALS) whose RS256-signed assertion is exchanged at the file's
// token_uri for a token, cached until a minute before it expires. Messages never hold a token,
// an assertion or the private key.
#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

#include "crypto/src/http_client.h"

namespace weftkit::crypto::detail {

class GcpTokenSource {
 public:
  // key_provider_error when neither a token nor a credentials file is set, or when the file is
  // unreadable, not a service-account key, or names a refused token_uri. Nothing is fetched here.
  static Result<std::unique_ptr<GcpTokenSource>> create(const KeyProviderSettings& settings, HttpClientOptions options);
  ~GcpTokenSource();  // wipes the cached token and frees the private key
  GcpTokenSource(const GcpTokenSource&) = delete;
  GcpTokenSource& operator=(const GcpTokenSource&) = delete;

  // A token valid for at least another minute; the caller wipes its copy.
  Result<std::string> token();
  // The service refused `token` (HTTP 401): the next token() fetches a new one. Returns whether
  // a new one can be had (false for a fixed token).
  bool refused(const std::string& token);
  int exchanges() const;  // tokens fetched so far (for tests and diagnostics)

 private:
  GcpTokenSource(HttpClientOptions options) : client_(std::move(options)) {}
  Result<std::string> exchange();  // under mutex_

  HttpClient client_;
  std::string fixed_token_;
  EVP_PKEY* private_key_ = nullptr;
  std::string key_id_;
  std::string client_email_;
  std::string token_uri_;
  mutable std::mutex mutex_;
  std::string cached_;
  std::chrono::steady_clock::time_point cached_until_{};
  int exchanges_ = 0;
};

}  // namespace weftkit::crypto::detail
