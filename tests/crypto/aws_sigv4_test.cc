// AWS Signature Version 4: every request of AWS's published signing test suite, header form —
// canonical request, string to sign, signature and Authorization header exactly as published.
// (The suite's query-string form, for presigned URLs, is not used by KMS and not implemented.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/src/aws_sigv4.h"

namespace weftkit::crypto {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// request.txt: request line, headers (a line starting with whitespace continues the previous
// header), a blank line, the body.
detail::HttpRequest parse_request(const std::string& text) {
  detail::HttpRequest request;
  std::size_t line_end = text.find('\n');
  std::string request_line = text.substr(0, line_end);
  std::size_t first_space = request_line.find(' ');
  std::size_t last_space = request_line.rfind(' ');
  request.method = request_line.substr(0, first_space);
  std::string target = request_line.substr(first_space + 1, last_space - first_space - 1);
  std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  std::size_t position = line_end == std::string::npos ? text.size() : line_end + 1;
  while (position < text.size()) {
    line_end = text.find('\n', position);
    if (line_end == std::string::npos) line_end = text.size();
    std::string line = text.substr(position, line_end - position);
    position = line_end + 1;
    if (line.empty()) {
      if (position < text.size()) request.body = text.substr(position);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += "\n" + line;
      continue;
    }
    std::size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

std::string authorization_line(const std::string& signed_request) {
  std::istringstream lines(signed_request);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Authorization:")) return line.substr(std::string("Authorization:").size());
  }
  return {};
}

TEST(AwsSigV4, EveryRequestOfThePublishedSuiteSignsExactlyAsPublished) {
  fs::path suite = fs::path(WEFTKIT_SOURCE_DIR) / ".." / "shared" / "vectors" / "aws-sigv4";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    if (!entry.is_directory()) continue;
    const fs::path& dir = entry.path();
    SCOPED_TRACE(dir.filename().string());
    nlohmann::json context = nlohmann::json::parse(read_text(dir / "context.json"));
    detail::AwsCredentials credentials;
    credentials.access_key_id = context["credentials"]["access_key_id"];
    credentials.secret_access_key = context["credentials"]["secret_access_key"];
    credentials.session_token = context["credentials"].value("token", "");
    detail::SigV4Options options;
    options.region = context["region"];
    options.service = context["service"];
    std::string timestamp = context["timestamp"];  // 2015-08-30T12:36:00Z
    std::erase(timestamp, '-');
    std::erase(timestamp, ':');
    options.amz_date = timestamp;
    options.normalize_path = context["normalize"];
    options.sign_body = context["sign_body"];
    options.omit_session_token = context.value("omit_session_token", false);

    auto signed_request = detail::sign_sigv4(parse_request(read_text(dir / "request.txt")), credentials, options);
    ASSERT_TRUE(signed_request.ok()) << signed_request.error().to_string();
    EXPECT_EQ(signed_request.value().canonical_request, read_text(dir / "header-canonical-request.txt"));
    EXPECT_EQ(signed_request.value().string_to_sign, read_text(dir / "header-string-to-sign.txt"));
    EXPECT_EQ(signed_request.value().signature, read_text(dir / "header-signature.txt"));
    EXPECT_EQ(signed_request.value().authorization, authorization_line(read_text(dir / "header-signed-request.txt")));
    ++cases;
  }
  EXPECT_EQ(cases, 38);
}

TEST(AwsSigV4, AMalformedDateOrMissingCredentialsAreRefused) {
  detail::HttpRequest request{"GET", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  detail::SigV4Options options{"us-east-1", "kms", "2015-08-30T12:36:00Z"};
  detail::AwsCredentials credentials{"AKIDEXAMPLE", "secret", ""};
  EXPECT_EQ(detail::sign_sigv4(request, credentials, options).error().to_string(),
            "invalid_argument: amz_date must be YYYYMMDDTHHMMSSZ");
  options.amz_date = "20150830T123600Z";
  credentials.secret_access_key.clear();
  EXPECT_EQ(detail::sign_sigv4(request, credentials, options).error().name(), "invalid_argument");
}

TEST(AwsSigV4, AnyChangeToTheSignedRequestChangesTheSignature) {
  detail::HttpRequest request{"POST", "/", "", {{"Host", "kms.us-east-1.amazonaws.com"}, {"X-Amz-Target", "TrentService.Decrypt"}},
                              R"({"CiphertextBlob":"AAAA"})"};
  detail::SigV4Options options{"us-east-1", "kms", "20150830T123600Z"};
  detail::AwsCredentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  std::string base = detail::sign_sigv4(request, credentials, options).value().signature;
  auto changed = request;
  changed.body += " ";
  EXPECT_NE(detail::sign_sigv4(changed, credentials, options).value().signature, base);
  changed = request;
  changed.headers[1].second = "TrentService.Encrypt";
  EXPECT_NE(detail::sign_sigv4(changed, credentials, options).value().signature, base);
  auto other_region = options;
  other_region.region = "eu-west-1";
  EXPECT_NE(detail::sign_sigv4(request, credentials, other_region).value().signature, base);
  EXPECT_EQ(detail::sign_sigv4(request, credentials, options).value().signature, base);
}

}  // namespace
}  // namespace weftkit::crypto
