// AWS Signature Version 4, header form (see aws_sigv4.h), following AWS's published
// canonicalisation rules: URI-encoded path (dot segments removed unless told not to), query
// parameters decoded, re-encoded and sorted, header names lowercased with values trimmed,
// inner whitespace runs collapsed and repeated headers joined by commas.
#include "crypto/src/aws_sigv4.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <map>

#include "crypto/src/kdf.h"

namespace weftkit::crypto::detail {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    text += kHex[b >> 4];
    text += kHex[b & 15];
  }
  return text;
}

std::string sha256_hex(std::string_view data) {
  std::array<std::uint8_t, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return hex(digest);
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kUpperHex[c >> 4];
      out += kUpperHex[c & 15];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query parameters arrive percent-encoded (or not); decoding first makes both spell the same.
std::string uri_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// RFC 3986 5.2.4 on '/'-separated segments; empty segments are dropped too, as AWS does.
std::string normalized_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  if (!segments.empty() && path.ends_with('/')) out += '/';
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    if (!pair.empty()) {
      std::size_t equals = pair.find('=');
      std::string_view name = pair.substr(0, equals);
      std::string_view value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
      parameters.emplace_back(uri_encode(uri_decode(name), false), uri_encode(uri_decode(value), false));
    }
    start = amp + 1;
  }
  std::sort(parameters.begin(), parameters.end());
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

// Trims, and collapses every run of whitespace (line folds included) to one space.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_amz_date(std::string_view date) {
  if (date.size() != 16 || date[8] != 'T' || date[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && (date[i] < '0' || date[i] > '9')) return false;
  }
  return true;
}

bool hmac(std::span<const std::uint8_t> key, std::string_view message, std::array<std::uint8_t, kHmacSha256Size>& out) {
  return hmac_sha256(key, bytes_of(message), out);
}

}  // namespace

Result<SigV4Result> sign_sigv4(const HttpRequest& request, const AwsCredentials& credentials, const SigV4Options& options) {
  if (!valid_amz_date(options.amz_date)) return Error(ErrorCode::kInvalidArgument, "amz_date must be YYYYMMDDTHHMMSSZ");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Error(ErrorCode::kInvalidArgument, "AWS credentials need an access key id and a secret access key");
  }
  SigV4Result result;
  std::string payload_hash = sha256_hex(request.body);
  result.added_headers.emplace_back("X-Amz-Date", options.amz_date);
  bool sign_token = !credentials.session_token.empty() && !options.omit_session_token;
  if (sign_token) result.added_headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (options.sign_body) result.added_headers.emplace_back("X-Amz-Content-Sha256", payload_hash);

  std::map<std::string, std::string> headers;  // lowercase name -> comma-joined values, sorted
  auto add = [&](std::string_view name, std::string_view value) {
    std::string& joined = headers[lowercase(name)];
    if (!joined.empty()) joined += ',';
    joined += canonical_header_value(value);
  };
  for (const auto& [name, value] : request.headers) add(name, value);
  for (const auto& [name, value] : result.added_headers) add(name, value);

  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }
  std::string path = options.normalize_path ? normalized_path(request.path) : std::string(request.path);
  if (path.empty()) path = "/";
  result.canonical_request = request.method + "\n" + uri_encode(path, true) + "\n" + canonical_query(request.query) + "\n" +
                             canonical_headers + "\n" + signed_headers + "\n" + payload_hash;

  std::string date = options.amz_date.substr(0, 8);
  std::string scope = date + "/" + options.region + "/" + options.service + "/aws4_request";
  result.string_to_sign = "AWS4-HMAC-SHA256\n" + options.amz_date + "\n" + scope + "\n" + sha256_hex(result.canonical_request);

  std::string secret = "AWS4" + credentials.secret_access_key;
  // kDate, kRegion, kService, kSigning: each HMAC keyed by the one before.
  std::array<std::uint8_t, kHmacSha256Size> date_key{}, region_key{}, service_key{}, signing_key{}, signature{};
  bool ok = hmac(bytes_of(secret), date, date_key) && hmac(date_key, options.region, region_key) &&
            hmac(region_key, options.service, service_key) && hmac(service_key, "aws4_request", signing_key) &&
            hmac(signing_key, result.string_to_sign, signature);
  OPENSSL_cleanse(secret.data(), secret.size());
  for (auto* key : {&date_key, &region_key, &service_key, &signing_key}) OPENSSL_cleanse(key->data(), key->size());
  if (!ok) return Error(ErrorCode::kInternal, "HMAC-SHA256 failed");
  result.signature = hex(signature);
  result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                         ", SignedHeaders=" + signed_headers + ", Signature=" + result.signature;
  return result;
}

}  // namespace weftkit::crypto::detail
