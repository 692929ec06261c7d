// HTTP/1.1 as weftkit-kv speaks it: requests read with hard limits (header bytes, body bytes),
// Content-Length bodies only, keep-alive; responses with a length and JSON error bodies.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tls_listener.h"

namespace weftkit_kv {

inline constexpr size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;

struct HttpRequest {
  std::string method;
  std::string path;   // before '?', still percent-encoded
  std::string query;  // after '?', without it
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;

  const std::string* header(const std::string& lower_name) const;
};

// A request that cannot be served: answered with `status` and closed.
struct HttpRefusal {
  int status = 400;
  std::string error;    // "bad_request", "payload_too_large", ...
  std::string message;
};

class HttpReader {
 public:
  explicit HttpReader(TlsConnection& connection) : connection_(connection) {}
  // The next request; nullopt with `refusal` empty when the client closed the connection (or
  // went idle), nullopt with `refusal` set for a request that breaks the limits or the syntax.
  std::optional<HttpRequest> next(std::optional<HttpRefusal>& refusal);

 private:
  bool fill();  // reads more into buffer_; false at the end of the stream
  TlsConnection& connection_;
  std::string buffer_;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
};

// {"error":"...","message":"..."} as a response.
HttpResponse json_error(int status, std::string_view error, std::string_view message);
// The bytes of `response`, with Content-Length and Connection headers.
std::string serialize(const HttpResponse& response, bool keep_alive);
// JSON string literal, quotes included.
std::string json_string(std::string_view text);
// %XX decoding of a path segment or query value; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace weftkit_kv
