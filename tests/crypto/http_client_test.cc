// The remote providers' HTTP client on its own: a connection that cannot be made is retried
// and then reported with the attempts made, and the loopback rule reads the URL's real host.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/src/http_client.h"

namespace weftkit::crypto::detail {
namespace {

// A loopback port nothing listens on: bound, then closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(HttpClient, ConnectionFailureIsRetriedThenReportedWithoutHeaders) {
  HttpClientOptions options;
  options.provider = "vault";
  options.first_backoff = std::chrono::milliseconds(5);
  HttpClient client(options);
  auto answer = client.post("http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/transit/encrypt/k",
                            {{"X-Vault-Token", "hvs.do-not-print"}}, "{\"plaintext\":\"c2VjcmV0\"}");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().name(), "key_provider_error");
  const std::string& message = answer.error().message();
  EXPECT_TRUE(message.starts_with("vault: POST http://127.0.0.1:")) << message;
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  EXPECT_EQ(message.find("hvs.do-not-print"), std::string::npos) << message;
  EXPECT_EQ(message.find("c2VjcmV0"), std::string::npos) << message;
}

TEST(HttpClient, LoopbackRuleLooksAtTheHostNotTheText) {
  EXPECT_EQ(url_refusal("http://127.0.0.1:8200"), "");
  EXPECT_EQ(url_refusal("http://[::1]:8200"), "");
  EXPECT_EQ(url_refusal("HTTPS://kms.eu-west-1.amazonaws.com/"), "");
  EXPECT_NE(url_refusal("http://localhost.evil.example/"), "");
  EXPECT_NE(url_refusal("http://127.0.0.1@evil.example/"), "");
  EXPECT_NE(url_refusal("http://evil.example/?127.0.0.1"), "");
  EXPECT_NE(url_refusal("not a url"), "");
  EXPECT_EQ(url_refusal("hvs.token-typed-into-the-address").find("hvs."), std::string::npos);
  const std::string with_password = url_refusal("https://admin:s3cret@vault.example:8200");
  EXPECT_NE(with_password, "");
  EXPECT_EQ(with_password.find("s3cret"), std::string::npos) << with_password;
}

}  // namespace
}  // namespace weftkit::crypto::detail
