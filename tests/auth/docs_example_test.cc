// docs/auth.md's example works as the page says, and the page shows exactly that code.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/auth/scram_test_client.h"
#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/scram.h"

weftkit::auth::AuthResult authenticate_by_scram(weftkit::auth::PasswordAuthenticator& passwords,
                                                const std::string& login, const std::string& peer,
                                                const std::string& chosen_mechanism,
                                                std::optional<std::string> binding,
                                                const std::function<std::string()>& receive,
                                                const std::function<void(const std::string&)>& send);

namespace weftkit::auth {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  const size_t start = text.find(begin);
  const size_t stop = text.find(end, start);
  if (start == std::string::npos || stop == std::string::npos) return "";
  return text.substr(start + begin.size(), stop - start - begin.size());
}

TEST(DocsExample, PageShowsTheCompiledCode) {
  const std::string source = read(std::string(WEFTKIT_SOURCE_DIR) + "/tests/auth/docs_example.cc");
  const std::string page = read(std::string(WEFTKIT_SOURCE_DIR) + "/docs/auth.md");
  const std::string code = between(source, "// --- docs/auth.md example begins ---\n", "// --- docs/auth.md example ends ---");
  ASSERT_FALSE(code.empty());
  EXPECT_NE(page.find("```cpp\n" + code + "```"), std::string::npos) << "docs/auth.md's example differs from tests/auth/docs_example.cc";
}

TEST(DocsExample, AuthenticatesALibpqStyleClient) {
  PasswordAuthenticator passwords;
  ASSERT_TRUE(passwords.load_users_text("alice:" + make_scram_verifier("wonderland").value() + "\n", "users").ok());
  testing::ScramTestClient client{"", "wonderland", "rOprNGfwEbeRWgbNEkqO"};
  std::vector<std::string> to_client;
  auto receive = [&]() { return to_client.empty() ? client.client_first() : client.client_final(to_client.back()); };
  auto send = [&](const std::string& message) { to_client.push_back(message); };
  AuthResult result = authenticate_by_scram(passwords, "alice", "203.0.113.9", "SCRAM-SHA-256", std::nullopt, receive, send);
  ASSERT_TRUE(result.ok()) << result.failure().message;
  EXPECT_EQ(result.identity().user, "alice");
  ASSERT_EQ(to_client.size(), 2u);
  EXPECT_EQ(to_client[1], client.expected_server_final);
}

}  // namespace
}  // namespace weftkit::auth
