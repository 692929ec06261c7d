// The HTTP client the remote key providers (Vault transit, AWS KMS) share, on libcurl. It pins
// what could weaken the channel to a key service: TLS verification is always on, plain http is
// accepted only to a loopback address (tests, Vault dev mode), no redirects are followed, no
// proxy or .netrc applies to loopback, and every call is bounded in time and response size.
// Transient failures (connection errors, timeouts, HTTP 5xx and 429, and answers a
// provider marks as transient) are retried with
// exponential backoff; 4xx answers are final. Error messages name the provider and the URL,
// never a request header or body (which carry tokens and key material).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto::detail {

struct HttpResponse {
  long status = 0;
  std::string body;
};

struct HttpClientOptions {
  std::string provider;  // "vault", "kms": the first word of every error message
  std::string ca_file;   // empty: the system's CA store
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds attempt_timeout{10000};  // one attempt, connect included
  int max_attempts = 3;                              // 1 disables retries
  std::chrono::milliseconds first_backoff{200};      // doubled after each failed attempt
  std::size_t max_response_bytes = 1 << 20;
  // Other final-looking answers that are transient for this service (AWS KMS throttles with
  // HTTP 400 ThrottlingException); retried like 5xx. Empty: none.
  std::function<bool(const HttpResponse&)> retry_answer;
};

// The client options of a provider's settings; key_provider_error for a zero timeout (libcurl
// would wait forever), a connect timeout longer than the attempt's, or attempts outside 1..10.
Result<HttpClientOptions> http_client_options(const RemoteCallSettings& remote, std::string provider);

// Headers hold secrets (tokens, signatures); the client wipes its copies after each call.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Whether url may be called: https to any host, http only to 127.0.0.1, [::1] or localhost.
// The reason is empty when allowed.
std::string url_refusal(const std::string& url);

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options) : options_(std::move(options)) {}

  // POSTs body to url. The final answer (2xx, 4xx, or the last 5xx/429 once retries are spent)
  // is a response; key_provider_error when no answer came (refused URL, connection failures,
  // timeouts, a response over the size limit).
  Result<HttpResponse> post(const std::string& url, const HttpHeaders& headers, const std::string& body) const;

  const HttpClientOptions& options() const { return options_; }

 private:
  HttpClientOptions options_;
};

}  // namespace weftkit::crypto::detail
