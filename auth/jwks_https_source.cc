// Fetching a key set over https with libcurl. Every setting that could weaken where the keys
// come from is pinned here rather than left to libcurl's defaults or the environment.
#include <curl/curl.h>

#include <mutex>

#include "weftkit/auth/jwks_source.h"

namespace weftkit::auth {
namespace {

struct Body {
  std::string text;
  size_t limit = 0;
  bool too_large = false;
};

size_t append(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t bytes = size * count;
  if (body->text.size() + bytes > body->limit) {
    body->too_large = true;
    return 0;  // anything but `bytes` makes libcurl stop with CURLE_WRITE_ERROR
  }
  body->text.append(data, bytes);
  return bytes;
}

}  // namespace

std::string uri_for_messages(const std::string& uri) {
  const size_t authority = uri.find("://");
  if (authority == std::string::npos) return uri;
  const size_t end = uri.find_first_of("/?#", authority + 3);
  const size_t at = uri.rfind('@', end == std::string::npos ? uri.size() : end);
  if (at == std::string::npos || at < authority + 3) return uri;
  return uri.substr(0, authority + 3) + uri.substr(at + 1);
}

namespace {

// kInternal: an environment failure (network, server, certificate), as status.h defines it.
Status fail(const std::string& uri, const std::string& reason) {
  return Status(StatusCode::kInternal, "key set " + uri_for_messages(uri) + ": " + reason);
}

}  // namespace

StatusOr<std::string> fetch_jwks_https(const JwksHttpsOptions& options) {
  if (!options.uri.starts_with("https://")) {
    return Status(StatusCode::kInvalidArgument, "key set " + uri_for_messages(options.uri) + ": only https:// key sets are fetched");
  }
  // curl_global_init is not thread-safe with every TLS backend; once per process is enough.
  static std::once_flag initialized;
  static CURLcode init_result = CURLE_OK;
  std::call_once(initialized, [] { init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_result != CURLE_OK) return fail(options.uri, std::string("libcurl: ") + curl_easy_strerror(init_result));

  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fail(options.uri, "libcurl could not make a handle");
  CURL* handle = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  Body body;
  body.limit = options.max_body_bytes;
  const long timeout_ms = static_cast<long>(options.timeout.count());
  bool set = true;
  set = set && curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_URL, options.uri.c_str()) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK;
  // A key set that moved is a configuration change for the operator, not something to follow.
  set = set && curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2) == CURLE_OK;
  if (options.ca_file) set = set && curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file->c_str()) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) == CURLE_OK;
  // Timeouts by signal (SIGALRM) are not safe in a multi-threaded engine.
  set = set && curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes)) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append) == CURLE_OK;
  set = set && curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body) == CURLE_OK;
  // No cookie engine (CURLOPT_COOKIEFILE is never set) and no .netrc credentials.
  set = set && curl_easy_setopt(handle, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED)) == CURLE_OK;
  if (!set) return fail(options.uri, "libcurl refused an option (is it built with https support?)");

  const CURLcode result = curl_easy_perform(handle);
  if (body.too_large || result == CURLE_FILESIZE_EXCEEDED) {
    return fail(options.uri, "the response is larger than " + std::to_string(options.max_body_bytes) + " bytes");
  }
  if (result != CURLE_OK) {
    return fail(options.uri, error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(result)));
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 300 && status < 400) return fail(options.uri, "the server answered a redirect (" + std::to_string(status) + "), which is not followed");
  if (status != 200) return fail(options.uri, "the server answered HTTP " + std::to_string(status));
  return std::move(body.text);
}

}  // namespace weftkit::auth
