#include "http_message.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace weftkit_kv {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) { return std::tolower(c); });
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

const char* reason_of(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

HttpRefusal refuse(int status, std::string error, std::string message) {
  return HttpRefusal{status, std::move(error), std::move(message)};
}

}  // namespace

const std::string* HttpRequest::header(const std::string& lower_name) const {
  auto found = headers.find(lower_name);
  return found == headers.end() ? nullptr : &found->second;
}

bool HttpReader::fill() {
  char chunk[16 * 1024];
  size_t got = connection_.read(chunk, sizeof chunk);
  if (got == 0) return false;
  buffer_.append(chunk, got);
  return true;
}

std::optional<HttpRequest> HttpReader::next(std::optional<HttpRefusal>& refusal) {
  refusal.reset();
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > kMaxHeaderBytes) {
      refusal = refuse(431, "headers_too_large", "the request line and headers exceed 16384 bytes");
      return std::nullopt;
    }
    if (!fill()) {
      if (!buffer_.empty()) refusal = refuse(400, "bad_request", "the connection ended inside a request's headers");
      return std::nullopt;
    }
  }
  if (header_end + 4 > kMaxHeaderBytes) {
    refusal = refuse(431, "headers_too_large", "the request line and headers exceed 16384 bytes");
    return std::nullopt;
  }
  std::string_view head(buffer_.data(), header_end);
  HttpRequest request;
  size_t line_end = head.find("\r\n");
  std::string_view request_line = head.substr(0, line_end);
  size_t first_space = request_line.find(' ');
  size_t second_space = request_line.rfind(' ');
  if (first_space == std::string_view::npos || second_space == first_space) {
    refusal = refuse(400, "bad_request", "malformed request line");
    return std::nullopt;
  }
  request.method = std::string(request_line.substr(0, first_space));
  std::string_view target = request_line.substr(first_space + 1, second_space - first_space - 1);
  std::string_view version = request_line.substr(second_space + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    refusal = refuse(400, "bad_request", "only HTTP/1.1 and HTTP/1.0 are spoken here");
    return std::nullopt;
  }
  if (target.empty() || target.front() != '/') {
    refusal = refuse(400, "bad_request", "the request target must be a path starting with /");
    return std::nullopt;
  }
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.keep_alive = version == "HTTP/1.1";

  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t end = rest.find("\r\n");
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      refusal = refuse(400, "bad_request", "malformed header line");
      return std::nullopt;
    }
    std::string name = lower(line.substr(0, colon));
    if (request.headers.count(name) != 0 && (name == "content-length" || name == "authorization" || name == "host")) {
      refusal = refuse(400, "bad_request", "the " + name + " header appears twice");
      return std::nullopt;
    }
    request.headers[name] = std::string(trim(line.substr(colon + 1)));
  }
  if (const std::string* connection = request.header("connection")) {
    std::string value = lower(*connection);
    if (value == "close") request.keep_alive = false;
    if (value == "keep-alive") request.keep_alive = true;
  }
  if (request.header("transfer-encoding") != nullptr) {
    refusal = refuse(411, "length_required", "chunked bodies are not accepted: send Content-Length");
    return std::nullopt;
  }
  size_t body_length = 0;
  if (const std::string* length = request.header("content-length")) {
    auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), body_length);
    if (error != std::errc() || end != length->data() + length->size()) {
      refusal = refuse(400, "bad_request", "Content-Length is not a number");
      return std::nullopt;
    }
    if (body_length > kMaxBodyBytes) {
      refusal = refuse(413, "payload_too_large", "the body has " + *length + " bytes; at most 1048576 are accepted");
      return std::nullopt;
    }
  }
  buffer_.erase(0, header_end + 4);
  if (body_length > buffer_.size()) {
    const std::string* expect = request.header("expect");
    if (expect != nullptr && lower(*expect) == "100-continue") {
      if (!connection_.write_all("HTTP/1.1 100 Continue\r\n\r\n")) return std::nullopt;
    }
  }
  while (buffer_.size() < body_length) {
    if (!fill()) {
      refusal = refuse(400, "bad_request", "the connection ended inside a request's body");
      return std::nullopt;
    }
  }
  request.body = buffer_.substr(0, body_length);
  buffer_.erase(0, body_length);
  return request;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

HttpResponse json_error(int status, std::string_view error, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"error\":" + json_string(error) + ",\"message\":" + json_string(message) + "}\n";
  return response;
}

std::string serialize(const HttpResponse& response, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_of(response.status) + "\r\n";
  if (response.status != 204) {
    out += "Content-Type: " + response.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (response.status != 204) out += response.body;
  return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t index = 0; index < text.size(); ++index) {
    if (text[index] != '%') {
      out += text[index];
      continue;
    }
    if (index + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[index + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[index + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(std::string(text.substr(index + 1, 2)), nullptr, 16));
    index += 2;
  }
  return out;
}

}  // namespace weftkit_kv
