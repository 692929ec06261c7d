// libcurl behind the remote key providers (see http_client.h).
#include "crypto/src/http_client.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

namespace weftkit::crypto::detail {
namespace {

struct Body {
  std::string* text = nullptr;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t bytes = size * count;
  if (body->text->size() + bytes > body->limit) {
    body->too_large = true;
    return 0;  // anything but `bytes` makes libcurl stop with CURLE_WRITE_ERROR
  }
  body->text->append(data, bytes);
  return bytes;
}

// The header list holds "X-Vault-Token: ..." or "Authorization: ...": wiped before it is freed.
struct SlistWiper {
  void operator()(curl_slist* list) const {
    for (curl_slist* node = list; node != nullptr; node = node->next) {
      if (node->data != nullptr) OPENSSL_cleanse(node->data, std::char_traits<char>::length(node->data));
    }
    curl_slist_free_all(list);
  }
};
using HeaderList = std::unique_ptr<curl_slist, SlistWiper>;

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

// Failures where another attempt may get through: the network, a busy or restarting server.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

bool is_retried_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_error;
  bool too_large = false;
  HttpResponse response;
};

CURLcode global_init() {
  // curl_global_init is not thread-safe with every TLS backend; once per process is enough.
  static std::once_flag initialized;
  static CURLcode result = CURLE_OK;
  std::call_once(initialized, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

}  // namespace

Result<HttpClientOptions> http_client_options(const RemoteCallSettings& remote, std::string provider) {
  if (remote.connect_timeout_ms == 0 || remote.attempt_timeout_ms == 0) {
    return Error(ErrorCode::kKeyProviderError, provider + ": a timeout of 0 would let a call wait forever");
  }
  if (remote.connect_timeout_ms > remote.attempt_timeout_ms) {
    return Error(ErrorCode::kKeyProviderError, provider + ": the connect timeout is longer than the attempt timeout");
  }
  if (remote.max_attempts < 1 || remote.max_attempts > 10) {
    return Error(ErrorCode::kKeyProviderError, provider + ": max_attempts must be 1 to 10, not " + std::to_string(remote.max_attempts));
  }
  HttpClientOptions options;
  options.provider = std::move(provider);
  options.ca_file = remote.ca_file;
  options.connect_timeout = std::chrono::milliseconds(remote.connect_timeout_ms);
  options.attempt_timeout = std::chrono::milliseconds(remote.attempt_timeout_ms);
  options.max_attempts = static_cast<int>(remote.max_attempts);
  options.first_backoff = std::chrono::milliseconds(remote.first_backoff_ms);
  return options;
}

std::string url_refusal(const std::string& url) {
  std::unique_ptr<CURLU, void (*)(CURLU*)> parsed(curl_url(), curl_url_cleanup);
  // The text is not echoed: a mistyped setting could hold a credential.
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "it is not a URL";
  char* user = nullptr;
  const bool has_user = curl_url_get(parsed.get(), CURLUPART_USER, &user, 0) == CURLUE_OK;
  curl_free(user);
  // Every error message names the URL; credentials belong in the provider's settings.
  if (has_user) return "it holds user information ('user@' or 'user:password@'), which is not accepted";
  char* scheme = nullptr;
  char* host = nullptr;
  std::string scheme_text, host_text;
  if (curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK) scheme_text = scheme;
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK) host_text = host;
  curl_free(scheme);
  curl_free(host);
  if (scheme_text == "https") return "";
  if (scheme_text == "http" && is_loopback_host(host_text)) return "";
  if (scheme_text == "http") {
    return "plain http is allowed only to a loopback address (127.0.0.1, ::1, localhost), not to '" + host_text +
           "'; use https";
  }
  return "the scheme '" + scheme_text + "' is not https";
}

namespace {

Attempt perform(const HttpClientOptions& options, const std::string& url, bool loopback, curl_slist* headers,
                const std::string& body) {
  Attempt attempt;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    attempt.code = CURLE_FAILED_INIT;
    return attempt;
  }
  CURL* handle = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  attempt.response.body.reserve(std::min<std::size_t>(options.max_response_bytes, 64 * 1024));
  Body sink{&attempt.response.body, options.max_response_bytes, false};
  bool set = true;
  set = set && curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_URL, url.c_str()) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, loopback ? "http,https" : "https") == CURLE_OK;
  // A key service that moved is a configuration change, and a redirect could carry the token away.
  set = set && curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2) == CURLE_OK;
  if (!options.ca_file.empty()) set = set && curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str()) == CURLE_OK;
  // A loopback call never goes through a proxy from the environment.
  if (loopback) set = set && curl_easy_setopt(handle, CURLOPT_PROXY, "") == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count())) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.attempt_timeout.count())) == CURLE_OK;
  // Timeouts by signal (SIGALRM) are not safe in a multi-threaded engine.
  set = set && curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes)) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED)) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_POST, 1L) == CURLE_OK;
  // POSTFIELDS is not copied: the body (which may hold key material) stays in the caller's buffer.
  set = set && curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size())) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data()) == CURLE_OK;
  if (!set) {
    attempt.code = CURLE_UNKNOWN_OPTION;
    attempt.curl_error = "libcurl refused an option (is it built with https support?)";
    return attempt;
  }
  attempt.code = curl_easy_perform(handle);
  attempt.too_large = sink.too_large || attempt.code == CURLE_FILESIZE_EXCEEDED;
  if (attempt.code != CURLE_OK) {
    attempt.curl_error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(attempt.code));
    OPENSSL_cleanse(attempt.response.body.data(), attempt.response.body.size());
    attempt.response.body.clear();
  } else {
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &attempt.response.status);
  }
  return attempt;
}

}  // namespace

Result<HttpResponse> HttpClient::post(const std::string& url, const HttpHeaders& headers, const std::string& body) const {
  const std::string where = options_.provider + ": POST " + url;
  if (std::string refusal = url_refusal(url); !refusal.empty()) {
    return Error(ErrorCode::kKeyProviderError, where + " refused: " + refusal);
  }
  if (CURLcode init = global_init(); init != CURLE_OK) {
    return Error(ErrorCode::kKeyProviderError, where + ": libcurl: " + curl_easy_strerror(init));
  }
  const bool loopback = url.starts_with("http://");  // url_refusal allowed http only to loopback
  HeaderList list(nullptr);
  // An empty "Expect:" stops libcurl from waiting for "100 Continue" on larger bodies.
  list.reset(curl_slist_append(nullptr, "Expect:"));
  if (!list) return Error(ErrorCode::kKeyProviderError, where + ": out of memory for headers");
  for (const auto& [name, value] : headers) {
    std::string line = name + ": " + value;
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    OPENSSL_cleanse(line.data(), line.size());
    if (grown == nullptr) return Error(ErrorCode::kKeyProviderError, where + ": out of memory for headers");
    list.release();
    list.reset(grown);
  }

  const int attempts = std::max(1, options_.max_attempts);
  std::chrono::milliseconds backoff = options_.first_backoff;
  std::string last_failure;
  int made = 0;
  for (int attempt_number = 1; attempt_number <= attempts; ++attempt_number) {
    ++made;
    Attempt attempt = perform(options_, url, loopback, list.get(), body);
    const bool last = attempt_number == attempts;
    if (attempt.too_large) {
      return Error(ErrorCode::kKeyProviderError, where + ": the response is larger than " +
                                                     std::to_string(options_.max_response_bytes) + " bytes");
    }
    if (attempt.code != CURLE_OK) {
      last_failure = attempt.curl_error;
      if (!is_transient(attempt.code)) break;
    } else if (attempt.response.status >= 300 && attempt.response.status < 400) {
      return Error(ErrorCode::kKeyProviderError, where + " answered a redirect (HTTP " +
                                                     std::to_string(attempt.response.status) + "), which is not followed");
    } else if (!(is_retried_status(attempt.response.status) ||
                 (options_.retry_answer && options_.retry_answer(attempt.response))) ||
               last) {
      return std::move(attempt.response);
    } else {
      last_failure = "HTTP " + std::to_string(attempt.response.status);
      OPENSSL_cleanse(attempt.response.body.data(), attempt.response.body.size());
    }
    if (!last) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
  return Error(ErrorCode::kKeyProviderError,
               where + " failed (" + std::to_string(made) + (made == 1 ? " attempt): " : " attempts): ") + last_failure);
}

}  // namespace weftkit::crypto::detail
