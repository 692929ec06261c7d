// AWS Signature Version 4 (header form), the base of the AWS KMS provider: the canonical
// request, the string to sign, the signing key derived from the secret key, date, region and
// service, and the Authorization header. Pure computation: the caller supplies the time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <weftkit/crypto/error.h>

namespace weftkit::crypto::detail {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct HttpRequest {
  std::string method;
  std::string path;   // as sent, before the '?': may hold spaces, UTF-8, dot segments
  std::string query;  // as sent, after the '?', without it
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string body;
};

struct SigV4Options {
  std::string region;
  std::string service;
  std::string amz_date;              // "20150830T123600Z"
  bool normalize_path = true;        // remove dot segments and empty segments (all but S3)
  bool sign_body = false;            // add x-amz-content-sha256 (S3 style)
  bool omit_session_token = false;   // sign without the token, add it afterwards (some services)
};

struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header's value
  // Headers the signer adds to the request (x-amz-date, x-amz-security-token,
  // x-amz-content-sha256), in that order, as they must be sent.
  std::vector<std::pair<std::string, std::string>> added_headers;
};

// invalid_argument for an amz_date that is not YYYYMMDDTHHMMSSZ or missing credentials.
Result<SigV4Result> sign_sigv4(const HttpRequest& request, const AwsCredentials& credentials, const SigV4Options& options);

}  // namespace weftkit::crypto::detail
